// Getting, renewing and giving back tokens, per plugin (the facts: docs/tokens.md):
//   - Tmeister JWT: POST …/jwt-auth/v1/token {username, password} → {token}. No refresh: log in again.
//   - Useful Team JWT Auth: the same endpoint, form body with `device`, → {data: {token}} and an
//     HttpOnly refresh cookie; POST /token with only the cookie and the same device → a new access
//     token; POST /token/refresh → a new cookie, the old one obsolete at once.
//   - OAuth 2.0 (WP OAuth Server and standard servers): discovery at
//     /.well-known/openid-configuration/ (with its slash), authorization code + PKCE S256, client
//     credentials, password, refresh_token; RFC 7009 revocation; introspection.
// Every request goes through core/send.ts; what comes back is the parsed grant or the server's own
// error, with the exchanges recorded for the user to see, secrets masked (response bodies too: a
// token endpoint's answer is nothing but secrets).
//
// Pure of `vscode`: the caller passes the transport.

import * as crypto from 'node:crypto';
import { redactText } from '../redact';
import type { Exchange, OutgoingRequest, SendOptions, TlsOptions } from '../send';
import type { TokenPlugin } from '../store';
import { basicAuthorization } from './basic';
import { claimTimes, decodeJwt } from './token-claims';
import { trimTrailingSlashes, withoutQueryOrFragment } from '../url-text';

export interface TokenTransport {
  send(req: OutgoingRequest, options: SendOptions): Promise<Exchange>;
  tls?: TlsOptions;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Now, for expiry arithmetic (tests). */
  now?: () => Date;
}

export interface TokenGrant {
  accessToken: string;
  expiresAt?: Date;
  refreshToken?: string;
  /** `refresh_token=<value>` as Useful Team set it. */
  refreshCookie?: string;
  refreshExpiresAt?: Date;
  scope?: string;
}

export interface TokenFailure {
  /** The server's own error code: "[jwt_auth] incorrect_password", "jwt_auth_obsolete_refresh_token", "invalid_grant", … */
  code: string;
  message: string;
  status?: number;
  /** What happened, in one sentence, with the server's words. */
  sentence: string;
}

export type TokenResult =
  | { ok: true; grant: TokenGrant; exchanges: Exchange[]; plugin?: TokenPlugin }
  | { ok: false; failure: TokenFailure; exchanges: Exchange[]; plugin?: TokenPlugin };

/** The parsed answer of a request, and its exchange with the body masked. */
interface Answer {
  exchange: Exchange;
  status: number;
  json: Record<string, unknown> | undefined;
  headers: [string, string][];
  /** Set-Cookie as received (the recorded headers have their values masked). */
  setCookies: readonly string[];
}

async function post(t: TokenTransport, url: string, headers: [string, string][], body: string | undefined, secrets: string[]): Promise<Answer> {
  let setCookies: readonly string[] = [];
  const exchange = await t.send({ method: body === undefined ? 'GET' : 'POST', url, headers: [['Accept', 'application/json'], ...headers], body }, {
    tls: t.tls, timeoutMs: t.timeoutMs, signal: t.signal, followRedirects: false, secrets, onSetCookie: (values) => (setCookies = values),
  });
  const r = exchange.response;
  let json: Record<string, unknown> | undefined;
  const text = r ? Buffer.from(r.body).toString('utf8') : '';
  try {
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  // The token endpoint answers with the secrets themselves: the copy kept is masked.
  const found = json ? collectSecrets(json) : [];
  const masked: Exchange = r ? { ...exchange, response: { ...r, body: Buffer.from(redactText(text, [...secrets, ...found])) } } : exchange;
  return { exchange: masked, status: r?.status ?? 0, json, headers: r?.headers ?? [], setCookies };
}

/** Token-looking values of an answer (access, refresh and id tokens), to mask. */
function collectSecrets(json: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key?: string) => {
    if (typeof v === 'string' && key && /^(token|access_token|refresh_token|id_token)$/.test(key)) out.push(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(json);
  return out;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const stripTags = (s: string): string => s.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();

/** A failure from a non-2xx answer (or no answer). */
function failureOf(a: Answer, what: string): TokenFailure {
  const j = a.json ?? {};
  if (a.status === 0) {
    const msg = a.exchange.error?.message ?? 'No answer.';
    return { code: a.exchange.error?.code ?? 'NO_ANSWER', message: msg, sentence: `${what} failed: ${msg}` };
  }
  const code = text(j.code) ?? text(j.error) ?? `http_${a.status}`;
  const message = stripTags(text(j.message) ?? text(j.error_description) ?? (a.status >= 300 && a.status < 400 ? `redirected to ${headerOf(a.headers, 'location') ?? '?'}` : `HTTP ${a.status}`));
  return { code, message, status: a.status, sentence: `${what} was refused: ${a.status} ${code} "${message}".` };
}

function headerOf(headers: readonly [string, string][], name: string): string | undefined {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1];
}

const form = (fields: Record<string, string | undefined>): string =>
  Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v!)}`).join('&');
const FORM: [string, string] = ['Content-Type', 'application/x-www-form-urlencoded'];

// ---------------------------------------------------------------------------------------------
// JWT plugins

/**
 * POST {username, password[, device]} to a JWT plugin's token endpoint (form body: Useful Team reads
 * `device` from a form body only). Tells the two plugins apart by the answer's shape.
 */
export async function jwtLogin(t: TokenTransport, o: { tokenUrl: string; username: string; password: string; device?: string }): Promise<TokenResult> {
  const a = await post(t, o.tokenUrl, [FORM], form({ username: o.username, password: o.password, device: o.device }), [o.password]);
  const plugin = jwtPluginOfAnswer(a.json);
  if (a.status !== 200) return { ok: false, failure: failureOf(a, `Signing in as ${o.username}`), exchanges: [a.exchange], plugin };
  const token = text(a.json?.token) ?? text((a.json?.data as Record<string, unknown> | undefined)?.token);
  if (!token) return { ok: false, failure: { code: 'no_token', message: 'no token in the answer', status: 200, sentence: `The token endpoint ${o.tokenUrl} answered 200 without a token: is it a JWT plugin's endpoint?` }, exchanges: [a.exchange], plugin };
  const cookie = refreshCookieOf(a.setCookies, t);
  return { ok: true, grant: { accessToken: token, expiresAt: claimTimes(decodeJwt(token)?.claims).expiresAt, ...cookie }, exchanges: [a.exchange], plugin };
}

/** Which JWT plugin wrote this answer: Useful Team wraps everything in {success, statusCode, code, …}. */
export function jwtPluginOfAnswer(json: Record<string, unknown> | undefined): 'tmeister' | 'useful-team' | undefined {
  if (!json) return undefined;
  if ('success' in json && 'statusCode' in json) return 'useful-team';
  if (typeof json.token === 'string' || (typeof json.code === 'string' && (json.code.startsWith('[jwt_auth]') || json.code.startsWith('jwt_auth_')) && typeof json.data === 'object' && json.data !== null && 'status' in json.data)) return 'tmeister';
  return undefined;
}

/** The `refresh_token` cookie of the Set-Cookie headers (Useful Team), with its expiry. */
function refreshCookieOf(setCookies: readonly string[], t: TokenTransport): { refreshCookie?: string; refreshExpiresAt?: Date } {
  const raw = setCookies.find((c) => /^\s*refresh_token=/.test(c));
  if (!raw) return {};
  const pair = raw.split(';')[0]!.trim();
  if (!/^refresh_token=/.test(pair)) return {};
  const maxAge = /;\s*Max-Age=(\d+)/i.exec(raw)?.[1];
  const expires = /;\s*expires=([^;]+)/i.exec(raw)?.[1];
  const now = t.now?.() ?? new Date();
  const at = maxAge !== undefined ? new Date(now.getTime() + Number(maxAge) * 1000) : expires && !Number.isNaN(Date.parse(expires)) ? new Date(Date.parse(expires)) : undefined;
  return { refreshCookie: pair, refreshExpiresAt: at };
}

/** Useful Team: a new access token for the refresh cookie (the same device it was issued to). */
export async function usefulTeamRenew(t: TokenTransport, o: { tokenUrl: string; cookie: string; device?: string }): Promise<TokenResult> {
  const a = await post(t, o.tokenUrl, [FORM, ['Cookie', o.cookie]], form({ device: o.device ?? '' }), [o.cookie, cookieValue(o.cookie)]);
  if (a.status !== 200) return { ok: false, failure: failureOf(a, 'Renewing with the refresh cookie'), exchanges: [a.exchange], plugin: 'useful-team' };
  const token = text((a.json?.data as Record<string, unknown> | undefined)?.token);
  if (!token) return { ok: false, failure: { code: 'no_token', message: 'no token in the answer', status: 200, sentence: 'The token endpoint answered 200 without a token.' }, exchanges: [a.exchange], plugin: 'useful-team' };
  return { ok: true, grant: { accessToken: token, expiresAt: claimTimes(decodeJwt(token)?.claims).expiresAt }, exchanges: [a.exchange], plugin: 'useful-team' };
}

/** Useful Team: a new refresh cookie (POST /token/refresh); the old one is obsolete from this moment. */
export async function usefulTeamRotate(t: TokenTransport, o: { refreshUrl: string; cookie: string; device?: string }): Promise<{ ok: true; refreshCookie: string; refreshExpiresAt?: Date; exchanges: Exchange[] } | { ok: false; failure: TokenFailure; exchanges: Exchange[] }> {
  const a = await post(t, o.refreshUrl, [FORM, ['Cookie', o.cookie]], form({ device: o.device ?? '' }), [o.cookie, cookieValue(o.cookie)]);
  const cookie = refreshCookieOf(a.setCookies, t);
  if (a.status !== 200 || !cookie.refreshCookie) return { ok: false, failure: failureOf(a, 'Replacing the refresh cookie'), exchanges: [a.exchange] };
  return { ok: true, refreshCookie: cookie.refreshCookie, refreshExpiresAt: cookie.refreshExpiresAt, exchanges: [a.exchange] };
}

function cookieValue(cookie: string): string {
  return cookie.replace(/^[^=]*=/, '');
}

// ---------------------------------------------------------------------------------------------
// OAuth 2.0

export interface OAuthEndpoints {
  issuer?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  revokeUrl?: string;
  introspectUrl?: string;
  userinfoUrl?: string;
  grantTypes?: string[];
}

/** The discovery document's address: the site root + /.well-known/openid-configuration/ (WordPress 301s it without the slash). */
export function discoveryUrl(baseUrl: string): string {
  return `${trimTrailingSlashes(withoutQueryOrFragment(baseUrl))}/.well-known/openid-configuration/`;
}

export async function discoverOAuth(t: TokenTransport, baseUrl: string): Promise<{ ok: true; endpoints: OAuthEndpoints; exchanges: Exchange[] } | { ok: false; failure: TokenFailure; exchanges: Exchange[] }> {
  const a = await post(t, discoveryUrl(baseUrl), [], undefined, []);
  const j = a.json;
  if (a.status !== 200 || !j || typeof j.token_endpoint !== 'string') return { ok: false, failure: failureOf(a, `Reading ${discoveryUrl(baseUrl)}`), exchanges: [a.exchange] };
  return {
    ok: true,
    endpoints: {
      issuer: text(j.issuer), authorizeUrl: text(j.authorization_endpoint), tokenUrl: text(j.token_endpoint), revokeUrl: text(j.revocation_endpoint),
      introspectUrl: text(j.introspection_endpoint), userinfoUrl: text(j.userinfo_endpoint),
      grantTypes: Array.isArray(j.grant_types_supported) ? j.grant_types_supported.filter((g): g is string => typeof g === 'string') : undefined,
    },
    exchanges: [a.exchange],
  };
}

export interface OAuthClient {
  tokenUrl: string;
  clientId: string;
  /** Absent: a public client (PKCE without a secret). */
  clientSecret?: string;
}

/** POST to the token endpoint: client_secret_basic when there is a secret, else client_id in the body. */
async function oauthToken(t: TokenTransport, c: OAuthClient, fields: Record<string, string | undefined>, secrets: (string | undefined)[], what: string): Promise<TokenResult> {
  const headers: [string, string][] = [FORM];
  const body: Record<string, string | undefined> = { ...fields };
  if (c.clientSecret) headers.push(['Authorization', basicAuthorization(c.clientId, c.clientSecret)]);
  else body.client_id = c.clientId;
  const a = await post(t, c.tokenUrl, headers, form(body), [c.clientSecret, ...secrets].filter((s): s is string => !!s));
  if (a.status !== 200) return { ok: false, failure: failureOf(a, what), exchanges: [a.exchange] };
  const j = a.json ?? {};
  const token = text(j.access_token);
  if (!token) return { ok: false, failure: { code: 'no_token', message: 'no access_token in the answer', status: 200, sentence: `${c.tokenUrl} answered 200 without an access_token: is it an OAuth 2.0 token endpoint?` }, exchanges: [a.exchange] };
  const now = t.now?.() ?? new Date();
  const expiresIn = typeof j.expires_in === 'number' ? j.expires_in : typeof j.expires_in === 'string' && /^\d+$/.test(j.expires_in) ? Number(j.expires_in) : undefined;
  // A JWT access token's own exp wins over expires_in (they can disagree; the server checks exp).
  const expiresAt = claimTimes(decodeJwt(token)?.claims).expiresAt ?? (expiresIn !== undefined ? new Date(now.getTime() + expiresIn * 1000) : undefined);
  return { ok: true, grant: { accessToken: token, expiresAt, refreshToken: text(j.refresh_token), scope: text(j.scope) }, exchanges: [a.exchange] };
}

export function clientCredentialsGrant(t: TokenTransport, c: OAuthClient, scope?: string): Promise<TokenResult> {
  return oauthToken(t, c, { grant_type: 'client_credentials', scope }, [], 'The client-credentials grant');
}

export function passwordGrant(t: TokenTransport, c: OAuthClient, o: { username: string; password: string; scope?: string }): Promise<TokenResult> {
  return oauthToken(t, c, { grant_type: 'password', username: o.username, password: o.password, scope: o.scope }, [o.password], `The password grant for ${o.username}`);
}

export function refreshGrant(t: TokenTransport, c: OAuthClient, refreshToken: string): Promise<TokenResult> {
  return oauthToken(t, c, { grant_type: 'refresh_token', refresh_token: refreshToken }, [refreshToken], 'Renewing with the refresh token');
}

export function exchangeCode(t: TokenTransport, c: OAuthClient, o: { code: string; redirectUri: string; verifier?: string }): Promise<TokenResult> {
  return oauthToken(t, c, { grant_type: 'authorization_code', code: o.code, redirect_uri: o.redirectUri, code_verifier: o.verifier }, [o.code, o.verifier], 'Exchanging the authorization code');
}

/** RFC 7009: give a token back (Remove Store, Sign out). */
export async function revokeToken(t: TokenTransport, o: { revokeUrl: string; token: string; hint: 'access_token' | 'refresh_token'; client?: OAuthClient }): Promise<{ ok: boolean; failure?: TokenFailure; exchanges: Exchange[] }> {
  const headers: [string, string][] = [FORM];
  if (o.client?.clientSecret) headers.push(['Authorization', basicAuthorization(o.client.clientId, o.client.clientSecret)]);
  const a = await post(t, o.revokeUrl, headers, form({ token: o.token, token_type_hint: o.hint }), [o.token, o.client?.clientSecret].filter((s): s is string => !!s));
  return a.status === 200 ? { ok: true, exchanges: [a.exchange] } : { ok: false, failure: failureOf(a, 'Revoking the token'), exchanges: [a.exchange] };
}

// ---------------------------------------------------------------------------------------------
// Authorization code + PKCE (the browser part happens elsewhere)

export interface PkceStart {
  /** Open this in the browser. */
  url: string;
  state: string;
  /** Kept by the client until the code comes back; never sent to the browser. */
  verifier: string;
  redirectUri: string;
  startedAt: Date;
}

/** A new authorization request: a random state and an S256 PKCE pair (RFC 7636: 43 characters of verifier). */
export function startAuthorization(o: { authorizeUrl: string; clientId: string; redirectUri: string; scope?: string; now?: Date }): PkceStart {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  const state = crypto.randomBytes(16).toString('base64url');
  const url = new URL(o.authorizeUrl);
  const params: [string, string][] = [['response_type', 'code'], ['client_id', o.clientId], ['redirect_uri', o.redirectUri], ['state', state]];
  if (o.scope) params.push(['scope', o.scope]);
  params.push(['code_challenge', challenge], ['code_challenge_method', 'S256']);
  for (const [k, v] of params) url.searchParams.set(k, v);
  return { url: url.toString(), state, verifier, redirectUri: o.redirectUri, startedAt: o.now ?? new Date() };
}

/** What came back to the redirect URI: the code (state checked), or the server's error, or a forged/mixed-up state. */
export function readAuthorizationResponse(callbackUrl: string, expectedState: string): { code: string } | { error: string; description: string } {
  let u: URL;
  try {
    u = new URL(callbackUrl);
  } catch {
    return { error: 'invalid_callback', description: 'The address the browser came back with is not a URL.' };
  }
  const p = u.searchParams;
  if (p.get('state') !== expectedState) {
    return { error: 'state_mismatch', description: 'The answer does not belong to this sign-in (its state differs): it was not used. Start the sign-in again.' };
  }
  const error = p.get('error');
  if (error) return { error, description: p.get('error_description') ?? '' };
  const code = p.get('code');
  return code ? { code } : { error: 'no_code', description: 'The store sent the browser back without an authorization code.' };
}

// ---------------------------------------------------------------------------------------------
// Checking a token: the plugin's validate endpoint or OAuth introspection

export interface TokenCheck {
  /** The endpoint that was asked. */
  url: string;
  status: number;
  /** JWT plugins' code and message, or OAuth's error and error_description. */
  code?: string;
  message?: string;
  /** Introspection said active. */
  active?: boolean;
  exchange: Exchange;
}

/**
 * Asks the store about a token, changing nothing: POST …/token/validate with the Bearer header (JWT
 * plugins), or POST …/introspection/ (OAuth) with the token in the header, or (`inBody`) as
 * access_token in a form body, which no server strips.
 */
export async function checkToken(t: TokenTransport, o: { url: string; token: string; inBody?: boolean }): Promise<TokenCheck> {
  const a = o.inBody
    ? await post(t, o.url, [FORM], form({ access_token: o.token }), [o.token])
    : await post(t, o.url, [['Authorization', `Bearer ${o.token}`]], '', [o.token]);
  const j = a.json ?? {};
  return {
    url: o.url,
    status: a.status,
    code: text(j.code) ?? text(j.error),
    message: text(j.message) !== undefined ? stripTags(text(j.message)!) : text(j.error_description),
    active: typeof j.active === 'boolean' ? j.active : undefined,
    exchange: a.exchange,
  };
}
