// Which token plugin a store runs, found without credentials and without changing anything:
//   1. the REST index (/wp-json/) lists the namespaces and routes: `jwt-auth/v1` is shared by
//      Tmeister's "JWT Authentication for WP REST API" and Useful Team's "JWT Auth"; only the
//      second has /jwt-auth/v1/token/refresh;
//   2. when the index cannot tell (or cannot be read), an empty POST to the token endpoint: the
//      two plugins word their refusal differently (Tmeister: 403 "[jwt_auth] …" as a WordPress
//      error; Useful Team: 401 {success: false, statusCode, …});
//   3. no jwt-auth namespace: the OAuth discovery document (/.well-known/openid-configuration/, with
//      its slash): a token endpoint at /oauth/token/ is WP OAuth Server's, anything else a
//      standard OAuth 2.0 server.
// The user can always set the plugin by hand; this only proposes.
//
// Pure of `vscode`.

import type { Exchange } from '../send';
import type { Store, TokenPlugin } from '../store';
import { discoverOAuth, jwtPluginOfAnswer, type OAuthEndpoints, type TokenTransport } from './token-client';
import { trimTrailingSlashes, withoutQueryOrFragment } from '../url-text';

export interface Detection {
  plugin?: TokenPlugin;
  /** How it was told, sentence by sentence. */
  evidence: string[];
  /** OAuth endpoints from discovery, when that was read. */
  endpoints?: OAuthEndpoints;
  exchanges: Exchange[];
}

const base = (url: string): string => trimTrailingSlashes(withoutQueryOrFragment(url));

/** The JWT plugins' endpoints for a store (its settings, else under its REST prefix). */
export function jwtEndpoints(store: Store): { tokenUrl: string; validateUrl: string; refreshUrl: string } {
  const prefix = (store.options?.restPrefix ?? 'wp-json').replace(/^\/+|\/+$/g, '') || 'wp-json';
  const tokenUrl = store.token?.tokenUrl ?? `${base(store.baseUrl)}/${prefix}/jwt-auth/v1/token`;
  return { tokenUrl, validateUrl: store.token?.validateUrl ?? `${tokenUrl}/validate`, refreshUrl: store.token?.refreshUrl ?? `${tokenUrl}/refresh` };
}

async function getJson(t: TokenTransport, url: string, method: 'GET' | 'POST' = 'GET'): Promise<{ exchange: Exchange; status: number; json?: Record<string, unknown> }> {
  const exchange = await t.send(
    { method, url, headers: method === 'POST' ? [['Accept', 'application/json'], ['Content-Type', 'application/x-www-form-urlencoded']] : [['Accept', 'application/json']], body: method === 'POST' ? '' : undefined },
    { tls: t.tls, timeoutMs: t.timeoutMs, signal: t.signal, followRedirects: false },
  );
  const r = exchange.response;
  let json: Record<string, unknown> | undefined;
  try {
    const parsed = r ? (JSON.parse(Buffer.from(r.body).toString('utf8')) as unknown) : undefined;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { exchange, status: r?.status ?? 0, json };
}

export async function detectTokenPlugin(t: TokenTransport, store: Store): Promise<Detection> {
  const evidence: string[] = [];
  const exchanges: Exchange[] = [];
  const prefix = (store.options?.restPrefix ?? 'wp-json').replace(/^\/+|\/+$/g, '') || 'wp-json';
  const index = await getJson(t, `${base(store.baseUrl)}/${prefix}/`);
  exchanges.push(index.exchange);
  const namespaces = Array.isArray(index.json?.namespaces) ? (index.json!.namespaces as unknown[]).filter((n): n is string => typeof n === 'string') : undefined;
  const routes = index.json?.routes && typeof index.json.routes === 'object' ? Object.keys(index.json.routes as object) : [];

  if (namespaces?.includes('jwt-auth/v1')) {
    if (routes.includes('/jwt-auth/v1/token/refresh')) {
      evidence.push('The REST index lists the jwt-auth/v1 namespace with a /token/refresh route: the "JWT Auth" plugin (Useful Team), which has refresh cookies.');
      return { plugin: 'useful-team', evidence, exchanges };
    }
    evidence.push('The REST index lists the jwt-auth/v1 namespace (shared by two JWT plugins).');
    // Ask the token endpoint with nothing: the refusal's shape names the plugin.
    const probe = await getJson(t, jwtEndpoints(store).tokenUrl, 'POST');
    exchanges.push(probe.exchange);
    const plugin = jwtPluginOfAnswer(probe.json);
    if (plugin === 'useful-team') evidence.push(`An empty sign-in got ${probe.status} {success: false, statusCode, code, …}: the "JWT Auth" plugin (Useful Team).`);
    else if (plugin === 'tmeister') evidence.push(`An empty sign-in got ${probe.status} ${String(probe.json?.code)}: "JWT Authentication for WP REST API" (Tmeister), which has no refresh.`);
    else evidence.push(`An empty sign-in got ${probe.status}, in a shape neither JWT plugin uses.`);
    return { plugin: plugin ?? (routes.length ? 'tmeister' : undefined), evidence, exchanges };
  }
  if (namespaces) evidence.push(`The REST index lists no jwt-auth namespace (${namespaces.length} namespaces).`);
  else evidence.push(`The REST index could not be read (${index.status || index.exchange.error?.message || 'no answer'}).`);

  const found = await discoverOAuth(t, store.baseUrl);
  exchanges.push(...found.exchanges);
  if (found.ok) {
    const wo = !!found.endpoints.tokenUrl && /\/oauth\/token\/?$/.test(new URL(found.endpoints.tokenUrl).pathname);
    evidence.push(`The OAuth 2.0 discovery document names the token endpoint ${found.endpoints.tokenUrl}${wo ? ': WP OAuth Server' : ''}.`);
    return { plugin: wo ? 'wp-oauth-server' : 'oauth2', evidence, endpoints: found.endpoints, exchanges };
  }
  evidence.push(`No OAuth 2.0 discovery document either (${found.failure.message}).`);
  return { evidence, exchanges };
}
