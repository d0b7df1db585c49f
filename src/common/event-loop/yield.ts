/** Lets timers, I/O and requests run before the next slice of a long piece of work. */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
