// Explains the answers around tokens: a refused sign-in or renewal at a token endpoint, an OAuth
// error, and an API request whose bearer token was not accepted. The plugins differ in how much
// they say (docs/tokens.md): Tmeister names the token's problem on every route; Useful Team and WP
// OAuth Server let WooCommerce answer as to a visitor, and only their validate / introspection
// endpoints tell more. So the evidence comes from the answer, the token's own claims, what the
// client knew (its expiry, where it was obtained, the OAuth flow), and, when that still leaves
// several causes, a probe of the plugin's own endpoint (token-probe.ts).
//
// Pure: no `vscode`, no I/O.

import type { CauseId, FixContext } from './causes';
import type { Confidence, ExchangeFacts, ExplainInput, Finding } from './explain';
import { duration } from './explain';
import type { SentToken, TokenEvidence, TokenProbeFacts } from './token-evidence';
import type { TokenPlugin } from '../store';

/** The part of the explainer's finding list this module uses. */
export interface FindingSink {
  add(cause: CauseId, confidence: Confidence, evidence: string[], opts?: { related?: Finding['related']; ctx?: Partial<FixContext> }): void;
  has(cause: CauseId): boolean;
}

const AUTH: Finding['related'] = { kind: 'header', name: 'Authorization' };
const URL_PART: Finding['related'] = { kind: 'url' };

type Endpoint = 'jwt-token' | 'jwt-validate' | 'jwt-refresh' | 'oauth-authorize' | 'oauth-token' | 'oauth-resource' | 'oauth-introspection' | 'oauth-revoke' | 'oauth-discovery' | 'api';

function endpointOf(url: URL): Endpoint {
  const p = url.pathname;
  const route = url.searchParams.get('rest_route') ?? p;
  if (/\/jwt-auth\/v1\/token\/validate\/?$/.test(route)) return 'jwt-validate';
  if (/\/jwt-auth\/v1\/token\/refresh\/?$/.test(route)) return 'jwt-refresh';
  if (/\/jwt-auth\/v1\/token\/?$/.test(route)) return 'jwt-token';
  if (/\/oauth\/authorize\/?$/.test(p)) return 'oauth-authorize';
  if (/\/oauth\/token\/?$/.test(p)) return 'oauth-token';
  if (/\/oauth\/introspection\/?$/.test(p)) return 'oauth-introspection';
  if (/\/oauth\/revoke\/?$/.test(p)) return 'oauth-revoke';
  if (/\/oauth\/(me|destroy)\/?$/.test(p)) return 'oauth-resource';
  if (/\/\.well-known\/(openid-configuration|keys)\/?$/.test(p)) return 'oauth-discovery';
  return 'api';
}

/** An OAuth error body ({error, error_description}), or a WordPress / plugin one ({code, message}). */
interface Said {
  code: string;
  message: string;
}

function saidOf(input: ExplainInput): Said | undefined {
  const r = input.exchange.response;
  if (!r) return undefined;
  try {
    const j = JSON.parse(Buffer.from(r.body).toString('utf8')) as Record<string, unknown>;
    const code = typeof j.code === 'string' ? j.code : typeof j.error === 'string' ? j.error : undefined;
    const message = typeof j.message === 'string' ? j.message : typeof j.error_description === 'string' ? j.error_description : '';
    return code ? { code, message: message.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim() } : undefined;
  } catch {
    return undefined;
  }
}

const header = (h: readonly [string, string][], name: string): string | undefined => h.find(([n]) => n.toLowerCase() === name)?.[1];

/** The parameters of the recorded request's body, form or JSON (secret values arrive masked). */
function bodyParams(input: ExplainInput): URLSearchParams {
  const body = input.exchange.request.body ?? '';
  if (/json/i.test(header(input.exchange.request.headers, 'content-type') ?? '')) {
    try {
      const j = JSON.parse(body) as unknown;
      const out = new URLSearchParams();
      if (j && typeof j === 'object' && !Array.isArray(j)) for (const [k, v] of Object.entries(j)) if (typeof v === 'string' || typeof v === 'number') out.set(k, String(v));
      return out;
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(body);
}

/** What the recorded (masked) request shows of the token: the header's scheme word, parameter names. */
function sentFromRecord(input: ExplainInput, url: URL): SentToken | undefined {
  const places: SentToken['places'] = [];
  const auth = header(input.exchange.request.headers, 'authorization')?.trim();
  const scheme = auth ? /^([A-Za-z][\w-]*)/.exec(auth)?.[1] : undefined;
  if (scheme && scheme.toLowerCase() === 'bearer') places.push('header');
  const parameter = ['access_token', 'token'].find((p) => url.searchParams.has(p));
  if (parameter) places.push('query');
  const body = input.exchange.request.body ?? '';
  const bodyParam = /x-www-form-urlencoded/i.test(header(input.exchange.request.headers, 'content-type') ?? '') ? ['access_token', 'token'].find((p) => new URLSearchParams(body).has(p)) : undefined;
  if (bodyParam) places.push('body');
  if (!places.length) return undefined;
  const empty = auth !== undefined && /^\S+\s*$/.test(auth);
  return { places, scheme: places.includes('header') ? scheme : undefined, parameter: parameter ?? bodyParam, shape: { kind: empty ? 'empty' : 'malformed', length: 0, segments: 0 } };
}

function pluginName(p: TokenPlugin | undefined): string {
  switch (p) {
    case 'tmeister': return "the JWT plugin (Tmeister's JWT Authentication for WP REST API)";
    case 'useful-team': return "the JWT plugin (Useful Team's JWT Auth)";
    case 'wp-oauth-server': return 'WP OAuth Server';
    case 'oauth2': return 'the OAuth 2.0 server';
    default: return "the store's token plugin";
  }
}

const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

/**
 * Adds the token findings for this exchange; true when it explained it (the rest of the explainer
 * then adds nothing), false when the exchange is not about tokens.
 */
export function explainTokenAnswer(f: ExchangeFacts, input: ExplainInput, out: FindingSink, answer: string): boolean {
  const endpoint = endpointOf(f.url);
  const token: TokenEvidence = input.token ?? {};
  const plugin = token.plugin ?? input.store?.token?.plugin ?? (endpoint.startsWith('oauth') ? 'wp-oauth-server' : undefined);
  const sent = token.sent ?? sentFromRecord(input, f.url);
  const said = saidOf(input);
  const status = f.status;
  const ctx = { f, input, out, answer, token, plugin, sent, said };

  // WP OAuth Server's addresses without their slash.
  if (status >= 300 && status < 400 && endpoint !== 'api') {
    const location = header(input.exchange.response!.headers, 'location');
    const to = location ? safeUrl(location, f.url) : undefined;
    if (to && to.origin === f.url.origin && to.pathname === `${f.url.pathname}/`) {
      out.add('oauth-trailing-slash', 'certain', [`${answer} to ${to.origin}${to.pathname}: the same address with a trailing slash.`], { related: URL_PART, ctx: { suggestedUrl: to.href } });
      return true;
    }
    if (endpoint === 'oauth-authorize' && to) return authorizeRedirect(ctx, to);
    return false;
  }
  // WP OAuth Server's exact answer (other security plugins use the same code with their own words: see security-plugin).
  if (said?.code === 'rest_not_authorized' && (plugin === 'wp-oauth-server' || /^authorization is required\.?$/i.test(said.message ?? ''))) {
    const evidence = [`${answer}: WP OAuth Server's "Block unauthenticated requests to the REST API" is on, and this request reached WordPress without accepted credentials.`];
    out.add('rest-not-authorized', 'certain', evidence, { related: URL_PART });
    if (sent) silentRefusal(ctx, 'likely');
    return true;
  }
  if (status < 400) return false;

  switch (endpoint) {
    case 'jwt-token':
    case 'jwt-refresh':
      if (said && loginOrRefreshFailure(ctx)) return true;
      break;
    case 'oauth-token':
    case 'oauth-revoke':
    case 'oauth-authorize':
      if (said && oauthError(ctx)) return true;
      break;
    case 'oauth-resource':
    case 'oauth-introspection':
      if (said && resourceError(ctx)) return true;
      break;
    default:
      break;
  }
  if (said && jwtError(ctx)) return true;
  // A visitor's answer to a request with a token, on a store known to use tokens (without a
  // plugin, "bearer tokens mean nothing to WooCommerce" is the explanation, given elsewhere).
  const tokenStore = plugin !== undefined || input.store?.authMethod === 'jwt' || input.store?.authMethod === 'oauth2' || token.probe !== undefined
    // A JWT plugin's token (data.user in its claims) says which kind of store this is, even pasted.
    || (sent?.shape.kind === 'jwt' && claimsLookJwtPlugin(sent));
  if (endpoint === 'api' && sent && tokenStore && status === 401 && isAnonymous(said)) {
    silentRefusal(ctx, 'certain');
    return true;
  }
  return false;
}

interface Ctx {
  f: ExchangeFacts;
  input: ExplainInput;
  out: FindingSink;
  answer: string;
  token: TokenEvidence;
  plugin: TokenPlugin | undefined;
  sent: SentToken | undefined;
  said: Said | undefined;
}

function isAnonymous(said: Said | undefined): boolean {
  return !said || /_cannot_|^rest_forbidden$|^rest_not_logged_in$/.test(said.code);
}

function safeUrl(s: string, base?: URL): URL | undefined {
  try {
    return new URL(s, base);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Sign-in and refresh at a JWT plugin's token endpoint

function loginOrRefreshFailure(c: Ctx): boolean {
  const { said, out, answer } = c;
  const code = said!.code.replace(/^\[jwt_auth\]\s*/, '');
  const flow = c.token.flow;
  const body = bodyParams(c.input);
  const cookieSent = header(c.input.exchange.request.headers, 'cookie') !== undefined;
  switch (code) {
    case 'incorrect_password': {
      const appWords = /application password/i.test(said!.message);
      out.add('token-login-failed', 'certain', [`${answer}.`, appWords
        ? 'The password is neither the user\'s WordPress password nor one of their application passwords (once a site has application passwords, the API\'s sign-in answers in their words).'
        : 'The user exists; the password is wrong.'], { related: URL_PART });
      return true;
    }
    case 'invalid_username':
    case 'invalid_email':
    case 'empty_username':
    case 'empty_password':
    case 'authentication_failed': {
      const which = code === 'empty_username' || (code === 'invalid_username' && !body.get('username')) ? 'No user name was sent.' : code === 'empty_password' ? 'No password was sent.' : 'WordPress has no user with that name or email address.';
      out.add('token-login-failed', 'certain', [`${answer}.`, which], { related: URL_PART });
      return true;
    }
    case 'application_passwords_disabled':
      out.add('token-login-failed', 'certain', [`${answer}.`, `Over ${c.f.url.protocol === 'http:' ? 'plain HTTP' : 'this connection'} WordPress offers no application passwords, and the password is not the user's login password: an application password only works over https://.`], { related: URL_PART, ctx: { httpsAvailable: true } });
      return true;
    case 'jwt_auth_no_auth_cookie': {
      const inBody = flow?.refreshInBody || body.has('refresh_token');
      out.add('refresh-token-missing', 'certain', [`${answer}.`, inBody ? 'The refresh token was in the body; the plugin reads it from the refresh_token cookie only.' : cookieSent ? 'A Cookie header was sent, but without refresh_token.' : 'No refresh_token cookie was sent.'], { related: { kind: 'header', name: 'Cookie' } });
      return true;
    }
    case 'jwt_auth_invalid_refresh_token': {
      const device = flow?.device ?? body.get('device') ?? '';
      const evidence = [`${answer}.`];
      if (flow?.cookieDevice !== undefined && flow.cookieDevice !== device) evidence.push(`The cookie was issued to the device "${flow.cookieDevice}", and the renewal said "${device}": the plugin keeps one refresh cookie per device.`);
      else evidence.push(`The plugin has no refresh cookie like this one for the device "${device}" (${device ? 'another device\'s cookie' : 'a cookie issued with a device, renewed without it'}, or a malformed cookie).`);
      out.add('refresh-token-mismatch', 'certain', evidence, { related: { kind: 'header', name: 'Cookie' } });
      return true;
    }
    case 'jwt_auth_obsolete_refresh_token':
      out.add('refresh-token-revoked', 'certain', [`${answer}.`, 'A newer refresh cookie replaced this one for the same device (/token/refresh, or another sign-in on that device); the old one is obsolete from that moment.'], { related: { kind: 'header', name: 'Cookie' } });
      return true;
    case 'jwt_auth_expired_refresh_token':
      out.add('refresh-token-expired', 'certain', [`${answer}.`], { related: { kind: 'header', name: 'Cookie' } });
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// OAuth 2.0 errors (token endpoint, authorize page, revocation)

function oauthError(c: Ctx): boolean {
  const { said, out, answer } = c;
  const m = said!.message;
  const body = bodyParams(c.input);
  const grant = body.get('grant_type') ?? undefined;
  const flow = c.token.flow;
  switch (said!.code) {
    case 'invalid_client': {
      const why = /not found in the headers or body/.test(m) ? 'No client id and secret were sent (neither an Authorization: Basic header nor client_id/client_secret in the body).'
        : /must authenticate using a client secret/.test(m) ? 'The client was sent without its secret; WP OAuth Server has no public clients, so PKCE alone is not enough.'
        : /client id supplied is invalid/.test(m) ? 'The store has no client with this client id.'
        : 'The client id and secret do not match a client of the store.';
      out.add('oauth-client-invalid', 'certain', [`${answer}.`, why], { related: AUTH });
      return true;
    }
    case 'unauthorized_client':
      out.add('grant-not-allowed', 'certain', [`${answer}.`, `The client may not use the ${grant ?? (c.f.url.pathname.includes('authorize') ? 'authorization code' : 'requested')} grant${grant && grant !== 'authorization_code' ? ': a client made in WP OAuth Server\'s free admin form has the authorization code grant only' : ''}.`], { related: URL_PART });
      return true;
    case 'unsupported_grant_type':
    case 'unsupported_response_type':
      out.add('grant-not-allowed', 'certain', [`${answer}.`, said!.code === 'unsupported_response_type' ? 'The implicit flow (response_type=token) is off on this server; use the authorization code with PKCE.' : `The server does not offer the grant "${grant ?? '?'}".`], { related: URL_PART });
      return true;
    case 'redirect_uri_mismatch':
      out.add('oauth-redirect-mismatch', 'certain', [`${answer}.`, body.has('grant_type') && !body.has('redirect_uri') ? 'The code exchange did not repeat the redirect_uri of the authorize request.' : 'The redirect URI is not the one registered for the client.'], { related: URL_PART });
      return true;
    case 'invalid_request':
    case 'invalid_code_challenge':
    case 'invalid_code_challenge_method':
    case 'invalid_scope':
      if (/Only one method/.test(m)) {
        out.add('token-sent-twice', 'certain', [`${answer}.`], { related: AUTH });
        return true;
      }
      out.add('oauth-request-malformed', 'certain', [`${answer}.`], { related: URL_PART });
      return true;
    case 'invalid_grant':
      return invalidGrant(c, grant, flow, body);
    default:
      return false;
  }
}

function invalidGrant(c: Ctx, grant: string | undefined, flow: TokenEvidence['flow'], body: URLSearchParams): boolean {
  const { said, out, answer } = c;
  const m = said!.message;
  if (/authorization code has expired/i.test(m)) {
    out.add('authorization-code-expired', 'certain', [`${answer}.`, flow?.codeAgeSeconds !== undefined ? `The code was exchanged ${duration(flow.codeAgeSeconds)} after it came back; WP OAuth Server's codes live 30 seconds.` : "WP OAuth Server's codes live 30 seconds."], { related: URL_PART });
    return true;
  }
  if (/Authorization code doesn't exist/i.test(m)) {
    const verifierSent = flow?.verifierSent ?? body.has('code_verifier');
    if (flow?.codeUsedBefore) {
      out.add('authorization-code-used', 'certain', [`${answer}.`, 'This code had been exchanged before; a code is good for one exchange.'], { related: URL_PART });
    } else if (flow?.pkceMethod) {
      out.add('pkce-verifier-wrong', 'certain', [`${answer}.`, verifierSent ? `The authorize request carried a ${flow.pkceMethod} code_challenge, and the code_verifier sent does not produce it.` : `The authorize request carried a ${flow.pkceMethod} code_challenge, and the exchange sent no code_verifier.`], { related: URL_PART });
    } else if (verifierSent) {
      out.add('pkce-verifier-wrong', 'likely', [`${answer}.`, 'A code_verifier was sent: when it does not match the authorize request\'s code_challenge, the server answers with these words.'], { related: URL_PART });
      out.add('authorization-code-used', 'possible', ['A code already exchanged, or issued to another client, gets the same words.'], { related: URL_PART });
    } else {
      out.add('authorization-code-used', 'likely', [`${answer}.`, 'No code_verifier was sent: the code was used already or belongs to another client, unless the authorize request carried a code_challenge (then the verifier is missing).'], { related: URL_PART });
      out.add('pkce-verifier-wrong', 'possible', ['If the authorize request carried a code_challenge, the exchange needs its code_verifier.'], { related: URL_PART });
    }
    return true;
  }
  if (/Refresh token has expired/i.test(m)) {
    out.add('refresh-token-expired', 'certain', [`${answer}.`], { related: URL_PART });
    return true;
  }
  if (/doesn't exist or is invalid for the client/i.test(m)) {
    out.add('refresh-token-mismatch', 'certain', [`${answer}.`, flow?.issuedToClient && flow.clientId ? `The refresh token was issued to the client ${flow.issuedToClient}, and ${flow.clientId} sent it.` : 'The refresh token was issued to another client than the one sending it.'], { related: URL_PART });
    return true;
  }
  if (/Invalid refresh token/i.test(m)) {
    out.add('refresh-token-revoked', 'certain', [`${answer}.`, 'The server does not know this refresh token: revoked (/oauth/revoke/), deleted with its access token (/oauth/destroy/), or never issued by it.'], { related: URL_PART });
    return true;
  }
  if (/username and password/i.test(m) || grant === 'password') {
    out.add('token-login-failed', 'certain', [`${answer}.`, 'The password grant checks the WordPress login password (not an application password).'], { related: URL_PART });
    return true;
  }
  return false;
}

function authorizeRedirect(c: Ctx, to: URL): boolean {
  const error = to.searchParams.get('error');
  if (!error) return true; // a code, or the login page: the flow going on as it should
  const said: Said = { code: error, message: to.searchParams.get('error_description') ?? '' };
  return oauthError({ ...c, said, answer: `The store's authorize page sent the browser back to ${to.origin}${to.pathname} with error=${error} "${said.message}"` });
}

// ---------------------------------------------------------------------------------------------
// "Invalid token" from /oauth/me/, /oauth/introspection/, /oauth/destroy/

function resourceError(c: Ctx): boolean {
  const { said, out, answer, sent } = c;
  if (/Only one method/.test(said!.message)) {
    out.add('token-sent-twice', 'certain', [`${answer}.`, sent ? `The token went in ${sent.places.join(' and ')}.` : ''].filter(Boolean), { related: AUTH });
    return true;
  }
  if (said!.code === 'invalid_request' && /must be POST/.test(said!.message)) {
    out.add('oauth-request-malformed', 'certain', [`${answer}.`], { related: URL_PART });
    return true;
  }
  if (said!.code !== 'invalid_request' && said!.code !== 'invalid_token') return false;
  const body = bodyParams(c.input);
  if (!sent && body.has('token')) {
    out.add('token-not-in-header', 'certain', [`${answer}.`, 'The token went in the body as "token"; WP OAuth Server reads it from the Authorization: Bearer header (or a parameter named access_token).'], { related: AUTH });
    return true;
  }
  if (!sent) {
    out.add('no-credentials', 'certain', [`${answer}.`, 'The request carried no token.'], { related: AUTH });
    return true;
  }
  silentRefusal(c, 'certain', false);
  return true;
}

// ---------------------------------------------------------------------------------------------
// The JWT plugins' own errors (Tmeister on any route, both on /token/validate)

function jwtError(c: Ctx): boolean {
  const { said, out, answer, sent } = c;
  const code = said!.code;
  if (!/^jwt_auth_/.test(code)) return false;
  switch (code) {
    case 'jwt_auth_invalid_token':
      if (/expired/i.test(said!.message)) out.add(expiredCause(c), 'certain', [`${answer}.`, ...expiryEvidence(c)], { related: AUTH });
      else out.add('token-invalid', 'certain', [`${answer}.`, ...shapeEvidence(c, said!.message)], { related: AUTH });
      return true;
    case 'jwt_auth_bad_auth_header':
      if (sent?.scheme && sent.scheme !== 'Bearer') out.add('bearer-lowercase', 'certain', [`${answer}.`, `The header says "${sent.scheme} …"; the plugin reads "Bearer " exactly.`], { related: AUTH });
      else out.add('token-invalid', 'certain', [`${answer}.`, 'The header says "Bearer" with no token after it.'], { related: AUTH });
      return true;
    case 'jwt_auth_no_auth_header':
      if (header(c.input.exchange.request.headers, 'authorization') !== undefined) {
        out.add('header-stripped', 'certain', [`${answer}.`, 'The request did carry an Authorization header: the server removed it before PHP saw it.'], { related: AUTH });
      } else {
        out.add('no-credentials', 'certain', [`${answer}.`, 'The request carried no Authorization header.'], { related: AUTH });
      }
      return true;
    case 'jwt_auth_bad_iss':
      wrongSite(c, 'certain', [`${answer}.`]);
      return true;
    case 'jwt_auth_bad_request':
    case 'jwt_auth_user_not_found':
      out.add('token-invalid', 'certain', [`${answer}.`, code === 'jwt_auth_bad_request' ? 'The token names no user (data.user.id): it was not made by this plugin\'s sign-in.' : `The token names a user the site no longer has${userOf(c) ? ` (id ${userOf(c)})` : ''}.`], { related: AUTH });
      return true;
    case 'jwt_auth_obsolete_token':
      out.add('token-obsolete', 'certain', [`${answer}.`, 'The token was issued before the user\'s password changed (or for a device the user no longer has).'], { related: AUTH });
      return true;
    default:
      return false;
  }
}

function userOf(c: Ctx): string | undefined {
  const id = (c.sent?.shape.claims?.data as { user?: { id?: unknown } } | undefined)?.user?.id;
  return id === undefined ? undefined : String(id);
}

// ---------------------------------------------------------------------------------------------
// The silent refusal: the token went out, the store answered as to a visitor

function silentRefusal(c: Ctx, best: Confidence, visitor = true): void {
  const { out, answer, sent, plugin, f, token } = c;
  const s = sent!;
  const jwtPlugin = plugin === 'tmeister' || plugin === 'useful-team' || (plugin === undefined && s.shape.kind === 'jwt' && claimsLookJwtPlugin(s));
  const who = pluginName(plugin);
  const silent = visitor ? `${answer}: the answer to a visitor, so ${who} did not accept the token.` : `${answer}: ${who} did not accept the token, without saying why.`;
  const probe = token.probe;

  if (s.places.includes('header') && s.scheme && s.scheme !== 'Bearer' && (jwtPlugin || plugin === undefined)) {
    out.add('bearer-lowercase', best, [silent, `The header says "${s.scheme} …"; the JWT plugins read "Bearer " exactly, case included, and leave anything else to WordPress (which knows no bearer tokens).`], { related: AUTH });
    return;
  }
  if (s.places.length > 1 && !jwtPlugin) {
    out.add('token-sent-twice', best, [silent, `The token went in ${s.places.join(' and ')}; the server refuses a request that uses more than one.`], { related: AUTH });
    return;
  }
  if (!s.places.includes('header') && (jwtPlugin || s.parameter === 'token')) {
    out.add('token-not-in-header', best, [silent, `The token went in the ${s.places.join(' and ')} as "${s.parameter}"; ${jwtPlugin ? 'the JWT plugins read the Authorization header only' : 'the server reads access_token, not token'}.`], { related: AUTH });
    return;
  }
  if (s.shape.kind === 'empty' || s.shape.kind === 'malformed' || (jwtPlugin && s.shape.kind === 'opaque')) {
    out.add('token-invalid', best, [silent, ...shapeEvidence(c)], { related: AUTH });
    return;
  }
  // What the client knows: the token's exp, or the expiry the token endpoint gave.
  const expired = expiredAt(c);
  if (expired && expired.by >= 0) {
    out.add(expiredCause(c), best, [silent, ...expiryEvidence(c)], { related: AUTH });
    return;
  }
  const iss = typeof s.shape.claims?.iss === 'string' ? safeUrl(s.shape.claims.iss) : undefined;
  if (jwtPlugin && iss && iss.origin !== f.url.origin) {
    wrongSite(c, best, [silent]);
    return;
  }
  if (probe) {
    probeFindings(c, silent, best);
    return;
  }
  // One answer, several causes: say which fit, most likely first; the doctor's probe tells them apart.
  if (plugin === 'tmeister') {
    out.add('header-stripped', 'likely', [silent, 'Tmeister\'s plugin names what is wrong with a token it sees (403 jwt_auth_…); a visitor\'s answer means the Authorization header never reached it.'], { related: AUTH });
    return;
  }
  if (plugin === 'useful-team') {
    out.add('token-obsolete', 'likely', [silent, 'The token looks current; Useful Team refuses in silence a token issued before a password change, one signed with another secret, and one the server never receives.'], { related: AUTH });
    out.add('token-invalid', 'possible', ['A token signed with another secret gets the same answer.'], { related: AUTH });
  } else {
    out.add('token-revoked', 'likely', [silent, expired ? `The token was due to expire at ${iso(expired.at)}, so it should still be valid: the server no longer knows it (revoked, destroyed, or from another server).` : 'The server no longer knows it (revoked, destroyed, expired early, or from another server).'], { related: AUTH });
    if (!expired) out.add('token-expired', 'possible', ['An expired token gets the same answer; the client does not know when this one expires.'], { related: AUTH });
  }
  out.add('header-stripped', 'possible', ['A server that strips the Authorization header gives this answer to a valid token.'], { related: AUTH });
}

/** What the validate / introspection probe said about the same token. */
function probeFindings(c: Ctx, silent: string, best: Confidence): void {
  const { out } = c;
  const p = c.token.probe!;
  const said = `The plugin's own check (${p.endpoint}) answered ${p.status}${p.code ? ` ${p.code}` : ''}${p.message ? ` "${p.message}"` : ''}${p.active ? ' (active)' : ''}`;
  const code = p.code ?? '';
  if (code === 'jwt_auth_no_auth_header') {
    out.add('header-stripped', best, [silent, `${said}, though the token was sent in the Authorization header: the server removes the header before PHP sees it.`], { related: AUTH });
    return;
  }
  if (code.startsWith('jwt_auth_')) {
    jwtError({ ...c, said: { code, message: p.message ?? '' }, answer: `${silent.replace(/\.$/, '')}. ${said}` });
    return;
  }
  if (p.status === 200 && (code === 'jwt_auth_valid_token' || p.active)) {
    out.add('security-plugin', 'likely', [silent, `${said}: the token is valid, so something between the client and WooCommerce (a security plugin, a cache) stands in the way.`], { related: URL_PART });
    return;
  }
  if (p.viaBody && (p.viaBody.active || p.viaBody.status === 200)) {
    out.add('header-stripped', best, [silent, `${said}; the same token sent in a form body is active: the Authorization header does not reach the server.`], { related: AUTH });
    return;
  }
  // WP OAuth Server: "Invalid token" for expired and unknown alike.
  const expired = expiredAt(c);
  if (expired && expired.by >= -60) {
    out.add('token-expired', best, [silent, said, ...expiryEvidence(c)], { related: AUTH });
    return;
  }
  // "Invalid token" is also the answer to an expired token: certain only when the expiry is known to be ahead.
  out.add('token-revoked', expired ? best : 'likely', [silent, `${said}${p.viaBody ? ', in the header and in a body alike' : ''}: the server does not know this token${expired ? `, although it was due to expire only at ${iso(expired.at)}` : ''}.`], { related: AUTH });
  if (!expired) out.add('token-expired', 'possible', ['The server words an expired token the same way; the client does not know when this one expires.'], { related: AUTH });
}

/** A pasted token (auth method "bearer") cannot be renewed: its own cause says to enter a new one. */
function expiredCause(c: Ctx): 'token-expired' | 'bearer-expired' {
  return (c.input.authMethod ?? c.input.store?.authMethod) === 'bearer' ? 'bearer-expired' : 'token-expired';
}

function claimsLookJwtPlugin(s: SentToken): boolean {
  return !!(s.shape.claims?.data as { user?: unknown } | undefined)?.user;
}

/** When the token expired, and by how much before the server answered (negative: not yet). */
function expiredAt(c: Ctx): { at: Date; by: number } | undefined {
  const exp = c.sent?.shape.claims?.exp;
  const fromClaims = typeof exp === 'number' ? new Date(exp * 1000) : undefined;
  const known = c.token.expiresAt ? new Date(Date.parse(c.token.expiresAt)) : undefined;
  const at = fromClaims ?? (known && !Number.isNaN(known.getTime()) ? known : undefined);
  if (!at) return undefined;
  const when = c.f.serverDate ?? c.f.clientTime;
  return { at, by: Math.round((when.getTime() - at.getTime()) / 1000) };
}

function expiryEvidence(c: Ctx): string[] {
  const e = expiredAt(c);
  if (!e) return ['The token\'s expiry is not known here (an opaque token); the plugin says it has passed.'];
  const source = c.sent?.shape.claims?.exp !== undefined ? 'its exp claim' : 'the expiry the token endpoint gave';
  const against = c.f.serverDate ? "the server's clock (its Date header)" : "this machine's clock";
  if (e.by >= 0) return [`The token expired at ${iso(e.at)} (${source}), ${duration(e.by)} before the answer by ${against}.`];
  return [`By ${source} the token expires at ${iso(e.at)}, ${duration(-e.by)} after the answer by ${against}: the server's clock or its lifetime setting differs.`];
}

function shapeEvidence(c: Ctx, message?: string): string[] {
  const shape = c.sent?.shape;
  const out: string[] = [];
  if (message === 'Signature verification failed') out.push('The token is a well-formed JWT, but not signed with this site\'s secret: made by another site or another setup, or the site\'s JWT_AUTH_SECRET_KEY changed since.');
  if (shape?.kind === 'empty') out.push('There was no token after "Bearer".');
  else if (shape?.kind === 'malformed' && shape.length) {
    out.push(shape.segments === 3
      ? 'The token has the three parts of a JWT, but its header and claims do not decode as JSON: it was cut, mangled when copied, or made up.'
      : `The token has ${shape.segments} dot-separated part${shape.segments === 1 ? '' : 's'}; a JWT has 3 (header, claims, signature).`);
  }
  else if (shape?.kind === 'opaque' && (c.plugin === 'tmeister' || c.plugin === 'useful-team')) out.push('The token is not a JWT at all; the JWT plugins issue only JWTs.');
  return out;
}

function wrongSite(c: Ctx, confidence: Confidence, lead: string[]): void {
  const { f, out } = c;
  const issRaw = c.sent?.shape.claims?.iss;
  const iss = typeof issRaw === 'string' ? safeUrl(issRaw) : undefined;
  const evidence = [...lead];
  let suggested: string | undefined;
  if (iss) {
    const diffs = [iss.protocol !== f.url.protocol && `the scheme (${iss.protocol.slice(0, -1)} against ${f.url.protocol.slice(0, -1)})`, iss.port !== f.url.port && `the port (${iss.port || 'default'} against ${f.url.port || 'default'})`, iss.hostname !== f.url.hostname && `the host (${iss.hostname} against ${f.url.hostname})`].filter(Boolean);
    evidence.push(`The token was issued by ${iss.origin} (its iss claim) and sent to ${f.url.origin}: ${diffs.join(' and ') || 'the address'} differ${diffs.length === 1 ? 's' : ''}.`);
    suggested = `${iss.origin}${f.url.pathname}${f.url.search}`;
  } else {
    evidence.push('The token was issued at another address of the site (scheme, host or port) than the one it was sent to.');
  }
  out.add('token-wrong-site', confidence, evidence, { related: URL_PART, ctx: { suggestedUrl: suggested, homeUrl: iss?.origin } });
}

export type { TokenProbeFacts };
