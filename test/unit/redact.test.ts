import * as assert from 'node:assert/strict';
import { MASK, redactHeader, redactHeaders, redactText, redactUrl, truncatedKey } from '../../src/core/redact';
import { redactBytes } from '../../src/core/redact-bytes';

import { CK, CS } from '../fixtures/fake-keys';
const APP_PASSWORD = 'abcd EFGH ijkl MNOP qrst 1234';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** True when any 8-character run of `secret` is still in `text`. */
function leaks(text: string, secret: string): boolean {
  for (let i = 0; i + 8 <= secret.length; i++) {
    if (text.includes(secret.slice(i, i + 8))) return true;
  }
  return false;
}

describe('redact', () => {
  describe('truncatedKey', () => {
    it('is the last 7 characters, as WooCommerce shows them', () => {
      assert.equal(truncatedKey(CK), '0e1c3a5b'.slice(-7));
      assert.equal(truncatedKey(CK), 'e1c3a5b');
    });
  });

  describe('redactText: each shape is masked', () => {
    it('a consumer secret keeps nothing', () => {
      const out = redactText(`secret is ${CS}.`);
      assert.equal(out, `secret is cs_${MASK}.`);
      assert.ok(!leaks(out, CS.slice(3)));
    });

    it('a consumer key keeps only its last 7 characters', () => {
      assert.equal(redactText(`key ${CK} used`), 'key ck_…e1c3a5b used');
      assert.ok(!leaks(redactText(CK), CK.slice(3)));
    });

    it('consumer_key / consumer_secret / oauth_signature / password query values', () => {
      const url =
        `https://shop.test/wp-json/wc/v3/products?consumer_key=${CK}&consumer_secret=${CS}` +
        '&oauth_signature=AbC%2Bd%3D&password=hunter2&new_password=x1&per_page=5';
      assert.equal(
        redactText(url),
        `https://shop.test/wp-json/wc/v3/products?consumer_key=ck_…e1c3a5b&consumer_secret=cs_${MASK}` +
          `&oauth_signature=${MASK}&password=${MASK}&new_password=${MASK}&per_page=5`,
      );
    });

    it('values that are not key-shaped are masked too (typo, truncated paste)', () => {
      assert.equal(redactText('consumer_secret=oops-not-a-secret'), `consumer_secret=${MASK}`);
      assert.equal(redactText('consumer_key=wrongkey1234567'), 'consumer_key=…1234567');
      assert.equal(redactText('consumer_key=short'), `consumer_key=${MASK}`);
    });

    it('a secret pasted as the consumer key does not show its last 7 characters', () => {
      const out = redactText(`consumer_key=${CS}`);
      assert.equal(out, `consumer_key=cs_${MASK}`);
    });

    it('Authorization: Basic and Bearer header values', () => {
      const basic = Buffer.from(`${CK}:${CS}`).toString('base64');
      assert.equal(redactText(`Authorization: Basic ${basic}`), `Authorization: Basic ${MASK}`);
      assert.equal(redactText(`authorization:Bearer abc.def-123`), `authorization:Bearer ${MASK}`);
      assert.equal(
        redactText(`curl -H 'Authorization: Basic ${basic}' https://shop.test/`),
        `curl -H 'Authorization: Basic ${MASK}' https://shop.test/`,
      );
      assert.equal(redactText('Proxy-Authorization: Basic dXNlcjpwYXNz'), `Proxy-Authorization: Basic ${MASK}`);
      assert.equal(redactText('Authorization: 0123456789abcdef'), `Authorization: ${MASK}`);
    });

    it('Authorization: OAuth keeps nonce, timestamp and method but not the signature or the key', () => {
      const header =
        `Authorization: OAuth oauth_consumer_key="${CK}", oauth_nonce="kYjzVBB8Y0ZF", ` +
        'oauth_signature_method="HMAC-SHA256", oauth_timestamp="1700000000", oauth_signature="x%2By%3D"';
      assert.equal(
        redactText(header),
        'Authorization: OAuth oauth_consumer_key="ck_…e1c3a5b", oauth_nonce="kYjzVBB8Y0ZF", ' +
          `oauth_signature_method="HMAC-SHA256", oauth_timestamp="1700000000", oauth_signature="${MASK}"`,
      );
    });

    it('"Authorization" and secrets inside JSON', () => {
      const json = JSON.stringify({
        headers: { Authorization: `Basic ${Buffer.from('u:p4ssw0rd-long').toString('base64')}` },
        consumer_secret: CS,
        password: 'hunter 2',
        name: 'Basic authentication',
      });
      const out = redactText(json);
      assert.equal(
        out,
        JSON.stringify({
          headers: { Authorization: `Basic ${MASK}` },
          consumer_secret: `cs_${MASK}`,
          password: MASK,
          name: 'Basic authentication',
        }),
      );
    });

    it('JWTs', () => {
      assert.equal(redactText(`token ${JWT} end`), `token ${MASK} end`);
      assert.equal(redactText(`Bearer ${JWT}`), `Bearer ${MASK}`);
    });

    it('a password in a URL\'s userinfo', () => {
      assert.equal(redactUrl('https://admin:s3cret@shop.test/wp-json/'), `https://admin:${MASK}@shop.test/wp-json/`);
    });

    it('an application password passed as a known secret, with or without its spaces, encoded or not', () => {
      const compact = APP_PASSWORD.replace(/ /g, '');
      const text = [
        `spaced ${APP_PASSWORD}`,
        `compact ${compact}`,
        `form ${APP_PASSWORD.replace(/ /g, '+')}`,
        `query ${encodeURIComponent(APP_PASSWORD)}`,
      ].join('\n');
      const out = redactText(text, [APP_PASSWORD]);
      assert.equal(out, `spaced ${MASK}\ncompact ${MASK}\nform ${MASK}\nquery ${MASK}`);
      // Given in its compact form, the spaced form is still found.
      assert.equal(redactText(`x ${APP_PASSWORD} y`, [compact]), `x ${MASK} y`);
    });

    it('an application password is not guessed when it is not known', () => {
      assert.equal(redactText(`spaced ${APP_PASSWORD}`), `spaced ${APP_PASSWORD}`);
    });

    it('any known secret, raw and percent-encoded; a known consumer key keeps its last 7', () => {
      const token = 'my secret/token+1';
      const out = redactText(`a ${token} b ${encodeURIComponent(token)} c ${CK}`, [token, CK]);
      assert.equal(out, `a ${MASK} b ${MASK} c ck_…e1c3a5b`);
    });

    it('ignores known secrets too short to search for', () => {
      assert.equal(redactText('a cat sat', ['a', '']), 'a cat sat');
    });

    it('follows a list of secrets that changed since it was last used', () => {
      const secrets = ['first-secret-value'];
      assert.equal(redactText('x first-secret-value', secrets), `x ${MASK}`);
      secrets[0] = 'other-secret-value'; // same length, other contents
      assert.equal(redactText('y other-secret-value', secrets), `y ${MASK}`);
      secrets.push('third-secret-value');
      assert.equal(redactText('z third-secret-value other-secret-value', secrets), `z ${MASK} ${MASK}`);
    });

    it('is idempotent', () => {
      const text = `GET https://u:pw@s.test/?consumer_key=${CK}&consumer_secret=${CS}\nAuthorization: OAuth oauth_consumer_key="${CK}", oauth_signature="abc"\n${JWT} ${APP_PASSWORD}`;
      const once = redactText(text, [APP_PASSWORD]);
      assert.equal(redactText(once, [APP_PASSWORD]), once);
      assert.ok(!leaks(once, CS.slice(3)) && !leaks(once, CK.slice(3, 36)));
    });
  });

  describe('redactText: non-secrets are left intact', () => {
    for (const text of [
      'https://shop.test/wp-json/wc/v3/products?per_page=10&page=2&orderby=date',
      'Use Basic authentication over HTTPS. Was the Authorization: header stripped?',
      'commit 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 fixed it', // 40 hex without a cs_ prefix
      '{"id":42,"name":"Woo Album","sku":"ck_short","password_protected":false}',
      'X-WP-Total: 5\nX-WP-TotalPages: 1\nContent-Type: application/json; charset=UTF-8',
      'oauth_nonce=kYjzVBB8Y0ZF&oauth_timestamp=1700000000&oauth_signature_method=HMAC-SHA1',
    ]) {
      it(text.split('\n')[0] ?? text, () => assert.equal(redactText(text), text));
    }
  });

  describe('redactHeaders', () => {
    it('masks secret headers, keeps names, shapes and harmless values', () => {
      const out = redactHeaders({
        Authorization: `Basic ${Buffer.from(`${CK}:${CS}`).toString('base64')}`,
        'proxy-authorization': 'Bearer abc',
        Cookie: 'wordpress_logged_in_1a2b=admin%7C1700%7Cabc; wp-settings-1=libraryContent',
        'Set-Cookie': ['wordpress_sec_1a2b=admin%7Cxyz; path=/wp-admin; HttpOnly', 'empty=; Path=/'],
        'X-WP-Nonce': '0123abcd45',
        Location: `https://shop.test/wp-json/wc/v3/products?consumer_key=${CK}&consumer_secret=${CS}`,
        'Content-Type': 'application/json',
        'X-WP-Total': '5',
      });
      assert.deepEqual(out, {
        Authorization: `Basic ${MASK}`,
        'proxy-authorization': `Bearer ${MASK}`,
        Cookie: `wordpress_logged_in_1a2b=${MASK}; wp-settings-1=${MASK}`,
        'Set-Cookie': [`wordpress_sec_1a2b=${MASK}; path=/wp-admin; HttpOnly`, 'empty=; Path=/'],
        'X-WP-Nonce': MASK,
        Location: `https://shop.test/wp-json/wc/v3/products?consumer_key=ck_…e1c3a5b&consumer_secret=cs_${MASK}`,
        'Content-Type': 'application/json',
        'X-WP-Total': '5',
      });
    });

    it('an OAuth Authorization header keeps its non-secret parameters', () => {
      const out = redactHeaders({
        authorization: `OAuth oauth_consumer_key="${CK}", oauth_nonce="n1", oauth_signature="s%2B%3D", oauth_timestamp="17"`,
      });
      assert.equal(
        out['authorization'],
        `OAuth oauth_consumer_key="ck_…e1c3a5b", oauth_nonce="n1", oauth_signature="${MASK}", oauth_timestamp="17"`,
      );
    });

    it('an Authorization header of an unknown shape is masked whole', () => {
      assert.deepEqual(redactHeaders({ Authorization: 'sometoken' }), { Authorization: MASK });
      assert.deepEqual(redactHeaders({ Authorization: 'Custom a b c' }), { Authorization: `Custom ${MASK}` });
    });

    it('known secrets are masked in any header', () => {
      assert.deepEqual(redactHeaders({ 'X-Debug': `pw=${APP_PASSWORD}` }, [APP_PASSWORD]), { 'X-Debug': `pw=${MASK}` });
    });

    it('does not modify its input', () => {
      const input = { Authorization: 'Bearer abcdef' };
      redactHeaders(input);
      assert.deepEqual(input, { Authorization: 'Bearer abcdef' });
    });
  });

  describe('values with a label (where they came from)', () => {
    const token = 'tok_5b7c9e1f3a5c7e9b1d3f';
    const labels = new Map([[token, '$processEnv WOO_TOKEN']]);
    it('shows the label instead of dots, in every place the value can be', () => {
      assert.equal(redactHeader('Authorization', `Bearer ${token}`, [token], labels), 'Bearer ⟨$processEnv WOO_TOKEN⟩');
      assert.equal(redactHeader('X-Api-Key', token, [token], labels), '⟨$processEnv WOO_TOKEN⟩');
      assert.equal(redactHeader('X-Api-Key', `${token}-extra`, [token], labels), MASK, 'a secret header with more than the label in it keeps nothing');
      assert.equal(redactUrl(`https://shop.example/wp-json/x?token=${encodeURIComponent(token)}&a=1`, [token], labels), 'https://shop.example/wp-json/x?token=⟨$processEnv WOO_TOKEN⟩&a=1');
      assert.equal(redactText(`{"password":"${token}"}`, [token], labels), '{"password":"⟨$processEnv WOO_TOKEN⟩"}');
      const echoed = Buffer.from(redactBytes(Buffer.from(`you sent ${token}`), [token], labels)).toString('utf8');
      assert.equal(echoed, 'you sent ⟨$processEnv WOO_TOKEN⟩', 'an answer that echoes the value');
    });
    it('is stable: redacting the labelled text again changes nothing, and without labels it is dots as before', () => {
      const once = redactText(`Authorization: Bearer ${token}\ntoken=${token}`, [token], labels);
      assert.equal(redactText(once), once);
      assert.equal(redactHeader('Authorization', `Bearer ${token}`, [token]), `Bearer ${MASK}`);
    });
  });
});
