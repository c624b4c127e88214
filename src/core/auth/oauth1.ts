// OAuth 1.0a one-legged signing, exactly as WooCommerce verifies it.
//
// The server side is `WC_REST_Authentication::check_oauth_signature()` (REFERENCE C.6). It does not
// sign "the URL the client used": it signs what PHP parsed out of the request ($_GET, $_POST, the
// `Authorization: OAuth` header) against a base URL rebuilt from the Home URL option. So instead of
// a generic RFC 5849 signer, this module builds the wire query first, then parses that very string
// the way PHP would, and normalises the result the way WooCommerce does. Whatever goes on the wire
// is therefore exactly what is signed, even for odd input (nested keys, duplicates, `+`, bytes that
// are not UTF-8).
//
// Strings that model PHP strings are "binary strings": one JS char per byte (latin1), so byte-wise
// rawurlencode and strcmp are reproduced exactly. Conversions happen only at the edges.
//
// Pure: no `vscode`, no I/O. `node:crypto` only for HMAC and the nonce.

import { createHmac, randomInt } from 'node:crypto';
import { redactUrl } from '../redact';
import { trimTrailingSlashes } from '../url-text';

export type OAuthSignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

export interface OAuth1Input {
  /** HTTP method. Upper-cased for the base string, as WooCommerce does with REQUEST_METHOD. */
  method: string;
  /** The URL that will go on the wire (may already have a query). */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** Default 'HMAC-SHA256'. The server accepts only these two (REFERENCE C.2). */
  signatureMethod?: OAuthSignatureMethod;
  /**
   * The store's Home URL as the REST index (`/wp-json/`, field `home`) reports it. When given, its
   * scheme, host, port and base path replace the request's in the base string, because the server
   * signs `get_home_url(null, $request_path, is_ssl() ? 'https' : 'http')` (REFERENCE C.6 step 4):
   * host from the Home URL option, never from the Host header. The request path below the home path
   * is kept raw. Used verbatim (no lower-casing, no default-port stripping), like WordPress's
   * `set_url_scheme()`; only trailing slashes are dropped (see `homeForBase`).
   *
   * The scheme signed is the one of `is_ssl()`: `http` for a request sent over plain HTTP, whatever
   * the option says; over https, the scheme of this Home URL, because the index's `home` is built
   * with `is_ssl() ? 'https' : <option's scheme>`, so an `http://` home read over https means
   * is_ssl() was false (TLS ended at a proxy). The one case the index cannot reveal over https
   * (option https, is_ssl() false) needs `serverScheme`.
   */
  homeUrl?: string;
  /**
   * The scheme the server's `is_ssl()` yields, when known to differ from the scheme of `homeUrl`
   * (or of `url` when there is no homeUrl): e.g. 'http' for a store behind a TLS-terminating proxy
   * that does not pass X-Forwarded-Proto on (REFERENCE C.10 #2, FACTS "what follows" 4).
   */
  serverScheme?: 'http' | 'https';
  /**
   * Decoded fields of an application/x-www-form-urlencoded or multipart POST body (files excluded,
   * they go to $_FILES). Signed ONLY when the method is POST, because WooCommerce reads $_POST and
   * PHP fills $_POST for POST alone (REFERENCE C.6 step 3). Never pass a JSON body: it is not signed.
   */
  formFields?: [string, string][];
  /** Default 'query': works even where the server strips `Authorization` (FACTS table). */
  placement?: 'query' | 'header';
  /** Injectable for tests. Default: now, in seconds. */
  timestamp?: number;
  /** Injectable for tests. Default: 32 random alphanumerics (REFERENCE C.6 step 9). */
  nonce?: string;
}

export interface OAuth1Result {
  /**
   * The wire URL: the request's own query normalised (see `normaliseWireQuery`) plus the oauth_*
   * params when placement is 'query'. The fragment is dropped (it never goes on the wire).
   */
  url: string;
  /** `OAuth oauth_consumer_key="…", …` when placement is 'header'. */
  authorizationHeader?: string;
  /** Exactly what was signed. Safe to show: it contains no secret. */
  baseString: string;
  signature: string;
  /** In wire order, including oauth_signature (raw values, not percent-encoded). */
  oauthParams: [string, string][];
}

/** The params this signer sets; a stale copy in the request's query is dropped, not signed twice. */
const OWN_OAUTH_PARAMS = new Set([
  'oauth_consumer_key',
  'oauth_nonce',
  'oauth_signature',
  'oauth_signature_method',
  'oauth_timestamp',
]);

export function signOAuth1(input: OAuth1Input): OAuth1Result {
  return signSimpleQuery(input) ?? signOAuth1Generic(input);
}

/**
 * The whole procedure: whatever the query holds (nested keys, duplicates, integer keys, mangled
 * names, a form body), it is built, parsed as PHP parses it and normalised as WooCommerce does.
 * `signOAuth1` takes a shortcut for the common simple query that gives the same result (a unit
 * test compares the two on thousands of generated requests).
 */
export function signOAuth1Generic(input: OAuth1Input): OAuth1Result {
  const method = input.method.trim().toUpperCase();
  const signatureMethod = input.signatureMethod ?? 'HMAC-SHA256';
  const placement = input.placement ?? 'query';
  assertInput(input, method, signatureMethod);

  const requestUrl = parseRequestUrl(input.url);
  const userQuery = normaliseWireQuery(requestUrl.search.slice(1));

  const unsigned: [string, string][] = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', input.nonce ?? newNonce()],
    ['oauth_signature_method', signatureMethod],
    ['oauth_timestamp', String(input.timestamp ?? Math.floor(Date.now() / 1000))],
  ];

  // What PHP will see: $_GET from the wire query, $_POST from the form body on POST only, then
  // array_merge($_GET, $_POST) overlaid with the header's oauth params (REFERENCE C.6 step 3).
  // oauth_signature is left out, as the server unsets it before signing (C.6 step 5a).
  const getQuery = placement === 'query' ? joinQuery(userQuery, encodeOAuthQuery(unsigned)) : userQuery;
  const get = parsePhpQuery(getQuery);
  const post = method === 'POST' && input.formFields ? parsePhpFields(input.formFields) : newPhpArray();
  const header = placement === 'header' ? parsePhpFields(unsigned) : newPhpArray();
  const params = phpArrayMerge(phpArrayMerge(get, post), header);

  const baseUrl = signedBaseUrl(requestUrl, input.homeUrl, input.serverScheme);
  const baseString = `${method}&${rawUrlEncode(utf8ToBinary(baseUrl))}&${normalisedParameterString(params)}`;
  const signature = hmacBase64(signatureMethod, baseString, input.consumerSecret);
  const oauthParams: [string, string][] = [...unsigned, ['oauth_signature', signature]];

  const wire = new URL(requestUrl.href);
  wire.hash = '';
  if (placement === 'query') {
    wire.search = joinQuery(userQuery, encodeOAuthQuery(oauthParams));
    return { url: wire.href, baseString, signature, oauthParams };
  }
  wire.search = userQuery;
  return { url: wire.href, authorizationHeader: oauthHeader(oauthParams), baseString, signature, oauthParams };
}

// ---------------------------------------------------------------------------------------------
// The shortcut. Nearly every request signs a flat query of plain names (`per_page=10&page=2`):
// there PHP's parsing is the identity on names, so $_GET is the decoded pairs plus the oauth
// params, nothing is nested, merged or renumbered, and the whole build-parse-normalise round trip
// reduces to sorting and encoding. Signing runs once per request, so the send benchmark shows it.

/** A name PHP keeps as it is and never takes for an integer key: no '.', ' ', '[', '%', '+', leading digit. */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The decoded name/value pairs of a query the shortcut can sign, in wire order; undefined when the
 * query needs the generic path (a name that is not plain, a token without '=', a repeated name, an
 * oauth_ parameter of our own, or so many parameters that PHP's max_input_vars would matter).
 */
export function simpleQueryPairs(rawQuery: string): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  if (rawQuery === '') return pairs;
  const seen = new Set<string>();
  for (const token of rawQuery.split('&')) {
    if (token === '') continue; // strtok: empty tokens vanish
    const eq = token.indexOf('=');
    if (eq <= 0) return undefined;
    const name = token.slice(0, eq);
    if (!PLAIN_NAME.test(name) || OWN_OAUTH_PARAMS.has(name) || seen.has(name)) return undefined;
    seen.add(name);
    pairs.push([name, phpUrlDecode(token.slice(eq + 1))]);
  }
  return pairs.length > 500 ? undefined : pairs;
}

function signSimpleQuery(input: OAuth1Input): OAuth1Result | undefined {
  if ((input.placement ?? 'query') !== 'query') return undefined;
  const method = input.method.trim().toUpperCase();
  if (method === 'POST' && input.formFields?.length) return undefined;
  let requestUrl: URL;
  try {
    requestUrl = new URL(input.url);
  } catch {
    return undefined; // the generic path says what is wrong
  }
  if ((requestUrl.protocol !== 'http:' && requestUrl.protocol !== 'https:') || requestUrl.username !== '' || requestUrl.password !== '') return undefined;
  const user = simpleQueryPairs(requestUrl.search.slice(1));
  if (!user) return undefined;
  const signatureMethod = input.signatureMethod ?? 'HMAC-SHA256';
  assertInput(input, method, signatureMethod);

  const unsigned: [string, string][] = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', input.nonce ?? newNonce()],
    ['oauth_signature_method', signatureMethod],
    ['oauth_timestamp', String(input.timestamp ?? Math.floor(Date.now() / 1000))],
  ];
  // Plain names are distinct and none is an oauth param, so every key below is unique.
  user.sort((a, b) => compareBinary(a[0], b[0]));
  const params: [string, string][] = [...user, ...unsigned.map(([k, v]): [string, string] => [k, utf8ToBinary(v)])];
  params.sort((a, b) => compareBinary(a[0], b[0]));
  // join_with_equals_sign() on flat values: rawurlencode("key=" . rawurlencode(value)); plain names encode to themselves.
  let normalised = '';
  for (const [k, v] of params) normalised += `${normalised === '' ? '' : '%26'}${rawUrlEncode(`${k}=${rawUrlEncode(v)}`)}`;

  const baseUrl = signedBaseUrl(requestUrl, input.homeUrl, input.serverScheme);
  const baseString = `${method}&${rawUrlEncode(utf8ToBinary(baseUrl))}&${normalised}`;
  const signature = hmacBase64(signatureMethod, baseString, input.consumerSecret);
  const oauthParams: [string, string][] = [...unsigned, ['oauth_signature', signature]];
  const userQuery = user.map(([k, v]) => `${k}=${rawUrlEncode(v)}`).join('&');
  // Everything in the query is rawurlencoded or a plain name: the URL serialiser would change none of it.
  const url = `${requestUrl.origin}${requestUrl.pathname}?${joinQuery(userQuery, encodeOAuthQuery(oauthParams))}`;
  return { url, baseString, signature, oauthParams };
}

// ---------------------------------------------------------------------------------------------
// Input checks: fail early with a sentence rather than send a request the server must refuse.

function assertInput(input: OAuth1Input, method: string, signatureMethod: string): void {
  // RFC 9110 token characters; WooCommerce itself knows only the usual seven (REFERENCE C.2).
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Z]+$/.test(method)) {
    throw new Error(`"${input.method}" is not an HTTP method, so the request cannot be signed.`);
  }
  // An empty value counts as missing on the server ("Missing OAuth parameter", REFERENCE C.2).
  if (input.consumerKey === '' || input.consumerSecret === '') {
    throw new Error('The consumer key and consumer secret are both needed to sign with OAuth 1.0a.');
  }
  if (signatureMethod !== 'HMAC-SHA1' && signatureMethod !== 'HMAC-SHA256') {
    throw new Error(`WooCommerce accepts only HMAC-SHA1 and HMAC-SHA256, not "${signatureMethod}".`);
  }
  if (input.nonce !== undefined && input.nonce === '') {
    throw new Error('The OAuth nonce must not be empty.');
  }
}

function parseRequestUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Error messages end up in logs: the URL may carry credentials in its query.
    throw new Error(`"${redactUrl(url)}" is not an absolute URL, so the request cannot be signed.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`Only http and https URLs can be signed, not "${parsed.protocol}".`);
  }
  return parsed;
}

function newNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let nonce = '';
  for (let i = 0; i < 32; i++) nonce += alphabet[randomInt(alphabet.length)];
  return nonce;
}

function hmacBase64(method: OAuthSignatureMethod, baseString: string, consumerSecret: string): string {
  // The key is the raw secret plus '&' (no token secret, not percent-encoded: C.6 step 6).
  const algorithm = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return createHmac(algorithm, `${consumerSecret}&`).update(baseString, 'latin1').digest('base64');
}

// ---------------------------------------------------------------------------------------------
// Base URL (REFERENCE C.6 step 4):
//   $request_path = path of REQUEST_URI;  $wp_base = get_home_url(null, '/', 'relative');
//   strip $wp_base from the front of $request_path when it is there;
//   rawurlencode(get_home_url(null, $request_path, is_ssl() ? 'https' : 'http'))
// get_home_url() appends '/' . ltrim($path, '/') only when $path is not empty, so a request for the
// home root itself is signed without its trailing slash.

/** The base URL WooCommerce signs for a request to `url` (no secret in it): for commands that sign later. */
export function oauth1BaseUrl(url: string, homeUrl?: string, serverScheme?: 'http' | 'https'): string {
  return signedBaseUrl(parseRequestUrl(url), homeUrl, serverScheme);
}

function signedBaseUrl(request: URL, homeUrl: string | undefined, serverScheme?: 'http' | 'https'): string {
  // Without a Home URL, the request's own origin stands in for it. The result is then what the server
  // computes whenever the request's scheme and host are the store's: any sub-directory is part of
  // the path either way.
  const home = homeForBase(homeUrl ?? `${request.protocol}//${request.host}`);
  // is_ssl() is false for a request that reaches the server over plain HTTP, whatever the Home URL
  // option's scheme (an https:// option still signs http:// then: FACTS point 4). Over https the
  // index's Home URL tells (an http:// one there means TLS ended at a proxy).
  const scheme = serverScheme ?? (request.protocol === 'http:' ? 'http' : home.scheme);
  const homeBase = `${home.path}/`;
  // The raw path as it goes on the wire: WHATWG serialisation is what undici sends.
  let path = phpRequestPath(request.pathname);
  if (path.startsWith(homeBase)) path = path.slice(homeBase.length);
  const tail = path === '' ? '' : `/${path.replace(/^\/+/, '')}`;
  return `${scheme}://${home.authority}${home.path}${tail}`;
}

interface HomeParts {
  scheme: string;
  authority: string;
  /** '' or '/sub/dir', no trailing slash. */
  path: string;
}

function homeForBase(homeUrl: string): HomeParts {
  // WordPress stores the Home URL without a trailing slash; a hand-typed one is far more likely
  // than a stored one, so it is dropped (a stored one would make WordPress sign '//').
  const match = /^(\w+):\/\/([^/?#]*)([^?#]*)$/.exec(homeUrl.trim());
  if (!match || match[2] === '') {
    throw new Error(`"${homeUrl}" is not a Home URL like https://example.com or https://example.com/shop.`);
  }
  const [, scheme = '', authority = '', rawPath = ''] = match;
  // get_home_url(null, '/', 'relative') yields '/' . ltrim($path, "/ \t\n\r\0\x0B") . '/'.
  const path = trimTrailingSlashes(rawPath).replace(/^[/ \t\n\r\0\v]+/, '');
  return { scheme: scheme.toLowerCase(), authority, path: path === '' ? '' : `/${path}` };
}

/**
 * wp_parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) on the wire path. A path starting with '//'
 * is read by PHP as '//host/path', so its first segment is not part of the signed path.
 */
function phpRequestPath(pathname: string): string {
  if (!pathname.startsWith('//')) return pathname;
  const slash = pathname.indexOf('/', 2);
  return slash < 0 ? '' : pathname.slice(slash);
}

// ---------------------------------------------------------------------------------------------
// Wire query.
//
// The request's own query is re-serialised the way WooCommerce's official JS library does (D.4):
// pairs sorted by decoded key, values RFC 3986-encoded so a `+` that meant a space becomes %20,
// literal `[` `]` kept in keys. The signature would be right without this (the server's view is
// computed from the string we send), but:
//  - sorted pairs make PHP's insertion order of nested keys (`filter[q]`, `filter[limit]`), which
//    WooCommerce does NOT re-sort (C.6 step 5d), equal to lexical order, so an intermediary that
//    sorts query strings cannot break the signature, and base strings read the same as the
//    official library's;
//  - %20 instead of `+` removes the `+`-vs-space ambiguity some proxies get wrong (C.6 step 11).
// The sort is stable, so repeated keys (`a[]=1&a[]=2`, or PHP's last-wins duplicates) keep their
// order. Keys PHP would also mangle to the same name (`a.b` vs `a_b`) may swap; what is signed is
// still exactly what is sent.

interface QueryPair {
  name: string; // binary string, decoded
  value: string | undefined; // binary string, decoded; undefined when the token had no '='
}

function normaliseWireQuery(rawQuery: string): string {
  const pairs = splitQuery(rawQuery)
    .map(toQueryPair)
    .filter((pair) => !OWN_OAUTH_PARAMS.has(phpVariableBaseName(pair.name)));
  const sorted = pairs
    .map((pair, index) => ({ pair, index }))
    .sort((a, b) => compareBinary(a.pair.name, b.pair.name) || a.index - b.index)
    .map(({ pair }) => pair);
  return sorted
    .map(({ name, value }) => (value === undefined ? encodeQueryKey(name) : `${encodeQueryKey(name)}=${rawUrlEncode(value)}`))
    .join('&');
}

/** PHP splits with strtok on '&': empty tokens vanish. */
function splitQuery(rawQuery: string): string[] {
  return rawQuery.split('&').filter((token) => token !== '');
}

function toQueryPair(token: string): QueryPair {
  const eq = token.indexOf('=');
  return eq < 0
    ? { name: phpUrlDecode(token), value: undefined }
    : { name: phpUrlDecode(token.slice(0, eq)), value: phpUrlDecode(token.slice(eq + 1)) };
}

function encodeQueryKey(name: string): string {
  // PHP decodes the key before it looks for brackets, so `[` and %5B mean the same; literal brackets
  // keep the URL readable (D.4 does the same).
  return rawUrlEncode(name).replace(/%5B/g, '[').replace(/%5D/g, ']');
}

function encodeOAuthQuery(params: [string, string][]): string {
  // A base64 signature holds `+`, `/` and `=`: percent-encoded, PHP's urldecode gives them back
  // unchanged (the server also tolerates a raw `+` turned into a space, C.6 step 7).
  return params.map(([k, v]) => `${k}=${rawUrlEncode(utf8ToBinary(v))}`).join('&');
}

function joinQuery(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a}&${b}`;
}

function oauthHeader(params: [string, string][]): string {
  // WooCommerce's parse_header() wants the exact prefix 'OAuth ' and urldecode()s each value
  // (C.6 step 3), so values are percent-encoded as RFC 5849 section 3.5.1 says.
  return `OAuth ${params.map(([k, v]) => `${k}="${rawUrlEncode(utf8ToBinary(v))}"`).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// WooCommerce's normalisation (REFERENCE C.6 step 5), on PHP's parsed params:
//   uksort($params, 'strcmp');                        top-level keys only, raw decoded bytes
//   normalize_parameters(): rawurlencode(array_keys) and rawurlencode(values), recursively for
//     arrays through array_map, which keeps nested keys as they are (NOT encoded at this stage)
//   join_with_equals_sign(): nested keys become $key . '%5B' . $sub . '%5D' in insertion order;
//     each "key=value" string is rawurlencoded once more; pieces joined with '%26'.
// So a top-level key and every value are encoded twice, a nested key once: `filter[a b]=x y`
// signs as `filter%255Ba%20b%255D%3Dx%2520y`. wc_rest_urlencode_rfc3986 is rawurlencode (its
// '+'/'%7E' replacements never fire on rawurlencode output).

function normalisedParameterString(params: PhpArray): string {
  const pieces: string[] = [];
  const keys = [...params.entries.keys()].sort(compareBinary);
  for (const key of keys) {
    const value = params.entries.get(key) as PhpValue;
    joinWithEqualsSign([[rawUrlEncode(key), encodeValues(value)]], '', pieces);
  }
  return pieces.join('%26');
}

type EncodedValue = string | Array<[string, EncodedValue]>;

function encodeValues(value: PhpValue): EncodedValue {
  if (typeof value === 'string') return rawUrlEncode(value);
  return [...value.entries].map(([k, v]): [string, EncodedValue] => [k, encodeValues(v)]);
}

function joinWithEqualsSign(params: Array<[string, EncodedValue]>, prefix: string, out: string[]): void {
  for (const [key, value] of params) {
    // `if ( $key )` in PHP: '' and '0' are false, so the children of a top-level key 0 (a numeric
    // key renumbered by array_merge) lose their prefix. Reproduced, not corrected.
    const fullKey = isPhpTruthy(prefix) ? `${prefix}%5B${key}%5D` : key;
    if (typeof value === 'string') out.push(rawUrlEncode(`${fullKey}=${value}`));
    else joinWithEqualsSign(value, fullKey, out);
  }
}

function isPhpTruthy(s: string): boolean {
  return s !== '' && s !== '0';
}

// ---------------------------------------------------------------------------------------------
// PHP arrays and request-variable parsing, as PHP 8.2 fills $_GET / $_POST
// (main/php_variables.c: php_default_treat_data, php_register_variable_ex). Why it matters: the
// server signs the *parsed* arrays, so duplicates collapse (last wins), `a[]` appends, numeric keys
// become integers (and array_merge renumbers them), and `.`/space in a name become `_`.

type PhpValue = string | PhpArray;

interface PhpArray {
  /** Insertion-ordered; updating a key keeps its place, as in PHP. Integer keys in decimal. */
  entries: Map<string, PhpValue>;
  /** nNextFreeElement: PHP < 8.3 never lets it go below 0. */
  nextIndex: bigint;
}

function newPhpArray(): PhpArray {
  return { entries: new Map(), nextIndex: 0n };
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** ZEND_HANDLE_NUMERIC_STR: canonical decimal integers within zend_long are integer keys. */
function phpIntKey(key: string): bigint | undefined {
  if (!/^(0|-?[1-9][0-9]*)$/.test(key)) return undefined;
  const n = BigInt(key);
  return n >= LONG_MIN && n <= LONG_MAX ? n : undefined;
}

function phpSet(array: PhpArray, key: string, value: PhpValue): void {
  array.entries.set(key, value);
  const n = phpIntKey(key);
  if (n !== undefined && n >= array.nextIndex) array.nextIndex = n < LONG_MAX ? n + 1n : LONG_MAX;
}

function phpAppend(array: PhpArray, value: PhpValue): void {
  const key = array.nextIndex.toString();
  if (array.entries.has(key)) return; // next index exhausted: PHP drops the value
  phpSet(array, key, value);
}

/** Like the `[index]` step of php_register_variable_ex: an existing scalar is replaced in place. */
function phpChildArray(array: PhpArray, key: string | undefined): PhpArray {
  if (key === undefined) {
    const child = newPhpArray();
    phpAppend(array, child);
    return child;
  }
  const existing = array.entries.get(key);
  if (existing !== undefined && typeof existing !== 'string') return existing;
  const child = newPhpArray();
  phpSet(array, key, child);
  return child;
}

/** array_merge(): string keys overwrite (keeping the first position), integer keys are renumbered. */
function phpArrayMerge(a: PhpArray, b: PhpArray): PhpArray {
  const merged = newPhpArray();
  for (const source of [a, b]) {
    for (const [key, value] of source.entries) {
      if (phpIntKey(key) !== undefined) phpAppend(merged, value);
      else phpSet(merged, key, value);
    }
  }
  return merged;
}

const MAX_INPUT_VARS = 1000; // php.ini default
const MAX_INPUT_NESTING_LEVEL = 64; // php.ini default

/** $_GET from a raw (still percent-encoded) query string. */
function parsePhpQuery(rawQuery: string): PhpArray {
  const array = newPhpArray();
  const tokens = splitQuery(rawQuery).slice(0, MAX_INPUT_VARS);
  for (const token of tokens) {
    const { name, value } = toQueryPair(token);
    registerVariable(array, name, value ?? '');
  }
  return array;
}

/** $_POST (or header params) from already-decoded fields. */
function parsePhpFields(fields: [string, string][]): PhpArray {
  const array = newPhpArray();
  for (const [name, value] of fields.slice(0, MAX_INPUT_VARS)) {
    registerVariable(array, utf8ToBinary(name), utf8ToBinary(value));
  }
  return array;
}

/** The part of a variable name before `[`, as PHP mangles it. */
function phpVariableBaseName(name: string): string {
  const trimmed = cString(name).replace(/^ +/, '');
  const bracket = trimmed.indexOf('[');
  return (bracket < 0 ? trimmed : trimmed.slice(0, bracket)).replace(/[ .]/g, '_');
}

function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function isCSpace(ch: string | undefined): boolean {
  return ch !== undefined && ' \t\n\v\f\r'.includes(ch);
}

/** php_register_variable_ex(), step by step. `name` and `value` are binary strings. */
function registerVariable(track: PhpArray, rawName: string, value: string): void {
  const name = cString(rawName).replace(/^ +/, ''); // names are C strings; leading spaces ignored
  const bracket = name.indexOf('[');
  const base = phpVariableBaseName(name);
  // Cookie-prefix protection: a name that only became __Host-/__Secure- by mangling is dropped.
  for (const prefix of ['__Host-', '__Secure-']) {
    if (base.startsWith(prefix) && !name.startsWith(prefix)) return;
  }
  if (base === '') return;
  if (bracket < 0) {
    phpSet(track, base, value);
    return;
  }

  let table = track;
  let index: string | undefined = base; // undefined = `[]`, append
  let ip = bracket; // at a '['
  for (let level = 1; ; level++) {
    if (level > MAX_INPUT_NESTING_LEVEL) {
      track.entries.delete(base); // PHP drops the whole variable
      return;
    }
    ip++;
    const indexStart = ip;
    if (isCSpace(name[ip])) ip++;
    let nextIndex: string | undefined;
    if (name[ip] === ']') {
      nextIndex = undefined;
    } else {
      const close = name.indexOf(']', ip);
      if (close < 0) {
        // "not an index": at the top level the '[' becomes '_' and the rest of the name is mangled;
        // deeper down the unterminated part is ignored.
        if (level === 1) index = `${base}_${name.slice(indexStart).replace(/[ .[]/g, '_')}`;
        break;
      }
      nextIndex = name.slice(indexStart, close);
      ip = close;
    }
    table = phpChildArray(table, index);
    index = nextIndex;
    ip++;
    if (name[ip] !== '[') break; // anything after the last ']' is ignored
  }
  if (index === undefined) phpAppend(table, value);
  else phpSet(table, index, value);
}

// ---------------------------------------------------------------------------------------------
// Byte-level helpers on binary strings.

function utf8ToBinary(s: string): string {
  // ASCII is its own UTF-8: no copy (most keys, values, nonces and URLs are ASCII).
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
  return /^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

/** PHP's urldecode(): '+' is a space, %XX a byte, a malformed '%' stays literal. */
function phpUrlDecode(s: string): string {
  return utf8ToBinary(s).replace(/\+|%([0-9A-Fa-f]{2})/g, (match, hex: string | undefined) =>
    hex === undefined ? ' ' : String.fromCharCode(parseInt(hex, 16)),
  );
}

/** PHP's rawurlencode() (RFC 3986): everything but A-Z a-z 0-9 - _ . ~ becomes %XX (upper-case). */
function rawUrlEncode(binary: string): string {
  // Signing encodes every parameter three times over: the common all-unreserved string is returned
  // as it is, the rest goes through a byte table (the signing cost showed in the send benchmark).
  if (UNRESERVED_ONLY.test(binary)) return binary;
  let out = '';
  for (let i = 0; i < binary.length; i++) out += RAW_URL_ENCODED[binary.charCodeAt(i) & 0xff];
  return out;
}

const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;
const RAW_URL_ENCODED: readonly string[] = Array.from({ length: 256 }, (_, code) => {
  const ch = String.fromCharCode(code);
  return /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
});

/** strcmp() on bytes: JS compares UTF-16 code units, which for binary strings are the bytes. */
function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
