// `woo-api test` as CI runs it: the built dist/cli.js in a child process against the sandbox store
// on loopback; the JUnit it writes is checked against a JUnit XML schema (test/fixtures/junit) with
// xmllint (Debian's libxml2-utils; npm test and .ci/run install it).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { CLI, runCli } from './helpers/cli';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findTestFiles, globToRegExp } from '../../src/cli-test';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const XSD = path.join(ROOT, 'test', 'fixtures', 'junit', 'junit.xsd');

function xmllint(file: string): { ok: boolean; output: string } {
  const r = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  if (r.error) throw new Error('xmllint is missing: install Debian\'s libxml2-utils (npm test installs it with the other system packages).');
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const TESTS_HTTP = [
  '@store = my-shop', //                                                   1
  '', //                                                                   2
  '### list products', //                                                  3
  'GET {{$store.url}}/wp-json/wc/v3/products?per_page=2', //               4
  '?? status == 200', //                                                   5
  '?? header content-type includes json', //                               6
  '?? body $ isArray', //                                                  7
  '?? duration < 10000', //                                                8
  '', //                                                                   9
  '### create', //                                                        10
  '# @name created', //                                                   11
  'POST {{$store.url}}/wp-json/wc/v3/products', //                        12
  'Content-Type: application/json', //                                    13
  '', //                                                                  14
  '{"name": "Assert Tee", "type": "simple", "regular_price": "9.99"}', // 15
  '', //                                                                  16
  '?? status == 201', //                                                  17
  '?? body $.name == "Assert Tee"', //                                    18
  '?? body $.regular_price == 9.99', //                                   19
  '', //                                                                  20
  '> {%', //                                                              21
  'client.test("created has an id", function () { client.assert(response.body.id > 0, "no id"); });', // 22
  'client.global.set("createdName", response.body.name);', //            23
  '%}', //                                                                24
  '', //                                                                  25
  '### read back', //                                                     26
  'GET {{$store.url}}/wp-json/wc/v3/products/{{created.response.body.$.id}}', // 27
  '?? status == 200', //                                                  28
  '?? body $.id == {{created.response.body.$.id}}', //                    29
  '', //                                                                  30
  '### wrong expectations', //                                            31
  'GET {{$store.url}}/wp-json/wc/v3/products/{{created.response.body.$.id}}', // 32
  '?? status == 404', //                                                  33
  '?? body $.name == "Another Tee"', //                                   34
  '?? body $.name startsWith Assert', //                                  35
  '',
].join('\n');

const KEY_HTTP = [
  '@store = wrong-key',
  '',
  '### with a wrong secret',
  'GET {{$store.url}}/wp-json/wc/v3/products',
  '?? status == 200',
  '',
].join('\n');

describe('woo-api test against the sandbox store', function () {
  this.timeout(60000);
  const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sandbox-seed.json'), 'utf8'));
  const rw = seed.keys.find((k: { permissions: string }) => k.permissions === 'read_write');
  let sandbox: import('../../src/sandbox').RunningSandbox;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run the build (npm test does) first`);
    const { startSandbox } = await import('../../src/sandbox');
    sandbox = await startSandbox({ seed });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-test-'));
    fs.writeFileSync(path.join(dir, 'ca.pem'), sandbox.certificatePem);
    env = {
      ...process.env,
      WOO_STORE_MY_SHOP_URL: sandbox.httpsUrl,
      WOO_STORE_MY_SHOP_CONSUMER_KEY: rw.consumer_key,
      WOO_STORE_MY_SHOP_CONSUMER_SECRET: rw.consumer_secret,
      WOO_STORE_MY_SHOP_CA_FILE: path.join(dir, 'ca.pem'),
      WOO_STORE_WRONG_KEY_URL: sandbox.httpsUrl,
      WOO_STORE_WRONG_KEY_CONSUMER_KEY: rw.consumer_key,
      WOO_STORE_WRONG_KEY_CONSUMER_SECRET: `cs_${'0'.repeat(40)}`,
      WOO_STORE_WRONG_KEY_CA_FILE: path.join(dir, 'ca.pem'),
    };
    fs.mkdirSync(path.join(dir, 'api', 'nested'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'api', 'tests.http'), TESTS_HTTP);
    fs.writeFileSync(path.join(dir, 'api', 'nested', 'key.http'), KEY_HTTP);
    fs.writeFileSync(path.join(dir, 'api', 'green.http'), '@store = my-shop\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n?? status == 200\n?? body $[0].id isNumber\n');
  });
  after(async () => { await sandbox.stop(); });

  const cli = (args: string[], more: Record<string, string> = {}) => runCli(args, { env: { ...env, ...more }, cwd: dir });

  it('exits 0 when every request passes', async () => {
    const r = await cli(['test', 'api/green.http']);
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ 2 GET .*→ 200/);
    assert.match(r.stdout, /^1 passed, 0 failed$/m);
  });

  it('runs in file order with chaining, shows failing checks with their actual values, exits 1', async () => {
    const r = await cli(['test', 'api/tests.http']);
    assert.strictEqual(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ 4 list products → 200/);
    assert.match(r.stdout, /✓ 12 created → 201/);
    assert.match(r.stdout, /✓ 27 read back → 200/, 'the id chained from the created product');
    assert.match(r.stdout, /✗ 32 wrong expectations → 200/);
    assert.match(r.stdout, /✗ line 33: status \(200\) == 404/);
    assert.match(r.stdout, /✗ line 34: \$\.name \(Assert Tee\) == Another Tee/);
    assert.match(r.stdout, /- line 21: Skipped: response handlers run JavaScript; pass --allow-scripts to run them/, 'the handler is listed as skipped without --allow-scripts');
    assert.match(r.stdout, /^3 passed, 1 failed$/m);
    assert.ok(!(r.stdout + r.stderr).includes(rw.consumer_secret));
  });

  it('runs JetBrains handlers with --allow-scripts: client.test results, client.global as a variable later', async () => {
    fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'scripts', 'handlers.http'), `${TESTS_HTTP.split('### wrong expectations')[0]}### global\nGET {{$store.url}}/wp-json/wc/v3/products/{{created.response.body.$.id}}\n?? body $.name == {{createdName}}\n`);
    const r = await cli(['test', 'scripts/handlers.http', '--allow-scripts', '--reporter', 'json']);
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout);
    const created = out.files[0].requests[1];
    assert.deepStrictEqual(created.checks.map((c: { label: string; passed: boolean }) => [c.label, c.passed]), [
      ['status == 201', true], ['body $.name == "Assert Tee"', true], ['body $.regular_price == 9.99', true], ['created has an id', true],
    ]);
    assert.strictEqual(out.files[0].requests[3].checks[0].message, '$.name (Assert Tee) == Assert Tee');
    assert.strictEqual(out.totals.failed, 0);
  });

  it('writes JUnit that a JUnit XML schema accepts, with a failure per failing request', async () => {
    const r = await cli(['test', 'api', '--reporter', 'junit', '--out', 'reports/junit.xml']);
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /^4 passed, 2 failed$/m, 'the summary still goes to stdout');
    const file = path.join(dir, 'reports', 'junit.xml');
    const xml = fs.readFileSync(file, 'utf8');
    const check = xmllint(file);
    assert.ok(check.ok, check.output);
    assert.match(xml, /<testsuites name="woo-api test" tests="6" failures="2" errors="0" skipped="0"/);
    assert.match(xml, /<testsuite name="api\/green\.http"/);
    assert.match(xml, /<testcase name="wrong expectations \(line 32\)" classname="api\/tests\.http" assertions="3" time="[\d.]+" file="api\/tests\.http" line="32">\n\s+<failure message="line 33: status \(200\) == 404" type="assertion">/);
    // The 401: the explainer's cause rides on the failed status assertion.
    assert.match(xml, /<testcase name="with a wrong secret \(line 4\)"[^>]*>\n\s+<failure message="line 5: status \(401\) == 200 — [^"]+"/);
    assert.match(xml, /cause: .+\n\s+fix: /);
  });

  it('the schema check can fail: a report without a suite\'s counts is refused', () => {
    const bad = path.join(dir, 'bad.xml');
    fs.writeFileSync(bad, '<?xml version="1.0"?>\n<testsuites><testsuite name="x"><testcase name="a" classname="b" time="x"/></testsuite></testsuites>\n');
    const check = xmllint(bad);
    assert.strictEqual(check.ok, false);
    assert.match(check.output, /timestamp|tests|time/);
  });

  it('github: an ::error annotation on each failing line, with the file and column', async () => {
    const r = await cli(['test', 'api/tests.http', 'api/nested/key.http', '--reporter', 'github']);
    assert.strictEqual(r.status, 1);
    const lines = r.stdout.split('\n');
    assert.ok(lines.includes('::error file=api/tests.http,line=33,col=1,endColumn=17,title=wrong expectations%3A status == 404::status (200) == 404'), r.stdout);
    assert.ok(lines.some((l) => l.startsWith('::error file=api/tests.http,line=34,')));
    assert.ok(!lines.some((l) => l.includes('line=35')), 'a passing check is not annotated');
    const keyLine = lines.find((l) => l.startsWith('::error file=api/nested/key.http,line=5,'));
    assert.ok(keyLine && /status \(401\) == 200 — .+%0A.+Fixes: /.test(keyLine), keyLine);
  });

  it('tap: TAP 13 with a YAML block for each failure', async () => {
    const r = await cli(['test', 'api/tests.http', '--reporter', 'tap']);
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /^TAP version 13\n1\.\.4\nok 1 - api\/tests\.http:4 list products\n/);
    assert.match(r.stdout, /^not ok 4 - api\/tests\.http:32 wrong expectations\n {2}---\n {2}message: "line 33: status \(200\) == 404"/m);
  });

  it('--bail stops at the first failing request', async () => {
    const r = await cli(['test', 'api/nested/key.http', 'api/green.http', '--bail', '--reporter', 'json']);
    assert.strictEqual(r.status, 1);
    const out = JSON.parse(r.stdout);
    assert.strictEqual(out.files.length, 1, 'green.http was not run');
    assert.strictEqual(out.bailed, true);
  });

  it('refuses a bad reporter, a missing file and an empty glob with exit 2', async () => {
    for (const [args, msg] of [[['test', '--reporter', 'xml'], /--reporter takes junit, tap, github or json/], [['test', 'nope.http'], /Cannot read nope\.http: no such file/], [['test', 'api/*.rest'], /No \.http or \.rest file matches/]] as const) {
      const r = await cli([...args]);
      assert.strictEqual(r.status, 2, r.stderr);
      assert.match(r.stderr, msg);
    }
  });

  it('globs: ** any folders, * within a name; files once, in order', () => {
    assert.ok(globToRegExp('a/**/*.http').test('a/b/c/d.http'));
    assert.ok(globToRegExp('a/**/*.http').test('a/d.http'));
    assert.ok(!globToRegExp('a/*.http').test('a/b/d.http'));
    const files = findTestFiles(['api/**/*.http', 'api/green.http'], dir).map((f) => path.relative(dir, f));
    assert.deepStrictEqual(files, ['api/green.http', 'api/nested/key.http', 'api/tests.http'].map((f) => f.split('/').join(path.sep)));
  });
});
