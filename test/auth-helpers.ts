import { expect } from '@jest/globals';
import type { TestApi } from './app.factory.js';
import { type NewAccount, newAccount } from './builders/users.js';

export const AUTH = '/api/v1/auth';
export const ME = '/api/v1/users/me';

export interface UserBody {
  id: string;
  email: string;
  displayName: string;
  role: 'user' | 'admin';
  createdAt: string;
}

/** Body of register, login and refresh. */
export interface SessionBody {
  user: UserBody;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export type RegisterInput = NewAccount;

/** Registers a fresh account (a unique email unless overridden) and expects 201. */
export async function registerUser(
  api: Pick<TestApi, 'http'>,
  overrides: Partial<RegisterInput> = {},
  headers: Record<string, string> = {},
): Promise<{ email: string; password: string; body: SessionBody }> {
  const input = newAccount(overrides);
  const response = await api.http.post(`${AUTH}/register`).set(headers).send(input);
  expect(response.status).toBe(201);
  return { email: input.email, password: input.password, body: response.body as SessionBody };
}

/** Logs in and expects 200. */
export async function login(api: Pick<TestApi, 'http'>, email: string, password: string): Promise<SessionBody> {
  const response = await api.http.post(`${AUTH}/login`).send({ email, password });
  expect(response.status).toBe(200);
  return response.body as SessionBody;
}

/** Value of an Authorization header carrying this token. */
export const bearer = (token: string) => `Bearer ${token}`;

/** The decoded payload (claims) of a JWT, without verifying it. */
export const jwtPayload = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

export const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The `field` of each entry of a problem's `errors`, sorted. */
export const problemFields = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((error) => error.field).sort();
