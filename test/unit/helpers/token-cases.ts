// The recorded token-plugin cases as requests to the sandbox (one builder per case), shared by the
// sandbox replay (token-sandbox-replay.test.ts) and the explainer's replay (token-explain.test.ts).
// Every builder makes its own tokens, codes and cookies; `Caller` sends one request, so the replay
// can use a raw HTTP client and the explainer test the product's own send().
import * as assert from 'node:assert/strict';
import { startSandbox, type RunningSandbox, type SandboxOptions, type SandboxSeed } from '../../../src/sandbox';
import { send, type Reply } from './sandbox-http';
import { claimsOf, recordedTokenCases, s256, testJwt, tokenSeed } from './token-fixtures';

export { claimsOf, recordedTokenCases };

const seed = tokenSeed();
const [admin, customer, manager] = seed.users as [SandboxSeed['users'][0], SandboxSeed['users'][0], SandboxSeed['users'][0]];
const [clientA, clientB] = seed.oauth_clients! as [NonNullable<SandboxSeed['oauth_clients']>[0], NonNullable<SandboxSeed['oauth_clients']>[0]];
const key = seed.keys[0]!;
const SECRET = seed.jwt_secret!;
const OTHER_SECRET = 'a-secret-that-is-not-the-sites';
const CALLBACK = 'https://127.0.0.1:8999/callback';

export type Kind = 'tm' | 'tmStrip' | 'tmNoApp' | 'ut' | 'utStrip' | 'wo' | 'woStrip' | 'woJwt';
export type Sandboxes = Record<Kind, RunningSandbox>;
export const OPTIONS: Record<Kind, SandboxOptions> = {
  tm: { tokenPlugin: 'tmeister', accessTokenLifetimeSeconds: 60 },
  tmStrip: { tokenPlugin: 'tmeister', accessTokenLifetimeSeconds: 60, stripAuthorization: true },
  tmNoApp: { tokenPlugin: 'tmeister', accessTokenLifetimeSeconds: 60 },
  ut: { tokenPlugin: 'useful-team', accessTokenLifetimeSeconds: 60, refreshTokenLifetimeSeconds: 120 },
  utStrip: { tokenPlugin: 'useful-team', accessTokenLifetimeSeconds: 60, refreshTokenLifetimeSeconds: 120, stripAuthorization: true },
  wo: { tokenPlugin: 'wp-oauth-server' },
  woStrip: { tokenPlugin: 'wp-oauth-server', stripAuthorization: true },
  woJwt: { tokenPlugin: 'wp-oauth-server', oauthJwtAccessTokens: true },
};
/** "Site where application passwords were never used": the same users without any. */
const noAppSeed = (): SandboxSeed => ({ ...seed, users: seed.users.map((u) => ({ ...u, application_passwords: undefined })) });

// ---------------------------------------------------------------------------------------------
// Requests

export interface Call {
  scheme?: 'http' | 'https';
  method?: string;
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
}

/** Sends one request; the default is a raw HTTP client. */
export type Caller = (sb: RunningSandbox, c: Call) => Promise<Reply>;

export const rawCaller: Caller = (sb, c) => {
  const { method, headers, body } = callParts(c);
  return send(c.scheme === 'http' ? sb.httpUrl : sb.httpsUrl, { method, path: c.path, headers, body, ca: sb.certificatePem });
};

/** The headers and body a Call sends (shared by every Caller). */
export function callParts(c: Call): { method: string; headers: Record<string, string>; body?: string } {
  const headers: Record<string, string> = { Accept: 'application/json', ...c.headers };
  let body: string | undefined;
  if (c.json !== undefined) {
    body = JSON.stringify(c.json);
    headers['Content-Type'] = 'application/json';
  } else if (c.form !== undefined) {
    body = new URLSearchParams(c.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return { method: c.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body };
}

let call: Caller = rawCaller;

const TOKEN = '/wp-json/jwt-auth/v1/token';
const VALIDATE = `${TOKEN}/validate`;
const REFRESH = `${TOKEN}/refresh`;
const PRODUCTS = '/wp-json/wc/v3/products?per_page=2&_fields=id,name';
const bearer = (t: string): Record<string, string> => ({ Authorization: `Bearer ${t}` });
const basic = (user: string, password: string): Record<string, string> => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const ok = (r: Reply, what: string): Reply => {
  assert.ok(r.status >= 200 && r.status < 400, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
};
const obj = (r: Reply): Record<string, unknown> => r.json as Record<string, unknown>;

async function tmLogin(sb: RunningSandbox, user = admin, scheme: 'http' | 'https' = 'https'): Promise<string> {
  return obj(ok(await call(sb, { scheme, path: TOKEN, json: { username: user.login, password: user.password } }), 'Tmeister login')).token as string;
}

/** A Useful Team login (form body): the access token and the refresh cookie ("refresh_token=…"). */
async function utLogin(sb: RunningSandbox, user = admin, device?: string): Promise<{ token: string; cookie: string }> {
  const r = ok(await call(sb, { path: TOKEN, form: { username: user.login, password: user.password!, ...(device ? { device } : {}) } }), 'Useful Team login');
  const setCookie = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  return { token: (obj(r).data as Record<string, string>).token!, cookie: setCookie[0]!.split(';')[0]! };
}

const clientBasic = (c: { client_id: string; client_secret: string }, secret = c.client_secret) => basic(c.client_id, secret);
/** A token request to /oauth/token/, the client authenticated with Basic (null: not at all, or in the form). */
const woToken = (sb: RunningSandbox, form: Record<string, string>, c: typeof clientA | null = clientB) =>
  call(sb, { path: '/oauth/token/', form, headers: c ? clientBasic(c) : {} });

/** A password grant on client B; its credentials in the form where the server strips Authorization. */
async function woPassword(sb: RunningSandbox, user = admin, inForm = false): Promise<{ access: string; refresh: string }> {
  const form = { grant_type: 'password', username: user.login, password: user.password!, ...(inForm ? { client_id: clientB.client_id, client_secret: clientB.client_secret } : {}) };
  const j = obj(ok(await woToken(sb, form, inForm ? null : clientB), 'password grant'));
  return { access: j.access_token as string, refresh: j.refresh_token as string };
}

function authorizePath(clientId: string, extra: Record<string, string> = {}, slash = true, redirect = CALLBACK): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirect, state: 'st-123', scope: 'basic', ...extra });
  return `/oauth/authorize${slash ? '/' : ''}?${q.toString()}`;
}

/** Logs admin in through wp-login.php; the Cookie header a browser sends to /oauth/authorize/ then. */
async function loginCookies(sb: RunningSandbox): Promise<string> {
  const r = await woLogin(sb);
  const cookies = ([] as string[]).concat(r.headers['set-cookie'] ?? []).filter((c) => /; path=\/(;|$)/.test(c)).map((c) => c.split(';')[0]!);
  return cookies.join('; ');
}

function woLogin(sb: RunningSandbox): Promise<Reply> {
  return call(sb, { path: '/wp-login.php', form: { log: admin.login, pwd: admin.password!, 'wp-submit': 'Log In', redirect_to: `${sb.httpsUrl}/wp-admin/`, testcookie: '1' }, headers: { Cookie: 'wordpress_test_cookie=WP%20Cookie%20check', Accept: 'text/html,application/xhtml+xml' } });
}

async function authorize(sb: RunningSandbox, extra: Record<string, string> = {}, clientId = clientA.client_id, redirect = CALLBACK): Promise<Reply> {
  return call(sb, { path: authorizePath(clientId, extra, true, redirect), headers: { Cookie: await loginCookies(sb), Accept: 'text/html,application/xhtml+xml' } });
}

async function code(sb: RunningSandbox, extra: Record<string, string> = {}): Promise<string> {
  const r = await authorize(sb, extra);
  assert.equal(r.status, 302, r.text);
  return new URL(String(r.headers.location)).searchParams.get('code')!;
}

const VERIFIER = 'FxsLeJ-a-code-verifier-of-forty-three-chars';
const authCode = (c: string, more: Record<string, string> = {}) => ({ grant_type: 'authorization_code', code: c, redirect_uri: CALLBACK, ...more });

/** Runs `fn` with the sandbox's clock `seconds` ahead, and puts it back. */
async function later<T>(sb: RunningSandbox, seconds: number, fn: () => Promise<T>): Promise<T> {
  sb.advanceClock(seconds);
  try {
    return await fn();
  } finally {
    sb.advanceClock(-seconds);
  }
}

/** Changes manager1's password as admin (wp/v2/users/3), runs `fn`, and puts the password back. */
async function withChangedPassword<T>(sb: RunningSandbox, adminAuth: Record<string, string>, fn: (change: Reply) => Promise<T>): Promise<T> {
  const change = await call(sb, { path: `/wp-json/wp/v2/users/${manager.id}?_fields=id`, json: { password: 'A-new-password-9' }, headers: adminAuth });
  try {
    return await fn(change);
  } finally {
    await call(sb, { path: `/wp-json/wp/v2/users/${manager.id}?_fields=id`, json: { password: manager.password }, headers: adminAuth });
  }
}

const forged = (iss: string, data: unknown = { user: { id: '1' } }, secret = OTHER_SECRET) => {
  const now = Math.floor(Date.now() / 1000);
  return testJwt({ iss, iat: now, nbf: now, exp: now + 60, data }, secret);
};

// ---------------------------------------------------------------------------------------------
// One request (or short flow) per recorded case, in the recording's order.

const REQUESTS: Record<string, (s: Sandboxes) => Promise<Reply>> = {
  // Tmeister
  'tm.token.ok (JSON body)': (s) => call(s.tm, { path: TOKEN, json: { username: admin.login, password: admin.password } }),
  'tm.token.ok (form body)': (s) => call(s.tm, { path: TOKEN, form: { username: admin.login, password: admin.password! } }),
  'tm.token.wrong_password': (s) => call(s.tm, { path: TOKEN, json: { username: admin.login, password: 'wrong-password' } }),
  'tm.token.unknown_user': (s) => call(s.tm, { path: TOKEN, json: { username: 'nobody', password: 'whatever' } }),
  'tm.token.missing_fields': (s) => call(s.tm, { path: TOKEN, json: {} }),
  'tm.token.wrong_password over http (production site, app passwords in use)': (s) => call(s.tm, { scheme: 'http', path: TOKEN, json: { username: admin.login, password: 'wrong-password' } }),
  'tm.token.application_password_as_password (manager1)': (s) => call(s.tm, { path: TOKEN, json: { username: manager.login, password: manager.application_passwords![0] } }),
  'tm.token.wrong_password (site where application passwords were never used)': (s) => call(s.tmNoApp, { path: TOKEN, json: { username: admin.login, password: 'wrong-password' } }),
  'tm.token.missing_fields (site where application passwords were never used)': (s) => call(s.tmNoApp, { path: TOKEN, json: {} }),
  'tm.token.GET (wrong method)': (s) => call(s.tm, { path: TOKEN }),
  'tm.token.ok customer1': (s) => call(s.tm, { path: TOKEN, json: { username: customer.login, password: customer.password } }),
  'tm.token.ok manager1': (s) => call(s.tm, { path: TOKEN, json: { username: manager.login, password: manager.password } }),
  'tm.token.ok over http://127.0.0.1:8090 (iss differs)': (s) => call(s.tm, { scheme: 'http', path: TOKEN, json: { username: admin.login, password: admin.password } }),
  'tm.wc.valid_token_admin': async (s) => call(s.tm, { path: PRODUCTS, headers: bearer(await tmLogin(s.tm)) }),
  'tm.wc.valid_token_shop_manager': async (s) => call(s.tm, { path: PRODUCTS, headers: bearer(await tmLogin(s.tm, manager)) }),
  'tm.wc.valid_token_customer': async (s) => call(s.tm, { path: PRODUCTS, headers: bearer(await tmLogin(s.tm, customer)) }),
  'tm.wc.no_header': (s) => call(s.tm, { path: PRODUCTS }),
  'tm.wc.malformed_token (2 segments)': (s) => call(s.tm, { path: PRODUCTS, headers: bearer('abc.def') }),
  'tm.wc.malformed_token (3 garbage segments)': (s) => call(s.tm, { path: PRODUCTS, headers: bearer('aaaa.bbbb.cccc') }),
  'tm.wc.token_signed_with_other_secret': (s) => call(s.tm, { path: PRODUCTS, headers: bearer(forged(s.tm.httpsUrl)) }),
  'tm.wc.bearer_without_token': (s) => call(s.tm, { path: PRODUCTS, headers: { Authorization: 'Bearer' } }),
  'tm.wc.lowercase_bearer_scheme': async (s) => call(s.tm, { path: PRODUCTS, headers: { Authorization: `bearer ${await tmLogin(s.tm)}` } }),
  'tm.wc.header_stripped_by_server (vhost unsets Authorization)': async (s) => call(s.tmStrip, { path: PRODUCTS, headers: bearer(await tmLogin(s.tmStrip)) }),
  'tm.wc.token_in_query_string (?token=)': async (s) => call(s.tm, { path: `${PRODUCTS}&token=${await tmLogin(s.tm)}` }),
  'tm.validate.valid': async (s) => call(s.tm, { method: 'POST', path: VALIDATE, headers: bearer(await tmLogin(s.tm)) }),
  'tm.validate.no_header': (s) => call(s.tm, { method: 'POST', path: VALIDATE }),
  'tm.validate.header_stripped_by_server': async (s) => call(s.tmStrip, { method: 'POST', path: VALIDATE, headers: bearer(await tmLogin(s.tmStrip)) }),
  'tm.validate.malformed_token': (s) => call(s.tm, { method: 'POST', path: VALIDATE, headers: bearer('abc.def') }),
  'tm.validate.other_secret': (s) => call(s.tm, { method: 'POST', path: VALIDATE, headers: bearer(forged(s.tm.httpsUrl)) }),
  'tm.validate.lowercase_bearer_scheme': async (s) => call(s.tm, { method: 'POST', path: VALIDATE, headers: { Authorization: `bearer ${await tmLogin(s.tm)}` } }),
  'tm.validate.basic_scheme': (s) => call(s.tm, { method: 'POST', path: VALIDATE, headers: basic(admin.login, admin.password!) }),
  'tm.validate.token_without_user_id (signed with the site secret)': (s) => call(s.tm, { method: 'POST', path: VALIDATE, headers: bearer(forged(s.tm.httpsUrl, {}, SECRET)) }),
  'tm.wc.consumer_key_basic_auth (plugin active)': (s) => call(s.tm, { path: PRODUCTS, headers: basic(key.consumer_key, key.consumer_secret) }),
  'tm.wc.consumer_key_query_string (plugin active)': (s) => call(s.tm, { path: `${PRODUCTS}&consumer_key=${key.consumer_key}&consumer_secret=${key.consumer_secret}` }),
  'tm.wp.users_me_valid': async (s) => call(s.tm, { path: '/wp-json/wp/v2/users/me?_fields=id,name', headers: bearer(await tmLogin(s.tm)) }),
  'tm.wp.public_route_with_bad_token (wp/v2/posts)': (s) => call(s.tm, { path: '/wp-json/wp/v2/posts?per_page=1&_fields=id', headers: bearer('abc.def') }),

  // Useful Team
  'ut.token.ok (form body, no device)': (s) => call(s.ut, { path: TOKEN, form: { username: admin.login, password: admin.password! } }),
  'ut.token.ok (JSON body)': (s) => call(s.ut, { path: TOKEN, json: { username: customer.login, password: customer.password } }),
  'ut.token.ok over http (refresh cookie without Secure)': (s) => call(s.ut, { scheme: 'http', path: TOKEN, form: { username: manager.login, password: manager.password!, device: 'laptop' } }),
  'ut.token.wrong_password': (s) => call(s.ut, { path: TOKEN, form: { username: admin.login, password: 'wrong-password' } }),
  'ut.token.application_password_as_password (manager1)': (s) => call(s.ut, { path: TOKEN, form: { username: manager.login, password: manager.application_passwords![0]!, device: 'apppw' } }),
  'ut.token.unknown_user': (s) => call(s.ut, { path: TOKEN, form: { username: 'nobody', password: 'whatever' } }),
  'ut.token.no_credentials_no_cookie': (s) => call(s.ut, { path: TOKEN, form: {} }),
  'ut.token.ok manager1 with device=vscode (form)': (s) => call(s.ut, { path: TOKEN, form: { username: manager.login, password: manager.password!, device: 'vscode' } }),
  'ut.token.device_in_JSON_body (payload device stays empty)': (s) => call(s.ut, { path: TOKEN, json: { username: customer.login, password: customer.password, device: 'json-device' } }),
  'ut.wc.valid_token_admin': async (s) => call(s.ut, { path: PRODUCTS, headers: bearer((await utLogin(s.ut)).token) }),
  'ut.wc.no_header': (s) => call(s.ut, { path: PRODUCTS }),
  'ut.wc.malformed_token': (s) => call(s.ut, { path: PRODUCTS, headers: bearer('abc.def') }),
  'ut.wc.token_signed_with_other_secret': (s) => call(s.ut, { path: PRODUCTS, headers: bearer(forged(s.ut.httpsUrl, { user: { id: 1, device: '', pass: 'x' } })) }),
  'ut.wc.lowercase_bearer_scheme': async (s) => call(s.ut, { path: PRODUCTS, headers: { Authorization: `bearer ${(await utLogin(s.ut)).token}` } }),
  'ut.wc.header_stripped_by_server': async (s) => call(s.utStrip, { path: PRODUCTS, headers: bearer((await utLogin(s.utStrip)).token) }),
  'ut.wp.posts_with_bad_token (public route)': (s) => call(s.ut, { path: '/wp-json/wp/v2/posts?per_page=1&_fields=id', headers: bearer('abc.def') }),
  'ut.wc.consumer_key_basic_auth (plugin active)': (s) => call(s.ut, { path: PRODUCTS, headers: basic(key.consumer_key, key.consumer_secret) }),
  'ut.validate.valid': async (s) => call(s.ut, { method: 'POST', path: VALIDATE, headers: bearer((await utLogin(s.ut)).token) }),
  'ut.validate.no_header': (s) => call(s.ut, { method: 'POST', path: VALIDATE }),
  'ut.validate.header_stripped_by_server': async (s) => call(s.utStrip, { method: 'POST', path: VALIDATE, headers: bearer((await utLogin(s.utStrip)).token) }),
  'ut.validate.malformed_token': (s) => call(s.ut, { method: 'POST', path: VALIDATE, headers: bearer('abc.def') }),
  'ut.validate.lowercase_bearer_scheme': async (s) => call(s.ut, { method: 'POST', path: VALIDATE, headers: { Authorization: `bearer ${(await utLogin(s.ut)).token}` } }),
  'ut.validate.bearer_without_token': (s) => call(s.ut, { method: 'POST', path: VALIDATE, headers: { Authorization: 'Bearer' } }),
  'ut.validate.other_secret': (s) => call(s.ut, { method: 'POST', path: VALIDATE, headers: bearer(forged(s.ut.httpsUrl, { user: { id: 1, device: '', pass: 'x' } })) }),
  'ut.validate.user_does_not_exist (signed with the site secret)': (s) => call(s.ut, { method: 'POST', path: VALIDATE, headers: bearer(forged(s.ut.httpsUrl, { user: { id: 999, device: '', pass: 'x' } }, SECRET)) }),
  'ut.validate.pass_claim_mismatch (signed with the site secret)': (s) => call(s.ut, { method: 'POST', path: VALIDATE, headers: bearer(forged(s.ut.httpsUrl, { user: { id: 1, device: '', pass: 'not-the-current-pass' } }, SECRET)) }),
  'ut.refresh.no_cookie': (s) => call(s.ut, { method: 'POST', path: REFRESH }),
  'ut.refresh.refresh_token_in_body_not_cookie': async (s) => call(s.ut, { path: REFRESH, form: { refresh_token: (await utLogin(s.ut)).cookie.slice('refresh_token='.length) } }),
  'ut.token.with_refresh_cookie (new access token, cookie not rotated)': async (s) => call(s.ut, { method: 'POST', path: TOKEN, headers: { Cookie: (await utLogin(s.ut)).cookie } }),
  'ut.refresh.rotate (POST /token/refresh with cookie)': async (s) => call(s.ut, { method: 'POST', path: REFRESH, headers: { Cookie: (await utLogin(s.ut)).cookie } }),
  'ut.refresh.reuse_rotated_cookie (/token/refresh)': async (s) => {
    const { cookie } = await utLogin(s.ut);
    ok(await call(s.ut, { method: 'POST', path: REFRESH, headers: { Cookie: cookie } }), 'rotation');
    return call(s.ut, { method: 'POST', path: REFRESH, headers: { Cookie: cookie } });
  },
  'ut.token.with_rotated_(old)_refresh_cookie': async (s) => {
    const { cookie } = await utLogin(s.ut);
    ok(await call(s.ut, { method: 'POST', path: REFRESH, headers: { Cookie: cookie } }), 'rotation');
    return call(s.ut, { method: 'POST', path: TOKEN, headers: { Cookie: cookie } });
  },
  'ut.token.malformed_refresh_cookie': (s) => call(s.ut, { method: 'POST', path: TOKEN, headers: { Cookie: 'refresh_token=abc' } }),
  'ut.refresh.cookie_for_other_device': async (s) => call(s.ut, { path: REFRESH, form: { device: 'phone' }, headers: { Cookie: (await utLogin(s.ut)).cookie } }),
  'ut.token.with_device_cookie_and_device_param': async (s) => call(s.ut, { path: TOKEN, form: { device: 'vscode' }, headers: { Cookie: (await utLogin(s.ut, manager, 'vscode')).cookie } }),

  // WP OAuth Server
  'wo.discovery (/.well-known/openid-configuration/)': (s) => call(s.wo, { path: '/.well-known/openid-configuration/' }),
  'wo.discovery without trailing slash': (s) => call(s.wo, { path: '/.well-known/openid-configuration' }),
  'wo.authorize.not_logged_in': (s) => call(s.wo, { path: authorizePath(clientA.client_id), headers: { Accept: 'text/html,application/xhtml+xml' } }),
  'wo.authorize.without_trailing_slash': (s) => call(s.wo, { path: authorizePath(clientA.client_id, {}, false), headers: { Accept: 'text/html,application/xhtml+xml' } }),
  'wo.wp-login (browser step before /oauth/authorize)': (s) => woLogin(s.wo),
  'wo.authorize.ok (logged in)': (s) => authorize(s.wo),
  'wo.authorize.redirect_uri_mismatch': (s) => authorize(s.wo, {}, clientA.client_id, 'https://evil.example/cb'),
  'wo.authorize.unknown_client': (s) => authorize(s.wo, {}, 'nope'),
  'wo.authorize.response_type_token (implicit, disabled by default)': (s) => authorize(s.wo, { response_type: 'token' }),
  'wo.token.authorization_code (client_secret_basic)': async (s) => woToken(s.wo, authCode(await code(s.wo)), clientA),
  'wo.token.authorization_code_reused': async (s) => {
    const c = await code(s.wo);
    ok(await woToken(s.wo, authCode(c), clientA), 'first exchange');
    return woToken(s.wo, authCode(c), clientA);
  },
  'wo.authorize.ok (second code)': (s) => authorize(s.wo),
  'wo.token.authorization_code_without_redirect_uri': async (s) => woToken(s.wo, { grant_type: 'authorization_code', code: await code(s.wo) }, clientA),
  'wo.token.bad_client_secret': async (s) => call(s.wo, { path: '/oauth/token/', form: authCode(await code(s.wo)), headers: clientBasic(clientA, 'not-the-secret') }),
  'wo.token.no_client_credentials': async (s) => woToken(s.wo, authCode(await code(s.wo)), null),
  'wo.token.authorization_code (client_secret_post)': async (s) => woToken(s.wo, authCode(await code(s.wo), { client_id: clientA.client_id, client_secret: clientA.client_secret }), null),
  'wo.authorize.pkce_S256': (s) => authorize(s.wo, { code_challenge: s256(VERIFIER), code_challenge_method: 'S256' }),
  'wo.token.pkce_missing_verifier': async (s) => woToken(s.wo, authCode(await code(s.wo, { code_challenge: s256(VERIFIER), code_challenge_method: 'S256' })), clientA),
  'wo.token.pkce_wrong_verifier': async (s) => woToken(s.wo, authCode(await code(s.wo, { code_challenge: s256(VERIFIER), code_challenge_method: 'S256' }), { code_verifier: 'wrong-verifier-of-forty-four-characters-long' }), clientA),
  'wo.token.pkce_ok (same code, right verifier)': async (s) => {
    const c = await code(s.wo, { code_challenge: s256(VERIFIER), code_challenge_method: 'S256' });
    assert.equal((await woToken(s.wo, authCode(c, { code_verifier: 'wrong-verifier-of-forty-four-characters-long' }), clientA)).status, 400);
    return woToken(s.wo, authCode(c, { code_verifier: VERIFIER }), clientA);
  },
  'wo.authorize.pkce_S256 (for public-client attempt)': (s) => authorize(s.wo, { code_challenge: s256(VERIFIER), code_challenge_method: 'S256' }),
  'wo.token.pkce_public_client_no_secret': async (s) => woToken(s.wo, authCode(await code(s.wo, { code_challenge: s256(VERIFIER), code_challenge_method: 'S256' }), { client_id: clientA.client_id, code_verifier: VERIFIER }), null),
  'wo.token.client_credentials on client A (CE form client)': (s) => woToken(s.wo, { grant_type: 'client_credentials' }, clientA),
  'wo.token.refresh_token on client A (CE form client)': async (s) => {
    const refresh = obj(ok(await woToken(s.wo, authCode(await code(s.wo)), clientA), 'code exchange')).refresh_token as string;
    return woToken(s.wo, { grant_type: 'refresh_token', refresh_token: refresh }, clientA);
  },
  'wo.token.password on client A (CE form client)': (s) => woToken(s.wo, { grant_type: 'password', username: admin.login, password: admin.password! }, clientA),
  'wo.token.unsupported_grant_type': (s) => woToken(s.wo, { grant_type: 'foo' }, clientA),
  'wo.token.no_grant_type': (s) => woToken(s.wo, {}, clientA),
  'wo.token.GET (wrong method)': (s) => call(s.wo, { path: '/oauth/token/?grant_type=client_credentials' }),
  'wo.token.JSON body': (s) => call(s.wo, { path: '/oauth/token/', json: { grant_type: 'client_credentials' }, headers: clientBasic(clientB) }),
  'wo.token.client_credentials on client B (user_id=1)': (s) => woToken(s.wo, { grant_type: 'client_credentials' }),
  'wo.wc.client_credentials_token': async (s) => call(s.wo, { path: PRODUCTS, headers: bearer(obj(await woToken(s.wo, { grant_type: 'client_credentials' })).access_token as string) }),
  'wo.token.password on client B': (s) => woToken(s.wo, { grant_type: 'password', username: admin.login, password: admin.password! }),
  'wo.token.password_wrong on client B': (s) => woToken(s.wo, { grant_type: 'password', username: admin.login, password: 'wrong-password' }),
  'wo.token.refresh_token on client B': async (s) => woToken(s.wo, { grant_type: 'refresh_token', refresh_token: (await woPassword(s.wo)).refresh }),
  'wo.token.refresh_token_invalid': (s) => woToken(s.wo, { grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' }),
  'wo.wc.valid_token (authorization_code, admin)': async (s) => call(s.wo, { path: PRODUCTS, headers: bearer(obj(await woToken(s.wo, authCode(await code(s.wo)), clientA)).access_token as string) }),
  'wo.wc.no_header': (s) => call(s.wo, { path: PRODUCTS }),
  'wo.wc.unknown_token': (s) => call(s.wo, { path: PRODUCTS, headers: bearer('thisisnotatokenthisserverhaseverissued00') }),
  'wo.wc.header_stripped_by_server': async (s) => call(s.woStrip, { path: PRODUCTS, headers: bearer((await woPassword(s.woStrip, admin, true)).access) }),
  'wo.wc.access_token_in_query_string': async (s) => call(s.wo, { path: `${PRODUCTS}&access_token=${(await woPassword(s.wo)).access}` }),
  'wo.wc.valid_token_over_http': async (s) => call(s.wo, { scheme: 'http', path: PRODUCTS, headers: bearer((await woPassword(s.wo)).access) }),
  'wo.wc.consumer_key_basic_auth (plugin active)': (s) => call(s.wo, { path: PRODUCTS, headers: basic(key.consumer_key, key.consumer_secret) }),
  'wo.me.valid': async (s) => call(s.wo, { path: '/oauth/me/', headers: bearer((await woPassword(s.wo)).access) }),
  'wo.me.without_trailing_slash': async (s) => call(s.wo, { path: '/oauth/me', headers: bearer((await woPassword(s.wo)).access) }),
  'wo.me.unknown_token': (s) => call(s.wo, { path: '/oauth/me/', headers: bearer('thisisnotatokenthisserverhaseverissued00') }),
  'wo.me.client_credentials_token': async (s) => call(s.wo, { path: '/oauth/me/', headers: bearer(obj(await woToken(s.wo, { grant_type: 'client_credentials' })).access_token as string) }),
  'wo.introspection.valid (POST, Bearer)': async (s) => call(s.wo, { method: 'POST', path: '/oauth/introspection/', headers: bearer(obj(await woToken(s.wo, authCode(await code(s.wo)), clientA)).access_token as string) }),
  'wo.introspection.other_token_in_body (Bearer = own token)': async (s) => {
    const own = obj(await woToken(s.wo, authCode(await code(s.wo)), clientA)).access_token as string;
    return call(s.wo, { path: '/oauth/introspection/', form: { token: (await woPassword(s.wo)).access }, headers: bearer(own) });
  },
  'wo.introspection.token_only_in_body (no Bearer)': async (s) => call(s.wo, { path: '/oauth/introspection/', form: { token: (await woPassword(s.wo)).access } }),
  'wo.introspection.unknown_token': (s) => call(s.wo, { method: 'POST', path: '/oauth/introspection/', headers: bearer('thisisnotatokenthisserverhaseverissued00') }),
  'wo.introspection.GET': async (s) => call(s.wo, { path: '/oauth/introspection/', headers: bearer((await woPassword(s.wo)).access) }),
  'wo.revoke.access_token (RFC 7009 /oauth/revoke/)': async (s) => call(s.wo, { path: '/oauth/revoke/', form: { token: (await woPassword(s.wo)).access, token_type_hint: 'access_token' } }),
  'wo.wc.revoked_token': async (s) => {
    const { access } = await woPassword(s.wo);
    ok(await call(s.wo, { path: '/oauth/revoke/', form: { token: access, token_type_hint: 'access_token' } }), 'revoke');
    return call(s.wo, { path: PRODUCTS, headers: bearer(access) });
  },
  'wo.introspection.revoked_token': async (s) => {
    const { access } = await woPassword(s.wo);
    ok(await call(s.wo, { path: '/oauth/revoke/', form: { token: access, token_type_hint: 'access_token' } }), 'revoke');
    return call(s.wo, { method: 'POST', path: '/oauth/introspection/', headers: bearer(access) });
  },
  'wo.revoke.missing_token': (s) => call(s.wo, { path: '/oauth/revoke/', form: {} }),
  'wo.revoke.refresh_token': async (s) => call(s.wo, { path: '/oauth/revoke/', form: { token: (await woPassword(s.wo)).refresh, token_type_hint: 'refresh_token' } }),
  'wo.token.refresh_token_after_revoke': async (s) => {
    const { refresh } = await woPassword(s.wo);
    ok(await call(s.wo, { path: '/oauth/revoke/', form: { token: refresh, token_type_hint: 'refresh_token' } }), 'revoke');
    return woToken(s.wo, { grant_type: 'refresh_token', refresh_token: refresh });
  },
  'wo.token.password on client B (token to destroy)': (s) => woToken(s.wo, { grant_type: 'password', username: admin.login, password: admin.password! }),
  'wo.destroy (/oauth/destroy/ access_token=...)': async (s) => call(s.wo, { path: '/oauth/destroy/', form: { access_token: (await woPassword(s.wo)).access } }),
  'wo.wc.destroyed_token': async (s) => {
    const { access } = await woPassword(s.wo);
    ok(await call(s.wo, { path: '/oauth/destroy/', form: { access_token: access } }), 'destroy');
    return call(s.wo, { path: PRODUCTS, headers: bearer(access) });
  },
  'wo.authorize.ok (code to exchange after 30 s)': (s) => authorize(s.wo),
  'wo.jwt_bearer.token.password on client B': (s) => woToken(s.woJwt, { grant_type: 'password', username: admin.login, password: admin.password! }),
  'wo.jwt_bearer.wc_with_jwt_access_token': async (s) => call(s.woJwt, { path: PRODUCTS, headers: bearer((await woPassword(s.woJwt)).access) }),
  'wo.token.password on client B (token for expiry + refresh flow)': (s) => woToken(s.wo, { grant_type: 'password', username: admin.login, password: admin.password! }),

  // Expiry, after the clock moved on
  'tm.wc.expired_token': async (s) => { const t = await tmLogin(s.tm); return later(s.tm, 136, () => call(s.tm, { path: PRODUCTS, headers: bearer(t) })); },
  'tm.validate.expired_token': async (s) => { const t = await tmLogin(s.tm); return later(s.tm, 136, () => call(s.tm, { method: 'POST', path: VALIDATE, headers: bearer(t) })); },
  'tm.wp.public_route_with_expired_token (wp/v2/posts)': async (s) => { const t = await tmLogin(s.tm); return later(s.tm, 137, () => call(s.tm, { path: '/wp-json/wp/v2/posts?per_page=1&_fields=id', headers: bearer(t) })); },
  'tm.token.re-login after expiry (the only way to get a new token)': async (s) => { await tmLogin(s.tm); return later(s.tm, 138, () => call(s.tm, { path: TOKEN, json: { username: admin.login, password: admin.password } })); },
  'ut.wc.expired_token': async (s) => { const { token } = await utLogin(s.ut); return later(s.ut, 114, () => call(s.ut, { path: PRODUCTS, headers: bearer(token) })); },
  'ut.validate.expired_token': async (s) => { const { token } = await utLogin(s.ut); return later(s.ut, 115, () => call(s.ut, { method: 'POST', path: VALIDATE, headers: bearer(token) })); },
  'ut.token.refresh_with_cookie_after_expiry': async (s) => { const { cookie } = await utLogin(s.ut); return later(s.ut, 116, () => call(s.ut, { method: 'POST', path: TOKEN, headers: { Cookie: cookie } })); },
  'ut.wc.with_refreshed_access_token': async (s) => {
    const { cookie } = await utLogin(s.ut);
    return later(s.ut, 116, async () => {
      const token = (obj(ok(await call(s.ut, { method: 'POST', path: TOKEN, headers: { Cookie: cookie } }), 'renewal')).data as Record<string, string>).token!;
      return call(s.ut, { path: PRODUCTS, headers: bearer(token) });
    });
  },
  'wo.token.authorization_code_expired (code older than 30 s)': async (s) => { const c = await code(s.wo); return later(s.wo, 83, () => woToken(s.wo, authCode(c), clientA)); },
  'wo.wc.expired_token': async (s) => { const { access } = await woPassword(s.wo); return later(s.wo, 3667, () => call(s.wo, { path: PRODUCTS, headers: bearer(access) })); },
  'wo.me.expired_token': async (s) => { const { access } = await woPassword(s.wo); return later(s.wo, 3667, () => call(s.wo, { path: '/oauth/me/', headers: bearer(access) })); },
  'wo.introspection.expired_token': async (s) => { const { access } = await woPassword(s.wo); return later(s.wo, 3667, () => call(s.wo, { method: 'POST', path: '/oauth/introspection/', headers: bearer(access) })); },
  'wo.token.refresh_token_after_access_expiry': async (s) => { const { refresh } = await woPassword(s.wo); return later(s.wo, 3667, () => woToken(s.wo, { grant_type: 'refresh_token', refresh_token: refresh })); },
  'wo.wc.with_refreshed_access_token': async (s) => {
    const { refresh } = await woPassword(s.wo);
    return later(s.wo, 3667, async () => call(s.wo, { path: PRODUCTS, headers: bearer(obj(ok(await woToken(s.wo, { grant_type: 'refresh_token', refresh_token: refresh }), 'refresh')).access_token as string) }));
  },

  // Password changes
  'tm.wp.change_manager1_password (admin token, wp/v2/users/3)': async (s) => withChangedPassword(s.tm, bearer(await tmLogin(s.tm)), async (change) => change),
  'tm.wc.token_issued_before_password_change': async (s) => {
    const before = await tmLogin(s.tm, manager);
    return withChangedPassword(s.tm, bearer(await tmLogin(s.tm)), () => call(s.tm, { path: PRODUCTS, headers: bearer(before) }));
  },
  'ut.wc.manager_token_before_password_change': async (s) => call(s.ut, { path: PRODUCTS, headers: bearer((await utLogin(s.ut, manager, 'pwchange')).token) }),
  'ut.wp.change_manager1_password (admin token, wp/v2/users/3)': async (s) => withChangedPassword(s.ut, bearer((await utLogin(s.ut, admin, 'pwchange')).token), async (change) => change),
  'wo.wp.change_manager1_password (admin token, wp/v2/users/3)': async (s) => withChangedPassword(s.wo, bearer((await woPassword(s.wo)).access), async (change) => change),
  'wo.wc.token_issued_before_password_change (changed via REST)': async (s) => {
    const before = (await woPassword(s.wo, manager)).access;
    return withChangedPassword(s.wo, bearer((await woPassword(s.wo)).access), () => call(s.wo, { path: PRODUCTS, headers: bearer(before) }));
  },
};

/** The request of each recorded case, sent with `caller`. */
export function tokenCaseRequests(caller: Caller): Record<string, (s: Sandboxes) => Promise<Reply>> {
  // Tests run one at a time: each builder sends with its file's caller from its first request on.
  return Object.fromEntries(Object.entries(REQUESTS).map(([name, build]) => [name, (s: Sandboxes) => {
    call = caller;
    return build(s);
  }]));
}

/** Recorded cases the sandbox does not answer, and why. */
export const NOT_REPRODUCED: Record<string, string> = {};
for (const c of recordedTokenCases()) {
  if (c.case.startsWith('wcauth.')) NOT_REPRODUCED[c.case] = "WooCommerce's own key exchange (/wc-auth/v1/authorize, recorded for completeness): not a token plugin, and the sandbox does not serve it.";
}


/** Starts one sandbox per kind, with the token seed. */
export async function startTokenSandboxes(kinds: Kind[] = Object.keys(OPTIONS) as Kind[]): Promise<Sandboxes> {
  const started = await Promise.all(kinds.map((k) => startSandbox({ ...OPTIONS[k], seed: k === 'tmNoApp' ? noAppSeed() : seed })));
  const out = {} as Sandboxes;
  kinds.forEach((k, i) => (out[k] = started[i]!));
  return out;
}
