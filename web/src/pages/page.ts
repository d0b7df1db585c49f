/** A page renders into <main> and returns what to stop when the rider leaves it (live subscriptions, timers). */
export type Page = (main: HTMLElement, params: { path: string[]; query: URLSearchParams }) => void | (() => void);
