// Following a live log (LiveMonitor over the analyzer's live mode): each detector raises its alert
// once per episode with its evidence and resolves it when the episode stops; the log's own clock;
// mutes; sources and line numbers across rotations; memory bounded whatever the traffic (idle
// clients forgotten, the client table capped without losing detection for new clients).
import * as assert from 'node:assert/strict';
import { ALERT_SCHEMA, ALERT_SCHEMA_VERSION, LiveMonitor, evidenceText, formatAlert, type Alert, type LiveMonitorOptions } from '../../src/core/access-log/live';
import { parseRules } from '../../src/core/access-log/rules';
import { accessLogLineOf, REQUEST_LOG_FORMAT, type LogEntry } from '../../src/core/request-log';
import { clfTime, combinedLine as line, T0, testKey as KEY } from './helpers/access-log-lines';

const MIN = 60_000;
const HOUR = 3_600_000;

/** A monitor on a fake wall clock that follows the lines' times (as a live log's do). */
function watch(options: Partial<LiveMonitorOptions> = {}) {
  const alerts: Alert[] = [];
  const notices: string[] = [];
  let wall = T0;
  const m = new LiveMonitor({ autoTick: false, now: () => wall, onAlert: (a) => alerts.push(a), onNotice: (n) => notices.push(n), format: 'combined', ...options });
  m.source('access.log');
  return {
    m,
    alerts,
    notices,
    /** Feeds a line written at t (the wall clock moves to t). */
    at(t: number, l: string) {
      wall = Math.max(wall, t);
      m.text(`${l}\n`);
    },
    /** Lets time pass without lines, ticking every second of it (at most 100 ticks). */
    pass(ms: number) {
      const step = Math.max(1000, ms / 100);
      for (let done = 0; done < ms; done += step) {
        wall += Math.min(step, ms - done);
        m.tick();
      }
    },
    of(kind: string) {
      return alerts.filter((a) => a.kind === kind);
    },
  };
}

function raisedOnceThenResolved(alerts: Alert[], kind: string, resolution: Alert['resolution']): { raised: Alert; resolved: Alert } {
  const mine = alerts.filter((a) => a.kind === kind);
  assert.deepEqual(mine.map((a) => a.event), ['raised', 'resolved'], `${kind}: ${JSON.stringify(mine.map((a) => [a.event, a.client, a.count]))}`);
  assert.equal(mine[0].id, mine[1].id);
  assert.equal(mine[1].resolution, resolution);
  return { raised: mine[0], resolved: mine[1] };
}

describe('following a live log', () => {
  describe('each detector raises once per episode and resolves', () => {
    it('auth-burst: raised at the 20th 401 within 60 s with its evidence, resolved after 60 s without a 401', () => {
      const w = watch();
      w.at(T0, line('192.0.2.1', T0, '/wp-json/wc/v3/products', 200));
      for (let i = 0; i < 40; i++) w.at(T0 + 1000 + i * 500, line('198.51.100.7', T0 + 1000 + i * 500, `/wp-json/wc/v3/orders?consumer_key=${KEY(i % 3)}`, 401, 'curl/8.0'));
      const raised = w.of('auth-burst');
      assert.equal(raised.length, 1, 'once, not once per 401');
      const a = raised[0];
      assert.equal(a.schema, ALERT_SCHEMA);
      assert.equal(a.version, ALERT_SCHEMA_VERSION);
      assert.equal(a.client, '198.51.100.7');
      assert.equal(a.count, 20, 'raised at the 20th line');
      assert.deepEqual(a.first, { source: 'access.log', line: 2, time: new Date(T0 + 1000).toISOString() });
      assert.equal(a.last.line, 21);
      assert.match(a.last.text ?? '', /^198\.51\.100\.7 .* 401 100 "-" "curl\/8\.0"$/);
      assert.deepEqual(a.keys, ['ck_…1234500', 'ck_…1234501', 'ck_…1234502']);
      assert.ok(!JSON.stringify(w.alerts).includes(KEY(0)), 'no whole key');
      assert.ok(!(a.last.text ?? '').includes(KEY(0).slice(3, 20)), 'the line text is masked');
      w.pass(59_000);
      assert.equal(w.of('auth-burst').length, 1, 'still open within the window');
      w.pass(3000);
      const { resolved } = raisedOnceThenResolved(w.alerts, 'auth-burst', 'quiet');
      assert.equal(resolved.count, 40, 'every 401 of the episode counted');
      assert.equal(resolved.last.line, 41);
      assert.equal(resolved.resolvedAt, new Date(T0 + 20_000 + 60_000).toISOString(), 'its last line (logged to the second) plus the window');
      assert.deepEqual(w.m.openAlerts(), []);
    });

    it('auth-burst: a second episode after the first ended is a second alert', () => {
      const w = watch();
      for (let i = 0; i < 20; i++) w.at(T0 + i * 1000, line('198.51.100.7', T0 + i * 1000, '/wp-json/wc/v3/orders', 401));
      const later = T0 + 10 * MIN;
      for (let i = 0; i < 20; i++) w.at(later + i * 1000, line('198.51.100.7', later + i * 1000, '/wp-json/wc/v3/orders', 401));
      assert.deepEqual(w.of('auth-burst').map((a) => a.event), ['raised', 'resolved', 'raised'], 'the first ended on the client\'s next line, before the second began');
      assert.notEqual(w.of('auth-burst')[0].id, w.of('auth-burst')[2].id);
    });

    it('many-consumer-keys: raised at the 5th key, further keys join it, resolved after the quiet period', () => {
      const w = watch({ resolveAfterSeconds: 300 });
      for (let i = 0; i < 9; i++) w.at(T0 + i * 30_000, line('2001:db8:bad::7', T0 + i * 30_000, `/wp-json/wc/v3/orders?consumer_key=${KEY(i)}`, 401));
      const raised = w.of('many-consumer-keys');
      assert.equal(raised.length, 1);
      assert.equal(raised[0].severity, 'error');
      assert.equal(raised[0].keys?.length, 5);
      assert.equal(raised[0].first.line, 1, 'the first line of the first key');
      w.pass(301_000);
      const { resolved } = raisedOnceThenResolved(w.alerts, 'many-consumer-keys', 'quiet');
      assert.equal(resolved.keys?.length, 9);
      assert.match(resolved.message, /sent 9 different consumer keys/);
      // A new episode needs five new keys again.
      const later = T0 + 2 * HOUR;
      for (let i = 20; i < 24; i++) w.at(later, line('2001:db8:bad::7', later, `/wp-json/wc/v3/orders?consumer_key=${KEY(i)}`, 401));
      assert.equal(w.of('many-consumer-keys').length, 2);
      w.at(later, line('2001:db8:bad::7', later, `/wp-json/wc/v3/orders?consumer_key=${KEY(30)}`, 401));
      assert.equal(w.of('many-consumer-keys').length, 3);
    });

    it('success-then-failure: raised at the 5th 401 in a row after successes, resolved as soon as the key works again', () => {
      const w = watch();
      let t = T0;
      for (let i = 0; i < 4; i++) w.at((t += MIN), line('203.0.113.30', t, '/wp-json/wc/v3/orders', 200));
      for (let i = 0; i < 8; i++) w.at((t += MIN), line('203.0.113.30', t, '/wp-json/wc/v3/orders', 401));
      assert.equal(w.of('success-then-failure').length, 1);
      assert.equal(w.of('success-then-failure')[0].count, 5);
      w.at((t += MIN), line('203.0.113.30', t, '/wp-json/wc/v3/orders', 200));
      const { resolved } = raisedOnceThenResolved(w.alerts, 'success-then-failure', 'recovered');
      assert.equal(resolved.count, 8);
      assert.equal(resolved.resolvedAt, new Date(t).toISOString());
      assert.match(formatAlert(resolved), /RESOLVED .*\n {4}203\.0\.113\.30 was answered 2xx again; access\.log lines 5 to 12 \(8 lines\)\./);
    });

    it('credentials-over-http and secret-in-query: raised at the first line, resolved after the quiet period', () => {
      const w = watch({ format: 'vhost_combined', resolveAfterSeconds: 120 });
      const vh = (port: number, ip: string, t: number) => `shop.example.com:${port} ${line(ip, t, `/wp-json/wc/v3/orders?consumer_key=${KEY(1)}&consumer_secret=cs_not_a_real_secret`, 200)}`;
      w.at(T0, vh(80, '198.51.100.20', T0));
      w.at(T0 + 1000, vh(443, '198.51.100.21', T0 + 1000));
      for (let i = 2; i < 6; i++) {
        w.at(T0 + i * 1000, vh(80, '198.51.100.20', T0 + i * 1000));
        w.at(T0 + i * 1000, vh(443, '198.51.100.21', T0 + i * 1000));
      }
      assert.equal(w.of('credentials-over-http').length, 1);
      assert.equal(w.of('credentials-over-http')[0].count, 1, 'raised at the first line');
      assert.equal(w.of('secret-in-query').length, 1);
      w.pass(125_000);
      raisedOnceThenResolved(w.alerts, 'credentials-over-http', 'quiet');
      raisedOnceThenResolved(w.alerts, 'secret-in-query', 'quiet');
      assert.ok(!JSON.stringify(w.alerts).includes('cs_not_a_real_secret'), 'the secret is never in an alert');
    });

    it('unusual-hour: raised at a request far outside the client\'s profile, resolved after 3 quiet hours', () => {
      const w = watch({ unusualHourMinHistory: 20 });
      const day0 = Date.UTC(2026, 10, 20);
      for (let d = 0; d < 4; d++) for (let h = 9; h < 17; h++) w.at(day0 + d * 24 * HOUR + h * HOUR, line('203.0.113.40', day0 + d * 24 * HOUR + h * HOUR, '/wp-json/wc/v3/orders', 200));
      assert.equal(w.alerts.length, 0);
      const night = day0 + 4 * 24 * HOUR + 3 * HOUR;
      for (let i = 0; i < 3; i++) w.at(night + i * MIN, line('203.0.113.40', night + i * MIN, '/wp-json/wc/v3/orders', 200));
      assert.equal(w.of('unusual-hour').length, 1);
      w.pass(3 * HOUR + 5 * MIN);
      raisedOnceThenResolved(w.alerts, 'unusual-hour', 'quiet');
    });

    it('quiet-hours (from the rules): raised at the first authenticated request in them, resolved after 3 quiet hours', () => {
      const w = watch(parseRules('quiet-hours 22:00-06:00\n'));
      const night = Date.UTC(2026, 10, 27, 23, 0);
      w.at(night - 2 * HOUR, line('192.0.2.50', night - 2 * HOUR, '/wp-json/wc/v3/orders', 200));
      w.at(night, line('192.0.2.50', night, '/wp-json/wc/v3/orders', 200));
      w.at(night + MIN, line('192.0.2.50', night + MIN, '/wp-json/wc/v3/customers', 200));
      w.at(night + MIN, line('192.0.2.51', night + MIN, '/wp-json/wc/store/v1/cart', 200)); // the Store API needs no credentials
      assert.equal(w.of('quiet-hours').length, 1);
      w.pass(3 * HOUR + MIN);
      const { resolved } = raisedOnceThenResolved(w.alerts, 'quiet-hours', 'quiet');
      assert.equal(resolved.count, 2);
    });
  });

  describe('the clock, sources, mutes, allow-lists', () => {
    it('a log replayed from the past is judged by its own dates: episodes end on its clock, not the wall clock', () => {
      const w = watch({ now: () => Date.UTC(2030, 0, 1) });
      for (let i = 0; i < 25; i++) w.m.text(`${line('198.51.100.7', T0 + i * 1000, '/wp-json/wc/v3/orders', 401)}\n`);
      w.m.tick();
      assert.deepEqual(w.alerts.map((a) => a.event), ['raised'], 'not resolved because the wall clock is years later');
    });

    it('lines without a time in their format are dated when they are read', () => {
      let wall = T0;
      const alerts: Alert[] = [];
      const m = new LiveMonitor({ autoTick: false, now: () => wall, onAlert: (a) => alerts.push(a), format: '%h "%r" %>s' });
      for (let i = 0; i < 20; i++) {
        wall += 500;
        m.text(`198.51.100.9 "GET /wp-json/wc/v3/orders HTTP/1.1" 401\n`);
      }
      assert.equal(alerts.length, 1);
      wall += 61_000;
      m.tick();
      assert.deepEqual(alerts.map((a) => a.event), ['raised', 'resolved']);
    });

    it('lines are numbered in their own file across rotations; a renamed file\'s lines take its new name', () => {
      const w = watch({ burstCount: 3 });
      w.m.source('access.log', 1, 1);
      w.at(T0, line('192.0.2.1', T0, '/wp-json/wc/v3/products', 200));
      w.at(T0, line('198.51.100.7', T0, '/wp-json/wc/v3/orders', 401));
      w.m.source('access.log', 1, 2); // the new file after a rename
      w.at(T0 + 1000, line('198.51.100.7', T0 + 1000, '/wp-json/wc/v3/orders', 401));
      w.m.source('access.log', 3, 1); // the old file, still draining
      w.at(T0 + 1000, line('192.0.2.1', T0 + 1000, '/wp-json/wc/v3/products', 200));
      w.m.renamed(1, 'access.log.1');
      w.m.source('access.log', 2, 2);
      w.at(T0 + 2000, line('198.51.100.7', T0 + 2000, '/wp-json/wc/v3/orders', 401));
      assert.deepEqual(w.m.locate(2), { source: 'access.log.1', line: 2 });
      assert.deepEqual(w.m.locate(3), { source: 'access.log', line: 1 });
      assert.deepEqual(w.m.locate(4), { source: 'access.log.1', line: 3 });
      assert.deepEqual(w.m.locate(5), { source: 'access.log', line: 2 });
      const a = w.of('auth-burst')[0];
      assert.equal(evidenceText(a), 'access.log.1 line 2 to access.log line 2 (3 lines)');
    });

    it('mute: the client\'s open alerts are resolved as muted, nothing from it is raised for the hour, then it is again', () => {
      const w = watch({ burstCount: 5, burstWindowSeconds: 10 });
      const burst = (t: number) => { for (let i = 0; i < 6; i++) w.at(t + i * 100, line('198.51.100.7', t + i * 100, '/wp-json/wc/v3/orders', 401)); };
      burst(T0);
      assert.equal(w.m.openAlerts().length, 1);
      w.m.mute('198.51.100.7', T0 + HOUR);
      assert.deepEqual(w.alerts.map((a) => [a.event, a.resolution]), [['raised', undefined], ['resolved', 'muted']]);
      assert.equal(w.m.openAlerts().length, 0);
      burst(T0 + 20 * MIN);
      w.pass(20_000);
      assert.equal(w.alerts.length, 2, 'muted: neither raised nor resolved');
      burst(T0 + 70 * MIN);
      assert.equal(w.alerts.length, 3);
      assert.equal(w.alerts[2].event, 'raised');
    });

    it('allowed clients raise nothing while following either', () => {
      const w = watch({ ...parseRules('allow ip 198.51.100.0/24\n'), burstCount: 5 });
      for (let i = 0; i < 10; i++) w.at(T0 + i, line('198.51.100.7', T0 + i, '/wp-json/wc/v3/orders', 401));
      assert.equal(w.alerts.length, 0);
    });

    it('a slow log: the format is detected after a second from the lines there are', () => {
      let wall = T0;
      const notices: string[] = [];
      const alerts: Alert[] = [];
      const m = new LiveMonitor({ autoTick: false, now: () => wall, onAlert: (a) => alerts.push(a), onNotice: (n) => notices.push(n), burstCount: 3 });
      for (let i = 0; i < 3; i++) m.text(`${line('198.51.100.7', T0, '/wp-json/wc/v3/orders', 401)}\n`);
      assert.equal(alerts.length, 0, 'waiting for more lines to detect the format');
      wall += 1500;
      m.tick();
      assert.deepEqual(notices, ['Format: combined (detected).']);
      assert.equal(alerts.length, 1);
    });

    it('says so when the lines do not fit the format', () => {
      const w = watch({ format: 'common' });
      for (let i = 0; i < 25; i++) w.m.text('this is not an access log line\n');
      w.m.tick();
      assert.ok(w.notices.some((n) => /None of the first 25 lines fits the common format/.test(n)), w.notices.join(' | '));
    });
  });

  describe('memory stays bounded', () => {
    it('idle clients are forgotten; a client with a history is kept longer, and still caught failing later', () => {
      const w = watch();
      for (let i = 0; i < 500; i++) w.at(T0, line(`10.0.${i >> 8}.${i & 255}`, T0, '/wp-json/wc/v3/products', 401));
      for (let i = 0; i < 4; i++) w.at(T0 + i, line('203.0.113.30', T0 + i, '/wp-json/wc/v3/orders', 200));
      assert.equal(w.m.report().distinct.clients, 501);
      w.pass(30 * MIN);
      assert.equal(w.m.report().distinct.clients, 1, 'the 500 idle clients are gone, the integration stays');
      const later = T0 + 5 * HOUR;
      for (let i = 0; i < 5; i++) w.at(later + i * 1000, line('203.0.113.30', later + i * 1000, '/wp-json/wc/v3/orders', 401));
      assert.equal(w.of('success-then-failure').length, 1, 'its earlier successes were remembered');
    });

    it('with the client table full, old clients make room: new clients are still checked, the table never passes its cap', () => {
      const w = watch({ maxTrackedClients: 1000 });
      let t = T0;
      for (let i = 0; i < 20_000; i++) {
        if (i % 100 === 0) t += 1000;
        w.at(t, line(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, t, '/wp-json/wc/v3/products', 200));
        if (i % 1000 === 0) assert.ok(w.m.report().distinct.clients <= 1000);
      }
      assert.ok(w.m.report().distinct.clients <= 1000);
      for (let i = 0; i < 20; i++) w.at(t + i, line('198.51.100.99', t + i, '/wp-json/wc/v3/orders', 401));
      assert.deepEqual(w.alerts.map((a) => [a.kind, a.client]), [['auth-burst', '198.51.100.99']], 'a client that came after the table filled is checked');
      assert.ok(!w.m.report().clients.some((c) => c.key === '(other clients)'), 'nobody was lumped together');
    });

    it('a client\'s keys are counted within a window (a day by default while following)', () => {
      const w = watch();
      for (let i = 0; i < 4; i++) w.at(T0 + i * 8 * HOUR, line('192.0.2.60', T0 + i * 8 * HOUR, `/wp-json/wc/v3/orders?consumer_key=${KEY(i)}`, 200));
      w.at(T0 + 40 * HOUR, line('192.0.2.60', T0 + 40 * HOUR, `/wp-json/wc/v3/orders?consumer_key=${KEY(9)}`, 200));
      assert.equal(w.of('many-consumer-keys').length, 0, 'five keys, but never five within a day');
    });

    it('only open and recent episodes are kept: a day of bursts leaves a bounded report', () => {
      const w = watch({ burstCount: 3, burstWindowSeconds: 5 });
      let t = T0;
      for (let i = 0; i < 400; i++) {
        t += 10_000;
        for (let j = 0; j < 3; j++) w.at(t + j, line(`198.51.${i >> 8}.${i & 255}`, t + j, '/wp-json/wc/v3/orders', 401));
      }
      w.pass(10_000);
      assert.equal(w.of('auth-burst').length, 800, '400 raised, 400 resolved');
      assert.ok(w.m.report().findings.length <= 100, `${w.m.report().findings.length} findings kept`);
    });
  });

  describe('the request log (the extension\'s own traffic) through the same detectors', () => {
    const entry = (i: number, status: number | undefined, extra: Partial<LogEntry> = {}): LogEntry => ({
      time: new Date(T0 + i * 1000).toISOString(), store: 'my shop', method: 'GET', path: '/wp-json/wc/v3/orders?consumer_key=ck_…abc1234', host: 'shop.example', status, durationMs: 20, source: 'http-file', ...extra,
    });

    it('each store is a client: worked, then 401s in a row, is a key rotated but still in use; recovered when it works again', () => {
      const w = watch({ format: REQUEST_LOG_FORMAT });
      let i = 0;
      for (let k = 0; k < 3; k++) w.m.feedLine(accessLogLineOf(entry(i++, 200))!);
      for (let k = 0; k < 5; k++) w.m.feedLine(accessLogLineOf(entry(i++, 401))!);
      const [raised] = w.of('success-then-failure');
      assert.equal(raised.client, 'my_shop');
      assert.equal(raised.title, 'my_shop worked, then started getting 401s');
      assert.match(raised.message, /The key that worked, ck_…abc1234, is the one refused now/);
      w.m.feedLine(accessLogLineOf(entry(i++, 200))!);
      raisedOnceThenResolved(w.alerts, 'success-then-failure', 'recovered');
    });

    it('an entry without an answer has no line; a path with spaces or quotes stays one field', () => {
      assert.equal(accessLogLineOf(entry(0, undefined)), undefined);
      const l = accessLogLineOf(entry(0, 404, { path: '/wp-json/wc/v3/products?search=a "b" c', store: undefined }))!;
      assert.match(l, /^shop\.example - - \[2026-11-27T10:00:00\.000Z\] "GET \/wp-json\/wc\/v3\/products\?search=a%20%22b%22%20c HTTP\/1\.1" 404 0 "-" "woo-api-studio \(http-file\)"$/);
      const w = watch({ format: REQUEST_LOG_FORMAT });
      w.m.feedLine(l);
      assert.equal(w.m.stats().rest, 1);
      assert.equal(w.m.stats().malformed, 0);
    });
  });

  it('writes an alert\'s header time in the log\'s own offset, and says the offset in --json', () => {
    const w = watch({ burstCount: 3 });
    for (let i = 0; i < 3; i++) w.at(T0 + i * 1000, `198.51.100.7 - - [${clfTime(T0 + i * 1000, 120)}] "GET /wp-json/wc/v3/orders HTTP/1.1" 401 100 "-" "x"`);
    assert.equal(w.alerts[0].utcOffset, '+02:00');
    assert.equal(formatAlert(w.alerts[0]).split('\n')[0], `2026-11-27 12:00:02 +02:00  ALERT     warning  Burst of 401s from 198.51.100.7`);
    assert.match(w.alerts[0].message, /12:00:00 \+02:00/);
    w.pass(10 * 60_000);
    const resolved = w.alerts.find((a) => a.event === 'resolved');
    assert.ok(resolved, 'resolved after a quiet period');
    assert.equal(resolved.utcOffset, '+02:00');
    assert.match(formatAlert(resolved), /^2026-11-27 12:0\d:\d\d \+02:00 {2}RESOLVED/);
  });

  it('formats an alert for a terminal: time, event, severity, title, message, evidence', () => {
    const w = watch({ burstCount: 3 });
    for (let i = 0; i < 3; i++) w.at(T0 + i * 1000, line('198.51.100.7', T0 + i * 1000, '/wp-json/wc/v3/orders', 401));
    const text = formatAlert(w.alerts[0]);
    assert.equal(text.split('\n')[0], `2026-11-27 10:00:02 +00:00  ALERT     warning  Burst of 401s from 198.51.100.7`);
    assert.match(text, /\n {4}evidence: access\.log lines 1 to 3 \(3 lines\)\.\n$/);
    assert.ok(clfTime(T0).startsWith('27/Nov/2026'));
  });
});
