import * as assert from 'assert';
import { findPlaintextSecrets } from '../../src/core/secret-scan';

const CK = 'ck_' + '0123456789'.repeat(4).replace(/[6-9]/g, 'a');
const CS = 'cs_' + 'fedcba9876'.repeat(4);

describe('plaintext secrets in files', () => {
  it('finds keys in query parameters with the span of the whole pair', () => {
    const line = `GET https://shop.example/wp-json/wc/v3/products?per_page=5&consumer_key=${CK}&consumer_secret=${CS}`;
    const found = findPlaintextSecrets(line, 'http');
    assert.deepStrictEqual(found.map((f) => [f.kind, f.context]), [['consumer-key', 'query-param'], ['consumer-secret', 'query-param']]);
    assert.strictEqual(line.slice(found[0].pairStart, found[0].pairEnd), `&consumer_key=${CK}`);
    assert.strictEqual(line.slice(found[1].start, found[1].end), CS);
  });

  it('recognises a Basic header, a file variable and a .env line', () => {
    const http = findPlaintextSecrets(`Authorization: Basic ${CK}:${CS}\n@secret = ${CS}\n`, 'http');
    assert.deepStrictEqual(http.map((f) => [f.line, f.context]), [[0, 'basic-header'], [0, 'basic-header'], [1, 'variable']]);
    const env = findPlaintextSecrets(`WC_SECRET=${CS}\nAPP_PASSWORD="abcd EF12 ijkl MNOP qrst UVWX"\n`, 'dotenv');
    assert.deepStrictEqual(env.map((f) => [f.kind, f.context, f.line]), [['consumer-secret', 'dotenv', 0], ['application-password', 'dotenv', 1]]);
  });

  it('leaves alone what only looks similar: prose, short or non-hex keys, masked values', () => {
    assert.deepStrictEqual(findPlaintextSecrets('this line has some more text here okay', 'http'), []);
    assert.deepStrictEqual(findPlaintextSecrets(`ck_${'a'.repeat(39)} cs_${'g'.repeat(40)} cs_••••••••`, 'http'), []);
  });
});
