import * as assert from 'assert';
import { readStores, storeProblems } from '../../src/core/store';

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
});
