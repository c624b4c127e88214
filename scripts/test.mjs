// `npm test`: installs what is missing, builds, type-checks, runs the unit tests in plain Node and
// the integration tests in a real VS Code, and ends with the line "N passed, N failed" for both.
// Lint (ESLint, eslint.config.mjs) counts as one test: any finding fails it. Skipped with --grep.
// Exit code is non-zero when anything failed or the VS Code host never reported.
//   --unit / --integration / --e2e   run only that part      --grep TEXT   only matching tests
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ensureHost, ensureNodeModules, ensureSystemPackages, withSetupErrors } from './ensure.mjs';

const args = process.argv.slice(2);
const only = ['--unit', '--integration', '--e2e'].filter((a) => args.includes(a));
const wants = (part) => only.length === 0 ? part !== 'e2e' || process.env.WOO_E2E !== '0' : only.includes(`--${part}`);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;

const totals = { passed: 0, failed: 0 };
const failures = [];
const resultsDir = path.join(ROOT, 'out', 'results');

function step(name, cmd, cmdArgs, env = {}) {
  process.stdout.write(`\n=== ${name}\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function suite(name, script, extra = []) {
  const results = path.join(resultsDir, `${name}.json`);
  fs.rmSync(results, { force: true });
  const ok = step(`${name} tests`, process.execPath, [script, '--results', results, ...(grep ? ['--grep', grep] : []), ...extra],
    grep ? { WOO_TEST_GREP: grep } : {});
  let r = { passed: [], failed: [] };
  if (fs.existsSync(results)) r = JSON.parse(fs.readFileSync(results, 'utf8'));
  if (!ok && r.failed.length === 0) r.failed.push({ title: `${name} suite`, err: 'the suite exited with an error before reporting' });
  totals.passed += r.passed.length;
  totals.failed += r.failed.length;
  failures.push(...r.failed.map((f) => `${name}: ${f.title}`));
}

await withSetupErrors(async () => {
  ensureNodeModules();
  if (wants('integration') || wants('e2e')) {
    ensureSystemPackages();
    ensureHost();
  }
});
fs.mkdirSync(resultsDir, { recursive: true });

// Build and type-check are tests too: a type error fails `npm test`.
const built = step('build (esbuild)', process.execPath, ['esbuild.mjs']);
const typed = step('type-check and compile tests (tsc)', process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json']);
const mediaTyped = step('type-check the webview front end (tsc)', process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'media/tsconfig.json']);
if (!built) { totals.failed++; failures.push('build'); }
if (!mediaTyped) { totals.failed++; failures.push('webview type-check'); }
if (!typed) { totals.failed++; failures.push('type-check'); }

// Lint is a test too: one check, passed with 0 findings (warnings included), failed otherwise.
if (!grep) {
  const linted = step('lint (eslint)', process.execPath, [path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0']);
  if (linted) totals.passed++;
  else { totals.failed++; failures.push('lint: eslint found problems (npm run lint)'); }
}

if (built && typed) {
  if (wants('unit')) suite('unit', 'test/run-unit.cjs');
  if (wants('integration')) {
    suite('integration', 'test/run-integration.mjs');
    suite('integration-restricted', 'test/run-integration.mjs', ['--suite', 'restricted']);
  }
  if (wants('e2e')) {
    suite('e2e', 'test/e2e/run-e2e.mjs');
    suite('e2e-walkthrough', 'test/e2e/run-walkthrough.mjs');
  }
}

if (failures.length) {
  process.stdout.write(`\nFailed:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
}
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed\n`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
