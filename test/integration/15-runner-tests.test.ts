// The runner panel's Tests tab in the real VS Code: the panel's request carries httpYac assertions,
// each response comes back with their results (a failed status check on a 401 with its cause), they
// are saved to .http with the request and read back by "Open in panel".
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile, SANDBOX_ID } from './helpers';
import type { RunnerPanel } from '../../src/runner-panel';
import type { RunnerRequest } from '../../src/core/runner-request';
import type { ResponseView } from '../../src/core/runner-messages';
import type { SendSummary } from '../../src/send-request';

type Posted = { type: string; [k: string]: unknown };

async function posted(panel: RunnerPanel, type: string, since = 0, timeoutMs = 15000): Promise<Posted> {
  return waitFor(`a "${type}" message`, () => panel.posted.slice(since).find((m) => m.type === type), timeoutMs);
}

async function openPanel(): Promise<RunnerPanel> {
  const panel = (await vscode.commands.executeCommand<RunnerPanel>('wooApiStudio.openRunner'))!;
  await posted(panel, 'init', 0, 30000);
  return panel;
}

async function send(panel: RunnerPanel, request: RunnerRequest): Promise<ResponseView> {
  const since = panel.posted.length;
  await panel.receive({ type: 'send', request });
  const m = await waitFor('a response', () => panel.posted.slice(since).find((p) => p.type === 'response' || p.type === 'notSent'));
  assert.strictEqual(m.type, 'response', JSON.stringify(m));
  return m.view as ResponseView;
}

const TESTS = '?? status == 200\n?? body $ isArray\n\nstatus == 201\n# a comment\n?? body $[0].name exists';

function products(tests?: string, auth: RunnerRequest['auth'] = 'store'): RunnerRequest {
  return { store: 'sandbox', method: 'GET', path: 'wc/v3/products', query: [{ name: 'per_page', value: '2', enabled: true }], headers: [], body: { kind: 'none', text: '' }, auth, ...(tests !== undefined ? { tests } : {}) };
}

describe('the runner panel: the Tests tab', function () {
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

  it('checks the request\'s assertions against each response: passed and failed, with the actual value', async () => {
    const panel = await openPanel();
    const view = await send(panel, products(TESTS));
    assert.deepStrictEqual(view.tests?.map((t) => [t.line, t.state]), [[0, 'passed'], [1, 'passed'], [3, 'failed'], [5, 'passed']]);
    assert.strictEqual(view.tests![0].message, 'status (200) == 200');
    assert.strictEqual(view.tests![2].message, 'status (200) == 201');
    assert.match(view.tests![1].message, /^\$ \(\[\{.*\) isArray$/);
    assert.strictEqual(view.tests![2].actual, '200');
    const none = await send(panel, products());
    assert.strictEqual(none.tests, undefined, 'no assertions, no Tests results');
    const text = JSON.stringify(panel.posted);
    for (const s of secrets) assert.ok(!text.includes(s), 'no secret posted');
  });

  it('a failed status check on a 401 carries the explanation\'s cause', async () => {
    const panel = await openPanel();
    const view = await send(panel, products('?? status == 200', 'none'));
    assert.strictEqual(view.status, 401);
    assert.strictEqual(view.tests?.[0].state, 'failed');
    assert.strictEqual(view.tests?.[0].message.startsWith('status (401) == 200 — '), true, view.tests?.[0].message);
    assert.ok(view.tests?.[0].cause, 'the cause is there');
  });

  it('refuses a Tests field that is not text, like any malformed message', async () => {
    const panel = await openPanel();
    const since = panel.posted.length;
    await panel.receive({ type: 'send', request: { ...products(), tests: 42 } });
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!panel.posted.slice(since).some((m) => m.type === 'response'), 'nothing was sent');
  });

  it('Save to .http writes the assertions under the request; they run from the file; Open in panel reads them back', async () => {
    const panel = await openPanel();
    const uri = workspaceFile('runner-tests-saved.http');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(''));
    await panel.saveToHttp(products('status == 200\n?? body $ isArray'), uri);
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    assert.match(text, /GET \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\?per_page=2\n\n\?\? status == 200\n\?\? body \$ isArray\n$/);
    const line = text.split('\n').findIndex((l) => l.startsWith('GET '));
    const sent = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, line);
    assert.deepStrictEqual(sent?.checks?.map((c) => c.passed), [true, true]);
    const opened = (await vscode.commands.executeCommand<RunnerPanel>('wooApiStudio.openInRunner', uri, line))!;
    assert.strictEqual(opened.request.tests, '?? status == 200\n?? body $ isArray');
  });
});
