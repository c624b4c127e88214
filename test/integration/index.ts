// The extensionTestsPath module: @vscode/test-electron's contract (export run(): Promise<void>), so
// the same suite runs on code-server here (test/run-integration.mjs) and on desktop VS Code
// (npm run test:desktop). Results also go to $WOO_TEST_RESULTS for the runner's summary line.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  return runSuite(__dirname);
}

/** Runs the *.test.js files of one directory (not its subdirectories: restricted/ is a suite of its own). */
export function runSuite(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30000 });
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(dir, f));
  }
  const grep = process.env.WOO_TEST_GREP;
  if (grep) mocha.grep(grep);
  const results: { passed: string[]; failed: { title: string; err: string }[] } = { passed: [], failed: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (process.env.WOO_TEST_RESULTS) fs.writeFileSync(process.env.WOO_TEST_RESULTS, JSON.stringify(results, null, 1));
      console.log(`${results.passed.length} passed, ${results.failed.length} failed`);
      if (failures > 0) reject(new Error(`${failures} integration tests failed.`));
      else resolve();
    });
    runner.on('pass', (t) => results.passed.push(t.fullTitle()));
    runner.on('fail', (t, err: Error) => results.failed.push({ title: t.fullTitle(), err: err?.stack ?? String(err) }));
  });
}
