/**
 * RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token`, with
 * `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
 *
 * The scheme name is matched case-insensitively, deliberately: RFC 6750 defines an HTTP
 * authentication scheme, and HTTP says a scheme is "a case-insensitive token" (RFC 7235 §2.1, now
 * RFC 9110 §11.1), so `bearer` and `BEARER` name the same scheme; refusing them would break
 * conforming clients and protect nothing. Everything else is strict: one or more spaces (no tab),
 * exactly one b64token, nothing after it. HTTP strips whitespace around the whole field value.
 */
const CREDENTIALS = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The access token of an Authorization header, or null when there is none or it is malformed (a 401 either way). */
export function bearerToken(header: string | undefined): string | null {
  return header === undefined ? null : (CREDENTIALS.exec(header)?.[1] ?? null);
}
