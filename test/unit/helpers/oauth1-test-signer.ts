// A deliberately small OAuth 1.0a (RFC 5849, one-legged) signer for the sandbox tests. It is the
// CLIENT side and shares nothing with the sandbox's verifier (src/sandbox/oauth-verify.ts) nor with
// the product's signer (src/core/auth/oauth1.ts): if the two sides shared code, a bug in it would
// pass every test (DESIGN.md).
import * as crypto from 'node:crypto';

/** RFC 3986 percent-encoding (unreserved: ALPHA DIGIT - . _ ~). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type Pair = [string, string];

export interface SignOptions {
  method: string;
  /** The URL to sign: scheme://host[:port]/path, no query. */
  baseUrl: string;
  /** Decoded query pairs, in wire order. */
  query?: Pair[];
  /** Decoded form-body pairs that the server will sign (form-urlencoded POST). */
  form?: Pair[];
  consumerKey: string;
  consumerSecret: string;
  signatureMethod?: string;
  timestamp?: number;
  nonce?: string;
  /**
   * 'rfc': sort every pair by encoded key then value (RFC 5849, what generic signers do).
   * 'woocommerce': sort by the name before any '[' only, keeping wire order inside a name
   * (what WooCommerce computes for nested keys, REFERENCE C.6 step 5).
   */
  order?: 'rfc' | 'woocommerce';
}

export interface Signed {
  /** The oauth_* parameters including oauth_signature, in a stable order. */
  oauth: Pair[];
  signature: string;
  baseString: string;
}

export function freshNonce(): string {
  return crypto.randomBytes(16).toString('hex');
}

export function signOAuth1(o: SignOptions): Signed {
  const method = o.signatureMethod ?? 'HMAC-SHA1';
  const oauth: Pair[] = [
    ['oauth_consumer_key', o.consumerKey],
    ['oauth_nonce', o.nonce ?? freshNonce()],
    ['oauth_signature_method', method],
    ['oauth_timestamp', String(o.timestamp ?? Math.floor(Date.now() / 1000))],
  ];
  const all: Pair[] = [...(o.query ?? []), ...(o.form ?? []), ...oauth];
  let encoded = all.map(([k, v]) => [rfc3986(k), rfc3986(v), k] as const);
  if ((o.order ?? 'rfc') === 'rfc') {
    encoded = [...encoded].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  } else {
    const top = (k: string): string => Buffer.from(k.split('[')[0]!, 'utf8').toString('latin1');
    encoded = encoded.map((e, i) => [e, i] as const).sort(([a, i], [b, j]) => (top(a[2]) < top(b[2]) ? -1 : top(a[2]) > top(b[2]) ? 1 : i - j)).map(([e]) => e);
  }
  const paramString = encoded.map(([k, v]) => `${k}=${v}`).join('&');
  const baseString = `${o.method.toUpperCase()}&${rfc3986(o.baseUrl)}&${rfc3986(paramString)}`;
  const algorithm = method === 'HMAC-SHA256' ? 'sha256' : 'sha1';
  const signature = crypto.createHmac(algorithm, `${rfc3986(o.consumerSecret)}&`).update(baseString).digest('base64');
  return { oauth: [...oauth, ['oauth_signature', signature]], signature, baseString };
}

/** Pairs → a query string, percent-encoded the RFC way. */
export function toQuery(pairs: Pair[]): string {
  return pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
}

/** `Authorization: OAuth k="v", …`. */
export function oauthHeader(oauth: Pair[]): string {
  return 'OAuth ' + oauth.map(([k, v]) => `${rfc3986(k)}="${rfc3986(v)}"`).join(', ');
}
