// Runs the integration suite (out/test/integration/index.js) inside a real VS Code extension host:
// the same contract as @vscode/test-electron's runTests(), on code-server's VS Code server.
// Writes {passed, failed} to the file named by --results and exits non-zero unless every test passed
// and the host reported. Usage: node test/run-integration.mjs --results FILE [--suite restricted]
// The restricted suite (test/integration/restricted/) runs with Workspace Trust on and the folder
// untrusted: Restricted Mode, as a user gets it when opening a folder they have not trusted.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { ROOT } from '../scripts/ensure.mjs';
import { launchBrowser, makeProfile, startServer, workbenchUrl } from './vscode-host.mjs';

const argv = process.argv.slice(2);
const resultsFile = path.resolve(argv[argv.indexOf('--results') + 1] || path.join(ROOT, 'out', 'integration-results.json'));
const restricted = argv.includes('--suite') && argv[argv.indexOf('--suite') + 1] === 'restricted';
const TIMEOUT_MS = Number(process.env.WOO_INTEGRATION_TIMEOUT_MS || 10 * 60 * 1000);
const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(1)}s]`;

async function main() {
  fs.rmSync(resultsFile, { force: true });
  const profile = restricted
    ? makeProfile('woo-it-restricted-', {
      'security.workspace.trust.enabled': true,
      // Opens untrusted, without the trust dialog (which the test driver could not answer).
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.untrustedFiles': 'open',
      // Set by the user: even so, a folder in Restricted Mode does not start the sandbox.
      'wooApiStudio.sandbox.autoStart': true,
    })
    : makeProfile('woo-it-');
  // The suite writes into its workspace, so it gets a fresh copy of the fixture workspace.
  const workspace = path.join(profile.dir, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  profile.env.WOO_TEST_RESULTS = resultsFile;
  profile.env.WOO_TEST_WORKSPACE = workspace;
  profile.env.WOO_REPO_ROOT = ROOT;
  // The suite searches the whole profile (settings, state, logs) for a canary secret.
  profile.env.WOO_PROFILE_DIR = profile.dir;
  const server = await startServer(profile, { workspaceTrust: restricted });
  console.log(`${stamp()} VS Code server on ${server.url} (profile ${profile.dir})`);
  let browser;
  try {
    browser = await launchBrowser(profile);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let exit;
    const exited = new Promise((r) => (exit = r));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(args || []));
      // The web workbench's service worker is not served by the VS Code server; the 404 is harmless noise.
      if (!/Service ?Worker|^\s+at .*workbench\.js:/.test(line)) console.log(stamp(), line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    page.on('pageerror', (e) => console.log(`${stamp()} [workbench error]`, String(e).slice(0, 300)));
    const payload = [
      ['extensionDevelopmentPath', server.remote(ROOT)],
      ['extensionTestsPath', server.remote(path.join(ROOT, 'out', 'test', 'integration', ...(restricted ? ['restricted'] : []), 'index'))],
    ];
    await page.goto(workbenchUrl(server, workspace, payload));
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS))]);
    if (code === 'timeout') {
      const shot = path.join(profile.dir, 'timeout.png');
      await page.screenshot({ path: shot }).catch(() => {});
      console.log(`${stamp()} the extension host never reported within ${TIMEOUT_MS / 1000}s (screenshot ${shot}, server log ${server.logFile})`);
    }
    return code;
  } finally {
    await browser?.close().catch(() => {});
    server.stop();
  }
}

main().then((code) => {
  let summary = { passed: [], failed: [] };
  if (fs.existsSync(resultsFile)) summary = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  else summary.failed.push({ title: 'integration suite', err: 'the extension host never reported results' });
  for (const f of summary.failed) console.log(`FAILED: ${f.title}\n  ${f.err}`);
  console.log(`${stamp()} integration${restricted ? ' (Restricted Mode)' : ''}: ${summary.passed.length} passed, ${summary.failed.length} failed (host exit code ${code})`);
  fs.writeFileSync(resultsFile, JSON.stringify(summary, null, 1));
  process.exit(code === 0 && summary.failed.length === 0 ? 0 : 1);
}, (err) => {
  console.error(err instanceof Error ? err.message : err);
  fs.writeFileSync(resultsFile, JSON.stringify({ passed: [], failed: [{ title: 'integration runner', err: String(err?.message ?? err) }] }));
  process.exit(1);
});
