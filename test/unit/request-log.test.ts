import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { entryFromExchange, filterEntries, findingTitle, foldOAuth, parseLogViewMessage, RequestLogFile, rowOf, type LogEntry } from '../../src/core/request-log';
import type { Exchange } from '../../src/core/send';

const CK = 'ck_' + '1234567890'.repeat(4);
const SECRET = 'cs_' + 'abcdef0123'.repeat(4);

function exchange(status: number | undefined, url: string, body = ''): Exchange {
  return {
    startedAt: '2026-11-27T10:00:00.000Z',
    request: { method: 'GET', url, headers: [], bodyBytes: 0 },
    redirects: [],
    timings: { total: 42.4 },
    response: status === undefined ? undefined : { status, statusText: '', headers: [], body: Buffer.from(body), bodyBytes: body.length, truncated: false, contentType: 'application/json' },
    error: status === undefined ? { code: 'ECONNREFUSED', message: 'Nothing is listening.' } : undefined,
  };
}

describe('the request log', () => {
  it('makes an entry from an exchange: path, WooCommerce code, duration, and never a secret', () => {
    const e = entryFromExchange(exchange(401, `https://shop.example/wp-json/wc/v3/products?consumer_key=${CK}&consumer_secret=${SECRET}&page=2`, '{"code":"woocommerce_rest_cannot_view","message":"x"}'), { store: 'shop', source: 'http-file', finding: 'header-stripped', file: 'file:///a.http', line: 3 });
    assert.strictEqual(e.status, 401);
    assert.strictEqual(e.code, 'woocommerce_rest_cannot_view');
    assert.strictEqual(e.durationMs, 42);
    assert.strictEqual(e.host, 'shop.example');
    assert.match(e.path, /^\/wp-json\/wc\/v3\/products\?consumer_key=ck_…4567890&consumer_secret=cs_•+&page=2$/);
    assert.ok(!JSON.stringify(e).includes(SECRET) && !JSON.stringify(e).includes(CK));
    // An exchange's URL is already masked: the masks stay readable (not percent-encoded).
    const masked = entryFromExchange(exchange(200, 'https://shop.example/wp-json/wc/v3/products?consumer_key=ck_…4567890&consumer_secret=cs_••••••••#top'), { source: 'cli' });
    assert.strictEqual(masked.path, '/wp-json/wc/v3/products?consumer_key=ck_…4567890&consumer_secret=cs_••••••••');
    assert.strictEqual(entryFromExchange(exchange(200, 'https://shop.example'), { source: 'cli' }).path, '/');
    const refused = entryFromExchange(exchange(undefined, 'http://127.0.0.1:9/'), { source: 'cli' });
    assert.strictEqual(refused.code, 'ECONNREFUSED');
    assert.strictEqual(refused.status, undefined);
  });

  it('appends JSON lines, rotates at the cap keeping one older file, and skips unreadable lines', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-log-'));
    const log = new RequestLogFile(path.join(dir, 'log.jsonl'), 600);
    for (let i = 10; i < 22; i++) await log.append({ time: `2026-11-27T10:00:${i}.000Z`, method: 'GET', path: `/p/${i}`, host: 'h', durationMs: i, source: 'cli' });
    assert.ok(fs.existsSync(path.join(dir, 'log.jsonl.1')), 'rotated');
    fs.appendFileSync(path.join(dir, 'log.jsonl'), 'not json\n');
    const { entries, skipped } = await log.read();
    assert.strictEqual(skipped, 1);
    assert.deepStrictEqual(entries.map((e) => e.path).slice(-2), ['/p/20', '/p/21'], 'oldest first, newest last');
    assert.ok(entries.length < 12 && entries[0].path !== '/p/10', 'entries older than the rotated file are gone');
    await log.clear();
    assert.deepStrictEqual((await log.read()).entries, []);
  });

  it('filters by store, status class and path', () => {
    const e = (store: string, status: number | undefined, p: string): LogEntry => ({ time: 't', store, method: 'GET', path: p, host: 'h', status, durationMs: 1, source: 'cli' });
    const all = [e('a', 200, '/wc/v3/products'), e('a', 401, '/wc/v3/orders'), e('b', 403, '/wc/v3/products'), e('b', undefined, '/x')];
    assert.strictEqual(filterEntries(all, { store: 'a' }).length, 2);
    assert.deepStrictEqual(filterEntries(all, { status: '4xx' }).map((x) => x.status), [401, 403]);
    assert.deepStrictEqual(filterEntries(all, { status: '401' }).map((x) => x.store), ['a']);
    assert.strictEqual(filterEntries(all, { status: 'failed' }).length, 1);
    assert.strictEqual(filterEntries(all, { path: 'PRODUCTS' }).length, 2);
  });

  it('accepts only the messages the view may send', () => {
    assert.deepStrictEqual(parseLogViewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepStrictEqual(parseLogViewMessage({ type: 'open', index: 3 }), { type: 'open', index: 3 });
    assert.deepStrictEqual(parseLogViewMessage({ type: 'filter', filter: { store: 'a', status: '4xx', path: '' } }), { type: 'filter', filter: { store: 'a', status: '4xx' } });
    for (const bad of [null, 'ready', { type: 'open', index: -1 }, { type: 'open', index: '1' }, { type: 'filter', filter: { status: 'DROP' } }, { type: 'filter', filter: { evil: 1 } }, { type: 'ready', extra: 1 }, { type: 'exec', cmd: 'x' }, { type: 'filter', filter: { path: 'x'.repeat(500) } }]) {
      assert.strictEqual(parseLogViewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('names a finding in plain words, with the explainer\'s title of its cause', () => {
    assert.strictEqual(findingTitle('header-stripped'), 'The server strips the Authorization header');
    assert.strictEqual(findingTitle('no-credentials').includes('-'), false);
    assert.strictEqual(findingTitle('some-future-cause'), 'some-future-cause', 'an id it does not know stays as it is');
    assert.strictEqual(findingTitle('constructor'), 'constructor', 'not a property of every object');
  });

  it('folds OAuth 1.0a parameters out of the path shown, keeping the rest of the query in order', () => {
    const path = '/wp-json/wc/v3/products?per_page=1&oauth_consumer_key=ck_…abc1234&oauth_nonce=abc&oauth_signature=%E2%80%A2&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1&page=2';
    assert.deepStrictEqual(foldOAuth(path), { path: '/wp-json/wc/v3/products?per_page=1&page=2', oauth: ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp'] });
    assert.deepStrictEqual(foldOAuth('/wp-json/wc/v3/orders?oauth_signature=x'), { path: '/wp-json/wc/v3/orders', oauth: ['oauth_signature'] });
    assert.deepStrictEqual(foldOAuth('/wp-json/wc/v3/orders?search=oauth_x'), { path: '/wp-json/wc/v3/orders?search=oauth_x', oauth: [] });
    const row = rowOf({ time: 't', method: 'GET', path, host: 'h', durationMs: 1, source: 'runner', status: 401, finding: 'header-stripped' });
    assert.strictEqual(row.shownPath, '/wp-json/wc/v3/products?per_page=1&page=2');
    assert.strictEqual(row.path, path, 'the entry itself is unchanged');
    assert.strictEqual(row.findingTitle, 'The server strips the Authorization header');
  });
});
