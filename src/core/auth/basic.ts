// The two HTTPS-only ways WooCommerce takes a consumer key and secret as they are (REFERENCE C.1
// step 2): HTTP Basic, and the `consumer_key` / `consumer_secret` query parameters. Over plain HTTP
// the server ignores both without a word (FACTS table), so callers should offer OAuth 1.0a there;
// these functions only build the request, they do not decide which method to use.
//
// Pure: no `vscode`, no I/O.

import { redactUrl } from '../redact';

/**
 * The `Authorization` header value for HTTP Basic: `Basic ` + base64(UTF-8 of `user:password`).
 * Works for a consumer key/secret pair and for a WordPress user with an application password.
 * WordPress only accepts the header when it matches `^Basic [a-z\d/+]*={0,2}$` (REFERENCE C.1,
 * wp_populate_basic_auth_from_authorization_header), which standard base64 always does.
 */
export function basicAuthorization(user: string, password: string): string {
  // RFC 7617: the user-id cannot hold a colon, the server would split the pair at it.
  if (user.includes(':')) {
    throw new Error('A Basic authentication user name cannot contain ":"; check that the consumer key or user name is not pasted with its secret.');
  }
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * REST Client's shorthands for an `Authorization` header written by hand (SPEC §3.8): `Basic user
 * pass word` (user, then the rest as the password) and `Basic user:pass` (split at the first colon,
 * RFC 7617, as §3.8 recommends) become the base64 form. Undefined for anything else (an encoded
 * value, another scheme), which is sent as written. `password` is the secret to mask in copies.
 */
export function expandBasicShorthand(value: string): { header: string; password: string } | undefined {
  const [scheme, user, ...args] = value.trim().split(/\s+/);
  if (!/^basic$/i.test(scheme ?? '') || user === undefined || user === '') return undefined;
  let name = user;
  let password: string;
  if (args.length > 0) {
    password = args.join(' ');
  } else {
    const colon = user.indexOf(':');
    if (colon < 0) return undefined; // already base64
    name = user.slice(0, colon);
    password = user.slice(colon + 1);
  }
  if (name.includes(':')) return undefined;
  return { header: `Basic ${Buffer.from(`${name}:${password}`, 'utf8').toString('base64')}`, password };
}

/** `Authorization: Basic user:pass` written by hand goes out base64-encoded, as REST Client sends it (SPEC §3.8). */
export function withBasicShorthands(headers: [string, string][], secrets: string[]): [string, string][] {
  return headers.map(([name, value]) => {
    if (name.toLowerCase() !== 'authorization') return [name, value];
    const expanded = expandBasicShorthand(value);
    if (!expanded) return [name, value];
    secrets.push(expanded.password);
    return [name, expanded.header];
  });
}

/**
 * The URL with `consumer_key` and `consumer_secret` query parameters (replacing any already there).
 * WooCommerce reads them from $_GET before looking at Basic credentials, which is also the way
 * around a server that strips the `Authorization` header (REFERENCE C.10 #1).
 *
 * The rest of the query is kept byte for byte: re-serialising it (as URLSearchParams would) could
 * change `+`, `%20` or bracket encoding the user wrote on purpose.
 */
export function withQueryCredentials(url: string, consumerKey: string, consumerSecret: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${redactUrl(url)}" is not an absolute URL, so the consumer key cannot be added to it.`);
  }
  const kept = parsed.search
    .slice(1)
    .split('&')
    .filter((token) => token !== '' && !isCredentialParam(token));
  const credentials = [
    `consumer_key=${encodeRfc3986(consumerKey)}`,
    `consumer_secret=${encodeRfc3986(consumerSecret)}`,
  ];
  parsed.search = [...kept, ...credentials].join('&');
  return parsed.href;
}

function isCredentialParam(token: string): boolean {
  const eq = token.indexOf('=');
  const name = eq < 0 ? token : token.slice(0, eq);
  let decoded: string;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    decoded = name;
  }
  return decoded === 'consumer_key' || decoded === 'consumer_secret';
}

/** encodeURIComponent plus `!'()*`, i.e. PHP's rawurlencode for UTF-8 text. */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}
