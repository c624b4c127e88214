// What the CLI prints reaches the reader whole and harmless: a 50 MB body through a real pipe
// arrives complete (the process exits only after stdout drains) without costing twice the body in
// memory; a terminal never receives the control sequences a response carries (tested in a real
// pseudo-terminal made by util-linux `script`); a cut body, a redirect loop, a body labelled JSON
// that is not, and oversized headers are each said in a sentence, with the right exit code.
import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { listen, type Loopback } from './helpers/loopback';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const MB = 1024 * 1024;
const BIG = 50 * MB;

interface Run { status: number | null; stdout: Buffer; stderr: string; peakRssKb?: number }

/** The CLI with stdout and stderr piped; Linux: its peak RSS (VmHWM) read from /proc while it runs. */
function cli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let peak: number | undefined;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak ?? 0, Number(m[1]));
      } catch { /* not Linux, or gone */ }
    }, 2);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      clearInterval(poll);
      resolve({ status, stdout: Buffer.concat(out), stderr, peakRssKb: peak });
    });
  });
}

/** A body of `size` bytes: one JSON string of letters, sent in 1 MiB writes with back-pressure. */
function bigBody(res: import('http').ServerResponse, size: number, withLength: boolean): void {
  res.writeHead(200, { 'Content-Type': 'application/json', ...(withLength ? { 'Content-Length': String(size) } : {}) });
  const chunk = Buffer.alloc(MB, 'a');
  res.write('"');
  let left = size - 2;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(chunk.subarray(0, n))) { res.once('drain', pump); return; }
    }
    res.end('"');
  };
  pump();
}

const NASTY = 'clear\u001b[2J\u001b[H bell\u0007 clipboard\u001b]52;c;cm0gLXJmIH4K\u0007 csi\u009b31m c1\u0085 del\u007f lone\rreturn crlf\r\nnext\ttab\n';

describe('woo-api output: complete, bounded, and harmless to a terminal', function () {
  this.timeout(120_000);
  let server: Loopback;
  let dir: string;

  before(async () => {
    server = await listen((req, res) => {
      const url = req.url ?? '/';
      if (url === '/big') return bigBody(res, BIG, true);
      if (url === '/big-chunked') return bigBody(res, BIG, false);
      if (url === '/tiny') return bigBody(res, 16, true);
      if (url === '/nasty') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return res.end(NASTY);
      }
      if (url === '/nasty.json') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ text: NASTY }));
      }
      if (url === '/half') {
        // Headers and half the body, then the connection goes.
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000', 'X-Trace': 'arrived' });
        res.write(`{"items": [${'1,'.repeat(249)}`);
        setTimeout(() => res.socket?.destroy(), 50);
        return;
      }
      if (url === '/loop') {
        res.writeHead(302, { Location: '/loop' });
        return res.end();
      }
      if (url === '/not-json') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end('<html><body>Not JSON at all</body></html>');
      }
      res.writeHead(404);
      res.end();
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-out-'));
    const lines = ['tiny', 'nasty', 'nasty.json'].map((p) => `### ${p}\n# @name ${p.replace(/[^a-z]/g, '_')}\nGET ${server.url}/${p}\n`);
    fs.writeFileSync(path.join(dir, 'all.http'), lines.join('\n'));
    for (const p of ['big', 'big-chunked', 'tiny', 'half', 'loop', 'not-json']) fs.writeFileSync(path.join(dir, `${p}.http`), `GET ${server.url}/${p}\n`);
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const bodyOf = (json: { exchange: { response: { body: string; bodyBytes: number } } }) => json.exchange.response;

  it('send --json through a pipe: the whole 50 MB body, valid JSON, exit 0 (Content-Length and chunked)', async () => {
    for (const file of ['big.http', 'big-chunked.http']) {
      const r = await cli(['send', file, '--line', '1', '--json'], dir);
      assert.strictEqual(r.status, 0, r.stderr);
      const res = bodyOf(JSON.parse(r.stdout.toString('utf8')));
      assert.strictEqual(res.bodyBytes, BIG, file);
      assert.strictEqual(res.body.length, BIG, `${file}: ${r.stdout.length} bytes printed`);
    }
  });

  it('send (text) and run --json through a pipe: nothing is cut', async () => {
    const text = await cli(['send', 'big.http', '--line', '1'], dir);
    assert.strictEqual(text.status, 0, text.stderr);
    assert.ok(text.stdout.length > BIG, `${text.stdout.length} bytes printed`);
    assert.ok(text.stdout.toString('latin1').trimEnd().endsWith('a"'), 'ends with the end of the body');
    const run = await cli(['run', 'big.http', '--json'], dir);
    assert.strictEqual(run.status, 0, run.stderr);
    const parsed = JSON.parse(run.stdout.toString('utf8')) as { failures: number; results: { exchange: { response: { body: string } } }[] };
    assert.strictEqual(parsed.failures, 0);
    assert.strictEqual(parsed.results[0].exchange.response.body.length, BIG);
  });

  it('a 50 MB body costs the CLI less than twice the body in memory (peak RSS over a 16-byte body\'s)', async function () {
    this.timeout(60000);
    if (!fs.existsSync('/proc/self/status')) this.skip();
    const tiny = await cli(['send', 'tiny.http', '--line', '1', '--json'], dir);
    for (const args of [['send', 'big.http', '--line', '1', '--json'], ['send', 'big.http', '--line', '1'], ['run', 'big.http', '--json']]) {
      // The lower of two runs: when V8 collects the socket's spent chunks varies from run to run
      // (by up to 30 MB here), and that noise only ever adds; a copy of the body would be in both.
      const runs = [await cli(args, dir), await cli(args, dir)];
      for (const r of runs) assert.strictEqual(r.status, 0, r.stderr);
      const big = runs.reduce((a, b) => (a.peakRssKb! <= b.peakRssKb! ? a : b));
      const extra = (big.peakRssKb! - tiny.peakRssKb!) / 1024;
      console.log(`      ${args.join(' ')}: peak RSS ${(big.peakRssKb! / 1024).toFixed(0)} MiB, ${extra.toFixed(0)} MiB over a 16-byte body (${(extra / 50).toFixed(2)}x the body)`);
      assert.ok(extra < 2 * 50, `${args.join(' ')}: ${extra.toFixed(0)} MiB more than for a tiny body`);
    }
  });

  it('a body cut mid-way keeps the status, headers and the part that arrived, says it is incomplete, and fails', async () => {
    const r = await cli(['send', 'half.http', '--line', '1', '--json'], dir);
    assert.strictEqual(r.status, 1, 'an incomplete body is a failure');
    const ex = JSON.parse(r.stdout.toString('utf8')).exchange;
    assert.strictEqual(ex.response.status, 200);
    assert.ok(ex.response.headers.some(([n, v]: [string, string]) => n === 'x-trace' && v === 'arrived'));
    assert.strictEqual(ex.response.bodyBytes, 509);
    assert.ok(ex.response.body.startsWith('{"items": [1,1,'));
    assert.strictEqual(ex.response.incomplete, true);
    assert.match(ex.error.message, /incomplete: the connection closed after 509 of the 1,000 bytes/);
    assert.doesNotMatch(ex.error.message, /before answering/);
    const text = await cli(['send', 'half.http', '--line', '1'], dir);
    assert.strictEqual(text.status, 1);
    assert.match(text.stdout.toString(), /^HTTP\/1\.1 200 OK$/m);
    assert.match(text.stdout.toString(), /^x-trace: arrived$/m);
    assert.match(text.stdout.toString() + text.stderr, /incomplete/);
  });

  it('a redirect loop on a path outside the API exits 1, with the loop in a sentence', async () => {
    for (const args of [['send', 'loop.http', '--line', '1'], ['run', 'loop.http']]) {
      const r = await cli(args, dir);
      assert.strictEqual(r.status, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout.toString() + r.stderr, /Stopped after 10 redirects/);
    }
  });

  it('a body labelled JSON that does not parse: exit 0, and --json carries the note as a problem', async () => {
    const r = await cli(['send', 'not-json.http', '--line', '1', '--json'], dir);
    assert.strictEqual(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.toString('utf8'));
    const problem = out.problems.find((p: { code?: string }) => p.code === 'body-not-json');
    assert.ok(problem, JSON.stringify(out.problems));
    assert.strictEqual(problem.severity, 'warning');
    assert.match(problem.message, /Content-Type says JSON, but the body does not parse as JSON/);
    const run = await cli(['run', 'not-json.http', '--json'], dir);
    assert.strictEqual(run.status, 0);
    assert.ok(JSON.parse(run.stdout.toString('utf8')).results[0].problems.some((p: { code?: string }) => p.code === 'body-not-json'));
  });

  it('headers too large for the client: a sentence saying what happened and what to try', async () => {
    const raw = net.createServer((socket) => {
      socket.on('error', () => { /* the client hangs up on the oversized headers */ });
      socket.once('data', () => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Huge: ${'x'.repeat(100 * 1024)}\r\nContent-Length: 2\r\n\r\nok`);
        socket.end();
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      fs.writeFileSync(path.join(dir, 'huge.http'), `GET http://127.0.0.1:${(raw.address() as net.AddressInfo).port}/\n`);
      const r = await cli(['send', 'huge.http', '--line', '1'], dir);
      assert.strictEqual(r.status, 1);
      assert.match(r.stderr, /headers .*larger than/i);
      assert.match(r.stderr, /cookies|Link|plugin/);
      assert.doesNotMatch(r.stderr, /Headers Overflow Error|UND_ERR/);
    } finally {
      raw.close();
    }
  });

  describe('control characters from a response', () => {
    const hasScript = spawnSync('script', ['--version']).status === 0;
    // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
    const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

    /** The CLI in a real pseudo-terminal: util-linux `script` gives it a TTY for stdout and stderr. (Asynchronously: the server is in this process.) */
    const inTerminal = (args: string[]) => new Promise<{ status: number | null; text: string }>((resolve) => {
      const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      // The terminal turns \n into \r\n (onlcr): only that \r is the terminal's.
      child.on('close', (status) => resolve({ status, text: Buffer.concat(out).toString('utf8').replace(/\r\n/g, '\n') }));
    });

    for (const [what, file, args] of [
      ['send', 'nasty', ['send', 'all.http', '--name', 'nasty']],
      ['send --json', 'nasty.json', ['send', 'all.http', '--name', 'nasty_json', '--json']],
      ['run', 'all', ['run', 'all.http', '--json']],
    ] as const) {
      it(`${what}: a terminal gets them neutralised, newlines and tabs kept`, async function () {
        if (!hasScript) this.skip();
        void file;
        const r = await inTerminal([...args]);
        const bad = CONTROL.exec(r.text);
        assert.strictEqual(bad, null, `a raw U+${bad?.[0].codePointAt(0)!.toString(16).padStart(4, '0')} reached the terminal:\n${r.text.slice(0, 2000)}`);
        assert.match(r.text, /clear/);
        if (what === 'send') {
          assert.match(r.text, /␛\[2J/, 'ESC is shown as a visible symbol');
          assert.match(r.text, /next\ttab/, 'tabs and newlines are kept');
        }
      });
    }

    it('piped, the body is printed byte for byte; --json escapes them as JSON does', async () => {
      const r = await cli(['send', 'all.http', '--name', 'nasty'], dir);
      assert.ok(r.stdout.toString('utf8').includes(NASTY.trimEnd()), 'unchanged when stdout is not a terminal');
      const j = await cli(['send', 'all.http', '--name', 'nasty_json', '--json'], dir);
      assert.strictEqual(CONTROL.exec(j.stdout.toString('utf8')), null);
      assert.strictEqual(JSON.parse(JSON.parse(j.stdout.toString('utf8')).exchange.response.body).text, NASTY);
    });
  });
});
