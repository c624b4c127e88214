// The sandbox store beyond the 68 recorded cases: resources and pagination, writes, bad input that
// must never crash it, the misconfiguration modes (clock offset, Home URL), OAuth details (nonce,
// form bodies vs JSON, nested keys, "+" and unicode), TLS, generated credentials, CLI flags, seeds,
// and the PHP request-parsing rules it is built on.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import { parseSandboxArgs, parseSandboxSeed, startSandbox, type RunningSandbox } from '../../src/sandbox';
import { PhpFatalError, signatureBaseString, type OAuthSite } from '../../src/sandbox/oauth-verify';
import { PhpArray, phpArrayMerge, phpParseStr, phpToPlain, textToPhpBytes } from '../../src/sandbox/php-query';
import { freshNonce, oauthHeader, rfc3986, signOAuth1, toQuery, type Pair } from './helpers/oauth1-test-signer';
import { arr, basicAuth, credentials, fixtureSeed, obj, send, type Reply } from './helpers/sandbox-http';

const seed = fixtureSeed();
const { readKey, rwKey, admin, customer, adminAppPassword, customerAppPassword } = credentials(seed);
const PRODUCTS = '/wp-json/wc/v3/products';
const rw = { Authorization: basicAuth(rwKey.consumer_key, rwKey.consumer_secret) };
const customerAuth = { Authorization: basicAuth(customer.login, customerAppPassword) };

function https(sb: RunningSandbox, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Reply> {
  const isJson = body !== undefined && typeof body !== 'string';
  return send(sb.httpsUrl, {
    method,
    path,
    headers: { ...(isJson ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : isJson ? JSON.stringify(body) : (body as string),
    ca: sb.certificatePem,
  });
}

/** Sends an OAuth-signed request; `sign` overrides what the client signs, to test mismatches. */
async function oauth(
  sb: RunningSandbox,
  o: {
    scheme?: 'http' | 'https';
    method?: string;
    path: string;
    query?: Pair[];
    /** The query exactly as it goes on the wire (default: toQuery(query)). */
    wireQuery?: string;
    key?: { consumer_key: string; consumer_secret: string };
    form?: Pair[];
    signForm?: boolean;
    jsonBody?: unknown;
    signedQuery?: Pair[];
    baseUrl?: string;
    timestamp?: number;
    nonce?: string;
    order?: 'rfc' | 'woocommerce';
    inHeader?: boolean;
  },
): Promise<Reply> {
  const scheme = o.scheme ?? 'http';
  const originUrl = scheme === 'https' ? sb.httpsUrl : sb.httpUrl;
  const key = o.key ?? readKey;
  const signed = signOAuth1({
    method: o.method ?? 'GET',
    baseUrl: o.baseUrl ?? `${originUrl}${o.path}`,
    query: o.signedQuery ?? o.query,
    form: o.signForm ? o.form : undefined,
    consumerKey: key.consumer_key,
    consumerSecret: key.consumer_secret,
    timestamp: o.timestamp,
    nonce: o.nonce,
    order: o.order,
  });
  const wire = o.wireQuery ?? toQuery(o.query ?? []);
  const query = o.inHeader ? wire : [wire, toQuery(signed.oauth)].filter(Boolean).join('&');
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (o.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = toQuery(o.form);
  } else if (o.jsonBody !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(o.jsonBody);
  }
  if (o.inHeader) headers.Authorization = oauthHeader(signed.oauth);
  return send(originUrl, { method: o.method ?? 'GET', path: query ? `${o.path}?${query}` : o.path, headers, body, ca: sb.certificatePem });
}

const SIGNATURE_MISMATCH = 'Invalid signature - provided signature does not match.';

function assertError(r: Reply, status: number, code: string, message?: string): void {
  assert.equal(r.status, status, r.text.slice(0, 400));
  assert.equal(obj(r).code, code);
  if (message !== undefined) assert.equal(obj(r).message, message);
}

describe('sandbox store', function () {
  this.timeout(30_000);
  let sb: RunningSandbox;
  before(async () => {
    sb = await startSandbox({ seed });
  });
  after(async () => {
    await sb?.stop();
  });

  describe('products: listing and pagination', () => {
    it('pages the collection with X-WP-Total, X-WP-TotalPages and prev/next Link headers', async () => {
      const first = await https(sb, 'GET', `${PRODUCTS}?per_page=5`, rw);
      assert.equal(first.status, 200);
      const total = Number(first.headers['x-wp-total']);
      assert.ok(total >= 25, `a few dozen products (${total})`);
      assert.equal(first.headers['x-wp-totalpages'], String(Math.ceil(total / 5)));
      assert.equal(arr(first).length, 5);
      assert.equal(first.headers.link, `<${sb.httpsUrl}/wp-json/wc/v3/products?per_page=5&page=2>; rel="next"`);

      const second = await https(sb, 'GET', `${PRODUCTS}?per_page=5&page=2`, rw);
      assert.equal(second.headers.link, `<${sb.httpsUrl}/wp-json/wc/v3/products?per_page=5&page=1>; rel="prev", <${sb.httpsUrl}/wp-json/wc/v3/products?per_page=5&page=3>; rel="next"`);
      const firstIds = arr(first).map((p) => p.id);
      assert.ok(arr(second).every((p) => !firstIds.includes(p.id)), 'page 2 does not repeat page 1');

      // WooCommerce re-encodes the request's own query into the links (urlencode: space → '+').
      const searched = await https(sb, 'GET', `${PRODUCTS}?per_page=1&search=hoodie%20with`, rw);
      assert.equal(searched.headers.link, `<${sb.httpsUrl}/wp-json/wc/v3/products?per_page=1&search=hoodie+with&page=2>; rel="next"`);

      const lastPage = Math.ceil(total / 5);
      const last = await https(sb, 'GET', `${PRODUCTS}?per_page=5&page=${lastPage}`, rw);
      assert.match(String(last.headers.link), /rel="prev"$/);
      const beyond = await https(sb, 'GET', `${PRODUCTS}?per_page=5&page=${lastPage + 3}`, rw);
      assert.deepEqual(arr(beyond), [], 'an out-of-range page is empty');
      assert.equal(beyond.headers['x-wp-total'], String(total), 'and still counts the collection');
    });

    it('without pagination keeps the api.w.org Link; per_page defaults to 10 and is capped at 100', async () => {
      const all = await https(sb, 'GET', `${PRODUCTS}?per_page=100`, rw);
      assert.equal(all.headers.link, `<${sb.httpsUrl}/wp-json/>; rel="https://api.w.org/"`);
      assert.equal(arr(all).length, Number(all.headers['x-wp-total']));
      assert.equal(arr(await https(sb, 'GET', PRODUCTS, rw)).length, 10);
      const tooMany = await https(sb, 'GET', `${PRODUCTS}?per_page=101`, rw);
      assertError(tooMany, 400, 'rest_invalid_param', 'Invalid parameter(s): per_page');
      assert.equal((obj(tooMany).data as { params: Record<string, string> }).params.per_page, 'per_page must be between 1 (inclusive) and 100 (inclusive)');
      const pageZero = await https(sb, 'GET', `${PRODUCTS}?page=0`, rw);
      assert.equal((obj(pageZero).data as { params: Record<string, string> }).params.page, 'page must be greater than or equal to 1');
      const notANumber = await https(sb, 'GET', `${PRODUCTS}?page=two`, rw);
      assert.equal((obj(notANumber).data as { params: Record<string, string> }).params.page, 'page is not of type integer.');
    });

    it('searches, filters and sorts', async () => {
      const hoodies = arr(await https(sb, 'GET', `${PRODUCTS}?search=hoodie&per_page=100`, rw));
      assert.ok(hoodies.length >= 3);
      assert.ok(hoodies.every((p) => String(p.name).toLowerCase().includes('hoodie')));
      const cheapFirst = arr(await https(sb, 'GET', `${PRODUCTS}?orderby=price&order=asc&per_page=100`, rw)).map((p) => Number(p.price || 0));
      assert.deepEqual(cheapFirst, [...cheapFirst].sort((a, b) => a - b));
      const bySku = arr(await https(sb, 'GET', `${PRODUCTS}?sku=woo-test-ring`, rw));
      assert.deepEqual(bySku.map((p) => p.name), ['Test Ring']);
      const outOfStock = arr(await https(sb, 'GET', `${PRODUCTS}?stock_status=outofstock&per_page=100`, rw));
      assert.ok(outOfStock.length > 0 && outOfStock.every((p) => p.stock_status === 'outofstock'));
      const badOrder = await https(sb, 'GET', `${PRODUCTS}?orderby=colour`, rw);
      assertError(badOrder, 400, 'rest_invalid_param', 'Invalid parameter(s): orderby');
    });

    it('serves a product in WooCommerce\'s shape, prices as strings', async () => {
      const r = await https(sb, 'GET', `${PRODUCTS}/10`, rw);
      const p = obj(r);
      assert.equal(p.name, 'Test Ring');
      assert.equal(typeof p.price, 'string');
      assert.equal(typeof p.regular_price, 'string');
      for (const field of ['sku', 'stock_status', 'categories', 'images', 'date_created', 'meta_data', '_links']) assert.ok(field in p, field);
      assert.deepEqual((p._links as { self: { href: string }[] }).self[0]!.href, `${sb.httpsUrl}/wp-json/wc/v3/products/10`);
      assert.match(String(r.text), /https:\\\/\\\//, 'slashes escaped like PHP json_encode');
    });

    it('answers 404 "Invalid ID." for an unknown product, even without credentials (the permission check needs an object)', async () => {
      assertError(await https(sb, 'GET', `${PRODUCTS}/999999`, rw), 404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
      assertError(await https(sb, 'GET', `${PRODUCTS}/999999`), 404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
      assertError(await https(sb, 'GET', `${PRODUCTS}/10`), 401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.');
    });
  });

  describe('products: writes', () => {
    it('creates (201 + Location), updates with PUT, PATCH and POST, trashes, then force-deletes', async () => {
      const created = await https(sb, 'POST', PRODUCTS, rw, { name: 'Sandbox Mug', regular_price: '12.50', sku: `mug-${Date.now()}` });
      assert.equal(created.status, 201, created.text);
      const id = obj(created).id as number;
      assert.equal(created.headers.location, `${sb.httpsUrl}/wp-json/wc/v3/products/${id}`);
      assert.equal(obj(created).price, '12.50');
      assert.equal(obj(created).status, 'publish');

      assert.equal(obj(await https(sb, 'PUT', `${PRODUCTS}/${id}`, rw, { sale_price: '10.00' })).price, '10.00');
      assert.equal(obj(await https(sb, 'PATCH', `${PRODUCTS}/${id}`, rw, { name: 'Sandbox Mug XL' })).name, 'Sandbox Mug XL');
      const viaPost = obj(await https(sb, 'POST', `${PRODUCTS}/${id}`, rw, { manage_stock: true, stock_quantity: 0 }));
      assert.equal(viaPost.stock_status, 'outofstock', 'stock status follows a managed quantity');
      assert.equal(viaPost.price, '10.00', 'an update keeps what it did not name');

      const trashed = await https(sb, 'DELETE', `${PRODUCTS}/${id}`, rw);
      assert.equal(trashed.status, 200);
      assert.equal(obj(trashed).status, 'publish', 'the response shows the product as it was before deletion');
      assert.equal(obj(await https(sb, 'GET', `${PRODUCTS}/${id}`, rw)).status, 'trash');
      assertError(await https(sb, 'DELETE', `${PRODUCTS}/${id}`, rw), 410, 'woocommerce_rest_already_trashed');
      assert.ok(!arr(await https(sb, 'GET', `${PRODUCTS}?per_page=100`, rw)).some((p) => p.id === id), 'trash is not listed');

      assert.equal((await https(sb, 'DELETE', `${PRODUCTS}/${id}?force=true`, rw)).status, 200);
      assertError(await https(sb, 'GET', `${PRODUCTS}/${id}`, rw), 404, 'woocommerce_rest_product_invalid_id');
      assertError(await https(sb, 'PUT', `${PRODUCTS}/${id}`, rw, { name: 'gone' }), 400, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
    });

    it('refuses a number where WooCommerce wants a string price, like the real API', async () => {
      const r = await https(sb, 'POST', PRODUCTS, rw, { name: 'Numbers', regular_price: 12.5 });
      assertError(r, 400, 'rest_invalid_param', 'Invalid parameter(s): regular_price');
      assert.deepEqual((obj(r).data as { details: Record<string, unknown> }).details.regular_price, { code: 'rest_invalid_type', message: 'regular_price is not of type string.', data: { param: 'regular_price' } });
    });

    it('batches create, update and delete in one request', async () => {
      const keep = obj(await https(sb, 'POST', PRODUCTS, rw, { name: 'Batch target', regular_price: '1.00' })).id as number;
      const gone = obj(await https(sb, 'POST', PRODUCTS, rw, { name: 'Batch victim', regular_price: '1.00' })).id as number;
      const r = await https(sb, 'POST', `${PRODUCTS}/batch`, rw, {
        create: [{ name: 'Batch new', regular_price: '3.00' }, { name: 'Batch bad', type: 'bogus' }],
        update: [{ id: keep, regular_price: '2.00' }, { id: 987654, name: 'nope' }],
        delete: [gone],
      });
      assert.equal(r.status, 200, r.text);
      const body = obj(r) as { create: Record<string, unknown>[]; update: Record<string, unknown>[]; delete: Record<string, unknown>[] };
      assert.equal(body.create[0]!.name, 'Batch new');
      assert.equal((body.create[1]!.error as { code: string }).code, 'rest_invalid_param');
      assert.equal(body.update[0]!.regular_price, '2.00');
      assert.deepEqual(body.update[1], { id: 987654, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } } });
      assert.equal(body.delete[0]!.id, gone);
      assertError(await https(sb, 'GET', `${PRODUCTS}/${gone}`, rw), 404, 'woocommerce_rest_product_invalid_id');

      const tooMany = await https(sb, 'POST', `${PRODUCTS}/batch`, rw, { delete: Array.from({ length: 101 }, (_, i) => i + 1) });
      assertError(tooMany, 413, 'woocommerce_rest_request_entity_too_large', 'Unable to accept more than 100 items for this request.');
      assertError(await https(sb, 'POST', `${PRODUCTS}/batch`, customerAuth, { create: [] }), 403, 'woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.');
    });

    it('refuses writes per role with WooCommerce\'s messages (403 for a logged-in customer)', async () => {
      assertError(await https(sb, 'PUT', `${PRODUCTS}/10`, customerAuth, { name: 'x' }), 403, 'woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.');
      assertError(await https(sb, 'DELETE', `${PRODUCTS}/10`, customerAuth), 403, 'woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.');
      assertError(await https(sb, 'POST', PRODUCTS, {}, { name: 'x' }), 401, 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.');
    });
  });

  describe('orders, customers, system status, users/me', () => {
    it('lists, reads and creates orders with computed totals', async () => {
      const list = await https(sb, 'GET', '/wp-json/wc/v3/orders', rw);
      assert.equal(list.status, 200);
      assert.ok(Number(list.headers['x-wp-total']) >= 10);
      const first = arr(list)[0]!;
      assert.ok(Array.isArray(first.line_items) && (first.line_items as unknown[]).length > 0);
      assert.ok(typeof first.billing === 'object' && typeof first.total === 'string');

      const created = await https(sb, 'POST', '/wp-json/wc/v3/orders', rw, { line_items: [{ product_id: 10, quantity: 2 }], billing: { first_name: 'Ada', email: 'ada@example.com' }, set_paid: true });
      assert.equal(created.status, 201, created.text);
      const order = obj(created);
      assert.equal(order.total, '98.00', '2 × Test Ring at 49.00');
      assert.equal(order.status, 'processing', 'set_paid moves it to processing');
      assert.equal(created.headers.location, `${sb.httpsUrl}/wp-json/wc/v3/orders/${order.id}`);
      assert.equal(obj(await https(sb, 'GET', `/wp-json/wc/v3/orders/${order.id}`, rw)).id, order.id);
      assertError(await https(sb, 'GET', '/wp-json/wc/v3/orders/999999', rw), 404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
      assertError(await https(sb, 'POST', '/wp-json/wc/v3/orders', rw, { line_items: [{ product_id: 999999, quantity: 1 }] }), 400, 'woocommerce_rest_invalid_product_id');
      assertError(await https(sb, 'GET', '/wp-json/wc/v3/orders', customerAuth), 403, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    });

    it('lists, reads and creates customers; email is required and unique', async () => {
      const list = arr(await https(sb, 'GET', '/wp-json/wc/v3/customers?per_page=100', rw));
      assert.ok(list.length >= 3 && list.every((c) => c.role === 'customer'));
      const created = await https(sb, 'POST', '/wp-json/wc/v3/customers', rw, { email: 'new.customer@example.com', first_name: 'New' });
      assert.equal(created.status, 201, created.text);
      assert.equal(obj(created).username, 'new.customer');
      assert.equal(obj(await https(sb, 'GET', `/wp-json/wc/v3/customers/${obj(created).id}`, rw)).first_name, 'New');
      const missing = await https(sb, 'POST', '/wp-json/wc/v3/customers', rw, { first_name: 'No email' });
      assertError(missing, 400, 'rest_missing_callback_param', 'Missing parameter(s): email');
      assertError(await https(sb, 'POST', '/wp-json/wc/v3/customers', rw, { email: 'new.customer@example.com' }), 400, 'registration-error-email-exists');
      assertError(await https(sb, 'POST', '/wp-json/wc/v3/customers', rw, { email: 'not-an-email' }), 400, 'rest_invalid_param');
      assertError(await https(sb, 'GET', '/wp-json/wc/v3/customers/999999', rw), 404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.');
      assertError(await https(sb, 'DELETE', `/wp-json/wc/v3/customers/${obj(created).id}`, rw), 501, 'woocommerce_rest_trash_not_supported');
    });

    it('serves system_status to administrators only', async () => {
      const r = await https(sb, 'GET', '/wp-json/wc/v3/system_status', rw);
      assert.equal(r.status, 200);
      assert.equal((obj(r).environment as { version: string }).version, '8.2.2');
      assert.equal((obj(r).security as { secure_connection: boolean }).secure_connection, true);
      assertError(await https(sb, 'GET', '/wp-json/wc/v3/system_status', customerAuth), 403, 'woocommerce_rest_cannot_view');
    });

    it('answers /wp/v2/users/me with rest_not_logged_in when nobody is', async () => {
      assertError(await https(sb, 'GET', '/wp-json/wp/v2/users/me'), 401, 'rest_not_logged_in', 'You are not currently logged in.');
      const me = await https(sb, 'GET', '/wp-json/wp/v2/users/me?context=edit', { Authorization: basicAuth(admin.login, adminAppPassword) });
      assert.equal(obj(me).username, 'admin');
      assert.deepEqual(obj(me).roles, ['administrator']);
    });
  });

  describe('indexes and discovery', () => {
    it('GET /wp-json/ names the store, its Home URL and (over HTTPS only) application passwords', async () => {
      const overHttps = obj(await https(sb, 'GET', '/wp-json/'));
      assert.equal(overHttps.home, sb.httpsUrl);
      assert.ok((overHttps.namespaces as string[]).includes('wc/v3') && (overHttps.namespaces as string[]).includes('wp/v2'));
      assert.deepEqual(overHttps.authentication, { 'application-passwords': { endpoints: { authorization: `${sb.httpsUrl}/wp-admin/authorize-application.php` } } });
      const overHttp = obj(await send(sb.httpUrl, { path: '/wp-json/' }));
      assert.equal(overHttp.home, sb.httpUrl);
      assert.deepEqual(overHttp.authentication, [], 'no application passwords over plain HTTP (an empty PHP array)');
    });

    it('the wc/v3 index lists every route with its args; OPTIONS describes one route', async () => {
      const index = obj(await https(sb, 'GET', '/wp-json/wc/v3'));
      const routes = index.routes as Record<string, { methods: string[]; endpoints: { args: Record<string, { default?: unknown }> }[] }>;
      for (const route of ['/wc/v3/products', '/wc/v3/products/(?P<id>[\\d]+)', '/wc/v3/products/batch', '/wc/v3/orders', '/wc/v3/customers', '/wc/v3/system_status']) assert.ok(route in routes, route);
      assert.deepEqual(routes['/wc/v3/products']!.methods, ['GET', 'POST']);
      assert.equal(routes['/wc/v3/products']!.endpoints[0]!.args.per_page!.default, 10);
      const options = await https(sb, 'OPTIONS', PRODUCTS);
      assert.equal(options.status, 200);
      assert.equal(obj(options).namespace, 'wc/v3');
      assert.ok('schema' in obj(options));
    });

    it('HEAD answers with the GET headers and no body', async () => {
      const r = await https(sb, 'HEAD', `${PRODUCTS}?per_page=3`, rw);
      assert.equal(r.status, 200);
      assert.equal(r.text, '');
      assert.ok(Number(r.headers['x-wp-total']) > 3);
    });
  });

  describe('bad input never crashes it', () => {
    it('answers malformed JSON with 400 rest_invalid_json, even before checking credentials', async () => {
      const r = await send(sb.httpsUrl, { method: 'POST', path: PRODUCTS, body: '{"name": "unterminated', headers: { 'Content-Type': 'application/json', ...rw }, ca: sb.certificatePem });
      assertError(r, 400, 'rest_invalid_json', 'Invalid JSON body passed.');
      assert.equal((obj(r).data as { json_error_message: string }).json_error_message, 'Syntax error');
      const anonymous = await send(sb.httpsUrl, { method: 'POST', path: PRODUCTS, body: '{oops', headers: { 'Content-Type': 'application/json' }, ca: sb.certificatePem });
      assertError(anonymous, 400, 'rest_invalid_json');
    });

    it('answers unknown routes with 404 rest_no_route', async () => {
      assertError(await https(sb, 'GET', '/wp-json/wc/v3/nonsense', rw), 404, 'rest_no_route', 'No route was found matching the URL and request method.');
      assertError(await https(sb, 'PUT', PRODUCTS, rw, {}), 404, 'rest_no_route', 'No route was found matching the URL and request method.');
      assertError(await https(sb, 'GET', '/wp-json/wc/v9/products'), 404, 'rest_no_route');
    });

    it('answers an oversized body with 413 and keeps serving', async () => {
      const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
      const r = await send(sb.httpsUrl, { method: 'POST', path: PRODUCTS, body: big, headers: { 'Content-Type': 'application/json', ...rw }, ca: sb.certificatePem });
      assertError(r, 413, 'sandbox_request_too_large');
      assert.equal((await https(sb, 'GET', `${PRODUCTS}/10`, rw)).status, 200);
    });

    it('answers an odd method: "Unknown request method." with a key, rest_no_route without, 501 when Node cannot parse it', async () => {
      assertError(await https(sb, 'PURGE', PRODUCTS, rw), 401, 'woocommerce_rest_authentication_error', 'Unknown request method.');
      assertError(await https(sb, 'PURGE', PRODUCTS), 404, 'rest_no_route');
      const raw = await rawExchange(sb.httpUrl, 'FROBNICATE /wp-json/ HTTP/1.1\r\nHost: x\r\n\r\n');
      assert.match(raw, /^HTTP\/1\.1 501 /);
      assert.match(raw, /"code":"sandbox_method_not_supported"/);
      const garbage = await rawExchange(sb.httpUrl, 'GET /wp-json/ HTTP/1.1\r\nHost: x\r\nthis line is no header\r\n\r\n');
      assert.match(garbage, /^HTTP\/1\.1 400 /);
      assert.equal((await send(sb.httpUrl, { path: '/wp-json/' })).status, 200, 'still serving');
    });

    it('turns a PHP fatal error (an array oauth_signature) into WordPress\'s 500, not a crash', async () => {
      const r = await send(sb.httpUrl, { path: `${PRODUCTS}?oauth_consumer_key=${readKey.consumer_key}&oauth_timestamp=1&oauth_nonce=n&oauth_signature_method=HMAC-SHA1&oauth_signature[]=x` });
      assertError(r, 500, 'internal_server_error');
      assert.equal((await send(sb.httpUrl, { path: '/wp-json/' })).status, 200);
    });

    it('survives a client that disconnects mid-body', async () => {
      await new Promise<void>((resolve) => {
        const url = new URL(sb.httpUrl);
        const socket = net.connect(Number(url.port), url.hostname, () => {
          socket.write(`POST ${PRODUCTS} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`);
          setTimeout(() => { socket.destroy(); resolve(); }, 50);
        });
      });
      assert.equal((await send(sb.httpUrl, { path: '/wp-json/' })).status, 200);
    });
  });

  describe('OAuth 1.0a details', () => {
    it('remembers nonces per key: a reused nonce fails even with a new timestamp, another key may use it', async () => {
      const nonce = freshNonce();
      const now = Math.floor(Date.now() / 1000);
      assert.equal((await oauth(sb, { path: PRODUCTS, nonce, timestamp: now })).status, 200);
      assertError(await oauth(sb, { path: PRODUCTS, nonce, timestamp: now + 1 }), 401, 'woocommerce_rest_authentication_error', 'Invalid nonce - nonce has already been used.');
      assert.equal((await oauth(sb, { path: PRODUCTS, nonce, timestamp: now, key: rwKey })).status, 200);
    });

    it('checks the signature before the timestamp, and the timestamp before the nonce', async () => {
      const nonce = freshNonce();
      const old = Math.floor(Date.now() / 1000) - 3600;
      assertError(await oauth(sb, { path: PRODUCTS, nonce, timestamp: old, key: { consumer_key: readKey.consumer_key, consumer_secret: `cs_${'2'.repeat(40)}` } }), 401, 'woocommerce_rest_authentication_error', SIGNATURE_MISMATCH);
      assertError(await oauth(sb, { path: PRODUCTS, nonce, timestamp: old }), 401, 'woocommerce_rest_authentication_error', 'Invalid timestamp.');
      assert.equal((await oauth(sb, { path: PRODUCTS, nonce })).status, 200, 'a refused request did not use up its nonce');
    });

    it('names the missing OAuth parameters in WooCommerce\'s order, singular for one', async () => {
      const r = await send(sb.httpUrl, { path: `${PRODUCTS}?oauth_consumer_key=${readKey.consumer_key}&oauth_timestamp=1&oauth_nonce=x&oauth_signature=y` });
      assertError(r, 401, 'woocommerce_rest_authentication_missing_parameter', 'Missing OAuth parameter oauth_signature_method');
      const two = await send(sb.httpUrl, { path: `${PRODUCTS}?oauth_signature_method=HMAC-SHA1&oauth_nonce=x&oauth_signature=y` });
      assertError(two, 401, 'woocommerce_rest_authentication_missing_parameter', 'Missing OAuth parameters oauth_consumer_key, oauth_timestamp');
    });

    it('signs form fields of a POST (they are in $_POST) but never a JSON body', async () => {
      const form: Pair[] = [['name', `Form product ${Date.now()}`], ['regular_price', '4.00']];
      const signedForm = await oauth(sb, { method: 'POST', path: PRODUCTS, key: rwKey, form, signForm: true });
      assert.equal(signedForm.status, 201, signedForm.text);
      assert.equal(obj(signedForm).regular_price, '4.00');
      assertError(await oauth(sb, { method: 'POST', path: PRODUCTS, key: rwKey, form, signForm: false }), 401, 'woocommerce_rest_authentication_error', SIGNATURE_MISMATCH);

      const json = { name: `JSON product ${Date.now()}`, regular_price: '5.00' };
      assert.equal((await oauth(sb, { method: 'POST', path: PRODUCTS, key: rwKey, jsonBody: json })).status, 201);
      const jsonSigned = await oauth(sb, { method: 'POST', path: PRODUCTS, key: rwKey, jsonBody: json, signedQuery: [['name', json.name], ['regular_price', json.regular_price]] });
      assertError(jsonSigned, 401, 'woocommerce_rest_authentication_error', SIGNATURE_MISMATCH);
    });

    it('does not sign form fields of a PUT (PHP leaves $_POST empty)', async () => {
      const form: Pair[] = [['name', 'Renamed by PUT form']];
      const id = obj(await https(sb, 'POST', PRODUCTS, rw, { name: 'PUT target', regular_price: '1.00' })).id as number;
      assertError(await oauth(sb, { method: 'PUT', path: `${PRODUCTS}/${id}`, key: rwKey, form, signForm: true }), 401, 'woocommerce_rest_authentication_error', SIGNATURE_MISMATCH);
      const ok = await oauth(sb, { method: 'PUT', path: `${PRODUCTS}/${id}`, key: rwKey, form, signForm: false });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(obj(ok).name, 'Renamed by PUT form', 'the form body still updates the product');
    });

    it('keeps nested query keys in wire order (WooCommerce), where an RFC signer sorts them', async () => {
      const query: Pair[] = [['filter[q]', 'Woo Album'], ['filter[limit]', '1']];
      assert.equal((await oauth(sb, { path: PRODUCTS, query, order: 'woocommerce' })).status, 200);
      assertError(await oauth(sb, { path: PRODUCTS, query, order: 'rfc' }), 401, 'woocommerce_rest_authentication_error', SIGNATURE_MISMATCH);
      // Sending the query already sorted (what the official JS library does) makes both agree.
      const sorted: Pair[] = [['filter[limit]', '1'], ['filter[q]', 'Woo Album']];
      assert.equal((await oauth(sb, { path: PRODUCTS, query: sorted, order: 'rfc' })).status, 200);
    });

    it('reads "+" and %20 in the query as a space, and UTF-8 percent-encoding as text', async () => {
      const query: Pair[] = [['search', 'blue shirt']];
      assert.equal((await oauth(sb, { path: PRODUCTS, query, wireQuery: 'search=blue+shirt' })).status, 200);
      assert.equal((await oauth(sb, { path: PRODUCTS, query, wireQuery: 'search=blue%20shirt' })).status, 200);
      // A client that signs the "+" literally (as %2B) computes another base string.
      assertError(await oauth(sb, { path: PRODUCTS, query: [['search', 'blue+shirt']], wireQuery: 'search=blue+shirt' }), 401, 'woocommerce_rest_authentication_error', SIGNATURE_MISMATCH);
      const cafe = await oauth(sb, { path: PRODUCTS, query: [['search', 'café ☕']] });
      assert.equal(cafe.status, 200, cafe.text);
    });

    it('accepts a signature whose "+" PHP turned into a space (sent unencoded in the query)', async () => {
      let signed: ReturnType<typeof signOAuth1> | undefined;
      for (let i = 0; i < 200 && !signed?.signature.includes('+'); i++) {
        signed = signOAuth1({ method: 'GET', baseUrl: `${sb.httpUrl}${PRODUCTS}`, consumerKey: readKey.consumer_key, consumerSecret: readKey.consumer_secret });
      }
      assert.ok(signed && signed.signature.includes('+'), 'found a signature with "+"');
      const wire = signed.oauth.map(([k, v]) => `${k}=${k === 'oauth_signature' ? v.replace(/\//g, '%2F').replace(/=/g, '%3D') : rfc3986(v)}`).join('&');
      assert.match(wire, /oauth_signature=[^&]*\+/);
      assert.equal((await send(sb.httpUrl, { path: `${PRODUCTS}?${wire}` })).status, 200);
    });

    it('takes OAuth parameters from the Authorization header over HTTPS too', async () => {
      const r = await oauth(sb, { scheme: 'https', path: PRODUCTS, inHeader: true });
      assert.equal(r.status, 200, r.text);
    });
  });

  describe('query strings as PHP parses them', () => {
    it('nested keys, "+" and unicode reach the API as WordPress would decode them', async () => {
      const r = await https(sb, 'GET', `${PRODUCTS}?search=hoodie+with&per_page=100`, rw);
      assert.deepEqual(arr(r).map((p) => p.name).sort(), ['Hoodie with Logo', 'Hoodie with Pocket', 'Hoodie with Zipper']);
      const include = await https(sb, 'GET', `${PRODUCTS}?include[]=10&include[]=12&orderby=include&order=asc`, rw);
      assert.deepEqual(arr(include).map((p) => p.id), [10, 12]);
      const unicode = await https(sb, 'GET', `/wp-json/wc/v3/customers?search=${encodeURIComponent('García')}`, rw);
      assert.deepEqual(arr(unicode).map((c) => c.last_name), ['García']);
    });
  });

  describe('TLS', () => {
    it('verifies with the sandbox certificate as CA, and fails without it', async () => {
      assert.equal((await send(sb.httpsUrl, { path: '/wp-json/', ca: sb.certificatePem })).status, 200);
      const localhost = sb.httpsUrl.replace('127.0.0.1', 'localhost');
      assert.equal((await send(localhost, { path: '/wp-json/', ca: sb.certificatePem })).status, 200, 'valid for localhost too');
      await assert.rejects(send(sb.httpsUrl, { path: '/wp-json/' }), (err: NodeJS.ErrnoException) => /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/.test(String(err.code)));
      const cert = new crypto.X509Certificate(sb.certificatePem);
      assert.match(String(cert.subjectAltName), /DNS:localhost/);
      assert.match(String(cert.subjectAltName), /IP Address:127\.0\.0\.1/);
      assert.match(String(cert.subjectAltName), /IP Address:0:0:0:0:0:0:0:1/);
      assert.ok(new Date(cert.validTo).getTime() > Date.now() + 300 * 86400000, 'valid for about a year');
    });
  });
});

describe('sandbox modes', function () {
  this.timeout(30_000);

  it('clockOffsetSeconds: a request signed with the real time gets "Invalid timestamp."; Date shows the server clock', async () => {
    const sb = await startSandbox({ seed, clockOffsetSeconds: 1200 });
    try {
      const r = await oauth(sb, { path: PRODUCTS });
      assertError(r, 401, 'woocommerce_rest_authentication_error', 'Invalid timestamp.');
      const skew = (new Date(String(r.headers.date)).getTime() - Date.now()) / 1000;
      assert.ok(Math.abs(skew - 1200) < 5, `Date header is 20 minutes ahead (${skew} s)`);
      assert.equal((await oauth(sb, { path: PRODUCTS, timestamp: Math.floor(Date.now() / 1000) + 1200 })).status, 200, 'signing with the server clock works');
    } finally {
      await sb.stop();
    }
  });

  it('homeUrl: the base string uses the Home URL (scheme from the connection), not the URL requested', async () => {
    const sb = await startSandbox({ seed, homeUrl: 'https://www.localhost' });
    try {
      assertError(await oauth(sb, { path: PRODUCTS }), 401, 'woocommerce_rest_authentication_error', SIGNATURE_MISMATCH);
      assert.equal((await oauth(sb, { path: PRODUCTS, baseUrl: `http://www.localhost${PRODUCTS}` })).status, 200, 'signed for the Home URL with http (is_ssl() is false)');
      assert.equal((await oauth(sb, { scheme: 'https', path: PRODUCTS, baseUrl: `https://www.localhost${PRODUCTS}` })).status, 200);
      // get_home_url(): over plain HTTP the option's own scheme stays (https here), over TLS it is https.
      assert.equal(obj(await send(sb.httpUrl, { path: '/wp-json/' })).home, 'https://www.localhost');
      const front = await send(sb.httpUrl, { path: '/?x=1' });
      assert.equal(front.status, 301, 'the front end redirects to the Home URL');
      assert.equal(front.headers.location, 'https://www.localhost/?x=1');
    } finally {
      await sb.stop();
    }
  });

  it('homeUrl with a sub-directory: requests below it sign with the home path once', async () => {
    const sb = await startSandbox({ seed, homeUrl: 'http://127.0.0.1:1/shop' });
    try {
      const r = await oauth(sb, { path: `/shop${PRODUCTS}`, baseUrl: `http://127.0.0.1:1/shop${PRODUCTS}` });
      assert.equal(r.status, 200, r.text);
      assert.equal(obj(await send(sb.httpUrl, { path: '/shop/wp-json/' })).home, 'http://127.0.0.1:1/shop');
    } finally {
      await sb.stop();
    }
  });

  it('plainPermalinks: /wp-json/… is a 301 keeping the query, then the HTML front page; rest_route works', async () => {
    const sb = await startSandbox({ seed, plainPermalinks: true });
    try {
      const redirect = await send(sb.httpsUrl, { path: `${PRODUCTS}?per_page=2`, ca: sb.certificatePem });
      assert.equal(redirect.status, 301);
      assert.equal(redirect.headers.location, `${sb.httpsUrl}${PRODUCTS}/?per_page=2`);
      const page = await send(sb.httpsUrl, { path: `${PRODUCTS}/`, ca: sb.certificatePem });
      assert.equal(page.status, 200);
      assert.equal(page.headers['content-type'], 'text/html; charset=UTF-8');
      const api = await send(sb.httpsUrl, { path: '/?rest_route=/wc/v3/products&per_page=2', headers: { Authorization: basicAuth(admin.login, adminAppPassword) }, ca: sb.certificatePem });
      assert.equal(api.status, 200);
      assert.equal(api.headers.link, `<${sb.httpsUrl}/index.php?rest_route=%2Fwc%2Fv3%2Fproducts&per_page=2&page=2>; rel="next"`);
      assert.equal(obj(await https(sb, 'GET', '/?rest_route=/wc/v3/products/10', { Authorization: basicAuth(admin.login, adminAppPassword) })).name, 'Test Ring');
    } finally {
      await sb.stop();
    }
  });

  it('stripAuthorization: Basic and the OAuth header vanish, the query string survives', async () => {
    const sb = await startSandbox({ seed, stripAuthorization: true });
    try {
      assertError(await https(sb, 'GET', PRODUCTS, rw), 401, 'woocommerce_rest_cannot_view');
      assert.equal((await https(sb, 'GET', `${PRODUCTS}?consumer_key=${rwKey.consumer_key}&consumer_secret=${rwKey.consumer_secret}`)).status, 200);
      assertError(await oauth(sb, { path: PRODUCTS, inHeader: true }), 401, 'woocommerce_rest_cannot_view');
    } finally {
      await sb.stop();
    }
  });

  it('generates working credentials when no seed is given, and roles behave (shop manager vs customer)', async () => {
    const sb = await startSandbox();
    try {
      assert.equal(sb.generated, true);
      for (const k of sb.seed.keys) {
        assert.match(k.consumer_key, /^ck_[0-9a-f]{40}$/);
        assert.match(k.consumer_secret, /^cs_[0-9a-f]{40}$/);
      }
      const key = sb.seed.keys.find((k) => k.permissions === 'read_write')!;
      assert.equal((await https(sb, 'GET', PRODUCTS, { Authorization: basicAuth(key.consumer_key, key.consumer_secret) })).status, 200);
      const manager = sb.seed.users.find((u) => u.role === 'shop_manager')!;
      const buyer = sb.seed.users.find((u) => u.role === 'customer')!;
      for (const u of [manager, buyer]) assert.match(u.application_passwords![0]!, /^[A-Za-z0-9]{24}$/);
      const asManager = { Authorization: basicAuth(manager.login, manager.application_passwords![0]!) };
      assert.equal((await https(sb, 'GET', '/wp-json/wc/v3/system_status', asManager)).status, 200);
      assert.equal((await https(sb, 'GET', '/wp-json/wc/v3/orders', asManager)).status, 200);
      assertError(await https(sb, 'DELETE', `/wp-json/wc/v3/customers/1?force=true`, asManager), 403, 'woocommerce_rest_cannot_delete');
      assertError(await https(sb, 'GET', PRODUCTS, { Authorization: basicAuth(buyer.login, buyer.application_passwords![0]!) }), 403, 'woocommerce_rest_cannot_view');
      const other = await startSandbox();
      try {
        assert.notEqual(other.seed.keys[0]!.consumer_key, sb.seed.keys[0]!.consumer_key, 'fresh credentials each time');
      } finally {
        await other.stop();
      }
    } finally {
      await sb.stop();
    }
  });

  it('stop() closes the ports promptly, even with a keep-alive connection open', async () => {
    const sb = await startSandbox({ seed });
    const url = new URL(sb.httpUrl);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /wp-json/ HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    await new Promise((resolve) => socket.once('data', resolve));
    const started = Date.now();
    await sb.stop();
    assert.ok(Date.now() - started < 2000, 'stopped within 2 s');
    await assert.rejects(send(sb.httpUrl, { path: '/' }), /ECONNREFUSED/);
    socket.destroy();
  });

  it('refuses bad options with a sentence', async () => {
    await assert.rejects(startSandbox({ httpPort: 70000 }), /httpPort must be a whole number from 0 to 65535/);
    await assert.rejects(startSandbox({ homeUrl: 'ftp://x' }), /must start with http:\/\/ or https:\/\//);
    await assert.rejects(startSandbox({ seed: { users: [], keys: [] } }), /non-empty "users" array/);
  });
});

describe('parseSandboxArgs', () => {
  it('reads every flag, in both --flag value and --flag=value forms', () => {
    assert.deepEqual(parseSandboxArgs(['--http-port', '8080', '--https-port=8443', '--seed', 'seed.json', '--strip-authorization', '--plain-permalinks', '--home-url', 'https://www.example.test', '--clock-offset', '-1200', '--host', '0.0.0.0']), {
      httpPort: 8080, httpsPort: 8443, seedFile: 'seed.json', stripAuthorization: true, plainPermalinks: true, homeUrl: 'https://www.example.test', clockOffsetSeconds: -1200, host: '0.0.0.0',
    });
    assert.deepEqual(parseSandboxArgs([]), {});
  });

  it('says what is wrong', () => {
    assert.throws(() => parseSandboxArgs(['--http-port']), /--http-port needs a port number/);
    assert.throws(() => parseSandboxArgs(['--http-port', 'eighty']), /--http-port must be a port number from 0 to 65535, not "eighty"/);
    assert.throws(() => parseSandboxArgs(['--https-port', '65536']), /65535/);
    assert.throws(() => parseSandboxArgs(['--verbose']), /Unknown option "--verbose"/);
    assert.throws(() => parseSandboxArgs(['--home-url', 'not a url']), /is not a URL/);
    assert.throws(() => parseSandboxArgs(['--home-url', 'https://x.test/?a=1']), /must not have a query string/);
    assert.throws(() => parseSandboxArgs(['--clock-offset', 'soon']), /whole number of seconds/);
    assert.throws(() => parseSandboxArgs(['--seed']), /--seed needs the path/);
    assert.throws(() => parseSandboxArgs(['--strip-authorization=yes']), /does not take a value/);
    assert.throws(() => parseSandboxArgs(['--http-port', '9000', '--https-port', '9000']), /different ports/);
  });
});

describe('parseSandboxSeed', () => {
  const valid = JSON.stringify(seed);
  const mutate = (f: (s: { users: Record<string, unknown>[]; keys: Record<string, unknown>[] }) => void): string => {
    const copy = JSON.parse(valid) as { users: Record<string, unknown>[]; keys: Record<string, unknown>[] };
    f(copy);
    return JSON.stringify(copy);
  };

  it('accepts the fixture seed', () => {
    assert.deepEqual(parseSandboxSeed(valid), seed);
  });

  it('explains each problem in one sentence', () => {
    const cases: [string, RegExp][] = [
      ['{not json', /^The seed is not valid JSON \(/],
      ['[]', /must be a JSON object with "users" and "keys"/],
      ['{"users":[],"keys":[]}', /non-empty "users" array/],
      [mutate((s) => { s.users[0]!.role = 'webmaster'; }), /users\[0\]\.role must be one of "administrator", "shop_manager", "editor", "author", "contributor", "subscriber", "customer"/],
      [mutate((s) => { s.users[1]!.id = 1; }), /Two users in the seed have the id 1/],
      [mutate((s) => { s.users[1]!.login = 'ADMIN'; }), /Two users in the seed have the login "ADMIN"/],
      [mutate((s) => { s.users[0]!.application_passwords = ['    ']; }), /application_passwords\[0\] must be a string with letters or digits/],
      [mutate((s) => { s.users[0]!.applicaton_passwords = []; }), /unknown field "applicaton_passwords"/],
      [mutate((s) => { s.keys[0]!.consumer_key = 'ck_short'; }), /keys\[0\]\.consumer_key must be "ck_" followed by 40 lowercase hex characters/],
      [mutate((s) => { s.keys[0]!.consumer_secret = 'secret'; }), /keys\[0\]\.consumer_secret must be "cs_"/],
      [mutate((s) => { s.keys[0]!.permissions = 'admin'; }), /permissions must be one of "read", "write", "read_write"/],
      [mutate((s) => { s.keys[0]!.user_id = 42; }), /user_id must be the id of one of the seed's users/],
      [mutate((s) => { s.keys[1]!.consumer_key = s.keys[0]!.consumer_key; }), /appears twice in the seed/],
    ];
    for (const [json, message] of cases) {
      assert.throws(() => parseSandboxSeed(json), (err: Error) => {
        assert.match(err.message, message);
        assert.match(err.message, /[.)]$/, 'a sentence');
        assert.ok(!err.message.includes(String(seed.keys[0]!.consumer_secret)), 'no secret in the message');
        return true;
      });
    }
  });
});

describe('PHP request parsing and WooCommerce base strings (sandbox internals)', () => {
  const plain = (q: string): unknown => phpToPlain(phpParseStr(textToPhpBytes(q)));

  it('parses like parse_str: nesting, appending, "+", names with dots and spaces, unclosed brackets', () => {
    assert.deepEqual(plain('a[b][c]=1&a[b][d]=2&list[]=x&list[]=y'), { a: { b: { c: '1', d: '2' } }, list: ['x', 'y'] });
    assert.deepEqual(plain('q=blue+shirt&r=blue%20shirt&s=%2B'), { q: 'blue shirt', r: 'blue shirt', s: '+' });
    assert.deepEqual(plain('a.b=1&c d=2&+e=3'), { a_b: '1', c_d: '2', e: '3' });
    assert.deepEqual(plain('x[y=1&z[a][b=2'), { x_y: '1', z: { a: '2' } });
    assert.deepEqual(plain('a=1&b=2&a=3'), { a: '3', b: '2' }, 'a duplicate overwrites in place');
    assert.deepEqual(Object.keys(plain('b=1&a=2&b=3') as object), ['b', 'a'], 'and keeps its first position');
    assert.deepEqual(plain('a[x]=1&a=flat'), { a: 'flat' });
    assert.deepEqual(plain('=x&&[]=y&k'), { k: '' }, 'empty names are dropped; a bare name is ""');
  });

  it('merges like array_merge: string keys overwrite, integer keys are renumbered', () => {
    const get = phpParseStr('5=a&k=1');
    const post = phpParseStr('7=b&k=2');
    const merged = phpArrayMerge(get, post);
    assert.deepEqual(merged.entries(), [['0', 'a'], ['k', '2'], ['1', 'b']]);
  });

  const site: OAuthSite = {
    homeUrl: (p, ssl) => `${ssl ? 'https' : 'http'}://shop.test${p ? `/${p.replace(/^\/+/, '')}` : ''}`,
    homeRelativeBase: () => '/',
  };

  it('builds the base string WooCommerce documents (filter[period] → filter%255Bperiod%255D%3Dweek)', () => {
    const params = phpParseStr('filter[period]=week&oauth_consumer_key=ck&oauth_nonce=n&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1');
    const base = signatureBaseString('get', '/wp-json/wc/v3/reports/sales?x', false, site, params);
    assert.equal(base, 'GET&http%3A%2F%2Fshop.test%2Fwp-json%2Fwc%2Fv3%2Freports%2Fsales&filter%255Bperiod%255D%3Dweek%26oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1');
    assert.match(signatureBaseString('GET', '/wp-json/', true, site, new PhpArray()), /^GET&https%3A%2F%2Fshop\.test%2Fwp-json%2F&$/, 'scheme from is_ssl()');
  });

  it('sorts top-level keys by bytes (strcmp) and keeps nested keys in insertion order', () => {
    const params = phpParseStr('b[z]=1&b[a]=2&B=3&a=4');
    const base = signatureBaseString('GET', '/', false, site, params);
    assert.ok(base.endsWith('&B%3D3%26a%3D4%26b%255Bz%255D%3D1%26b%255Ba%255D%3D2'), base);
  });

  it('PhpFatalError is what an array signature raises (turned into a 500 by the server)', () => {
    assert.ok(new PhpFatalError('x') instanceof Error);
  });
});

/** Writes raw bytes to the HTTP port and returns what comes back before the server closes. */
function rawExchange(origin: string, payload: string): Promise<string> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(payload));
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('end', () => resolve(data));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}
