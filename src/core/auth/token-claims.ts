// What can be read from a token without its signing key: a JWT's header and claims (exp, iss, the
// user), or that it is not a JWT at all (an opaque OAuth token, or something malformed). Used to
// time renewals and to explain a refusal; never to trust a token (the server checks signatures).
// The summary (`TokenShape`) holds no secret: it can go into findings and the exchange view.
//
// Pure: no `vscode`, no I/O.

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function base64urlJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The header and claims of a JWT (three base64url parts, the first two JSON objects), unchecked. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = base64urlJson(parts[0]!);
  const claims = base64urlJson(parts[1]!);
  if (!header || typeof header !== 'object' || Array.isArray(header) || !claims || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
  return { header: header as Record<string, unknown>, claims: claims as Record<string, unknown> };
}

/** A token described without its value. */
export interface TokenShape {
  /** jwt: three parts that decode; opaque: one run of token characters; empty: nothing after the scheme; malformed: anything else. */
  kind: 'jwt' | 'opaque' | 'empty' | 'malformed';
  length: number;
  /** How many dot-separated parts it has (a JWT has 3). */
  segments: number;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
}

export function tokenShape(token: string | undefined): TokenShape {
  const t = token ?? '';
  if (t === '') return { kind: 'empty', length: 0, segments: 0 };
  const segments = t.split('.').length;
  const jwt = decodeJwt(t);
  if (jwt) return { kind: 'jwt', length: t.length, segments, header: jwt.header, claims: jwt.claims };
  if (segments === 1 && /^[A-Za-z0-9\-._~+/]+=*$/.test(t)) return { kind: 'opaque', length: t.length, segments };
  return { kind: 'malformed', length: t.length, segments };
}

const seconds = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** exp, iat and nbf as dates, when the claims have them. */
export function claimTimes(claims: Record<string, unknown> | undefined): { expiresAt?: Date; issuedAt?: Date; notBefore?: Date } {
  if (!claims) return {};
  const at = (v: unknown) => (seconds(v) !== undefined ? new Date(seconds(v)! * 1000) : undefined);
  return { expiresAt: at(claims.exp), issuedAt: at(claims.iat), notBefore: at(claims.nbf) };
}

/** The user id a JWT plugin's token names (data.user.id), or an OAuth JWT's `sub`. */
export function claimUserId(claims: Record<string, unknown> | undefined): string | undefined {
  const data = claims?.data as { user?: { id?: unknown } } | undefined;
  const id = data?.user?.id ?? claims?.sub;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
