import { ApiError, call, publicApi, type Schemas, useMiddleware } from './api/client';

/**
 * The signed-in rider: access token (15 min) and refresh token (single use: every refresh
 * returns a new one). Kept in localStorage so a reload or a second tab stays signed in; the
 * API offers no cookie flow, so an XSS hole would expose the refresh token; the page's CSP
 * (no inline or foreign script) is what guards it.
 */
export interface Session {
  user: Schemas['UserDto'];
  accessToken: string;
  refreshToken: string;
  /** ms since 1970, on this browser's clock. */
  accessExpiresAt: number;
}

const STORAGE_KEY = 'train-tracker.session';
/** Refresh this long before the access token expires, so a request never carries an expired one. */
const REFRESH_AHEAD_MS = 30_000;

type SessionListener = (session: Session | null) => void;
const listeners = new Set<SessionListener>();
let current: Session | null = read();
let refreshing: Promise<Session | null> | null = null;

function read(): Session | null {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored ? (JSON.parse(stored) as Session) : null;
  } catch {
    return null;
  }
}

function store(session: Session | null): void {
  current = session;
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
  listeners.forEach((listener) => listener(session));
}

// Another tab signed in, out, or refreshed: take its tokens (ours were rotated away).
window.addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY) return;
  current = read();
  listeners.forEach((listener) => listener(current));
});

export const session = (): Session | null => current;

/** Calls `listener` on every sign in, sign out and token refresh; returns the unsubscribe. */
export function onSessionChange(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const fromDto = (dto: Schemas['SessionDto']): Session => ({
  user: dto.user,
  accessToken: dto.accessToken,
  refreshToken: dto.refreshToken,
  accessExpiresAt: Date.now() + dto.expiresIn * 1000,
});

export async function signIn(email: string, password: string): Promise<Session> {
  const dto = await call(publicApi.POST('/api/v1/auth/login', { body: { email, password } }));
  store(fromDto(dto));
  return current!;
}

export async function signUp(email: string, password: string, displayName: string): Promise<Session> {
  const dto = await call(publicApi.POST('/api/v1/auth/register', { body: { email, password, displayName } }));
  store(fromDto(dto));
  return current!;
}

/** Ends this session on the server (its refresh token is revoked), then forgets it here. */
export async function signOut(): Promise<void> {
  const ending = current;
  store(null);
  if (ending) await call(publicApi.POST('/api/v1/auth/logout', { body: { refreshToken: ending.refreshToken } })).catch(() => undefined);
}

/**
 * Exchanges the refresh token for new tokens, once at a time however many requests need it.
 * A 401 (the token was used, expired or its session revoked) signs out; a network failure
 * keeps the session, to try again later.
 */
export function refresh(): Promise<Session | null> {
  const stale = current;
  if (!stale) return Promise.resolve(null);
  refreshing ??= call(publicApi.POST('/api/v1/auth/refresh', { body: { refreshToken: stale.refreshToken } }))
    .then((dto) => {
      store({ ...fromDto(dto), user: dto.user });
      return current;
    })
    .catch((error: unknown) => {
      // Another tab may have rotated the token first: its new tokens arrived through storage.
      if (current && current.refreshToken !== stale.refreshToken) return current;
      if (error instanceof ApiError && error.status === 401) store(null);
      if (error instanceof ApiError && error.status !== null) return null;
      throw error;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** An access token valid for at least REFRESH_AHEAD_MS more, refreshing first when needed. */
export async function freshAccessToken(): Promise<string | null> {
  if (current && current.accessExpiresAt - Date.now() < REFRESH_AHEAD_MS) await refresh().catch(() => undefined);
  return current?.accessToken ?? null;
}

// Every API call carries the token; a 401 despite it (revoked, clock skew) refreshes once and retries.
const retries = new WeakMap<Request, Request>();
useMiddleware({
  async onRequest({ request }) {
    const token = await freshAccessToken();
    if (!token) return request;
    request.headers.set('Authorization', `Bearer ${token}`);
    retries.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    const retry = retries.get(request);
    if (response.status !== 401 || !retry) return response;
    const renewed = await refresh().catch(() => null);
    if (!renewed) return response;
    retry.headers.set('Authorization', `Bearer ${renewed.accessToken}`);
    return fetch(retry);
  },
});
