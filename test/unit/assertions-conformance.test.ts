// SPEC §10 conformance cases (docs/http-format.md): httpYac's `??` assertions, one `it` per case,
// inputs and expected results written out. Cases marked "httpYac" behave as httpYac 6 does; cases
// marked "§10.5" are where we read a line differently, on purpose.

import * as assert from 'node:assert/strict';
import { parseHttpDocument } from '../../src/core/http/parse';
import { evaluateAssertion, isAssertion, parseAssertion, type AssertionResponse } from '../../src/core/http/assertions';

const PRODUCT = { id: 794, name: 'Premium Quality', status: 'publish', price: '21.99', featured: false, stock_quantity: 0, tags: [], categories: [{ id: 9, name: 'Clothing' }], dimensions: { length: '', width: '2' }, on_sale: true, sku: null };

function response(over: Partial<AssertionResponse> = {}): AssertionResponse {
  return {
    status: 200,
    headers: [['Content-Type', 'application/json; charset=UTF-8'], ['X-WP-Total', '42'], ['Set-Cookie', 'a=1'], ['set-cookie', 'b=2']],
    bodyText: JSON.stringify(PRODUCT),
    timings: { total: 180, firstByte: 150, dns: 2, connect: 3 },
    ...over,
  };
}

/** The one `??` line of a request, parsed as the document parser reads it, then checked. */
function check(line: string, res: AssertionResponse = response(), substitute?: (t: string) => string) {
  const doc = parseHttpDocument(`GET https://shop.test/wp-json/wc/v3/products/794\n\n${line}\n`);
  assert.deepEqual(doc.problems, [], `no parse problem for ${line}`);
  const [textLine] = doc.requests[0].assertions;
  const a = parseAssertion(textLine);
  assert.ok(isAssertion(a), `${line} is an assertion`);
  return evaluateAssertion(a, res, substitute);
}

function passes(line: string, res?: AssertionResponse) {
  const o = check(line, res);
  assert.equal(o.passed, true, `${line} should pass: ${o.message}`);
  return o;
}

function fails(line: string, res?: AssertionResponse) {
  const o = check(line, res);
  assert.equal(o.passed, false, `${line} should fail: ${o.message}`);
  return o;
}

function problemsOf(text: string) {
  return parseHttpDocument(text).problems.map((p) => [p.code, p.range.start.line, p.range.start.character, p.range.end.character, p.message]);
}

describe('SPEC §10 assertions: conformance', () => {
  it('A01 status == 200 passes on 200, fails on 401 with the actual value in httpYac\'s words', () => {
    assert.equal(passes('?? status == 200').message, 'status (200) == 200');
    const o = fails('?? status == 200', response({ status: 401 }));
    assert.equal(o.actual, '401');
    assert.equal(o.expected, '200');
    assert.equal(o.message, 'status (401) == 200');
  });

  it('A02 aliases of ==: ===, equals (httpYac ids), the first operator word wins (§10.5)', () => {
    passes('?? status === 200');
    passes('?? status equals 200');
  });

  it('A03 != / !== / not equals', () => {
    passes('?? status != 201');
    passes('?? status !== 201');
    passes('?? status not equals 201');
    fails('?? status != 200');
  });

  it('A04 < <= > >= compare as numbers; a side that is not a number fails', () => {
    passes('?? status > 199');
    passes('?? status >= 200');
    passes('?? status < 300');
    passes('?? status <= 200');
    fails('?? status < 200');
    passes('?? body $.price > 20');
    fails('?? body $.name > 1');
  });

  it('A05 header NAME is case-insensitive; includes / contains on its value', () => {
    passes('?? header content-type includes json');
    passes('?? header Content-Type contains application/json');
    fails('?? header content-type includes xml');
  });

  it('A06 a repeated header is joined with ", "', () => {
    passes('?? header set-cookie == a=1, b=2');
  });

  it('A07 a missing header does not exist, is falsy, equals nothing', () => {
    fails('?? header x-missing exists');
    passes('?? header x-missing isFalse');
    fails('?? header x-missing == 1');
    assert.equal(fails('?? header x-missing exists').actual, 'undefined');
  });

  it('A08 header values are strings: == converts nothing, numbers compare with <', () => {
    passes('?? header x-wp-total == 42');
    passes('?? header x-wp-total > 41');
    passes('?? header x-wp-total isString');
    fails('?? header x-wp-total isNumber');
  });

  it('A09 body $.id exists; body $.missing does not', () => {
    passes('?? body $.id exists');
    fails('?? body $.nope exists');
  });

  it('A10 a quoted expected value is the string inside (§10.5)', () => {
    passes('?? body $.status == "publish"');
    passes('?? body $.status == publish');
    fails('?? body $.status == "draft"');
  });

  it('A11 numbers: the expected text is read with parseFloat (httpYac)', () => {
    passes('?? body $.id == 794');
    passes('?? body $.id == 794abc');
    fails('?? body $.id == abc');
    passes('?? body $.id isNumber');
  });

  it('A12 booleans: true/false any case, or a number', () => {
    passes('?? body $.featured == false');
    passes('?? body $.featured == FALSE');
    passes('?? body $.on_sale == 1');
    passes('?? body $.featured isBoolean');
    passes('?? body $.featured isFalse');
    fails('?? body $.featured isTrue');
  });

  it('A13 exists / isTrue are truthiness: 0, "" and false do not exist (httpYac)', () => {
    fails('?? body $.stock_quantity exists');
    fails('?? body $.dimensions.length exists');
    passes('?? body $.stock_quantity isNumber');
    passes('?? body $.dimensions.width isTrue');
  });

  it('A14 null matches only null', () => {
    passes('?? body $.sku == null');
    fails('?? body $.id == null');
    passes('?? body $.sku isFalse');
  });

  it('A15 objects and arrays compare as JSON, key order not significant', () => {
    passes('?? body $.dimensions == {"width":"2","length":""}');
    passes('?? body $.categories == [{"id":9,"name":"Clothing"}]');
    fails('?? body $.categories == []');
    passes('?? body $.tags == []');
    passes('?? body $.tags isArray');
    passes('?? body $.categories != []');
  });

  it('A16 includes finds a substring of an array\'s JSON, or an element', () => {
    passes('?? body $.categories includes Clothing');
    passes('?? body $.categories[0].name startsWith Cloth');
    passes('?? body $.name endsWith Quality');
    fails('?? body $.name startsWith Quality');
  });

  it('A17 startsWith on a number uses its decimal form (httpYac: ?? status startsWith 20)', () => {
    passes('?? status startsWith 20');
    passes('?? status endsWith 00');
  });

  it('A18 matches: a JavaScript regular expression with the u flag, never converted', () => {
    passes('?? body $.price matches ^\\d+\\.\\d{2}$');
    passes('?? status matches ^2\\d\\d$');
    fails('?? body $.name matches ^premium');
  });

  it('A19 isString / isNumber / isArray follow the JSON type', () => {
    passes('?? body $.price isString');
    fails('?? body $.price isNumber');
    fails('?? body $.name isArray');
  });

  it('A20 duration < N in milliseconds; phases', () => {
    passes('?? duration < 500');
    fails('?? duration < 100');
    passes('?? duration firstByte < 151');
    passes('?? duration download == 30');
  });

  it('A21 body alone is the parsed JSON (formatting does not matter, §10.5), or the text', () => {
    passes('?? body == {"id":794}', response({ bodyText: '{\n  "id": 794\n}' }));
    passes('?? body == hello', response({ bodyText: 'hello', headers: [['Content-Type', 'text/plain']] }));
    passes('?? body includes hell', response({ bodyText: 'hello', headers: [['Content-Type', 'text/plain']] }));
  });

  it('A22 body PATH on a body that is not JSON is undefined', () => {
    const o = fails('?? body $.id exists', response({ bodyText: '<html></html>', headers: [['Content-Type', 'text/html']] }));
    assert.equal(o.actual, 'undefined');
  });

  it('A23 a path without $ is relative to the body (httpYac\'s body foo.bar)', () => {
    passes('?? body categories[0].id == 9');
    passes('?? body dimensions.width == 2');
  });

  it('A24 several JSONPath matches are an array', () => {
    const res = response({ bodyText: JSON.stringify([{ id: 1, status: 'publish' }, { id: 2, status: 'draft' }]) });
    passes('?? body $[*].id == [1,2]', res);
    passes('?? body $[?(@.status == \'draft\')].id == 2', res);
    passes('?? body $.length == 2', res);
  });

  it('A25 operators inside brackets or quotes are not the operator (§10.5)', () => {
    const res = response({ bodyText: JSON.stringify([{ price: 5, name: 'a exists' }]) });
    passes('?? body $[?(@.price < 10)].name exists', res);
    passes('?? body $[0].name == "a exists"', res);
  });

  it('A26 {{variables}} in the expected value are substituted', () => {
    const o = check('?? body $.id == {{productId}}', response(), (t) => t.replace('{{productId}}', '794'));
    assert.equal(o.passed, true);
  });

  it('A27 xpath PATH on an XML body', () => {
    const res = response({ bodyText: '<product><id>7</id><name>Tee</name></product>', headers: [['Content-Type', 'application/xml']] });
    passes('?? xpath /product/name == Tee', res);
    fails('?? xpath /product/missing exists', res);
  });

  it('A28 sha256 / md5 of the body (base64), as httpYac', () => {
    const res = response({ bodyText: 'hello', headers: [['Content-Type', 'text/plain']] });
    passes('?? body sha256 LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=', res);
    passes('?? body md5 XUFAKrxLKna5cZ2REBfFkg==', res);
  });

  it('A29 `??` right under the request line is an assertion, not a query continuation line', () => {
    const doc = parseHttpDocument('GET https://shop.test/a\n?? status == 200\n');
    assert.equal(doc.requests[0].url, 'https://shop.test/a');
    assert.deepEqual(doc.requests[0].assertions.map((a) => a.text), ['status == 200']);
  });

  it('A30 `??` after headers, with no body, ends the headers', () => {
    const doc = parseHttpDocument('GET https://shop.test/a\nAccept: application/json\n?? status == 200\n?? header content-type includes json\n');
    assert.deepEqual(doc.requests[0].headers.map((h) => h.name), ['Accept']);
    assert.equal(doc.requests[0].assertions.length, 2);
  });

  it('A31 `??` after a JSON body ends the body', () => {
    const doc = parseHttpDocument('POST https://shop.test/a\nContent-Type: application/json\n\n{"a": 1}\n?? status == 201\n');
    const body = doc.requests[0].body;
    assert.equal(body?.kind === 'text' ? body.text : undefined, '{"a": 1}');
    assert.deepEqual(doc.requests[0].assertions.map((a) => a.text), ['status == 201']);
  });

  it('A32 an unknown subject is an error on the subject\'s range', () => {
    assert.deepEqual(problemsOf('GET https://shop.test/a\n\n?? code == 200\n'), [
      ['invalid-assertion', 2, 3, 7, '"code" is not something an assertion can check: use status, header NAME, body [JSONPath], duration or xpath PATH (names are lower case).'],
    ]);
  });

  it('A33 no operator is an error on the line', () => {
    const p = problemsOf('GET https://shop.test/a\n\n?? status 200\n');
    assert.equal(p.length, 1);
    assert.deepEqual(p[0].slice(0, 4), ['invalid-assertion', 2, 0, 13]);
    assert.match(String(p[0][4]), /has no operator/);
  });

  it('A34 a wrong-case operator names the right spelling', () => {
    const p = problemsOf('GET https://shop.test/a\n\n?? header content-type Includes json\n');
    assert.deepEqual(p[0].slice(0, 4), ['invalid-assertion', 2, 23, 31]);
    assert.match(String(p[0][4]), /write includes, not Includes/);
  });

  it('A35 spaces around the operator are required', () => {
    const p = problemsOf('GET https://shop.test/a\n\n?? status==200\n');
    assert.match(String(p[0][4]), /Put spaces around the operator: \?\? status == …/);
  });

  it('A36 a binary operator without a value, a header without a name, status with an argument', () => {
    assert.match(String(problemsOf('GET https://shop.test/a\n\n?? status ==\n')[0][4]), /== needs a value after it/);
    assert.match(String(problemsOf('GET https://shop.test/a\n\n?? header exists\n')[0][4]), /Name the header/);
    assert.match(String(problemsOf('GET https://shop.test/a\n\n?? status code == 200\n')[0][4]), /status takes no argument/);
  });

  it('A37 js assertions run JavaScript: refused with a diagnostic', () => {
    assert.match(String(problemsOf('GET https://shop.test/a\n\n?? js response.parsedBody.id == 1\n')[0][4]), /runs JavaScript/);
  });

  it('A38 a bad regular expression and a bad JSONPath are diagnostics', () => {
    assert.match(String(problemsOf('GET https://shop.test/a\n\n?? body $.name matches ([a-z\n')[0][4]), /not a regular expression/);
    assert.match(String(problemsOf('GET https://shop.test/a\n\n?? body $.(x) exists\n')[0][4]), /JSONPath/);
  });

  it('A39 a duration phase that does not exist is a diagnostic', () => {
    assert.match(String(problemsOf('GET https://shop.test/a\n\n?? duration connectTime < 5\n')[0][4]), /not a phase of the duration/);
  });

  it('A40 `??x` (no space) is not an assertion line; an indented `??` neither', () => {
    const doc = parseHttpDocument('GET https://shop.test/a\n\n{"a":1}\n  ?? status == 200\n');
    assert.equal(doc.requests[0].assertions.length, 0);
  });
});
