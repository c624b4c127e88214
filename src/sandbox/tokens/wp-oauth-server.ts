// "WP OAuth Server – CE" 4.4.0, as recorded (wo.* cases): an OAuth 2.0 server (bshaffer's
// oauth2-server-php underneath) answering under the site root, not the REST API:
//   /oauth/authorize/ /oauth/token/ /oauth/me/ /oauth/introspection/ /oauth/revoke/
//   /oauth/destroy/ /.well-known/openid-configuration/ /.well-known/keys/
// each with a trailing slash (a GET without it gets WordPress's 301), errors as
// {error, error_description[, error_uri]} with Cache-Control: no-store.
// Grants: authorization_code (PKCE S256 or plain, optional), client_credentials, password and
// refresh_token, each only for a client whose grant types allow it (a client made in the CE admin
// form has authorization_code only: the others answer 400 unauthorized_client). Access tokens
// live 3600 s, refresh tokens 86400 s, codes 30 s; tokens are 40 lowercase characters, or RS256
// JWTs with the "JWT bearer" setting. A refresh gives a new pair and leaves the old refresh token
// valid. The token is read from the Authorization header (scheme word in any case), ?access_token=
// or a form body, one of them only; on wc/v3 a bad token is simply nobody (401 cannot_view), and
// /oauth/me/ and /oauth/introspection/ say "Invalid token" whatever the reason.
// determine_current_user @10; with "block unauthenticated REST" every REST request without a user
// answers 401 rest_not_authorized.
import * as crypto from 'node:crypto';
import { wpError, type WpError } from '../errors';
import { phpBytesToText, type PhpArray } from '../php-query';
import type { UserRecord } from '../users';
import { findUserByEmail, findUserByLogin, ROLE_CAPABILITIES } from '../users';
import { userById, type OAuthClientRecord, type PluginContext } from './context';
import { base64url, phpJson, randomKey, signJwt } from './jwt';
import type { PageAnswer, TokenAuthResult, TokenPluginServer, TokenRequest } from './plugin';
import { phpRawurlencode, phpUrlencode } from './wordpress';
import { LoginSessions, loginPage } from './wp-login';

const ACCESS_LIFETIME = 3600;
const REFRESH_LIFETIME = 86400;
const CODE_LIFETIME = 30;
const SCOPES = ['openid', 'profile', 'email', 'basic'];
const NOCACHE = 'no-cache, must-revalidate, max-age=0, no-store, private';
const RFC6749 = 'http://tools.ietf.org/html/rfc6749';
const INVALID_TOKEN_URI = 'https://tools.ietf.org/html/draft-ietf-oauth-v2-31#section-7.2';

interface TokenRecord {
  clientId: string;
  userId: number;
  expires: number;
  scope: string;
}

interface CodeRecord extends TokenRecord {
  redirectUri: string;
  challenge?: string;
  challengeMethod?: string;
}

/** An OAuth2\Response: status, JSON parameters, headers. */
interface OAuthError {
  status: number;
  error: string;
  description: string;
  uri?: string;
}

const oauthError = (status: number, error: string, description: string, uri?: string): OAuthError => ({ status, error, description, uri: uri?.startsWith('#') ? `${RFC6749}${uri}` : uri });

type Params = Record<string, unknown>;

export class WpOAuthServer implements TokenPluginServer {
  readonly name = 'wp-oauth-server' as const;
  private readonly accessTokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, TokenRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly sessions: LoginSessions;
  private rsa?: { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject; kid: string };

  constructor(private readonly ctx: PluginContext) {
    this.sessions = new LoginSessions(ctx);
  }

  private get clients(): OAuthClientRecord[] {
    return this.ctx.clients;
  }

  // -------------------------------------------------------------------------------------------
  // determine_current_user and the REST API

  authenticate(req: TokenRequest): TokenAuthResult {
    const token = this.tokenOf(req);
    return { userId: token && !('error' in token) && token.userId > 0 ? token.userId : undefined };
  }

  authenticationError(req: TokenRequest, userId: number): WpError | undefined {
    if (!this.ctx.blockUnauthenticatedRest || !req.isRestRequest || userId > 0) return undefined;
    return wpError('rest_not_authorized', 'Authorization is required.', 401);
  }

  /**
   * Bearer::getAccessTokenParameter() + getAccessTokenData(): the valid token's record, an error
   * (two ways at once, malformed header, unknown or expired token), or undefined (no token sent).
   */
  private tokenOf(req: TokenRequest): (TokenRecord & { token: string }) | { error: string } | undefined {
    const header = req.authorization;
    const query = textOf(req.get.get('access_token'));
    const body = this.requestParams(req).access_token;
    const used = Number(!!header) + Number(truthy(query)) + Number(truthy(body));
    if (used > 1) return { error: 'Only one method may be used to authenticate at a time (Auth header, GET or POST)' };
    if (used === 0) return undefined;
    let token: string;
    if (header) {
      const m = /Bearer\s(\S+)/i.exec(header);
      if (!m) return { error: 'Malformed auth header' };
      token = m[1]!;
    } else if (truthy(body)) {
      if (req.requestMethod !== 'POST' && req.requestMethod !== 'PUT') return { error: 'When putting the token in the body, the method must be POST or PUT' };
      if (req.contentType && req.contentType !== 'application/x-www-form-urlencoded') return { error: 'The content type for POST requests must be "application/x-www-form-urlencoded"' };
      token = String(body);
    } else {
      token = query!;
    }
    const record = this.accessTokens.get(token);
    if (!record) return { error: 'The access token provided is invalid' };
    if (this.ctx.now() > record.expires) return { error: 'The access token provided has expired' };
    return { ...record, token };
  }

  /** OAuth2\Request's request parameters: $_POST, or the JSON body for application/json. */
  private requestParams(req: TokenRequest): Params {
    if (req.contentType === 'application/json' && ['POST', 'PUT', 'DELETE'].includes(req.requestMethod)) return req.json ?? {};
    return plain(req.post);
  }

  // -------------------------------------------------------------------------------------------
  // Pages

  page(req: TokenRequest): PageAnswer | undefined {
    const path = req.relativePath;
    if (path === 'wp-login.php') return loginPage(req, this.sessions);
    const endpoint = /^oauth\/(authorize|token|me|introspection|revoke|destroy)$/.exec(path)?.[1] ?? /^\.well-known\/(openid-configuration|keys)$/.exec(path)?.[1];
    if (!endpoint) return undefined;
    // redirect_canonical(): a page URL gets its trailing slash (GET and HEAD only).
    if (!req.trailingSlash && (req.requestMethod === 'GET' || req.requestMethod === 'HEAD')) {
      const q = req.requestUri.indexOf('?');
      const loggedIn = this.authenticate(req).userId !== undefined || this.sessions.user(req) !== undefined;
      return { status: 301, headers: { ...(loggedIn ? { 'Cache-Control': NOCACHE } : {}), 'X-Redirect-By': 'WordPress', Location: `${req.site.home(path)}/${q === -1 ? '' : req.requestUri.slice(q)}`, 'Content-Type': 'text/html; charset=UTF-8' }, body: '' };
    }
    switch (endpoint) {
      case 'authorize': return this.authorize(req);
      case 'token': return this.tokenEndpoint(req);
      case 'me': return this.me(req);
      case 'introspection': return this.introspection(req);
      case 'revoke': return this.revoke(req);
      case 'destroy': return this.destroy(req);
      case 'openid-configuration': return this.discovery(req);
      case 'keys': return this.keys();
      default: return undefined;
    }
  }

  private json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): PageAnswer {
    return { status, headers: { ...headers, 'Content-Type': 'application/json' }, body: phpJson(body) };
  }

  private fail(e: OAuthError, headers: Record<string, string> = {}): PageAnswer {
    return this.json(e.status, { error: e.error, error_description: e.description, ...(e.uri ? { error_uri: e.uri } : {}) }, { 'Cache-Control': 'no-store', ...headers });
  }

  private discovery(req: TokenRequest): PageAnswer {
    const url = (p: string) => req.site.home(p);
    // issuer: site_url( null, 'https' ); the endpoints follow the request's scheme.
    const issuer = req.site.homeUrl('', true);
    return this.json(200, {
      issuer,
      authorization_endpoint: url('oauth/authorize/'),
      token_endpoint: url('oauth/token/'),
      userinfo_endpoint: url('oauth/me/'),
      end_session_endpoint: url('oauth/destroy/'),
      jwks_uri: url('.well-known/keys/'),
      revocation_endpoint: url('oauth/revoke/'),
      introspection_endpoint: url('oauth/introspection/'),
      registration_endpoint: null,
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token', 'uswo_me_resource_returner_credentials', 'implicit'],
      service_documentation: null,
      scopes_supported: SCOPES,
      response_types_supported: ['code', 'id_token', 'token id_token', 'code id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
  }

  private keys(): PageAnswer {
    const jwk = this.keyPair().publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    const b64 = (s: string) => Buffer.from(s, 'base64url').toString('base64');
    return this.json(200, { keys: [{ kty: 'RSA', alg: 'RS256', use: 'sig', n: b64(jwk.n), e: b64(jwk.e) }] });
  }

  private keyPair(): { privateKey: crypto.KeyObject; publicKey: crypto.KeyObject; kid: string } {
    if (!this.rsa) {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.rsa = { privateKey, publicKey, kid: String(this.ctx.now()) };
    }
    return this.rsa;
  }

  // -------------------------------------------------------------------------------------------
  // The authorize endpoint (a browser page)

  private authorize(req: TokenRequest): PageAnswer {
    const q = plain(req.get);
    const clientId = textOf(q.client_id);
    if (!clientId) return this.fail(oauthError(400, 'invalid_client', 'No client id supplied'));
    const client = this.clients.find((c) => c.clientId === clientId);
    if (!client) return this.fail(oauthError(400, 'invalid_client', 'The client id supplied is invalid'));
    const given = textOf(q.redirect_uri);
    if (given && !redirectMatches(given, client.redirectUri)) return this.fail(oauthError(400, 'redirect_uri_mismatch', 'The redirect URI provided is missing or does not match', '#section-3.1.2'));
    const redirectUri = given || client.redirectUri;
    if (!redirectUri) return this.fail(oauthError(400, 'invalid_uri', 'No redirect URI was supplied or stored'));
    const state = textOf(q.state);
    const redirectError = (error: string, description: string): PageAnswer => {
      const params: [string, string][] = [['error', error], ['error_description', description]];
      if (state !== undefined) params.push(['state', state]);
      params.push(['iframe', 'break']);
      return this.json(302, Object.fromEntries(params), { 'Cache-Control': 'no-store', Location: withQuery(redirectUri, params) });
    };
    const responseType = textOf(q.response_type);
    if (responseType === 'token') return redirectError('unsupported_response_type', 'implicit grant type not supported');
    if (responseType !== 'code') return redirectError('invalid_request', 'Invalid or missing response type');
    if (!client.grantTypes.has('authorization_code')) return redirectError('unauthorized_client', 'The grant type is unauthorized for this client_id');
    const challenge = textOf(q.code_challenge);
    let challengeMethod: string | undefined;
    if (challenge) {
      if (!/^[A-Za-z0-9-._~]{43,128}$/.test(challenge)) return redirectError('invalid_code_challenge', 'The PKCE code challenge supplied is invalid');
      challengeMethod = textOf(q.code_challenge_method) || 'plain';
      if (challengeMethod !== 'S256' && challengeMethod !== 'plain') return redirectError('invalid_code_challenge_method', 'The PKCE code challenge method supplied is invalid');
    }
    const scope = textOf(q.scope) || 'basic';
    if (scope.split(' ').some((s) => !SCOPES.includes(s))) return redirectError('invalid_scope', 'An unsupported scope was requested');

    // Only now is the user asked to log in (wp_login_url() back to this page).
    let user = this.sessions.user(req);
    if (!user && this.ctx.autoApprove) user = userById(this.ctx, client.userId) ?? this.ctx.users().find((u) => u.role === 'administrator');
    if (!user) {
      const back = `${req.site.home('oauth/authorize')}?${Object.entries(q).map(([k, v]) => `${k}=${String(v).replace(/[&#%+ ]/g, (c) => encodeURIComponent(c))}`).join('&')}`;
      return { status: 302, headers: { 'X-Redirect-By': 'WordPress', Location: `${req.site.home('wp-login.php')}?redirect_to=${phpUrlencode(back)}`, 'Content-Type': 'text/html; charset=UTF-8' }, body: '' };
    }
    const code = randomKey();
    this.codes.set(code, { clientId, userId: user.id, redirectUri, expires: this.ctx.now() + CODE_LIFETIME, scope, challenge, challengeMethod });
    const params: [string, string][] = [['code', code]];
    if (state !== undefined) params.push(['state', state]);
    params.push(['iframe', 'break']);
    return this.json(302, { iframe: 'break' }, { 'Cache-Control': NOCACHE, Location: withQuery(redirectUri, params, phpUrlencode) });
  }

  // -------------------------------------------------------------------------------------------
  // The token endpoint (TokenController::grantAccessToken)

  private tokenEndpoint(req: TokenRequest): PageAnswer {
    if (req.requestMethod !== 'POST') return this.fail(oauthError(405, 'invalid_request', 'The request method must be POST when requesting an access token', '#section-3.2'), { Allow: 'POST, OPTIONS' });
    const p = this.requestParams(req);
    const grantType = textOf(p.grant_type);
    if (!grantType) return this.fail(oauthError(400, 'invalid_request', 'The grant type was not specified in the request'));
    if (!['authorization_code', 'client_credentials', 'password', 'refresh_token'].includes(grantType)) return this.fail(oauthError(400, 'unsupported_grant_type', `Grant type "${grantType}" not supported`));

    // HttpBasic: the client from PHP_AUTH_USER / PHP_AUTH_PW, else client_id / client_secret in the body.
    const creds = req.phpAuth ? { id: req.phpAuth.user, secret: req.phpAuth.password } : p.client_id !== undefined && p.client_id !== null ? { id: textOf(p.client_id) ?? '', secret: textOf(p.client_secret) ?? '' } : undefined;
    if (!creds) return this.fail(oauthError(400, 'invalid_client', 'Client credentials were not found in the headers or body'));
    if (!creds.secret) return this.fail(oauthError(400, 'invalid_client', 'This client is invalid or must authenticate using a client secret'));
    const client = this.clients.find((c) => c.clientId === creds.id);
    if (!client || !client.clientSecret || client.clientSecret !== creds.secret) return this.fail(oauthError(400, 'invalid_client', 'The client credentials are invalid'));

    // The grant's own checks, then: is it this client's, and may the client use this grant?
    let grant: { userId: number; scope: string; clientId?: string; code?: string } | OAuthError;
    switch (grantType) {
      case 'authorization_code': grant = this.checkCode(p); break;
      case 'password': grant = this.checkPassword(p); break;
      case 'refresh_token': grant = this.checkRefreshToken(p); break;
      default: grant = { userId: client.userId, scope: 'basic' };
    }
    if ('error' in grant) return this.fail(grant);
    if (grant.clientId !== undefined && grant.clientId !== client.clientId) return this.fail(oauthError(400, 'invalid_grant', `${grantType} doesn't exist or is invalid for the client`));
    if (!client.grantTypes.has(grantType)) return this.fail(oauthError(400, 'unauthorized_client', 'The grant type is unauthorized for this client_id'));
    const requested = textOf(p.scope);
    if (requested && requested.split(' ').some((s) => !SCOPES.includes(s))) return this.fail(oauthError(400, 'invalid_scope', 'An unsupported scope was requested'));
    if (grant.code) this.codes.delete(grant.code);

    const now = this.ctx.now();
    const scope = requested || grant.scope;
    const expiresIn = this.ctx.lifetimes.accessSeconds ?? ACCESS_LIFETIME;
    const access = this.ctx.jwtAccessTokens ? this.jwtAccessToken(req, client, grant.userId, scope, now, expiresIn) : randomKey();
    this.accessTokens.set(access, { clientId: client.clientId, userId: grant.userId, expires: now + expiresIn, scope });
    const body: Record<string, unknown> = { access_token: access, expires_in: expiresIn, token_type: this.ctx.jwtAccessTokens ? 'bearer' : 'Bearer', scope };
    // Client credentials get no refresh token (RFC 6749 4.4.3); every other grant a new one.
    if (grantType !== 'client_credentials') {
      const refresh = randomKey();
      this.refreshTokens.set(refresh, { clientId: client.clientId, userId: grant.userId, expires: now + (this.ctx.lifetimes.refreshSeconds ?? REFRESH_LIFETIME), scope });
      body.refresh_token = refresh;
    }
    return this.json(200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  }

  /** An RS256 JWT access token ("JWT bearer" setting); iss is site_url( null, 'https' ). */
  private jwtAccessToken(req: TokenRequest, client: OAuthClientRecord, userId: number, scope: string, now: number, lifetime: number): string {
    const id = randomKey();
    const { privateKey, kid } = this.keyPair();
    return signJwt({ id, jti: id, iss: req.site.homeUrl('', true), aud: client.clientId, sub: String(userId), exp: now + lifetime, iat: now, token_type: 'bearer', scope }, { alg: 'RS256', privateKey, kid });
  }

  /** AuthorizationCode::validateRequest(), with WP OAuth Server's PKCE check inside the code lookup. */
  private checkCode(p: Params): { userId: number; scope: string; clientId: string; code: string } | OAuthError {
    const code = textOf(p.code);
    if (!code) return oauthError(400, 'invalid_request', 'Missing parameter: "code" is required');
    const record = this.codes.get(code);
    const missing = oauthError(400, 'invalid_grant', "Authorization code doesn't exist or is invalid for the client");
    if (!record) return missing;
    if (record.challenge) {
      const verifier = textOf(p.code_verifier) ?? '';
      const derived = record.challengeMethod === 'S256' ? base64url(crypto.createHash('sha256').update(verifier).digest()) : verifier;
      if (!verifier || derived !== record.challenge) return missing;
    }
    const redirect = textOf(p.redirect_uri);
    if (!redirect || safeDecode(redirect) !== safeDecode(record.redirectUri)) return oauthError(400, 'redirect_uri_mismatch', 'The redirect URI is missing or do not match', '#section-4.1.3');
    if (record.expires < this.ctx.now()) return oauthError(400, 'invalid_grant', 'The authorization code has expired');
    return { userId: record.userId, scope: record.scope, clientId: record.clientId, code };
  }

  /** UserCredentials::validateRequest(): the WordPress login password. */
  private checkPassword(p: Params): { userId: number; scope: string } | OAuthError {
    const username = textOf(p.username);
    const password = textOf(p.password);
    if (!username || !password) return oauthError(400, 'invalid_request', 'Missing parameters: "username" and "password" required');
    const users = this.ctx.users();
    const user = findUserByLogin(users, username) ?? findUserByEmail(users, username);
    if (!user || user.loginPassword === undefined || user.loginPassword !== password) return oauthError(401, 'invalid_grant', 'Invalid username and password combination');
    return { userId: user.id, scope: 'basic' };
  }

  /** RefreshToken::validateRequest(). */
  private checkRefreshToken(p: Params): { userId: number; scope: string; clientId: string } | OAuthError {
    const token = textOf(p.refresh_token);
    if (!token) return oauthError(400, 'invalid_request', 'Missing parameter: "refresh_token" is required');
    const record = this.refreshTokens.get(token);
    if (!record) return oauthError(400, 'invalid_grant', 'Invalid refresh token');
    if (record.expires > 0 && record.expires < this.ctx.now()) return oauthError(400, 'invalid_grant', 'Refresh token has expired');
    return { userId: record.userId, scope: record.scope, clientId: record.clientId };
  }

  // -------------------------------------------------------------------------------------------
  // Resource endpoints

  /** The token of a resource request, or the answer WP OAuth Server gives when there is none. */
  private resource(req: TokenRequest): (TokenRecord & { token: string }) | PageAnswer {
    const token = this.tokenOf(req);
    if (!token || 'error' in token) return this.fail(oauthError(400, 'invalid_request', 'Invalid token', INVALID_TOKEN_URI));
    return token;
  }

  private me(req: TokenRequest): PageAnswer {
    const token = this.resource(req);
    if ('status' in token) return token;
    const user = userById(this.ctx, token.userId);
    if (!user) return this.fail(oauthError(400, 'invalid_request', 'Missing or invalid access token'));
    return this.json(200, meData(user), { 'Cache-Control': NOCACHE });
  }

  private introspection(req: TokenRequest): PageAnswer {
    if (req.requestMethod !== 'POST') return this.fail(oauthError(405, 'invalid_request', 'The request method must be POST when calling the introspection endpoint.', 'https://tools.ietf.org/html/rfc7662#section-2.1'), { Allow: 'POST' });
    const token = this.resource(req);
    if ('status' in token) return token;
    return this.json(200, { active: true, scope: token.scope, client_id: token.clientId }, { 'Cache-Control': NOCACHE });
  }

  /** TokenController::handleRevokeRequest() (RFC 7009): no client authentication asked. */
  private revoke(req: TokenRequest): PageAnswer {
    if (req.requestMethod !== 'POST') return this.fail(oauthError(405, 'invalid_request', 'The request method must be POST when revoking an access token', '#section-3.2'), { Allow: 'POST, OPTIONS' });
    const p = this.requestParams(req);
    const hint = p.token_type_hint;
    if (hint !== undefined && hint !== 'access_token' && hint !== 'refresh_token') return this.fail(oauthError(400, 'invalid_request', "Token type hint must be either 'access_token' or 'refresh_token'"));
    const token = textOf(p.token);
    if (token === undefined) return this.fail(oauthError(400, 'invalid_request', 'Missing token parameter to revoke'));
    // The hinted kind first, then the other (RFC 7009 2.2): a token is in one map at most.
    const [first, second] = hint === 'refresh_token' ? [this.refreshTokens, this.accessTokens] : [this.accessTokens, this.refreshTokens];
    if (!first.delete(token)) second.delete(token);
    return this.json(200, { revoked: true });
  }

  /** /oauth/destroy/: the access token (and a refresh token sent along) deleted, the login cookies cleared. */
  private destroy(req: TokenRequest): PageAnswer {
    const token = this.resource(req);
    if ('status' in token) return token;
    this.accessTokens.delete(token.token);
    const refresh = textOf(this.requestParams(req).refresh_token) ?? textOf(req.get.get('refresh_token'));
    if (refresh) this.refreshTokens.delete(refresh);
    return this.json(200, { status: true, description: 'Session destroyed successfully' }, { 'Cache-Control': NOCACHE, 'Set-Cookie': this.sessions.logoutCookies(req, token.userId) });
  }
}

// ---------------------------------------------------------------------------------------------

function meData(u: UserRecord): Record<string, unknown> {
  return {
    ID: String(u.id),
    user_login: u.login,
    user_nicename: u.login.toLowerCase(),
    user_email: u.email,
    user_registered: u.dateCreated.replace('T', ' '),
    user_status: '0',
    display_name: u.login,
    user_roles: [u.role],
    // The role's capabilities, and the role itself, as WordPress lists them in allcaps.
    capabilities: Object.fromEntries([...ROLE_CAPABILITIES[u.role], u.role].map((c) => [c, true])),
    email: u.email,
  };
}

/** require_exact_redirect_uri off: the given URI must start with the registered one. */
function redirectMatches(given: string, registered: string): boolean {
  return !!registered && given.startsWith(registered) && (given.length === registered.length || /[/?#&]/.test(given[registered.length]!) || registered.endsWith('/'));
}

function withQuery(url: string, params: [string, string][], encode: (s: string) => string = phpRawurlencode): string {
  const query = params.map(([k, v]) => `${k}=${encode(v)}`).join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function textOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && v !== '0' && v !== false && v !== 0;
}

/** A PHP array of request values as plain text values (top level only). */
function plain(a: PhpArray): Params {
  const out: Params = {};
  for (const [k, v] of a.entries()) out[k] = typeof v === 'string' ? phpBytesToText(v) : v;
  return out;
}
