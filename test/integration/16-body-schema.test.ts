// JSON bodies checked against the sandbox store's own schema, in the real VS Code: diagnostics on
// the exact JSON ranges as you type, completion of fields and enum values, a 400 rest_invalid_param
// marked on the refused field with the rule, and the runner panel's JSON editor checked the same way.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile, SANDBOX_ID } from './helpers';
import type { RunnerPanel } from '../../src/runner-panel';
import type { SendSummary } from '../../src/send-request';

const FILE = [
  '@store = sandbox', //                                              0
  '', //                                                              1
  '### create', //                                                    2
  'POST {{$store.url}}/wp-json/wc/v3/products', //                    3
  'Content-Type: application/json', //                                4
  '', //                                                              5
  '{', //                                                             6
  '  "name": "Schema Tee",', //                                       7
  '  "type": "bundle",', //                                           8
  '  "regular_price": 9.99,', //                                      9
  '  "regularPrice": "1"', //                                        10
  '}', //                                                            11
  '',
].join('\n');

describe('bodies checked against the store\'s schema', function () {
  // A page may take up to 30 s to load on a loaded 2-core machine; a test that opens one and then
  // sends needs more than mocha's 30 s in total (a CI run timed out here once).
  this.timeout(90_000);
  before(async () => {
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('marks wrong types, values outside an enum and unknown fields on their exact ranges', async () => {
    const uri = workspaceFile('schema.http');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(FILE));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('schema diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => String(x.source).startsWith('woo-api schema'));
      return d.length >= 3 ? d : undefined;
    }, 20000);
    const seen = diags.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character, d.severity]).sort();
    assert.deepStrictEqual(seen, [
      ['not-in-enum', 8, 10, 18, vscode.DiagnosticSeverity.Error],
      ['unknown-field', 10, 2, 16, vscode.DiagnosticSeverity.Warning],
      ['wrong-type', 9, 19, 23, vscode.DiagnosticSeverity.Error],
    ].sort());
    assert.match(diags.find((d) => d.code === 'not-in-enum')!.message, /type is not one of simple, grouped, external, and variable/);
    assert.match(diags.find((d) => d.code === 'unknown-field')!.message, /Did you mean "regular_price"\?/);
  });

  it('completes field names and enum values from the store\'s schema', async () => {
    const uri = workspaceFile('schema.http');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(7, 3));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('stock_status') && labels.includes('sale_price'), labels.join(', '));
    const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(8, 10));
    const v = values.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(v.includes('"simple"') && v.includes('"variable"'), v.join(', '));
  });

  it('a 400 rest_invalid_param marks the refused field with WordPress\'s message and the rule', async () => {
    const uri = workspaceFile('schema.http');
    const sent = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 3);
    assert.strictEqual(sent?.status, 400);
    const refused = await waitFor('the refused field', () => vscode.languages.getDiagnostics(uri).find((d) => /The store refused/.test(d.message)));
    assert.strictEqual(refused.range.start.line, 8, 'on the "type" key: WordPress names the first invalid parameter');
    assert.match(refused.message, /its schema: type: type string, one of simple, grouped, external, and variable/);
  });

  it('the runner panel\'s JSON editor gets the same problems', async () => {
    const studio = await api();
    await studio.storeCommands.setActive(SANDBOX_ID);
    const panel = (await vscode.commands.executeCommand<RunnerPanel>('wooApiStudio.openRunner'))!;
    await waitFor('the page', () => panel.posted.find((m) => m.type === 'init'), 30000);
    const since = panel.posted.length;
    await panel.receive({ type: 'changed', request: { store: SANDBOX_ID, method: 'POST', path: 'wc/v3/products', query: [], headers: [], body: { kind: 'json', text: '{\n  "status": "published"\n}' }, auth: 'store' } });
    const m = await waitFor('body schema problems', () => panel.posted.slice(since).find((p) => p.type === 'bodySchema' && (p.problems as unknown[]).length > 0));
    assert.deepStrictEqual((m.problems as { line: number; column: number; message: string }[]).map((p) => [p.line, p.column, /status is not one of draft/.test(p.message)]), [[2, 13, true]]);
  });
});
