// Restricted Mode in a real VS Code: Workspace Trust is on and the folder is not trusted (see
// test/run-integration.mjs --suite restricted). The user's own settings turn the sandbox's autoStart
// on. The folder's .http files must still be read, checked and given lenses that say why sending is
// off; nothing may leave the machine and no sandbox may start, whichever command is asked.
import * as assert from 'assert';
import * as http from 'http';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from '../helpers';
import type { SendSummary } from '../../../src/send-request';
import type { StoreCommandResult } from '../../../src/store-commands';

describe('Restricted Mode (an untrusted folder)', () => {
  let server: http.Server;
  let hits: string[];
  let url: string;

  before(async () => {
    hits = [];
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.setHeader('Content-Type', 'application/json');
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    // A store of the user's, with credentials, pointing at the recording server.
    await vscode.workspace.getConfiguration('wooApiStudio').update('stores', [{ id: 'mine', name: 'mine', baseUrl: url, authMethod: 'wc-oauth1' }], vscode.ConfigurationTarget.Global);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('the folder is untrusted, the extension activates on a .http file, and the user\'s autoStart does not start the sandbox', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the suite runs in Restricted Mode');
    const doc = await vscode.workspace.openTextDocument(workspaceFile('products.http'));
    await vscode.window.showTextDocument(doc);
    const studio = await api();
    assert.strictEqual(vscode.workspace.getConfiguration('wooApiStudio.sandbox').inspect('autoStart')?.globalValue, true, 'autoStart is on in the user settings');
    // Activation has returned; give a start the time it would take, then check none happened.
    await new Promise((r) => setTimeout(r, 1500));
    assert.strictEqual(studio.sandbox.current, undefined, 'no sandbox runs');
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true }), undefined, 'Start Sandbox Store does nothing');
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.startSandboxStoreWithTokens', { tokenPlugin: 'tmeister' }), undefined, 'Start Sandbox with a Token Plugin does nothing');
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.signInAgain', 'mine'), undefined, 'Sign In to Store Again does nothing');
    assert.strictEqual(studio.sandbox.current, undefined);
  });

  it('.http files keep their problems and lenses; the lens says sending is off', async () => {
    const uri = workspaceFile('restricted.http');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`@store = mine\n\n### Hello\nGET ${url}/wp-json/wc/v3/products?x={{notDefined}}\n`));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitFor('the unknown variable to be flagged', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => /notDefined/.test(x.message));
      return d.length ? d : undefined;
    });
    assert.ok(diagnostics.length > 0);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /Sending is off in Restricted Mode/.test(t)), titles.join(' | '));
    assert.ok(!titles.some((t) => /\bSend\b(?! is)|Send with store/.test(t.replace('Sending', ''))), `no Send lens: ${titles.join(' | ')}`);
    assert.strictEqual(lenses.find((l) => /Restricted/.test(l.command?.title ?? ''))?.command?.command, 'workbench.trust.manage');
  });

  it('nothing is sent: .http requests, Send with store, the runner panel, Test Connection, the doctor, Add Store', async () => {
    const uri = workspaceFile('restricted.http');
    const sent = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 3);
    assert.match(sent?.notSent ?? '', /Restricted Mode/);
    const withStore = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequestWithStore', uri, 3, 'mine');
    assert.match(withStore?.notSent ?? '', /Restricted Mode/);
    const test = await vscode.commands.executeCommand<{ ok: boolean } | undefined>('wooApiStudio.testConnection', 'mine');
    assert.ok(!test?.ok);
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.diagnoseStore', 'mine', { quiet: true }), undefined);
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'new', baseUrl: url, authMethod: 'none' });
    assert.strictEqual(added.saved, false);

    const studio = await api();
    const panel = studio.runner.open({ store: 'mine', method: 'GET', path: 'wc/v3/products', query: [], headers: [], body: { kind: 'none', text: '' }, auth: 'store' });
    const since = panel.posted.length;
    await panel.receive({ type: 'send', request: panel.request });
    const answer = await waitFor('the panel to answer', () => panel.posted.slice(since).find((m) => m.type === 'notSent' || m.type === 'response'));
    assert.strictEqual(answer.type, 'notSent');
    assert.match(String((answer as { text?: string }).text), /Restricted Mode/);
    const noStore = panel.posted.length;
    await panel.receive({ type: 'send', request: { ...panel.request, store: undefined, path: `${url}/anything`, auth: 'none' } });
    const second = await waitFor('the panel to answer', () => panel.posted.slice(noStore).find((m) => m.type === 'notSent' || m.type === 'response'));
    assert.strictEqual(second.type, 'notSent', JSON.stringify(second));

    assert.deepStrictEqual(hits, [], 'the server received nothing');
  });
});
