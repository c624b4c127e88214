// Access-log analysis: REST filtering, counts over time, each anomaly with its exact lines, secrets
// never shown, streaming from plain and gzip files, Markdown export.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  AccessLogAnalyzer, analyzeFile, analyzeLines, analyzeText, maskConsumerKey, normaliseAddress, normaliseRoute,
  restRouteOf, type AccessLogFinding, type AccessLogReport,
} from '../../src/core/access-log/analyze';
import { toMarkdown, toSummary } from '../../src/core/access-log/report';
import { clfTime } from './helpers/access-log-lines';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'access-log');
const fixture = (name: string) => path.join(FIXTURES, name);
const read = (name: string) => fs.readFileSync(fixture(name), 'utf8');
const NGINX_FORMAT = '$remote_addr - $remote_user [$time_iso8601] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $scheme $request_time';

/** 1-based numbers of the fixture's lines that match `pred`. */
function linesWhere(name: string, pred: (line: string) => boolean): number[] {
  return read(name).split('\n').flatMap((l, i) => (pred(l) ? [i + 1] : []));
}

function only(report: AccessLogReport, kind: AccessLogFinding['kind']): AccessLogFinding {
  const found = report.findings.filter((f) => f.kind === kind);
  assert.equal(found.length, 1, `one ${kind} finding, got ${found.length}: ${JSON.stringify(report.findings.map((f) => [f.kind, f.client]))}`);
  return found[0];
}

/** Every text the user can see of a report. */
function everything(report: AccessLogReport): string {
  return JSON.stringify(report) + toMarkdown(report) + toSummary(report);
}

/** A combined line at UTC ms t (written in +0000). */
function line(ip: string, t: number, target: string, status: number, ua = 'test-agent'): string {
  const d = new Date(t);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${ip} - - [${p(d.getUTCDate())}/${mon}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000] "GET ${target} HTTP/1.1" ${status} 100 "-" "${ua}"`;
}
const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const KEY = (i: number) => `ck_${'0123456789abcdef0123456789abcdef012345'}${i.toString(16).padStart(2, '0')}`; // ck_ + 40 hex, told apart by their last characters

describe('access-log analyze', () => {
  let anomalies: AccessLogReport;
  before(async () => {
    anomalies = await analyzeFile(fixture('anomalies.txt'));
  });

  describe('what is counted', () => {
    it('counts lines: parsed, malformed (with their numbers), blank, REST', () => {
      assert.equal(anomalies.format.name, 'combined');
      assert.equal(anomalies.format.detected, true);
      assert.equal(anomalies.lines.total, 118);
      assert.equal(anomalies.lines.blank, 1);
      assert.equal(anomalies.lines.malformed, 3);
      assert.deepEqual(anomalies.lines.malformedSample, [21, 41, 61]);
      assert.equal(anomalies.lines.parsed, 114);
    });

    it('keeps only WooCommerce/WordPress REST traffic: /wp-json/wc/, /wp-json/wp/, ?rest_route=, /wc-api/', () => {
      // 114 parsed minus /shop/, "/" (a REST URL only in its referer) and /wp-json/oembed/
      assert.equal(anomalies.lines.rest, 111);
      const endpoints = anomalies.endpoints.map((e) => e.key);
      assert.ok(endpoints.includes('GET /?rest_route=/wc/v3/orders/<id>'), endpoints.join('\n'));
      assert.ok(endpoints.includes('GET /wc-api/v3/orders'));
      assert.ok(endpoints.includes('GET /wp-json/wp/v2/users/me'));
      assert.ok(!endpoints.some((e) => e.includes('oembed') || e === 'GET /'));
    });

    it('normalises ids in endpoints: /products/123 → /products/<id>', () => {
      const products = anomalies.endpoints.find((e) => e.key === 'GET /wp-json/wc/v3/products/<id>');
      assert.ok(products);
      assert.equal(products.total, 60);
      assert.equal(normaliseRoute('/wp-json/wc/v3/orders/123/notes/45/'), '/wp-json/wc/v3/orders/<id>/notes/<id>');
      assert.equal(normaliseRoute('/wp-json/wc/v3/products'), '/wp-json/wc/v3/products');
      assert.equal(normaliseRoute('/x/550e8400-e29b-41d4-a716-446655440000'), '/x/<id>');
    });

    it('recognises REST routes and refuses look-alikes', () => {
      assert.ok(restRouteOf('/blog/wp-json/wc/v3/orders', undefined), 'WordPress in a subdirectory');
      assert.equal(restRouteOf('/', '%2Fwc%2Fv3%2Fproducts')?.endpoint, '/?rest_route=/wc/v3/products');
      assert.equal(restRouteOf('/wp-json/wc/store/v1/cart', undefined)?.needsAuth, false, 'the Store API is public');
      assert.equal(restRouteOf('/wp-json/wc/v3/orders', undefined)?.needsAuth, true);
      assert.equal(restRouteOf('/wp-json/oembed/1.0/embed', undefined), undefined);
      assert.equal(restRouteOf('/wp-json/', undefined), undefined);
      assert.equal(restRouteOf('/', '/oembed/1.0'), undefined);
      assert.equal(restRouteOf('/index.php', '/wp/v2/users/me')?.endpoint, '/index.php?rest_route=/wp/v2/users/me');
    });

    it('counts 2xx/401/403 per endpoint, per client and per user agent, most 401/403 first, with their lines', () => {
      assert.deepEqual(anomalies.totals, { ok: 71, unauthorized: 39, forbidden: 1, other: 0 });
      const [first] = anomalies.clients;
      assert.equal(first.key, '198.51.100.10');
      assert.equal(first.unauthorized, 25);
      assert.deepEqual(first.failureLines, linesWhere('anomalies.txt', (l) => l.startsWith('198.51.100.10 ')));
      const curl = anomalies.userAgents.find((u) => u.key === 'curl/8.5.0');
      assert.ok(curl);
      assert.deepEqual([curl.unauthorized, curl.forbidden, curl.ok], [7, 1, 0]);
      assert.equal(anomalies.userAgents.find((u) => u.key === 'Mozilla/5.0 "quoted"')?.unauthorized, 1, 'escaped quotes undone');
    });

    it('one spelling per client address: IPv6 lower case, IPv4-mapped IPv6 as IPv4', () => {
      assert.ok(anomalies.clients.some((c) => c.key === '2001:db8::1'));
      assert.equal(anomalies.clients.find((c) => c.key === '192.0.2.9')?.total, 2, '::ffff:192.0.2.9 and 192.0.2.9 are one client');
      assert.equal(normaliseAddress('[2001:DB8::7]'), '2001:db8::7');
    });

    it('buckets time by the span: per minute for an hour, coarser for days, every bucket present', () => {
      const short = analyzeLines(Array.from({ length: 61 }, (_, i) => line('192.0.2.1', T0 + i * 60_000, '/wp-json/wc/v3/orders', i % 2 ? 401 : 200)));
      assert.equal(short.bucketMs, 60_000);
      assert.equal(short.timeline.length, 61);
      assert.deepEqual(short.timeline[1], { startMs: T0 + 60_000, ok: 0, unauthorized: 1, forbidden: 0, other: 0 });
      assert.equal(anomalies.bucketMs, 3_600_000, 'four days: hourly');
      const span = (anomalies.lastMs! - anomalies.firstMs!) / 3_600_000;
      assert.equal(anomalies.timeline.length, Math.floor(anomalies.lastMs! / 3_600_000) - Math.floor(anomalies.firstMs! / 3_600_000) + 1);
      assert.ok(anomalies.timeline.length <= 300 && span > 60);
      assert.equal(anomalies.timeline.reduce((a, b) => a + b.ok + b.unauthorized + b.forbidden + b.other, 0), 111);
      const series = anomalies.clients[0].series;
      assert.deepEqual(series.map((b) => b.unauthorized), [25]);
    });

    it('counts lines out of time order in their buckets: every group\'s series equals a count done line by line', () => {
      // Each group keeps its (bucket, class) counts in a list sorted by bucket and searched from its
      // end (a log is nearly in time order); earlier buckets and classes go in the middle.
      let seed = 11;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
      const lines: string[] = [];
      for (let i = 0; i < 3000; i++) {
        const late = rnd() < 0.3 ? -Math.floor(rnd() * 40) * 60_000 : 0; // 30% written up to 40 minutes late
        const status = [200, 401, 403, 500][Math.floor(rnd() * 4)];
        lines.push(line(`192.0.2.${Math.floor(rnd() * 5)}`, T0 + i * 1000 + late, `/wp-json/wc/v3/orders/${Math.floor(rnd() * 3)}`, status, `agent-${Math.floor(rnd() * 3)}`));
      }
      const r = analyzeLines(lines);
      assert.equal(r.bucketMs, 60_000);
      const expected = new Map<string, Map<number, number[]>>();
      for (const l of lines) {
        const m = /^(\S+) .*\[(\d+)\/\w+\/\d+:(\d+):(\d+):(\d+) .*" (\d{3}) .*"(agent-\d)"$/.exec(l)!;
        const t = Date.UTC(2026, 10, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
        const cls = ['2', '4', '4', '5'].indexOf(m[6][0]) + (m[6] === '403' ? 1 : 0);
        for (const key of [m[1], m[7]]) {
          const byBucket = expected.get(key) ?? new Map<number, number[]>();
          expected.set(key, byBucket);
          const b = Math.floor(t / 60_000) * 60_000;
          const row = byBucket.get(b) ?? [0, 0, 0, 0];
          byBucket.set(b, row);
          row[cls]++;
        }
      }
      let checked = 0;
      for (const g of [...r.clients, ...r.userAgents]) {
        const want = [...expected.get(g.key)!].sort((a, b) => a[0] - b[0]).map(([startMs, [ok, unauthorized, forbidden, other]]) => ({ startMs, ok, unauthorized, forbidden, other }));
        assert.deepEqual(g.series, want, g.key);
        checked++;
      }
      assert.equal(checked, 8, 'five clients and three agents');
      // The overall timeline reads each bucket's counts by key (a binary search: it needs the order).
      const all = new Map<number, number[]>();
      for (const byBucket of [...expected].filter(([k]) => k.startsWith('agent-')).map(([, v]) => v)) {
        for (const [b, row] of byBucket) {
          const sum = all.get(b) ?? [0, 0, 0, 0];
          all.set(b, sum);
          row.forEach((n, c) => (sum[c] += n));
        }
      }
      const timeline = r.timeline.filter((b) => b.ok + b.unauthorized + b.forbidden + b.other > 0);
      assert.deepEqual(timeline, [...all].sort((a, b) => a[0] - b[0]).map(([startMs, [ok, unauthorized, forbidden, other]]) => ({ startMs, ok, unauthorized, forbidden, other })));
    });

    it('writes every time of a report in one zone, the offset of the log\'s first dated line, and says which', () => {
      const r = analyzeText(read('timezones.txt'));
      assert.equal(r.offsetMinutes, 60, 'the first line is written in +0100');
      const text = toSummary(r);
      assert.match(text, /2026-11-27 10:00:00 \+01:00 to 2027-01-01 00:30:00 \+01:00 \(times in the log's offset \+01:00\)/);
      // A burst written in two zones (a daylight-saving change): its finding speaks the report's zone only.
      const lines = [];
      for (let i = 0; i < 25; i++) lines.push(`198.51.100.9 - - [${clfTime(T0 + i * 1000, i < 10 ? 120 : 60)}] "GET /wp-json/wc/v3/orders HTTP/1.1" 401 100 "-" "x"`);
      const burst = analyzeText(lines.join('\n')).findings.find((f) => f.kind === 'auth-burst');
      assert.ok(burst);
      assert.equal(burst.offsetMinutes, 120);
      assert.match(burst.message, /\(2026-11-27 12:00:00 \+02:00 to 2026-11-27 12:00:24 \+02:00\)/);
      assert.ok(!/\+01:00/.test(burst.message), burst.message);
    });

    it('places lines written in different time zones at the same UTC instant', () => {
      const r = analyzeText(read('timezones.txt'));
      assert.equal(r.lines.rest, 5);
      assert.equal(r.firstMs, Date.UTC(2026, 10, 27, 9, 0, 0));
      assert.equal(r.lastMs, Date.UTC(2026, 11, 31, 23, 30, 0));
      const first = r.timeline[0];
      assert.deepEqual([first.ok, first.unauthorized, first.forbidden], [2, 1, 1], 'four zones, one bucket');
    });
  });

  describe('anomalies, each with the lines involved', () => {
    it('a burst of 401s from one client', () => {
      const f = only(anomalies, 'auth-burst');
      assert.equal(f.client, '198.51.100.10');
      assert.equal(f.severity, 'warning');
      assert.deepEqual(f.lines, linesWhere('anomalies.txt', (l) => l.startsWith('198.51.100.10 ')));
      assert.equal(f.lineCount, 25);
      assert.equal(f.firstMs, Date.UTC(2026, 10, 26, 9, 0, 0));
      assert.equal(f.lastMs, Date.UTC(2026, 10, 26, 9, 0, 48));
      assert.match(f.message, /25 "401 Unauthorized" answers in 48 s/);
    });

    it('no burst below the threshold or spread beyond the window; thresholds are options', () => {
      const nineteen = Array.from({ length: 19 }, (_, i) => line('192.0.2.1', T0 + i * 1000, '/wp-json/wc/v3/orders', 401));
      assert.equal(analyzeLines(nineteen).findings.filter((f) => f.kind === 'auth-burst').length, 0);
      const spread = Array.from({ length: 40 }, (_, i) => line('192.0.2.1', T0 + i * 4000, '/wp-json/wc/v3/orders', 401)); // 15 per minute
      assert.equal(analyzeLines(spread).findings.filter((f) => f.kind === 'auth-burst').length, 0);
      const custom = analyzeLines(nineteen.slice(0, 5), { burstCount: 5, burstWindowSeconds: 10 });
      assert.deepEqual(custom.findings.find((f) => f.kind === 'auth-burst')?.lines, [1, 2, 3, 4, 5]);
    });

    it('the window is inclusive: 20 401s over exactly 60 s are a burst, over 61 s are not', () => {
      const over = (ms: number) => Array.from({ length: 20 }, (_, i) => line('192.0.2.1', T0 + Math.round((i * ms) / 19), '/wp-json/wc/v3/orders', 401));
      assert.equal(analyzeLines(over(60_000)).findings.filter((f) => f.kind === 'auth-burst').length, 1);
      assert.equal(analyzeLines(over(61_000)).findings.filter((f) => f.kind === 'auth-burst').length, 0);
    });

    it('a burst names every consumer key it was sent with, the first ones included', () => {
      const lines = Array.from({ length: 25 }, (_, i) => line('192.0.2.1', T0 + i * 1000, i < 3 ? '/wp-json/wc/v3/orders' : `/wp-json/wc/v3/orders?consumer_key=${KEY(i)}`, 401));
      const f = only(analyzeLines(lines), 'auth-burst');
      assert.deepEqual(f.keys, Array.from({ length: 22 }, (_, i) => maskConsumerKey(KEY(i + 3))));
      assert.equal(new Set(f.keys).size, 22);
      const slowThenFast = [
        ...[0, 1, 2].map((i) => line('192.0.2.1', T0 + i * 100_000, `/wp-json/wc/v3/orders?consumer_key=${KEY(100 + i)}`, 401)),
        ...Array.from({ length: 20 }, (_, i) => line('192.0.2.1', T0 + 300_000 + i * 1000, `/wp-json/wc/v3/orders?consumer_key=${KEY(i)}`, 401)),
      ];
      const g = only(analyzeLines(slowThenFast), 'auth-burst');
      assert.deepEqual(g.lines, Array.from({ length: 20 }, (_, i) => i + 4));
      assert.deepEqual(g.keys, Array.from({ length: 20 }, (_, i) => maskConsumerKey(KEY(i))), 'the keys of the burst\'s own lines');
    });

    it('two bursts an hour apart are two findings', () => {
      const burst = (start: number) => Array.from({ length: 20 }, (_, i) => line('192.0.2.1', start + i * 1000, '/wp-json/wc/v3/orders', 401));
      const r = analyzeLines([...burst(T0), ...burst(T0 + 3_600_000)]);
      const bursts = r.findings.filter((f) => f.kind === 'auth-burst');
      assert.deepEqual(bursts.map((b) => [b.lines[0], b.lineCount]), [[1, 20], [21, 20]]);
    });

    it('one client trying many consumer keys, shown masked to their last 7 characters', () => {
      const f = only(anomalies, 'many-consumer-keys');
      assert.equal(f.client, '2001:db8:bad::7');
      assert.equal(f.severity, 'error');
      assert.deepEqual(f.lines, linesWhere('anomalies.txt', (l) => l.startsWith('2001:db8:bad::7 ')));
      const sent = [...read('anomalies.txt').matchAll(/2001:db8:bad::7 .*?consumer_key=(ck_[0-9a-f]{40})/g)].map((m) => m[1]);
      assert.equal(sent.length, 6);
      assert.deepEqual(f.keys, sent.map((k) => `ck_…${k.slice(-7)}`));
      for (const k of sent) assert.ok(!everything(anomalies).includes(k.slice(-8)), 'never more than the last 7 characters');
    });

    it('four keys are not "many"; keys that worked make it a warning', () => {
      const four = Array.from({ length: 4 }, (_, i) => line('192.0.2.1', T0 + i * 60_000, `/wp-json/wc/v3/orders?consumer_key=${KEY(i)}`, 401));
      assert.equal(analyzeLines(four).findings.length, 0);
      const working = Array.from({ length: 5 }, (_, i) => line('192.0.2.1', T0 + i * 60_000, `/wp-json/wc/v3/orders?consumer_key=${KEY(i)}`, 200));
      const f = only(analyzeLines(working), 'many-consumer-keys');
      assert.equal(f.severity, 'warning');
      assert.match(f.message, /5 of them worked/);
    });

    it('a consumer secret in the query: in the log, and over plain HTTP when the scheme is known or assumed', async () => {
      const unknown = only(anomalies, 'secret-in-query');
      assert.equal(unknown.client, '198.51.100.20');
      assert.equal(unknown.severity, 'warning');
      assert.deepEqual(unknown.lines, linesWhere('anomalies.txt', (l) => l.includes('consumer_secret=')));
      assert.match(unknown.message, /does not say whether these requests used HTTPS/);
      assert.ok(anomalies.notes.some((n) => /--assume-scheme http/.test(n)));
      assert.equal(anomalies.findings.filter((f) => f.kind === 'credentials-over-http').length, 0);

      const assumed = await analyzeFile(fixture('anomalies.txt'), { assumeScheme: 'http' });
      const f = only(assumed, 'credentials-over-http');
      assert.equal(f.severity, 'error');
      assert.deepEqual(f.lines, unknown.lines);
      assert.deepEqual(f.keys, [`ck_…${/consumer_key=(ck_[0-9a-f]{40})&consumer_secret/.exec(read('anomalies.txt'))![1].slice(-7)}`]);
      assert.match(f.message, /over plain HTTP \(assumed/);
      assert.equal(assumed.findings.filter((x) => x.kind === 'secret-in-query').length, 0);

      const https = await analyzeFile(fixture('anomalies.txt'), { assumeScheme: 'https' });
      assert.match(only(https, 'secret-in-query').message, /HTTPS protected it on the way/);
      assert.ok(!https.notes.some((n) => /assume-scheme/.test(n)));
    });

    it('the scheme from the log itself: nginx $scheme, Basic credentials in $remote_user, OAuth 1.0a not flagged', async () => {
      const r = await analyzeFile(fixture('nginx-custom.txt'), { format: NGINX_FORMAT });
      assert.equal(r.lines.malformed, 0);
      const overHttp = r.findings.filter((f) => f.kind === 'credentials-over-http');
      assert.deepEqual(overHttp.map((f) => [f.client, f.lines]), [['2001:db8:1::20', [1, 2]], ['203.0.113.62', [5]]]);
      assert.match(overHttp[0].message, /HTTP Basic credentials \(user ck_…[0-9a-f]{7}\)/);
      assert.deepEqual(r.findings.filter((f) => f.kind === 'secret-in-query').map((f) => [f.client, f.lines]), [['203.0.113.60', [3]]]);
      assert.ok(!r.findings.some((f) => f.client === '203.0.113.61'), 'OAuth 1.0a over HTTP is what WooCommerce asks for');
    });

    it('the scheme from the virtual host\'s port (vhost_combined)', async () => {
      const r = await analyzeFile(fixture('vhost-combined.txt'));
      assert.equal(r.format.name, 'vhost_combined');
      assert.deepEqual(r.findings.map((f) => [f.kind, f.client, f.lines]), [
        ['credentials-over-http', '198.51.100.70', [1]],
        ['secret-in-query', '198.51.100.71', [2]],
      ]);
      assert.match(r.findings[0].message, /server port 80/);
    });

    it('a client that succeeded, then started failing: the same key refused', () => {
      const f = only(anomalies, 'success-then-failure');
      assert.equal(f.client, '198.51.100.30');
      assert.equal(f.severity, 'warning');
      assert.deepEqual(f.lines, linesWhere('anomalies.txt', (l) => l.startsWith('198.51.100.30 ') && l.includes('" 401 ')));
      assert.match(f.message, /answered 2xx 4 times/);
      assert.match(f.message, /The key that worked, ck_…[0-9a-f]{7}, is the one refused now/);
      assert.match(f.message, /still failing at the end of the log/);
    });

    it('success then failure: needs enough successes and enough 401s in a row; notes a recovery', () => {
      const ok = (i: number) => line('192.0.2.1', T0 + i * 60_000, '/wp-json/wc/v3/orders', 200);
      const no = (i: number) => line('192.0.2.1', T0 + i * 60_000, '/wp-json/wc/v3/orders', 401);
      const kinds = (lines: string[]) => analyzeLines(lines).findings.map((f) => f.kind);
      assert.deepEqual(kinds([ok(0), ok(1), ok(2), no(3), no(4), no(5), no(6)]), [], 'four 401s are not five');
      assert.deepEqual(kinds([ok(0), ok(1), no(3), no(4), no(5), no(6), no(7)]), [], 'two successes are not three');
      assert.deepEqual(kinds([ok(0), ok(1), ok(2), no(3), no(4), ok(5), no(6), no(7), no(8)]), [], 'a success in between breaks the run');
      const publicOnly = [0, 1, 2].map((i) => line('192.0.2.1', T0 + i * 60_000, '/wp-json/wp/v2/posts', 200));
      assert.deepEqual(kinds([...publicOnly, no(3), no(4), no(5), no(6), no(7)]), [], 'public reads prove no key');
      const recovered = analyzeLines([ok(0), ok(1), ok(2), no(3), no(4), no(5), no(6), no(7), ok(8)]);
      const f = only(recovered, 'success-then-failure');
      assert.deepEqual(f.lines, [4, 5, 6, 7, 8]);
      assert.match(f.message, /then succeeded again at 2026-11-27 10:08:00/);
    });

    it('requests at an unusual hour for that client', () => {
      const f = only(anomalies, 'unusual-hour');
      assert.equal(f.client, '203.0.113.5');
      assert.equal(f.severity, 'info');
      assert.deepEqual(f.lines, [117, 118]);
      assert.match(f.message, /came between 09:00 and 16:59/);
      assert.match(f.message, /2026-11-27 03:30:00 \+01:00/, 'in the zone the log was written in');
    });

    it('unusual hours need history over enough days', () => {
      const day = 86_400_000;
      const profile = (days: number) => {
        const lines: string[] = [];
        for (let d = 0; d < days; d++) for (let k = 0; k < 30; k++) lines.push(line('192.0.2.1', T0 + d * day + k * 60_000, '/wp-json/wc/v3/orders', 200));
        return lines;
      };
      const night = (days: number) => line('192.0.2.1', T0 + days * day - 8 * 3_600_000, '/wp-json/wc/v3/orders', 200); // 02:00
      assert.deepEqual(analyzeLines([...profile(3), night(3)]).findings.map((f) => [f.kind, f.lines]), [['unusual-hour', [91]]]);
      assert.deepEqual(analyzeLines([...profile(2), night(2)]).findings, [], 'two days are not a profile, even with 60 requests');
      const publicReads = (lines: string[]) => lines.map((l) => l.replace('/wp-json/wc/v3/orders', '/wp-json/wp/v2/posts'));
      assert.deepEqual(analyzeLines(publicReads([...profile(3), night(3)])).findings, [], 'public reads use no key: no hour profile');
      assert.deepEqual(analyzeLines([...profile(3), night(3)], { unusualHourMinHistory: 100 }).findings, [], '90 requests < 100');
      assert.deepEqual(analyzeLines([...profile(3), line('192.0.2.1', T0 + 3 * day + 3_600_000, '/wp-json/wc/v3/orders', 200)]).findings, [], '11:00 is within an hour of its usual 10:00');
      const once = [...profile(3)];
      once.splice(35, 0, line('192.0.2.1', T0 + day - 8 * 3_600_000 + 1000, '/wp-json/wc/v3/orders', 200)); // one 02:00 request on the first night
      assert.deepEqual(analyzeLines([...once, night(3)]).findings, [], '1 of 91 requests near 02:00 is more than 1%');
      // One night is one finding; once over (3 h without another), its hours join the profile: 3 of 93 requests
      // near 02:00 make the next night usual. Within the night, each request is judged against the days before.
      const twoNights = [...profile(3), ...[0, 1, 2].map((k) => line('192.0.2.1', T0 + 3 * day - 8 * 3_600_000 + k * 60_000, '/wp-json/wc/v3/orders', 200))];
      twoNights.push(line('192.0.2.1', T0 + 3 * day, '/wp-json/wc/v3/orders', 200), night(4));
      assert.deepEqual(analyzeLines(twoNights).findings.map((f) => [f.kind, f.lines]), [['unusual-hour', [91, 92, 93]]]);
    });

    it('normal traffic of the fixture raises nothing else', () => {
      assert.deepEqual(
        anomalies.findings.map((f) => `${f.kind} ${f.client}`).sort(),
        ['auth-burst 198.51.100.10', 'many-consumer-keys 2001:db8:bad::7', 'secret-in-query 198.51.100.20', 'success-then-failure 198.51.100.30', 'unusual-hour 203.0.113.5'],
      );
      assert.deepEqual(anomalies.findings.map((f) => f.severity), ['error', 'warning', 'warning', 'warning', 'info'], 'errors first');
    });
  });

  describe('secrets', () => {
    it('never shows a full consumer key, nor anything of a consumer secret, in JSON, Markdown or the summary', async () => {
      for (const [name, options] of [['anomalies.txt', { assumeScheme: 'http' as const }], ['nginx-custom.txt', { format: NGINX_FORMAT }], ['vhost-combined.txt', {}]] as const) {
        const r = await analyzeFile(fixture(name), options);
        const shown = everything(r);
        const text = read(name);
        const keys = new Set([...text.matchAll(/ck_[0-9a-f]{40}/g)].map((m) => m[0]));
        const secrets = new Set([...text.matchAll(/consumer_secret=([^&\s"]+)/g)].map((m) => m[1]));
        assert.ok(keys.size > 0 && (name === 'nginx-custom.txt' || secrets.size > 0));
        for (const k of keys) assert.ok(!shown.includes(k.slice(-8)), `${name}: more than 7 characters of a key shown`);
        for (const s of secrets) assert.ok(!shown.includes(s.slice(3, 12)), `${name}: part of a secret shown`);
        assert.doesNotMatch(shown, /consumer_secret=/);
      }
    });

    it('masks a consumer key to its last 7 characters; a short value is described, not shown', () => {
      assert.equal(maskConsumerKey(KEY(1)), `ck_…${KEY(1).slice(-7)}`);
      assert.equal(maskConsumerKey('abc'), '(a 3-character value)');
      assert.equal(maskConsumerKey('ck_short'), '(a 8-character value)');
    });

    it('a consumer secret sent as the key (the pair swapped) shows nothing of it', () => {
      const secretAsKey = `cs_${'f'.repeat(8)}not_a_real_secret_${'e'.repeat(14)}`;
      assert.equal(maskConsumerKey(secretAsKey), 'cs_••••••••');
      const lines = Array.from({ length: 5 }, (_, i) => line('192.0.2.1', T0 + i * 60_000, `/wp-json/wc/v3/orders?consumer_key=${i === 0 ? secretAsKey : KEY(i)}`, 401));
      const r = analyzeLines(lines);
      assert.ok(only(r, 'many-consumer-keys').keys?.includes('cs_••••••••'));
      assert.ok(!everything(r).includes('eeeeeee'), 'not even its last 7 characters');
    });
  });

  describe('robustness and input', () => {
    it('malformed lines are counted and skipped, never fatal, even when every line is', () => {
      const r = analyzeLines(['garbage', '', '\x00\x01\x02', '{"json":1}', '"unterminated']);
      assert.equal(r.lines.malformed, 4);
      assert.equal(r.lines.blank, 1);
      assert.equal(r.lines.parsed, 0);
      assert.ok(r.notes.some((n) => /not recognised/.test(n)));
    });

    it('the same report whatever the chunking and line ends (\\n, \\r\\n, no final line break)', () => {
      const text = read('anomalies.txt');
      const whole = analyzeText(text);
      const crlf = analyzeText(text.replace(/\n/g, '\r\n').replace(/\r\n$/, ''));
      const a = new AccessLogAnalyzer();
      for (let i = 0; i < text.length; i += 37) a.feedText(text.slice(i, i + 37));
      const chunked = a.finish();
      assert.deepEqual(crlf, whole);
      assert.deepEqual(chunked, whole);
      assert.deepEqual(whole.findings, anomalies.findings);
    });

    it('reads gzip files by their magic bytes, whatever the name, and concatenated gzip members', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-access-log-'));
      try {
        const text = read('anomalies.txt');
        const gz = path.join(dir, 'access.log.1'); // logrotate's name: no .gz
        fs.writeFileSync(gz, zlib.gzipSync(text));
        const r = await analyzeFile(gz);
        assert.deepEqual(r.findings, anomalies.findings);
        assert.equal(r.lines.total, 118);
        const half = text.indexOf('\n', text.length / 2) + 1;
        const multi = path.join(dir, 'access.log.2.gz');
        fs.writeFileSync(multi, Buffer.concat([zlib.gzipSync(text.slice(0, half)), zlib.gzipSync(text.slice(half))]));
        assert.deepEqual((await analyzeFile(multi)).findings, anomalies.findings);
        const broken = path.join(dir, 'broken.gz');
        fs.writeFileSync(broken, zlib.gzipSync(text).subarray(0, 200));
        await assert.rejects(analyzeFile(broken), (err: NodeJS.ErrnoException) => typeof err.code === 'string' && err.code.startsWith('Z_'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reports progress and can be cancelled', async () => {
      const seen: Array<[number, number]> = [];
      await analyzeFile(fixture('anomalies.txt'), { onProgress: (read, total) => seen.push([read, total]) });
      const size = fs.statSync(fixture('anomalies.txt')).size;
      assert.deepEqual(seen.at(-1), [size, size]);
      const controller = new AbortController();
      controller.abort(new Error('stopped by the user'));
      await assert.rejects(analyzeFile(fixture('anomalies.txt'), { signal: controller.signal }), /stopped by the user/);
    });

    it('a line of a megabyte without a line break is one malformed line, and the next line is read', () => {
      const a = new AccessLogAnalyzer({ format: 'combined' });
      a.feedText('x'.repeat(600_000));
      a.feedText('x'.repeat(600_000));
      a.feedText(`still the long line\n${line('192.0.2.1', T0, '/wp-json/wc/v3/orders', 200)}\n`);
      const r = a.finish();
      assert.equal(r.lines.malformed, 1);
      assert.equal(r.lines.rest, 1);
      const held = new AccessLogAnalyzer({ format: 'combined' });
      for (let i = 0; i < 4; i++) held.feedText('x'.repeat(600_000));
      assert.ok((held as unknown as { carry: string }).carry.length <= 1 << 20, 'never holds more than 1 MiB of an unfinished line');
    });

    it('caps the clients tracked one by one and says so', () => {
      const lines = Array.from({ length: 5 }, (_, i) => line(`192.0.2.${i + 1}`, T0, '/wp-json/wc/v3/orders', 401));
      const r = analyzeLines(lines, { maxTrackedClients: 3 });
      assert.deepEqual(r.clients.map((c) => [c.key, c.total]), [['(other clients)', 2], ['192.0.2.1', 1], ['192.0.2.2', 1], ['192.0.2.3', 1]]);
      assert.ok(r.notes.some((n) => /More than 3 clients/.test(n)));
    });

    it('rejects nonsense thresholds', () => {
      assert.throws(() => new AccessLogAnalyzer({ burstCount: -1 }), RangeError);
      assert.throws(() => new AccessLogAnalyzer({ distinctKeys: Number.NaN }), RangeError);
    });

    it('a given format is used as given (no detection)', () => {
      const r = analyzeText(read('common.txt'), { format: 'combined' });
      assert.equal(r.format.detected, false);
      assert.equal(r.lines.malformed, 3, 'common lines do not fit combined');
    });
  });

  describe('Markdown export', () => {
    it('has the summary, each finding with its message and lines, the tables and the timeline', () => {
      const md = toMarkdown(anomalies, { title: 'anomalies.txt' });
      assert.match(md, /^# anomalies\.txt$/m);
      assert.match(md, /\*\*Lines\*\*: 118: 114 parsed, 3 malformed \(lines 21, 41, 61\), 1 blank/);
      assert.match(md, /## Findings \(1 error, 3 warnings, 1 for information\)/);
      for (const f of anomalies.findings) assert.ok(md.includes(`*${f.kind}*, ${f.lineCount} line`), f.kind);
      assert.match(md, /\*auth-burst\*, 25 lines: 74, 75, .* and 5 more/);
      assert.match(md, /\| 198\.51\.100\.10 \| 25 \| 0 \| 25 \| 0 \| 0 \| 74, 75, 76, 77, 78 and 20 more \|/);
      assert.match(md, /\| GET \/wp-json\/wc\/v3\/products\/\\<id\\> \| 60 \| 60 \|/);
      assert.match(md, /## Over time \(times in the log's offset \+01:00, 1 h buckets\)/);
      assert.match(md, /\| 2026-11-26 10:00:00 \+01:00 \| 2 \| 25 \| 0 \| 0 \|/);
      assert.ok(!/ UTC\b/.test(md), 'no time in another zone than the log\'s');
      assert.match(md, /\*\*From\*\* 2026-11-\d\d \d\d:\d\d:\d\d \+01:00 \*\*to\*\* .* \(times in the log's offset \+01:00\)/);
    });

    it('says so when nothing was found', () => {
      const common = analyzeText(read('common.txt'));
      assert.deepEqual([common.format.name, common.lines.malformed, common.lines.rest], ['common', 0, 2], 'CRLF: the \\r is not part of the last field');
      const md = toMarkdown(common);
      assert.match(md, /Nothing unusual found/);
    });
  });
});
