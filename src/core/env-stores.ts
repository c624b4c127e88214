// Stores for the CLI and CI, where there is no SecretStorage: read from environment variables.
//   WOO_STORE_<NAME>_URL              the store's base URL (required)
//   WOO_STORE_<NAME>_AUTH             basic (default) | query | oauth1 | app-password | bearer | none
//   WOO_STORE_<NAME>_CONSUMER_KEY     WOO_STORE_<NAME>_CONSUMER_SECRET
//   WOO_STORE_<NAME>_USERNAME         WOO_STORE_<NAME>_APP_PASSWORD      (application passwords)
//   WOO_STORE_<NAME>_TOKEN            (bearer; for jwt / oauth2, a token to start with)
//   jwt / oauth2 (tokens obtained here live in this process's memory only, never on disk):
//   WOO_STORE_<NAME>_USERNAME, _PASSWORD   the WordPress user (a password or an application password)
//   WOO_STORE_<NAME>_JWT_PLUGIN       tmeister | useful-team (detected when absent)
//   WOO_STORE_<NAME>_CLIENT_ID, _CLIENT_SECRET, _SCOPE   the OAuth 2.0 client
//   WOO_STORE_<NAME>_GRANT            client_credentials | password | authorization_code (with _REFRESH_TOKEN)
//   WOO_STORE_<NAME>_TOKEN_URL        the token endpoint (discovered when absent)
//   WOO_STORE_<NAME>_REFRESH_TOKEN    an OAuth refresh token obtained elsewhere (a browser sign-in)
//   WOO_STORE_<NAME>_DEVICE           Useful Team's device name (default wooapicli)
//   WOO_STORE_<NAME>_HOME_URL         the Home URL for OAuth 1.0a base strings
//   WOO_STORE_<NAME>_SIGNATURE_METHOD HMAC-SHA256 (default) | HMAC-SHA1
//   WOO_STORE_<NAME>_CA_FILE          a PEM certificate authority to trust
//   WOO_STORE_<NAME>_VERIFY_TLS       0 to skip TLS verification (local stores only)
//   WOO_STORE_<NAME>_USER_AGENT       the User-Agent of the store's requests (default woo-api-studio/<version>)
// <NAME> is the store name as a .http file writes it (`@store = my-shop`), upper-cased, with every
// character other than A-Z and 0-9 turned into `_` (my-shop → MY_SHOP).
//
// Pure: the caller passes the environment.

import type { AuthMethod, OAuthGrant, Store, StoreSecrets, TokenSettings } from './store';
import { trimTrailingSlashes } from './url-text';

const AUTH: Record<string, AuthMethod> = {
  basic: 'wc-basic', 'wc-basic': 'wc-basic',
  query: 'wc-query', 'wc-query': 'wc-query',
  oauth1: 'wc-oauth1', oauth: 'wc-oauth1', 'wc-oauth1': 'wc-oauth1',
  'app-password': 'app-password', 'application-password': 'app-password',
  bearer: 'bearer', none: 'none', jwt: 'jwt', oauth2: 'oauth2',
};

const GRANTS: readonly OAuthGrant[] = ['client_credentials', 'password', 'authorization_code'];

export function envName(storeName: string): string {
  return storeName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export interface EnvStores {
  stores: Store[];
  secrets: Map<string, StoreSecrets>;
  /** Sentences about variables that could not be used. */
  problems: string[];
}

export function storesFromEnv(env: Record<string, string | undefined>): EnvStores {
  const stores: Store[] = [];
  const secrets = new Map<string, StoreSecrets>();
  const problems: string[] = [];
  for (const [key, url] of Object.entries(env)) {
    const m = /^WOO_STORE_([A-Z0-9_]+)_URL$/.exec(key);
    if (!m || url === undefined) continue;
    const id = m[1];
    const get = (suffix: string) => env[`WOO_STORE_${id}_${suffix}`]?.trim() || undefined;
    if (!/^https?:\/\/[^/\s]+/i.test(url)) {
      problems.push(`${key} must be an http:// or https:// URL.`);
      continue;
    }
    const authText = (get('AUTH') ?? 'basic').toLowerCase();
    const authMethod = AUTH[authText];
    if (!authMethod) {
      problems.push(`WOO_STORE_${id}_AUTH is "${authText}"; use basic, query, oauth1, app-password, bearer, jwt, oauth2 or none.`);
      continue;
    }
    const signature = get('SIGNATURE_METHOD')?.toUpperCase();
    if (signature && signature !== 'HMAC-SHA1' && signature !== 'HMAC-SHA256') {
      problems.push(`WOO_STORE_${id}_SIGNATURE_METHOD must be HMAC-SHA256 or HMAC-SHA1.`);
      continue;
    }
    const permissions = get('PERMISSIONS')?.toLowerCase();
    if (permissions && permissions !== 'read' && permissions !== 'write' && permissions !== 'read_write') {
      problems.push(`WOO_STORE_${id}_PERMISSIONS must be read, write or read_write (the key's permissions in WooCommerce).`);
      continue;
    }
    const token = authMethod === 'jwt' || authMethod === 'oauth2' ? tokenSettingsFromEnv(id, authMethod, get, problems) : undefined;
    if (token === null) continue;
    const store: Store = {
      id,
      // The name a .http file uses: matched case-insensitively with - and _ alike (see findEnvStore).
      name: id.toLowerCase(),
      baseUrl: trimTrailingSlashes(url.trim()),
      authMethod,
      username: get('USERNAME'),
      // Declared permissions: the doctor then takes a read-only key that cannot write as intended.
      key: permissions ? { permissions: permissions as 'read' | 'write' | 'read_write' } : undefined,
      options: {
        homeUrl: get('HOME_URL'),
        oauthSignatureMethod: signature as 'HMAC-SHA1' | 'HMAC-SHA256' | undefined,
        caCertificateFile: get('CA_FILE'),
        verifyTls: get('VERIFY_TLS') === '0' || get('VERIFY_TLS')?.toLowerCase() === 'false' ? false : undefined,
        userAgent: get('USER_AGENT'),
      },
      token,
    };
    stores.push(store);
    let consumerKey = get('CONSUMER_KEY');
    let consumerSecret = get('CONSUMER_SECRET');
    if (/^cs_/i.test(consumerKey ?? '') && /^ck_/i.test(consumerSecret ?? '')) {
      // As the extension does with a pasted pair: put back, and say so.
      [consumerKey, consumerSecret] = [consumerSecret, consumerKey];
      problems.push(`WOO_STORE_${id}_CONSUMER_KEY holds a consumer secret (cs_…) and WOO_STORE_${id}_CONSUMER_SECRET a key (ck_…): they are used the other way round. Swap them where they are set.`);
    }
    secrets.set(id, {
      consumerKey,
      consumerSecret,
      applicationPassword: get('APP_PASSWORD'),
      bearerToken: authMethod === 'bearer' ? get('TOKEN') : undefined,
      // jwt / oauth2: a token to start with (renewed as needed), and what renewing takes.
      accessToken: token ? get('TOKEN') : undefined,
      refreshToken: token ? get('REFRESH_TOKEN') : undefined,
      // "username + password or application password": the application password works at the JWT plugins' sign-in.
      password: token ? get('PASSWORD') ?? get('APP_PASSWORD') : undefined,
      clientSecret: token ? get('CLIENT_SECRET') : undefined,
    });
  }
  return { stores, secrets, problems };
}

/**
 * The token settings of a jwt / oauth2 store from its variables; null (with a problem said) when they
 * cannot work.
 */
function tokenSettingsFromEnv(id: string, method: 'jwt' | 'oauth2', get: (suffix: string) => string | undefined, problems: string[]): TokenSettings | null {
  const v = (suffix: string) => `WOO_STORE_${id}_${suffix}`;
  const has = (suffix: string) => get(suffix) !== undefined;
  const tokenUrl = get('TOKEN_URL');
  if (tokenUrl && !/^https?:\/\/[^/\s]+/i.test(tokenUrl)) {
    problems.push(`${v('TOKEN_URL')} must be an http:// or https:// URL.`);
    return null;
  }
  if (method === 'jwt') {
    const plugin = get('JWT_PLUGIN')?.toLowerCase();
    if (plugin && plugin !== 'tmeister' && plugin !== 'useful-team') {
      problems.push(`${v('JWT_PLUGIN')} must be tmeister or useful-team (or unset, to detect it).`);
      return null;
    }
    if (!has('TOKEN') && !(has('USERNAME') && (has('PASSWORD') || has('APP_PASSWORD')))) {
      problems.push(`The jwt store ${id} needs ${v('USERNAME')} and ${v('PASSWORD')} (or an application password), or ${v('TOKEN')}.`);
      return null;
    }
    return { plugin: plugin as TokenSettings['plugin'], tokenUrl, device: get('DEVICE') ?? 'wooapicli' };
  }
  const grant = get('GRANT')?.toLowerCase() as OAuthGrant | undefined;
  if (grant && !GRANTS.includes(grant)) {
    problems.push(`${v('GRANT')} must be client_credentials, password or authorization_code.`);
    return null;
  }
  if (!has('CLIENT_ID')) {
    problems.push(`The oauth2 store ${id} needs ${v('CLIENT_ID')} (and ${v('CLIENT_SECRET')}).`);
    return null;
  }
  const effective = grant ?? (has('PASSWORD') ? 'password' : has('REFRESH_TOKEN') || has('TOKEN') ? 'authorization_code' : 'client_credentials');
  if (effective === 'password' && !(has('USERNAME') && has('PASSWORD'))) {
    problems.push(`The password grant of ${id} needs ${v('USERNAME')} and ${v('PASSWORD')}.`);
    return null;
  }
  if (effective === 'authorization_code' && !has('REFRESH_TOKEN') && !has('TOKEN')) {
    problems.push(`The authorization-code sign-in of ${id} happens in a browser: give ${v('REFRESH_TOKEN')} (from a sign-in in the editor or elsewhere), or use ${v('GRANT')}=client_credentials or password.`);
    return null;
  }
  return { grant: effective, clientId: get('CLIENT_ID'), scope: get('SCOPE'), tokenUrl };
}

/** The env store a .http file's store name refers to (`my-shop` ↔ WOO_STORE_MY_SHOP_*). */
export function findEnvStore(stores: readonly Store[], name: string): Store | undefined {
  return stores.find((s) => s.id === envName(name));
}
