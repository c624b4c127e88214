import * as assert from 'node:assert/strict';
import { basicAuthorization, withQueryCredentials } from '../../src/core/auth/basic';

import { CK, CS } from '../fixtures/fake-keys';

describe('basic auth appliers', () => {
  describe('basicAuthorization', () => {
    it('is "Basic " + base64 of user:password', () => {
      // Written out by hand: base64("ck_x:cs_y") = Y2tfeDpjc195
      assert.equal(basicAuthorization('ck_x', 'cs_y'), 'Basic Y2tfeDpjc195');
      assert.equal(
        Buffer.from(basicAuthorization(CK, CS).slice('Basic '.length), 'base64').toString('utf8'),
        `${CK}:${CS}`,
      );
    });

    it('encodes non-ASCII as UTF-8 (RFC 7617 charset="UTF-8")', () => {
      // "é" is C3 A9 in UTF-8: base64("é:ü") = w6k6w7w=
      assert.equal(basicAuthorization('é', 'ü'), 'Basic w6k6w7w=');
    });

    it('matches the shape WordPress accepts from the header (REFERENCE C.1)', () => {
      const value = basicAuthorization('admin', 'abcd EFGH ijkl MNOP qrst 1234');
      assert.match(value, /^Basic [a-z\d/+]*={0,2}$/i);
    });

    it('refuses a user name with a colon, which the server would split', () => {
      assert.throws(() => basicAuthorization(`${CK}:${CS}`, ''), /cannot contain ":"/);
    });
  });

  describe('withQueryCredentials', () => {
    it('appends consumer_key and consumer_secret, keeping the rest of the URL as written', () => {
      assert.equal(
        withQueryCredentials('https://shop.test/wp-json/wc/v3/products?search=a+b&filter[q]=x%20y', CK, CS),
        `https://shop.test/wp-json/wc/v3/products?search=a+b&filter[q]=x%20y&consumer_key=${CK}&consumer_secret=${CS}`,
      );
    });

    it('works on a URL without a query', () => {
      assert.equal(
        withQueryCredentials('https://shop.test/wp-json/wc/v3/products', CK, CS),
        `https://shop.test/wp-json/wc/v3/products?consumer_key=${CK}&consumer_secret=${CS}`,
      );
    });

    it('replaces credentials already in the query instead of sending two', () => {
      const url = withQueryCredentials(
        'https://shop.test/p?consumer_key=old&a=1&consumer%5Fsecret=old&consumer_secretx=keep',
        CK,
        CS,
      );
      const params = new URL(url).searchParams;
      assert.deepEqual(params.getAll('consumer_key'), [CK]);
      assert.deepEqual(params.getAll('consumer_secret'), [CS]);
      assert.equal(params.get('consumer_secretx'), 'keep');
      assert.equal(params.get('a'), '1');
    });

    it('percent-encodes values that need it (RFC 3986)', () => {
      const url = withQueryCredentials('https://shop.test/p', 'k y', "s&e=c'ret");
      assert.ok(url.endsWith('?consumer_key=k%20y&consumer_secret=s%26e%3Dc%27ret'), url);
    });

    it('refuses a relative URL with a sentence', () => {
      assert.throws(() => withQueryCredentials('/wp-json/wc/v3', CK, CS), /not an absolute URL/);
    });
  });
});
