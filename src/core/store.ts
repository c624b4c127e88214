// A store is a WooCommerce site the user registered. This type holds only what may be shared
// (settings, git): every secret lives in SecretStorage keyed by the store's id (see secrets.ts).

import { trimTrailingSlashes } from './url-text';

export type AuthMethod =
  | 'wc-basic' //        consumer key + secret in an Authorization: Basic header (HTTPS only)
  | 'wc-query' //        consumer key + secret in the query string (HTTPS; the fix for stripped headers)
  | 'wc-oauth1' //       OAuth 1.0a one-legged signature (the only key method that works over HTTP)
  | 'app-password' //    WordPress application password, Basic user:password (HTTPS only)
  | 'bearer' //          a pasted token for JWT / OAuth 2.0 plugins, used as it is
  | 'jwt' //             a JWT plugin's token, obtained with user name + password and renewed (token.plugin says which plugin)
  | 'oauth2' //          an OAuth 2.0 server's token (WP OAuth Server or any standard one), obtained and renewed
  | 'none';

export const AUTH_METHODS: readonly AuthMethod[] = ['wc-basic', 'wc-query', 'wc-oauth1', 'app-password', 'bearer', 'jwt', 'oauth2', 'none'];

/** JWT and OAuth 2.0 stores: their tokens are obtained and renewed by the extension. */
export const isTokenStore = (store: Store | undefined): boolean => store?.authMethod === 'jwt' || store?.authMethod === 'oauth2';

/** The auth method in words, for pickers, the Stores view and the runner panel. */
export function authLabel(method: AuthMethod | string): string {
  switch (method) {
    case 'wc-basic': return 'Consumer key, HTTP Basic';
    case 'wc-query': return 'Consumer key in the query string';
    case 'wc-oauth1': return 'Consumer key, OAuth 1.0a signature';
    case 'app-password': return 'WordPress application password';
    case 'bearer': return 'Bearer token';
    case 'jwt': return 'JWT (user name and password)';
    case 'oauth2': return 'OAuth 2.0';
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
  /** The User-Agent of this store's requests (default woo-api-studio/<version>); a request's own header wins. */
  userAgent?: string;
}

export interface KeyMetadata {
  /** The last 7 characters of the consumer key, as WooCommerce shows them (truncated_key). */
  truncatedKey?: string;
  permissions?: 'read' | 'write' | 'read_write';
  createdAt?: string;
  rotatedAt?: string;
  expiresAt?: string;
}

/** Which plugin issues a token store's tokens (detected from the store, or set by hand). */
export type TokenPlugin = 'tmeister' | 'useful-team' | 'wp-oauth-server' | 'oauth2';
export const TOKEN_PLUGINS: readonly TokenPlugin[] = ['tmeister', 'useful-team', 'wp-oauth-server', 'oauth2'];
/** How an OAuth 2.0 store gets its first token. */
export type OAuthGrant = 'authorization_code' | 'client_credentials' | 'password';

/** The shareable half of a jwt / oauth2 store: where and how tokens are obtained, and when they expire. */
export interface TokenSettings {
  plugin?: TokenPlugin;
  /** OAuth 2.0: the grant that gets the first token (renewals use the refresh token when there is one). */
  grant?: OAuthGrant;
  clientId?: string;
  /** Space-separated scopes to ask for (OAuth 2.0). */
  scope?: string;
  /** The token endpoint (JWT: …/wp-json/jwt-auth/v1/token; OAuth 2.0: from discovery, with its trailing slash). */
  tokenUrl?: string;
  authorizeUrl?: string;
  revokeUrl?: string;
  /** Where a token is checked: the JWT plugin's /token/validate, or OAuth's introspection endpoint. */
  validateUrl?: string;
  /** Useful Team's /token/refresh (a new refresh cookie). */
  refreshUrl?: string;
  redirectUri?: string;
  /** Useful Team: the `device` the refresh cookie belongs to (one per client, so two clients do not replace each other's). */
  device?: string;
  /** When the access token expires (ISO 8601), from its `exp` or the token endpoint's `expires_in`. */
  expiresAt?: string;
  /** When the refresh token or cookie expires, when the server said. */
  refreshExpiresAt?: string;
}

export interface Store {
  id: string;
  name: string;
  baseUrl: string;
  authMethod: AuthMethod;
  options?: StoreOptions;
  key?: KeyMetadata;
  /** The user login for application passwords, JWT logins and the OAuth 2.0 password grant (not a secret). */
  username?: string;
  /** jwt and oauth2 stores. */
  token?: TokenSettings;
}

/** The secret half of a store's credentials. Never serialised outside SecretStorage. */
export interface StoreSecrets {
  consumerKey?: string;
  consumerSecret?: string;
  applicationPassword?: string;
  bearerToken?: string;
  /** jwt / oauth2: the current access token. */
  accessToken?: string;
  /** oauth2: the refresh token. */
  refreshToken?: string;
  /** Useful Team: the refresh cookie, `refresh_token=<user>.<64 hex>` as the server set it. */
  refreshCookie?: string;
  /** jwt (and the OAuth password grant): the WordPress password or application password. */
  password?: string;
  /** oauth2: the client secret. */
  clientSecret?: string;
}

/** Every secret value of a store's secrets, for masking. */
export function secretValues(s: StoreSecrets | undefined): string[] {
  if (!s) return [];
  const values = [s.consumerKey, s.consumerSecret, s.applicationPassword, s.applicationPassword?.replace(/\s+/g, ''), s.bearerToken, s.accessToken, s.refreshToken, s.refreshCookie, s.refreshCookie?.replace(/^[^=]*=/, ''), s.password, s.clientSecret];
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
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
 * The origins (scheme, host and port) a store's configuration points its credentials at: its base
 * URL's and, when set, its Home URL's. Secrets are bound to these when they are saved; a store
 * whose origins change by any path (a hand edit of the settings, settings sync, another
 * extension) gets its credentials only after the user confirms the new address.
 */
export function storeOrigins(store: Pick<Store, 'baseUrl' | 'options'> & { token?: TokenSettings }): string[] {
  const origins = new Set<string>();
  // A token store's password, client secret and refresh token go to its token endpoints too: an
  // endpoint moved to another host by a settings edit needs the same confirmation as an address.
  const t = store.token;
  for (const url of [store.baseUrl, store.options?.homeUrl, t?.tokenUrl, t?.authorizeUrl, t?.revokeUrl, t?.validateUrl, t?.refreshUrl]) {
    const origin = originOf(url);
    if (origin) origins.add(origin);
  }
  return [...origins].sort();
}

/** The origins of `store` that its credentials were not saved for (empty: nothing to confirm). */
export function unconfirmedOrigins(store: Pick<Store, 'baseUrl' | 'options'> & { token?: TokenSettings }, boundTo: readonly string[]): string[] {
  return storeOrigins(store).filter((o) => !boundTo.includes(o));
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
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
  const token = s.token as Record<string, unknown> | undefined;
  if (token !== undefined && (typeof token !== 'object' || token === null || Array.isArray(token))) problems.push(`Store "${String(s.id)}" has a "token" that is not an object.`);
  else if (token?.plugin !== undefined && !TOKEN_PLUGINS.includes(token.plugin as TokenPlugin)) problems.push(`Store "${String(s.id)}" has an unknown "token.plugin"; use one of ${TOKEN_PLUGINS.join(', ')}.`);
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
