// The runner panel's core: the incremental JSON formatter behind the body viewer, pagination, the
// checked message schema, the response view (no secret reaches the page), history without
// credentials, routes from a store's index, and sending through runRunnerRequest to the sandbox.
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonProblem } from '../../src/core/json-problem';
import { concatPages, paginationOf, parseLinkHeader, withPage } from '../../src/core/pagination';
import { PrettyJson, tokenize } from '../../src/core/pretty-json';
import { addToHistory, historyRequest, readHistory, searchHistory, type HistoryEntry } from '../../src/core/runner-history';
import { authSummary, findingViews, parseRunnerMessage, parseRunnerRequest, responseView } from '../../src/core/runner-messages';
import { blankRequest, runnerTitle, prepareRunnerRequest, toCurl, runRunnerRequest, toHttpBlock, type RunnerRequest } from '../../src/core/runner-request';
import type { Exchange } from '../../src/core/send';
import type { Store } from '../../src/core/store';
import { catalogueRoutes, routeShape, routesFromIndex } from '../../src/core/woo-routes';
import { explainExchange } from '../../src/core/explain/explain';
import { runnerHtml } from '../../src/runner-html';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { parseHttpDocument } from '../../src/core/http';
import { CK, CS } from '../fixtures/fake-keys';
import seed from '../fixtures/sandbox-seed.json';

function prettyAll(source: string, budget = 1 << 30): PrettyJson {
  const p = new PrettyJson(source);
  while (!p.advance(budget)) { /* next slice */ }
  return p;
}
function lines(p: PrettyJson): string[] {
  return Array.from({ length: p.lines.count }, (_, i) => p.text(i));
}

/** A seeded generator of JSON values with the awkward parts: escapes, unicode, empties, nesting. */
function randomValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (depth > 4 || r < 0.35) {
    const leaf = Math.floor(rand() * 7);
    return [0, -12.5e-3, true, false, null, 'a "quoted" \\ back\\slash, {not} [a] : colon', 'üñíçødé ✓ \n\t'][leaf];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(rand() * 4); i++) o[`k${i} "x"`] = randomValue(rand, depth + 1);
  return o;
}
function mulberry(seedValue: number): () => number {
  let a = seedValue;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the runner panel core', () => {
  describe('PrettyJson (the body viewer\'s lines)', () => {
    it('lays out exactly like JSON.stringify(value, null, 2), from compact or indented source, in any slice size', () => {
      const rand = mulberry(7);
      for (let n = 0; n < 300; n++) {
        const value = { items: randomValue(rand), n };
        const expected = JSON.stringify(value, null, 2).split('\n');
        assert.deepStrictEqual(lines(prettyAll(JSON.stringify(value))), expected, `compact #${n}`);
        assert.deepStrictEqual(lines(prettyAll(JSON.stringify(value, null, '\t'))), expected, `tab-indented #${n}`);
        assert.deepStrictEqual(lines(prettyAll(JSON.stringify(value), 1 + (n % 13))), expected, `sliced #${n}`);
      }
    });

    it('knows where each block closes (folding) and which line holds an offset (find)', () => {
      const src = JSON.stringify([{ id: 1, tags: ['a', 'b'] }, { id: 2, tags: [] }]);
      const p = prettyAll(src);
      const text = lines(p);
      for (let i = 0; i < p.lines.count; i++) {
        const close = p.lines.closeLine[i]!;
        if (/[[{]$/.test(text[i]!)) {
          assert.ok(close > i, `line ${i} "${text[i]}" opens a block`);
          assert.match(text[close]!.trim(), /^[\]}],?$/);
          assert.strictEqual(p.lines.depth[close], p.lines.depth[i]);
        } else assert.strictEqual(close, -1);
      }
      assert.strictEqual(text[p.lineAt(src.indexOf('"b"'))]!.trim(), '"b"');
      assert.strictEqual(text[p.lineAt(src.lastIndexOf('"id"'))]!.trim(), '"id": 2,');
    });

    it('says when the text is not JSON after all', () => {
      assert.strictEqual(prettyAll('{"a": [1, 2}').valid, false);
      assert.strictEqual(prettyAll('{"a": "unterminated').valid, false);
      assert.strictEqual(prettyAll('[1]]').valid, false);
      assert.strictEqual(prettyAll('{"a":[1,{"b":null}]}').valid, true);
    });

    it('colours keys, strings, numbers and literals', () => {
      assert.deepStrictEqual(tokenize('  "id": 12,').filter(([k]) => k !== 'space'), [['key', '"id"'], ['punct', ':'], ['number', '12'], ['punct', ',']]);
      assert.deepStrictEqual(tokenize('"a\\"b": null').map(([k]) => k), ['key', 'punct', 'space', 'literal']);
      assert.deepStrictEqual(tokenize('"x"').map(([k]) => k), ['string']);
    });

    it('formats a 20 MB array a slice at a time: the first screen exists after the first slice', () => {
      const big = JSON.stringify(Array.from({ length: 60000 }, (_, i) => ({ id: i, name: `Product ${i}`, price: String(i * 1.5), tags: ['x', 'y'], meta: { a: i, b: null } })));
      const p = new PrettyJson(big);
      p.advance(64 * 1024);
      assert.ok(!p.done && p.lines.count > 100, `lines after the first slice: ${p.lines.count}`);
      while (!p.advance(2 * 1024 * 1024)) { /* rest */ }
      assert.ok(p.valid);
      assert.strictEqual(p.lines.count, JSON.stringify(JSON.parse(big), null, 2).split('\n').length);
    });
  });

  it('the page\'s CSP allows only our script by nonce, our stylesheet and data: images', () => {
    const html = runnerHtml({ cspSource: 'https://webview.example', nonce: 'N0nce', script: 'https://webview.example/runner.js', style: 'https://webview.example/runner.css' });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1]!;
    assert.strictEqual(csp, "default-src 'none'; style-src https://webview.example; img-src data:; script-src 'nonce-N0nce';");
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.deepStrictEqual(scripts, [' nonce="N0nce" src="https://webview.example/runner.js"']);
    assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handlers');
  });

  it('JSON problems say the line and column', () => {
    assert.strictEqual(jsonProblem('{"a": 1}'), undefined);
    assert.strictEqual(jsonProblem('  '), undefined);
    assert.match(jsonProblem('{"a": 1,\n "b" 2}')!, /line 2, column 6/);
    // V8 gives no position for "Unexpected token": the scanner finds it.
    assert.match(jsonProblem('{\n  "name": }')!, /line 2, column 11: Unexpected token '}'/);
    assert.match(jsonProblem('[1, 2')!, /line 1, column 6/);
    assert.match(jsonProblem('{"a": tru}')!, /line 1, column 7/);
    assert.match(jsonProblem('{"a": 1} x')!, /line 1, column 10/);
  });

  describe('pagination', () => {
    const headers: [string, string][] = [['X-WP-Total', '23'], ['X-WP-TotalPages', '3'], ['Link', '<https://s.example/wp-json/wc/v3/products?page=1>; rel="prev", <https://s.example/wp-json/wc/v3/products?page=3>; rel="next"']];
    it('reads X-WP-Total, X-WP-TotalPages, Link and the page asked for', () => {
      assert.deepStrictEqual(paginationOf('https://s.example/wp-json/wc/v3/products?page=2', headers), { page: 2, total: 23, totalPages: 3, prev: 'https://s.example/wp-json/wc/v3/products?page=1', next: 'https://s.example/wp-json/wc/v3/products?page=3' });
      assert.strictEqual(paginationOf('https://s.example/wp-json/wc/v3/products/1', [['Content-Type', 'application/json']]), undefined);
      assert.deepStrictEqual(parseLinkHeader('<https://a/>; rel="https://api.w.org/"'), { 'https://api.w.org/': 'https://a/' });
    });
    it('sets the page in the query table, and joins pages into one array', () => {
      assert.deepStrictEqual(withPage([{ name: 'per_page', value: '5', enabled: true }], 2), [{ name: 'per_page', value: '5', enabled: true }, { name: 'page', value: '2', enabled: true }]);
      assert.deepStrictEqual(withPage([{ name: 'page', value: '1', enabled: false }], 3), [{ name: 'page', value: '3', enabled: true }]);
      assert.deepStrictEqual(concatPages(['[1,2]', '[3]']), { items: [1, 2, 3] });
      assert.match((concatPages(['[1]', '{"code":"x"}']) as { problem: string }).problem, /Page 2 is not a JSON array/);
    });
  });

  describe('messages from the webview', () => {
    const ok: RunnerRequest = { ...blankRequest('shop'), path: 'wc/v3/products', query: [{ name: 'per_page', value: '5', enabled: true }] };
    it('accepts what the panel sends', () => {
      assert.deepStrictEqual(parseRunnerMessage({ type: 'send', request: ok }), { type: 'send', request: ok });
      assert.deepStrictEqual(parseRunnerMessage({ type: 'page', request: ok, page: 2 }), { type: 'page', request: ok, page: 2 });
      assert.deepStrictEqual(parseRunnerMessage({ type: 'fix', finding: 0, fix: 1 }), { type: 'fix', finding: 0, fix: 1 });
      assert.deepStrictEqual(parseRunnerMessage({ type: 'copyCurl', request: ok, includeSecrets: false })?.type, 'copyCurl');
      assert.deepStrictEqual(parseRunnerMessage({ type: 'ready' }), { type: 'ready' });
      const multipart = { ...ok, method: 'POST', body: { kind: 'multipart', text: '', fields: [{ name: 'file', value: '', enabled: true, file: '/tmp/a.png' }] } };
      assert.deepStrictEqual(parseRunnerRequest(multipart)?.body.fields?.[0]?.file, '/tmp/a.png');
    });
    it('refuses anything else', () => {
      const bad: unknown[] = [
        null, 'send', { type: 'eval', code: '1' }, { type: 'send' },
        { type: 'send', request: { ...ok, method: 'TRACE' } },
        { type: 'send', request: { ...ok, query: [{ name: 1, value: '', enabled: true }] } },
        { type: 'send', request: { ...ok, query: Array.from({ length: 201 }, () => ({ name: 'a', value: '', enabled: true })) } },
        { type: 'send', request: { ...ok, body: { kind: 'exe', text: '' } } },
        { type: 'send', request: { ...ok, auth: 'steal' } },
        { type: 'send', request: { ...ok, path: 'x'.repeat(9000) } },
        { type: 'page', request: ok, page: 0 },
        { type: 'page', request: ok, page: 1.5 },
        { type: 'fix', finding: -1, fix: 0 },
        { type: 'copyCurl', request: ok, includeSecrets: 'yes' },
        { type: 'historyOpen', id: 7 },
      ];
      for (const m of bad) assert.strictEqual(parseRunnerMessage(m), undefined, JSON.stringify(m)?.slice(0, 80));
    });
  });

  describe('what is posted to the page', () => {
    const exchange = (over: Partial<NonNullable<Exchange['response']>>, headers: [string, string][] = []): Exchange => ({
      startedAt: '2026-11-27T10:00:00.000Z',
      request: { method: 'GET', url: 'https://s.example/wp-json/wc/v3/products?consumer_key=ck_…ab12cd3&consumer_secret=cs_••••••••', headers: [['Accept', '*/*']], bodyBytes: 0 },
      response: { status: 200, statusText: 'OK', headers, body: new Uint8Array(), bodyBytes: 0, truncated: false, contentType: 'application/json', ...over },
      redirects: [],
      timings: { total: 12.34, connect: 1, tls: 2, firstByte: 8 },
    });
    const body = (s: string) => ({ body: Buffer.from(s), bodyBytes: Buffer.byteLength(s) });

    it('masks the store\'s secrets in the body, headers and exchange, and leaves the body out of the exchange', () => {
      const v = responseView(exchange({ ...body(`{"echo":"${CS}"}`) }, [['Link', `<https://s.example/x?consumer_secret=${CS}>; rel="next"`], ['X-WP-TotalPages', '2']]), { maxBodyBytes: 1e6, secrets: [CK, CS] });
      const posted = JSON.stringify(v);
      assert.ok(!posted.includes(CS) && !posted.includes(CK), posted);
      assert.strictEqual(v.body.kind, 'json');
      assert.match(v.exchange, /body: \d+ B, shown in the Body tab/);
      assert.deepStrictEqual(v.timings.map((t) => t.phase), ['Connect', 'TLS', 'First byte']);
      assert.strictEqual(v.pagination?.totalPages, 2);
    });

    it('the Exchange tab\'s header line counts the body\'s bytes (it said "0 B" for a 2,196-byte body)', () => {
      const v = responseView(exchange({ ...body(JSON.stringify([{ name: 'x'.repeat(2183) }])) }), { maxBodyBytes: 1e6, secrets: [] });
      const headLine = v.exchange.split('\n')[1]!;
      assert.match(headLine, / · 2\.1 KB$/, headLine);
      assert.match(v.exchange, /\(body: 2\.1 KB, shown in the Body tab\)\n$/);
    });

    it('shows images, flags HTML, describes binary bodies and offers large ones to an editor', () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const img = responseView(exchange({ body: png, bodyBytes: png.length, contentType: 'image/png' }), { maxBodyBytes: 1e6, secrets: [] });
      assert.strictEqual(img.body.kind, 'image');
      assert.match((img.body as { dataUri: string }).dataUri, /^data:image\/png;base64,iVBORw0KGgo/);
      const html = responseView(exchange({ ...body('<!DOCTYPE html><html><body>Log in</body></html>'), contentType: 'text/html; charset=UTF-8' }), { maxBodyBytes: 1e6, secrets: [] });
      assert.strictEqual(html.body.kind, 'html');
      assert.match((html.body as { note: string }).note, /HTML page, not JSON/);
      const bin = responseView(exchange({ body: Buffer.from([0, 1, 2, 3, 255]), bodyBytes: 5, contentType: 'application/octet-stream' }), { maxBodyBytes: 1e6, secrets: [] });
      assert.strictEqual(bin.body.kind, 'binary');
      const large = responseView(exchange({ ...body(JSON.stringify({ a: 'x'.repeat(3000) })) }), { maxBodyBytes: 1000, secrets: [] });
      assert.strictEqual(large.body.kind, 'too-large');
      assert.ok(!('text' in large.body));
    });

    it('the Auth tab gets the method and the key\'s last 7 characters, never a secret', () => {
      const store: Store = { id: 's', name: 's', baseUrl: 'https://s.example', authMethod: 'wc-basic' };
      const a = authSummary(store, { consumerKey: CK, consumerSecret: CS });
      assert.strictEqual(a.key, `…${CK.slice(-7)}`);
      assert.deepStrictEqual(a.alternatives.map((x) => x.value), ['wc-basic', 'wc-query', 'wc-oauth1', 'none']);
      const text = JSON.stringify(a);
      assert.ok(!text.includes(CS) && !text.includes(CK));
      assert.match(authSummary(store, undefined).missing!, /Edit Store/);
      const app = authSummary({ ...store, authMethod: 'app-password', username: 'shop_manager' }, { applicationPassword: 'abcd efgh ijkl mnop qrst uvwx' });
      assert.strictEqual(app.user, 'shop_manager');
      assert.ok(!JSON.stringify(app).includes('abcd efgh'));
    });

    it('findings carry words and fix titles, with secrets masked', () => {
      const views = findingViews([{ cause: 'wrong-consumer-secret', title: `t ${CS}`, explanation: 'e', evidence: [`ev ${CK}`], confidence: 'certain', fixes: [{ id: 're-enter-keys', title: 'Re-enter', preferred: true }] }], [CK, CS]);
      assert.ok(!JSON.stringify(views).includes(CS) && !JSON.stringify(views).includes(CK));
      assert.deepStrictEqual(views[0]!.fixes, [{ title: 'Re-enter', preferred: true }]);
    });
  });

  describe('history', () => {
    const req: RunnerRequest = {
      store: 'shop', method: 'POST', path: 'wc/v3/products',
      query: [{ name: 'consumer_key', value: CK, enabled: true }, { name: 'consumer_secret', value: CS, enabled: true }, { name: 'status', value: 'draft', enabled: true }],
      headers: [{ name: 'Authorization', value: 'Basic eHh4Onl5eQ==', enabled: true }, { name: 'X-Note', value: `uses ${CS}`, enabled: true }],
      body: { kind: 'json', text: `{"name":"Tee","password":"hunter22"}` },
      auth: 'store',
    };
    it('keeps the request without credentials', () => {
      const h = historyRequest(req, [CK, CS]);
      const text = JSON.stringify(h);
      assert.ok(!text.includes(CS) && !text.includes(CK) && !text.includes('eHh4Onl5eQ') && !text.includes('hunter22'), text);
      assert.deepStrictEqual(h.query.map((q) => q.name), ['status']);
      assert.deepStrictEqual(h.headers.map((x) => x.name), ['X-Note']);
      assert.match(h.body.text, /"name":"Tee"/);
    });
    it('is capped, newest first, searchable, and reads back only well-formed entries', () => {
      let list: HistoryEntry[] = [];
      for (let i = 0; i < 8; i++) list = addToHistory(list, { id: String(i), time: new Date(i * 1000).toISOString(), request: { ...blankRequest('shop'), path: i % 2 ? 'wc/v3/orders' : 'wc/v3/products' }, storeName: 'shop', status: i === 3 ? 401 : 200 }, 5);
      assert.deepStrictEqual(list.map((e) => e.id), ['7', '6', '5', '4', '3']);
      assert.deepStrictEqual(searchHistory(list, 'orders 401').map((e) => e.id), ['3']);
      assert.deepStrictEqual(searchHistory(list, '').length, 5);
      assert.deepStrictEqual(readHistory([...list, { id: 1 }, null, 'x']).length, 5);
      assert.deepStrictEqual(readHistory({}), []);
    });
  });

  it('a request saved to .http with auth "none" says @no-auth, and form fields become the body', () => {
    const store: Store = { id: 'shop', name: 'shop', baseUrl: 'https://s.example', authMethod: 'wc-basic' };
    const block = toHttpBlock({ ...blankRequest('shop'), method: 'POST', path: 'wc/v3/products', auth: 'none', body: { kind: 'form', text: '', fields: [{ name: 'name', value: 'T ee', enabled: true }, { name: 'x', value: '1', enabled: false }] } }, store);
    const parsed = parseHttpDocument(block).requests[0]!;
    assert.ok(parsed.metadata.entries.some((e) => e.key === 'no-auth'));
    assert.match(block, /\nname=T%20ee\n$/);
    assert.match(block, /Content-Type: application\/x-www-form-urlencoded/);
  });

  describe('against the sandbox store', () => {
    let sandbox: RunningSandbox;
    const rw = seed.keys.find((k) => k.permissions === 'read_write')!;
    const secrets = { consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret };
    let store: Store;
    before(async () => {
      sandbox = await startSandbox({ seed: seed as never });
      store = { id: 'sb', name: 'sandbox', baseUrl: sandbox.httpsUrl, authMethod: 'wc-basic' };
    });
    after(() => sandbox.stop());
    const opts = () => ({ ca: sandbox.certificatePem });

    it('routes come from the store\'s own wc/v3 index, with path parameters and body fields', async () => {
      const r = await runRunnerRequest({ ...blankRequest('sb'), path: 'wc/v3', auth: 'none' }, store, undefined, { ...opts() });
      assert.strictEqual(r.exchange?.response?.status, 200);
      const routes = routesFromIndex(JSON.parse(Buffer.from(r.exchange!.response!.body).toString('utf8')))!;
      const item = routes.find((x) => x.path === 'wc/v3/products/{id}');
      assert.ok(item, routes.map((x) => x.path).join(', '));
      assert.ok(item.methods.includes('DELETE') && item.methods.includes('PUT'));
      assert.ok(!(item.args.PUT ?? []).some((a) => a.name === 'id'), 'the path parameter is not a body field');
      assert.ok((routes.find((x) => x.path === 'wc/v3/products')!.args.POST ?? []).some((a) => a.name === 'regular_price'));
      assert.ok((routes.find((x) => x.path === 'wc/v3/products')!.args.GET ?? []).some((a) => a.name === 'per_page'));
      assert.strictEqual(routeShape('/wc/v3/products/(?P<product_id>[\\d]+)/variations/(?P<id>[\\d]+)'), 'wc/v3/products/{product_id}/variations/{id}');
      assert.ok(catalogueRoutes().some((x) => x.path === 'wc/v3/orders/{id}'));
      assert.strictEqual(routesFromIndex({ code: 'rest_no_route' }), undefined);
    });

    it('a typed "Authorization: Basic user:pass" goes out base64-encoded, its password masked', async () => {
      const admin = seed.users.find((u) => u.role === 'administrator')!;
      const password = admin.application_passwords![0];
      const r = await runRunnerRequest({ ...blankRequest('sb'), path: 'wc/v3/products', headers: [{ name: 'Authorization', value: `Basic ${admin.login}:${password}`, enabled: true }] }, store, secrets, opts());
      assert.strictEqual(r.exchange?.response?.status, 200);
      assert.ok(!JSON.stringify(r.exchange).includes(password));
      assert.ok(r.applied?.secrets.includes(password));
      // Copy as cURL names it for what it is, not as the store's key.
      const typed = { ...blankRequest('sb'), path: 'wc/v3/products', headers: [{ name: 'Authorization', value: `Basic ${admin.login}:${password}`, enabled: true }] };
      const prepared = await prepareRunnerRequest(typed, store, secrets);
      const curl = toCurl({ method: 'GET', url: prepared.applied.request.url, headers: prepared.applied.request.headers }, prepared.applied, { store, typedSecrets: prepared.typedSecrets });
      assert.ok(curl.includes(` -u '${admin.login}:'"$WOO_PASSWORD"`), curl);
      assert.ok(!curl.includes(password));
    });

    it('sends with the store\'s auth, or the per-request override; none gets the 401 a stranger gets, explained', async () => {
      const ok = await runRunnerRequest({ ...blankRequest('sb'), path: 'wc/v3/products', query: [{ name: 'per_page', value: '2', enabled: true }] }, store, secrets, opts());
      assert.strictEqual(ok.exchange?.response?.status, 200);
      assert.strictEqual(ok.authMethod, 'wc-basic');
      assert.ok(ok.exchange!.request.headers.some(([n, v]) => n === 'Authorization' && !v.includes(rw.consumer_secret)), 'recorded Authorization is masked');
      const v = responseView(ok.exchange!, { maxBodyBytes: 1e7, secrets: ok.applied!.secrets });
      assert.ok(v.pagination && v.pagination.totalPages! >= 2, JSON.stringify(v.pagination));
      const q = await runRunnerRequest({ ...blankRequest('sb'), path: 'wc/v3/products', auth: 'wc-query' }, store, secrets, opts());
      assert.strictEqual(q.exchange?.response?.status, 200);
      assert.ok(q.exchange!.request.url.includes('consumer_key=') && !q.exchange!.request.url.includes(rw.consumer_secret));
      const none = await runRunnerRequest({ ...blankRequest('sb'), path: 'wc/v3/products', auth: 'none' }, store, secrets, opts());
      assert.strictEqual(none.exchange?.response?.status, 401);
      const findings = explainExchange({ exchange: none.exchange!, store, authMethod: none.authMethod, applied: none.applied });
      assert.strictEqual(findings[0]?.cause, 'no-credentials');
    });

    it('form bodies are signed into OAuth 1.0a; multipart bodies carry the file; holes and bad JSON are not sent', async () => {
      const oauth = { ...store, baseUrl: sandbox.httpUrl, authMethod: 'wc-oauth1' as const };
      const form = await runRunnerRequest({ ...blankRequest('sb'), method: 'POST', path: 'wc/v3/products', body: { kind: 'form', text: '', fields: [{ name: 'name', value: 'Form tee', enabled: true }, { name: 'regular_price', value: '9.50', enabled: true }] } }, oauth, secrets, {});
      assert.strictEqual(form.exchange?.response?.status, 201, Buffer.from(form.exchange?.response?.body ?? []).toString());
      assert.strictEqual(JSON.parse(Buffer.from(form.exchange!.response!.body).toString()).name, 'Form tee');

      const prepared = await prepareRunnerRequest({ ...blankRequest('sb'), method: 'POST', path: 'wp/v2/media', body: { kind: 'multipart', text: '', fields: [{ name: 'title', value: 'Logo', enabled: true }, { name: 'file', value: '', enabled: true, file: '/x/logo.png' }] } }, store, secrets, { boundary: 'B', readFile: async (p) => Buffer.from(`bytes of ${p}`) });
      const sent = Buffer.from(prepared.plain.body as Uint8Array).toString();
      assert.strictEqual(sent, '--B\r\nContent-Disposition: form-data; name="title"\r\n\r\nLogo\r\n--B\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\nbytes of /x/logo.png\r\n--B--\r\n');
      assert.ok(prepared.plain.headers.some(([n, v]) => n === 'Content-Type' && v === 'multipart/form-data; boundary=B'));

      const hole = await runRunnerRequest({ ...blankRequest('sb'), path: 'wc/v3/products/{id}' }, store, secrets, opts());
      assert.match(hole.notSent!, /fill in \{id\}/);
      const badJson = await runRunnerRequest({ ...blankRequest('sb'), method: 'POST', path: 'wc/v3/products', body: { kind: 'json', text: '{"name": }' } }, store, secrets, opts());
      assert.match(badJson.notSent!, /does not parse at line 1/);
      const noStore = await runRunnerRequest({ ...blankRequest(), path: 'wc/v3/products' }, undefined, undefined, opts());
      assert.match(noStore.notSent!, /Pick a store/);
      // A full URL to another origin typed into the path: the store's credentials stay out.
      const foreign = await prepareRunnerRequest({ ...blankRequest('sb'), path: 'https://elsewhere.example/wp-json/wc/v3/products' }, store, secrets);
      assert.ok(!foreign.applied.request.headers.some(([n]) => n.toLowerCase() === 'authorization'), 'no Authorization header');
      assert.deepStrictEqual(foreign.applied.secrets, []);
      assert.match(foreign.applied.added[0]!, /not the address of store "sandbox"/);
      const same = await prepareRunnerRequest({ ...blankRequest('sb'), path: `${sandbox.httpsUrl.replace(/\/$/, '')}/wp-json/wc/v3/products` }, store, secrets);
      assert.ok(same.applied.request.headers.some(([n]) => n === 'Authorization'), 'the store\'s own address gets its credentials');
      const home = await prepareRunnerRequest({ ...blankRequest('sb'), path: 'https://www.shop.example/wp-json/wc/v3/products' }, { ...store, options: { homeUrl: 'https://www.shop.example' } }, secrets);
      assert.ok(home.applied.request.headers.some(([n]) => n === 'Authorization'), 'so does its Home URL');
    });
  });
});

describe('a runner tab\'s title', () => {
  it('comes from its path: the route below wc/v3/ (or /wp-json/ of a whole address); a blank one is a new request', () => {
    assert.strictEqual(runnerTitle({ method: 'GET', path: 'wc/v3/products/10' }), 'GET products/10');
    assert.strictEqual(runnerTitle({ method: 'POST', path: 'https://shop.example/wp-json/wc/v3/orders?x=1' }), 'POST orders');
    assert.strictEqual(runnerTitle({ method: 'GET', path: 'https://shop.example/shop/wp-json/wp/v2/users' }), 'GET wp/v2/users');
    assert.strictEqual(runnerTitle(blankRequest('s')), 'New request');
    assert.strictEqual(runnerTitle({ method: 'GET', path: 'wc/v3/' + 'a'.repeat(60) }).length, 40);
  });
});

describe('the runner page\'s icons', () => {
  it('are codicons from the shipped font (font-src the webview\'s own origin), not Unicode glyphs', () => {
    const html = runnerHtml({ cspSource: 'https://webview.example', nonce: 'N0nce', script: 'https://webview.example/runner.js', style: 'https://webview.example/runner.css', codicons: 'https://webview.example/codicon.css' });
    assert.match(html, /font-src https:\/\/webview\.example;/);
    assert.match(html, /<link rel="stylesheet" href="https:\/\/webview\.example\/codicon\.css">/);
    for (const glyph of ['☰', '‹', '›']) assert.ok(!html.includes(glyph), glyph);
    assert.match(html, /codicon-menu/);
    // The page's script builds its buttons with codicons too (history's Send again and remove, a row's remove).
    const page = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'media', 'runner.ts'), 'utf8');
    assert.ok(!/textContent: '(▶|×)', title/.test(page), 'no glyph buttons in media/runner.ts');
    // The font and its stylesheet are shipped with the bundle.
    const dist = path.join(__dirname, '..', '..', '..', 'dist', 'media');
    for (const f of ['codicon.css', 'codicon.ttf']) assert.ok(fs.existsSync(path.join(dist, f)), f);
  });
});
