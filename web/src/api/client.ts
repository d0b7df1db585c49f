import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi';

/** Every schema of the API, by its name in openapi.json. */
export type Schemas = components['schemas'];
export type Problem = Schemas['ProblemDetailsDto'];

/** A request that did not succeed: the server's problem, or no answer at all (the API is down). */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem | null,
    readonly status: number | null,
  ) {
    super(problem ? (problem.detail ?? problem.title) : 'The server cannot be reached. Check your connection and try again.');
  }

  /** The message of one field of a 400 problem, if it names it. */
  fieldMessage(field: string): string | undefined {
    return this.problem?.errors?.find((error) => error.field === field)?.messages[0];
  }
}

/**
 * One client per origin: the page and the API are served together, so paths are absolute ('/api/v1/…').
 * `no-cache`: live answers say they may be kept until the next tick (max-age), but this page hears of
 * a change over the socket, possibly before then (an operator's report), and must see it. The
 * browser still keeps them and revalidates with their ETag: a 304 when nothing changed.
 */
const options = { baseUrl: window.location.origin, cache: 'no-cache' as const };

/** Without the session middleware: login, register, refresh and logout must not recurse into it. */
export const publicApi = createClient<paths>(options);
/** With the session middleware (auth.ts): bearer token on every request, one refresh and retry on a 401. */
export const api = createClient<paths>(options);

export function useMiddleware(middleware: Middleware): void {
  api.use(middleware);
}

/**
 * The data of a call, or an ApiError: the problem the server answered with, or a network
 * failure (fetch rejects) turned into an error that says the server cannot be reached.
 */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch {
    throw new ApiError(null, null);
  }
  if (result.response.ok) return result.data as T;
  const problem = typeof result.error === 'object' && result.error !== null && 'status' in result.error ? (result.error as Problem) : null;
  throw new ApiError(problem, result.response.status);
}
