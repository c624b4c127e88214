// The runner panel in the real VS Code: the webview page loads under its CSP and says "ready"; the
// test then posts the messages the page would post and reads what the extension answers. Requests
// go to the sandbox store; nothing posted to the page holds a secret.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';
import { SANDBOX_ID } from './helpers';
import type { RunnerPanel } from '../../src/runner-panel';
import type { RunnerRequest } from '../../src/core/runner-request';
import type { ResponseView } from '../../src/core/runner-messages';
import type { SendSummary } from '../../src/send-request';
import type { StoreCommandResult } from '../../src/store-commands';

type Posted = { type: string; [k: string]: unknown };

/** The next message of `type` the extension posts after `since` messages. */
async function posted(panel: RunnerPanel, type: string, since = 0, timeoutMs = 15000): Promise<Posted> {
  return waitFor(`a "${type}" message from the extension`, () => panel.posted.slice(since).find((m) => m.type === type), timeoutMs);
}

/** A new panel whose page has loaded and been told everything (form, stores, routes, history). */
async function openPanel(command = 'wooApiStudio.openRunner', ...args: unknown[]): Promise<RunnerPanel> {
  const panel = (await vscode.commands.executeCommand<RunnerPanel>(command, ...args))!;
  const init = panel.posted.length;
  await posted(panel, 'init', 0, 30000); // only sent once the page itself said "ready"
  await posted(panel, 'history', init);
  return panel;
}

async function answer(panel: RunnerPanel, message: unknown): Promise<{ view: ResponseView; findings: { title: string; fixes: { title: string; preferred: boolean }[] }[] }> {
  const since = panel.posted.length;
  await panel.receive(message);
  const m = await waitFor('a response or a reason', () => panel.posted.slice(since).find((p) => p.type === 'response' || p.type === 'notSent'));
  assert.strictEqual(m.type, 'response', JSON.stringify(m));
  return m as never;
}

function products(query: [string, string][] = []): RunnerRequest {
  return { store: 'sandbox', method: 'GET', path: 'wc/v3/products', query: query.map(([name, value]) => ({ name, value, enabled: true })), headers: [], body: { kind: 'none', text: '' }, auth: 'store' };
}

/**
 * A send from a new panel to a loopback server that never answers, held until it arrives there;
 * `during` then acts on it. The server is closed afterwards.
 */
async function withUnansweredSend(during: (panel: RunnerPanel, pending: Promise<unknown>, since: number) => Promise<void>): Promise<void> {
  const http = await import('node:http');
  const held: import('node:http').ServerResponse[] = [];
  const silent = http.createServer((_req, res) => { held.push(res); });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const panel = await openPanel();
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const since = panel.posted.length;
    const pending = panel.receive({ type: 'send', request: { ...products(), store: undefined, path: `http://127.0.0.1:${port}/wp-json/wc/v3/products` } });
    await posted(panel, 'sending', since);
    await waitFor('the request to reach the server', () => held.length > 0);
    await during(panel, pending, since);
  } finally {
    for (const r of held) r.destroy();
    silent.closeAllConnections();
    silent.close();
  }
}

describe('the runner panel', function () {
  // A page may take up to 30 s to load on a loaded 2-core machine; a test that opens one and then
  // sends needs more than mocha's 30 s in total (a CI run timed out here once).
  this.timeout(90_000);
  let secrets: string[];
  before(async () => {
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
    const studio = await api();
    await studio.storeCommands.setActive(SANDBOX_ID);
    const s = (await studio.stores.storedSecrets(SANDBOX_ID))!;
    secrets = [s.consumerKey!, s.consumerSecret!];
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });
  const noSecret = (panel: RunnerPanel) => {
    const text = JSON.stringify(panel.posted);
    for (const s of secrets) assert.ok(!text.includes(s), 'a secret was posted to the page');
  };

  it('opens on the active store; the page loads, gets the auth summary and the store\'s own routes', async function () {
    // The first runner page of the session loads the webview's scripts cold: on a loaded 2-core
    // machine that has taken more than 30 s (seen in CI-like runs), against 1-2 s when idle.
    this.timeout(120_000);
    const panel = (await vscode.commands.executeCommand<RunnerPanel>('wooApiStudio.openRunner'))!;
    await posted(panel, 'init', 0, 90_000); // only sent once the page itself said "ready"
    const auth = (await posted(panel, 'auth')).auth as { label: string; key: string };
    assert.match(auth.label, /Consumer key/);
    assert.strictEqual(auth.key, `…${secrets[0]!.slice(-7)}`);
    const routes = await posted(panel, 'routes');
    assert.strictEqual(routes.source, 'store');
    assert.ok((routes.routes as { path: string }[]).some((r) => r.path === 'wc/v3/products/{id}'));
    // A blank request's tab says so; a tab is titled from its path once there is one.
    assert.ok(vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.label === 'New request'));
    await panel.receive({ type: 'changed', request: { ...products(), store: SANDBOX_ID } });
    await waitFor('the tab titled from its path', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.label === 'GET products'));
    noSecret(panel);
  });

  it('sends, shows status, timings and body, pages with X-WP-TotalPages, and fetches all pages into one array', async () => {
    const studio = await api();
    const panel = await openPanel();
    const first = await answer(panel, { type: 'send', request: products([['per_page', '3']]) });
    assert.strictEqual(first.view.status, 200);
    assert.strictEqual(first.view.body.kind, 'json');
    assert.strictEqual(JSON.parse((first.view.body as { text: string }).text).length, 3);
    assert.ok(first.view.totalMs > 0);
    assert.ok(first.view.exchange.includes('Added by WooCommerce API Studio: Authorization: Basic'), first.view.exchange);
    const pages = first.view.pagination!;
    assert.strictEqual(pages.page, 1);
    assert.ok(pages.totalPages! >= 2 && pages.total! > 3, JSON.stringify(pages));

    const since = panel.posted.length;
    const second = await answer(panel, { type: 'page', request: products([['per_page', '3']]), page: 2 });
    assert.strictEqual(second.view.pagination?.page, 2, `${second.view.url} ${panel.posted.map((m) => m.type + (m.type === 'response' ? (m.view as ResponseView).url : '')).join(',')} received ${panel.received.join(',')}`);
    const load = await posted(panel, 'load', since);
    assert.deepStrictEqual((load.request as RunnerRequest).query.map((q) => `${q.name}=${q.value}`), ['per_page=3', 'page=2']);
    assert.notStrictEqual((second.view.body as { text: string }).text, (first.view.body as { text: string }).text);

    const all = await answer(panel, { type: 'fetchAll', request: products([['per_page', '4']]) });
    const items = JSON.parse((all.view.body as { text: string }).text);
    assert.strictEqual(items.length, pages.total, all.view.joined);
    assert.strictEqual(new Set(items.map((p: { id: number }) => p.id)).size, items.length, 'no page twice');
    assert.match(all.view.joined!, /pages joined/);
    const opened = await panel.openBody();
    assert.strictEqual(opened?.languageId, 'json');
    assert.strictEqual(JSON.parse(opened!.getText()).length, pages.total, 'the joined array opens in an editor');
    const since3 = panel.posted.length;
    await panel.receive({ type: 'refreshRoutes' });
    assert.strictEqual((await posted(panel, 'routes', since3)).source, 'store');
    assert.ok(panel.posted.some((m) => m.type === 'progress'), 'progress was shown');
    noSecret(panel);

    // Logged as the runner's, without secrets; remembered in history, without secrets.
    await studio.requestLog.flushed();
    const logged = (await studio.requestLog.file.read()).entries.filter((e) => e.source === 'runner');
    assert.ok(logged.length >= 3, String(logged.length));
    const history = studio.runner.history();
    assert.ok(history.length >= 3 && history[0]!.request.path === 'wc/v3/products');
    const stored = JSON.stringify(history);
    for (const s of secrets) assert.ok(!stored.includes(s));
    const since2 = panel.posted.length;
    await panel.receive({ type: 'historyOpen', id: history[1]!.id });
    assert.ok(await posted(panel, 'load', since2));
  });

  it('refuses a malformed message, and says why a request cannot be sent', async () => {
    const panel = await openPanel();
    let since = panel.posted.length;
    await panel.receive({ type: 'send', request: { ...products(), method: 'TRACE' } });
    assert.strictEqual((await posted(panel, 'notice', since)).level, 'error');
    assert.ok(!panel.posted.slice(since).some((m) => m.type === 'sending'), 'nothing was sent');
    since = panel.posted.length;
    await panel.receive({ type: 'send', request: { ...products(), method: 'POST', body: { kind: 'json', text: '{"name": }' } } });
    assert.match(String((await posted(panel, 'notSent', since)).text), /does not parse at line 1, column 10/);
  });

  it('a 401 shows the explanation; its fix button repairs the store and sends again', async () => {
    const studio = await api();
    const seed = studio.sandbox.current!.seed;
    const rw = seed.keys.find((k) => k.permissions === 'read_write')!;
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'runner-http', true);
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { saveOnFailure: true, name: 'runner-http', baseUrl: studio.sandbox.current!.httpUrl, authMethod: 'wc-basic', consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret });
    assert.strictEqual(added?.saved, true);
    const id = studio.stores.get('runner-http')!.id;
    const panel = await openPanel();
    const r = await answer(panel, { type: 'send', request: { ...products(), store: id } });
    assert.strictEqual(r.view.status, 401);
    assert.ok(r.findings.length > 0);
    assert.match(r.findings[0]!.title, /HTTP/i);
    const fix = r.findings[0]!.fixes.findIndex((f) => /OAuth/i.test(f.title));
    assert.ok(fix >= 0, JSON.stringify(r.findings[0]!.fixes));
    const fixed = await answer(panel, { type: 'fix', finding: 0, fix });
    assert.strictEqual(fixed.view.status, 200, `${JSON.stringify(r.findings[0]!.fixes)} ${fixed.view.url} ${fixed.view.exchange}`);
    assert.strictEqual(studio.stores.get('runner-http')!.authMethod, 'wc-oauth1');
    noSecret(panel);
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'runner-http', true);
  });

  it('with an Auth override, a fix changes the override (here: clears it), not the store whose own method works', async () => {
    const studio = await api();
    const seed = studio.sandbox.current!.seed;
    const rw = seed.keys.find((k) => k.permissions === 'read_write')!;
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'runner-override', true);
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { saveOnFailure: true, name: 'runner-override', baseUrl: studio.sandbox.current!.httpUrl, authMethod: 'wc-oauth1', consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret });
    assert.strictEqual(added?.saved, true);
    const id = studio.stores.get('runner-override')!.id;
    const panel = await openPanel();
    // The store signs with OAuth 1.0a (it works over http://); this request overrides it with Basic.
    const r = await answer(panel, { type: 'send', request: { ...products(), store: id, auth: 'wc-basic' } });
    assert.strictEqual(r.view.status, 401);
    const fix = r.findings[0]!.fixes.findIndex((f) => /OAuth/i.test(f.title));
    assert.ok(fix >= 0, JSON.stringify(r.findings[0]!.fixes));
    const since = panel.posted.length;
    const fixed = await answer(panel, { type: 'fix', finding: 0, fix });
    assert.strictEqual(fixed.view.status, 200, 'the same 401 would come back if only the store changed');
    const loaded = panel.posted.slice(since).find((m) => m.type === 'load') as { request: RunnerRequest } | undefined;
    assert.strictEqual(loaded?.request.auth, 'store', 'the override is cleared in the form');
    assert.ok(panel.posted.slice(since).some((m) => m.type === 'notice' && /override is cleared\. The store was not changed/.test(String(m.text))));
    assert.strictEqual(studio.stores.get('runner-override')!.authMethod, 'wc-oauth1');
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'runner-override', true);
  });

  it('saves the request to a .http file that names the store (and sends from there), and copies it as cURL without secrets', async () => {
    const panel = await openPanel();
    const uri = workspaceFile('runner-saved.http');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('### existing\nGET https://example.invalid/\n'));
    await panel.saveToHttp(products([['per_page', '2']]), uri);
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    assert.match(text, /^### existing\nGET https:\/\/example.invalid\/\n\n### GET wc\/v3\/products\n# @store sandbox\nGET \{\{\$store.url\}\}\/wp-json\/wc\/v3\/products\?per_page=2\n$/);
    for (const s of secrets) assert.ok(!text.includes(s));
    const sent = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 5);
    assert.strictEqual(sent?.status, 200);

    const command = await panel.copyCurl(products(), false);
    assert.ok(command && command.includes('$WOO_CONSUMER_KEY') && command.includes('$WOO_CONSUMER_SECRET'), command);
    assert.strictEqual(await vscode.env.clipboard.readText(), command);
    for (const s of secrets) assert.ok(!command.includes(s));
  });

  it('Copy as cURL for an OAuth 1.0a store copies a command that signs when it runs: pasted in a shell with the two variables set, the store answers 200', async () => {
    const studio = await api();
    const seed = studio.sandbox.current!.seed;
    const rw = seed.keys.find((k) => k.permissions === 'read_write')!;
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'runner-oauth1', true);
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { saveOnFailure: true, name: 'runner-oauth1', baseUrl: studio.sandbox.current!.httpUrl, authMethod: 'wc-oauth1', consumerKey: rw.consumer_key, consumerSecret: rw.consumer_secret });
    assert.strictEqual(added?.saved, true);
    const panel = await openPanel();
    const since = panel.posted.length;
    const command = await panel.copyCurl({ ...products([['per_page', '2'], ['search', "Mug's"]]), store: studio.stores.get('runner-oauth1')!.id }, false);
    assert.ok(command?.startsWith("url=$(node -e '"), command);
    assert.ok(!command!.includes(rw.consumer_key) && !command!.includes(rw.consumer_secret), 'no credentials in it');
    assert.ok(panel.posted.slice(since).some((m) => m.type === 'notice' && /signs with OAuth 1\.0a when it runs/.test(String(m.text))));
    // Twice: a copied signature would be refused the second time (its nonce is used up).
    // Not execFileSync: the sandbox answers from this very process, which must keep running.
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    for (let i = 0; i < 2; i++) {
      const { stdout } = await promisify(execFile)('sh', ['-c', `${command} -s -o /dev/null -w '%{http_code}'`], { env: { PATH: process.env.PATH, WOO_CONSUMER_KEY: rw.consumer_key, WOO_CONSUMER_SECRET: rw.consumer_secret }, encoding: 'utf8', timeout: 20000 });
      assert.strictEqual(stdout, '200', `run ${i + 1}`);
    }
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'runner-oauth1', true);
  });

  it('"Open in panel" on a .http request opens it in a new panel, on its store, without its secrets', async () => {
    const studio = await api();
    const uri = workspaceFile('runner-open.http');
    const value = 'runner-env-value-7f3a91';
    process.env.WOO_RUNNER_SECRET = value;
    await vscode.workspace.fs.writeFile(uri, Buffer.from('@store = sandbox\n\n### orders\nGET {{$store.url}}/wp-json/wc/v3/orders?status=processing\nX-Trace: 1\nX-Woo-Trace: {{$processEnv WOO_RUNNER_SECRET}}\n'));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor('the lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l?.some((x) => x.command?.title === 'Open in panel') ? l : undefined;
    });
    const open = lenses.find((x) => x.command?.title === 'Open in panel')!;
    assert.strictEqual(open.range.start.line, 3);
    const before = studio.runner.panels.size;
    const panel = (await vscode.commands.executeCommand<RunnerPanel>(open.command!.command, ...(open.command!.arguments ?? [])))!;
    assert.strictEqual(studio.runner.panels.size, before + 1);
    assert.strictEqual(panel.request.store, SANDBOX_ID);
    assert.strictEqual(panel.request.path, 'wc/v3/orders');
    assert.deepStrictEqual(panel.request.query, [{ name: 'status', value: 'processing', enabled: true }]);
    assert.deepStrictEqual(panel.request.headers.map((h) => h.name), ['X-Trace', 'X-Woo-Trace']);
    // A value read off the machine is named where it came from, never shown (the panel keeps no secret).
    assert.strictEqual(panel.request.headers[1].value, '⟨$processEnv WOO_RUNNER_SECRET⟩');
    delete process.env.WOO_RUNNER_SECRET;
    const init = await posted(panel, 'init', 0, 30000);
    assert.ok(!JSON.stringify(init).includes(value));
    assert.strictEqual((init.request as RunnerRequest).path, 'wc/v3/orders');
  });

  it('cancels a request the server does not answer, re-sends from history, imports a cURL command', async () => {
    await withUnansweredSend(async (panel, pending, since) => {
      await panel.receive({ type: 'cancel' });
      await pending;
      assert.strictEqual((await posted(panel, 'notSent', since)).text, 'Cancelled.');

      const studio = await api();
      const entry = studio.runner.history().find((h) => h.status === 200 && h.request.store === 'sandbox')!;
      const before = panel.posted.length;
      await panel.receive({ type: 'historySend', id: entry.id });
      const again = await waitFor('an answer', () => panel.posted.slice(before).find((m) => m.type === 'response' || m.type === 'notSent'));
      assert.strictEqual((again.view as ResponseView | undefined)?.status, 200, JSON.stringify(again));

      const s = (await studio.stores.storedSecrets(SANDBOX_ID))!;
      const base = studio.stores.get('sandbox')!.baseUrl.replace(/\/+$/, '');
      const at = panel.posted.length;
      await panel.receive({ type: 'importCurl', command: `curl -X POST '${base}/wp-json/wc/v3/products?consumer_key=${s.consumerKey}' -u ${s.consumerKey}:${s.consumerSecret} -H 'Content-Type: application/json' -d '{"name":"Imported"}'` });
      const load = (await posted(panel, 'load', at)).request as RunnerRequest;
      assert.strictEqual(load.store, SANDBOX_ID);
      assert.strictEqual(load.method, 'POST');
      assert.strictEqual(load.path, 'wc/v3/products');
      assert.deepStrictEqual(load.query, []);
      assert.deepStrictEqual(load.body, { kind: 'json', text: '{"name":"Imported"}' });
      // The answer shown was to the request before: cleared. And it says what it left out, by name.
      assert.ok(panel.posted.slice(at).some((m) => m.type === 'clearResponse'), 'the previous response is cleared');
      const said = panel.posted.slice(at).find((m) => m.type === 'notice' && /^Imported without its credentials/.test(String(m.text)));
      assert.match(String(said?.text), /the consumer_key parameter and the Authorization header were left out\. The credentials of store "sandbox" are applied when it is sent\./);
      noSecret(panel);
    });
  });

  it('a send still under way when the tab is closed ends quietly (nothing posted to the closed page, no "Webview is disposed")', async () => {
    await withUnansweredSend(async (panel, pending, since) => {
      panel.panel.dispose();
      // Before, the answer to the closed page was posted all the same and this rejected.
      await pending;
      assert.ok(!panel.posted.slice(since).some((m) => m.type === 'response'), 'no response was shown');
    });
  });

  it('keeps its form and last response when hidden and shown again', async () => {
    const panel = await openPanel();
    await answer(panel, { type: 'send', request: products([['per_page', '1']]) });
    const since = panel.posted.length;
    // Another editor in the same group hides the webview (it is not retained: the page reloads).
    const doc = await vscode.workspace.openTextDocument({ content: 'other', language: 'plaintext' });
    await vscode.window.showTextDocument(doc, { viewColumn: panel.panel.viewColumn, preview: false });
    await waitFor('the panel hidden', () => !panel.panel.visible);
    panel.panel.reveal();
    await posted(panel, 'init', since, 30000);
    const again = await posted(panel, 'response', since);
    assert.strictEqual((again.view as ResponseView).status, 200);
  });
});
