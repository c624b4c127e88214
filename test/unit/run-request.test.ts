// The .http pipeline end to end (parse → resolve → store auth → send) against the sandbox store.
import * as assert from 'assert';
import { parseHttpDocument, requestAt } from '../../src/core/http';
import { explainExchange } from '../../src/core/explain/explain';
import { expandBasicShorthand } from '../../src/core/auth/basic';
import { namedExchangeOf, runRequest, type RunInput } from '../../src/core/run-request';
import { closeConnections } from '../../src/core/send';
import { formatExchange } from '../../src/core/exchange-format';
import type { Store, StoreSecrets } from '../../src/core/store';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import seed from '../fixtures/sandbox-seed.json';

const rw = seed.keys.find((k) => k.permissions === 'read_write')!;
const read = seed.keys.find((k) => k.permissions === 'read')!;

describe('running a .http request (core pipeline) against the sandbox store', () => {
  let sandbox: RunningSandbox;
  let stores: Store[];
  const secrets: Record<string, StoreSecrets> = {};
  const files: Record<string, string> = {};

  before(async () => {
    sandbox = await startSandbox({ seed: seed as never });
    stores = [
      { id: 'sandbox', name: 'sandbox', baseUrl: sandbox.httpsUrl, authMethod: 'wc-basic', options: { caCertificateFile: '/ca.pem' } },
      { id: 'plain', name: 'sandbox-http', baseUrl: sandbox.httpUrl, authMethod: 'wc-oauth1' },
      { id: 'readonly', name: 'read-only', baseUrl: sandbox.httpsUrl, authMethod: 'wc-query', options: { caCertificateFile: '/ca.pem' } },
    ];
    secrets.sandbox = { consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret };
    secrets.plain = secrets.sandbox;
    secrets.readonly = { consumerKey: read.consumer_key, consumerSecret: read.consumer_secret };
    files['/ca.pem'] = sandbox.certificatePem;
  });
  after(async () => { await closeConnections(); await sandbox.stop(); });

  function input(text: string, line: number, extra: Partial<RunInput> = {}): RunInput {
    const doc = parseHttpDocument(text);
    const request = requestAt(doc, line);
    assert.ok(request, `a request at line ${line}`);
    return {
      doc, request, stores,
      secretsFor: async (s) => secrets[s.id],
      variables: {},
      readBodyFile: async (p) => { if (!(p in files)) throw new Error('ENOENT'); return Buffer.from(files[p]); },
      readCaFile: async (p) => files[p],
      ...extra,
    };
  }

  it('shows values from $processEnv and $dotenv, and a body file, by their labels in the exchange, never by their value', async () => {
    const value = 'canary-process-env-3f9a1c77';
    const dot = 'canary-dotenv-b41e09d2';
    files['./order.json'] = '{"note":"from a file","secret":"' + 'x'.repeat(20) + '"}';
    const text = '@store = sandbox\n\nPOST {{$store.url}}/wp-json/wc/v3/products?search={{$processEnv WOO_TEST_SECRET}}\nContent-Type: application/json\nX-Woo-Trace: {{$processEnv WOO_TEST_SECRET}}\nX-Api-Key: {{$dotenv API_KEY}}\n\n< ./order.json\n';
    const r = await runRequest(input(text, 2, { variables: { processEnv: { WOO_TEST_SECRET: value }, dotenv: (n) => (n === 'API_KEY' ? dot : undefined) } }));
    assert.strictEqual(r.notSent, undefined, r.notSent);
    const req = r.exchange!.request;
    assert.match(req.url, /\?search=⟨\$processEnv WOO_TEST_SECRET⟩$/);
    assert.deepStrictEqual(req.headers.find(([n]) => n === 'X-Woo-Trace'), ['X-Woo-Trace', '⟨$processEnv WOO_TEST_SECRET⟩']);
    assert.deepStrictEqual(req.headers.find(([n]) => n === 'X-Api-Key'), ['X-Api-Key', '⟨$dotenv API_KEY⟩']);
    assert.strictEqual(req.body, `⟨file ./order.json (${Buffer.byteLength(files['./order.json']).toLocaleString('en-US')} B)⟩`);
    assert.strictEqual(req.bodyBytes, Buffer.byteLength(files['./order.json']), 'the size is what went out');
    const everything = JSON.stringify(r.exchange) + formatExchange(r.exchange!);
    for (const secret of [value, dot, 'from a file']) assert.ok(!everything.includes(secret), `${secret} is not shown`);
    const dotted = formatExchange(r.exchange!).split('\n').filter((l) => l.includes('••••••••'));
    assert.deepStrictEqual(dotted, ['Authorization: Basic ••••••••'], 'named, not dots (the store\'s own credentials stay masked)');
  });

  it('sends to the file\'s store with its credentials applied and masked', async () => {
    const r = await runRequest(input('@store = sandbox\n\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=2\n', 2));
    assert.strictEqual(r.notSent, undefined);
    assert.strictEqual(r.exchange?.response?.status, 200);
    assert.strictEqual(r.store?.id, 'sandbox');
    assert.ok(!JSON.stringify(r.exchange?.request).includes(rw.consumer_secret));
    assert.match(r.applied!.added[0], /Basic/);
  });

  it('says which store is unknown and does not send', async () => {
    const r = await runRequest(input('@store = nope\nGET {{$store.url}}/wp-json/\n', 1));
    assert.strictEqual(r.exchange, undefined);
    const p = r.problems.find((x) => x.code === 'unknown-store');
    assert.ok(p, JSON.stringify(r.problems));
    assert.strictEqual(p.range.start.line, 0, 'on the @store line');
    assert.match(r.notSent!, /No store is named "nope"\. Known stores: sandbox, sandbox-http, read-only/);
  });

  it('# @no-auth sends without credentials: WooCommerce answers 401 cannot_view', async () => {
    const r = await runRequest(input('@store = sandbox\n# @no-auth\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2));
    assert.strictEqual(r.exchange?.response?.status, 401);
    assert.strictEqual(JSON.parse(Buffer.from(r.exchange!.response!.body).toString()).code, 'woocommerce_rest_cannot_view');
  });

  it('keeps a store\'s credentials to its own host: a literal URL elsewhere goes without them, and the 401 says why', async () => {
    // The same sandbox under another host name: to the client, another site.
    const elsewhere = sandbox.httpUrl.replace('127.0.0.1', 'localhost');
    const r = await runRequest(input(`@store = sandbox-http\nGET ${elsewhere}/wp-json/wc/v3/products\n`, 1));
    assert.strictEqual(r.exchange?.response?.status, 401);
    assert.strictEqual(r.authMethod, 'none');
    assert.deepStrictEqual(r.applied?.secrets, []);
    assert.ok(!r.exchange!.request.url.includes('oauth_'), r.exchange!.request.url);
    assert.match(r.applied!.added[0], /localhost is not the address of store "sandbox-http"/);
    const findings = explainExchange({ exchange: r.exchange!, store: r.store, authMethod: r.authMethod, applied: r.applied });
    assert.strictEqual(findings[0]?.cause, 'no-credentials');
    assert.match(findings[0].evidence.join(' '), /go to its own address only .* this request went to localhost:/);
    // The repair is the address, not the keys: the request moved onto the store's own host.
    assert.deepStrictEqual(findings[0].fixes.map((x) => [x.id, x.preferred]), [['fix-api-path', true]]);
    const moved = (findings[0].fixes[0] as { url: string }).url;
    assert.strictEqual(moved, `${sandbox.httpUrl}/wp-json/wc/v3/products`);
    assert.strictEqual((await runRequest(input(`@store = sandbox-http\nGET ${moved}\n`, 1))).exchange?.response?.status, 200);

    // Same host, another port and scheme: still the store's site, so the credentials go.
    const otherPort = await runRequest(input(`@store = sandbox\nGET ${sandbox.httpUrl}/wp-json/\n`, 1));
    assert.strictEqual(otherPort.authMethod, 'wc-basic');
    assert.ok(otherPort.exchange?.request.headers.some(([n]) => n === 'Authorization'), 'Authorization sent to the same host');
  });

  it('writes REST Client\'s Basic shorthands out in base64, and masks the password everywhere', async () => {
    const admin = seed.users.find((u) => u.role === 'administrator')!;
    const password = admin.application_passwords![0];
    for (const written of [`Basic ${admin.login}:${password}`, `Basic ${admin.login} ${password.match(/.{4}/g)!.join(' ')}`]) {
      const r = await runRequest(input(`@store = sandbox\n# @no-auth\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\nAuthorization: ${written}\n`, 2));
      assert.strictEqual(r.exchange?.response?.status, 200, `${written.replace(password, '…')}: ${r.notSent ?? ''}`);
      assert.ok(!JSON.stringify(r.exchange).includes(password), 'the password is masked in the exchange');
      assert.ok(!JSON.stringify(r.exchange).includes(Buffer.from(`${admin.login}:${password}`).toString('base64')), 'and so is its base64');
    }
    // An encoded value, and other schemes, go as written.
    assert.strictEqual(expandBasicShorthand('Basic YWxpY2U6cHc='), undefined);
    assert.strictEqual(expandBasicShorthand('Bearer a:b'), undefined);
    assert.deepStrictEqual(expandBasicShorthand('basic alice:pa:ss'), { header: `Basic ${Buffer.from('alice:pa:ss').toString('base64')}`, password: 'pa:ss' });
  });

  it('masks the store\'s secrets in the response headers too (WordPress echoes the query in Link)', async () => {
    const r = await runRequest(input('@store = read-only\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n', 1));
    assert.strictEqual(r.exchange?.response?.status, 200);
    const link = r.exchange!.response!.headers.find(([n]) => n === 'link')?.[1] ?? '';
    assert.match(link, /consumer_secret=cs_/, `the sandbox echoes the credentials in Link: ${link}`);
    assert.ok(!JSON.stringify(r.exchange).includes(read.consumer_secret), link);
    assert.ok(!JSON.stringify(r.exchange).includes(read.consumer_key), link);
  });

  it('a URL without a scheme is not sent, and the message masks the secrets it holds', async () => {
    const r = await runRequest(input(`@store = sandbox\n@tok = ${rw.consumer_secret}\nGET 127.0.0.1/wp-json/wc/v3/orders?token={{tok}}\n`, 2));
    assert.strictEqual(r.exchange, undefined);
    assert.match(r.notSent ?? '', /is not a valid URL/);
    assert.ok(!JSON.stringify(r.notSent).includes(rw.consumer_secret), r.notSent);
    assert.ok(!JSON.stringify(r.applied ?? {}).includes(rw.consumer_secret));
  });

  it('a hand-written Authorization header wins over the store; the 401 explanation offers to drop it, not to repair the store', async () => {
    const wrong = `Basic ${Buffer.from(`${read.consumer_key}:cs_${'0'.repeat(40)}`).toString('base64')}`;
    const text = `@store = sandbox\n\nGET {{$store.url}}/wp-json/wc/v3/products\nAuthorization: ${wrong}\n`;
    const r = await runRequest(input(text, 2, {}));
    assert.strictEqual(r.exchange?.response?.status, 401);
    assert.strictEqual(r.applied?.ownAuthorization, true);
    const findings = explainExchange({ exchange: r.exchange!, store: r.store, authMethod: r.authMethod, applied: r.applied });
    assert.ok(findings.length > 0);
    for (const f of findings) {
      assert.strictEqual(f.fixes[0].id, 'remove-own-authorization', `${f.cause}: ${f.fixes.map((x) => x.id).join(', ')}`);
      assert.strictEqual(f.fixes[0].preferred, true);
      assert.ok(!f.fixes.some((x) => ['switch-to-oauth1', 'switch-to-query-auth', 're-enter-keys'].includes(x.id)), `${f.cause}: no store repair offered`);
      assert.ok(f.evidence.some((e) => /sets its own Authorization header/.test(e)));
    }
    // What the fix does: the header line goes, and the store's credentials apply.
    const fixed = await runRequest(input(text.replace(/^Authorization:.*\n/m, ''), 2, {}));
    assert.strictEqual(fixed.exchange?.response?.status, 200);
  });

  it('# @store and "Send with store…" pick another store; a read key cannot write', async () => {
    const text = '@store = sandbox\n# @store read-only\nPOST {{$store.url}}/wp-json/wc/v3/products\nContent-Type: application/json\n\n{"name":"x"}\n';
    const r = await runRequest(input(text, 2));
    assert.strictEqual(r.store?.id, 'readonly');
    assert.strictEqual(r.exchange?.response?.status, 401);
    assert.match(Buffer.from(r.exchange!.response!.body).toString(), /does not have write permissions/);
    const override = await runRequest(input(text, 2, { storeOverride: 'sandbox' }));
    assert.strictEqual(override.exchange?.response?.status, 201);
  });

  it('reads < and <@ file bodies, substituting variables in <@ only', async () => {
    files['./new.json'] = '{"name":"{{productName}}","type":"simple"}';
    const literal = await runRequest(input('@store = sandbox\n@productName = Literal\nPOST {{$store.url}}/wp-json/wc/v3/products\nContent-Type: application/json\n\n< ./new.json\n', 2));
    assert.strictEqual(JSON.parse(Buffer.from(literal.exchange!.response!.body).toString()).name, '{{productName}}');
    const processed = await runRequest(input('@store = sandbox\n@productName = From Variables\nPOST {{$store.url}}/wp-json/wc/v3/products\nContent-Type: application/json\n\n<@ ./new.json\n', 2));
    assert.strictEqual(processed.exchange?.response?.status, 201);
    assert.strictEqual(JSON.parse(Buffer.from(processed.exchange!.response!.body).toString()).name, 'From Variables');
    const missing = await runRequest(input('@store = sandbox\nPOST {{$store.url}}/wp-json/wc/v3/products\n\n< ./missing.json\n', 1));
    assert.match(missing.notSent!, /body file "\.\/missing\.json" cannot be read/);
  });

  it('OAuth 1.0a over HTTP signs a form POST, and named responses chain into the next request', async () => {
    const text = [
      '@store = sandbox-http',
      '### create',
      '# @name created',
      'POST {{$store.url}}/wp-json/wc/v3/products',
      'Content-Type: application/x-www-form-urlencoded',
      '',
      'name=Chained+Tee&type=simple&regular_price=12.50',
      '',
      '### read it back',
      'GET {{$store.url}}/wp-json/wc/v3/products/{{created.response.body.$.id}}',
    ].join('\n');
    const first = await runRequest(input(text, 3));
    assert.strictEqual(first.exchange?.response?.status, 201, Buffer.from(first.exchange?.response?.body ?? []).toString());
    const named = new Map([['created', namedExchangeOf(first.exchange!)!]]);
    const second = await runRequest(input(text, 9, { variables: { namedResponses: named } }));
    assert.strictEqual(second.exchange?.response?.status, 200);
    assert.strictEqual(JSON.parse(Buffer.from(second.exchange!.response!.body).toString()).name, 'Chained Tee');
  });

  it('an unknown variable is sent as written (REST Client does the same) with a warning pointing at it', async () => {
    const r = await runRequest(input('@store = sandbox\nGET {{$store.url}}/wp-json/wc/v3/products/{{productId}}\n', 1));
    const p = r.problems.find((x) => x.code === 'unknown-variable');
    assert.ok(p && p.severity === 'warning', JSON.stringify(r.problems));
    assert.deepStrictEqual([p.range.start, p.range.end], [{ line: 1, character: 42 }, { line: 1, character: 55 }]);
    assert.strictEqual(r.exchange?.response?.status, 404);
  });
});
