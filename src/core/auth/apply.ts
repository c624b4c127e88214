// Applies a store's credentials to a request, the way its auth method says, and reports exactly
// what it added (so the exchange view shows every header and parameter we put on the wire) and
// which values are secret (so every copy kept masks them).
//
// Pure: no `vscode`, no I/O. The caller fetched the secrets from SecretStorage (or, in the CLI,
// from the environment).

import { secretValues, type Store, type StoreSecrets } from '../store';
import { basicAuthorization, withQueryCredentials } from './basic';
import { signOAuth1 } from './oauth1';
import { claimTimes, decodeJwt } from './token-claims';
import { keyHint, redactText } from '../redact';

export interface PlainRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string | Uint8Array;
  /** Decoded fields of a form-encoded POST body: OAuth 1.0a signs them (REFERENCE C.6 step 3). */
  formFields?: [string, string][];
}

export interface AppliedAuth {
  request: PlainRequest;
  /** Every secret value now in the request: masked in the exchange, history and logs. */
  secrets: string[];
  /** What was added, in words, for the exchange view ("Authorization: Basic (consumer key …a1b2c3d)"). */
  added: string[];
  /** The OAuth 1.0a base string, when one was signed (it holds no secret). */
  oauthBaseString?: string;
  /** The request had its own Authorization header, so the store's credentials were not applied. */
  ownAuthorization?: boolean;
}

/**
 * A reason not to send: missing credentials, credentials that would leak, a store address the
 * user has not confirmed for its credentials, or a folder in Restricted Mode.
 */
export class AuthNotApplied extends Error {
  constructor(message: string, readonly code: 'missing-credentials' | 'cleartext-credentials' | 'header-conflict' | 'expired-token' | 'unconfirmed-address' | 'restricted-mode') {
    super(message);
  }
}

export interface ApplyOptions {
  /** For OAuth 1.0a tests. */
  timestamp?: number;
  nonce?: string;
  /** Send secrets over plain HTTP to a non-loopback host anyway (default false: refused). */
  allowCleartext?: boolean;
  /** Now, for bearer-token expiry. */
  now?: Date;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/**
 * The request with the store's credentials applied. A request that already carries an
 * `Authorization` header keeps it (the user wrote it on purpose) and gets nothing added.
 */
export function applyStoreAuth(req: PlainRequest, store: Store, secrets: StoreSecrets | undefined, options: ApplyOptions = {}): AppliedAuth {
  if (store.authMethod === 'none') return { request: req, secrets: [], added: [] };
  if (req.headers.some(([n]) => n.toLowerCase() === 'authorization')) {
    return { request: req, secrets: [], added: ['nothing: the request has its own Authorization header'], ownAuthorization: true };
  }
  const url = new URL(req.url);
  const s = secrets ?? {};
  const key = store.key?.truncatedKey ? `…${store.key.truncatedKey}` : s.consumerKey ? keyHint(s.consumerKey) : undefined;
  const needsKeys = store.authMethod === 'wc-basic' || store.authMethod === 'wc-query' || store.authMethod === 'wc-oauth1';
  if (needsKeys && (!s.consumerKey || !s.consumerSecret)) {
    throw new AuthNotApplied(`The store "${store.name}" has no consumer key and secret in SecretStorage. Run "WooCommerce: Edit Store" to enter them.`, 'missing-credentials');
  }
  const cleartext = url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !options.allowCleartext;

  switch (store.authMethod) {
    case 'wc-basic':
    case 'wc-query': {
      if (cleartext) {
        throw new AuthNotApplied(
          `Not sent: this would put the consumer secret of "${store.name}" in clear text on the network (${url.origin} is plain HTTP), and WooCommerce ignores keys sent that way over HTTP anyway. Use https://, or the OAuth 1.0a auth method, which signs instead of sending the secret.`,
          'cleartext-credentials');
      }
      if (store.authMethod === 'wc-basic') {
        return {
          request: { ...req, headers: [...req.headers, ['Authorization', basicAuthorization(s.consumerKey!, s.consumerSecret!)]] },
          secrets: [s.consumerKey!, s.consumerSecret!],
          added: [`Authorization: Basic with consumer key ${key}`],
        };
      }
      return {
        request: { ...req, url: withQueryCredentials(req.url, s.consumerKey!, s.consumerSecret!) },
        secrets: [s.consumerKey!, s.consumerSecret!],
        added: [`consumer_key (${key}) and consumer_secret query parameters`],
      };
    }
    case 'wc-oauth1': {
      const signed = signOAuth1({
        method: req.method,
        url: req.url,
        consumerKey: s.consumerKey!,
        consumerSecret: s.consumerSecret!,
        signatureMethod: store.options?.oauthSignatureMethod ?? 'HMAC-SHA256',
        homeUrl: store.options?.homeUrl,
        formFields: req.formFields,
        placement: 'query',
        timestamp: options.timestamp,
        nonce: options.nonce,
      });
      return {
        request: { ...req, url: signed.url },
        // The consumer key travels in clear by design (oauth_consumer_key); it is still masked in copies.
        secrets: [s.consumerKey!, s.consumerSecret!],
        added: [`OAuth 1.0a ${store.options?.oauthSignatureMethod ?? 'HMAC-SHA256'} signature in the query, consumer key ${key}`],
        // The base string holds the consumer key in clear: shown with its last 7 characters only.
        oauthBaseString: redactText(signed.baseString, [s.consumerKey!]),
      };
    }
    case 'app-password': {
      if (!store.username || !s.applicationPassword) {
        throw new AuthNotApplied(`The store "${store.name}" needs a WordPress user name and an application password. Run "WooCommerce: Edit Store" to enter them.`, 'missing-credentials');
      }
      if (cleartext) {
        throw new AuthNotApplied(`Not sent: this would put the application password of "${store.name}" in clear text on the network (${url.origin} is plain HTTP), and WordPress ignores application passwords over HTTP anyway. Use https://.`, 'cleartext-credentials');
      }
      return {
        request: { ...req, headers: [...req.headers, ['Authorization', basicAuthorization(store.username, s.applicationPassword)]] },
        secrets: [s.applicationPassword, s.applicationPassword.replace(/\s+/g, '')],
        added: [`Authorization: Basic with the application password of ${store.username}`],
      };
    }
    case 'bearer': {
      if (!s.bearerToken) {
        throw new AuthNotApplied(`The store "${store.name}" has no bearer token in SecretStorage. Run "WooCommerce: Edit Store" to enter it.`, 'missing-credentials');
      }
      if (cleartext) {
        throw new AuthNotApplied(`Not sent: this would put the bearer token of "${store.name}" in clear text on the network (${url.origin} is plain HTTP). Use https://.`, 'cleartext-credentials');
      }
      const expiry = jwtExpiry(s.bearerToken);
      if (expiry && expiry.getTime() <= (options.now ?? new Date()).getTime()) {
        throw new AuthNotApplied(`The bearer token of "${store.name}" expired at ${expiry.toISOString()}. Get a new token and save it with "WooCommerce: Edit Store".`, 'expired-token');
      }
      return {
        request: { ...req, headers: [...req.headers, ['Authorization', `Bearer ${s.bearerToken}`]] },
        secrets: [s.bearerToken],
        added: ['Authorization: Bearer token'],
      };
    }
    case 'jwt':
    case 'oauth2': {
      // The token manager (token-manager.ts) keeps the access token fresh before this runs; without
      // one (a caller that has none), the stored token goes as it is, unless it is known to be dead.
      const what = store.authMethod === 'jwt' ? 'JWT' : 'OAuth 2.0 access token';
      if (!s.accessToken) {
        throw new AuthNotApplied(`The store "${store.name}" has no ${what} yet: sign in to it ("Sign in again").`, 'missing-credentials');
      }
      if (cleartext) {
        throw new AuthNotApplied(`Not sent: this would put the ${what} of "${store.name}" in clear text on the network (${url.origin} is plain HTTP). Use https://.`, 'cleartext-credentials');
      }
      const expiry = tokenExpiry(store, s.accessToken);
      if (expiry && expiry.getTime() <= (options.now ?? new Date()).getTime()) {
        throw new AuthNotApplied(`The ${what} of "${store.name}" expired at ${expiry.toISOString()} and could not be renewed here: sign in again.`, 'expired-token');
      }
      return {
        request: { ...req, headers: [...req.headers, ['Authorization', `Bearer ${s.accessToken}`]] },
        secrets: secretValues(s),
        added: [`Authorization: Bearer ${what}${expiry ? ` (expires ${expiry.toISOString()})` : ''}`],
      };
    }
  }
}

/** The `exp` of a JWT, when the token is one and has it. */
export function jwtExpiry(token: string): Date | undefined {
  return claimTimes(decodeJwt(token)?.claims).expiresAt;
}

/** When a token store's access token expires: the token's own `exp`, else the expiry the token endpoint gave. */
export function tokenExpiry(store: Store, accessToken: string | undefined): Date | undefined {
  const fromClaims = accessToken ? jwtExpiry(accessToken) : undefined;
  if (fromClaims) return fromClaims;
  const at = store.token?.expiresAt ? Date.parse(store.token.expiresAt) : NaN;
  return Number.isNaN(at) ? undefined : new Date(at);
}
