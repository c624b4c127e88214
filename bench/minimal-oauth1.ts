// The least code that signs a WooCommerce OAuth 1.0a GET: the bare-undici baseline of the send
// benchmark signs with this, so "ours vs bare undici" compares the same work (one HMAC-SHA256 per
// request, a fresh nonce each time) with and without our abstractions.
//
// It is RFC 5849 one-legged signing with the parameters in the query. It is right for the plain URLs
// the benchmark sends (no repeated keys, no `[]`, no form body); it knows none of the PHP rules
// src/core/auth/oauth1.ts follows for the general case. Not for use outside the benchmark.

import { createHmac, randomBytes } from 'node:crypto';

/** encodeURIComponent plus `!'()*`: RFC 3986, as OAuth 1.0a wants. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The URL to GET: `baseUrl` (scheme, host, port, path; no query) with `query` and the oauth_*
 * parameters, signed with HMAC-SHA256.
 */
export function signGetUrl(baseUrl: string, query: [string, string][], consumerKey: string, consumerSecret: string): string {
  const params: [string, string][] = [
    ...query,
    ['oauth_consumer_key', consumerKey],
    ['oauth_nonce', randomBytes(16).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', String(Math.floor(Date.now() / 1000))],
  ];
  const encoded = params.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort();
  const paramString = encoded.join('&');
  const baseString = `GET&${rfc3986(baseUrl)}&${rfc3986(paramString)}`;
  const signature = createHmac('sha256', `${consumerSecret}&`).update(baseString).digest('base64');
  return `${baseUrl}?${paramString}&oauth_signature=${rfc3986(signature)}`;
}
