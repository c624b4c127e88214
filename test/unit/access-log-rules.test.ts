// Monitoring rules: the documented file format (docs/monitoring-rules.md) read into analyzer options,
// every mistake reported by line in a sentence; address ranges for the allow-lists (IPv4 and IPv6);
// --since; and the rules at work in a batch analysis (allow-lists, important routes, quiet hours,
// 401/403 bursts, detectors off, a key window).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addressInRanges, parseAddress, parseAddressRange } from '../../src/core/access-log/address-range';
import { analyzeLines } from '../../src/core/access-log/analyze';
import { parseDuration, parseRules, parseSince, RulesError } from '../../src/core/access-log/rules';
import { combinedLine as line, T0, testKey as KEY } from './helpers/access-log-lines';

const DOCS = path.resolve(__dirname, '..', '..', '..', 'docs', 'monitoring-rules.md');

function problems(text: string): { line: number; message: string }[] {
  try {
    parseRules(text);
  } catch (err) {
    assert.ok(err instanceof RulesError, String(err));
    return err.problems;
  }
  assert.fail('the rules were accepted');
}

describe('monitoring rules', () => {
  describe('the file format', () => {
    it('reads every rule of the documented example', () => {
      const r = parseRules([
        '# rules for shop.example.com',
        'version 1',
        'burst 10 in 30s counting 401 403   # 10 refused answers within 30 seconds',
        'keys 4 in 2h',
        'revoked 2 then 3',
        'unusual-hours 80 requests over 5 days at most 2%',
        'quiet-hours 22:30-06:00 +01:00',
        'resolve-after 15m',
        'off secret-in-query',
        'allow ip 203.0.113.0/24 2001:db8:42::/48',
        'allow ip 198.51.100.7',
        'allow agent "UptimeRobot/2.0 (+http://www.uptimerobot.com/)"',
        'important /wc/v3/orders wc/v3/customers/ /wp-json/wc/v3/refunds',
        '',
      ].join('\n'));
      assert.equal(r.burstCount, 10);
      assert.equal(r.burstWindowSeconds, 30);
      assert.deepEqual(r.burstStatuses, [401, 403]);
      assert.equal(r.distinctKeys, 4);
      assert.equal(r.keyWindowSeconds, 7200);
      assert.equal(r.successesBeforeFailure, 2);
      assert.equal(r.failuresInARow, 3);
      assert.equal(r.unusualHourMinHistory, 80);
      assert.equal(r.unusualHourMinDays, 5);
      assert.equal(r.unusualHourMaxShare, 0.02);
      assert.deepEqual(r.quietHours, { fromMinute: 22 * 60 + 30, toMinute: 360, offsetMinutes: 60, text: '22:30-06:00 +01:00' });
      assert.equal(r.resolveAfterSeconds, 900);
      assert.deepEqual(r.off, ['secret-in-query']);
      assert.deepEqual(r.allow?.ranges.map((x) => x.text), ['203.0.113.0/24', '2001:db8:42::/48', '198.51.100.7']);
      assert.deepEqual(r.allow?.agents, ['uptimerobot/2.0 (+http://www.uptimerobot.com/)']);
      assert.deepEqual(r.important, ['/wc/v3/orders', '/wc/v3/customers', '/wc/v3/refunds']);
    });

    it('an empty file (or only comments) changes nothing', () => {
      assert.deepEqual(parseRules(''), {});
      assert.deepEqual(parseRules('# nothing yet\n\n   \n'), {});
    });

    it('lists every mistake with its line, one sentence each, and uses nothing of a wrong file', () => {
      const found = problems([
        'brust 20 in 60s',
        'burst 20 in sixty',
        'burst 1 in 60s',
        'keys five',
        'revoked 3 5',
        'quiet-hours 22-6',
        'quiet-hours 22:00-06:00 Europe/Paris',
        'resolve-after 10',
        'allow ip 10.1.2.3/8',
        'allow ip 2001:db8::/129',
        'allow ip shop.example.com',
        'allow agent "x"',
        'allow agent "unclosed',
        'allow host 10.0.0.1',
        'off everything',
        'important /wc/v3/orders?status=any',
        'version 2',
        'burst 30 in 1m counting 403',
        'resolve-after 5m',
        'resolve-after 6m',
      ].join('\n'));
      assert.deepEqual(found.map((p) => p.line), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20]);
      const at = (n: number) => found.find((p) => p.line === n)!.message;
      assert.match(at(1), /"brust" is not a rule; the rules are version, burst, keys/);
      assert.match(at(2), /"burst" takes a count of 2 or more and a window, as in "burst 20 in 60s"/);
      assert.match(at(3), /count of 2 or more/, 'a wrong line does not count as the rule being set');
      assert.match(at(4), /"keys" takes a count/);
      assert.match(at(5), /"revoked 3 then 5"/);
      assert.match(at(6), /"quiet-hours" takes a span of the day/);
      assert.match(at(7), /optionally a zone/);
      assert.match(at(8), /"resolve-after" takes a duration, as in "resolve-after 10m"/);
      assert.match(at(9), /"10\.1\.2\.3\/8" has bits set after its \/8 prefix; write the range's first address \(such as 10\.0\.0\.0\/8\)/);
      assert.match(at(10), /"\/129" is not a prefix length for an IPv6 address \(0 to 128\)/);
      assert.match(at(11), /"shop\.example\.com" is not an IPv4 or IPv6 address/);
      assert.match(at(12), /too short to name a user agent/);
      assert.match(at(13), /a quoted text is not closed/);
      assert.match(at(14), /"allow" takes "ip" and addresses or ranges/);
      assert.match(at(15), /"everything" is not a detector; the detectors are auth-burst, many-consumer-keys/);
      assert.match(at(16), /not a route/);
      assert.match(at(17), /rules version 1/);
      assert.match(at(18), /"counting" lists the answers a burst counts: "401" or "401 403"/);
      assert.match(at(20), /"resolve-after" is already set on line 19; keep one of them/);
      for (const p of found) {
        assert.match(p.message, /^[^\n]+[.)]$/, `one sentence: ${p.message}`);
        assert.doesNotMatch(p.message, /\bat .*\.(js|ts):\d+/, 'no stack trace');
      }
    });

    it('the error message names the file and each line, as a terminal and an editor print it', () => {
      try {
        parseRules('burst 20 in 60s\nkeys 1\n', 'shop.rules');
        assert.fail('accepted');
      } catch (err) {
        assert.ok(err instanceof RulesError);
        assert.equal(err.message, 'shop.rules:2: "keys" takes a count of 2 or more different consumer keys from one client, optionally within a window, as in "keys 5" or "keys 5 in 1h".');
      }
    });

    it('the documentation shows a rules file that reads without a mistake', () => {
      const md = fs.readFileSync(DOCS, 'utf8');
      const blocks = [...md.matchAll(/```rules\n([\s\S]*?)```/g)].map((m) => m[1]);
      assert.ok(blocks.length >= 1, 'docs/monitoring-rules.md has a ```rules example');
      for (const b of blocks) parseRules(b);
    });
  });

  describe('durations and --since', () => {
    it('reads durations with units, and nothing else', () => {
      assert.equal(parseDuration('90s'), 90);
      assert.equal(parseDuration('10m'), 600);
      assert.equal(parseDuration('2h'), 7200);
      assert.equal(parseDuration('1d'), 86400);
      assert.equal(parseDuration('1.5h'), 5400);
      for (const bad of ['10', 'm', '10 parsecs', '-5m', '0s', '']) assert.equal(parseDuration(bad), undefined, bad);
    });

    it('--since: back from now, or a date and time (UTC unless a zone is given)', () => {
      const now = Date.UTC(2026, 10, 27, 12, 0, 0);
      assert.equal(parseSince('10m', now), now - 600_000);
      assert.equal(parseSince('2026-11-27T10:00', now), Date.UTC(2026, 10, 27, 10, 0));
      assert.equal(parseSince('2026-11-27 10:00:30+01:00', now), Date.UTC(2026, 10, 27, 9, 0, 30));
      assert.equal(parseSince('2026-11-27', now), Date.UTC(2026, 10, 27));
      assert.equal(parseSince('yesterday', now), undefined);
      assert.equal(parseSince('2026-13-45T99:00', now), undefined);
    });
  });

  describe('address ranges', () => {
    it('IPv4 and IPv6 ranges, compressed forms, IPv4-mapped IPv6 clients, zones and brackets', () => {
      const ranges = ['203.0.113.0/24', '2001:db8:42::/48', '10.0.0.0/8', '192.0.2.77'].map(parseAddressRange);
      const yes = ['203.0.113.200', '2001:db8:42:ffff::1', '2001:0DB8:0042:0000:0000:0000:0000:0001', '[2001:db8:42::9]', '10.255.0.1', '::ffff:10.1.2.3', '::ffff:a01:203', '192.0.2.77', '2001:db8:42::1%eth0'];
      const no = ['203.0.114.1', '2001:db8:43::1', '11.0.0.1', '192.0.2.78', '::a01:203', 'shop.example.com', '-', '2001:db8::42::1', '1.2.3', '256.1.1.1'];
      for (const a of yes) assert.ok(addressInRanges(a, ranges), a);
      for (const a of no) assert.ok(!addressInRanges(a, ranges), a);
      assert.ok(addressInRanges('2001:db8::1', [parseAddressRange('::/0')]));
      assert.ok(addressInRanges('8.8.8.8', [parseAddressRange('0.0.0.0/0')]));
      assert.ok(!addressInRanges('2001:db8::1', [parseAddressRange('0.0.0.0/0')]), 'an IPv4 range holds no native IPv6 client');
      assert.deepEqual([...parseAddress('::1')!], [...new Array(15).fill(0), 1]);
    });

    it('a range with host bits set is refused with the range it probably meant', () => {
      assert.throws(() => parseAddressRange('2001:db8:42::1/48'), /write the range's first address \(such as 2001:db8:42::\/48\)/);
    });
  });

  describe('rules at work in a batch analysis', () => {
    const burstFrom = (ip: string, status = 401, ua = 'curl/8.0', target = '/wp-json/wc/v3/products') =>
      Array.from({ length: 25 }, (_, i) => line(ip, T0 + i * 1000, target, status, ua));

    it('allowed clients are counted in the tables and never reported: an office range, an IPv6 range, a monitoring service by user agent', () => {
      const lines = [...burstFrom('203.0.113.9'), ...burstFrom('2001:db8:42::5'), ...burstFrom('198.51.100.1', 401, 'UptimeRobot/2.0'), ...burstFrom('198.51.100.2')];
      const rules = parseRules('allow ip 203.0.113.0/24 2001:db8:42::/48\nallow agent uptimerobot\n');
      const r = analyzeLines(lines, rules);
      assert.deepEqual(r.findings.map((f) => [f.kind, f.client]), [['auth-burst', '198.51.100.2']]);
      assert.equal(r.lines.allowed, 75);
      assert.equal(r.totals.unauthorized, 100, 'every line counted');
      assert.ok(r.notes.some((n) => /75 REST requests from allowed clients/.test(n)));
      assert.equal(analyzeLines(lines).findings.length, 4, 'without the rules, four bursts');
    });

    it('an important route raises the severity one step and is named', () => {
      const r = analyzeLines([...burstFrom('198.51.100.3', 401, 'x', '/wp-json/wc/v3/orders/12'), ...burstFrom('198.51.100.4', 401, 'x', '/wp-json/wc/v3/products')], parseRules('important /orders /customers\n'));
      const byClient = Object.fromEntries(r.findings.map((f) => [f.client, f]));
      assert.equal(byClient['198.51.100.3'].severity, 'error');
      assert.deepEqual(byClient['198.51.100.3'].routes, ['/orders']);
      assert.match(byClient['198.51.100.3'].message, /It involves \/orders, marked important in the rules\./);
      assert.equal(byClient['198.51.100.4'].severity, 'warning');
      assert.equal(byClient['198.51.100.4'].routes, undefined);
    });

    it('bursts count 403s when the rules say so', () => {
      const lines = burstFrom('198.51.100.5', 403);
      assert.equal(analyzeLines(lines).findings.length, 0);
      const r = analyzeLines(lines, parseRules('burst 20 in 60s counting 401 403\n'));
      assert.equal(r.findings[0].kind, 'auth-burst');
      assert.equal(r.findings[0].title, 'Burst of 401s and 403s from 198.51.100.5');
    });

    it('detectors can be turned off', () => {
      const r = analyzeLines(burstFrom('198.51.100.6'), parseRules('off burst\n'));
      assert.equal(r.findings.length, 0);
    });

    it('quiet hours: an authenticated request in them is a finding, in the zone the rules give', () => {
      const night = Date.UTC(2026, 10, 27, 22, 30); // 23:30 at +01:00
      const lines = [line('192.0.2.9', night, '/wp-json/wc/v3/orders', 200), line('192.0.2.9', night + 60_000, '/wp-json/wc/v3/orders', 200), line('192.0.2.10', T0, '/wp-json/wc/v3/orders', 200)];
      const r = analyzeLines(lines, parseRules('quiet-hours 23:00-06:00 +01:00\n'));
      assert.deepEqual(r.findings.map((f) => [f.kind, f.client, f.lineCount, f.severity]), [['quiet-hours', '192.0.2.9', 2, 'warning']]);
      assert.match(r.findings[0].message, /within the quiet hours the rules set \(23:00-06:00 \+01:00\)/);
      assert.equal(analyzeLines(lines, parseRules('quiet-hours 23:00-06:00 +00:00\n')).findings.length, 0, '22:30 UTC is not quiet at +00:00');
    });

    it('keys within a window: keys seen long apart are not key guessing', () => {
      const spread = Array.from({ length: 5 }, (_, i) => line('192.0.2.20', T0 + i * 2 * 3600_000, `/wp-json/wc/v3/orders?consumer_key=${KEY(i)}`, 401));
      assert.equal(analyzeLines(spread).findings.filter((f) => f.kind === 'many-consumer-keys').length, 1, 'the whole log by default');
      assert.equal(analyzeLines(spread, parseRules('keys 5 in 1h\n')).findings.filter((f) => f.kind === 'many-consumer-keys').length, 0);
    });

    it('--since: lines before the window are counted, not analysed', () => {
      const lines = [...burstFrom('198.51.100.8'), line('192.0.2.1', T0 + 3600_000, '/wp-json/wc/v3/products', 200)];
      const r = analyzeLines(lines, { sinceMs: T0 + 1800_000 });
      assert.equal(r.findings.length, 0);
      assert.equal(r.lines.beforeSince, 25);
      assert.equal(r.lines.rest, 1);
    });
  });
});
