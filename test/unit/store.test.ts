import * as assert from 'assert';
import { isStoreHost, readStores, rebasedStoreUrl, storeOrigins, storeProblems, unconfirmedOrigins, type Store } from '../../src/core/store';

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

describe('store origins: where a store\'s credentials are bound', () => {
  it('are the base URL\'s and the Home URL\'s origins, scheme and port included', () => {
    assert.deepStrictEqual(storeOrigins({ baseUrl: 'https://shop.example.com/wp/' }), ['https://shop.example.com']);
    assert.deepStrictEqual(storeOrigins({ baseUrl: 'http://127.0.0.1:8080', options: { homeUrl: 'http://www.localhost' } }), ['http://127.0.0.1:8080', 'http://www.localhost']);
    assert.deepStrictEqual(storeOrigins({ baseUrl: 'https://a.example:443', options: { homeUrl: 'https://a.example/' } }), ['https://a.example'], 'the default port is the same origin');
    assert.deepStrictEqual(storeOrigins({ baseUrl: 'not a url' }), []);
  });

  it('a change of scheme, host, port or Home URL leaves an origin to confirm; a change of path does not', () => {
    const bound = storeOrigins({ baseUrl: 'https://shop.example.com' });
    assert.deepStrictEqual(unconfirmedOrigins({ baseUrl: 'https://shop.example.com/other/path' }, bound), []);
    assert.deepStrictEqual(unconfirmedOrigins({ baseUrl: 'http://shop.example.com' }, bound), ['http://shop.example.com']);
    assert.deepStrictEqual(unconfirmedOrigins({ baseUrl: 'https://shop.example.com:8443' }, bound), ['https://shop.example.com:8443']);
    assert.deepStrictEqual(unconfirmedOrigins({ baseUrl: 'https://evil.example' }, bound), ['https://evil.example']);
    assert.deepStrictEqual(unconfirmedOrigins({ baseUrl: 'https://shop.example.com', options: { homeUrl: 'https://evil.example' } }, bound), ['https://evil.example']);
  });

  it('a token store\'s endpoints are origins too: a token endpoint moved to another host must be confirmed before the password goes there', () => {
    const oauth = { baseUrl: 'https://shop.example.com', token: { tokenUrl: 'https://shop.example.com/oauth/token/', authorizeUrl: 'https://shop.example.com/oauth/authorize/' } };
    const bound = storeOrigins(oauth);
    assert.deepStrictEqual(bound, ['https://shop.example.com'], 'the same host adds nothing');
    assert.deepStrictEqual(unconfirmedOrigins({ ...oauth, token: { ...oauth.token, tokenUrl: 'https://evil.example/token' } }, bound), ['https://evil.example']);
    assert.deepStrictEqual(unconfirmedOrigins({ ...oauth, token: { ...oauth.token, revokeUrl: 'https://auth.example/revoke' } }, bound), ['https://auth.example']);
    assert.deepStrictEqual(storeOrigins({ baseUrl: 'https://shop.example.com', token: { tokenUrl: 'https://auth.example/token' } }), ['https://auth.example', 'https://shop.example.com']);
  });
});
