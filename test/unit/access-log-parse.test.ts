// Access-log line parsing: the named formats, custom Apache/nginx format strings, IPv6, time zones,
// malformed lines (never an exception), and format detection.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Field, LineScanner, LogFormatError, compileLogFormat, detectLogFormat, normaliseFormatSpec, parseClfTime,
  parseIsoTime, parseLogLine,
} from '../../src/core/access-log/parse';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'access-log');
const fixtureLines = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8').split(/\r?\n/).filter((l) => l.length > 0);

const COMBINED_LINE =
  '203.0.113.9 - - [27/Nov/2026:10:00:00 +0100] "GET /wp-json/wc/v3/products/123?per_page=5 HTTP/1.1" 401 154 "https://shop.example.com/" "python-requests/2.32.3"';

describe('access-log parse', () => {
  describe('combined and common lines', () => {
    it('reads every field of a combined line, the time in UTC', () => {
      const e = parseLogLine(COMBINED_LINE, 'combined');
      assert.ok(e);
      assert.equal(e.remoteAddr, '203.0.113.9');
      assert.equal(e.remoteUser, undefined);
      assert.equal(e.timeMs, Date.UTC(2026, 10, 27, 9, 0, 0));
      assert.equal(e.utcOffsetMinutes, 60);
      assert.equal(e.method, 'GET');
      assert.equal(e.target, '/wp-json/wc/v3/products/123?per_page=5');
      assert.equal(e.protocol, 'HTTP/1.1');
      assert.equal(e.status, 401);
      assert.equal(e.bytes, 154);
      assert.equal(e.referer, 'https://shop.example.com/');
      assert.equal(e.userAgent, 'python-requests/2.32.3');
      assert.equal(e.scheme, undefined, 'combined says nothing about the scheme');
    });

    it('reads a common line; "-" bytes are 0 and a logged user is kept', () => {
      const e = parseLogLine('192.0.2.2 - frank [27/Nov/2026:10:01:00 +0000] "GET /index.html HTTP/1.0" 200 -', 'common');
      assert.ok(e);
      assert.equal(e.remoteUser, 'frank');
      assert.equal(e.bytes, 0);
      assert.equal(e.userAgent, undefined);
      assert.equal(e.target, '/index.html');
    });

    it('undoes Apache\'s \\" escaping inside a quoted field and does not stop at an escaped quote', () => {
      const e = parseLogLine('192.0.2.78 - - [23/Nov/2026:08:07:00 +0100] "GET /wp-json/wp/v2/users/me HTTP/1.1" 401 160 "-" "Mozilla/5.0 \\"quoted\\" agent"', 'combined');
      assert.ok(e);
      assert.equal(e.userAgent, 'Mozilla/5.0 "quoted" agent');
      assert.equal(e.referer, undefined);
    });

    it('accepts IPv6 client addresses', () => {
      for (const ip of ['2001:db8::1', '::1', '2001:DB8:bad::7', '::ffff:192.0.2.9', 'fe80::1ff:fe23:4567:890a']) {
        const e = parseLogLine(COMBINED_LINE.replace('203.0.113.9', ip), 'combined');
        assert.ok(e, ip);
        assert.equal(e.remoteAddr, ip);
        assert.equal(e.status, 401);
      }
    });

    it('reads a request line of "-" (a connection closed before any request) as an empty target, not as malformed', () => {
      const e = parseLogLine('192.0.2.5 - - [27/Nov/2026:10:00:00 +0000] "-" 408 0 "-" "-"', 'combined');
      assert.ok(e);
      assert.equal(e.status, 408);
      assert.equal(e.method, '');
      assert.equal(e.target, '');
    });

    it('reads an HTTP/0.9 request line without a protocol', () => {
      const e = parseLogLine('192.0.2.5 - - [27/Nov/2026:10:00:00 +0000] "GET /wp-json/wc/v3/orders" 400 0 "-" "-"', 'combined');
      assert.ok(e);
      assert.equal(e.target, '/wp-json/wc/v3/orders');
      assert.equal(e.protocol, '');
    });
  });

  describe('malformed lines are refused, never thrown', () => {
    const bad: Array<[string, string]> = [
      ['cut short', '198.51.100.99 - - [23/Nov/2026:09:30:00 +0100] "GET /wp-json/wc/v3/products HTT'],
      ['not a log line', 'this is not an access log line at all'],
      ['status not a number', COMBINED_LINE.replace('" 401 154', '" OK 154')],
      ['status of 4 digits', COMBINED_LINE.replace('" 401 154', '" 4010 154')],
      ['bytes not a number', COMBINED_LINE.replace(' 401 154 ', ' 401 lots ')],
      ['unknown month', COMBINED_LINE.replace('Nov', 'Foo')],
      ['hour 25', COMBINED_LINE.replace('10:00:00', '25:00:00')],
      ['zone without sign', COMBINED_LINE.replace('+0100', ' 0100')],
      ['empty', ''],
      ['time without brackets', COMBINED_LINE.replace('[27/Nov/2026:10:00:00 +0100]', '27/Nov/2026:10:00:00 +0100')],
      ['a space in the address of a format without a user field', '203.0.113.9 x [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200'],
      ['a space in the virtual host', 'shop example.com:80 192.0.2.1 - - [27/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 5 "-" "-"'],
    ];
    for (const [what, line] of bad) {
      it(what, () => {
        const format = what.includes('without a user field') ? '%h %t "%r" %>s' : what.includes('virtual host') ? 'vhost_combined' : 'combined';
        assert.equal(parseLogLine(line, format), undefined);
      });
    }
  });

  describe('time zones', () => {
    it('converts [27/Nov/2026:10:00:00 +0100] and the same instant in other zones to one UTC time', () => {
      const utc = Date.UTC(2026, 10, 27, 9, 0, 0);
      for (const s of ['27/Nov/2026:10:00:00 +0100', '27/Nov/2026:04:00:00 -0500', '27/Nov/2026:14:30:00 +0530', '27/Nov/2026:09:00:00 +0000', '26/Nov/2026:23:00:00 -1000']) {
        assert.equal(parseClfTime(s), utc, s);
      }
    });

    it('crosses a day and a year boundary', () => {
      assert.equal(parseClfTime('01/Jan/2027:00:30:00 +0100'), Date.UTC(2026, 11, 31, 23, 30, 0));
    });

    it('gives every line its own day and zone, though consecutive lines share the day computed for the first', () => {
      const cases: [string, number][] = [
        ['27/Nov/2026:10:00:00 +0100', Date.UTC(2026, 10, 27, 9, 0, 0)],
        ['27/Nov/2026:23:59:60 +0100', Date.UTC(2026, 10, 27, 23, 0, 0)], // a leap second rolls over, as Date.UTC does
        ['27/Nov/2026:10:00:00 +0200', Date.UTC(2026, 10, 27, 8, 0, 0)], // same day, other zone
        ['28/Nov/2026:00:00:01 +0200', Date.UTC(2026, 10, 27, 22, 0, 1)],
        ['01/Dec/2026:12:00:00 +0000', Date.UTC(2026, 11, 1, 12, 0, 0)],
        ['31/Feb/2026:12:00:00 +0000', Date.UTC(2026, 1, 31, 12, 0, 0)], // overflows into March, as before
      ];
      for (let round = 0; round < 2; round++) for (const [s, utc] of cases) assert.equal(parseClfTime(s), utc, s);
      assert.ok(Number.isNaN(parseClfTime('33/Nov/2026:10:00:00 +0100')), 'day 33 after a cached day');
      assert.ok(Number.isNaN(parseClfTime('27/Nov/2026:24:00:00 +0100')), 'hour 24');
      assert.ok(Number.isNaN(parseClfTime('27/Nov/2026:10:60:00 +0100')), 'minute 60');
    });

    it('reads ISO 8601 times: Z, +01:00, +0100, fractions, no zone (UTC), and refuses garbage', () => {
      const utc = Date.UTC(2026, 10, 27, 9, 0, 0);
      assert.equal(parseIsoTime('2026-11-27T09:00:00Z'), utc);
      assert.equal(parseIsoTime('2026-11-27T10:00:00+01:00'), utc);
      assert.equal(parseIsoTime('2026-11-27T10:00:00+0100'), utc);
      assert.equal(parseIsoTime('2026-11-27T04:00:00-05:00'), utc);
      assert.equal(parseIsoTime('2026-11-27 09:00:00'), utc);
      assert.equal(parseIsoTime('2026-11-27T09:00:00.250Z'), utc + 250);
      assert.ok(Number.isNaN(parseIsoTime('2026-11-27T09:00:00+01:00junk')));
      assert.ok(Number.isNaN(parseIsoTime('27/11/2026 09:00')));
    });

    it('keeps the zone a line was written in (for hour-of-day profiles)', () => {
      const sc = new LineScanner(compileLogFormat('combined'));
      assert.ok(sc.scan(COMBINED_LINE.replace('+0100', '-0330')));
      assert.equal(sc.utcOffsetMinutes, -210);
      assert.equal(sc.timeMs, Date.UTC(2026, 10, 27, 13, 30, 0));
    });
  });

  describe('custom formats', () => {
    it('an nginx log_format directive pasted whole, with $scheme, $time_iso8601 and $request_time', () => {
      const f = compileLogFormat(
        "log_format woo '$remote_addr - $remote_user [$time_iso8601] \"$request\" $status $body_bytes_sent '\n                '\"$http_referer\" \"$http_user_agent\" $scheme $request_time';",
      );
      assert.equal(f.name, 'custom');
      const e = parseLogLine(fixtureLines('nginx-custom.txt')[0], f);
      assert.ok(e);
      assert.equal(e.remoteAddr, '2001:db8:1::20');
      assert.match(e.remoteUser ?? '', /^ck_[0-9a-f]{40}$/);
      assert.equal(e.timeMs, Date.UTC(2026, 10, 27, 9, 0, 0));
      assert.equal(e.scheme, 'http');
      assert.equal(e.durationMs, 42);
      assert.equal(e.userAgent, 'WooCommerce API Client-PHP/3.1.0');
    });

    it('an Apache LogFormat line pasted whole, with \\" quoting, %D, %{HTTPS}e and an ISO time', () => {
      const f = compileLogFormat('LogFormat "%a %l %u [%{%Y-%m-%dT%H:%M:%S%z}t] \\"%r\\" %>s %B %D \\"%{User-agent}i\\" %{HTTPS}e" woo');
      const e = parseLogLine('2001:db8::5 - - [2026-11-27T10:00:00+0100] "POST /wp-json/wc/v3/orders HTTP/1.1" 201 512 1500 "curl/8.5.0" on', f);
      assert.ok(e);
      assert.equal(e.remoteAddr, '2001:db8::5');
      assert.equal(e.timeMs, Date.UTC(2026, 10, 27, 9, 0, 0));
      assert.equal(e.method, 'POST');
      assert.equal(e.durationMs, 1.5);
      assert.equal(e.userAgent, 'curl/8.5.0');
      assert.equal(e.scheme, 'https');
      assert.equal(parseLogLine('2001:db8::5 - - [2026-11-27T10:00:00+0100] "GET / HTTP/1.1" 200 5 9 "x" -', f)?.scheme, 'http', 'HTTPS unset: plain HTTP');
    });

    it('%U%q side by side: the path ends at "?"', () => {
      const f = compileLogFormat('%h %t %m %U%q %>s');
      const sc = new LineScanner(f);
      assert.ok(sc.scan('192.0.2.1 [27/Nov/2026:10:00:00 +0000] GET /wp-json/wc/v3/products?consumer_key=x 200'));
      assert.equal(sc.target(), '/wp-json/wc/v3/products?consumer_key=x');
      assert.equal(sc.text(Field.PATH), '/wp-json/wc/v3/products');
      assert.equal(sc.text(Field.QUERY), '?consumer_key=x');
      assert.ok(sc.scan('192.0.2.1 [27/Nov/2026:10:00:00 +0000] GET /wp-json/wc/v3/products 200'));
      assert.equal(sc.target(), '/wp-json/wc/v3/products');
    });

    it('%{sec}t and $msec epoch times, vhost and port fields', () => {
      const f = compileLogFormat('%v %p %h %{sec}t "%r" %>s');
      const e = parseLogLine('shop.example.com 443 192.0.2.1 1795770000 "GET / HTTP/1.1" 200', f);
      assert.ok(e);
      assert.equal(e.timeMs, 1795770000_000);
      assert.equal(e.vhost, 'shop.example.com');
      assert.equal(e.port, 443);
      const g = compileLogFormat('$msec $remote_addr "$request" $status');
      assert.equal(parseLogLine('1795770000.123 192.0.2.1 "GET / HTTP/1.1" 200', g)?.timeMs, 1795770000_123);
    });

    it('unknown tokens are skipped fields, "%%" is a literal percent sign', () => {
      const f = compileLogFormat('%h %A %% $upstream_addr "%r" %>s');
      const e = parseLogLine('192.0.2.1 10.0.0.1 % 10.0.0.2:9000 "GET /x HTTP/1.1" 200', f);
      assert.ok(e);
      assert.equal(e.target, '/x');
      assert.equal(e.status, 200);
      const g = compileLogFormat('%h %^ti %t "%r" %>s');
      assert.deepEqual(g.fields.slice(0, 3), [Field.HOST, Field.SKIP, Field.TIME_CLF], '%^ti is a trailer, not a time');
      assert.equal(parseLogLine('192.0.2.1 x [27/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1" 200', g)?.timeMs, Date.UTC(2026, 10, 27, 10));
    });

    it('refuses formats it cannot scan reliably, with a sentence', () => {
      const cases: Array<[string, RegExp]> = [
        ['%h%l "%r" %>s', /nothing between them/],
        ['%h "%r"', /no status/],
        ['%>s %b', /no client address/],
        ['%h %>s', /no request/],
        ['%h [%{%a %b %e}t] "%r" %>s', /time format .* not supported/],
        ['%h %{Referer "%r" %>s', /Unclosed/],
        ['just text', /no fields/],
      ];
      for (const [spec, message] of cases) {
        assert.throws(() => compileLogFormat(spec), (err: unknown) => err instanceof LogFormatError && message.test(err.message), spec);
      }
    });

    it('normalises pasted config quoting', () => {
      assert.equal(normaliseFormatSpec('LogFormat "%h \\"%r\\" %>s" mine'), '%h "%r" %>s');
      assert.equal(normaliseFormatSpec("log_format main '$remote_addr '\n  '\"$request\" $status';"), '$remote_addr "$request" $status');
      assert.equal(normaliseFormatSpec('%h\\t%>s'), '%h\t%>s');
    });
  });

  describe('format detection from the first lines', () => {
    it('combined for a combined log, even with malformed lines among them', () => {
      assert.equal(detectLogFormat(fixtureLines('anomalies.txt').slice(0, 50))?.name, 'combined');
    });

    it('common for a common log (CRLF line ends)', () => {
      assert.equal(detectLogFormat(fixtureLines('common.txt'))?.name, 'common');
    });

    it('vhost_combined when each line starts with host:port', () => {
      assert.equal(detectLogFormat(fixtureLines('vhost-combined.txt'))?.name, 'vhost_combined');
    });

    it('combined, not common, when combined lines carry extra fields after the user agent', () => {
      const lines = fixtureLines('anomalies.txt').slice(0, 20).map((l) => `${l} 0.042 shop.example.com`);
      assert.equal(detectLogFormat(lines)?.name, 'combined');
    });

    it('nothing when no line fits any known format', () => {
      assert.equal(detectLogFormat(['hello', 'world', '{"json": true}']), undefined);
      assert.equal(detectLogFormat([]), undefined);
    });
  });
});
