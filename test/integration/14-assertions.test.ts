// Requests that check themselves (SPEC §10), in a real VS Code: `??` assertions passing and failing
// on their own lines (diagnostics, gutter marks), in the exchange view, in the Testing view (run
// through VS Code's own test commands), and JetBrains handlers running in a trusted workspace.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';
import type { SendSummary } from '../../src/send-request';

const FILE = [
  '@store = sandbox', //                                                     0
  '', //                                                                     1
  '### list', //                                                             2
  'GET {{$store.url}}/wp-json/wc/v3/products?per_page=2', //                 3
  '?? status == 200', //                                                     4
  '?? header content-type includes json', //                                 5
  '?? body $ isArray', //                                                    6
  '?? status == 201', //                                                     7
  '', //                                                                     8
  '### created', //                                                          9
  '# @name created', //                                                     10
  'POST {{$store.url}}/wp-json/wc/v3/products', //                          11
  'Content-Type: application/json', //                                      12
  '', //                                                                    13
  '{"name": "Editor Tee", "type": "simple"}', //                            14
  '', //                                                                    15
  '?? status == 201', //                                                    16
  '?? body $.name == "Editor Tee"', //                                      17
  '> {%', //                                                                18
  'client.test("has an id", function () { client.assert(response.body.id > 0, "no id"); });', // 19
  'client.global.set("editorName", response.body.name);', //               20
  '%}', //                                                                  21
  '', //                                                                    22
  '### no checks, only chaining', //                                        23
  'GET {{$store.url}}/wp-json/wc/v3/products/{{created.response.body.$.id}}', // 24
  '', //                                                                    25
  '### read back', //                                                       26
  'GET {{$store.url}}/wp-json/wc/v3/products/{{created.response.body.$.id}}', // 27
  '?? body $.name == {{editorName}}', //                                    28
  '',
].join('\n');

async function open(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

describe('assertions: the editor, the exchange view, the Testing view', () => {
  before(async () => {
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
  });
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('a ?? line that cannot be read is a problem as you type, on its own range', async () => {
    const doc = await open('bad-assert.http', 'GET https://example.com/\n?? status 200\n?? Status == 200\n');
    const diags = await waitFor('assertion problems', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => /operator|not something an assertion can check/.test(x.message));
      return d.length === 2 ? d : undefined;
    });
    assert.deepStrictEqual(diags.map((d) => [d.range.start.line, d.severity]), [[1, vscode.DiagnosticSeverity.Error], [2, vscode.DiagnosticSeverity.Error]]);
  });

  it('Send checks the assertions: passed and failed on their lines, with the actual value, and in the exchange', async () => {
    const doc = await open('checks.http', FILE);
    const summary = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 3);
    assert.strictEqual(summary?.status, 200, JSON.stringify(summary));
    assert.strictEqual(summary.verdict, 'failed');
    assert.deepStrictEqual(summary.checks?.map((c) => [c.range.start.line, c.passed]), [[4, true], [5, true], [6, true], [7, false]]);
    const studio = await api();
    const marks = await waitFor('marks', () => { const m = studio.testMarks.marks(doc.uri); return m.length === 4 ? m : undefined; });
    assert.deepStrictEqual(marks.map((m) => [m.line, m.state]), [[4, 'passed'], [5, 'passed'], [6, 'passed'], [7, 'failed']]);
    const failed = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'woo-api test');
    assert.deepStrictEqual(failed.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.message]), [[7, 0, 16, 'Failed: status (200) == 201']]);
    // The exchange view lists them too.
    const exchange = vscode.workspace.textDocuments.find((d) => d.uri.toString() === summary.exchangeDocument);
    assert.ok(exchange);
    assert.match(exchange.getText(), /^# Tests: 3 passed, 1 failed$/m);
    assert.match(exchange.getText(), /^# {3}✗ line 8: status \(200\) == 201$/m);
    // Editing the failing line drops its mark (the result was for what the line said).
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(7, 13, 7, 16), '200');
    await vscode.workspace.applyEdit(edit);
    await waitFor('the edited line\'s mark to go', () => studio.testMarks.marks(doc.uri).length === 3);
    assert.strictEqual(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'woo-api test').length, 0);
    await doc.save();
  });

  it('runs a JetBrains handler in a trusted workspace; client.global is a variable for later requests', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, true);
    const doc = await open('checks.http', FILE.replace('?? status == 201\n\n###', '?? status == 200\n\n###'));
    const created = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 11);
    assert.strictEqual(created?.status, 201);
    assert.deepStrictEqual(created.checks?.map((c) => [c.kind, c.label, c.passed]), [['assertion', 'status == 201', true], ['assertion', 'body $.name == "Editor Tee"', true], ['handler', 'has an id', true]]);
    const read = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 27);
    assert.deepStrictEqual(read?.checks?.map((c) => [c.message, c.passed]), [['$.name (Editor Tee) == Editor Tee', true]]);
  });

  it('the Testing view: the file with checks is a test file, its requests with checks tests; Run All reports through VS Code', async () => {
    const studio = await api();
    const doc = await open('suite.http', FILE);
    const key = doc.uri.toString();
    const file = await waitFor('the test file', () => studio.testing.controller.items.get(key));
    const ids: string[] = [];
    file.children.forEach((c) => ids.push(c.id));
    assert.deepStrictEqual(ids.map((id) => id.slice(key.length)), ['#3', '#11', '#27'], 'the request without checks is not a test');
    assert.strictEqual(file.children.get(`${key}#3`)?.range?.start.line, 3, 'the test sits on its request line (gutter run button)');
    studio.testing.reported.clear();
    // VS Code's own command: the run goes through its test service into our run profile.
    await vscode.commands.executeCommand('testing.runAll');
    const reported = await waitFor('results for the three tests', () => {
      const r = [`${key}#3`, `${key}#11`, `${key}#27`].map((id) => studio.testing.reported.get(id));
      return r.every(Boolean) ? r : undefined;
    }, 60000);
    assert.deepStrictEqual(reported.map((r) => r!.state), ['failed', 'passed', 'passed'], JSON.stringify(reported));
    assert.ok(reported.every((r) => typeof r!.durationMs === 'number'), 'durations reported');
    assert.deepStrictEqual(reported[0]!.messages, ['status (200) == 201']);
    // Chaining across the file: the request without checks (line 24) was sent too, after "created".
    const history = studio.sender.lastResult(doc.uri, 24);
    assert.strictEqual(history?.exchange?.response?.status, 200);
  });
});
