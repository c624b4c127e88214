// The combined-format fast path of the access-log scanner (LineScanner.scanCombined) against the
// general loop every other format uses: for every line, the same verdict (parsed or malformed) and,
// when parsed, the same field bounds, time, status and entry. Hand-picked tricky lines first, then
// thousands of deterministic random mutations of ordinary lines, so that the fast path cannot drift
// from the general scanner without a test failing.
import * as assert from 'node:assert/strict';
import { LineScanner, compileLogFormat, type CompiledFormat } from '../../src/core/access-log/parse';
import { analyzeText } from '../../src/core/access-log/analyze';
import { mulberry32 } from './helpers/prng';

const COMBINED = compileLogFormat('combined');

const ORDINARY = [
  '203.0.113.9 - - [27/Nov/2026:10:00:00 +0100] "GET /wp-json/wc/v3/products/123?per_page=5 HTTP/1.1" 401 154 "https://shop.example.com/" "python-requests/2.32.3"',
  '10.1.59.7 - - [20/Nov/2026:00:00:00 +0100] "GET /wp-content/uploads/2026/10/hoodie-blue-600x600.jpg HTTP/1.1" 200 89524 "https://shop.example.com/" "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"',
  '2001:db8:bad::7 - ck_0123456789abcdef0123456789abcdef01234567 [28/Nov/2026:23:59:59 -0530] "POST /wp-json/wc/v3/orders HTTP/2.0" 201 - "-" "WooCommerce-REST-API-Node/1.0.2"',
  '172.16.0.32 - - [20/Nov/2026:00:00:08 +0100] "GET /?rest_route=/wc/v3/orders&consumer_key=ck_1&consumer_secret=cs_bench_not_a_real_secret_1 HTTP/1.1" 200 29588 "-" "Zapier"',
];

const TRICKY = [
  ...ORDINARY,
  // quotes in user agents and referers, escaped as Apache writes them, or not escaped at all
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET /wp-json/wc/v3/orders HTTP/1.1" 200 10 "-" "Agent \\"quoted\\" inside"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET /wp-json/wc/v3/orders HTTP/1.1" 200 10 "-" "Agent "quoted" inside"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET /wp-json/wc/v3/orders HTTP/1.1" 200 10 "https://a.example/?q=\\"x\\"" "curl/8.0"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET /wp-json/wc/v3/orders HTTP/1.1" 200 10 "-" "ends with a backslash \\\\"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET /a\\"b HTTP/1.1" 200 10 "-" "curl/8.0"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET /a" b HTTP/1.1" 200 10 "-" "curl/8.0"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "" 400 0 "-" "-"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "-" 408 - "-" "-"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "\\x16\\x03\\x01" 400 0 "-" "-"',
  // IPv6, bracketed or mapped
  '::1 - - [27/Nov/2026:10:00:00 +0000] "GET /wp-json/wp/v2/posts HTTP/1.1" 200 5 "-" "-"',
  '[2001:db8::1] - - [27/Nov/2026:10:00:00 +0000] "GET /wp-json/wp/v2/posts HTTP/1.1" 200 5 "-" "-"',
  '::ffff:192.0.2.1 - - [27/Nov/2026:10:00:00 +0000] "GET /wc-api/v3/orders HTTP/1.1" 401 5 "-" "-"',
  // users with spaces or brackets, identd fields
  '198.51.100.1 - some user [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 - [bracket] [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 ident user [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"',
  // missing or extra fields
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 "-" "-"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-" 0.123 "extra field"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"   ',
  '198.51.100.1 - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 - - 27/Nov/2026:10:00:00 +0100 "GET / HTTP/1.1" 200 1 "-" "-"',
  ' - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1',
  '',
  '"',
  // odd timestamps
  '198.51.100.1 - - [27/Nov/2026:10:00:00] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 - - [27/nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 - - [27/Nov/2026:24:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 - - [27/Nov/2026:10:00:60 +1400] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100 extra] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 - - [27/Nov/2026:10:0] "GET /] "x" HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 - - [] "GET / HTTP/1.1" 200 1 "-" "-"',
  '198.51.100.1 - - [2026-11-27T10:00:00+01:00] "GET / HTTP/1.1" 200 1 "-" "-"',
  // statuses and sizes
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 2000 1 "-" "-"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 099 1 "-" "-"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1.5 "-" "-"',
  // non-ASCII in paths and agents (decoded UTF-8), CR left at the end of a line
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET /wp-json/wc/v3/products?search=café HTTP/1.1" 200 1 "-" "Agent/1.0 (日本語; 😀)"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET /wp-json/wc/v3/products/ü HTTP/1.1" 200 1 "https://ß.example/" "-"',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"\r',
  '198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1"\r 200 1 "-" "-"',
  // very long lines
  `198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET /wp-json/wc/v3/products?${'a'.repeat(50_000)} HTTP/1.1" 200 1 "-" "${'Mozilla '.repeat(10_000)}"`,
  `198.51.100.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "${'\\"'.repeat(5_000)}"`,
];

/** Everything a scan leaves for its caller, as one comparable value. */
function outcome(sc: LineScanner, line: string): unknown {
  if (!sc.scan(line)) return false;
  return {
    starts: [...sc.starts], ends: [...sc.ends], trailing: sc.trailing, status: sc.status,
    timeMs: sc.timeMs, offset: sc.utcOffsetMinutes, target: sc.target(), entry: sc.entry(),
  };
}

function assertSame(format: CompiledFormat, lines: readonly string[]): void {
  const fast = new LineScanner(format, true);
  const general = new LineScanner(format, false);
  for (const line of lines) {
    // The general scanner first on purpose: the day-and-zone memo of parseClfTime is then set by it.
    const expected = outcome(general, line);
    assert.deepEqual(outcome(fast, line), expected, `line: ${JSON.stringify(line.length > 300 ? `${line.slice(0, 300)}…` : line)}`);
  }
}

const scanCombined = (sc: LineScanner, line: string) => (sc as unknown as { scanCombined(l: string): boolean }).scanCombined(line);

describe('access-log combined fast path', () => {
  it('takes the ordinary combined lines itself', () => {
    const sc = new LineScanner(COMBINED);
    for (const line of ORDINARY) assert.equal(scanCombined(sc, line), true, line);
  });

  it('leaves unusual lines to the general scanner', () => {
    const sc = new LineScanner(COMBINED);
    for (const line of [TRICKY[ORDINARY.length], TRICKY[ORDINARY.length + 4], '198.51.100.1 - some user [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 1 "-" "-"', '198.51.100.1']) {
      assert.equal(scanCombined(sc, line), false, line);
    }
  });

  it('reads tricky lines exactly as the general scanner does', () => {
    assertSame(COMBINED, TRICKY);
  });

  it('is used for a custom format with combined\'s layout, and agrees there too', () => {
    const custom = compileLogFormat('log_format main \'$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"\';');
    assert.equal(scanCombined(new LineScanner(custom), ORDINARY[0]), true);
    assertSame(custom, TRICKY);
  });

  it('agrees with the general scanner on 20,000 random mutations of ordinary lines', () => {
    const rnd = mulberry32(20261203);
    const pieces = ['"', '\\"', '\\', '\\\\', ' ', '[', ']', '] "', '" ', '" "', ' "', '\r', '\t', 'é', '日本', '😀', '-', '::1', '?', '/wp-json/', '0', '99', '+0100', ':', '/'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      let line = pick(ORDINARY);
      const edits = 1 + Math.floor(rnd() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * (line.length + 1));
        const r = rnd();
        if (r < 0.6) line = line.slice(0, at) + pick(pieces) + line.slice(at);
        else if (r < 0.85) line = line.slice(0, at) + line.slice(at + 1 + Math.floor(rnd() * 4));
        else line = line.slice(0, at);
      }
      lines.push(line);
    }
    assertSame(COMBINED, lines);
    // The mutations must reach both outcomes, or the comparison proves little.
    const sc = new LineScanner(COMBINED);
    const parsed = lines.filter((l) => sc.scan(l)).length;
    assert.ok(parsed > 2_000 && parsed < 18_000, `${parsed} of 20,000 mutated lines parsed`);
  });

  it('counts parsed and malformed lines in the analysis as the general scanner judges them', () => {
    const text = TRICKY.join('\n');
    const report = analyzeText(text, { format: 'combined', assumeScheme: 'http' });
    const general = new LineScanner(COMBINED, false);
    let parsed = 0, blank = 0;
    for (const line of TRICKY.flatMap((l) => l.split('\n'))) {
      const l = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (l.trim().length === 0) blank++;
      else if (general.scan(l)) parsed++;
    }
    assert.equal(report.lines.parsed, parsed);
    assert.equal(report.lines.blank, blank);
    assert.equal(report.lines.malformed, report.lines.total - parsed - blank);
  });
});
