// `woo-api run` and `woo-api doctor` (the built dist/cli.js, in a child process) against the sandbox
// in the modes real stores showed: HTTPS ended at a proxy, a security plugin, a firewall rule
// against consumer_secret in query strings, plain HTTP sent to the HTTPS port, a server clock 20
// minutes off. For each: the cause named, a fix named, and the fix, applied through the store's
// WOO_STORE_* variables, making the same run succeed. And the doctor's query-string rule: the key
// pair goes in a URL only with --allow-query-secret, which it names when it would settle the cause.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sandbox-seed.json'), 'utf8'));
const rw = seed.keys.find((k: { permissions: string }) => k.permissions === 'read_write');
const WRONG_SECRET = `cs_${'0'.repeat(40)}`;

interface Ran { status: number | null; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string>, cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('woo-api run and doctor against the sandbox in its real-world modes', function () {
  this.timeout(60_000);
  let dir: string;
  const running: RunningSandbox[] = [];

  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run the build (npm test does) first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-modes-'));
    fs.writeFileSync(path.join(dir, 'shop.http'), '@store = shop\n\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n');
  });
  after(async () => {
    await Promise.all(running.map((s) => s.stop()));
  });

  async function sandbox(options: SandboxOptions): Promise<{ sb: RunningSandbox; env: Record<string, string> }> {
    const sb = await startSandbox({ seed, ...options });
    running.push(sb);
    const ca = path.join(dir, `ca-${running.length}.pem`);
    fs.writeFileSync(ca, sb.certificatePem);
    return { sb, env: { WOO_STORE_SHOP_URL: sb.httpsUrl, WOO_STORE_SHOP_CA_FILE: ca, WOO_STORE_SHOP_CONSUMER_KEY: rw.consumer_key, WOO_STORE_SHOP_CONSUMER_SECRET: rw.consumer_secret } };
  }

  const run = (env: Record<string, string>, extra: string[] = []) => cli(['run', 'shop.http', ...extra], env, dir);
  const doctor = (env: Record<string, string>, extra: string[] = []) => cli(['doctor', '--store', 'shop', '--json', ...extra], env, dir);

  it('HTTPS ended at a proxy: run names it; the doctor leads with wp-config.php; OAuth signed for the http:// Home URL works', async () => {
    const { sb, env } = await sandbox({ httpsProxy: true });
    const r = await run(env);
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /why: .*HTTPS ends at a proxy/);
    const d = await doctor(env);
    const report = JSON.parse(d.stdout);
    assert.strictEqual(report.cause, 'https-terminated-at-proxy', report.summary);
    assert.strictEqual(report.findings[0].fixes[0].id, 'copy-proxy-https-snippet');
    const sign = report.findings[0].fixes.find((f: { id: string }) => f.id === 'sign-with-home-url');
    const fixed = await run({ ...env, WOO_STORE_SHOP_AUTH: 'oauth1', WOO_STORE_SHOP_HOME_URL: sign.url });
    assert.strictEqual(fixed.status, 0, fixed.stdout + fixed.stderr);
    assert.ok(!sb.requestLog().some((l) => l.includes(rw.consumer_secret)), 'no secret in the server\'s log');
  });

  it('a proxy that sends no X-Forwarded-Proto: the doctor says so and leads with the proxy-side fix', async () => {
    const { env } = await sandbox({ httpsProxyNoForwardedProto: true });
    const d = await cli(['doctor', '--store', 'shop'], env, dir);
    assert.strictEqual(d.status, 1);
    assert.match(d.stdout, /the proxy in front of it does not send it/);
    assert.match(d.stdout, /Copy the proxy fix: send X-Forwarded-Proto \(preferred\)/);
    assert.match(d.stdout, /proxy_set_header X-Forwarded-Proto \$scheme;/, 'the proxy lines are printed (no clipboard in a terminal)');
  });

  it('a security plugin in front of a stripped header: run names the plugin; the doctor finds OAuth 1.0a passes, and it does', async () => {
    const { env } = await sandbox({ securityPlugin: true, stripAuthorization: true });
    const r = await run(env);
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /why: A security plugin or firewall answered/);
    const report = JSON.parse((await doctor(env)).stdout);
    assert.strictEqual(report.cause, 'security-plugin');
    assert.strictEqual(report.findings[0].fixes[0].id, 'switch-to-oauth1');
    assert.ok(!report.findings.some((f: { cause: string }) => f.cause === 'unknown-consumer-key'), 'no unknown-key guess behind a plugin');
    assert.strictEqual((await run({ ...env, WOO_STORE_SHOP_AUTH: 'oauth1' })).status, 0);
  });

  it('a firewall against consumer_secret in the query string: run and the doctor name it and Basic auth, which works', async () => {
    const { env } = await sandbox({ firewallQuerySecret: true });
    const query = { ...env, WOO_STORE_SHOP_AUTH: 'query' };
    const r = await run(query);
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /why: .*firewall/i);
    assert.match(r.stdout, /fix: Send the key in an Authorization: Basic header instead/);
    const report = JSON.parse((await doctor(query)).stdout);
    assert.strictEqual(report.cause, 'firewall');
    assert.strictEqual(report.findings[0].fixes[0].id, 'switch-to-basic-auth');
    assert.strictEqual((await run({ ...env, WOO_STORE_SHOP_AUTH: 'basic' })).status, 0);
  });

  it('plain HTTP to the HTTPS port: named, with https:// as the fix, which works', async () => {
    const { sb, env } = await sandbox({});
    const http = { ...env, WOO_STORE_SHOP_URL: sb.httpsUrl.replace(/^https:/, 'http:') };
    const r = await run(http);
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /why: Plain HTTP was sent to a port that speaks HTTPS/);
    assert.match(r.stdout, /fix: Use https:\/\//);
    const report = JSON.parse((await doctor(http)).stdout);
    assert.strictEqual(report.cause, 'http-to-https-port');
    assert.strictEqual(report.findings[0].fixes[0].url, sb.httpsUrl);
    assert.strictEqual((await run({ ...http, WOO_STORE_SHOP_URL: report.findings[0].fixes[0].url })).status, 0);
  });

  it('--server-clock: a server 20 minutes ahead fails OAuth with "Invalid timestamp."; run names the flag, and with it succeeds', async () => {
    const { sb, env } = await sandbox({ clockOffsetSeconds: 1200 });
    const signed = { ...env, WOO_STORE_SHOP_URL: sb.httpUrl, WOO_STORE_SHOP_AUTH: 'oauth1' };
    const r = await run(signed);
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /fix: Re-send with a fresh nonce, timed by the server's clock \(woo-api: --server-clock\)/);
    const fixed = await run(signed, ['--server-clock']);
    assert.strictEqual(fixed.status, 0, fixed.stdout + fixed.stderr);
    assert.match(fixed.stderr, /the clock of store "shop" is 1[12]\d\d s ahead of this machine's/);
    const once = await cli(['send', 'shop.http', '--line', '3', '--server-clock'], signed, dir);
    assert.strictEqual(once.status, 0, once.stderr);
  });

  it('the doctor keeps the key pair out of URLs, names --allow-query-secret when it would settle the cause, and sends it only then', async () => {
    // A stripped header and a wrong secret: OAuth says "Invalid signature" (key known, secret or URL
    // off); only the query string would name "Consumer secret is invalid.".
    const { sb, env } = await sandbox({ stripAuthorization: true });
    const wrong = { ...env, WOO_STORE_SHOP_CONSUMER_SECRET: WRONG_SECRET };
    const before = sb.requestLog().length;
    const withheld = await doctor(wrong);
    const report = JSON.parse(withheld.stdout);
    assert.strictEqual(report.querySecretWouldHelp, true, report.summary);
    assert.match(withheld.stderr, /--allow-query-secret/);
    assert.ok(report.probes.some((p: { name: string; outcome: string; request?: string }) => p.name === 'query' && p.outcome === 'skipped' && !p.request));
    assert.ok(!sb.requestLog().slice(before).some((l) => /consumer_secret/.test(l)), 'no consumer_secret in the server\'s log');

    const logged = sb.requestLog().length;
    const allowed = JSON.parse((await doctor(wrong, ['--allow-query-secret'])).stdout);
    assert.strictEqual(allowed.cause, 'header-stripped');
    assert.strictEqual(allowed.findings[0].confidence, 'certain');
    assert.ok(allowed.findings.some((f: { cause: string }) => f.cause === 'wrong-consumer-secret'));
    // Agreed to: the secret is now in the server's log (which is why it needs agreeing to).
    assert.ok(sb.requestLog().slice(logged).some((l) => l.includes(`consumer_secret=${WRONG_SECRET}`)));
  });
});
