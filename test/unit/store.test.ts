import * as assert from 'assert';
import { isStoreHost, readStores, rebasedStoreUrl, storeProblems, type Store } from '../../src/core/store';

describe('store settings', () => {
  const good = { id: 'shop', name: 'Shop', baseUrl: 'https://shop.example.com', authMethod: 'wc-basic' };

  it('accepts a well-formed store', () => {
    assert.deepStrictEqual(storeProblems(good), []);
    assert.deepStrictEqual(readStores([good]).stores, [good]);
  });

  it('says what is wrong with each bad entry and keeps the good ones', () => {
    const { stores, problems } = readStores([good, { id: 'x y', name: '', baseUrl: 'ftp://a', authMethod: 'magic' }, 42]);
    assert.deepStrictEqual(stores.map((s) => s.id), ['shop']);
    assert.ok(problems.some((p) => p.includes('"id"')));
    assert.ok(problems.some((p) => p.includes('"name"')));
    assert.ok(problems.some((p) => p.includes('https://')));
    assert.ok(problems.some((p) => p.includes('authMethod') && p.includes('wc-oauth1')));
    assert.ok(problems.includes('A store entry must be an object.'));
  });

  it('treats a missing setting as no stores and a non-list as a problem', () => {
    assert.deepStrictEqual(readStores(undefined), { stores: [], problems: [] });
    assert.strictEqual(readStores({}).problems.length, 1);
  });

  describe('where a store\'s credentials may go', () => {
    const store: Store = { id: 's', name: 'shop', baseUrl: 'https://shop.example/store', authMethod: 'wc-basic', options: { homeUrl: 'https://www.shop.example' } };

    it('to the host of its base URL or Home URL, whatever the scheme, port or path', () => {
      assert.strictEqual(isStoreHost('https://shop.example/store/wp-json/wc/v3/orders', store), true);
      assert.strictEqual(isStoreHost('http://shop.example:8080/other', store), true);
      assert.strictEqual(isStoreHost('https://WWW.Shop.Example/wp-json/', store), true);
    });

    it('never to another host, a look-alike or a URL that does not parse', () => {
      assert.strictEqual(isStoreHost('https://shop.example.attacker.test/wp-json/', store), false);
      assert.strictEqual(isStoreHost('https://attacker.test/?u=https://shop.example', store), false);
      assert.strictEqual(isStoreHost('https://shop.example@attacker.test/', store), false);
      assert.strictEqual(isStoreHost('not a url', store), false);
      assert.strictEqual(isStoreHost('https://www.shop.example/', { ...store, options: {} }), false);
    });

    it('moving a store onto its Home URL keeps its sub-directory', () => {
      assert.strictEqual(rebasedStoreUrl(store, 'https://www.shop.example/store/wp-json/wc/v3/products?per_page=1'), 'https://www.shop.example/store');
      assert.strictEqual(rebasedStoreUrl({ ...store, baseUrl: 'http://127.0.0.1:8080/' }, 'http://www.localhost/wp-json/'), 'http://www.localhost');
    });
  });
});
