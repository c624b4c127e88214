// A store is a WooCommerce site the user registered. This type holds only what may be shared
// (settings, git): every secret lives in SecretStorage keyed by the store's id (see secrets.ts).

import { trimTrailingSlashes } from './url-text';

export type AuthMethod =
  | 'wc-basic' //        consumer key + secret in an Authorization: Basic header (HTTPS only)
  | 'wc-query' //        consumer key + secret in the query string (HTTPS; the fix for stripped headers)
  | 'wc-oauth1' //       OAuth 1.0a one-legged signature (the only key method that works over HTTP)
  | 'app-password' //    WordPress application password, Basic user:password (HTTPS only)
  | 'bearer' //          a token for JWT / OAuth 2.0 plugins
  | 'none';

export const AUTH_METHODS: readonly AuthMethod[] = ['wc-basic', 'wc-query', 'wc-oauth1', 'app-password', 'bearer', 'none'];

/** The auth method in words, for pickers, the Stores view and the runner panel. */
export function authLabel(method: AuthMethod | string): string {
  switch (method) {
    case 'wc-basic': return 'Consumer key, HTTP Basic';
    case 'wc-query': return 'Consumer key in the query string';
    case 'wc-oauth1': return 'Consumer key, OAuth 1.0a signature';
    case 'app-password': return 'WordPress application password';
    case 'bearer': return 'Bearer token';
    default: return 'No credentials';
  }
}

export interface StoreOptions {
  /** TLS certificate verification; only a local store with a self-signed certificate turns it off. */
  verifyTls?: boolean;
  /** A PEM file of a certificate authority to trust for this store (the sandbox store's own certificate). */
  caCertificateFile?: string;
  /** REST prefix when the site changed `rest_url_prefix` (default `wp-json`). */
  restPrefix?: string;
  /** WooCommerce REST API version path (default `wc/v3`). */
  apiVersion?: string;
  /** The Home URL WordPress reports in /wp-json/, used for OAuth base strings. */
  homeUrl?: string;
  /** OAuth 1.0a signature method (default HMAC-SHA256). */
  oauthSignatureMethod?: 'HMAC-SHA1' | 'HMAC-SHA256';
}

export interface KeyMetadata {
  /** The last 7 characters of the consumer key, as WooCommerce shows them (truncated_key). */
  truncatedKey?: string;
  permissions?: 'read' | 'write' | 'read_write';
  createdAt?: string;
  rotatedAt?: string;
  expiresAt?: string;
}

export interface Store {
  id: string;
  name: string;
  baseUrl: string;
  authMethod: AuthMethod;
  options?: StoreOptions;
  key?: KeyMetadata;
  /** The user login for application passwords (not a secret). */
  username?: string;
}

/** The secret half of a store's credentials. Never serialised outside SecretStorage. */
export interface StoreSecrets {
  consumerKey?: string;
  consumerSecret?: string;
  applicationPassword?: string;
  bearerToken?: string;
}

/**
 * Whether a request to `url` may carry the store's credentials: its host is the host of the store's
 * base URL or of its Home URL. Scheme and port may differ (http and https of one site, the sandbox
 * store's two ports); another host never gets them, whatever a `.http` file or a pasted URL says.
 */
export function isStoreHost(url: string, store: Store): boolean {
  const host = hostOf(url);
  return host !== undefined && (host === hostOf(store.baseUrl) || host === hostOf(store.options?.homeUrl));
}

/** What the exchange says was added when `isStoreHost` kept the credentials out. */
export function credentialsWithheld(url: string, store: Store): string {
  return `nothing: ${hostOf(url) ?? 'that URL'} is not the address of store "${store.name}" (${store.baseUrl}${store.options?.homeUrl ? `, Home URL ${store.options.homeUrl}` : ''}), so its credentials stay out`;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The store's base URL moved onto `target`'s scheme and host, its own path kept (a store in a
 * sub-directory stays there): what the "Send to the Home URL" fix does to a store whose requests
 * use {{$store.url}}.
 */
export function rebasedStoreUrl(store: Store, target: string): string {
  const to = new URL(target);
  return `${to.origin}${trimTrailingSlashes(new URL(store.baseUrl).pathname)}`;
}

/** Validates one entry of the `wooApiStudio.stores` setting; returns a sentence per problem. */
export function storeProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['A store entry must be an object.'];
  const s = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof s.id !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(s.id)) problems.push('A store needs an "id" of letters, digits, ".", "_" or "-".');
  if (typeof s.name !== 'string' || s.name.trim() === '') problems.push(`Store "${String(s.id)}" needs a "name".`);
  if (typeof s.baseUrl !== 'string' || !/^https?:\/\/[^/\s]+/i.test(s.baseUrl)) problems.push(`Store "${String(s.id)}" needs a "baseUrl" that starts with https:// or http://.`);
  if (typeof s.authMethod !== 'string' || !AUTH_METHODS.includes(s.authMethod as AuthMethod)) {
    problems.push(`Store "${String(s.id)}" has an unknown "authMethod"; use one of ${AUTH_METHODS.join(', ')}.`);
  }
  return problems;
}

/** Keeps the valid store entries of a settings value and reports the others. */
export function readStores(value: unknown): { stores: Store[]; problems: string[] } {
  if (value === undefined || value === null) return { stores: [], problems: [] };
  if (!Array.isArray(value)) return { stores: [], problems: ['The "wooApiStudio.stores" setting must be a list of stores.'] };
  const stores: Store[] = [];
  const problems: string[] = [];
  for (const entry of value) {
    const p = storeProblems(entry);
    if (p.length === 0) stores.push(entry as Store);
    else problems.push(...p);
  }
  return { stores, problems };
}
