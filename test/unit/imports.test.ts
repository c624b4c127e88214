// Imports into .http files on a store (a Postman collection, an OpenAPI 3 document, a HAR recording,
// the store's own routes), from fixtures written for these tests (test/fixtures/imports/): the files
// parse and lint without a problem, carry no secret, and every request sends correctly to the
// sandbox store on loopback (through the same pipeline the editor and the CLI use).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHttpDocument, type NamedExchange } from '../../src/core/http';
import { lintDocument } from '../../src/core/lint';
import { namedExchangeOf, runRequest } from '../../src/core/run-request';
import { closeConnections, send } from '../../src/core/send';
import type { Store, StoreSecrets } from '../../src/core/store';
import { ImportError, importStoreRoutes, importText, readStoreRoutes, render, type WrittenImport } from '../../src/core/import';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import seed from '../fixtures/sandbox-seed.json';
import { IMPORTS_CK, IMPORTS_CS } from '../fixtures/fake-keys';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'imports', name), 'utf8');
const rw = seed.keys.find((k) => k.permissions === 'read_write')!;

/** Everything secret the fixtures hold: none may reach a written file. */
const FIXTURE_SECRETS = [
  IMPORTS_CK, IMPORTS_CS,
  'Y2tfMDEyMzQ1Njc4OWFiY2RlZjpjc19mZWRjYmE5ODc2NTQzMjEw', 'eyJhbGciOiJIUzI1NiJ9', 'sessiontokenvalue123', '9f8e7d6c5b', 'live-abc123', 'hunter2-secret',
];

describe('imports into .http files on a store', function () {
  this.timeout(30000);
  let sandbox: RunningSandbox;
  let stores: Store[];
  const secrets: Record<string, StoreSecrets> = {};

  before(async () => {
    sandbox = await startSandbox({ seed: seed as never });
    stores = [{ id: 'shop', name: 'shop', baseUrl: sandbox.httpsUrl, authMethod: 'wc-basic', options: { caCertificateFile: '/ca.pem' } }];
    secrets.shop = { consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret };
  });
  after(async () => { await closeConnections(); await sandbox.stop(); });

  /** Parses and lints each file (no problem of any severity), then sends every request in order. */
  async function parsesAndSends(written: WrittenImport): Promise<{ file: string; line: number; method: string; status?: number; notSent?: string }[]> {
    const out: { file: string; line: number; method: string; status?: number; notSent?: string }[] = [];
    for (const f of written.files) {
      for (const s of FIXTURE_SECRETS) assert.ok(!f.text.includes(s), `${f.path} holds a secret of the source: ${s}`);
      const doc = parseHttpDocument(f.text);
      assert.deepEqual(doc.problems, [], `${f.path} parses without problems:\n${f.text}`);
      assert.equal(doc.requests.length, f.requests);
      assert.deepEqual(lintDocument(doc, stores, {}), [], `${f.path} lints clean`);
      const named = new Map<string, NamedExchange>();
      for (const request of doc.requests) {
        const r = await runRequest({ doc, request, stores, secretsFor: async (s) => secrets[s.id], variables: { namedResponses: named }, readBodyFile: async () => { throw new Error('no file'); }, readCaFile: async () => sandbox.certificatePem });
        if (r.exchange && request.name) { const n = namedExchangeOf(r.exchange); if (n) named.set(request.name, n); }
        out.push({ file: f.path, line: request.requestLineRange.start.line + 1, method: request.method, status: r.exchange?.response?.status, notSent: r.notSent });
      }
    }
    return out;
  }

  it('Postman v2.1: folders become files (deeper ones ### sections), variables file variables, auth and secrets dropped with notes', async () => {
    const result = importText('postman', fixture('woocommerce.postman_collection.json'), { storeName: 'shop' });
    const written = render(result, 'shop');
    assert.deepEqual(written.files.map((f) => [f.path, f.requests]), [['woocommerce-rest-api-shop-team.http', 1], ['products.http', 6], ['orders.http', 2], ['customers.http', 2]]);
    const products = written.files[1]!.text;
    assert.match(products, /^@store = shop\n@perPage = 5\n@customerEmail = amara\.okafor@example\.com\n@id = 10\n/m);
    assert.match(products, /^GET \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\?per_page=\{\{perPage\}\}&status=publish$/m, 'credential parameters gone');
    assert.match(products, /^GET \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\/\{\{id\}\}$/m, 'the path variable became {{id}}');
    assert.match(products, /^POST \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\nContent-Type: application\/x-www-form-urlencoded\n\nname=Form Tee\n&type=simple\n&regular_price=5\.00$/m);
    assert.doesNotMatch(products, /Authorization/i);
    assert.match(written.files[3]!.text, /^### Lookup \/ Customer by email$/m, 'a nested folder is a ### section');
    const notes = written.notes.join('\n');
    assert.match(notes, /Variable consumer_key looks secret and was not written/);
    assert.match(notes, /Postman basic auth dropped.*it held a secret, which was not written/);
    assert.match(notes, /Update price: Postman bearer auth dropped/);
    assert.match(notes, /header Authorization carried credentials and was dropped/);
    assert.match(notes, /query parameter\(s\) consumer_key, consumer_secret carried credentials/);
    assert.match(notes, /Postman scripts are not converted/);
    const sent = await parsesAndSends(written);
    assert.deepEqual(sent.filter((s) => !(s.status! >= 200 && s.status! < 300)), [], 'every request answered 2xx by the sandbox');
  });

  it('OpenAPI 3: one request per operation (files by tag), path parameters as variables, example bodies', async () => {
    const written = render(importText('openapi', fixture('woocommerce-openapi.json'), { storeName: 'shop' }), 'shop');
    assert.deepEqual(written.files.map((f) => [f.path, f.requests]), [['products.http', 5], ['orders.http', 2], ['customers.http', 1], ['woocommerce-rest-api.http', 1]]);
    const products = written.files[0]!.text;
    assert.match(products, /^@id = 12$/m);
    assert.match(products, /^GET \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\?per_page=5$/m, 'the required query parameter, with its example');
    assert.match(products, /"name": "OpenAPI Tee"/, 'the named example');
    assert.match(products, /^PUT \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\/\{\{id\}\}\nContent-Type: application\/json\n\n\{\n {2}"sale_price": "15\.00",\n {2}"stock_status": "instock"\n\}$/m, 'a body built from the schema (allOf, examples, first enum value)');
    assert.match(written.notes.join('\n'), /security schemes were not written/);
    const sent = await parsesAndSends(written);
    assert.deepEqual(sent.filter((s) => !(s.status! >= 200 && s.status! < 300)), []);
  });

  it('HAR: the session\'s REST calls in order, on the store, cookies, nonces, keys and passwords dropped', async () => {
    const written = render(importText('har', fixture('shop-session.har'), { storeName: 'shop' }), 'shop');
    assert.equal(written.files.length, 1);
    const text = written.files[0]!.text;
    assert.deepEqual(text.split('\n').filter((l) => /^(GET|POST|PUT|DELETE) /.test(l)), [
      'GET {{$store.url}}/wp-json/wc/v3/products?per_page=3&_locale=user',
      'GET {{$store.url}}/wp-json/wc/v3/orders?status=processing',
      'POST {{$store.url}}/wp-json/wc/v3/products',
      'PUT {{$store.url}}/wp-json/wc/v3/products/10',
    ]);
    assert.doesNotMatch(text, /cookie|x-wp-nonce|authorization|user-agent|:authority/i);
    const notes = written.notes.join('\n');
    assert.match(notes, /3 request\(s\) that are not REST calls/);
    assert.match(notes, /Credential headers dropped: cookie, x-wp-nonce, authorization/);
    assert.match(notes, /Credential query parameters dropped: consumer_key, consumer_secret/);
    assert.match(notes, /Secret-looking body fields dropped: api_key/);
    const sent = await parsesAndSends(written);
    assert.deepEqual(sent.map((s) => s.status), [200, 200, 201, 200]);
  });

  it('the store\'s own routes: a catalogue from /wp-json/ and OPTIONS on each route, without credentials', async () => {
    const fetched: string[] = [];
    const routes = await readStoreRoutes(async (method, p) => {
      const ex = await send({ method, url: `${sandbox.httpsUrl}/wp-json${p}`, headers: [] }, { tls: { verify: true, ca: sandbox.certificatePem } });
      fetched.push(`${method} ${p} ${ex.request.headers.some(([n]) => /authorization/i.test(n))}`);
      return JSON.parse(Buffer.from(ex.response!.body).toString('utf8'));
    });
    assert.ok(fetched.every((f) => f.endsWith('false')), 'no credentials were sent');
    assert.ok(fetched.includes('OPTIONS /wc/v3/products/1 false'));
    const written = render(importStoreRoutes(routes, { storeName: 'shop', storeUrl: sandbox.httpsUrl }), 'shop');
    const wc = written.files.find((f) => f.path === 'routes-wc-v3.http');
    assert.ok(wc, written.files.map((f) => f.path).join(', '));
    assert.match(wc.text, /^### POST wc\/v3\/customers\n# Body fields: .*email\*.*\n# @name post-wc-v3-customers\nPOST \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/customers\nContent-Type: application\/json\n\n\{\n {2}"email": "someone@example\.com"\n\}$/m);
    assert.match(wc.text, /^# Query arguments: context \(view\|edit\), page \(integer\)/m);
    assert.match(wc.text, /^GET \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\/\{\{id\}\}$/m);
    for (const f of written.files) {
      const doc = parseHttpDocument(f.text);
      assert.deepEqual(doc.problems, [], f.path);
      assert.deepEqual(lintDocument(doc, stores, {}), [], f.path);
    }
  });

  it('says what is wrong with a file that is not what it claims, never a stack trace', () => {
    assert.throws(() => importText('postman', '{"info": {}}', { storeName: 's' }), (e: Error) => e instanceof ImportError && /not a Postman collection/.test(e.message));
    assert.throws(() => importText('openapi', 'openapi: 3.0.0\npaths: {}\n', { storeName: 's' }), (e: Error) => e instanceof ImportError && /looks like YAML/.test(e.message));
    assert.throws(() => importText('har', '{"log": {"entries": [{"request": {"method": "GET", "url": "https://x.example/a.js"}}]}}', { storeName: 's' }), (e: Error) => e instanceof ImportError && /no REST call/.test(e.message));
    assert.throws(() => render({ files: [{ path: 'a.http', requests: [{ title: 't', method: 'GET', url: '{{$store.url}}/?k=ck_0123456789abcdef0123456789abcdef01234567', headers: [] }] }], notes: [] }, 's'), (e: Error) => e instanceof ImportError && /would contain a consumer key/.test(e.message));
  });
});
