// Text others control (response bodies and headers, log formats, store URLs, request paths) is
// never scanned by a regular expression that backtracks into quadratic time. Each replacement is
// checked two ways: it gives what the regular expression it replaces gave, on thousands of small
// generated inputs (the old pattern is the oracle here, where it is fast), and it takes 1 MB of the
// input that made the old pattern quadratic within a generous budget (the old patterns took from
// seconds to hours on these; linear code takes milliseconds). Throughput is in `npm run bench`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { normaliseFormatSpec, LogFormatError } from '../../src/core/access-log/parse';
import { explainExchange } from '../../src/core/explain/explain';
import { parseLinkHeader } from '../../src/core/pagination';
import { tokenize } from '../../src/core/pretty-json';
import { redactText } from '../../src/core/redact';
import type { Exchange } from '../../src/core/send';
import { trimSlashes, trimTrailingSlashes, withoutQueryOrFragment } from '../../src/core/url-text';
import { startSandbox } from '../../src/sandbox';
import { trimBoth, trimEnd, withoutEntities, withoutTags } from '../../src/sandbox/text';
import { mulberry32 } from './helpers/prng';

const MB = 1024 * 1024;
/** Generous: linear code does 1 MB in milliseconds; the quadratic patterns took minutes to hours. */
const BUDGET_MS = 2000;

function timed<T>(what: string, f: () => T): T {
  const started = performance.now();
  const out = f();
  const ms = performance.now() - started;
  assert.ok(ms < BUDGET_MS, `${what}: ${ms.toFixed(0)} ms for 1 MB`);
  return out;
}

/** Strings of up to `max` pieces drawn from `alphabet` (characters or short strings). */
function strings(seed: number, alphabet: readonly string[], count = 3000, max = 24): string[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(rnd() * max) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
}

describe('linear scans of text others control', function () {
  this.timeout(60_000);

  describe('URL user-info in redaction (a 150 KB body took 8.4 s)', () => {
    const OLD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):([^\s/?#@]+)@/gi;
    const MASK = '••••••••';
    it('masks what the old pattern masked', () => {
      for (const s of strings(1, ['a', 'B', '1', '-', '.', '+', '_', ':', '/', '//', '://', '@', ':', 'x:y@', ' ', '\n', '?', '#', 'é', MASK])) {
        const want = s.replace(OLD, (m, head: string, pw: string) => (pw.includes(MASK) || /^(?:ck_)?….{7}$/su.test(pw) ? m : `${head}:${MASK}@`));
        // redactText runs other passes too; on this alphabet only the user-info one applies.
        assert.equal(redactText(s), want, JSON.stringify(s));
      }
      assert.equal(redactText('see https://admin:hunter2@shop.example/wp-admin and ftp://u:p@h'), `see https://admin:${MASK}@shop.example/wp-admin and ftp://u:${MASK}@h`);
    });
    it('takes 1 MB of its worst inputs in time', () => {
      timed('scheme-like runs', () => redactText('://@ ' + 'a-'.repeat(MB / 2)));
      timed('authority without @', () => redactText('@ x://' + 'a:'.repeat(MB / 2)));
      timed('many user-infos', () => redactText('h://u:p@'.repeat(MB / 8)));
    });
  });

  describe('trailing slashes, query and fragment (/\\/+$/ at 27 call sites, /[?#].*$/ on a store\'s home)', () => {
    it('cut what the old patterns cut', () => {
      for (const s of strings(2, ['/', '//', 'a', '?', '#', '\n', ' ', '\\'])) {
        assert.equal(trimTrailingSlashes(s), s.replace(/\/+$/, ''), JSON.stringify(s));
        assert.equal(trimSlashes(s), s.replace(/^\/+|\/+$/g, ''), JSON.stringify(s));
        if (!/[\n\r\u2028\u2029]/.test(s)) assert.equal(withoutQueryOrFragment(s), s.replace(/[?#].*$/, ''), JSON.stringify(s));
        assert.equal(trimEnd(s, '/\\'), s.replace(/[/\\]+$/, ''), JSON.stringify(s));
        assert.equal(trimBoth(s, '?'), s.replace(/^\?+|\?+$/g, ''), JSON.stringify(s));
      }
    });
    it('take 1 MB of their worst inputs in time', () => {
      timed('slashes', () => trimTrailingSlashes('/'.repeat(MB) + 'x'));
      timed('slashes, both ends', () => trimSlashes('x' + '/'.repeat(MB) + 'x'));
      timed('question marks and a line break', () => withoutQueryOrFragment('?'.repeat(MB) + '\n'));
      timed('sandbox: slashes and backslashes', () => trimEnd('/\\'.repeat(MB / 2) + 'x', '/\\'));
    });
    it('no source file uses the backtracking patterns any more', () => {
      const root = path.resolve(__dirname, '..', '..', '..');
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (p.endsWith('.ts')) {
            fs.readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
              if (!/^\s*(\/\/|\*)/.test(line) && (line.includes(String.raw`/\/+$/`) || line.includes(String.raw`/[?#].*$/`) || line.includes(String.raw`[/\\]+$/`))) found.push(`${path.relative(root, p)}:${i + 1}`);
            });
          }
        }
      };
      walk(path.join(root, 'src'));
      walk(path.join(root, 'media'));
      assert.deepEqual(found, []);
    });
  });

  describe('nginx log_format quoted strings (18.6 s)', () => {
    const OLD = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;
    it('reads the strings the old pattern read, and refuses an unclosed quote', () => {
      for (const s of strings(3, ["'", '"', '\\', 'a', ' ', '$x'])) {
        const spec = `log_format main ${s}`;
        const old = [...spec.matchAll(OLD)].map((m) => m[1] ?? m[2]);
        let ours: string | undefined;
        try {
          ours = normaliseFormatSpec(spec);
        } catch (err) {
          assert.ok(err instanceof LogFormatError, String(err));
          continue; // an unclosed quote (the old pattern skipped it) or no string at all
        }
        assert.equal(ours, old.join('').replace(/\\(["\\tn])/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c)), JSON.stringify(spec));
      }
    });
    it('takes 1 MB of its worst input in time', () => {
      assert.throws(() => timed('escaped quotes, unclosed', () => normaliseFormatSpec(`log_format x '${"\\'".repeat(MB / 2)}`)), /not closed/);
      timed('escaped quotes, closed', () => normaliseFormatSpec(`log_format x '${"\\'".repeat(MB / 2)}'`));
    });
  });

  describe('Link headers (pagination and the REST API link)', () => {
    const OLD = /<([^>]*)>\s*((?:;\s*[^;,]+)*)/g;
    it('finds the links the old pattern found', () => {
      for (const s of strings(4, ['<', '>', 'a', ';', ',', ' ', 'rel=next', 'rel="prev"', '"', '='])) {
        const want: Record<string, string> = {};
        for (const m of s.matchAll(OLD)) {
          const rel = /;\s*rel\s*=\s*"?([^";,]+)"?/i.exec(m[2] ?? '')?.[1];
          if (rel) for (const r of rel.trim().split(/\s+/)) want[r.toLowerCase()] = m[1]!;
        }
        assert.deepEqual(parseLinkHeader(s), want, JSON.stringify(s));
      }
    });
    it('takes 1 MB of its worst inputs in time', () => {
      timed('unclosed <', () => parseLinkHeader('<'.repeat(MB)));
      timed('many parameters', () => parseLinkHeader('<x>' + '; a'.repeat(MB / 3)));
      const headers: [string, string][] = [['content-type', 'text/html'], ['link', '<'.repeat(MB)]];
      const ex: Exchange = { startedAt: '', request: { method: 'GET', url: 'https://shop.example/wp-json/wc/v3/products', headers: [], bodyBytes: 0 }, response: { status: 200, statusText: 'OK', headers, body: Buffer.from('<html>'), bodyBytes: 6, truncated: false, contentType: 'text/html' }, redirects: [], timings: { total: 1 } };
      timed('the explanation reading Link', () => explainExchange({ exchange: ex, authMethod: 'none' }));
    });
  });

  describe('the runner\'s JSON colouring (tokenize)', () => {
    const OLD = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\],:])|(\s+)|([^\s"{}[\],:]+)/g;
    it('cuts lines as the old pattern did (an unclosed string now keeps its quote)', () => {
      for (const s of strings(5, ['"', '\\', '\\"', 'a', '1', '-', '.', 'e', ':', ',', '{', ']', ' ', 'true', 'null'])) {
        const old: [string, string][] = [];
        for (const m of s.matchAll(OLD)) {
          if (m[1] !== undefined) {
            if (m[2] !== undefined) old.push(['key', m[1]], ['punct', m[2]]);
            else old.push(['string', m[1]]);
          } else if (m[3] !== undefined) old.push(['number', m[3]]);
          else if (m[4] !== undefined) old.push(['literal', m[4]]);
          else if (m[5] !== undefined) old.push(['punct', m[5]]);
          else if (m[6] !== undefined) old.push(['space', m[6]]);
          else old.push(['punct', m[7]!]);
        }
        const ours = tokenize(s);
        assert.equal(ours.map(([, t]) => t).join(''), s, `every character is in a token: ${JSON.stringify(s)}`);
        if (old.map(([, t]) => t).join('') === s) assert.deepEqual(ours, old, JSON.stringify(s));
      }
    });
    it('takes 1 MB of its worst input in time', () => {
      timed('an unclosed string of \\"', () => tokenize('"' + '\\"'.repeat(MB / 2)));
    });
  });

  describe('the explanation\'s "REST API disabled" message check', () => {
    it('takes 1 MB of its worst input in time, and still reads the message', () => {
      const answer = (message: string): Exchange => {
        const body = Buffer.from(JSON.stringify({ code: 'some_plugin_error', message, data: { status: 401 } }));
        return { startedAt: '', request: { method: 'GET', url: 'https://shop.example/wp-json/wc/v3/products', headers: [], bodyBytes: 0 }, response: { status: 401, statusText: 'Unauthorized', headers: [['content-type', 'application/json']], body, bodyBytes: body.length, truncated: false, contentType: 'application/json' }, redirects: [], timings: { total: 1 } };
      };
      const closed = explainExchange({ exchange: answer('The REST API is disabled for visitors.'), authMethod: 'wc-basic' });
      const big = timed('"rest api " repeated', () => explainExchange({ exchange: answer('rest api '.repeat(MB / 9)), authMethod: 'wc-basic' }));
      assert.equal(closed[0]?.cause, 'security-plugin', 'the message still decides the cause');
      assert.ok(!big.some((f) => f.cause === 'security-plugin'), '"rest api" without "disabled" or "restricted" is not that message');
    });
  });

  describe('the sandbox', () => {
    it('cleans a login as sanitize_user does, the old patterns being the oracle', () => {
      for (const s of strings(6, ['<', '>', '&', ';', 'a', ' ', '\n', '%41'])) {
        assert.equal(withoutTags(s), s.replace(/<[^>]*>/g, ''), JSON.stringify(s));
        assert.equal(withoutEntities(s), s.replace(/&.+?;/g, ''), JSON.stringify(s));
      }
      timed('tags', () => withoutTags('<'.repeat(MB)));
      timed('entities', () => withoutEntities('&'.repeat(MB)));
    });

    it('answers a request path of 16 KB of slashes at once', async () => {
      const sandbox = await startSandbox({});
      try {
        const port = Number(new URL(sandbox.httpUrl).port);
        const started = performance.now();
        const status = await new Promise<string>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET /wp-json/wc/v3${'/'.repeat(16000)}x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
          let text = '';
          socket.on('data', (d) => (text += d));
          socket.on('end', () => resolve(text.split('\r\n')[0]));
          socket.on('error', reject);
        });
        const ms = performance.now() - started;
        assert.match(status, /^HTTP\/1\.1 \d{3}/);
        // The request line is capped at 16 KB, so the old pattern took about a second here, not hours:
        // a tighter budget, still generous for a request on loopback.
        assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
      } finally {
        await sandbox.stop();
      }
    });
  });
});
