// `npm start -- --host ADDR`: the VS Code server it starts has no connection token, so an address
// other machines can reach is refused unless the user says --i-know.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const START = path.resolve(__dirname, '..', '..', '..', 'scripts', 'start.mjs');

describe('npm start --host', () => {
  for (const host of ['0.0.0.0', '192.168.1.20', '::']) {
    it(`refuses ${host} without --i-know, saying why, before building or starting anything`, () => {
      const r = spawnSync(process.execPath, [START, '--host', host], { encoding: 'utf8', timeout: 20_000 });
      assert.strictEqual(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /without a connection token/);
      assert.match(r.stderr, /--i-know/);
      assert.doesNotMatch(r.stdout, /running in VS Code/);
    });
  }
});
