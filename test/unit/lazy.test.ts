// Parts loaded on first use (src/core/lazy.ts): read once, and a part that cannot be loaded is
// said in one sentence naming it, not Node's "Require stack" list, and tried again next time.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { lazily, PartNotLoaded } from '../../src/core/lazy';

describe('Lazy parts: loaded on first use', () => {
  it('loads a part once, on the first call', () => {
    let loads = 0;
    const part = lazily(() => ({ n: ++loads }), 'the counter');
    assert.strictEqual(loads, 0, 'nothing is loaded before the first use');
    assert.strictEqual(part().n, 1);
    assert.strictEqual(part(), part());
    assert.strictEqual(loads, 1);
  });

  it('a missing bundle is one clear sentence naming the part and the file, and is tried again', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-lazy-'));
    const file = path.join(dir, 'store-dialogs.js');
    try {
      const load = createRequire(__filename);
      const part = lazily(() => load(file) as { ok: boolean }, 'the store dialogs');
      assert.throws(part, (err: Error) => {
        assert.ok(err instanceof PartNotLoaded, String(err));
        assert.match(err.message, /^WooCommerce API Studio could not load the store dialogs \(Cannot find module '.*store-dialogs\.js'\)\. .*reinstall the extension/);
        assert.doesNotMatch(err.message, /Require stack|\n|\s+at /, 'no stack or require list in the message');
        return true;
      });
      // The file comes back (a repaired install): the next call loads it.
      fs.writeFileSync(file, 'module.exports = { ok: true };');
      assert.deepStrictEqual(part(), { ok: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a part whose code fails while loading is said the same way', () => {
    const part = lazily(() => {
      throw new TypeError('x is not a function\n    at Object.<anonymous> (dist/token-sign-in.js:1:2)');
    }, 'the token sign-in');
    assert.throws(part, /^PartNotLoaded: WooCommerce API Studio could not load the token sign-in \(x is not a function\)\. /);
  });
});
