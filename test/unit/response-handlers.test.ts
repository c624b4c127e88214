// SPEC §10.7: JetBrains response handlers, run isolated, only when allowed; and check.ts putting
// assertions and handlers together for one exchange.
import * as assert from 'node:assert/strict';
import { parseHttpDocument } from '../../src/core/http/parse';
import { runResponseHandler, type HandlerResponse } from '../../src/core/tests/handler-sandbox';
import { checkExchange, verdict } from '../../src/core/tests/check';
import type { Exchange } from '../../src/core/send';

const JSON_RESPONSE: HandlerResponse = { status: 200, headers: [['Content-Type', 'application/json; charset=UTF-8'], ['X-WP-Total', '3']], bodyText: '{"id":5,"name":"Tee $& $1"}' };

function exchangeOf(status: number, body: string, headers: [string, string][] = [['Content-Type', 'application/json']]): Exchange {
  return {
    startedAt: new Date(0).toISOString(),
    request: { method: 'GET', url: 'https://shop.test/wp-json/wc/v3/products/5', headers: [] },
    response: { status, statusText: status === 200 ? 'OK' : 'Unauthorized', headers, body: Buffer.from(body), bodyBytes: body.length, truncated: false, contentType: headers[0]?.[1] },
    redirects: [],
    timings: { total: 40, firstByte: 30 },
  } as unknown as Exchange;
}

describe('response handlers (SPEC §10.7)', function () {
  this.timeout(20000);

  it('client.test / client.assert / response.* / client.global, as JetBrains names them', async () => {
    const o = await runResponseHandler({
      origin: 'h',
      response: JSON_RESPONSE,
      globals: { before: 'x' },
      source: `
        client.test("status is 200", function () { client.assert(response.status === 200, "status " + response.status); });
        client.test("body parsed", function () { client.assert(response.body.id === 5 && response.body.name === "Tee $& $1", "body"); });
        client.test("headers", function () { client.assert(response.headers.valueOf("x-wp-total") === "3"); client.assert(response.contentType.mimeType === "application/json"); client.assert(response.contentType.charset === "UTF-8"); });
        client.test("fails", function () { client.assert(response.body.id === 6, "id was " + response.body.id); });
        client.global.set("productId", response.body.id);
        client.log("seen", client.global.get("before"));`,
    });
    assert.deepEqual(o.tests, [
      { name: 'status is 200', passed: true },
      { name: 'body parsed', passed: true },
      { name: 'headers', passed: true },
      { name: 'fails', passed: false, message: 'id was 5' },
    ]);
    assert.deepEqual(o.globals, { before: 'x', productId: '5' });
    assert.deepEqual(o.logs, ['seen x']);
    assert.equal(o.error, undefined);
  });

  it('has no require, process, timers, eval or Function, and no way out through constructors', async () => {
    const o = await runResponseHandler({
      origin: 'h',
      response: JSON_RESPONSE,
      globals: {},
      source: `client.test("isolated", function () {
        client.assert(typeof require === "undefined", "require");
        client.assert(typeof process === "undefined", "process");
        client.assert(typeof setTimeout === "undefined", "setTimeout");
        var escaped = false;
        try { escaped = !!client.test.constructor("return this")(); } catch (e) { escaped = false; }
        client.assert(!escaped, "Function constructor");
        try { eval("1"); escaped = true; } catch (e) {}
        client.assert(!escaped, "eval");
      });`,
    });
    assert.deepEqual(o.tests, [{ name: 'isolated', passed: true }]);
    const out = await runResponseHandler({ origin: 'h', response: JSON_RESPONSE, globals: {}, source: 'this.constructor.constructor("return process")().exit(1)' });
    assert.match(out.error ?? '', /Code generation from strings disallowed/);
  });

  it('stops an infinite loop, a promise loop and a huge allocation, and goes on working', async () => {
    const loop = await runResponseHandler({ origin: 'loop.js', response: JSON_RESPONSE, globals: {}, source: 'while (true) {}', timeoutMs: 300 });
    assert.equal(loop.error, 'loop.js: timed out after 300 ms');
    const micro = await runResponseHandler({ origin: 'p.js', response: JSON_RESPONSE, globals: {}, source: 'Promise.resolve().then(function l() { return Promise.resolve().then(l); })', timeoutMs: 300 });
    assert.match(micro.error ?? '', /timed out/);
    const mem = await runResponseHandler({ origin: 'mem.js', response: JSON_RESPONSE, globals: {}, source: 'var a = []; while (true) a.push(new Array(1e6).fill(1));', memoryMb: 32, timeoutMs: 10000 });
    assert.match(mem.error ?? '', /mem\.js used more than 32 MB|timed out/);
    const after = await runResponseHandler({ origin: 'h', response: JSON_RESPONSE, globals: {}, source: 'client.test("ok", function () {})' });
    assert.deepEqual(after.tests, [{ name: 'ok', passed: true }]);
  });

  it('refuses a body above the limit without starting a worker', async () => {
    const o = await runResponseHandler({ origin: 'h', response: { ...JSON_RESPONSE, bodyText: 'x'.repeat(10 * 1024 * 1024 + 1) }, globals: {}, source: 'client.test("x", function(){})' });
    assert.match(o.error ?? '', /larger than 10 MB/);
  });
});

describe('checkExchange: assertions and handlers of one request', function () {
  this.timeout(20000);
  const text = 'GET https://shop.test/wp-json/wc/v3/products/5\n\n?? status == 200\n?? body $.id == 5\n\n> {%\nclient.test("named", function () { client.assert(response.body.id === 5); });\nclient.global.set("id", response.body.id);\n%}\n';

  it('runs the handler when scripts are allowed: results in line order, globals kept', async () => {
    const req = parseHttpDocument(text).requests[0];
    const globals: Record<string, string> = {};
    const results = await checkExchange(req, exchangeOf(200, '{"id":5}'), { allowScripts: true, globals });
    assert.deepEqual(results.map((r) => [r.kind, r.label, r.passed, r.range.start.line]), [
      ['assertion', 'status == 200', true, 2],
      ['assertion', 'body $.id == 5', true, 3],
      ['handler', 'named', true, 5],
    ]);
    assert.deepEqual(globals, { id: '5' });
    assert.equal(verdict(results), 'passed');
  });

  it('lists the handler as skipped when the workspace is not trusted, never running it', async () => {
    const req = parseHttpDocument(text).requests[0];
    const globals: Record<string, string> = {};
    const results = await checkExchange(req, exchangeOf(200, '{"id":5}'), { allowScripts: false, globals });
    const handler = results.find((r) => r.kind === 'handler')!;
    assert.equal(handler.skipped, true);
    assert.match(handler.message, /not trusted/);
    assert.deepEqual(globals, {}, 'the handler did not run');
    assert.equal(verdict(results), 'passed');
  });

  it('a failed status assertion on a 401 carries the explainer\'s cause and fixes', async () => {
    const req = parseHttpDocument('GET https://shop.test/x\n\n?? status == 200\n').requests[0];
    const findings = [{ cause: 'wrong-key', title: 'The consumer key is wrong', explanation: 'e', evidence: [], confidence: 'likely', fixes: [{ title: 'Re-enter the keys' }] }];
    const results = await checkExchange(req, exchangeOf(401, '{"code":"woocommerce_rest_cannot_view"}'), { allowScripts: false, findings: findings as never });
    assert.equal(results[0].passed, false);
    assert.deepEqual(results[0].cause, { id: 'wrong-key', title: 'The consumer key is wrong', explanation: 'e', fixes: ['Re-enter the keys'] });
    assert.equal(results[0].message, 'status (401) == 200 — The consumer key is wrong');
    assert.equal(verdict(results), 'failed');
  });

  it('a `> ./handler.js` file is read through the caller (relative to the .http file) and run the same way', async () => {
    const req = parseHttpDocument('GET https://shop.test/x\n\n> ./checks/product.js\n').requests[0];
    const asked: string[] = [];
    const results = await checkExchange(req, exchangeOf(200, '{"id":5}'), {
      allowScripts: true,
      readHandlerFile: async (p) => { asked.push(p); return 'client.test("from a file", function () { client.assert(response.body.id === 5); });'; },
    });
    assert.deepEqual(asked, ['./checks/product.js']);
    assert.deepEqual(results.map((r) => [r.kind, r.label, r.passed]), [['handler', 'from a file', true]]);
    const missing = await checkExchange(req, exchangeOf(200, '{}'), { allowScripts: true, readHandlerFile: async () => { throw new Error('ENOENT'); } });
    assert.match(missing[0].message, /The handler file \.\/checks\/product\.js cannot be read/);
    assert.equal(verdict(missing), 'failed');
  });

  it('a request that got no answer fails its assertions as not checked', async () => {
    const req = parseHttpDocument('GET https://shop.test/x\n\n?? status == 200\n').requests[0];
    const results = await checkExchange(req, undefined, { allowScripts: true });
    assert.deepEqual(results.map((r) => [r.skipped, r.message]), [[true, 'Not checked: the request was not sent.']]);
    assert.equal(verdict(results), 'failed');
  });
});
