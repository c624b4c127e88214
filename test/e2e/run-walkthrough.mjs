// The Welcome page's walkthrough "From a 401 to fixed", end to end, as a newcomer goes through it:
// a fresh profile (no store, no sandbox), the real VS Code workbench in chromium, every step done
// with the mouse and keyboard, and each step's checkbox ticked by VS Code only when the real event
// happened. Modal dialogs are on (no smoke-test driver): the newcomer answers them as a person does.
// A picture of each step in the light theme as it completes, then of each step in the dark theme;
// WOO_UPDATE_SCREENSHOT=1 copies them to docs/walkthrough/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/ensure.mjs';
import { launchBrowser, makeProfile, startServer, workbenchUrl } from '../vscode-host.mjs';
import { checks, closeToasts, enterInput, pickRow, runCommand, setTheme } from './driver.mjs';

const argv = process.argv.slice(2);
const resultsFile = argv.includes('--results') ? argv[argv.indexOf('--results') + 1] : path.join(ROOT, 'out', 'results', 'e2e-walkthrough.json');
const SHOTS = path.join(ROOT, 'test', 'e2e', 'screenshots', 'walkthrough');
const results = { passed: [], failed: [] };
fs.mkdirSync(SHOTS, { recursive: true });
const { check, use } = checks(results, path.join(SHOTS, 'zz-failure.png'));

const WALKTHROUGH = 'woo-api-studio.woo-api-studio#fromA401ToFixed';
const STEPS = ['startSandbox', 'openSample', 'send', 'breakIt', 'readFinding', 'fix', 'doctor', 'ownStore'];

/** A store of the user's own for the last step: a second sandbox, from the CLI, with known keys. */
function startOwnStore() {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'sandbox', '--seed', path.join(ROOT, 'test', 'fixtures', 'sandbox-seed.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the CLI sandbox did not start: ${out}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /HTTPS\s+(https:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ url: m[1], stop: () => child.kill() }); }
    });
    child.on('exit', () => reject(new Error(`the CLI sandbox exited: ${out}`)));
  });
}

async function main() {
  const profile = makeProfile('woo-walkthrough-', { 'workbench.colorTheme': 'Default Light Modern' });
  const workspace = path.join(profile.dir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const server = await startServer(profile, { smokeTestDriver: false });
  const browser = await launchBrowser(profile);
  const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'sandbox-seed.json'), 'utf8'));
  let own;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    use(page);
    await page.goto(workbenchUrl(server, workspace, [['extensionDevelopmentPath', server.remote(ROOT)]]));
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60000 });

    const stepButton = (id) => page.locator(`button.getting-started-step[data-step-id="${WALKTHROUGH}#${id}"]`);
    const done = (id) => page.locator(`[data-done-step-id="${WALKTHROUGH}#${id}"]`);
    const welcome = () => page.locator('.tab', { hasText: 'Walkthrough:' }).first().click();
    const isDone = async (id) => /getting-started-step-checked/.test((await done(id).getAttribute('class')) ?? '');
    /** Back on the walkthrough: the step's box is ticked (VS Code ticks it on the step's real event). */
    const ticked = async (id, shot) => {
      await welcome();
      await page.waitForFunction(({ sel }) => /getting-started-step-checked/.test(document.querySelector(sel)?.className ?? ''), { sel: `[data-done-step-id="${WALKTHROUGH}#${id}"]` }, { timeout: 30000 });
      for (const later of STEPS.slice(STEPS.indexOf(id) + 1)) if (await isDone(later)) throw new Error(`"${later}" is ticked before it was done`);
      await stepButton(id).click();
      await closeToasts(page);
      await page.screenshot({ path: path.join(SHOTS, `light-${shot}.png`) });
    };
    /** The step's own button (a command link in its description), as a person clicks it. */
    const action = async (id, name) => {
      await welcome();
      await stepButton(id).click();
      await page.locator('.getting-started-step.expanded .monaco-button', { hasText: name }).first().click();
    };
    const sample = () => page.locator('.tab', { hasText: 'Untitled' }).first().click();
    const sendFirst = async () => {
      await sample();
      const lens = page.locator('.codelens-decoration a', { hasText: 'Send' }).first();
      await lens.waitFor({ timeout: 20000 });
      await lens.click();
    };

    await check('the walkthrough opens from the command palette, no step done', async () => {
      await (await runCommand(page, 'Welcome: Open Walkthrough...')).click();
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'From a 401 to fixed' }).first();
      await row.waitFor({ timeout: 20000 });
      await row.click();
      await stepButton('startSandbox').waitFor({ timeout: 20000 });
      for (const id of STEPS) if (await isDone(id)) throw new Error(`"${id}" is ticked on a fresh profile`);
      await page.screenshot({ path: path.join(SHOTS, 'light-00-walkthrough.png') });
    });

    await check('1. Start the sandbox store: its button starts a healthy sandbox; the step is ticked', async () => {
      await action('startSandbox', 'Start Sandbox Store');
      await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Sandbox store running at https://127.0.0.1:' }).first().waitFor({ timeout: 30000 });
      await ticked('startSandbox', '01-start-sandbox');
    });

    await check('2. Open the sample requests: an untitled .http file naming the sandbox, no secret in it', async () => {
      await action('openSample', 'Open Sample Requests');
      await page.locator('.tab', { hasText: 'Untitled' }).first().waitFor({ timeout: 20000 });
      await page.locator('.view-lines', { hasText: '@store = sandbox' }).first().waitFor({ timeout: 10000 });
      const text = await page.locator('.view-lines').first().innerText();
      if (/ck_|cs_/.test(text)) throw new Error('the sample holds a key');
      await ticked('openSample', '02-open-sample');
    });

    await check('3. Send a request: the Send lens shows the exchange, 200; the step is ticked', async () => {
      await sendFirst();
      await page.locator('.view-lines', { hasText: 'HTTP/1.1 200 OK' }).first().waitFor({ timeout: 20000 });
      await ticked('send', '03-send');
    });

    await check('4. Break it: the misconfiguration is picked in plain words; the sandbox strips the header', async () => {
      await action('breakIt', 'Reproduce a Misconfiguration');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'A server that strips the Authorization header' }).first();
      await row.waitFor({ timeout: 20000 });
      await row.click();
      await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'reproducing the Authorization header stripped' }).first().waitFor({ timeout: 30000 });
      await ticked('breakIt', '04-break-it');
    });

    await check('5. Read the finding: the same request now gets a 401 and a problem naming the stripped header', async () => {
      await sendFirst();
      await page.locator('.view-lines', { hasText: 'HTTP/1.1 401' }).first().waitFor({ timeout: 20000 });
      await sample();
      // The problem on the request line, in the Problems panel, in words.
      await (await runCommand(page, 'View: Focus Problems')).click();
      const problem = page.locator('.markers-panel .monaco-list-row', { hasText: /Authorization header/i }).first();
      await problem.waitFor({ timeout: 20000 });
      await ticked('readFinding', '05-read-finding');
    });

    await check('6. Fix it: Ctrl+. on the request line offers the fixes; the one picked repairs and resends, 200', async () => {
      // The problem, opened from the Problems panel: the cursor lands on the request line.
      await (await runCommand(page, 'View: Focus Problems')).click();
      await page.locator('.markers-panel .monaco-list-row', { hasText: /Authorization header/i }).first().dblclick();
      await page.waitForTimeout(300);
      await page.keyboard.press('Control+.');
      const fixes = page.locator('.action-widget .monaco-list-row.action');
      await fixes.first().waitFor({ timeout: 20000 });
      const titles = await fixes.allInnerTexts();
      const at = titles.findIndex((t) => /OAuth 1\.0a|query string/.test(t));
      if (at < 0) throw new Error(`no fix for a stripped header among: ${titles.join(' | ')}`);
      await page.screenshot({ path: path.join(SHOTS, 'light-06-fixes.png') });
      // By keyboard, as the light bulb menu is meant to be used.
      for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      // A fix that puts the secret in URLs asks first, in a modal: the newcomer agrees.
      const dialog = page.locator('.monaco-dialog-box');
      if (await dialog.waitFor({ timeout: 5000 }).then(() => true, () => false)) {
        await dialog.locator('.monaco-button').first().click();
      }
      await page.locator('.view-lines', { hasText: 'HTTP/1.1 200 OK' }).first().waitFor({ timeout: 20000 });
      await (await runCommand(page, 'View: Hide Panel')).click();
      await ticked('fix', '06-fix');
    });

    await check('7. Run the doctor: its button runs the probes and says what it found', async () => {
      await action('doctor', 'Diagnose Store Authentication');
      // The doctor asks which store, even when there is one; the pick stays open while the
      // walkthrough page takes the focus back. It can take a while to appear on a busy machine.
      await pickRow(page, 'Diagnose the authentication of which store', 'sandbox');
      const report = page.locator('.tab', { hasText: 'Doctor sandbox' }).first();
      // The report opens beside, and a notification says the verdict in a sentence.
      await report.waitFor({ timeout: 60000 });
      await page.locator('.notifications-toasts .notification-list-item-message', { hasText: /^sandbox: / }).first().waitFor({ timeout: 10000 });
      await ticked('doctor', '07-doctor');
    });

    await check('8. Add your own store: address, a self-signed certificate trusted by its fingerprint, name, keys; tested and saved', async () => {
      own = await startOwnStore();
      await action('ownStore', 'Add Store');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 20000 });
      await enterInput(page, own.url);
      const dialog = page.locator('.monaco-dialog-box', { hasText: 'does not trust' });
      await dialog.waitFor({ timeout: 20000 });
      if (!/SHA-256 fingerprint/.test(await dialog.innerText())) throw new Error('the certificate dialog shows no fingerprint');
      await page.screenshot({ path: path.join(SHOTS, 'light-08-trust-certificate.png') });
      await dialog.locator('.monaco-button', { hasText: 'Trust This Certificate' }).click();
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'name' }).waitFor({ timeout: 20000 });
      await enterInput(page, 'my-shop');
      const method = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Consumer key and secret, HTTP Basic' }).first();
      await method.waitFor({ timeout: 20000 });
      await method.click();
      const key = seed.keys.find((k) => k.permissions === 'read_write');
      await page.locator('.quick-input-widget .quick-input-message, .quick-input-widget .quick-input-title', { hasText: /Consumer key|credentials/ }).first().waitFor({ timeout: 20000 });
      await enterInput(page, key.consumer_key);
      await page.waitForTimeout(300);
      await enterInput(page, key.consumer_secret);
      await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Store "my-shop" saved and tested' }).first().waitFor({ timeout: 30000 });
      await ticked('ownStore', '08-own-store');
    });

    await check('every step is shown in the dark theme too, all ticked', async () => {
      await setTheme(page, 'Default Dark Modern');
      await welcome();
      // The walkthrough alone, full width: the exchange and the report beside it are closed.
      await (await runCommand(page, 'View: Close Editors in Other Groups')).click();
      await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 20000 });
      for (const [i, id] of STEPS.entries()) {
        if (!(await isDone(id))) throw new Error(`"${id}" is not ticked`);
        await stepButton(id).click();
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(SHOTS, `dark-${String(i + 1).padStart(2, '0')}-${id}.png`) });
      }
    });

    if (process.env.WOO_UPDATE_SCREENSHOT === '1') {
      const docs = path.join(ROOT, 'docs', 'walkthrough');
      fs.mkdirSync(docs, { recursive: true });
      for (const f of fs.readdirSync(SHOTS)) if (/^(light|dark)-.*\.png$/.test(f)) fs.copyFileSync(path.join(SHOTS, f), path.join(docs, f));
    }
  } finally {
    own?.stop();
    await browser.close().catch(() => {});
    server.stop();
  }
}

main().catch((err) => { if (results.passed.length + results.failed.length === 0) console.log(String(err?.stack ?? err)); }).finally(() => {
  if (results.passed.length + results.failed.length === 0) results.failed.push({ title: 'walkthrough', err: 'nothing ran' });
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 1));
  console.log(`e2e walkthrough: ${results.passed.length} passed, ${results.failed.length} failed (screenshots in ${SHOTS})`);
  process.exit(results.failed.length ? 1 : 0);
});
