// `woo-api import` as a user runs it: the built dist/cli.js in a child process.
import * as assert from 'assert';
import { CLI, runCli } from './helpers/cli';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  return runCli(args, { env: { ...process.env, ...env }, cwd });
}

describe('woo-api import', function () {
  this.timeout(30000);
  let dir: string;
  before(() => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run the build (npm test does) first`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-cli-import-'));
  });

  it('writes a Postman collection\'s files for a store, never overwriting, and they parse clean', async () => {
    const src = path.join(ROOT, 'test', 'fixtures', 'imports', 'woocommerce.postman_collection.json');
    const r = await cli(['import', 'postman', src, '--store', 'shop', '--out', 'api'], dir);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Wrote 4 files for the store "shop":\n {2}api\/woocommerce-rest-api-shop-team\.http {2}\(1 request\)\n {2}api\/products\.http {2}\(6 requests\)/);
    assert.match(r.stdout, /note: Variable consumer_secret looks secret/);
    const again = await cli(['import', 'postman', src, '--store', 'shop', '--out', 'api'], dir);
    assert.match(again.stdout, /api\/products-2\.http/, 'an existing file is never overwritten');
    const parsed = await cli(['parse', 'api/products.http', '--json'], dir, { WOO_STORE_SHOP_URL: 'https://shop.example.com' });
    assert.strictEqual(parsed.status, 0, parsed.stderr);
    assert.deepStrictEqual(JSON.parse(parsed.stdout).problems, []);
    const all = fs.readdirSync(path.join(dir, 'api')).map((f) => fs.readFileSync(path.join(dir, 'api', f), 'utf8')).join('\n');
    assert.ok(!/ck_[0-9a-f]{40}|cs_[0-9a-f]{40}/.test(all), 'no key written');
  });

  it('imports the store\'s own route catalogue from WOO_STORE_* (no credentials needed)', async () => {
    const { startSandbox } = await import('../../src/sandbox');
    const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sandbox-seed.json'), 'utf8'));
    const sandbox = await startSandbox({ seed });
    try {
      fs.writeFileSync(path.join(dir, 'ca.pem'), sandbox.certificatePem);
      const r = await cli(['import', 'store', '--store', 'my-shop', '--out', 'routes', '--namespace', 'wc/v3'], dir, { WOO_STORE_MY_SHOP_URL: sandbox.httpsUrl, WOO_STORE_MY_SHOP_CA_FILE: path.join(dir, 'ca.pem') });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(r.stdout, /routes\/routes-wc-v3\.http {2}\(\d+ requests\)/);
      const text = fs.readFileSync(path.join(dir, 'routes', 'routes-wc-v3.http'), 'utf8');
      assert.match(text, /^@store = my-shop$/m);
      assert.match(text, /^GET \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/orders\/\{\{id\}\}$/m);
    } finally {
      await sandbox.stop();
    }
  });

  it('refuses what it cannot import with a sentence and exit 2', async () => {
    for (const [args, msg] of [
      [['import', 'zip'], /Say what to import/],
      [['import', 'postman', 'x.json'], /Name the store/],
      [['import', 'postman', 'missing.json', '--store', 's'], /Cannot read missing\.json: no such file/],
      [['import', 'store', '--store', 'nowhere'], /No store is named "nowhere": set WOO_STORE_NOWHERE_URL/],
    ] as const) {
      const r = await cli([...args], dir);
      assert.strictEqual(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});
