// Capabilities per role, for every route family the sandbox serves: each of WordPress's and
// WooCommerce's roles gets a read_write key, and each route family is called the way an API client
// would. The expectations are written out here from WooCommerce's role definitions (what an
// administrator and a shop manager get on install, that WordPress's editor, author, contributor
// and subscriber get none of WooCommerce's capabilities, that a customer has `read` only) and its
// REST permission helpers (products/orders by post-type capability, customers by list_users /
// promote_users / edit_users / delete_users with the shop manager limited to customers, settings
// and system status by manage_woocommerce), not computed by the sandbox's own table, so a mistake
// in that table fails here. Also the routes the recorded store answered and the sandbox once did
// not: /wc/v3/settings, /settings/general, /wc/v2/products, /wc/v1/products.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { startSandbox, type RunningSandbox, type SandboxRole, type SandboxSeed } from '../../src/sandbox';
import { arr, basicAuth, obj, send, type Reply } from './helpers/sandbox-http';

const ROLES: SandboxRole[] = ['administrator', 'shop_manager', 'editor', 'author', 'contributor', 'subscriber', 'customer'];
const hex = (s: string): string => crypto.createHash('sha1').update(s).digest('hex');

function seedWithEveryRole(): SandboxSeed {
  return {
    users: ROLES.map((role, i) => ({ id: i + 1, login: `user-${role}`, role, email: `${role}@roles.example` })),
    keys: ROLES.map((role, i) => ({ consumer_key: `ck_${hex(`key ${role}`)}`, consumer_secret: `cs_${hex(`secret ${role}`)}`, permissions: 'read_write' as const, user_id: i + 1 })),
  };
}

type Outcome = 'allowed' | 'forbidden';
const MANAGERS = new Set<SandboxRole>(['administrator', 'shop_manager']);
const managersOnly = (role: SandboxRole): Outcome => (MANAGERS.has(role) ? 'allowed' : 'forbidden');
const adminOnly = (role: SandboxRole): Outcome => (role === 'administrator' ? 'allowed' : 'forbidden');

interface Call {
  what: string;
  method: string;
  path: (ids: Ids) => string;
  body?: (ids: Ids, role: SandboxRole) => unknown;
  /** The error code a refused call gets. */
  code: string;
  /** Its status (default 403: somebody is logged in). */
  status?: number;
  expect: (role: SandboxRole) => Outcome;
}

interface Ids { product: number; order: number; customer: number; admin: number; own: number }

const FAMILIES: Record<string, Call[]> = {
  products: [
    { what: 'list', method: 'GET', path: () => '/wp-json/wc/v3/products', code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    { what: 'read one', method: 'GET', path: (i) => `/wp-json/wc/v3/products/${i.product}`, code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    { what: 'create', method: 'POST', path: () => '/wp-json/wc/v3/products', body: (_i, r) => ({ name: `By ${r}`, regular_price: '1.00' }), code: 'woocommerce_rest_cannot_create', expect: managersOnly },
    { what: 'edit', method: 'PUT', path: (i) => `/wp-json/wc/v3/products/${i.product}`, body: () => ({ short_description: 'edited' }), code: 'woocommerce_rest_cannot_edit', expect: managersOnly },
    { what: 'batch', method: 'POST', path: () => '/wp-json/wc/v3/products/batch', body: () => ({ create: [], update: [], delete: [] }), code: 'woocommerce_rest_cannot_batch', expect: managersOnly },
    { what: 'categories', method: 'GET', path: () => '/wp-json/wc/v3/products/categories', code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    { what: 'list on wc/v2', method: 'GET', path: () => '/wp-json/wc/v2/products', code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    { what: 'list on wc/v1', method: 'GET', path: () => '/wp-json/wc/v1/products', code: 'woocommerce_rest_cannot_view', expect: managersOnly },
  ],
  orders: [
    { what: 'list', method: 'GET', path: () => '/wp-json/wc/v3/orders', code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    { what: 'read one', method: 'GET', path: (i) => `/wp-json/wc/v3/orders/${i.order}`, code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    { what: 'create', method: 'POST', path: () => '/wp-json/wc/v3/orders', body: () => ({ status: 'pending' }), code: 'woocommerce_rest_cannot_create', expect: managersOnly },
    { what: 'edit', method: 'PUT', path: (i) => `/wp-json/wc/v3/orders/${i.order}`, body: () => ({ customer_note: 'edited' }), code: 'woocommerce_rest_cannot_edit', expect: managersOnly },
  ],
  customers: [
    // list_users: administrators and shop managers.
    { what: 'list', method: 'GET', path: () => '/wp-json/wc/v3/customers', code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    { what: 'read one', method: 'GET', path: (i) => `/wp-json/wc/v3/customers/${i.customer}`, code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    // promote_users: administrators only (the recorded store: 403 for a shop manager).
    { what: 'create', method: 'POST', path: () => '/wp-json/wc/v3/customers', body: (_i, r) => ({ email: `new-${r}-${Date.now()}@roles.example` }), code: 'woocommerce_rest_cannot_create', expect: adminOnly },
    // edit_users, a shop manager's limited to customers.
    { what: 'edit a customer', method: 'PUT', path: (i) => `/wp-json/wc/v3/customers/${i.customer}`, body: () => ({ first_name: 'Edited' }), code: 'woocommerce_rest_cannot_edit', expect: managersOnly },
    { what: 'edit an administrator', method: 'PUT', path: (i) => `/wp-json/wc/v3/customers/${i.admin}`, body: () => ({ first_name: 'Edited' }), code: 'woocommerce_rest_cannot_edit', expect: adminOnly },
    // delete_users: administrators only.
    { what: 'delete a customer', method: 'DELETE', path: (i) => `/wp-json/wc/v3/customers/${i.customer}?force=true`, code: 'woocommerce_rest_cannot_delete', expect: adminOnly },
  ],
  'system status': [
    { what: 'read', method: 'GET', path: () => '/wp-json/wc/v3/system_status', code: 'woocommerce_rest_cannot_view', expect: managersOnly },
  ],
  settings: [
    { what: 'groups', method: 'GET', path: () => '/wp-json/wc/v3/settings', code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    { what: 'general', method: 'GET', path: () => '/wp-json/wc/v3/settings/general', code: 'woocommerce_rest_cannot_view', expect: managersOnly },
    { what: 'edit one', method: 'PUT', path: () => '/wp-json/wc/v3/settings/general/woocommerce_store_city', body: () => ({ value: 'Lisbon' }), code: 'woocommerce_rest_cannot_edit', expect: managersOnly },
  ],
  // Consumer keys authenticate WooCommerce's routes only: on wp/v2 nobody is logged in, whatever the role.
  'users/me (a key on a WordPress route)': [
    { what: 'read', method: 'GET', path: () => '/wp-json/wp/v2/users/me', code: 'rest_not_logged_in', status: 401, expect: () => 'forbidden' },
  ],
};

describe('sandbox: capabilities per role × route family', function () {
  this.timeout(30_000);
  const seed = seedWithEveryRole();
  let sb: RunningSandbox;
  let ids: Ids;

  const call = (role: SandboxRole | undefined, method: string, path: string, body?: unknown): Promise<Reply> => {
    const key = role ? seed.keys[ROLES.indexOf(role)]! : undefined;
    return send(sb.httpsUrl, {
      method,
      path,
      headers: { ...(key ? { Authorization: basicAuth(key.consumer_key, key.consumer_secret) } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca: sb.certificatePem,
    });
  };

  before(async () => {
    sb = await startSandbox({ seed });
    const product = arr(await call('administrator', 'GET', '/wp-json/wc/v3/products?per_page=1'))[0]!;
    const order = arr(await call('administrator', 'GET', '/wp-json/wc/v3/orders?per_page=1'))[0]!;
    ids = { product: Number(product.id), order: Number(order.id), customer: 0, admin: 1, own: 0 };
  });
  after(async () => {
    await sb.stop();
  });

  beforeEach(async () => {
    // A fresh customer for each test, so that deleting or editing one does not affect the next.
    const created = await call('administrator', 'POST', '/wp-json/wc/v3/customers', { email: `target-${crypto.randomUUID()}@roles.example` });
    assert.equal(created.status, 201, created.text.slice(0, 300));
    ids.customer = Number(obj(created).id);
  });

  for (const role of ROLES) {
    describe(role, () => {
      for (const [family, calls] of Object.entries(FAMILIES)) {
        it(family, async () => {
          const seen: string[] = [];
          for (const c of calls) {
            const r = await call(role, c.method, c.path(ids), c.body?.(ids, role));
            const expected = c.expect(role);
            const got = r.status >= 200 && r.status < 300 ? 'allowed' : r.status === (c.status ?? 403) && obj(r).code === c.code ? 'forbidden' : `${r.status} ${String((r.json as { code?: string } | undefined)?.code ?? r.text.slice(0, 80))}`;
            seen.push(`${c.what}: ${got}${got === expected ? '' : ` (expected ${expected})`}`);
          }
          assert.ok(seen.every((s) => !s.includes('expected')), `${role} on ${family}:\n  ${seen.join('\n  ')}`);
        });
      }
    });
  }

  it('anonymous requests get 401, not 403, on every family (nobody is logged in)', async () => {
    for (const calls of Object.values(FAMILIES)) {
      for (const c of calls) {
        const r = await call(undefined, c.method, c.path(ids), c.body?.(ids, 'customer'));
        assert.equal(r.status, 401, `${c.method} ${c.path(ids)}: ${r.text.slice(0, 200)}`);
        assert.equal(obj(r).code, c.code);
      }
    }
  });

  it('a shop manager creating a customer gets the recorded 403 woocommerce_rest_cannot_create, and nothing is created', async () => {
    const email = `blocked-${crypto.randomUUID()}@roles.example`;
    const r = await call('shop_manager', 'POST', '/wp-json/wc/v3/customers', { email });
    assert.equal(r.status, 403);
    assert.deepEqual(obj(r), { code: 'woocommerce_rest_cannot_create', message: 'Sorry, you are not allowed to create resources.', data: { status: 403 } });
    const found = arr(await call('administrator', 'GET', `/wp-json/wc/v3/customers?email=${encodeURIComponent(email)}`));
    assert.deepEqual(found, []);
  });

  it('serves the settings groups and the General options, and keeps a value set with PUT', async () => {
    const groups = arr(await call('administrator', 'GET', '/wp-json/wc/v3/settings'));
    assert.ok(groups.some((g) => g.id === 'general' && g.label === 'General'), JSON.stringify(groups).slice(0, 300));
    const general = arr(await call('shop_manager', 'GET', '/wp-json/wc/v3/settings/general'));
    assert.ok(general.some((s) => s.id === 'woocommerce_currency' && s.value === 'USD'));
    await call('administrator', 'PUT', '/wp-json/wc/v3/settings/general/woocommerce_store_city', { value: 'Porto' });
    const city = obj(await call('administrator', 'GET', '/wp-json/wc/v3/settings/general/woocommerce_store_city'));
    assert.equal(city.value, 'Porto');
    const unknown = await call('administrator', 'GET', '/wp-json/wc/v3/settings/nonsense');
    assert.equal(unknown.status, 404);
  });

  it('serves products on wc/v2 and wc/v1 as on wc/v3, and lists those namespaces', async () => {
    const v3 = arr(await call('administrator', 'GET', '/wp-json/wc/v3/products?per_page=3')).map((p) => p.id);
    for (const ns of ['wc/v2', 'wc/v1']) {
      const r = await call('administrator', 'GET', `/wp-json/${ns}/products?per_page=3`);
      assert.equal(r.status, 200, r.text.slice(0, 200));
      assert.deepEqual(arr(r).map((p) => p.id), v3);
      assert.equal((await call(undefined, 'GET', `/wp-json/${ns}`)).status, 200);
    }
    const index = obj(await call(undefined, 'GET', '/wp-json/'));
    for (const ns of ['wc/v1', 'wc/v2', 'wc/v3']) assert.ok((index.namespaces as string[]).includes(ns), ns);
  });
});
