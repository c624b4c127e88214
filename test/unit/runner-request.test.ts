// The runner panel's request model: URL, headers, JSON problems, .http blocks, cURL both ways;
// the cURL command is run for real against the sandbox with the placeholders set in its environment.
import * as assert from 'assert';
import { execFile, execFileSync } from 'child_process';
import { promisify } from 'util';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyStoreAuth } from '../../src/core/auth/apply';
import { parseHttpDocument } from '../../src/core/http';
import { bodyProblem, fromCurl, multipartBody, runnerHeaders, runnerUrl, toCurl, toHttpBlock, type RunnerRequest } from '../../src/core/runner-request';
import type { Store } from '../../src/core/store';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import seed from '../fixtures/sandbox-seed.json';

const rw = seed.keys.find((k) => k.permissions === 'read_write')!;

function request(over: Partial<RunnerRequest> = {}): RunnerRequest {
  return { method: 'GET', path: 'wc/v3/products', query: [{ name: 'per_page', value: '2', enabled: true }, { name: 'search', value: 'a b+c', enabled: true }, { name: 'page', value: '9', enabled: false }], headers: [], body: { kind: 'none', text: '' }, ...over };
}

describe('the runner request model', () => {
  const store: Store = { id: 'shop', name: 'shop', baseUrl: 'https://shop.example/', authMethod: 'wc-basic' };

  it('builds the URL on the store\'s REST base with the enabled query parameters, encoded', () => {
    assert.strictEqual(runnerUrl(request(), store), 'https://shop.example/wp-json/wc/v3/products?per_page=2&search=a%20b%2Bc');
    assert.strictEqual(runnerUrl(request({ path: '/wp-json/wc/v3/orders', query: [] }), store), 'https://shop.example/wp-json/wc/v3/orders');
    assert.strictEqual(runnerUrl(request({ path: 'https://other.example/x?y=1', query: [{ name: 'filter[q]', value: '1', enabled: true }] }), undefined), 'https://other.example/x?y=1&filter[q]=1');
    assert.throws(() => runnerUrl(request(), undefined), /Pick a store/);
  });

  it('adds the body\'s Content-Type unless set, and says where JSON breaks', () => {
    assert.deepStrictEqual(runnerHeaders(request({ body: { kind: 'json', text: '{}' } })), [['Content-Type', 'application/json']]);
    assert.deepStrictEqual(runnerHeaders(request({ headers: [{ name: 'content-type', value: 'application/json; charset=utf-8', enabled: true }], body: { kind: 'json', text: '{}' } })), [['content-type', 'application/json; charset=utf-8']]);
    assert.strictEqual(bodyProblem(request({ body: { kind: 'json', text: '{"a": 1}' } })), undefined);
    assert.match(bodyProblem(request({ body: { kind: 'json', text: '{\n  "a": 1,\n  "b": ]\n}' } }))!, /^The JSON body does not parse.*Unexpected token '\]'/);
    assert.match(bodyProblem(request({ body: { kind: 'json', text: '{"a": 1,\n "b" 2}' } }))!, /line 2, column 6/);
  });

  it('writes a .http block that names the store and uses {{$store.url}}, which our parser reads back', () => {
    const block = toHttpBlock(request({ method: 'POST', query: [], body: { kind: 'json', text: '{"name": "Tee"}' } }), store, 'Create');
    assert.strictEqual(block, '### Create\n# @store shop\nPOST {{$store.url}}/wp-json/wc/v3/products\nContent-Type: application/json\n\n{"name": "Tee"}\n');
    const parsed = parseHttpDocument(block).requests[0];
    assert.strictEqual(parsed.metadata.store, 'shop');
    assert.strictEqual(parsed.method, 'POST');
  });

  it('imports a cURL command onto a known store, leaving its credentials out', () => {
    const { request: r } = fromCurl(`curl -X POST 'https://shop.example/wp-json/wc/v3/products?per_page=5' -u ck_x:cs_y -H 'Content-Type: application/json' -H 'Authorization: Basic abc' --data-raw '{"name":"Tee"}'`, [store]);
    assert.ok(r);
    assert.strictEqual(r.store, 'shop');
    assert.strictEqual(r.path, 'wc/v3/products');
    assert.deepStrictEqual(r.query, [{ name: 'per_page', value: '5', enabled: true }]);
    // The JSON body kind sends Content-Type: application/json itself; a different type is kept.
    assert.deepStrictEqual(r.headers.map((h) => h.name), []);
    assert.deepStrictEqual(r.body, { kind: 'json', text: '{"name":"Tee"}' });
    const typed = fromCurl(`curl -X POST https://shop.example/wp-json/wc/v3/products -H 'Content-Type: application/json; charset=utf-8' -H 'X-Trace: 1' -d '{"a":1}'`, [store]).request!;
    assert.deepStrictEqual(typed.headers.map((h) => `${h.name}: ${h.value}`), ['Content-Type: application/json; charset=utf-8', 'X-Trace: 1']);
    const form = fromCurl(`curl -X POST 'https://shop.example/wp-json/wc/v3/products?consumer_key=ck_x&consumer_secret=cs_y' -H 'Content-Type: application/x-www-form-urlencoded' -d 'name=Tee&regular_price=9.99'`, [store]).request!;
    assert.deepStrictEqual(form.query, [], 'keys pasted in the query are dropped');
    assert.deepStrictEqual(form.body, { kind: 'form', text: '', fields: [{ name: 'name', value: 'Tee', enabled: true }, { name: 'regular_price', value: '9.99', enabled: true }] });
    assert.match(fromCurl('wget https://x', [store]).problem!, /not a cURL command/);
  });

  describe('cURL export, run for real against the sandbox', () => {
    let sandbox: RunningSandbox;
    let caFile: string;
    before(async () => {
      sandbox = await startSandbox({ seed: seed as never });
      caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'woo-curl-')), 'ca.pem');
      fs.writeFileSync(caFile, sandbox.certificatePem);
    });
    after(() => sandbox.stop());

    for (const authMethod of ['wc-basic', 'wc-query'] as const) {
      it(`${authMethod}: secrets become $WOO_CONSUMER_KEY / $WOO_CONSUMER_SECRET, and the command works with them set`, async function () {
        try { execFileSync('curl', ['--version'], { stdio: 'ignore' }); } catch { this.skip(); }
        const s: Store = { id: 'sb', name: 'sb', baseUrl: sandbox.httpsUrl, authMethod };
        const url = runnerUrl(request(), s);
        const applied = applyStoreAuth({ method: 'GET', url, headers: runnerHeaders(request()) }, s, { consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret });
        const command = toCurl({ ...applied.request, body: undefined }, applied, { store: s });
        assert.ok(!command.includes(rw.consumer_secret) && !command.includes(rw.consumer_key), command);
        assert.match(command, /WOO_CONSUMER_SECRET/);
        // Asynchronously: the sandbox answers from this very process.
        const { stdout } = await promisify(execFile)('sh', ['-c', `${command} --cacert ${caFile} -s -m 10 -o /dev/null -w '%{http_code}'`], { env: { ...process.env, WOO_CONSUMER_KEY: rw.consumer_key, WOO_CONSUMER_SECRET: rw.consumer_secret }, encoding: 'utf8' });
        assert.strictEqual(stdout, '200');
        const withSecrets = toCurl({ ...applied.request, body: undefined }, applied, { store: s, includeSecrets: true });
        assert.ok(withSecrets.includes(authMethod === 'wc-query' ? rw.consumer_secret : applied.request.headers.find(([n]) => n === 'Authorization')![1]));
      });
    }
  });
});

describe('multipart bodies from the runner', () => {
  const boundary = '----WooApiStudioTestBoundary';
  const hostile = request({
    method: 'POST',
    body: {
      kind: 'multipart',
      text: '',
      fields: [
        { name: 'note\r\nX-Injected: 1', value: 'line one\r\nline two', enabled: true },
        { name: 'say "hi"', value: 'quoted', enabled: true },
        { name: 'upload', value: '', file: '/tmp/evil\nname".txt', enabled: true },
      ],
    },
  });

  it('escapes CR, LF and " in field and file names as the HTML standard says, so no name adds a header or a part', async () => {
    const body = await multipartBody(hostile, boundary, () => Promise.resolve(new TextEncoder().encode('file bytes')));
    const text = body.toString('utf8');
    assert.ok(text.includes('Content-Disposition: form-data; name="note%0D%0AX-Injected: 1"\r\n'), text);
    assert.ok(text.includes('name="say %22hi%22"'), text);
    assert.ok(text.includes('filename="evil%0Aname%22.txt"'), text);
    assert.doesNotMatch(text, /^X-Injected/m);
    // Read back by a real multipart parser (Node's own, undici's, which undoes the escapes): three
    // parts with the names as typed and the values untouched.
    const form = await new Response(body, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }).formData();
    const entries = [...form.entries()];
    assert.strictEqual(entries.length, 3);
    assert.deepStrictEqual(entries.map(([name]) => name), ['note\r\nX-Injected: 1', 'say "hi"', 'upload']);
    assert.strictEqual(entries[0][1], 'line one\r\nline two');
    const file = entries[2][1] as File;
    assert.strictEqual(file.name, 'evil\nname".txt');
    assert.strictEqual(await file.text(), 'file bytes');
  });

  it('the .http block the runner saves escapes the names the same way', () => {
    const block = toHttpBlock(hostile, { id: 'shop', name: 'shop', baseUrl: 'https://shop.example/', authMethod: 'wc-basic' });
    assert.match(block, /^Content-Disposition: form-data; name="note%0D%0AX-Injected: 1"$/m);
    assert.doesNotMatch(block, /^X-Injected/m);
    assert.match(block, /filename="evil%0Aname%22\.txt"$/m);
  });
});
