import * as assert from 'node:assert/strict';
import { GLOBAL_ARGS, WOO_ROUTES, findRoute, routeArgs, routeCompletions, wooPathOf } from '../../src/core/woo-routes';

const paths = (typed: string, method?: string): string[] => routeCompletions(typed, method).map((c) => c.route.path);
const names = (route: string, method: string): string[] => routeArgs(route, method).map((a) => a.name);

describe('woo-routes: the WooCommerce REST API v3 catalogue', () => {
  describe('the catalogue', () => {
    it('has the routes a WooCommerce integration uses, each with methods and a description', () => {
      for (const p of [
        'products', 'products/<id>', 'products/batch', 'products/categories', 'products/tags', 'products/attributes',
        'products/<product_id>/variations', 'products/reviews', 'orders', 'orders/<id>', 'orders/<order_id>/notes',
        'orders/<order_id>/refunds', 'customers', 'customers/<id>', 'coupons', 'reports', 'reports/sales', 'reports/top_sellers',
        'settings', 'settings/<group_id>', 'system_status', 'system_status/tools', 'data', 'data/countries', 'taxes',
        'taxes/classes', 'shipping/zones', 'payment_gateways', 'webhooks',
      ]) {
        const r = WOO_ROUTES.find((x) => x.path === p);
        assert.ok(r, `${p} is in the catalogue`);
        assert.ok(r.methods.length > 0 && r.description.length > 10, p);
      }
    });

    it('lists each path once, with known methods only, and updates accept POST as WordPress EDITABLE does', () => {
      const seen = new Set<string>();
      for (const r of WOO_ROUTES) {
        assert.ok(!seen.has(r.path), `duplicate ${r.path}`);
        seen.add(r.path);
        for (const m of r.methods) assert.match(m, /^(GET|POST|PUT|PATCH|DELETE)$/);
        if (r.methods.includes('PUT')) assert.ok(r.methods.includes('POST') && r.methods.includes('PATCH'), r.path);
        assert.ok(!/^\/|\/$/.test(r.path), `${r.path} has no leading or trailing slash`);
      }
    });

    it('gives every argument a description, and enum defaults are among the values', () => {
      for (const r of WOO_ROUTES) {
        for (const a of [...(r.query ?? []), ...(r.deleteQuery ?? [])]) {
          assert.ok(a.description.length > 5, `${r.path} ${a.name}`);
          if (a.values && a.default !== undefined) assert.ok(a.values.includes(a.default), `${r.path} ${a.name} default ${a.default}`);
        }
      }
    });
  });

  describe('routeCompletions', () => {
    it('offers every route when nothing is typed yet, shortest first', () => {
      const all = paths('');
      assert.equal(all.length, WOO_ROUTES.length);
      assert.equal(new Set(all).size, WOO_ROUTES.length);
      assert.equal(all[0], 'products');
      assert.ok(all.indexOf('orders') < all.indexOf('products/<id>'));
    });

    it('filters by the partly typed first segment, case-insensitively', () => {
      assert.deepEqual(paths('ord'), ['orders', 'orders/batch', 'orders/<id>', 'orders/<order_id>/notes', 'orders/<order_id>/refunds', 'orders/<order_id>/notes/<id>', 'orders/<order_id>/refunds/<id>']);
      assert.deepEqual(paths('SYSTEM'), ['system_status', 'system_status/tools', 'system_status/tools/<id>']);
      assert.deepEqual(paths('nothing-like-this'), []);
    });

    it('after "products/" offers the sub-routes with a snippet placeholder for each path parameter', () => {
      const all = routeCompletions('products/');
      const byPath = new Map(all.map((c) => [c.route.path, c]));
      assert.ok(!byPath.has('products'), 'products itself is behind the cursor');
      assert.ok(!byPath.has('orders'));
      assert.equal(byPath.get('products/<id>')?.snippet, 'products/${1:id}');
      assert.equal(byPath.get('products/<product_id>/variations/<id>')?.snippet, 'products/${1:product_id}/variations/${2:id}');
      assert.equal(byPath.get('products/<product_id>/variations/<id>')?.path, 'products/<product_id>/variations/<id>');
      assert.equal(byPath.get('products/categories')?.snippet, 'products/categories');
      for (const c of all) assert.ok(c.filterText.startsWith('products/'), c.filterText);
    });

    it('keeps the values already typed for path parameters', () => {
      const c = routeCompletions('products/42/va');
      assert.deepEqual(c.map((x) => x.route.path), ['products/<product_id>/variations', 'products/<product_id>/variations/batch', 'products/<product_id>/variations/generate', 'products/<product_id>/variations/<id>']);
      assert.equal(c[0]!.snippet, 'products/42/variations');
      assert.equal(c[3]!.snippet, 'products/42/variations/${1:id}');
      for (const x of c) assert.ok(x.filterText.startsWith('products/42/va'), x.filterText);
    });

    it('takes a {{variable}} as any parameter value, and a partly typed number as the value', () => {
      assert.ok(paths('orders/{{orderId}}/n').includes('orders/<order_id>/notes'));
      const four = routeCompletions('products/4');
      assert.ok(four.some((c) => c.route.path === 'products/<id>' && c.snippet === 'products/4'));
      assert.ok(!four.some((c) => c.route.path === 'products/batch'), 'a number does not start "batch"');
    });

    it('numeric parameters refuse words; text parameters take them', () => {
      assert.ok(!paths('products/abc/').length, 'no product route has a word where an id goes');
      assert.deepEqual(paths('settings/general/'), ['settings/<group_id>/batch', 'settings/<group_id>/<id>']);
      assert.equal(routeCompletions('settings/general/')[1]!.snippet, 'settings/general/${1:id}');
    });

    it('escapes snippet syntax in typed values and ignores a query already typed', () => {
      assert.equal(routeCompletions('products/{{$x}}/dup')[0]!.snippet, 'products/{{\\$x\\}\\}/duplicate');
      assert.deepEqual(paths('/coupons?per_page=1'), ['coupons', 'coupons/batch', 'coupons/<id>']);
    });

    it('puts the routes that accept the request\'s method first', () => {
      const del = paths('products/', 'DELETE');
      assert.equal(del[0], 'products/<id>');
      assert.ok(del.indexOf('products/categories') > del.indexOf('products/tags/<id>'), 'GET-and-POST-only routes come after the deletable ones');
      assert.equal(paths('products/', 'GET')[0], 'products/suggested-products');
      assert.equal(paths('products/', 'POST').indexOf('products/suggested-products'), paths('products/', 'POST').length - 1, 'the only GET-only sub-route of products comes last for POST');
    });
  });

  describe('findRoute and routeArgs', () => {
    it('finds the catalogue route of a concrete path, literals winning over parameters', () => {
      assert.equal(findRoute('products/42')?.path, 'products/<id>');
      assert.equal(findRoute('products/42/variations/7/')?.path, 'products/<product_id>/variations/<id>');
      assert.equal(findRoute('products/categories')?.path, 'products/categories');
      assert.equal(findRoute('data/currencies/current')?.path, 'data/currencies/current');
      assert.equal(findRoute('data/currencies/EUR')?.path, 'data/currencies/<currency>');
      assert.equal(findRoute('products/{{id}}')?.path, 'products/<id>');
      assert.equal(findRoute('orders/<order_id>/notes')?.path, 'orders/<order_id>/notes');
      assert.equal(findRoute('products/abc'), undefined);
      assert.equal(findRoute('not/a/route'), undefined);
    });

    it('gives a collection\'s filters for GET, with enums for order and status', () => {
      const args = routeArgs('products', 'GET');
      const n = args.map((a) => a.name);
      for (const x of ['page', 'per_page', 'search', 'orderby', 'order', 'status', 'sku', 'category', 'stock_status', '_fields']) assert.ok(n.includes(x), x);
      assert.deepEqual(args.find((a) => a.name === 'order')?.values, ['asc', 'desc']);
      assert.ok(args.find((a) => a.name === 'orderby')?.values?.includes('price'));
      assert.ok(routeArgs('orders?status=any', 'get').find((a) => a.name === 'status')?.values?.includes('on-hold'));
      assert.ok(names('customers', 'GET').includes('role'));
      assert.ok(names('orders/12/notes', 'GET').includes('type'));
      assert.ok(names('reports/sales', 'HEAD').includes('period'));
    });

    it('gives force for DELETE and no filters for writes', () => {
      assert.deepEqual(names('products/42', 'DELETE'), ['force', ...GLOBAL_ARGS.map((a) => a.name)]);
      assert.ok(names('customers/3', 'DELETE').includes('reassign'));
      assert.deepEqual(names('products', 'POST'), GLOBAL_ARGS.map((a) => a.name));
      assert.ok(!names('products/42', 'GET').includes('per_page'), 'an item has no pagination');
      assert.deepEqual(routeArgs('unknown/route', 'GET'), []);
    });
  });

  describe('wooPathOf', () => {
    it('reads the path after /wc/v3/ under any REST prefix, or from ?rest_route=', () => {
      assert.equal(wooPathOf('{{$store.url}}/wp-json/wc/v3/products/42?context=edit'), 'products/42');
      assert.equal(wooPathOf('https://shop.test/api/wc/v3/orders'), 'orders');
      assert.equal(wooPathOf('https://shop.test/wp-json/wc/v3/'), '');
      assert.equal(wooPathOf('https://shop.test/?rest_route=/wc/v3/coupons&per_page=2'), 'coupons');
      assert.equal(wooPathOf('https://shop.test/?rest_route=%2Fwc%2Fv3%2Fcoupons'), 'coupons');
      assert.equal(wooPathOf('https://shop.test/wp-json/wp/v2/posts'), undefined);
      assert.equal(wooPathOf('https://shop.test/wp-json/wc/v3'), undefined);
    });
  });
});
