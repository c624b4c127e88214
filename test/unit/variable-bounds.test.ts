// Variable expansion is bounded: a file whose variables double at every step (`@v2 = {{v1}}{{v1}}`
// 39 times) gets a problem on the variable whose value crosses the size bound, naming it, instead
// of crashing the CLI or filling the extension host's memory; 9,000 chained variables resolve
// without a stack overflow, and the linter still reports on such a file; a chain longer than the
// depth bound gets a problem on the variable that crosses it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHttpDocument } from '../../src/core/http/parse';
import { resolveRequest, MAX_VARIABLE_CHAIN, MAX_VARIABLE_LENGTH } from '../../src/core/http/variables';
import { lintDocument } from '../../src/core/lint';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** `@v1 = <seed>` then `@vN = {{vN-1}}{{vN-1}}` up to `levels`, and a request using the last one. */
function doubling(levels: number, seed = 'x'.repeat(20)): string {
  const lines = [`@v1 = ${seed}`];
  for (let i = 2; i <= levels; i++) lines.push(`@v${i} = {{v${i - 1}}}{{v${i - 1}}}`);
  return `${lines.join('\n')}\n\nPOST https://shop.example/wp-json/wc/v3/products\nContent-Type: text/plain\n\n{{v${levels}}}\n`;
}

function chain(length: number): string {
  const lines = ['@c1 = end'];
  for (let i = 2; i <= length; i++) lines.push(`@c${i} = {{c${i - 1}}}`);
  return `${lines.join('\n')}\n\nGET https://shop.example/?q={{c${length}}}&x={{nope}}\n`;
}

describe('variable expansion is bounded in size and depth', function () {
  this.timeout(60_000);

  it('names the bounds', () => {
    assert.equal(MAX_VARIABLE_LENGTH, 1024 * 1024);
    assert.ok(MAX_VARIABLE_CHAIN >= 9000);
  });

  it('doubling 39 times: a problem on the variable that crosses the size bound, nothing huge built', () => {
    const doc = parseHttpDocument(doubling(39));
    const before = process.memoryUsage().heapUsed;
    const { request, problems } = resolveRequest(doc, doc.requests[0], {});
    const grown = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    assert.ok(grown < 200, `the heap grew by ${grown.toFixed(0)} MiB`);
    const big = problems.filter((p) => p.code === 'variable-too-large');
    assert.ok(big.length >= 1, JSON.stringify(problems));
    // 20 × 2^(n-1) characters: v17 is 1,310,720, the first above 1 MiB.
    assert.equal(big[0].range.start.line, 16, `on @v17's line: ${JSON.stringify(big[0])}`);
    assert.match(big[0].message, /"v17"/);
    assert.match(big[0].message, /1,048,576 characters/);
    assert.ok(typeof request.body === 'string' && request.body.length <= MAX_VARIABLE_LENGTH * 2, `the body is ${String(request.body).length} characters`);
    assert.ok(!problems.some((p) => p.range.start.line < 15 && p.code === 'variable-too-large'), 'v16 and below are within the bound');
  });

  it('the linter reports it too, and the CLI does not crash', () => {
    const doc = parseHttpDocument(doubling(39));
    const lint = lintDocument(doc, [], {});
    assert.ok(lint.some((p) => p.code === 'variable-too-large' && p.range.start.line === 16), JSON.stringify(lint));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-vars-'));
    try {
      fs.writeFileSync(path.join(dir, 'double.http'), doubling(39));
      const parsed = spawnSync(process.execPath, [CLI, 'parse', path.join(dir, 'double.http')], { encoding: 'utf8', timeout: 30000 });
      assert.equal(parsed.status, 0, parsed.stderr);
      assert.match(parsed.stderr, /double\.http:17:\d+: warning: "v17" would expand to more than 1,048,576 characters/);
      assert.doesNotMatch(parsed.stderr, /Invalid string length|unexpected failure|\n\s+at /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('9,000 chained variables resolve without a stack overflow, and the linter still reports', () => {
    const doc = parseHttpDocument(chain(9000));
    const { request, problems } = resolveRequest(doc, doc.requests[0], {});
    assert.equal(request.url, 'https://shop.example/?q=end&x=%7B%7Bnope%7D%7D');
    assert.deepEqual(problems.map((p) => p.code), ['unknown-variable']);
    const lint = lintDocument(doc, [], {});
    assert.deepEqual(lint.map((p) => p.code), ['unknown-variable'], 'the linter still works on such a file');
  });

  it('a chain longer than the depth bound: a problem on the variable that crosses it', () => {
    const length = MAX_VARIABLE_CHAIN + 5;
    const doc = parseHttpDocument(chain(length));
    const { problems } = resolveRequest(doc, doc.requests[0], {});
    const deep = problems.find((p) => p.code === 'variable-too-deep');
    assert.ok(deep, JSON.stringify(problems.map((p) => p.code)));
    assert.match(deep.message, new RegExp(`more than ${MAX_VARIABLE_CHAIN.toLocaleString('en-US')} variables`));
  });

  it('cycles are still reported where they close', () => {
    const doc = parseHttpDocument('@a = x{{b}}\n@b = {{a}}y\nGET https://h/{{a}}');
    const { problems } = resolveRequest(doc, doc.requests[0], {});
    assert.deepEqual(problems.map((p) => [p.code, p.range.start.line, p.range.start.character]), [['variable-cycle', 1, 5]]);
    assert.match(problems[0].message, /a → b → a/);
  });
});
