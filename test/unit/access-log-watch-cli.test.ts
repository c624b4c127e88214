// `woo-api logs watch` in a child process, as a user or a pipeline runs it: standard input through a
// real pipe (alerts arrive while the input is still open, and are resolved when it goes quiet), a
// file rotated by rename and by copytruncate while it is followed, Ctrl+C (everything printed before
// the exit), the exit codes, and `logs analyze --since --rules --quiet` for cron.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { combinedLine } from './helpers/access-log-lines';

// The compiled CLI run as a program, as `woo-api` runs: output flushed before the exit (cli-output.ts).
const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli.js');

/** A line dated now (the watcher judges quiet periods on the log's clock, which runs with the wall clock). */
const now = (ip: string, target: string, status: number, ua = 'curl/8.0') => combinedLine(ip, Date.now(), target, status, ua);

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function watch(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, 'logs', 'watch', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

function woo(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function until<T>(what: string, probe: () => T | undefined, ms = 10000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const alertsOf = (out: string) => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; kind: string; client: string; count: number; first: { source: string; line: number }; last: { source: string; line: number; text?: string }; resolution?: string });

describe('woo-api logs watch', function () {
  this.timeout(40000);
  let dir: string;
  let rules: string;
  const started: Running[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-watch-'));
    rules = path.join(dir, 'rules.txt');
    fs.writeFileSync(rules, '# quick episodes for a test\nburst 5 in 2s\nresolve-after 2s\n');
  });
  afterEach(() => {
    for (const r of started.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function start(args: string[]): Running {
    const r = watch(args);
    started.push(r);
    return r;
  }

  it('standard input through a pipe: the alert arrives while the input is open, is resolved when the client goes quiet; exit 1 at the end of input', async () => {
    const w = start(['-', '--json', '--rules', rules]);
    await until('the start notice', () => /following standard input/.test(w.stderr()));
    for (let i = 0; i < 3; i++) w.child.stdin.write(`${now('192.0.2.1', '/wp-json/wc/v3/products', 200)}\n`);
    const burst = Array.from({ length: 7 }, () => now('198.51.100.7', '/wp-json/wc/v3/orders?consumer_key=ck_0123456789abcdef0123456789abcdef01234567', 401));
    w.child.stdin.write(`${burst.slice(0, 4).join('\n')}\n`);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(alertsOf(w.stdout()).length, 0, 'four 401s are not a burst of five');
    const sentAt = Date.now();
    w.child.stdin.write(`${burst.slice(4).join('\n')}\n`);
    const [raised] = await until('the alert', () => (alertsOf(w.stdout()).length ? alertsOf(w.stdout()) : undefined));
    assert.ok(Date.now() - sentAt < 3000, 'within seconds of the line, not at the end of the input');
    assert.equal(raised.event, 'raised');
    assert.equal(raised.kind, 'auth-burst');
    assert.equal(raised.client, '198.51.100.7');
    assert.equal(raised.count, 5);
    assert.deepEqual([raised.first.source, raised.first.line, raised.last.line], ['-', 4, 8]);
    assert.doesNotMatch(w.stdout(), /0123456789abcdef0123456789abcdef/, 'no whole key, in the evidence line either');
    const resolved = await until('the resolution', () => alertsOf(w.stdout()).find((a) => a.event === 'resolved'));
    assert.equal(resolved.resolution, 'quiet');
    assert.equal(resolved.count, 7);
    w.child.stdin.end();
    assert.equal(await w.exited, 1, 'a warning was raised');
    assert.match(w.stderr(), /end of input: 10 lines read \(10 REST requests, 0 malformed\); 1 alert raised, 1 resolved, 0 still open\./);
  });

  it('standard input with nothing alarming: exit 0; human lines by default', async () => {
    const w = start(['-', '--rules', rules]);
    w.child.stdin.end(`${now('192.0.2.1', '/wp-json/wc/v3/products', 200)}\n`);
    assert.equal(await w.exited, 0);
    assert.equal(w.stdout(), '');
    const h = start(['-', '--rules', rules]);
    h.child.stdin.end(`${Array.from({ length: 5 }, () => now('198.51.100.7', '/wp-json/wc/v3/orders', 401)).join('\n')}\n`);
    assert.equal(await h.exited, 1);
    assert.match(h.stdout(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00 {2}ALERT {5}warning {2}Burst of 401s from 198\.51\.100\.7\n {4}198\.51\.100\.7 got 5 "401 Unauthorized" answers/);
    assert.match(h.stdout(), /\n {4}evidence: standard input lines 1 to 5 \(5 lines\)\.\n$/);
  });

  it('a file rotated by rename, then by copytruncate, while it is followed; Ctrl+C prints everything before exiting 0', async () => {
    const file = path.join(dir, 'access.log');
    fs.writeFileSync(file, `${now('192.0.2.1', '/wp-json/wc/v3/products', 200)}\n`);
    const w = start([file, '--json', '--rules', rules]);
    await until('the start notice', () => /following .*access\.log/.test(w.stderr()));
    await new Promise((r) => setTimeout(r, 300));
    const burst = (ip: string) => `${Array.from({ length: 6 }, () => now(ip, '/wp-json/wc/v3/orders', 401)).join('\n')}\n`;
    fs.appendFileSync(file, burst('198.51.100.1'));
    await until('the first alert', () => alertsOf(w.stdout()).find((a) => a.client === '198.51.100.1'));

    fs.renameSync(file, `${file}.1`); // logrotate, rename and create
    fs.writeFileSync(file, burst('198.51.100.2'));
    const second = await until('the alert from the new file', () => alertsOf(w.stdout()).find((a) => a.client === '198.51.100.2'));
    assert.deepEqual([path.basename(second.first.source), second.first.line, second.last.line], ['access.log', 1, 5]);
    assert.match(w.stderr(), /access\.log was rotated \(the old file is now access\.log\.1\)/);

    fs.copyFileSync(file, `${file}.1`); // logrotate, copytruncate
    fs.truncateSync(file, 0);
    await new Promise((r) => setTimeout(r, 300));
    fs.appendFileSync(file, burst('198.51.100.3'));
    const third = await until('the alert after the truncation', () => alertsOf(w.stdout()).find((a) => a.client === '198.51.100.3'));
    assert.deepEqual([third.first.line, third.last.line], [1, 5], 'read from the start again');
    assert.match(w.stderr(), /access\.log was truncated/);

    // Ctrl+C with alerts still open: what was printed is all there, the summary on stderr (the line
    // there before the start was not read: following starts at the end).
    fs.appendFileSync(file, burst('198.51.100.4'));
    await until('the fourth alert', () => alertsOf(w.stdout()).find((a) => a.client === '198.51.100.4'));
    w.child.kill('SIGINT');
    assert.equal(await w.exited, 0);
    const all = alertsOf(w.stdout());
    assert.deepEqual([...new Set(all.filter((a) => a.event === 'raised').map((a) => a.client))], ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4'], 'each burst raised once');
    assert.equal(all.filter((a) => a.event === 'raised').length, 4);
    assert.match(w.stderr(), /stopped: 24 lines read .* 4 alerts raised/);
  });

  it('--since reads the last minutes of the file and its rotated siblings first', async () => {
    const file = path.join(dir, 'access.log');
    const old = combinedLine('198.51.100.9', Date.now() - 3 * 3600_000, '/wp-json/wc/v3/orders', 401);
    fs.writeFileSync(`${file}.1`, `${Array.from({ length: 6 }, () => old).join('\n')}\n${Array.from({ length: 6 }, () => now('198.51.100.8', '/wp-json/wc/v3/orders', 401)).join('\n')}\n`);
    fs.writeFileSync(file, `${now('192.0.2.1', '/wp-json/wc/v3/products', 200)}\n`);
    const w = start([file, '--json', '--rules', rules, '--since', '1h']);
    const a = await until('the alert from the rotated file', () => alertsOf(w.stdout()).find((x) => x.event === 'raised'));
    assert.equal(a.client, '198.51.100.8', 'lines older than an hour are not analysed');
    assert.deepEqual([path.basename(a.first.source), a.first.line], ['access.log.1', 7]);
    w.child.kill('SIGTERM');
    assert.equal(await w.exited, 0);
  });

  it('exit 2 with a sentence for a wrong rules file (every mistake by line), a wrong --since, a directory', () => {
    fs.writeFileSync(rules, 'burst 20 in sixty\nallow ip 10.0.0.1/8\nkeys 5\n');
    const cases: Array<[string[], RegExp]> = [
      [['logs', 'watch', '-', '--rules', rules], /woo-api: the rules file has 2 mistakes; nothing was read:\n.*rules\.txt:1: "burst" takes a count.*\n.*rules\.txt:2: "10\.0\.0\.1\/8" has bits set/],
      [['logs', 'watch', '-', '--rules', path.join(dir, 'none.txt')], /Cannot read the rules file .*none\.txt: no such file\./],
      [['logs', 'watch', '-', '--since', 'yesterday'], /--since takes a duration back from now \(30s, 10m, 2h, 1d\) or a date and time/],
      [['logs', 'watch', dir], /is a directory; name the log file in it/],
      [['logs', 'watch'], /Name the access log to follow, or - for standard input/],
      [['logs', 'watch', '-', '--format', '%h%l'], /--format: /],
      [['logs', 'analyze', path.join(dir, 'x.log'), '--rules', rules], /rules\.txt:1: /],
    ];
    for (const [args, message] of cases) {
      const r = woo(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  it('logs analyze for cron: --since the last hour, --rules, --quiet prints nothing when nothing is wrong, --fail-on-findings exits 1 when something is', () => {
    const file = path.join(dir, 'access.log');
    const hoursAgo = (h: number, ip: string, status: number) => combinedLine(ip, Date.now() - h * 3600_000, '/wp-json/wc/v3/orders', status);
    fs.writeFileSync(file, [...Array.from({ length: 6 }, () => hoursAgo(3, '198.51.100.7', 401)), hoursAgo(0, '192.0.2.1', 200)].join('\n') + '\n');
    const lastHour = woo(['logs', 'analyze', file, '--since', '1h', '--rules', rules, '--fail-on-findings', '--quiet']);
    assert.equal(lastHour.code, 0, lastHour.stderr);
    assert.equal(lastHour.stdout, '', 'quiet: nothing to mail');
    const day = woo(['logs', 'analyze', file, '--since', '1d', '--rules', rules, '--fail-on-findings', '--quiet']);
    assert.equal(day.code, 1);
    assert.match(day.stdout, /WARNING Burst of 401s from 198\.51\.100\.7/);
    assert.match(woo(['logs', 'analyze', file, '--since', '1h', '--json']).stdout, /"beforeSince": 6/);
  });
});
