// The server side of WooCommerce's one-legged OAuth 1.0a, transcribed from
// WC_REST_Authentication::get_oauth_parameters(), parse_header(), check_oauth_signature(),
// normalize_parameters(), join_with_equals_sign() and check_oauth_timestamp_and_nonce()
// (REFERENCE C.6). It deliberately does NOT follow RFC 5849 where WooCommerce does not:
//   - parameters are $_GET ∪ $_POST (form bodies of real POSTs only) overlaid with the
//     `Authorization: OAuth` header, via array_merge (integer keys renumbered);
//   - sorted by the raw decoded top-level key with strcmp (byte order), no value tie-break;
//   - nested arrays flattened as key%5Bsub%5D in insertion order, sub-keys NOT encoded until the
//     whole `k=v` is rawurlencoded again;
//   - the base URL is the Home URL with the scheme of the connection (is_ssl()) + the raw path;
//   - the signature is checked before the timestamp, the timestamp before the nonce.
// Never import this from the client side (DESIGN.md: the sandbox is the other side of the wire).
import * as crypto from 'node:crypto';
import { MESSAGES, missingOAuthParameters, wcAuthError, type WpError } from './errors';
import { PhpArray, phpArrayMerge, phpRawurldecode, phpRawurlencode, phpUrldecode, type PhpValue } from './php-query';

/** PHP 8 raised a TypeError (a fatal error, HTTP 500) where the PHP code got an array it did not expect. */
export class PhpFatalError extends Error {}

export const OAUTH_REQUIRED_PARAMETERS = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'] as const;
const VALID_WINDOW_SECONDS = 15 * 60;

/** parse_header(): `OAuth k="v", …` (case-sensitive prefix) → urldecoded oauth_* values; realm dropped. */
export function parseOAuthHeader(header: string): PhpArray {
  const params = new PhpArray();
  if (header.slice(0, 6) !== 'OAuth ') return params;
  // The PHP pattern, typo included: `(:?"` is an optional ':' before the quote.
  const pattern = /(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/g;
  for (let m = pattern.exec(header); m !== null; m = pattern.exec(header)) {
    const quoted = m[3] ?? '';
    // empty( $matches[3][ $i ] ) ? $matches[4][ $i ] : $matches[3][ $i ]: "0" counts as empty.
    const raw = quoted === '' || quoted === '0' ? (m[4] ?? '') : quoted;
    params.set(m[1]!, phpUrldecode(raw));
    if (m[0].length === 0) pattern.lastIndex++;
  }
  params.delete('realm');
  return params;
}

export type OAuthParameters =
  | { kind: 'none' }
  | { kind: 'error'; error: WpError }
  | { kind: 'params'; params: PhpArray };

/** get_oauth_parameters(): none of the five → not OAuth at all; some → "Missing OAuth parameter(s) …". */
export function getOAuthParameters(get: PhpArray, post: PhpArray, authorizationHeader: string | undefined): OAuthParameters {
  let params = phpArrayMerge(get, post);
  if (authorizationHeader) {
    const headerParams = parseOAuthHeader(authorizationHeader.trim());
    if (headerParams.size > 0) params = phpArrayMerge(params, headerParams);
  }
  const missing = OAUTH_REQUIRED_PARAMETERS.filter((name) => params.isEmpty(name));
  if (missing.length === OAUTH_REQUIRED_PARAMETERS.length) return { kind: 'none' };
  if (missing.length > 0) return { kind: 'error', error: missingOAuthParameters(missing) };
  return { kind: 'params', params };
}

/** The Home URL pieces check_oauth_signature() needs. */
export interface OAuthSite {
  /** get_home_url( null, $path, is_ssl() ? 'https' : 'http' ). */
  homeUrl(path: string, isSsl: boolean): string;
  /** get_home_url( null, '/', 'relative' ): the home path with a trailing slash, e.g. "/" or "/shop/". */
  homeRelativeBase(): string;
}

/** wp_parse_url( $uri, PHP_URL_PATH ) for a REQUEST_URI. */
export function requestUriPath(requestUri: string): string {
  let uri = requestUri;
  if (uri.startsWith('//')) {
    // wp_parse_url reads "//host/path" as an authority; the path starts at the next '/'.
    const slash = uri.indexOf('/', 2);
    uri = slash === -1 ? '' : uri.slice(slash);
  }
  const q = uri.indexOf('?');
  const path = q === -1 ? uri : uri.slice(0, q);
  const h = path.indexOf('#');
  return h === -1 ? path : path.slice(0, h);
}

/** wc_rest_urlencode_rfc3986(): rawurlencode, recursively for arrays (keys of sub-arrays untouched). */
function urlencodeValue(value: PhpValue): PhpValue {
  if (typeof value === 'string') return phpRawurlencode(value);
  const out = new PhpArray();
  for (const [k, v] of value.entries()) out.set(k, urlencodeValue(v));
  return out;
}

/** PHP truthiness of a string: "" and "0" are false. */
const phpTruthy = (s: string): boolean => s !== '' && s !== '0';

/** join_with_equals_sign(). */
function joinWithEqualsSign(params: PhpArray, out: string[] = [], prefix = ''): string[] {
  for (const [rawKey, value] of params.entries()) {
    const key = phpTruthy(prefix) ? `${prefix}%5B${rawKey}%5D` : rawKey;
    if (typeof value === 'string') out.push(phpRawurlencode(`${key}=${value}`));
    else joinWithEqualsSign(value, out, key);
  }
  return out;
}

const strcmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The string WooCommerce signs for these parameters (oauth_signature already removed):
 * METHOD&rawurlencode(home URL + path)&normalized-params.
 */
export function signatureBaseString(httpMethod: string, requestUri: string, isSsl: boolean, site: OAuthSite, params: PhpArray): string {
  let requestPath = requestUriPath(requestUri);
  const wpBase = site.homeRelativeBase();
  if (requestPath.slice(0, wpBase.length) === wpBase) requestPath = requestPath.slice(wpBase.length);
  const baseRequestUri = phpRawurlencode(site.homeUrl(requestPath, isSsl));

  // uksort( $params, 'strcmp' ) on the raw keys, then normalize_parameters().
  const sorted = params.entries().sort(([a], [b]) => strcmp(a, b));
  const normalized = new PhpArray();
  for (const [k, v] of sorted) normalized.set(phpRawurlencode(k), urlencodeValue(v));
  const queryString = joinWithEqualsSign(normalized).join('%26');
  return `${httpMethod.toUpperCase()}&${baseRequestUri}&${queryString}`;
}

/** check_oauth_signature(): undefined when the signature matches. */
export function checkOAuthSignature(consumerSecret: string, allParams: PhpArray, httpMethod: string, requestUri: string, isSsl: boolean, site: OAuthSite): WpError | undefined {
  const params = allParams.clone();
  const provided = params.get('oauth_signature');
  if (typeof provided !== 'string') {
    // str_replace() hands back an array and rawurldecode() then throws a TypeError in PHP 8.
    throw new PhpFatalError('rawurldecode(): Argument #1 ($string) must be of type string, array given');
  }
  const consumerSignature = phpRawurldecode(provided.replace(/ /g, '+'));
  params.delete('oauth_signature');

  const base = signatureBaseString(httpMethod, requestUri, isSsl, site, params);
  const method = params.get('oauth_signature_method');
  if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return wcAuthError(MESSAGES.signatureMethodInvalid);

  const algorithm = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  // Key: consumer_secret . '&' (no token secret, not percent-encoded). PHP strings are bytes.
  const key = Buffer.from(`${consumerSecret}&`, 'latin1');
  const expected = crypto.createHmac(algorithm, key).update(Buffer.from(base, 'latin1')).digest('base64');
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(consumerSignature, 'latin1');
  // hash_equals(): constant time for equal lengths, false otherwise.
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return wcAuthError(MESSAGES.signatureMismatch);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Timestamp and nonce.

/** PHP 8 is_numeric() for a string: optional surrounding whitespace, sign, decimal, exponent. */
function isPhpNumericString(s: string): boolean {
  return /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(s);
}

/** PHP 8 `$string <=> $int`: numeric strings compare as numbers, others as strings. */
function comparePhpStringToInt(s: string, n: number): number {
  if (isPhpNumericString(s)) {
    const v = Number(s.trim());
    return v < n ? -1 : v > n ? 1 : 0;
  }
  return strcmp(s, String(n));
}

/** The per-key nonce list WooCommerce keeps in wp_woocommerce_api_keys.nonces: timestamp → nonce. */
export class NonceStore {
  private readonly byKey = new Map<string, Map<string, string>>();

  /**
   * check_oauth_timestamp_and_nonce(): ±15 min around the server clock, then the nonce must not be
   * in this key's list; it is then stored under its timestamp (a second nonce with the same
   * timestamp replaces the first, as in PHP) and entries older than 15 minutes are dropped.
   */
  check(keyId: string, timestamp: PhpValue, nonce: PhpValue, serverNow: number): WpError | undefined {
    const oldest = serverNow - VALID_WINDOW_SECONDS;
    const newest = serverNow + VALID_WINDOW_SECONDS;
    if (typeof timestamp !== 'string') {
      // An array compares greater than any int in PHP: `$timestamp > time() + 900` is true.
      return wcAuthError(MESSAGES.timestampInvalid);
    }
    if (comparePhpStringToInt(timestamp, oldest) < 0 || comparePhpStringToInt(timestamp, newest) > 0) {
      return wcAuthError(MESSAGES.timestampInvalid);
    }
    const nonceText = typeof nonce === 'string' ? nonce : `\u0000array:${JSON.stringify(nonce.entries())}`;
    let used = this.byKey.get(keyId);
    if (!used) {
      used = new Map();
      this.byKey.set(keyId, used);
    }
    for (const value of used.values()) {
      if (value === nonceText) return wcAuthError(MESSAGES.nonceUsed);
    }
    used.set(timestamp, nonceText);
    for (const ts of [...used.keys()]) {
      if (comparePhpStringToInt(ts, oldest) < 0) used.delete(ts);
    }
    return undefined;
  }
}
