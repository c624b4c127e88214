// SPEC §10: our `??` assertions against httpYac's own, on the same responses. httpYac (a dev
// dependency, also the parser benchmark's baseline) runs the file from its CLI against a server on
// loopback; we check the same lines against the same answers. Every line where §10 says "httpYac's
// rule" must agree; the lines of §10.5, where we read differently on purpose, must differ.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHttpDocument } from '../../src/core/http/parse';
import { evaluateAssertion, isAssertion, parseAssertion, type AssertionResponse } from '../../src/core/http/assertions';

const HTTPYAC = path.resolve(__dirname, '..', '..', '..', 'node_modules', 'httpyac', 'bin', 'httpyac.js');

const PRODUCT = JSON.stringify({ id: 794, name: 'Premium Quality', status: 'publish', price: '21.99', featured: false, on_sale: true, stock_quantity: 0, sku: null, tags: [], categories: [{ id: 9, name: 'Clothing' }], dimensions: { length: '', width: '2' } });
const ANSWERS: Record<string, { status: number; type: string; body: string }> = {
  '/product': { status: 200, type: 'application/json; charset=UTF-8', body: PRODUCT },
  '/denied': { status: 401, type: 'application/json; charset=UTF-8', body: '{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}' },
  '/text': { status: 200, type: 'text/plain', body: 'hello world' },
};

/** Lines on which §10 follows httpYac: both must say the same. */
const SAME: Record<string, string[]> = {
  '/product': [
    'status == 200', 'status != 201', 'status > 199', 'status >= 200', 'status < 300', 'status <= 200', 'status < 200',
    'status startsWith 20', 'status endsWith 00', 'status equals 200', 'status isNumber', 'status isString',
    'header content-type includes json', 'header Content-Type contains xml', 'header x-wp-total == 42', 'header x-wp-total > 41',
    'header x-wp-total isString', 'header x-missing exists', 'header x-missing isFalse', 'header content-type startsWith application/json',
    'header content-type endsWith UTF-8', 'header content-type matches ^application/(json|xml)',
    'body id == 794', 'body id == 794abc', 'body id == abc', 'body id != 795', 'body id isNumber', 'body price isString', 'body price > 20',
    'body featured == false', 'body featured == FALSE', 'body on_sale == 1', 'body featured isBoolean', 'body featured isFalse', 'body featured exists',
    'body stock_quantity exists', 'body stock_quantity isNumber', 'body stock_quantity isFalse', 'body sku == null', 'body sku isFalse', 'body id == null',
    'body tags isArray', 'body name isArray', 'body tags == []', 'body categories == [{"id":9,"name":"Clothing"}]', 'body categories == []',
    'body categories includes Clothing', 'body categories[0].name startsWith Cloth', 'body name endsWith Quality', 'body name startsWith Quality',
    'body price matches ^\\d+\\.\\d{2}$', 'body name matches ^premium', 'body dimensions.width == 2', 'body dimensions.length exists',
    'body missing exists', 'body missing isFalse', 'body name isTrue', 'body status == publish',
  ],
  '/denied': ['status == 401', 'status == 200', 'body code == woocommerce_rest_cannot_view', 'body data.status == 401', 'body code includes cannot'],
  '/text': ['body == hello world', 'body includes world', 'body startsWith hello', 'body isString', 'body sha256 uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=', 'body md5 XrY7u+Ae7tCTyyK7j1rNww=='],
};

/** Lines of §10.5: httpYac fails them, we pass them. */
const DIFFERENT: Record<string, string[]> = {
  '/product': ['status === 200', 'body status == "publish"', 'body name == "Premium Quality"'],
};

function httpyacResults(file: string): Promise<{ message: string; status: string }[][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HTTPYAC, 'send', file, '--all', '--json', '--output', 'none'], { cwd: path.dirname(file), env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', () => {
      try {
        const parsed = JSON.parse(out) as { requests: { testResults?: { message: string; status: string }[] }[] };
        resolve(parsed.requests.map((r) => r.testResults ?? []));
      } catch {
        reject(new Error(`httpyac did not report JSON: ${out.slice(0, 500)} ${err.slice(0, 500)}`));
      }
    });
  });
}

describe('SPEC §10 assertions: the same results as httpYac', function () {
  this.timeout(60000);
  let server: http.Server;
  let origin: string;
  before(async () => {
    server = http.createServer((req, res) => {
      const a = ANSWERS[req.url ?? ''] ?? { status: 404, type: 'text/plain', body: 'no' };
      res.writeHead(a.status, { 'Content-Type': a.type, 'X-WP-Total': '42' });
      res.end(a.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('agrees on every line where §10 follows httpYac, and differs only on the §10.5 lines', async () => {
    const paths = Object.keys(ANSWERS);
    const lines = (p: string) => [...(SAME[p] ?? []), ...(DIFFERENT[p] ?? [])];
    const text = paths.map((p) => `GET ${origin}${p}\n\n${lines(p).map((l) => `?? ${l}`).join('\n')}\n`).join('\n###\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'woo-httpyac-')), 'diff.http');
    fs.writeFileSync(file, text);
    const theirs = await httpyacResults(file);
    // The comparison means something only if httpYac passed some lines and failed others.
    assert.ok(theirs.flat().some((t) => t.status === 'SUCCESS') && theirs.flat().some((t) => t.status === 'FAILED'), JSON.stringify(theirs));
    const doc = parseHttpDocument(text);
    assert.deepEqual(doc.problems, []);
    const disagreements: string[] = [];
    paths.forEach((p, i) => {
      const a = ANSWERS[p]!;
      const response: AssertionResponse = { status: a.status, headers: [['Content-Type', a.type], ['X-WP-Total', '42']], bodyText: a.body, bodyBytes: Buffer.from(a.body), timings: { total: 1 } };
      const ours = doc.requests[i]!.assertions.map((l) => {
        const parsed = parseAssertion(l);
        assert.ok(isAssertion(parsed), l.text);
        return evaluateAssertion(parsed, response).passed;
      });
      assert.equal(theirs[i]!.length, ours.length, `httpYac ran every line of ${p}`);
      lines(p).forEach((line, k) => {
        const same = k < (SAME[p] ?? []).length;
        const theirPass = theirs[i]![k]!.status === 'SUCCESS';
        if (same && theirPass !== ours[k]) disagreements.push(`${p} "${line}": httpYac ${theirPass}, ours ${ours[k]}`);
        if (!same && (theirPass || !ours[k])) disagreements.push(`${p} "${line}" (§10.5): expected httpYac to fail and us to pass, got ${theirPass} / ${ours[k]}`);
      });
    });
    assert.deepEqual(disagreements, []);
  });
});
