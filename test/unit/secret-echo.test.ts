// A server that echoes the credentials back (httpbin's /anything, some plugins) must not get them
// shown: the known secrets and every form they travel in (raw, percent-encoded, JSON-escaped,
// base64 as Basic sends them, base64 at any offset) are masked in the response as in the request,
// in the exchange, the CLI (send, send --json, run, every auth method) and the runner panel. And one
// list of secret header names serves every surface: history keeps no X-Api-Key or X-Auth-Token.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyStoreAuth } from '../../src/core/auth/apply';
import { withBasicShorthands } from '../../src/core/auth/basic';
import { formatExchange } from '../../src/core/exchange-format';
import { isSecretHeader, redactHeader } from '../../src/core/redact';
import { historyRequest } from '../../src/core/runner-history';
import { responseView } from '../../src/core/runner-messages';
import { runRunnerRequest, toCurl, type RunnerRequest } from '../../src/core/runner-request';
import { closeConnections, nextHop, send, type Exchange } from '../../src/core/send';
import type { AuthMethod, Store, StoreSecrets } from '../../src/core/store';
import { echoServer, type Loopback } from './helpers/loopback';
import { CK, CS } from '../fixtures/fake-keys';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

const APP = 'Ab3D eF6h iJ9k Lm2N oP5q Rs8T';
const TOKEN = 'tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const API_KEY = 'xak-41e7c0d2b9a85f36e1d4c7b0a9f8e2d3';
const TYPED = 'Typed-Passw0rd!-7d1e3f';

/**
 * A secret is recoverable from `text` when it is there as written, percent-decoded, JSON-unescaped,
 * or when any run of base64 (or base64url) characters, decoded at any of its offsets, holds 12
 * consecutive characters of it. Independent of how the product masks.
 */
function recoverable(text: string, secrets: readonly string[]): string | undefined {
  const unslashed = text.replace(/\\\//g, '/');
  const percent = unslashed.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  for (const t of [text, unslashed, percent, percent.replace(/\+/g, ' ')]) {
    for (const s of secrets) if (t.includes(s)) return `${s} as written`;
    for (const run of t.match(/[A-Za-z0-9+/_-]{16,}/g) ?? []) {
      for (let skip = 0; skip < 4; skip++) {
        const decoded = Buffer.from(run.slice(skip).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
        for (const s of secrets) {
          for (let i = 0; i + 12 <= s.length; i++) if (decoded.includes(s.slice(i, i + 12))) return `${s} in base64 run ${run}`;
        }
      }
    }
  }
  return undefined;
}

const bodyText = (ex: Exchange) => Buffer.from(ex.response?.body ?? []).toString('utf8');

describe('credentials echoed by the server are masked in every surface', () => {
  let echo: Loopback;
  before(async () => { echo = await echoServer(); });
  after(async () => { await closeConnections(); await echo.close(); });

  const stores: [AuthMethod, StoreSecrets, string[]][] = [
    ['wc-basic', { consumerKey: CK, consumerSecret: CS }, [CK, CS]],
    ['wc-query', { consumerKey: CK, consumerSecret: CS }, [CK, CS]],
    ['wc-oauth1', { consumerKey: CK, consumerSecret: CS }, [CK]], // the secret signs; it never travels
    ['app-password', { applicationPassword: APP }, [APP, APP.replace(/ /g, '')]],
    ['bearer', { bearerToken: TOKEN }, [TOKEN]],
  ];

  for (const [authMethod, secrets, watch] of stores) {
    it(`${authMethod}: the exchange, its text and the runner's view hold none of them`, async () => {
      const store: Store = { id: 'echo', name: 'echo', baseUrl: echo.url, authMethod, username: 'shop-admin' };
      const applied = applyStoreAuth({ method: 'POST', url: `${echo.url}/anything?per_page=2`, headers: [['Content-Type', 'application/json'], ['X-Api-Key', API_KEY]], body: '{"a":1}' }, store, secrets);
      const ex = await send(applied.request, { secrets: applied.secrets });
      assert.strictEqual(ex.response?.status, 200, ex.error?.message);
      // Echoed: the server did see them (this is the test's premise, not the product's behaviour).
      const all = [...watch, API_KEY];
      assert.ok(bodyText(ex).length > 200);
      for (const [name, text] of [
        ['the body', bodyText(ex)],
        ['the response headers', JSON.stringify(ex.response!.headers)],
        ['the exchange as text', formatExchange(ex)],
        ['the runner view', JSON.stringify(responseView(ex, { maxBodyBytes: 1 << 20, secrets: applied.secrets }))],
      ] as const) {
        const leak = recoverable(text, all);
        assert.strictEqual(leak, undefined, `${name}: ${leak}\n${text}`);
      }
      // Masked, not removed: the rest of the echo is intact JSON.
      const parsed = JSON.parse(bodyText(ex)) as { method: string; args: Record<string, string> };
      assert.strictEqual(parsed.method, 'POST');
      assert.strictEqual(parsed.args.per_page, '2');
    });
  }

  it('a password typed in a Basic header and a token in X-Auth-Token are masked in the echo too', async () => {
    const typed: string[] = [];
    const headers = withBasicShorthands([['Authorization', `Basic someone:${TYPED}`], ['X-Auth-Token', API_KEY]], typed);
    const ex = await send({ method: 'GET', url: `${echo.url}/anything`, headers }, { secrets: typed });
    const leak = recoverable(formatExchange(ex), [TYPED, API_KEY]);
    assert.strictEqual(leak, undefined, `${leak}\n${formatExchange(ex)}`);
  });

  it('the runner: runRunnerRequest and its view, and history keeps no secret header', async () => {
    const store: Store = { id: 'echo', name: 'echo', baseUrl: echo.url, authMethod: 'wc-basic' };
    const req: RunnerRequest = {
      store: 'echo', method: 'GET', path: `${echo.url}/anything`, query: [], body: { kind: 'none', text: '' }, auth: 'store',
      headers: [{ name: 'X-Api-Key', value: API_KEY, enabled: true }, { name: 'X-Auth-Token', value: TYPED, enabled: true }, { name: 'X-Trace', value: 'keep-me', enabled: true }],
    };
    const result = await runRunnerRequest(req, store, { consumerKey: CK, consumerSecret: CS });
    const view = responseView(result.exchange!, { maxBodyBytes: 1 << 20, secrets: result.applied!.secrets });
    assert.strictEqual(recoverable(JSON.stringify(view), [CK, CS, API_KEY, TYPED]), undefined);
    const kept = historyRequest(req, result.applied!.secrets);
    assert.deepStrictEqual(kept.headers.map((h) => h.name), ['X-Trace']);
    assert.strictEqual(recoverable(JSON.stringify(kept), [API_KEY, TYPED]), undefined);
  });

  describe('the CLI prints none of them', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-echo-'));
      fs.writeFileSync(path.join(dir, 'echo.http'), `@store = echo\n\n### echo\nGET {{$store.url}}/anything?x=1\nX-Api-Key: ${API_KEY}\n`);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cli = (args: string[], env: Record<string, string>) => new Promise<{ status: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, cwd: dir });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (status) => resolve({ status, out }));
    });

    const envs: [string, Record<string, string>, string[]][] = [
      ['basic', { WOO_STORE_ECHO_CONSUMER_KEY: CK, WOO_STORE_ECHO_CONSUMER_SECRET: CS }, [CK, CS]],
      ['query', { WOO_STORE_ECHO_CONSUMER_KEY: CK, WOO_STORE_ECHO_CONSUMER_SECRET: CS }, [CK, CS]],
      ['oauth1', { WOO_STORE_ECHO_CONSUMER_KEY: CK, WOO_STORE_ECHO_CONSUMER_SECRET: CS }, [CK, CS]],
      ['app-password', { WOO_STORE_ECHO_USERNAME: 'shop-admin', WOO_STORE_ECHO_APP_PASSWORD: APP }, [APP, APP.replace(/ /g, '')]],
      ['bearer', { WOO_STORE_ECHO_TOKEN: TOKEN }, [TOKEN]],
    ];
    for (const [auth, env, watch] of envs) {
      it(`${auth}: send, send --json and run`, async function () {
        this.timeout(20000);
        for (const args of [['send', 'echo.http', '--line', '4'], ['send', 'echo.http', '--line', '4', '--json'], ['run', 'echo.http', '--json'], ['run', 'echo.http']]) {
          const r = await cli(args, { WOO_STORE_ECHO_URL: echo.url, WOO_STORE_ECHO_AUTH: auth, ...env });
          assert.strictEqual(r.status, 0, r.out);
          const leak = recoverable(r.out, [...watch, API_KEY]);
          assert.strictEqual(leak, undefined, `${args.join(' ')}: ${leak}\n${r.out}`);
        }
      });
    }
  });
});

describe('one list of secret header names, for every surface', () => {
  const names = ['Authorization', 'Proxy-Authorization', 'Cookie', 'Set-Cookie', 'X-WP-Nonce', 'X-Api-Key', 'X-Auth-Token', 'X-Access-Token', 'Api-Key'];

  it('redaction, history, redirects to another origin and cURL all treat them as secret', () => {
    for (const name of names) {
      assert.ok(isSecretHeader(name), name);
      assert.ok(!redactHeader(name, 'plain-value-1234567890').includes('plain-value-1234567890'), `redaction: ${name}`);
      const req: RunnerRequest = { method: 'GET', path: 'wc/v3/products', query: [], body: { kind: 'none', text: '' }, headers: [{ name, value: 'plain-value-1234567890', enabled: true }] };
      assert.deepStrictEqual(historyRequest(req, []).headers, [], `history: ${name}`);
      if (name === 'Set-Cookie') continue; // a response header
      const hop = nextHop({ method: 'GET', url: 'https://a.example/', headers: [[name, 'plain-value-1234567890']] }, new URL('https://a.example/'), new URL('https://b.example/'), 302);
      assert.deepStrictEqual(hop.request.headers, [], `a redirect to another origin: ${name}`);
      const command = toCurl({ method: 'GET', url: 'https://a.example/', headers: [[name, 'plain-value-1234567890']] }, undefined);
      assert.ok(!command.includes('plain-value-1234567890'), `cURL: ${command}`);
    }
    assert.ok(!isSecretHeader('X-Trace') && !isSecretHeader('Content-Type'));
  });
});
