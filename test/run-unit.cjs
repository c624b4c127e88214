// Runs the unit tests (plain Node, mocha, compiled to out/test/unit) and writes {passed, failed}
// to --results FILE. A separate process so a leaked handle cannot hang the whole `npm test`.
const fs = require('fs');
const path = require('path');
const Mocha = require('mocha');

const argv = process.argv.slice(2);
const resultsFile = argv.includes('--results') ? argv[argv.indexOf('--results') + 1] : undefined;
const grep = argv.includes('--grep') ? argv[argv.indexOf('--grep') + 1] : undefined;
const dir = path.resolve(__dirname, '..', 'out', 'test', 'unit');

const files = [];
(function walk(d) {
  if (!fs.existsSync(d)) return;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.js')) files.push(p);
  }
})(dir);

const mocha = new Mocha({ ui: 'bdd', timeout: 20000, reporter: 'spec' });
if (grep) mocha.grep(grep);
files.sort().forEach((f) => mocha.addFile(f));
const results = { passed: [], failed: [] };
const runner = mocha.run((failures) => {
  if (files.length === 0) results.failed.push({ title: 'unit suite', err: `no unit test files under ${dir}` });
  if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results, null, 1));
  // Exit explicitly: a server a test forgot to close must not keep `npm test` alive.
  process.exit(failures > 0 || files.length === 0 ? 1 : 0);
});
runner.on('pass', (t) => results.passed.push(t.fullTitle()));
runner.on('fail', (t, err) => results.failed.push({ title: t.fullTitle(), err: String(err && err.message || err) }));
