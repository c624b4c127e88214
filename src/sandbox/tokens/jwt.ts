// JSON Web Tokens the way the two JWT plugins make and check them: firebase/php-jwt 6 (JWT::encode,
// JWT::decode), with PHP's json_encode / json_decode underneath. What a client sees of this is the
// exception message the plugins pass on unchanged ("Wrong number of segments", "Syntax error,
// malformed JSON", "Signature verification failed", "Expired token"), so those are reproduced in
// php-jwt's order of checks. RS256 is only used to sign (WP OAuth Server's JWT access tokens,
// which it looks up by their text, never verifies).
//
// The sandbox's own code: it never shares a line with the client's JWT reading (src/core).
import * as crypto from 'node:crypto';

export class JwtError extends Error {}

/** PHP's json_encode() as php-jwt calls it: "/" escaped, non-ASCII as \uXXXX. */
export function phpJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function base64url(bytes: Buffer | string): string {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** JWT::urlsafeB64Decode(): padding added back, then PHP's lenient base64_decode (stray characters skipped). */
function urlsafeB64Decode(input: string): Buffer {
  const standard = input.replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+/]/g, '');
  return Buffer.from(standard, 'base64');
}

/** JWT::encode(): header {typ, alg[, kid]}, payload, signature, each base64url. */
export function signJwt(claims: Record<string, unknown>, key: { alg: 'HS256'; secret: string } | { alg: 'RS256'; privateKey: crypto.KeyObject; kid?: string }): string {
  const header: Record<string, string> = { typ: 'JWT', alg: key.alg };
  if (key.alg === 'RS256' && key.kid) header.kid = key.kid;
  const input = `${base64url(phpJson(header))}.${base64url(phpJson(claims))}`;
  const signature = key.alg === 'HS256'
    ? crypto.createHmac('sha256', key.secret).update(input).digest()
    : crypto.sign('sha256', Buffer.from(input), key.privateKey);
  return `${input}.${base64url(signature)}`;
}

const JSON_MESSAGES = {
  ctrl: 'Unexpected control character found',
  syntax: 'Syntax error, malformed JSON',
  utf8: 'Malformed UTF-8 characters',
} as const;

/** JWT::jsonDecode(): json_decode() with PHP's error messages as php-jwt words them. */
function phpJsonDecode(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  const validUtf8 = Buffer.compare(Buffer.from(text, 'utf8'), bytes) === 0;
  const trimmed = text.trim();
  try {
    const value = JSON.parse(trimmed) as unknown;
    if (!validUtf8) throw new JwtError(JSON_MESSAGES.utf8);
    return value;
  } catch (err) {
    if (err instanceof JwtError) throw err;
    // PHP's scanner stops at the first bad byte: a control character inside a string, broken
    // UTF-8 inside a string, or anything else (a syntax error).
    // eslint-disable-next-line no-control-regex
    if (/"[^"]*[\u0000-\u001f]/.test(trimmed) && /^[[{"]/.test(trimmed)) throw new JwtError(JSON_MESSAGES.ctrl);
    if (!validUtf8 && /^[[{"]/.test(trimmed)) throw new JwtError(JSON_MESSAGES.utf8);
    throw new JwtError(JSON_MESSAGES.syntax);
  }
}

/** DateTime::ISO8601 in UTC, as php-jwt prints nbf / iat in its "before valid" messages. */
function iso8601(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '')}+0000`;
}

/**
 * JWT::decode( $jwt, new Key( $secret, 'HS256' ) ): the claims, or a JwtError with php-jwt's message.
 * `now` is the server clock in seconds (leeway 0, as both plugins leave it).
 */
export function verifyHs256(token: string, secret: string, now: number): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('Wrong number of segments');
  const [headB64, bodyB64, sigB64] = parts as [string, string, string];
  const header = phpJsonDecode(urlsafeB64Decode(headB64));
  if (header === null) throw new JwtError('Invalid header encoding');
  const payload = phpJsonDecode(urlsafeB64Decode(bodyB64));
  if (payload === null) throw new JwtError('Invalid claims encoding');
  // A JSON list is cast to an object (its keys are numbers no claim has); a scalar is refused.
  if (typeof payload !== 'object') throw new JwtError('Payload must be a JSON object');
  const claims = (Array.isArray(payload) ? {} : payload) as Record<string, unknown>;
  const alg = header && typeof header === 'object' && !Array.isArray(header) ? (header as Record<string, unknown>).alg : undefined;
  if (alg === undefined || alg === null || alg === '' || alg === 0 || alg === false) throw new JwtError('Empty algorithm');
  if (typeof alg !== 'string' || !SUPPORTED_ALGS.has(alg)) throw new JwtError('Algorithm not supported');
  if (alg !== 'HS256') throw new JwtError('Incorrect key for this algorithm');
  const expected = crypto.createHmac('sha256', secret).update(`${headB64}.${bodyB64}`).digest();
  const given = urlsafeB64Decode(sigB64);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new JwtError('Signature verification failed');
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
  const nbf = num(claims.nbf);
  const iat = num(claims.iat);
  const exp = num(claims.exp);
  if (nbf !== undefined && Math.floor(nbf) > now) throw new JwtError(`Cannot handle token with nbf prior to ${iso8601(Math.floor(nbf))}`);
  if (claims.nbf === undefined && iat !== undefined && Math.floor(iat) > now) throw new JwtError(`Cannot handle token with iat prior to ${iso8601(Math.floor(iat))}`);
  if (exp !== undefined && now >= exp) throw new JwtError('Expired token');
  return claims;
}

/** php-jwt's supported algorithms: another one is "not supported", a supported one that is not the key's is "incorrect". */
const SUPPORTED_ALGS = new Set(['ES384', 'ES256', 'ES256K', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'EdDSA']);

/** A random secret (JWT_AUTH_SECRET_KEY in wp-config.php). */
export function randomSecret(): string {
  return crypto.randomBytes(32).toString('base64');
}

/** `bin2hex( random_bytes( n ) )`. */
export function randomHex(bytes: number): string {
  return crypto.randomBytes(bytes).toString('hex');
}

/** A token of lowercase letters and digits (WP OAuth Server's wo_gen_key): its access and refresh tokens and codes. */
export function randomKey(length = 40): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  while (out.length < length) {
    const byte = crypto.randomBytes(1)[0]!;
    if (byte < 252) out += alphabet[byte % 36]; // 252 = 7 * 36: no modulo bias
  }
  return out;
}
