export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The caller of an authenticated request, from a verified access token. */
export interface AuthUser {
  id: string;
  role: Role;
  /** Refresh-token family (login session) the access token was issued for. */
  sessionId: string;
}
