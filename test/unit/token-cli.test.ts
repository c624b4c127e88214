// Token stores from the command line: WOO_STORE_<NAME>_AUTH=jwt|oauth2 and their variables, a
// request that gets its token on the way (kept in the process's memory, never on disk), and
// `woo-api doctor`, which prints the token's time left and, for each recorded failure a store's
// settings can reproduce, exits 1 naming the cause. The built dist/cli.js runs in a child process,
// against the sandbox in the matching --token-plugin mode.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { storesFromEnv } from '../../src/core/env-stores';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox';
import { send as rawSend } from './helpers/sandbox-http';
import { testJwt, tokenSeed } from './helpers/token-fixtures';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const seed = tokenSeed();
const [admin, customer, manager] = seed.users;
const [clientA, clientB] = seed.oauth_clients!;

interface Run { status: number | null; stdout: string; stderr: string; dir: string }

/** Runs the CLI with a fresh HOME, TMPDIR and working folder (to check nothing is written there). */
function cli(args: string[], env: Record<string, string>, files: Record<string, string> = {}): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-token-cli-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, TMPDIR: dir, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr, dir }));
  });
}

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): [string, string][] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => {
    const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    return [p, fs.readFileSync(p, 'utf8')] as [string, string];
  });
}

describe('token stores from the environment (env-stores)', () => {
  it('reads jwt and oauth2 stores with their settings and secrets, and says what is missing', () => {
    const env = storesFromEnv({
      WOO_STORE_A_URL: 'https://a.test', WOO_STORE_A_AUTH: 'jwt', WOO_STORE_A_USERNAME: 'admin', WOO_STORE_A_PASSWORD: 'pw', WOO_STORE_A_JWT_PLUGIN: 'useful-team',
      WOO_STORE_B_URL: 'https://b.test', WOO_STORE_B_AUTH: 'oauth2', WOO_STORE_B_CLIENT_ID: 'cid', WOO_STORE_B_CLIENT_SECRET: 'csecret', WOO_STORE_B_SCOPE: 'basic',
      WOO_STORE_C_URL: 'https://c.test', WOO_STORE_C_AUTH: 'jwt',
      WOO_STORE_D_URL: 'https://d.test', WOO_STORE_D_AUTH: 'oauth2', WOO_STORE_D_CLIENT_ID: 'x', WOO_STORE_D_GRANT: 'authorization_code',
      WOO_STORE_E_URL: 'https://e.test', WOO_STORE_E_AUTH: 'jwt', WOO_STORE_E_USERNAME: 'u', WOO_STORE_E_APP_PASSWORD: 'abcd efgh', WOO_STORE_E_JWT_PLUGIN: 'other',
    });
    const a = env.stores.find((s) => s.id === 'A')!;
    assert.deepEqual(a.token, { plugin: 'useful-team', tokenUrl: undefined, device: 'wooapicli' });
    assert.equal(env.secrets.get('A')?.password, 'pw');
    const b = env.stores.find((s) => s.id === 'B')!;
    assert.equal(b.token?.grant, 'client_credentials');
    assert.equal(b.token?.clientId, 'cid');
    assert.equal(env.secrets.get('B')?.clientSecret, 'csecret');
    assert.equal(env.stores.some((s) => s.id === 'C' || s.id === 'D' || s.id === 'E'), false);
    assert.match(env.problems.join(' '), /WOO_STORE_C_USERNAME and WOO_STORE_C_PASSWORD/);
    assert.match(env.problems.join(' '), /happens in a browser: give WOO_STORE_D_REFRESH_TOKEN/);
    assert.match(env.problems.join(' '), /WOO_STORE_E_JWT_PLUGIN must be tmeister or useful-team/);
  });
});

describe('woo-api with token stores', function () {
  this.timeout(60_000);
  const sandboxes = new Map<string, RunningSandbox>();
  const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-token-ca-'));

  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run the build (npm test does) first`);
  });
  after(async () => {
    await Promise.all([...sandboxes.values()].map((s) => s.stop()));
  });

  async function sandbox(key: string, options: SandboxOptions): Promise<{ sb: RunningSandbox; ca: string }> {
    let sb = sandboxes.get(key);
    if (!sb) {
      sb = await startSandbox({ ...options, seed });
      sandboxes.set(key, sb);
    }
    const ca = path.join(caDir, `${key}.pem`);
    fs.writeFileSync(ca, sb.certificatePem);
    return { sb, ca };
  }
  const HTTP = '@store = shop\n\n# @name products\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n\n###\n\n# @name again\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n';
  const jwtEnv = (sb: RunningSandbox, ca: string, user = admin!, password = user.password!) => ({
    WOO_STORE_SHOP_URL: sb.httpsUrl, WOO_STORE_SHOP_CA_FILE: ca, WOO_STORE_SHOP_AUTH: 'jwt', WOO_STORE_SHOP_USERNAME: user.login, WOO_STORE_SHOP_PASSWORD: password,
  });
  const oauthEnv = (sb: RunningSandbox, ca: string, more: Record<string, string>) => ({
    WOO_STORE_SHOP_URL: sb.httpsUrl, WOO_STORE_SHOP_CA_FILE: ca, WOO_STORE_SHOP_AUTH: 'oauth2', ...more,
  });

  it('run: the first request gets a token, the second uses it; nothing secret is printed or written to disk', async () => {
    const { sb, ca } = await sandbox('ut', { tokenPlugin: 'useful-team' });
    const r = await cli(['run', 'products.http', '--log', 'requests.jsonl'], jwtEnv(sb, ca), { 'products.http': HTTP });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /token: Got a token of "shop" by signing in as admin \(JWT Auth\)/);
    assert.equal((r.stdout.match(/token: /g) ?? []).length, 1, 'one sign-in for two requests');
    assert.match(r.stdout, /2 succeeded, 0 failed/);
    const everything = [r.stdout, r.stderr, ...filesUnder(r.dir).map(([, text]) => text)].join('\n');
    assert.ok(!everything.includes(admin!.password!), 'the password');
    assert.ok(!/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/.test(everything), 'an access token');
    assert.ok(!/refresh_token=\d+\.[0-9a-f]{64}/.test(everything), 'the refresh cookie');
    assert.deepEqual(filesUnder(r.dir).map(([p]) => path.basename(p)).sort(), ['products.http', 'requests.jsonl'], 'no file but the log asked for');
  });

  it('send --json shows the renewal and, when the store refused the token, both attempts', async () => {
    const { sb, ca } = await sandbox('wo', { tokenPlugin: 'wp-oauth-server' });
    const r = await cli(['send', 'products.http', '--name', 'products', '--json'], oauthEnv(sb, ca, { WOO_STORE_SHOP_CLIENT_ID: clientB!.client_id, WOO_STORE_SHOP_CLIENT_SECRET: clientB!.client_secret, WOO_STORE_SHOP_GRANT: 'password', WOO_STORE_SHOP_USERNAME: admin!.login, WOO_STORE_SHOP_PASSWORD: admin!.password! }), { 'products.http': HTTP });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { renewals: { reason: string; ok: boolean; message: string; exchanges: { request: { url: string }; response: { body: string } }[] }[]; exchange: { response: { status: number } } };
    assert.equal(out.exchange.response.status, 200);
    assert.equal(out.renewals[0]!.reason, 'missing');
    assert.match(out.renewals[0]!.exchanges.at(-1)!.request.url, /\/oauth\/token\/$/);
    assert.doesNotMatch(out.renewals[0]!.exchanges.at(-1)!.response.body, /"access_token":"[a-z0-9]{40}"/, 'the token endpoint\'s answer is masked');
    assert.ok(!r.stdout.includes(clientB!.client_secret) && !r.stdout.includes(admin!.password!));
  });

  it('a renewal that cannot happen: not sent, with the plugin\'s reason and "Sign in again"', async () => {
    const { sb, ca } = await sandbox('tm', { tokenPlugin: 'tmeister' });
    const r = await cli(['send', 'products.http', '--name', 'products'], jwtEnv(sb, ca, admin!, 'wrong-password'), { 'products.http': HTTP });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /\[jwt_auth\] incorrect_password.*Sign in again/s);
    assert.match(r.stderr, /why: Signing in for a token was refused\nwoo-api: fix: Sign in again/);
  });

  describe('doctor', () => {
    const doctor = async (env: Record<string, string>) => {
      const r = await cli(['doctor', '--store', 'shop', '--json'], env);
      let report: { healthy: boolean; cause?: string; tokenTimeLeftSeconds?: number; summary: string; probes: { name: string; outcome: string }[] };
      try {
        report = JSON.parse(r.stdout);
      } catch {
        throw new Error(`not JSON: ${r.stdout}${r.stderr}`);
      }
      return { ...r, report };
    };

    it('a healthy store: exit 0 and the token\'s time left, in Markdown too', async () => {
      const { sb, ca } = await sandbox('tm', { tokenPlugin: 'tmeister' });
      const ok = await doctor(jwtEnv(sb, ca));
      assert.equal(ok.status, 0, ok.report.summary);
      assert.ok(ok.report.tokenTimeLeftSeconds! > 7 * 86400 - 60);
      assert.deepEqual(ok.report.probes.map((p) => p.name), ['token-plugin', 'token-acquire', 'token-validate', 'token-read', 'token-renew', 'token-policy']);
      const md = await cli(['doctor', '--store', 'shop'], jwtEnv(sb, ca));
      assert.match(md.stdout, /Access token: 7 days left\./);
      assert.match(md.stdout, /live 7 days, longer than the 1 hour your policy accepts.*jwt\\?_auth\\?_expire/);
      assert.match(ok.report.summary, /Warning: .*live 7 days/);
    });

    it('a stored token that is still good: the token policy is checked all the same (from the renewal probe)', async () => {
      const { sb, ca } = await sandbox('tm', { tokenPlugin: 'tmeister' });
      const at = Math.floor(Date.now() / 1000);
      const stored = testJwt({ iss: sb.httpsUrl, iat: at, nbf: at, exp: at + 7 * 86400, data: { user: { id: String(admin!.id) } } }, seed.jwt_secret!);
      const r = await doctor({ ...jwtEnv(sb, ca), WOO_STORE_SHOP_TOKEN: stored });
      assert.ok(r.report.probes.some((p) => p.name === 'token-policy'), r.report.probes.map((p) => p.name).join(', '));
      assert.match(r.report.summary, /Warning: .*live 7 days/);
    });

    const now = Math.floor(Date.now() / 1000);
    /** Each failure a store's settings reproduce, with the cause the doctor must name. */
    const CASES: { name: string; plugin: string; options: SandboxOptions; env: (sb: RunningSandbox, ca: string) => Promise<Record<string, string>> | Record<string, string>; cause: string }[] = [
      { name: 'tm.token.wrong_password', plugin: 'tm', options: { tokenPlugin: 'tmeister' }, env: (sb, ca) => jwtEnv(sb, ca, admin!, 'wrong'), cause: 'token-login-failed' },
      { name: 'tm.token.unknown_user', plugin: 'tm', options: { tokenPlugin: 'tmeister' }, env: (sb, ca) => ({ ...jwtEnv(sb, ca), WOO_STORE_SHOP_USERNAME: 'nobody' }), cause: 'token-login-failed' },
      { name: 'tm.token.wrong_password over http', plugin: 'tm', options: { tokenPlugin: 'tmeister' }, env: (sb, ca) => ({ ...jwtEnv(sb, ca, admin!, 'wrong'), WOO_STORE_SHOP_URL: sb.httpUrl }), cause: 'token-login-failed' },
      { name: 'tm.wc.valid_token_customer', plugin: 'tm', options: { tokenPlugin: 'tmeister' }, env: (sb, ca) => jwtEnv(sb, ca, customer!), cause: 'user-lacks-capability' },
      { name: 'tm.wc.header_stripped_by_server', plugin: 'tmStrip', options: { tokenPlugin: 'tmeister', stripAuthorization: true }, env: (sb, ca) => jwtEnv(sb, ca), cause: 'header-stripped' },
      { name: 'tm.wc.expired_token', plugin: 'tm', options: { tokenPlugin: 'tmeister' }, env: (sb, ca) => ({ WOO_STORE_SHOP_URL: sb.httpsUrl, WOO_STORE_SHOP_CA_FILE: ca, WOO_STORE_SHOP_AUTH: 'jwt', WOO_STORE_SHOP_TOKEN: testJwt({ iss: sb.httpsUrl, iat: now - 200, nbf: now - 200, exp: now - 100, data: { user: { id: '1' } } }, seed.jwt_secret!) }), cause: 'token-expired' },
      { name: 'tm.wc.token_signed_with_other_secret', plugin: 'tm', options: { tokenPlugin: 'tmeister' }, env: (sb, ca) => ({ WOO_STORE_SHOP_URL: sb.httpsUrl, WOO_STORE_SHOP_CA_FILE: ca, WOO_STORE_SHOP_AUTH: 'jwt', WOO_STORE_SHOP_TOKEN: testJwt({ iss: sb.httpsUrl, iat: now, nbf: now, exp: now + 3600, data: { user: { id: '1' } } }, 'another-secret') }), cause: 'token-invalid' },
      { name: 'tm token from http used over https (jwt_auth_bad_iss)', plugin: 'tm', options: { tokenPlugin: 'tmeister' }, env: (sb, ca) => ({ WOO_STORE_SHOP_URL: sb.httpsUrl, WOO_STORE_SHOP_CA_FILE: ca, WOO_STORE_SHOP_AUTH: 'jwt', WOO_STORE_SHOP_TOKEN: testJwt({ iss: sb.httpUrl, iat: now, nbf: now, exp: now + 3600, data: { user: { id: '1' } } }, seed.jwt_secret!) }), cause: 'token-wrong-site' },
      { name: 'ut.token.wrong_password', plugin: 'ut', options: { tokenPlugin: 'useful-team' }, env: (sb, ca) => jwtEnv(sb, ca, admin!, 'wrong'), cause: 'token-login-failed' },
      { name: 'ut.wc.header_stripped_by_server', plugin: 'utStrip', options: { tokenPlugin: 'useful-team', stripAuthorization: true }, env: (sb, ca) => jwtEnv(sb, ca), cause: 'header-stripped' },
      {
        name: 'ut: a token issued before a password change (obsolete)', plugin: 'ut', options: { tokenPlugin: 'useful-team' },
        env: async (sb, ca) => {
          const login = await rawSend(sb.httpsUrl, { method: 'POST', path: '/wp-json/jwt-auth/v1/token', body: new URLSearchParams({ username: manager!.login, password: manager!.password! }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, ca: sb.certificatePem });
          const token = (login.json as { data: { token: string } }).data.token;
          const adminLogin = await rawSend(sb.httpsUrl, { method: 'POST', path: '/wp-json/jwt-auth/v1/token', body: new URLSearchParams({ username: admin!.login, password: admin!.password! }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, ca: sb.certificatePem });
          const changed = await rawSend(sb.httpsUrl, { method: 'POST', path: `/wp-json/wp/v2/users/${manager!.id}`, body: JSON.stringify({ password: manager!.password }), headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${(adminLogin.json as { data: { token: string } }).data.token}` }, ca: sb.certificatePem });
          assert.equal(changed.status, 200, changed.text);
          return { WOO_STORE_SHOP_URL: sb.httpsUrl, WOO_STORE_SHOP_CA_FILE: ca, WOO_STORE_SHOP_AUTH: 'jwt', WOO_STORE_SHOP_TOKEN: token };
        },
        cause: 'token-obsolete',
      },
      { name: 'wo.token.client_credentials on client A (CE form client)', plugin: 'wo', options: { tokenPlugin: 'wp-oauth-server' }, env: (sb, ca) => oauthEnv(sb, ca, { WOO_STORE_SHOP_CLIENT_ID: clientA!.client_id, WOO_STORE_SHOP_CLIENT_SECRET: clientA!.client_secret, WOO_STORE_SHOP_GRANT: 'client_credentials' }), cause: 'grant-not-allowed' },
      { name: 'wo.token.bad_client_secret', plugin: 'wo', options: { tokenPlugin: 'wp-oauth-server' }, env: (sb, ca) => oauthEnv(sb, ca, { WOO_STORE_SHOP_CLIENT_ID: clientB!.client_id, WOO_STORE_SHOP_CLIENT_SECRET: 'wrong-secret', WOO_STORE_SHOP_GRANT: 'client_credentials' }), cause: 'oauth-client-invalid' },
      { name: 'wo.token.password_wrong on client B', plugin: 'wo', options: { tokenPlugin: 'wp-oauth-server' }, env: (sb, ca) => oauthEnv(sb, ca, { WOO_STORE_SHOP_CLIENT_ID: clientB!.client_id, WOO_STORE_SHOP_CLIENT_SECRET: clientB!.client_secret, WOO_STORE_SHOP_USERNAME: admin!.login, WOO_STORE_SHOP_PASSWORD: 'wrong' }), cause: 'token-login-failed' },
      { name: 'wo.token.refresh_token_invalid', plugin: 'wo', options: { tokenPlugin: 'wp-oauth-server' }, env: (sb, ca) => oauthEnv(sb, ca, { WOO_STORE_SHOP_CLIENT_ID: clientB!.client_id, WOO_STORE_SHOP_CLIENT_SECRET: clientB!.client_secret, WOO_STORE_SHOP_GRANT: 'authorization_code', WOO_STORE_SHOP_REFRESH_TOKEN: 'not-a-refresh-token' }), cause: 'refresh-token-revoked' },
      { name: 'wo.wc.unknown_token', plugin: 'wo', options: { tokenPlugin: 'wp-oauth-server' }, env: (sb, ca) => oauthEnv(sb, ca, { WOO_STORE_SHOP_CLIENT_ID: clientA!.client_id, WOO_STORE_SHOP_CLIENT_SECRET: clientA!.client_secret, WOO_STORE_SHOP_GRANT: 'authorization_code', WOO_STORE_SHOP_TOKEN: 'thisisnotatokenthisserverhaseverissued00' }), cause: 'token-revoked' },
      {
        name: 'wo.wc.header_stripped_by_server', plugin: 'woStrip', options: { tokenPlugin: 'wp-oauth-server', stripAuthorization: true },
        env: async (sb, ca) => {
          // A token obtained with the client's credentials in the body (the Basic header would be stripped too).
          const got = await rawSend(sb.httpsUrl, { method: 'POST', path: '/oauth/token/', body: new URLSearchParams({ grant_type: 'password', username: admin!.login, password: admin!.password!, client_id: clientB!.client_id, client_secret: clientB!.client_secret }).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, ca: sb.certificatePem });
          const token = (got.json as { access_token: string }).access_token;
          return oauthEnv(sb, ca, { WOO_STORE_SHOP_CLIENT_ID: clientB!.client_id, WOO_STORE_SHOP_CLIENT_SECRET: clientB!.client_secret, WOO_STORE_SHOP_GRANT: 'authorization_code', WOO_STORE_SHOP_TOKEN: token });
        },
        cause: 'header-stripped',
      },
      { name: 'block unauthenticated REST, with an unknown token', plugin: 'woBlock', options: { tokenPlugin: 'wp-oauth-server', blockUnauthenticatedRest: true }, env: (sb, ca) => oauthEnv(sb, ca, { WOO_STORE_SHOP_CLIENT_ID: clientA!.client_id, WOO_STORE_SHOP_CLIENT_SECRET: clientA!.client_secret, WOO_STORE_SHOP_GRANT: 'authorization_code', WOO_STORE_SHOP_TOKEN: 'thisisnotatokenthisserverhaseverissued00' }), cause: 'rest-not-authorized' },
    ];
    for (const c of CASES) {
      it(`${c.name}: exit 1, ${c.cause}`, async () => {
        const { sb, ca } = await sandbox(c.plugin, c.options);
        const env = await c.env(sb, ca);
        const r = await doctor(env);
        assert.equal(r.status, 1, r.report.summary);
        assert.equal(r.report.cause, c.cause, `${r.report.summary}\n${r.stderr}`);
        for (const secret of [env.WOO_STORE_SHOP_PASSWORD, env.WOO_STORE_SHOP_CLIENT_SECRET, env.WOO_STORE_SHOP_TOKEN, env.WOO_STORE_SHOP_REFRESH_TOKEN].filter((s): s is string => !!s && s.length > 8)) {
          assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `a secret in the report: ${secret.slice(0, 6)}…`);
        }
      });
    }
  });
});
