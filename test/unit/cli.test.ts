// The CLI as a user runs it: the built dist/cli.js in a child process.
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function runCli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15000 });
}

describe('woo-api CLI', () => {
  before(function () {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run the build (npm test does) first`);
  });

  it('prints usage for --help and its version for --version', () => {
    const help = runCli(['--help']);
    assert.strictEqual(help.status, 0);
    assert.match(help.stdout, /woo-api sandbox/);
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
    const child = spawn(process.execPath, [CLI, 'sandbox', '--http-port', '0', '--https-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no URLs printed: ${out}`)), 10000);
        child.stdout.on('data', () => { if (/Press Ctrl\+C/.test(out)) { clearTimeout(t); resolve(); } });
        child.on('exit', (c) => reject(new Error(`exited early with ${c}: ${out}`)));
      });
      const httpUrl = /HTTP\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const httpsUrl = /HTTPS\s+(https:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      assert.ok(httpUrl && httpsUrl, out);
      assert.match(out, /consumer key ck_[0-9a-f]{40}\s+secret cs_[0-9a-f]{40}/);
      const index = await fetch(`${httpUrl}/wp-json/`);
      assert.strictEqual(index.status, 200);
      const body = (await index.json()) as { namespaces: string[] };
      assert.ok(body.namespaces.includes('wc/v3'));
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise((r) => child.on('exit', r));
    assert.strictEqual(code, 0, 'a clean exit on SIGINT');
  });
});
