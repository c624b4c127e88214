// The CLI as a user runs it: the built dist/cli.js in a child process.
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli as spawnCli } from './helpers/cli';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15000, env: { ...process.env, ...env } });
}

/** The variables the printed `export …` lines set, as a shell sets them (NUL-separated name=value from `env -0`). */
function exportedBy(out: string, cwd?: string): Record<string, string> {
  const lines = out.split('\n').filter((l) => /^\s*export /.test(l));
  const r = spawnSync('sh', ['-c', `${lines.join('\n')}\nenv -0`], { env: { PATH: process.env.PATH }, encoding: 'utf8', cwd });
  assert.strictEqual(r.status, 0, r.stderr);
  assert.strictEqual(r.stderr, '', 'the lines paste without a complaint');
  return Object.fromEntries(r.stdout.split('\0').filter((e) => e.startsWith('WOO_STORE_SANDBOX_')).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** `woo-api sandbox` in a child process, resolved once it printed "Press Ctrl+C". */
async function cliSandbox(env: NodeJS.ProcessEnv = process.env): Promise<{ child: ReturnType<typeof spawn>; out: () => string }> {
  const child = spawn(process.execPath, [CLI, 'sandbox', '--http-port', '0', '--https-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no URLs printed: ${out}`)), 10000);
    child.stdout!.on('data', () => { if (/Press Ctrl\+C/.test(out)) { clearTimeout(t); resolve(); } });
    child.on('exit', (c) => reject(new Error(`exited early with ${c}: ${out}`)));
  });
  return { child, out: () => out };
}

describe('woo-api CLI', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run the build (npm test does) first`);
  });

  it('prints usage for --help and its version for --version', () => {
    const help = runCli(['--help']);
    assert.strictEqual(help.status, 0);
    assert.match(help.stdout, /woo-api sandbox/);
    // Each command's --help is its own part, with the store variables where it sends.
    for (const [command, also] of [['send', /WOO_STORE_<NAME>_URL/], ['run', /chaining named responses/], ['sandbox', /--clock-offset SECONDS/], ['logs', /--fail-on-findings/], ['parse', /lists its requests/]] as const) {
      const own = runCli([command, '--help']);
      assert.strictEqual(own.status, 0, command);
      assert.match(own.stdout, new RegExp(`^  woo-api ${command} `, 'm'));
      assert.match(own.stdout, also);
      assert.strictEqual((own.stdout.match(/^ {2}woo-api /gm) ?? []).length, 1, `${command} --help shows only ${command}: ${own.stdout}`);
    }
    const version = runCli(['--version']);
    assert.strictEqual(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('rejects an unknown command and bad options with a sentence and exit code 2, never a stack trace', () => {
    for (const args of [['frobnicate'], ['sandbox', '--http-port', 'eighty'], ['sandbox', '--clock-offset'], ['sandbox', '--seed', '/nonexistent/seed.json']]) {
      const r = runCli(args);
      assert.strictEqual(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^woo-api: /);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('refuses a malformed seed file, naming the file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-')), 'seed.json');
    fs.writeFileSync(file, '{"users": [oops');
    const r = runCli(['sandbox', '--seed', file]);
    assert.strictEqual(r.status, 2);
    assert.ok(r.stderr.includes(file), r.stderr);
  });

  it('runs the sandbox store, prints its URLs and generated credentials, serves them, and stops on Ctrl+C', async function () {
    this.timeout(20000);
    const { child, out: printed } = await cliSandbox();
    const out = printed();
    try {
      const httpUrl = /HTTP\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const httpsUrl = /HTTPS\s+(https:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      assert.ok(httpUrl && httpsUrl, out);
      assert.match(out, /consumer key ck_[0-9a-f]{40}\s+secret cs_[0-9a-f]{40}/);
      const index = await fetch(`${httpUrl}/wp-json/`);
      assert.strictEqual(index.status, 200);
      const body = (await index.json()) as { namespaces: string[] };
      assert.ok(body.namespaces.includes('wc/v3'));
      // The certificate is in a file, and the printed variables make a working CLI store with TLS verified.
      const ca = /CA\s+(\S+\.pem)/.exec(out)?.[1];
      assert.ok(ca && fs.readFileSync(ca, 'utf8').includes('BEGIN CERTIFICATE'), out);
      const vars = exportedBy(out);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-sb-'));
      fs.writeFileSync(path.join(dir, 'x.http'), '@store = sandbox\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n');
      const sent = runCli(['run', path.join(dir, 'x.http')], vars);
      assert.strictEqual(sent.status, 0, sent.stdout + sent.stderr);
      assert.match(sent.stdout, /✓ 2 GET https:/);
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise((r) => child.on('exit', r));
    assert.strictEqual(code, 0, 'a clean exit on SIGINT');
    const ca = /CA\s+(\S+\.pem)/.exec(out)?.[1];
    assert.ok(ca && !fs.existsSync(ca), 'the certificate file goes with the sandbox');
  });

  it('prints export lines a shell reads back exactly, even from a temporary folder named to run code', async function () {
    this.timeout(20000);
    // The shell runs in its own folder: an injected `touch pwned` would leave the file there.
    const shellDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-shell-'));
    const marker = path.join(shellDir, 'pwned');
    const hostile = fs.mkdtempSync(path.join(os.tmpdir(), `woo tmp $(touch pwned) \`touch pwned\` ';touch pwned;' "d" \\ `));
    const { child, out } = await cliSandbox({ ...process.env, TMPDIR: hostile });
    try {
      const vars = exportedBy(out(), shellDir);
      assert.match(vars.WOO_STORE_SANDBOX_URL, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(vars.WOO_STORE_SANDBOX_CA_FILE.startsWith(hostile + path.sep), vars.WOO_STORE_SANDBOX_CA_FILE);
      assert.match(fs.readFileSync(vars.WOO_STORE_SANDBOX_CA_FILE, 'utf8'), /BEGIN CERTIFICATE/);
      assert.match(vars.WOO_STORE_SANDBOX_CONSUMER_KEY, /^ck_[0-9a-f]{40}$/);
      assert.match(vars.WOO_STORE_SANDBOX_CONSUMER_SECRET, /^cs_[0-9a-f]{40}$/);
      assert.ok(!fs.existsSync(marker), 'pasting the lines ran a command');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
      fs.rmSync(hostile, { recursive: true, force: true });
    }
  });
});

describe('woo-api parse / send / run against the sandbox store', () => {
  const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sandbox-seed.json'), 'utf8'));
  const rw = seed.keys.find((k: { permissions: string }) => k.permissions === 'read_write');
  let sandbox: import('../../src/sandbox').RunningSandbox;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const { startSandbox } = await import('../../src/sandbox');
    sandbox = await startSandbox({ seed });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-http-'));
    fs.writeFileSync(path.join(dir, 'ca.pem'), sandbox.certificatePem);
    env = {
      ...process.env,
      WOO_STORE_MY_SHOP_URL: sandbox.httpsUrl,
      WOO_STORE_MY_SHOP_CONSUMER_KEY: rw.consumer_key,
      WOO_STORE_MY_SHOP_CONSUMER_SECRET: rw.consumer_secret,
      WOO_STORE_MY_SHOP_CA_FILE: path.join(dir, 'ca.pem'),
      WOO_STORE_SIGNED_URL: sandbox.httpUrl,
      WOO_STORE_SIGNED_AUTH: 'oauth1',
      WOO_STORE_SIGNED_CONSUMER_KEY: rw.consumer_key,
      WOO_STORE_SIGNED_CONSUMER_SECRET: rw.consumer_secret,
    };
    fs.writeFileSync(path.join(dir, 'shop.http'), [
      '@store = my-shop',
      '',
      '### list',
      'GET {{$store.url}}/wp-json/wc/v3/products?per_page={{perPage}}',
      '',
      '### create',
      '# @name created',
      'POST {{$store.url}}/wp-json/wc/v3/products',
      'Content-Type: application/json',
      '',
      '{"name": "CLI Tee", "type": "simple"}',
      '',
      '### read back, signed over HTTP',
      '# @store signed',
      'GET {{$store.url}}/wp-json/wc/v3/products/{{created.response.body.$.id}}',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'http-client.env.json'), JSON.stringify({ ci: { perPage: '4' } }));
  });
  after(async () => { await sandbox.stop(); });

  const cli = (args: string[], more: Record<string, string> = {}) => spawnCli(args, { env: { ...env, ...more }, cwd: dir });

  it('parse --json lists the requests with their lines', async () => {
    const r = await cli(['parse', 'shop.http', '--json', '--env', 'ci']);
    assert.strictEqual(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepStrictEqual(out.requests.map((q: { line: number; method: string }) => [q.line, q.method]), [[4, 'GET'], [8, 'POST'], [15, 'GET']]);
    assert.deepStrictEqual(out.problems, []);
  });

  it('parse reports what sending would meet, without sending: an unknown store (as WOO_STORE_* to set) and unknown variables', async () => {
    fs.writeFileSync(path.join(dir, 'body.json'), '{}');
    fs.writeFileSync(path.join(dir, 'lint.http'), '@store = elsewhere\nGET {{$store.url}}/wp-json/?a={{nope}}\n\n###\nPOST {{$store.url}}/wp-json/wc/v3/products\nContent-Type: application/json\n\n< ./missing.json\n\n###\nPOST {{$store.url}}/wp-json/wc/v3/products\nContent-Type: application/json\n\n< ./body.json\n');
    const r = await cli(['parse', 'lint.http']);
    assert.strictEqual(r.status, 1, 'an error problem');
    assert.match(r.stderr, /lint\.http:1:1: error: No store is named "elsewhere": set WOO_STORE_ELSEWHERE_URL/);
    assert.match(r.stderr, /lint\.http:2:\d+: warning: "nope" is not defined/);
    assert.match(r.stderr, /lint\.http:8:1: error: The body file "\.\/missing\.json" is not there/);
    assert.doesNotMatch(r.stderr, /body\.json/);
    assert.match(r.stdout, /3 requests, 3 problems/);
    fs.writeFileSync(path.join(dir, 'missing.json'), '{}');
    const known = await cli(['parse', 'lint.http'], { WOO_STORE_ELSEWHERE_URL: sandbox.httpsUrl });
    assert.strictEqual(known.status, 0, `a warning alone does not fail: ${known.stderr}`);
    const sent = await cli(['run', 'lint.http']);
    assert.strictEqual(sent.status, 1);
    assert.match(sent.stdout, /Not sent: No store is named "elsewhere": set WOO_STORE_ELSEWHERE_URL/);
    assert.doesNotMatch(sent.stderr, /No store is selected/);
  });

  it('send --line applies the env store\'s keys, prints the exchange, never the secret', async () => {
    const r = await cli(['send', 'shop.http', '--line', '4', '--env', 'ci']);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /per_page=4 HTTP\/1\.1/);
    assert.match(r.stdout, /^HTTP\/1\.1 200 OK$/m);
    assert.match(r.stdout, /^Authorization: Basic ••••••••$/m);
    assert.ok(!r.stdout.includes(rw.consumer_secret) && !r.stderr.includes(rw.consumer_secret));
  });

  it('run sends every request in order, chaining the named response across stores, and exits 0 when all succeed', async () => {
    const r = await cli(['run', 'shop.http', '--env', 'ci']);
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^✓ 4 GET .* → 200 OK/);
    assert.match(lines[1], /^✓ 8 POST .* → 201 Created/);
    assert.match(lines[2], /^✓ 15 GET http:\/\/127\.0\.0\.1:\d+\/wp-json\/wc\/v3\/products\/\d+\?.*oauth_signature=/);
    assert.strictEqual(lines[3], '3 succeeded, 0 failed');
  });

  it('fails a 200 that is an HTML page, refuses a bad --env or --log before sending, and names what a store lacks', async () => {
    const { startSandbox } = await import('../../src/sandbox');
    const plain = await startSandbox({ seed, plainPermalinks: true });
    try {
      fs.writeFileSync(path.join(dir, 'plain.pem'), plain.certificatePem);
      fs.writeFileSync(path.join(dir, 'stores.http'), ['@store = plain', 'GET {{$store.url}}/wp-json/wc/v3/products', '', '###', '# @store bare', 'GET {{$store.url}}/wp-json/wc/v3/products', '', '###', '# @store odd', 'GET {{$store.url}}/wp-json/', '', '###', '# @store swap', 'GET {{$store.url}}/wp-json/wc/v3/products?per_page=1', ''].join('\n'));
      const more = {
        WOO_STORE_PLAIN_URL: plain.httpsUrl, WOO_STORE_PLAIN_CONSUMER_KEY: rw.consumer_key, WOO_STORE_PLAIN_CONSUMER_SECRET: rw.consumer_secret, WOO_STORE_PLAIN_CA_FILE: path.join(dir, 'plain.pem'),
        WOO_STORE_BARE_URL: sandbox.httpsUrl,
        WOO_STORE_ODD_URL: sandbox.httpsUrl, WOO_STORE_ODD_AUTH: 'oauth1', WOO_STORE_ODD_SIGNATURE_METHOD: 'PLAINTEXT',
        WOO_STORE_SWAP_URL: sandbox.httpsUrl, WOO_STORE_SWAP_CONSUMER_KEY: rw.consumer_secret, WOO_STORE_SWAP_CONSUMER_SECRET: rw.consumer_key, WOO_STORE_SWAP_CA_FILE: path.join(dir, 'ca.pem'),
      };
      const r = await cli(['run', 'stores.http'], more);
      assert.strictEqual(r.status, 1);
      const lines = r.stdout.split('\n');
      // Plain permalinks: /wp-json/ is the front page, a 200 in HTML. Not a success.
      assert.match(lines[0], /^✗ 2 GET .* → 200 OK/);
      assert.match(lines[1], /^ {4}why: /);
      assert.match(r.stdout, /✗ 6 .*needs its consumer key and secret: set WOO_STORE_BARE_CONSUMER_KEY and WOO_STORE_BARE_CONSUMER_SECRET/);
      assert.match(r.stdout, /✗ 10 .*the store "odd" is set up wrongly: WOO_STORE_ODD_SIGNATURE_METHOD must be HMAC-SHA256 or HMAC-SHA1/);
      assert.match(r.stdout, /✓ 14 GET .* → 200 OK/, 'a swapped pair is put back');
      assert.match(r.stderr, /WOO_STORE_SWAP_CONSUMER_KEY holds a consumer secret/);
      assert.strictEqual(r.stderr.match(/WOO_STORE_SWAP_CONSUMER_KEY holds/g)?.length, 1, 'said once, not per request');
      assert.ok(!(r.stdout + r.stderr).includes(rw.consumer_secret.slice(-7)), 'nothing of the secret shows');

      const badEnv = await cli(['run', 'shop.http', '--env', 'nosuch']);
      assert.strictEqual(badEnv.status, 2);
      assert.match(badEnv.stderr, /No environment is named "nosuch"\. Known: ci/);
      const logDir = await cli(['run', 'shop.http', '--env', 'ci', '--log', dir]);
      assert.strictEqual(logDir.status, 2);
      assert.match(logDir.stderr, /is a folder/);
      assert.strictEqual(logDir.stdout, '', 'nothing was sent');

      // VS Code's settings.json is JSON with comments and trailing commas.
      fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{\n  // REST Client\n  "rest-client.environmentVariables": { /* local */ "local": { "perPage": "2", }, },\n  "x": "a // not a comment",\n}\n');
      const jsonc = await cli(['send', 'shop.http', '--line', '4', '--env', 'local']);
      assert.strictEqual(jsonc.status, 0, jsonc.stderr);
      assert.match(jsonc.stdout, /per_page=2 HTTP\/1\.1/);
    } finally {
      fs.rmSync(path.join(dir, '.vscode'), { recursive: true, force: true });
      await plain.stop();
    }
  });

  it('send names $processEnv values and a body file by their labels, in the text and in --json, never their value', async () => {
    fs.writeFileSync(path.join(dir, 'label-body.json'), '{"name":"CLI labelled"}');
    fs.writeFileSync(path.join(dir, 'labels.http'), '@store = my-shop\nPOST {{$store.url}}/wp-json/wc/v3/products\nContent-Type: application/json\nX-Woo-Trace: {{$processEnv WOO_TEST_SECRET}}\n\n< ./label-body.json\n');
    const more = { WOO_TEST_SECRET: 'canary-cli-processenv-91ab' };
    const json = await cli(['send', 'labels.http', '--line', '2', '--json'], more);
    assert.strictEqual(json.status, 0, json.stderr);
    assert.ok(!json.stdout.includes('canary-cli-processenv-91ab'));
    assert.match(json.stdout, /"X-Woo-Trace",\s*"⟨\$processEnv WOO_TEST_SECRET⟩"/);
    assert.match(json.stdout, /"⟨file \.\/label-body\.json \(23 B\)⟩"/);
    const text = await cli(['send', 'labels.http', '--line', '2'], more);
    assert.ok(!text.stdout.includes('canary-cli-processenv-91ab'));
    assert.match(text.stdout, /^X-Woo-Trace: ⟨\$processEnv WOO_TEST_SECRET⟩$/m);
    assert.match(text.stdout, /^⟨file \.\/label-body\.json \(23 B\)⟩$/m);
  });

  it('values from http-client.private.env.json are masked like $dotenv values, in every copy', async () => {
    fs.writeFileSync(path.join(dir, 'http-client.private.env.json'), JSON.stringify({ ci: { token: 'private-value-1234' } }));
    try {
      fs.writeFileSync(path.join(dir, 'private.http'), '@store = my-shop\nGET {{$store.url}}/wp-json/wc/v3/products?per_page={{perPage}}\nX-Token: {{token}}\n');
      const r = await cli(['send', 'private.http', '--line', '2', '--env', 'ci', '--json']);
      assert.strictEqual(r.status, 0, r.stderr);
      assert.ok(!r.stdout.includes('private-value-1234'), 'masked in --json');
      assert.match(r.stdout, /"X-Token",\s*"••••••••"/);
      const text = await cli(['send', 'private.http', '--line', '2', '--env', 'ci']);
      assert.ok(!text.stdout.includes('private-value-1234'));
      assert.match(text.stdout, /per_page=4 HTTP/, 'public values stay readable');
    } finally {
      fs.rmSync(path.join(dir, 'http-client.private.env.json'));
    }
  });

  it('run exits 1 when a request gets a 4xx, --log records it explained, and send says what is wrong with its arguments', async () => {
    fs.writeFileSync(path.join(dir, 'bad.http'), '@store = my-shop\n\n# @no-auth\nGET {{$store.url}}/wp-json/wc/v3/products\n');
    const r = await cli(['run', 'bad.http', '--log', 'requests.jsonl']);
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /✗ 4 GET .* → 401 Unauthorized/);
    // The editor's explanation, for the CI log: the cause, then the fixes by name.
    assert.match(r.stdout, /^ {4}why: No credentials were sent/m);
    const json = await cli(['run', 'bad.http', '--json']);
    assert.strictEqual(JSON.parse(json.stdout).results[0].findings[0].cause, 'no-credentials');
    const one = await cli(['send', 'bad.http', '--line', '4']);
    assert.strictEqual(one.status, 1);
    assert.match(one.stderr, /^woo-api: why: No credentials were sent/m);
    const logged = fs.readFileSync(path.join(dir, 'requests.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepStrictEqual(logged.map((e: { status: number; finding: string; source: string; line: number }) => [e.status, e.finding, e.source, e.line]), [[401, 'no-credentials', 'cli', 3]]);
    const noTarget = await cli(['send', 'shop.http']);
    assert.strictEqual(noTarget.status, 2);
    assert.match(noTarget.stderr, /--line N or --name NAME/);
    const unknown = await cli(['send', 'shop.http', '--name', 'nope']);
    assert.strictEqual(unknown.status, 2);
    assert.match(unknown.stderr, /named ones are: list, created/);
    const missingStore = await cli(['send', 'bad.http', '--line', '4', '--store', 'elsewhere']);
    assert.strictEqual(missingStore.status, 1);
    assert.match(missingStore.stderr, /No store is named "elsewhere"/);
  });
});

describe('woo-api doctor', () => {
  const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sandbox-seed.json'), 'utf8'));
  const rw = seed.keys.find((k: { permissions: string }) => k.permissions === 'read_write');

  async function doctor(options: Record<string, unknown>, envExtra: (s: import('../../src/sandbox').RunningSandbox) => Record<string, string>) {
    const { startSandbox } = await import('../../src/sandbox');
    const sandbox = await startSandbox({ seed, ...options });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-doctor-'));
    fs.writeFileSync(path.join(dir, 'ca.pem'), sandbox.certificatePem);
    try {
      return await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'doctor', '--store', 'shop', '--json'], { env: { ...process.env, WOO_STORE_SHOP_CA_FILE: path.join(dir, 'ca.pem'), ...envExtra(sandbox) } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (status) => resolve({ status, stdout, stderr }));
      });
    } finally {
      await sandbox.stop();
    }
  }

  it('exits 0 for a healthy store and 1 naming the cause for a stripped header, never printing the secret', async () => {
    const keys = (s: import('../../src/sandbox').RunningSandbox) => ({ WOO_STORE_SHOP_URL: s.httpsUrl, WOO_STORE_SHOP_CONSUMER_KEY: rw.consumer_key, WOO_STORE_SHOP_CONSUMER_SECRET: rw.consumer_secret });
    const healthy = await doctor({}, keys);
    assert.strictEqual(healthy.status, 0, healthy.stdout.slice(0, 500) + healthy.stderr);
    assert.strictEqual(JSON.parse(healthy.stdout).healthy, true);
    const stripped = await doctor({ stripAuthorization: true }, keys);
    assert.strictEqual(stripped.status, 1);
    assert.strictEqual(JSON.parse(stripped.stdout).cause, 'header-stripped');
    assert.ok(!stripped.stdout.includes(rw.consumer_secret) && !stripped.stderr.includes(rw.consumer_secret));
  });

  it('a read-only key is a fact (exit 0) unless the store says it must write (WOO_STORE_*_PERMISSIONS=read_write: exit 1)', async () => {
    const read = seed.keys.find((k: { permissions: string }) => k.permissions === 'read');
    const keys = (s: import('../../src/sandbox').RunningSandbox) => ({ WOO_STORE_SHOP_URL: s.httpsUrl, WOO_STORE_SHOP_CONSUMER_KEY: read.consumer_key, WOO_STORE_SHOP_CONSUMER_SECRET: read.consumer_secret });
    const undeclared = await doctor({}, keys);
    assert.strictEqual(undeclared.status, 0, undeclared.stdout.slice(0, 500));
    const report = JSON.parse(undeclared.stdout);
    assert.strictEqual(report.cause, undefined);
    assert.strictEqual(report.readOnlyKey, true);
    assert.match(report.summary, /The key is read-only: reads work, writes are refused/);
    const mustWrite = await doctor({}, (s) => ({ ...keys(s), WOO_STORE_SHOP_PERMISSIONS: 'read_write' }));
    assert.strictEqual(mustWrite.status, 1);
    assert.strictEqual(JSON.parse(mustWrite.stdout).cause, 'read-only-key');
    const declared = await doctor({}, (s) => ({ ...keys(s), WOO_STORE_SHOP_PERMISSIONS: 'read' }));
    assert.strictEqual(declared.status, 0, declared.stdout.slice(0, 500));
    assert.match(JSON.parse(declared.stdout).summary, /read-only as declared/);
  });
});

describe('woo-api send: values from the machine to a host that is not a store', () => {
  let server: import('http').Server;
  let port: number;
  let hits: string[];
  let dir: string;
  before(async () => {
    const http = await import('http');
    server = http.createServer((req, res) => { hits.push(req.url ?? ''); res.end('{}'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-outbound-'));
    fs.writeFileSync(path.join(dir, 'leak.http'), `GET http://127.0.0.1:${port}/x?t={{$processEnv GITHUB_TOKEN}}\n`);
  });
  beforeEach(() => { hits = []; });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const cli = (args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, GITHUB_TOKEN: 'ghp_cli_canary_0123456789' }, cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });

  it('is not sent without --allow-outbound, and says which value and how to allow it', async () => {
    const r = await cli(['send', 'leak.http', '--line', '1']);
    assert.notStrictEqual(r.status, 0);
    assert.match(r.stderr + r.stdout, /\$processEnv GITHUB_TOKEN from this machine to 127\.0\.0\.1:\d+.*--allow-outbound HOST/s);
    assert.ok(!(r.stderr + r.stdout).includes('ghp_cli_canary'), 'the value is never printed');
    assert.deepStrictEqual(hits, []);
  });

  it('is sent to a host named by --allow-outbound', async () => {
    const other = await cli(['send', 'leak.http', '--line', '1', '--allow-outbound', 'example.com']);
    assert.notStrictEqual(other.status, 0, 'another host named: still refused');
    const r = await cli(['send', 'leak.http', '--line', '1', '--allow-outbound', `example.com,127.0.0.1:${port}`]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.deepStrictEqual(hits, ['/x?t=ghp_cli_canary_0123456789']);
  });
});
