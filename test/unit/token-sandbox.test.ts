// The sandbox's token plugins beyond the recorded cases: the flags and the seed, and the behaviour
// docs/tokens.md describes that the recording does not show in one exchange (tokens made obsolete by a
// password change while refresh cookies keep working, an expired refresh cookie, a token from
// another address, "block unauthenticated REST", a token sent two ways, PKCE plain, the 30-second
// code, the authorize page that approves by itself, a refresh token used by another client).
import * as assert from 'node:assert/strict';
import { parseSandboxArgs, parseSandboxSeed, startSandbox, type RunningSandbox, type SandboxSeed } from '../../src/sandbox';
import { send, type Reply } from './helpers/sandbox-http';
import { s256, tokenSeed } from './helpers/token-fixtures';

const seed = tokenSeed();
const [admin, , manager] = seed.users;
const [clientA, clientB] = seed.oauth_clients!;
const clientC = { ...clientB!, client_id: 'FixtureClientC0000000000000000000000000C', client_secret: 'fixture-secret-of-client-c-0000000000000' };
const PRODUCTS = '/wp-json/wc/v3/products?per_page=1';
const CALLBACK = 'https://127.0.0.1:8999/callback';

function req(sb: RunningSandbox, o: { method?: string; path: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown; http?: boolean }): Promise<Reply> {
  const headers: Record<string, string> = { ...o.headers };
  let body: string | undefined;
  if (o.form) {
    body = new URLSearchParams(o.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['Content-Type'] = 'application/json';
  }
  return send(o.http ? sb.httpUrl : sb.httpsUrl, { method: o.method ?? (body ? 'POST' : 'GET'), path: o.path, headers, body, ca: sb.certificatePem });
}
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the sandbox's JSON answers, read field by field by the assertions
const j = (r: Reply) => r.json as Record<string, any>;

describe('sandbox token plugins: flags and seed', () => {
  it('parses the token flags, and refuses what cannot work together', () => {
    assert.deepEqual(parseSandboxArgs(['--token-plugin', 'useful-team', '--access-token-lifetime', '5', '--refresh-token-lifetime=60']), { tokenPlugin: 'useful-team', accessTokenLifetimeSeconds: 5, refreshTokenLifetimeSeconds: 60 });
    assert.deepEqual(parseSandboxArgs(['--token-plugin', 'wp-oauth-server', '--block-unauthenticated-rest', '--oauth-jwt-bearer', '--oauth-auto-approve']), { tokenPlugin: 'wp-oauth-server', blockUnauthenticatedRest: true, oauthJwtAccessTokens: true, oauthAutoApprove: true });
    assert.throws(() => parseSandboxArgs(['--token-plugin', 'keycloak']), /--token-plugin takes tmeister, useful-team, wp-oauth-server/);
    assert.throws(() => parseSandboxArgs(['--access-token-lifetime', '5']), /needs --token-plugin/);
    assert.throws(() => parseSandboxArgs(['--token-plugin', 'tmeister', '--block-unauthenticated-rest']), /WP OAuth Server setting.*needs --token-plugin wp-oauth-server/);
    assert.throws(() => parseSandboxArgs(['--token-plugin', 'tmeister', '--refresh-token-lifetime', '60']), /needs --token-plugin useful-team or wp-oauth-server/);
    assert.throws(() => parseSandboxArgs(['--token-plugin', 'tmeister', '--access-token-lifetime', '0']), /whole number of seconds \(1 or more\)/);
  });

  it('checks oauth_clients and jwt_secret in a seed, with sentences', () => {
    const base = { users: [{ id: 1, login: 'admin', role: 'administrator' }], keys: [] };
    const parse = (extra: object) => parseSandboxSeed(JSON.stringify({ ...base, ...extra }));
    assert.equal(parse({ oauth_clients: [{ client_id: 'c', client_secret: 's', redirect_uri: 'https://x.test/cb', grant_types: ['authorization_code'], user_id: 1 }] }).oauth_clients?.[0]?.user_id, 1);
    assert.throws(() => parse({ oauth_clients: [{ client_id: 'c', client_secret: 's', redirect_uri: 'not a url', grant_types: ['authorization_code'] }] }), /redirect_uri must be an absolute URL/);
    assert.throws(() => parse({ oauth_clients: [{ client_id: 'c', client_secret: 's', redirect_uri: 'https://x.test', grant_types: ['implicit-ish'] }] }), /grant_types must be a non-empty array of "authorization_code"/);
    assert.throws(() => parse({ oauth_clients: [{ client_id: 'c', client_secret: 's', redirect_uri: 'https://x.test', grant_types: ['password'], user_id: 7 }] }), /user_id must be 0 or the id of one of the seed's users/);
    assert.throws(() => parse({ jwt_secret: 'short' }), /at least 8 characters/);
    assert.throws(() => parse({ tokens: [] }), /unknown field "tokens"/);
  });

  it('without a seed, a token sandbox makes WordPress passwords and two OAuth clients', async () => {
    const sb = await startSandbox({ tokenPlugin: 'wp-oauth-server' });
    try {
      assert.ok(sb.seed.users.every((u) => typeof u.password === 'string' && u.password.length >= 12));
      assert.deepEqual(sb.seed.oauth_clients?.map((c) => c.grant_types.length), [1, 4]);
      const r = await req(sb, { path: '/oauth/token/', form: { grant_type: 'client_credentials' }, headers: { Authorization: `Basic ${Buffer.from(`${sb.seed.oauth_clients![1]!.client_id}:${sb.seed.oauth_clients![1]!.client_secret}`).toString('base64')}` } });
      assert.equal(r.status, 200, r.text);
    } finally {
      await sb.stop();
    }
  });
});

describe('sandbox token plugins: behaviour', function () {
  this.timeout(30_000);
  let tm: RunningSandbox;
  let ut: RunningSandbox;
  let wo: RunningSandbox;
  let woBlock: RunningSandbox;
  let woAuto: RunningSandbox;
  const seedC: SandboxSeed = { ...seed, oauth_clients: [...seed.oauth_clients!, clientC] };
  before(async () => {
    [tm, ut, wo, woBlock, woAuto] = await Promise.all([
      startSandbox({ tokenPlugin: 'tmeister', seed }),
      startSandbox({ tokenPlugin: 'useful-team', refreshTokenLifetimeSeconds: 120, seed }),
      startSandbox({ tokenPlugin: 'wp-oauth-server', seed: seedC }),
      startSandbox({ tokenPlugin: 'wp-oauth-server', blockUnauthenticatedRest: true, seed }),
      startSandbox({ tokenPlugin: 'wp-oauth-server', oauthAutoApprove: true, seed }),
    ]);
  });
  after(async () => {
    await Promise.all([tm, ut, wo, woBlock, woAuto].map((s) => s.stop()));
  });

  const utLogin = async (user = manager!, device = 'laptop') => {
    const r = await req(ut, { path: '/wp-json/jwt-auth/v1/token', form: { username: user.login, password: user.password!, device } });
    assert.equal(r.status, 200, r.text);
    return { token: j(r).data.token as string, cookie: String(([] as string[]).concat(r.headers['set-cookie'] ?? [])[0]).split(';')[0]! };
  };
  const woGrant = async (sb: RunningSandbox, client: { client_id: string; client_secret: string }, form: Record<string, string>) =>
    req(sb, { path: '/oauth/token/', form, headers: { Authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` } });

  it('Useful Team: a password change makes earlier access tokens obsolete; the refresh cookie still gets a working one', async () => {
    const { token, cookie } = await utLogin();
    const adminToken = (await utLogin(admin!, 'admin')).token;
    assert.equal((await req(ut, { path: PRODUCTS, headers: bearer(token) })).status, 200);
    const changed = await req(ut, { path: `/wp-json/wp/v2/users/${manager!.id}`, json: { password: 'Another-password-1' }, headers: bearer(adminToken) });
    assert.equal(changed.status, 200, changed.text);
    try {
      assert.equal((await req(ut, { path: PRODUCTS, headers: bearer(token) })).status, 401);
      const validate = await req(ut, { method: 'POST', path: '/wp-json/jwt-auth/v1/token/validate', headers: bearer(token) });
      assert.deepEqual([validate.status, j(validate).code, j(validate).message], [401, 'jwt_auth_obsolete_token', 'Token is obsolete']);
      const renewed = await req(ut, { path: '/wp-json/jwt-auth/v1/token', form: { device: 'laptop' }, headers: { Cookie: cookie } });
      assert.equal(renewed.status, 200, renewed.text);
      assert.equal((await req(ut, { path: PRODUCTS, headers: bearer(j(renewed).data.token) })).status, 200);
    } finally {
      await req(ut, { path: `/wp-json/wp/v2/users/${manager!.id}`, json: { password: manager!.password }, headers: bearer((await utLogin(admin!, 'admin')).token) });
    }
  });

  it('Useful Team: an expired refresh cookie says so; a device name keeps only letters, digits and spaces', async () => {
    const { cookie, token } = await utLogin(manager!, 'my-laptop!');
    assert.equal((JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { data: { user: { device: string } } }).data.user.device, 'mylaptop');
    ut.advanceClock(121);
    try {
      const r = await req(ut, { path: '/wp-json/jwt-auth/v1/token/refresh', form: { device: 'my-laptop!' }, headers: { Cookie: cookie } });
      assert.deepEqual([r.status, j(r).code, j(r).message], [401, 'jwt_auth_expired_refresh_token', 'Refresh token has expired']);
    } finally {
      ut.advanceClock(-121);
    }
  });

  it('Tmeister: a token obtained over http:// is refused over https:// (jwt_auth_bad_iss), on every route', async () => {
    const login = await req(tm, { http: true, path: '/wp-json/jwt-auth/v1/token', json: { username: admin!.login, password: admin!.password } });
    const r = await req(tm, { path: PRODUCTS, headers: bearer(j(login).token) });
    assert.deepEqual([r.status, j(r).code, j(r).message], [403, 'jwt_auth_bad_iss', 'The iss do not match with this server']);
    assert.equal((await req(tm, { http: true, path: '/wp-json/wp/v2/users/me', headers: bearer(j(login).token) })).status, 200);
  });

  it('WP OAuth Server, "block unauthenticated REST": 401 rest_not_authorized without accepted credentials, even on the index', async () => {
    const index = await req(woBlock, { path: '/wp-json/' });
    assert.deepEqual([index.status, j(index).code, j(index).message], [401, 'rest_not_authorized', 'Authorization is required.']);
    assert.equal(j(await req(woBlock, { path: PRODUCTS, headers: bearer('thisisnotatokenthisserverhaseverissued00') })).code, 'rest_not_authorized');
    const token = j(await woGrant(woBlock, clientB!, { grant_type: 'client_credentials' })).access_token as string;
    assert.equal((await req(woBlock, { path: PRODUCTS, headers: bearer(token) })).status, 200);
    assert.equal((await req(woBlock, { path: PRODUCTS, headers: { Authorization: `Basic ${Buffer.from(`${seed.keys[0]!.consumer_key}:${seed.keys[0]!.consumer_secret}`).toString('base64')}` } })).status, 200);
  });

  it('WP OAuth Server: a token sent two ways at once is refused; "bearer" in any case is fine', async () => {
    const token = j(await woGrant(wo, clientB!, { grant_type: 'client_credentials' })).access_token as string;
    assert.equal((await req(wo, { path: `${PRODUCTS}&access_token=${token}`, headers: bearer(token) })).status, 401);
    const me = await req(wo, { path: `/oauth/me/?access_token=${token}`, headers: bearer(token) });
    assert.deepEqual([me.status, j(me).error_description], [400, 'Invalid token']);
    assert.equal((await req(wo, { path: PRODUCTS, headers: { Authorization: `bearer ${token}` } })).status, 200);
  });

  it('WP OAuth Server: PKCE plain; an authorization code lives 30 seconds', async () => {
    const verifier = 'a-plain-pkce-verifier-of-at-least-forty-three-chars';
    const login = await req(wo, { path: '/wp-login.php', form: { log: admin!.login, pwd: admin!.password! } });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).filter((c) => /path=\/;|path=\/$/.test(c)).map((c) => c.split(';')[0]).join('; ');
    const authorize = async (extra: Record<string, string>) => {
      const r = await req(wo, { path: `/oauth/authorize/?${new URLSearchParams({ response_type: 'code', client_id: clientA!.client_id, redirect_uri: CALLBACK, state: 's', ...extra })}`, headers: { Cookie: cookie } });
      assert.equal(r.status, 302, r.text);
      return new URL(String(r.headers.location)).searchParams.get('code')!;
    };
    const exchange = (code: string, more: Record<string, string> = {}) => woGrant(wo, clientA!, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...more });
    assert.equal((await exchange(await authorize({ code_challenge: verifier }), { code_verifier: verifier })).status, 200, 'plain is the default method');
    assert.equal((await exchange(await authorize({ code_challenge: s256(verifier), code_challenge_method: 'S256' }), { code_verifier: verifier })).status, 200);
    const late = await authorize({});
    wo.advanceClock(31);
    try {
      assert.equal(j(await exchange(late)).error_description, 'The authorization code has expired');
    } finally {
      wo.advanceClock(-31);
    }
    const inTime = await authorize({});
    wo.advanceClock(29);
    try {
      assert.equal((await exchange(inTime)).status, 200);
    } finally {
      wo.advanceClock(-29);
    }
    const badChallenge = await req(wo, { path: `/oauth/authorize/?${new URLSearchParams({ response_type: 'code', client_id: clientA!.client_id, redirect_uri: CALLBACK, state: 's', code_challenge: 'short' })}`, headers: { Cookie: cookie } });
    assert.equal(new URL(String(badChallenge.headers.location)).searchParams.get('error'), 'invalid_code_challenge');
  });

  it('WP OAuth Server: with auto-approve, the authorize page answers with a code without a login', async () => {
    const r = await req(woAuto, { path: `/oauth/authorize/?${new URLSearchParams({ response_type: 'code', client_id: clientA!.client_id, redirect_uri: CALLBACK, state: 'x' })}` });
    assert.equal(r.status, 302);
    const back = new URL(String(r.headers.location));
    assert.equal(back.searchParams.get('state'), 'x');
    const token = await woGrant(woAuto, clientA!, { grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: CALLBACK });
    assert.equal(token.status, 200, token.text);
  });

  it("WP OAuth Server: a refresh token is its client's; the old one stays valid after a refresh; revocation ends it", async () => {
    const first = j(await woGrant(wo, clientB!, { grant_type: 'password', username: admin!.login, password: admin!.password! }));
    const other = await woGrant(wo, clientC, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.deepEqual([other.status, j(other).error_description], [400, "refresh_token doesn't exist or is invalid for the client"]);
    const second = j(await woGrant(wo, clientB!, { grant_type: 'refresh_token', refresh_token: first.refresh_token }));
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal((await woGrant(wo, clientB!, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).status, 200, 'the old refresh token is still valid');
    assert.equal((await req(wo, { path: '/oauth/revoke/', form: { token: first.refresh_token } })).status, 200);
    assert.equal(j(await woGrant(wo, clientB!, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).error_description, 'Invalid refresh token');
  });

  it('WP OAuth Server: discovery names https:// as issuer over either port, and the keys are published', async () => {
    const d = j(await req(wo, { http: true, path: '/.well-known/openid-configuration/' }));
    assert.match(d.issuer, /^https:\/\//);
    assert.equal(d.token_endpoint, `${wo.httpUrl}/oauth/token/`);
    const keys = j(await req(wo, { path: '/.well-known/keys/' }));
    assert.equal(keys.keys[0].kty, 'RSA');
    assert.equal(keys.keys[0].alg, 'RS256');
  });
});
