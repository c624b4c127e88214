// End to end, as a person sees it: the real VS Code workbench in chromium with the extension
// loaded, driven through the command palette. Each check is one result; screenshots land in
// test/e2e/screenshots/ (docs/screenshot.png is refreshed from the last one with WOO_UPDATE_SCREENSHOT=1).
import fs from 'node:fs';
import path from 'node:path';
const path_ = path.join;
import { ROOT } from '../../scripts/ensure.mjs';
import { launchBrowser, makeProfile, startServer, workbenchUrl } from '../vscode-host.mjs';
import { checks, closeToasts, pickRow, runCommand, setTheme } from './driver.mjs';

const argv = process.argv.slice(2);
const resultsFile = argv.includes('--results') ? argv[argv.indexOf('--results') + 1] : path.join(ROOT, 'out', 'results', 'e2e.json');
const SHOTS = path.join(ROOT, 'test', 'e2e', 'screenshots');
const results = { passed: [], failed: [] };
let runner;
fs.mkdirSync(SHOTS, { recursive: true });

const { check, use } = checks(results, path.join(SHOTS, 'zz-failure.png'));

async function main() {
  // The sandbox starts on activation, from the user settings (a folder's settings cannot start it).
  const profile = makeProfile('woo-e2e-', { 'wooApiStudio.sandbox.autoStart': true });
  const workspace = path.join(profile.dir, 'workspace');
  fs.cpSync(path.join(ROOT, 'samples'), workspace, { recursive: true });
  const server = await startServer(profile);
  const browser = await launchBrowser(profile);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    use(page);
    const file = path.join(workspace, '01-products.http');
    await page.goto(workbenchUrl(server, workspace, [
      ['extensionDevelopmentPath', server.remote(ROOT)],
      ['openFile', server.remote(file)],
    ]));

    await check('the workbench opens the sample .http file with the http language', async () => {
      await page.locator('.tab', { hasText: '01-products.http' }).first().waitFor({ timeout: 60000 });
      await page.locator('.statusbar-item', { hasText: /^HTTP$/ }).first().waitFor({ timeout: 30000 });
    });

    const running = page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'Sandbox store running at https://127.0.0.1:' });
    await check('the sandbox store starts with the extension and says where it runs', async () => {
      await running.first().waitFor({ timeout: 30000 });
      await page.screenshot({ path: path.join(SHOTS, '01-sandbox-running.png') });
    });

    await check('clicking the Send lens shows the exchange beside the file', async () => {
      const lens = page.locator('.codelens-decoration a', { hasText: 'Send' }).first();
      await lens.waitFor({ timeout: 20000 });
      await lens.click();
      const tab = page.locator('.tab', { hasText: 'Response List products' }).first();
      await tab.waitFor({ timeout: 20000 });
      await page.locator('.view-lines', { hasText: 'HTTP/1.1 200 OK' }).first().waitFor({ timeout: 10000 });
      // Close the toasts so the picture shows the exchange, not the notifications.
      await closeToasts(page);
      await page.screenshot({ path: path.join(SHOTS, '02-exchange.png') });
    });

    await check('the request log view shows the request just sent', async () => {
      const item = await runCommand(page, 'WooCommerce: Show Request Log');
      await item.click();
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await frame.locator('#rows tr').first().waitFor({ timeout: 20000 });
      const text = await frame.locator('#rows tr').first().innerText();
      if (!/\/wp-json\/wc\/v3\/products/.test(text) || !/200/.test(text)) throw new Error(`unexpected first row: ${text}`);
      await page.screenshot({ path: path.join(SHOTS, '03-request-log.png') });
    });

    await check('the request log names findings in words, and its Clear Log… asks first with Cancel as the default', async () => {
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      const dialog = frame.locator('#confirm-clear');
      const rows = async () => frame.locator('#rows tr').count();
      const before = await rows();
      if (before < 1) throw new Error('no row to keep');
      // Enter on the question keeps the log: Cancel has the focus.
      await frame.locator('#clear').click();
      await dialog.waitFor({ state: 'visible', timeout: 5000 });
      const focused = await frame.locator(':focus').getAttribute('id');
      if (focused !== 'confirm-cancel') throw new Error(`the focused button is ${focused}, not Cancel`);
      await page.screenshot({ path: path.join(SHOTS, '03b-request-log-clear.png') });
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
      await page.waitForTimeout(500);
      if ((await rows()) !== before) throw new Error('Enter cleared the log');
      // Escape keeps it too; Clear Log clears it.
      await frame.locator('#clear').click();
      await dialog.waitFor({ state: 'visible', timeout: 5000 });
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: 5000 });
      if ((await rows()) !== before) throw new Error('Escape cleared the log');
      await frame.locator('#clear').click();
      await frame.locator('#confirm-ok').click();
      await frame.locator('#rows tr').first().waitFor({ state: 'detached', timeout: 10000 });
      // Give the keyboard back to the workbench: keys pressed in a webview stay in its iframe.
      await page.locator('.tab', { hasText: '01-products.http' }).first().click();
    });

    await check('opening the runner panel puts the focus in its path field: typed keys land there', async () => {
      await (await runCommand(page, 'View: Close All Editors')).click();
      await (await runCommand(page, 'WooCommerce: New Request (Runner Panel)')).click();
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      runner = frame;
      await frame.locator('#store option', { hasText: 'sandbox' }).first().waitFor({ state: 'attached', timeout: 30000 });
      let focused = '';
      for (let i = 0; i < 50 && focused !== 'path'; i++) {
        focused = await frame.locator('body').evaluate(() => document.activeElement?.id ?? '');
        if (focused !== 'path') await page.waitForTimeout(100);
      }
      if (focused !== 'path') throw new Error(`the focused element is "${focused}", not the path field`);
      const before = await frame.locator('#path').inputValue();
      await page.keyboard.type('zz');
      const after = await frame.locator('#path').inputValue();
      if (after !== `${before}zz`) throw new Error(`typing after opening changed the path from "${before}" to "${after}"`);
    });

    await check('the runner panel sends a request built in its form and shows status, timings and the body', async () => {
      const frame = runner;
      const path = frame.locator('#path');
      await path.fill('');
      await path.pressSequentially('wc/v3/products');
      // A parameter typed into the table's empty row, as a person would.
      const row = frame.locator('#query tbody tr').last();
      await row.locator('input').nth(1).pressSequentially('per_page');
      await frame.locator('#query tbody tr').nth(0).locator('input').nth(2).pressSequentially('5');
      await frame.locator('#path').press('Control+Enter');
      await frame.locator('.badge', { hasText: '200' }).waitFor({ timeout: 20000 });
      const first = await frame.locator('#viewer .ln').first().innerText();
      if (!/\[/.test(first)) throw new Error(`the body does not start with an array: ${first}`);
      await frame.locator('#viewer .ln', { hasText: '"name"' }).first().waitFor({ timeout: 5000 });
      const pageInfo = await frame.locator('#page-info').innerText();
      if (!/^Page 1 of \d+/.test(pageInfo)) throw new Error(`pagination: ${pageInfo}`);
      await closeToasts(page);
      await page.screenshot({ path: path_(SHOTS, '08-runner-response.png') });
    });

    await check('the runner panel pages through products with the pagination bar', async () => {
      await runner.locator('#next').click();
      await runner.locator('#page-info', { hasText: /^Page 2 of/ }).waitFor({ timeout: 20000 });
      await runner.locator('#history-list li.h').nth(1).waitFor({ timeout: 5000 });
      await page.screenshot({ path: path_(SHOTS, '09-runner-page-2.png') });
    });

    await check('the runner panel\'s Tab order goes form, Send, response; the history list is one Tab stop with arrow keys inside', async () => {
      // What has the focus inside the panel: an id, "history" for an entry of the list, else the tag.
      const focused = () => runner.locator('body').evaluate(() => {
        const a = document.activeElement;
        if (!a || a === document.body) return 'nothing';
        if (a.closest('#history-list')) return a.matches('li.h') ? 'history' : 'history-button';
        return a.id || `${a.tagName.toLowerCase()}${a.closest('.response') ? ' in response' : ''}`;
      });
      await runner.locator('#path').click();
      await page.keyboard.press('Tab');
      if ((await focused()) !== 'send') throw new Error(`Tab from the path goes to "${await focused()}", not Send`);
      // On through the form's parts to the response, never through the history.
      const forward = ['send'];
      while (forward.at(-1) !== 'viewer' && forward.length < 80) {
        await page.keyboard.press('Tab');
        forward.push(await focused());
        if (forward.at(-1) === 'nothing') break;
      }
      if (forward.at(-1) !== 'viewer') throw new Error(`Tab never reached the response body: ${forward.join(' > ')}`);
      if (forward.some((f) => f.startsWith('history'))) throw new Error(`Tab went through the history: ${forward.join(' > ')}`);
      const firstResponse = forward.findIndex((f) => ['rtab-body', 'viewer'].includes(f) || f.endsWith('in response'));
      if (forward.slice(firstResponse).some((f) => ['path', 'tab-params', 'save', 'import'].includes(f))) throw new Error(`the form comes back after the response: ${forward.join(' > ')}`);
      // Backwards from the path: the request line, then the history list as ONE stop, then its Clear button.
      await runner.locator('#path').click();
      const backward = [];
      for (let i = 0; i < 6; i++) { await page.keyboard.press('Shift+Tab'); backward.push(await focused()); }
      const inList = backward.filter((f) => f === 'history').length;
      if (inList !== 1 || backward.includes('history-button')) throw new Error(`Shift+Tab stops ${inList} times in the history list: ${backward.join(' < ')}`);
      if (backward[backward.indexOf('history') + 1] !== 'history-clear') throw new Error(`after the history list Shift+Tab goes to "${backward[backward.indexOf('history') + 1]}": ${backward.join(' < ')}`);
      // Inside the list: the arrows move the selection (and the one Tab stop with it), Enter opens the entry.
      for (let i = backward.length - 1; i > backward.indexOf('history'); i--) await page.keyboard.press('Tab');
      if ((await focused()) !== 'history') throw new Error(`Tab from Clear goes to "${await focused()}", not the history list`);
      const entries = runner.locator('#history-list li.h');
      const stops = () => runner.locator('#history-list').evaluate((l) => [...l.querySelectorAll('li.h')].map((li) => li.tabIndex));
      if (JSON.stringify((await stops()).slice(0, 2)) !== '[0,-1]') throw new Error(`tab stops before ArrowDown: ${await stops()}`);
      await page.keyboard.press('ArrowDown');
      const second = await entries.nth(1).evaluate((li) => document.activeElement === li && li.getAttribute('aria-selected') === 'true');
      if (!second) throw new Error('ArrowDown did not move the focus and selection to the second entry');
      if (JSON.stringify((await stops()).slice(0, 2)) !== '[-1,0]') throw new Error(`tab stops after ArrowDown: ${await stops()}`);
      const queryValues = () => runner.locator('#query').evaluate((t) => [...t.querySelectorAll('input:not([type=checkbox])')].map((i) => i.value).filter(Boolean).join(' '));
      // The second entry is the first page (no page=2); Enter opens it in the form, as a click does.
      await page.keyboard.press('Enter');
      await runner.locator('#query').evaluate((t) => new Promise((resolve) => {
        const done = () => ![...t.querySelectorAll('input')].some((i) => i.value === 'page');
        if (done()) resolve(); else new MutationObserver(() => done() && resolve()).observe(t, { subtree: true, childList: true, attributes: true });
        setTimeout(resolve, 5000);
      }));
      if (/\bpage\b/.test(await queryValues())) throw new Error(`Enter on the first page's entry left the query at: ${await queryValues()}`);
      await page.keyboard.press('Home');
      await page.keyboard.press('Enter');
      for (let i = 0; i < 50 && !/\bpage\b/.test(await queryValues()); i++) await page.waitForTimeout(100);
      if (!/\bpage\b/.test(await queryValues())) throw new Error(`Home, Enter did not bring page 2 back: ${await queryValues()}`);
    });

    await check('a 401 in the runner panel shows the finding and its fixes', async () => {
      // A key pasted by hand into the Authorization header (it wins over the store's): a wrong one.
      await runner.locator('#tab-headers').click();
      const row = runner.locator('#headers tbody tr').last();
      await row.locator('input').nth(1).pressSequentially('Authorization');
      const unknown = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'unknown-key.json'), 'utf8'));
      await runner.locator('#headers tbody tr').nth(0).locator('input').nth(2).fill(`Basic ${Buffer.from(`${unknown.consumer_key}:${unknown.consumer_secret}`).toString('base64')}`);
      await runner.locator('#send').click();
      await runner.locator('.badge', { hasText: '401' }).waitFor({ timeout: 20000 });
      const finding = runner.locator('.finding').first();
      await finding.waitFor({ timeout: 5000 });
      const text = await finding.innerText();
      if (!/key/i.test(text)) throw new Error(`unexpected finding: ${text}`);
      if ((await finding.locator('.fixes button').count()) < 1) throw new Error('no fix button');
      if (await runner.locator('#pager').isVisible()) throw new Error('the pagination bar of the previous answer is still shown');
      await page.screenshot({ path: path_(SHOTS, '10-runner-401.png') });
      await runner.locator('#headers tbody tr').nth(0).getByRole('button', { name: 'Remove this row' }).click();
      // "No credentials" on purpose: the 401 is explained, with nothing to repair.
      await runner.locator('#tab-auth').click();
      await runner.locator('#auth').selectOption('none');
      await runner.locator('#send').click();
      await runner.locator('.finding', { hasText: 'on purpose' }).waitFor({ timeout: 20000 });
      if ((await runner.locator('.finding .fixes button').count()) !== 0) throw new Error('fix buttons for a deliberate 401');
      await runner.locator('#auth').selectOption('store');
    });

    await check('the runner panel finds text in the response body and highlights it', async () => {
      await runner.locator('#tab-params').click();
      await runner.locator('#path').fill('wc/v3/products');
      await runner.locator('#query tbody tr').nth(0).locator('input').nth(2).fill('100');
      // The pager added page=2: remove that row.
      await runner.locator('#query tbody tr').nth(1).getByRole('button', { name: 'Remove this row' }).click();
      await runner.locator('#send').click();
      await runner.locator('.badge', { hasText: '200' }).waitFor({ timeout: 20000 });
      await runner.locator('#find').fill('regular_price');
      await runner.locator('#find-count', { hasText: /of \d+/ }).waitFor({ timeout: 10000 });
      await runner.locator('#viewer mark').first().waitFor({ timeout: 5000 });
      await page.screenshot({ path: path_(SHOTS, '11-runner-find.png') });
      // Fold every product: 32 products, one line each, between the brackets.
      await runner.locator('#fold-all').click();
      await runner.locator('#viewer .ln .folded').first().waitFor({ timeout: 5000 });
      const shown = await runner.locator('#viewer .ln').count();
      if (shown !== 34) throw new Error(`after Fold all, ${shown} lines are drawn (expected 34: [, 32 items, ])`);
      await runner.locator('#unfold-all').click();
    });

    await check('the runner panel follows the dark, high-contrast and light themes', async () => {
      const themed = [['Default Dark Modern', 'vscode-dark', '12-runner-dark.png'], ['Default High Contrast', 'vscode-high-contrast', '13-runner-high-contrast.png'], ['Default Light Modern', 'vscode-light', '14-runner-light.png']];
      for (const [theme, bodyClass, shot] of themed) {
        await setTheme(page, theme);
        await runner.locator(`body.${bodyClass}`).waitFor({ state: 'attached', timeout: 20000 });
        // The page's colours come from the theme's variables: the status badge stays readable.
        const bg = await runner.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
        const fg = await runner.locator('.badge').first().evaluate((b) => getComputedStyle(b).color);
        if (bg === fg) throw new Error(`${theme}: the status badge is invisible (${fg} on ${bg})`);
        await page.waitForTimeout(400);
        await page.screenshot({ path: path_(SHOTS, shot) });
      }
      // Back to the sample file for the checks that follow.
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: '01-products.http' }).first().dblclick();
      await page.locator('.tab', { hasText: '01-products.http' }).first().waitFor({ timeout: 20000 });
    });

    await check('Open in panel asks for a @prompt variable and opens the request with its value', async () => {
      // The fourth request of the sample file, "A product you pick", asks for productId.
      await page.locator('.codelens-decoration a', { hasText: 'Open in panel' }).nth(3).click({ timeout: 20000 });
      const input = page.locator('.quick-input-widget input');
      await page.locator('.quick-input-widget .quick-input-title', { hasText: '{{productId}}' }).waitFor({ timeout: 10000 });
      await input.pressSequentially('12');
      await input.press('Enter');
      const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
      await frame.locator('#path').waitFor({ timeout: 30000 });
      let value = '';
      for (let i = 0; i < 100 && !/wc\/v3\/products\/12$/.test(value); i++) {
        value = await frame.locator('#path').inputValue();
        await page.waitForTimeout(200);
      }
      if (!/wc\/v3\/products\/12$/.test(value)) throw new Error(`the panel's path is ${value}`);
      await page.locator('.tab', { hasText: '01-products.http' }).first().click();
    });

    await check('Analyze Access Log shows the chart, the findings and the offenders', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'access.log' }).first().click();
      await page.locator('.tab', { hasText: 'access.log' }).first().waitFor({ timeout: 20000 });
      const item = await runCommand(page, 'WooCommerce: Analyze Access Log');
      await item.click();
      const frame = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
      await frame.locator('ul.findings li').first().waitFor({ timeout: 30000 });
      const first = await frame.locator('ul.findings li').first().innerText();
      if (!/198\.51\.100\.23/.test(first)) throw new Error(`unexpected first finding: ${first}`);
      await frame.locator('svg.chart rect.unauthorized').first().waitFor({ timeout: 10000 });
      await closeToasts(page);
      await page.screenshot({ path: path.join(SHOTS, '04-access-log-report.png') });
      await page.locator('.tab', { hasText: '01-products.http' }).first().click();
    });

    await check('the command palette lists the WooCommerce commands', async () => {
      const item = await runCommand(page, 'WooCommerce: Start Sandbox Store');
      await page.screenshot({ path: path.join(SHOTS, '05-command-palette.png') });
      await item.click();
    });

    await check('Start Sandbox Store on a running sandbox offers Restart, a misconfiguration or Stop', async () => {
      await page.locator('.notifications-toasts .notification-list-item', { hasText: 'already running' })
        .getByRole('button', { name: 'Reproduce a Misconfiguration…' }).click({ timeout: 10000 });
    });

    await check('a misconfiguration is picked in plain words and the sandbox restarts with it', async () => {
      const picker = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Reproduce a Misconfiguration in the Sandbox' });
      await picker.waitFor({ timeout: 10000 });
      // Plain words: no command-line flags among the choices.
      const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      if (rows.some((r) => /--[a-z]/.test(r))) throw new Error(`a choice shows a CLI flag: ${rows.join(' | ')}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'A server that strips the Authorization header' }).first().click();
      await page.screenshot({ path: path.join(SHOTS, '06-misconfigurations.png') });
      await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'reproducing the Authorization header stripped' }).first().waitFor({ timeout: 30000 });
      await page.screenshot({ path: path.join(SHOTS, '07-restarted.png') });
    });

    await check('the doctor\'s report is rendered in theme colours: light, dark and high contrast', async () => {
      // The sandbox strips the Authorization header now: the doctor has something to find.
      await closeToasts(page);
      await (await runCommand(page, 'WooCommerce: Diagnose Store Authentication')).click();
      await pickRow(page, 'Diagnose the authentication of which store', 'sandbox');
      await page.locator('.tab', { hasText: 'Doctor sandbox' }).first().waitFor({ timeout: 60000 });
      const report = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
      await report.locator('#report h1').waitFor({ timeout: 60000 });
      await report.locator('#report .finding').first().waitFor({ timeout: 30000 });
      // It opens at its top (heading and verdict in sight) with the suggested fix focused for Enter.
      const top = await report.locator('body').evaluate(() => ({ y: document.scrollingElement.scrollTop, focus: document.activeElement?.className }));
      if (top.y !== 0 || top.focus !== 'primary') throw new Error(`the report opens scrolled to ${top.y} with "${top.focus}" focused`);
      // The report alone, full width, without the toasts.
      await (await runCommand(page, 'View: Close Editors in Other Groups')).click();
      await closeToasts(page);
      const themed = [['Default Light Modern', 'vscode-light', 'light-07-doctor-report.png'], ['Default Dark Modern', 'vscode-dark', 'dark-07-doctor-report.png'], ['Default High Contrast', 'vscode-high-contrast', 'hc-07-doctor-report.png']];
      const seen = [];
      for (const [theme, bodyClass, shot] of themed) {
        await setTheme(page, theme);
        await report.locator(`body.${bodyClass}`).waitFor({ state: 'attached', timeout: 20000 });
        await page.waitForTimeout(400);
        // The page's colours are the theme's own: the body is painted with the editor's background and
        // foreground variables, and the finding card and its fix button stand out from it.
        const c = await report.locator('body').evaluate((b) => {
          const css = getComputedStyle(b);
          const probe = document.createElement('div');
          probe.style.color = 'var(--vscode-editor-background)';
          b.append(probe);
          const themeBg = getComputedStyle(probe).color;
          probe.style.color = 'var(--vscode-foreground)';
          const themeFg = getComputedStyle(probe).color;
          probe.remove();
          const card = getComputedStyle(document.querySelector('.finding'));
          const button = getComputedStyle(document.querySelector('.fixes button') ?? document.querySelector('button'));
          return { bg: css.backgroundColor, fg: css.color, themeBg, themeFg, border: card.borderTopColor, buttonBg: button.backgroundColor, buttonFg: button.color };
        });
        if (c.bg !== c.themeBg || c.fg !== c.themeFg) throw new Error(`${theme}: the page is ${c.fg} on ${c.bg}, the theme says ${c.themeFg} on ${c.themeBg}`);
        if (c.border === c.bg || c.buttonFg === c.buttonBg) throw new Error(`${theme}: invisible card border or button (${JSON.stringify(c)})`);
        seen.push(c.bg);
        await closeToasts(page);
        await page.screenshot({ path: path.join(SHOTS, shot) });
      }
      if (new Set(seen).size !== 3) throw new Error(`the report did not change with the theme: ${seen.join(' / ')}`);
    });

    if (process.env.WOO_UPDATE_SCREENSHOT === '1') {
      fs.mkdirSync(path.join(ROOT, 'docs', 'walkthrough'), { recursive: true });
      for (const f of ['light-07-doctor-report.png', 'dark-07-doctor-report.png']) fs.copyFileSync(path.join(SHOTS, f), path.join(ROOT, 'docs', 'walkthrough', f));
      fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
      fs.copyFileSync(path.join(SHOTS, '02-exchange.png'), path.join(ROOT, 'docs', 'screenshot.png'));
      fs.copyFileSync(path.join(SHOTS, '06-misconfigurations.png'), path.join(ROOT, 'docs', 'sandbox-modes.png'));
      fs.copyFileSync(path.join(SHOTS, '04-access-log-report.png'), path.join(ROOT, 'docs', 'access-log-report.png'));
      fs.copyFileSync(path.join(SHOTS, '10-runner-401.png'), path.join(ROOT, 'docs', 'runner-401.png'));
    }
  } finally {
    await browser.close().catch(() => {});
    server.stop();
  }
}

main().catch(() => {}).finally(() => {
  if (results.passed.length + results.failed.length === 0) results.failed.push({ title: 'e2e', err: 'nothing ran' });
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 1));
  console.log(`e2e: ${results.passed.length} passed, ${results.failed.length} failed (screenshots in ${SHOTS})`);
  process.exit(results.failed.length ? 1 : 0);
});
