// `woo-api logs analyze` in a child process (the compiled src/cli.ts, so no bundle is needed):
// output, exit codes, and no full key in anything it prints.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const CLI_MODULE = path.resolve(__dirname, '..', '..', 'src', 'cli.js');
const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'access-log');
const fixture = (name: string) => path.join(FIXTURES, name);

function woo(args: string[]) {
  const script = `require(${JSON.stringify(CLI_MODULE)}).main(JSON.parse(process.argv[1])).then((c) => process.exit(c))`;
  const r = spawnSync(process.execPath, ['-e', script, JSON.stringify(args)], { encoding: 'utf8', timeout: 20000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('woo-api logs analyze', function () {
  this.timeout(30000); // each case starts Node and loads the CLI (~0.3 s)
  it('prints a summary with the findings and their lines; exit 0 even with findings', () => {
    const r = woo(['logs', 'analyze', fixture('anomalies.txt')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /118 lines: 114 parsed, 3 malformed \(lines 21, 41, 61\); 111 WooCommerce\/WordPress REST requests/);
    assert.match(r.stdout, /Findings: 1 error, 3 warnings, 1 for information/);
    assert.match(r.stdout, /WARNING Burst of 401s from 198\.51\.100\.10\n.*\n\s+lines 74, 75, 76, 77, 78, 79, 80, 81, 82, 83 and 15 more/);
    for (const key of fs.readFileSync(fixture('anomalies.txt'), 'utf8').match(/ck_[0-9a-f]{40}/g) ?? []) assert.ok(!r.stdout.includes(key.slice(-8)));
  });

  it('--fail-on-findings: exit 1 when a finding is an error or a warning, 0 when there is none', () => {
    assert.equal(woo(['logs', 'analyze', fixture('anomalies.txt'), '--fail-on-findings']).code, 1);
    const clean = woo(['logs', 'analyze', fixture('common.txt'), '--fail-on-findings']);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /No findings/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-log-'));
    try {
      const lines = fs.readFileSync(fixture('anomalies.txt'), 'utf8').split('\n');
      const burstOnly = path.join(dir, 'burst.txt'); // a warning only
      fs.writeFileSync(burstOnly, lines.filter((l) => l.startsWith('198.51.100.10 ')).join('\n'));
      assert.equal(woo(['logs', 'analyze', burstOnly, '--fail-on-findings']).code, 1);
      const unusualOnly = path.join(dir, 'unusual.txt'); // information only
      fs.writeFileSync(unusualOnly, lines.filter((l) => l.startsWith('203.0.113.5 ')).join('\n'));
      const info = woo(['logs', 'analyze', unusualOnly, '--fail-on-findings']);
      assert.match(info.stdout, /INFO\s+203\.0\.113\.5 active at an unusual hour/);
      assert.equal(info.code, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--json prints the whole report; --assume-scheme http turns the secret in the query into an error', () => {
    const r = woo(['logs', 'analyze', fixture('anomalies.txt'), '--json', '--assume-scheme', 'http']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.findings.map((f: { kind: string }) => f.kind), ['credentials-over-http', 'many-consumer-keys', 'success-then-failure', 'auth-burst', 'unusual-hour']);
    assert.doesNotMatch(r.stdout, /ck_[0-9a-f]{8,}/);
  });

  it('--markdown prints the exportable report; --format takes an nginx log_format string', () => {
    const r = woo(['logs', 'analyze', fixture('nginx-custom.txt'), '--markdown', '--format', '$remote_addr - $remote_user [$time_iso8601] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $scheme $request_time']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# Access log analysis: nginx-custom\.txt$/m);
    assert.match(r.stdout, /### Error: Credentials sent over plain HTTP by 2001:db8:1::20/);
  });

  it('reads a gzip file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-log-'));
    try {
      const gz = path.join(dir, 'access.log.gz');
      fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(fixture('anomalies.txt'))));
      const r = woo(['logs', 'analyze', gz, '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).lines.rest, 111);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exit 2 with a sentence, never a stack trace, for bad arguments and unreadable or unrecognised files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-log-'));
    try {
      const notALog = path.join(dir, 'notes.txt');
      fs.writeFileSync(notALog, 'hello\nworld\n');
      const broken = path.join(dir, 'broken.gz');
      fs.writeFileSync(broken, zlib.gzipSync(fs.readFileSync(fixture('anomalies.txt'))).subarray(0, 300));
      const cases: Array<[string[], RegExp]> = [
        [['logs', 'analyze', path.join(dir, 'missing.txt')], /Cannot read .*missing\.txt: no such file/],
        [['logs', 'analyze', dir], /it is a directory/],
        [['logs', 'analyze', notALog], /No line of .*notes\.txt fits a known format/],
        [['logs', 'analyze', broken], /starts like a gzip file but cannot be decompressed/],
        [['logs', 'analyze'], /Name the access log/],
        [['logs'], /woo-api logs analyze FILE/],
        [['logs', 'summarize', 'x'], /Unknown logs command "summarize"/],
        [['logs', 'analyze', fixture('common.txt'), '--assume-scheme', 'ftp'], /--assume-scheme takes http or https/],
        [['logs', 'analyze', fixture('common.txt'), '--format', '%h%l "%r" %>s'], /--format: .*nothing between them/],
        [['logs', 'analyze', fixture('common.txt'), '--json', '--markdown'], /Choose one/],
        [['logs', 'analyze', fixture('common.txt'), '--since', 'yesterday'], /--since takes a duration back from now/],
        [['logs', 'analyze', fixture('common.txt'), '--until', '1h'], /Unknown option --until/],
      ];
      for (const [args, message] of cases) {
        const r = woo(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /^woo-api: /);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is listed in --help', () => {
    const r = woo(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /woo-api logs analyze FILE \[--json \| --markdown\]/);
  });
});
