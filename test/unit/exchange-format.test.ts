import * as assert from 'assert';
import { formatBody, formatExchange, formatTimings, formatTokenLines } from '../../src/core/exchange-format';
import type { Exchange } from '../../src/core/send';

function exchange(over: Partial<Exchange> = {}): Exchange {
  return {
    startedAt: '2026-11-27T12:00:00.000Z',
    request: { method: 'GET', url: 'https://shop.example/wp-json/wc/v3/products', headers: [['Authorization', 'Basic ••••••••']], bodyBytes: 0 },
    redirects: [],
    timings: { connect: 3.2, tls: 12.4, firstByte: 40.7, total: 55.1 },
    response: {
      status: 401, statusText: 'Unauthorized', headers: [['content-type', 'application/json; charset=UTF-8']],
      body: Buffer.from('{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}'),
      bodyBytes: 104, truncated: false, contentType: 'application/json; charset=UTF-8',
    },
    ...over,
  };
}

describe('exchange as text', () => {
  it('shows the request as sent, what we added, the status, headers, timings and a pretty body', () => {
    const text = formatExchange(exchange(), { title: 'List products', store: 'shop', added: ['Authorization: Basic with consumer key …abc1234'] });
    const lines = text.split('\n');
    assert.strictEqual(lines[0], '# List products · store shop');
    assert.match(lines[1], /401 Unauthorized · 55 ms \(connect 3\.2 ms, TLS 12 ms, first byte 41 ms\) · 104 B/);
    assert.ok(lines.includes('# Added by WooCommerce API Studio: Authorization: Basic with consumer key …abc1234'));
    assert.ok(lines.includes('GET https://shop.example/wp-json/wc/v3/products HTTP/1.1'));
    assert.ok(lines.includes('Authorization: Basic ••••••••'));
    assert.ok(lines.includes('HTTP/1.1 401 Unauthorized'));
    assert.ok(text.includes('  "code": "woocommerce_rest_cannot_view",'), 'pretty JSON');
  });

  it('lists each redirect hop with what changed', () => {
    const text = formatExchange(exchange({ redirects: [{ status: 301, location: 'https://www.shop.example/wp-json/wc/v3/products', note: 'dropped Authorization: https://www.shop.example is another origin', request: { method: 'GET', url: 'https://shop.example/x', headers: [], bodyBytes: 0 } }] }));
    assert.match(text, /### Hop 1: 301 → https:\/\/www\.shop\.example\/wp-json\/wc\/v3\/products \(dropped Authorization/);
    assert.match(text, /### Final request/);
  });

  it('says when it failed before any response', () => {
    const text = formatExchange(exchange({ response: undefined, error: { code: 'ECONNREFUSED', message: 'Nothing is listening at shop.example.' } }));
    assert.match(text, /# Failed: Nothing is listening/);
    assert.ok(!text.includes('### Response'));
  });

  it('flags JSON that does not parse, describes binary bodies and notes truncation', () => {
    const bad = formatBody({ status: 200, statusText: 'OK', headers: [], body: Buffer.from('<html>'), bodyBytes: 6, truncated: false, contentType: 'application/json' }, 1e6);
    assert.match(bad, /does not parse as JSON/);
    const img = formatBody({ status: 200, statusText: 'OK', headers: [], body: Buffer.alloc(2048), bodyBytes: 2048, truncated: false, contentType: 'image/png' }, 1e6);
    assert.strictEqual(img, '(2.0 KB of image/png; not shown as text)');
    const cut = formatBody({ status: 200, statusText: 'OK', headers: [], body: Buffer.from('[1,2'), bodyBytes: 4, truncated: true, contentType: 'application/json' }, 1e6);
    assert.match(cut, /cut at 4 B/);
  });

  it('reports a reused connection instead of phases it did not measure', () => {
    assert.strictEqual(formatTimings(exchange({ timings: { firstByte: 5, total: 6, reusedConnection: true } })), '6.0 ms (reused connection, first byte 5.0 ms)');
  });

  it('shows a token store\'s renewals with their token-endpoint exchanges, and the refused first attempt', () => {
    const refused = exchange({ response: { ...exchange().response!, status: 403, statusText: 'Forbidden' } });
    const login = exchange({ request: { method: 'POST', url: 'https://shop.example/wp-json/jwt-auth/v1/token', headers: [], bodyBytes: 40 }, response: { ...exchange().response!, status: 200, statusText: 'OK' } });
    const renewals = [{ reason: 'rejected', ok: true, message: 'Renewed the token of "shop" by signing in as admin.', exchanges: [login] }];
    const lines = formatTokenLines({ renewals, firstAttempt: refused });
    assert.deepStrictEqual(lines, [
      '# Token: first attempt GET https://shop.example/wp-json/wc/v3/products → 403 Forbidden: the store refused the token as an expired one; renewed and sent again (second attempt below).',
      '# Token (renewed after the refusal): Renewed the token of "shop" by signing in as admin.',
      '#   POST https://shop.example/wp-json/jwt-auth/v1/token → 200',
    ]);
    const text = formatExchange(exchange({ response: { ...exchange().response!, status: 200, statusText: 'OK' } }), { renewals, firstAttempt: refused });
    assert.ok(text.indexOf('# Token: first attempt') < text.indexOf('### Request'));
    assert.deepStrictEqual(formatTokenLines({}), []);
  });
});
