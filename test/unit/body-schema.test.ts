// SPEC §11: JSON bodies checked against the store's own route description (OPTIONS), on the
// sandbox store over loopback. The checker is judged by the store: every body it calls wrong, the
// sandbox refuses with 400 for the same field; every body it accepts (warnings aside), the sandbox takes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../src/sandbox';
import { checkJsonBody, completeJsonBody, explainInvalidParam, routeSpecsFromIndex, endpointFor, type RouteSpec } from '../../src/core/schema/body-check';
import { endpointOf, fetchRouteSpec, restPathOf, routeShapeOf, RouteSpecCache } from '../../src/core/schema/store-schema';
import { send, closeConnections } from '../../src/core/send';
import type { Store } from '../../src/core/store';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('bodies checked against the store\'s schema (SPEC §11)', function () {
  this.timeout(30000);
  const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sandbox-seed.json'), 'utf8'));
  const rw = seed.keys.find((k: { permissions: string }) => k.permissions === 'read_write');
  let sandbox: RunningSandbox;
  let store: Store;
  let products: RouteSpec;
  let customers: RouteSpec;

  before(async () => {
    sandbox = await startSandbox({ seed });
    store = { id: 'sb', name: 'sb', baseUrl: sandbox.httpUrl, authMethod: 'wc-basic' } as Store;
    products = (await fetchRouteSpec(store, 'wc/v3/products'))!;
    customers = (await fetchRouteSpec(store, 'wc/v3/customers'))!;
  });
  after(async () => {
    await sandbox.stop();
    await closeConnections();
  });

  /** What the sandbox says to the body, with the read/write key over Basic (HTTPS, as WooCommerce requires). */
  async function post(route: string, body: string): Promise<{ status: number; json: { code?: string; data?: { params?: unknown } } }> {
    const ex = await send({ method: 'POST', url: `${sandbox.httpsUrl}/wp-json/wc/v3/${route}`, headers: [['Content-Type', 'application/json'], ['Authorization', `Basic ${Buffer.from(`${rw.consumer_key}:${rw.consumer_secret}`).toString('base64')}`]], body }, { secrets: [rw.consumer_secret], tls: { verify: true, ca: sandbox.certificatePem } });
    return { status: ex.response!.status, json: JSON.parse(Buffer.from(ex.response!.body).toString('utf8')) };
  }

  it('reads the route\'s description with OPTIONS, without credentials, per endpoint', () => {
    assert.equal(products.pattern, 'wc/v3/products');
    const create = endpointOf(products, 'POST')!;
    assert.deepEqual(create.args.type?.enum, ['simple', 'grouped', 'external', 'variable']);
    assert.equal(create.args.regular_price?.type, 'string');
    assert.equal(endpointOf(customers, 'POST')!.args.email?.required, true);
    assert.equal(routeShapeOf('/wc/v3/products/12?x=1'), 'wc/v3/products/{}');
    assert.equal(routeShapeOf('wc/v3/products/{{id}}'), 'wc/v3/products/{}');
    assert.equal(restPathOf('{{$store.url}}/wp-json/wc/v3/products/{{id}}?force=true'), 'wc/v3/products/{{id}}');
  });

  const CASES: { name: string; route: 'products' | 'customers'; body: string; problems: [string, string, string][] }[] = [
    { name: 'a valid product', route: 'products', body: '{"name": "Schema Tee", "type": "simple", "regular_price": "9.99", "categories": [{"id": 9}]}', problems: [] },
    { name: 'a price as a number', route: 'products', body: '{"name": "T", "regular_price": 9.99}', problems: [['wrong-type', 'regular_price', '9.99']] },
    { name: 'a type outside the enum', route: 'products', body: '{"name": "T", "type": "bundle"}', problems: [['not-in-enum', 'type', '"bundle"']] },
    { name: 'a status outside the enum', route: 'products', body: '{"status": "published"}', problems: [['not-in-enum', 'status', '"published"']] },
    { name: 'a boolean as a string WordPress accepts', route: 'products', body: '{"name": "T", "featured": "true", "stock_quantity": "5"}', problems: [] },
    { name: 'a boolean WordPress does not accept', route: 'products', body: '{"featured": "yes"}', problems: [['wrong-type', 'featured', '"yes"']] },
    { name: 'an integer that is a fraction', route: 'products', body: '{"stock_quantity": 2.5}', problems: [['wrong-type', 'stock_quantity', '2.5']] },
    { name: 'a nested field of the wrong type', route: 'products', body: '{"dimensions": {"width": 2}}', problems: [['wrong-type', 'dimensions[width]', '2']] },
    { name: 'an array item of the wrong type', route: 'products', body: '{"categories": [{"id": "nine"}]}', problems: [['wrong-type', 'categories[0][id]', '"nine"']] },
    { name: 'an unknown field (ignored by WordPress: a warning)', route: 'products', body: '{"name": "T", "regularPrice": "1"}', problems: [['unknown-field', 'regularPrice', '"regularPrice"']] },
    { name: 'a customer without its required email', route: 'customers', body: '{"first_name": "Ann"}', problems: [['missing-required', 'email', '{']] },
  ];

  for (const c of CASES) {
    it(`${c.name}: the diagnostics and the sandbox agree`, async () => {
      const spec = c.route === 'products' ? products : customers;
      const problems = checkJsonBody(c.body, endpointOf(spec, 'POST')!, spec);
      assert.deepEqual(problems.map((p) => [p.code, p.field, c.body.slice(p.start, p.end)]), c.problems);
      const answer = await post(c.route, c.body);
      const errors = problems.filter((p) => p.severity === 'error');
      if (errors.length === 0) {
        assert.ok(answer.status < 300, `the sandbox took it: ${answer.status} ${JSON.stringify(answer.json)}`);
      } else {
        assert.equal(answer.status, 400);
        const refused = answer.json.code === 'rest_missing_callback_param' ? (answer.json.data!.params as string[]) : Object.keys(answer.json.data!.params as object);
        // WordPress names the top-level arg; its details message names the nested field.
        assert.deepEqual(refused, [...new Set(errors.map((p) => p.field.split('[')[0]))]);
        const explained = explainInvalidParam(answer.json, endpointOf(spec, 'POST'));
        assert.equal(explained[0].field, errors[0].field.split('[')[0]);
        assert.ok(explained[0].rule, 'the schema rule is named');
      }
    });
  }

  it('explains a 400 rest_invalid_param with the field, WordPress\'s message and the rule', async () => {
    const answer = await post('products', '{"type": "bundle"}');
    assert.deepEqual(explainInvalidParam(answer.json, endpointOf(products, 'POST')), [
      { field: 'type', message: 'type is not one of simple, grouped, external, and variable.', rule: 'type: type string, one of simple, grouped, external, and variable', code: 'rest_not_in_enum' },
    ]);
  });

  it('completes field names where a key goes and enum values where a value goes', () => {
    const create = endpointOf(products, 'POST')!;
    const keys = completeJsonBody('{"name": "x", "', 15, create, products).map((c) => c.label);
    assert.ok(keys.includes('regular_price') && keys.includes('status'));
    assert.ok(!keys.includes('name'), 'a field already there is not offered again');
    assert.ok(!keys.includes('id'), 'the path parameter is not a body field');
    const values = completeJsonBody('{"status": ', 11, create, products).map((c) => c.insertText);
    assert.deepEqual(values, ['"draft"', '"pending"', '"private"', '"publish"', '"future"']);
    const nested = completeJsonBody('{"dimensions": {"', 17, create, products).map((c) => c.label);
    assert.deepEqual(nested.sort(), ['height', 'length', 'width']);
  });

  it('an item route: OPTIONS with an id, and the cache keys by shape', async () => {
    const item = (await fetchRouteSpec(store, 'wc/v3/products/{{id}}'))!;
    assert.equal(item.pattern, 'wc/v3/products/{}');
    const update = endpointOf(item, 'PUT')!;
    assert.deepEqual(checkJsonBody('{"name": "x", "sale_price": 5}', update, item).map((p) => [p.code, p.field]), [['wrong-type', 'sale_price']]);
    // With WordPress's own pattern (from an index), the path parameter is not a body field.
    assert.deepEqual(checkJsonBody('{"id": 5}', update, { ...item, pattern: '/wc/v3/products/(?P<id>[\\d]+)' }).map((p) => p.code), ['unknown-field']);
    const cache = new RouteSpecCache();
    cache.set('sb', 'wc/v3/products/12', item);
    assert.equal(cache.get('sb', 'wc/v3/products/{{other}}')?.spec, item);
    const copy = new RouteSpecCache();
    copy.load(JSON.parse(JSON.stringify(cache.toJSON())));
    assert.deepEqual(copy.get('sb', 'wc/v3/products/1')?.spec, item);
  });

  it('a namespace index gives every route; a path and method find their endpoint', async () => {
    const ex = await send({ method: 'GET', url: `${sandbox.httpUrl}/wp-json/wc/v3`, headers: [] });
    const routes = routeSpecsFromIndex(JSON.parse(Buffer.from(ex.response!.body).toString('utf8')));
    const hit = endpointFor(routes, 'wc/v3/products/{{id}}', 'PATCH');
    assert.equal(hit?.route.pattern, '/wc/v3/products/(?P<id>[\\d]+)');
    assert.ok(hit?.endpoint.args.regular_price);
  });
});

describe('body schema checks stay cheap', () => {
  it('leaves a body above the size limit alone (a guard against a catastrophic regression, not a timing)', async () => {
    const { MAX_CHECKED_BODY } = await import('../../src/core/schema/body-check');
    const endpoint = { methods: ['POST'], args: { name: { type: 'string' as const } } };
    const big = `{"name": 5, "pad": "${'x'.repeat(MAX_CHECKED_BODY)}"}`;
    assert.deepEqual(checkJsonBody(big, endpoint), []);
    assert.equal(checkJsonBody('{"name": 5}', endpoint).length, 1, 'the same problem in a small body is found');
  });
});
