// Requests that check themselves, in Restricted Mode: the Testing view lists the folder's tests, but
// running them sends nothing and reports them skipped; a `??` mistake is still a problem as you type.
import * as assert from 'assert';
import * as http from 'http';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from '../helpers';

describe('Restricted Mode: assertions and the Testing view', () => {
  let server: http.Server;
  let hits: string[];
  let url: string;

  before(async () => {
    hits = [];
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.setHeader('Content-Type', 'application/json');
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lists the tests, runs nothing, reports each skipped with the reason; handlers never run', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const uri = workspaceFile('restricted-tests.http');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`GET ${url}/wp-json/wc/v3/products\n?? status == 200\n?? Status == 200\n\n> {%\nclient.global.set("ran", "yes");\n%}\n`));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const studio = await api();
    await waitFor('the ?? problem', () => vscode.languages.getDiagnostics(uri).some((d) => /Status/.test(d.message)));
    const file = await waitFor('the test file', () => studio.testing.controller.items.get(uri.toString()));
    assert.strictEqual(file.children.size, 1);
    studio.testing.reported.clear();
    // VS Code asks for trust before it runs tests (a dialog the test driver refuses); the run
    // profile itself is the backstop when a run reaches it anyway.
    await studio.testing.runProfile.runHandler(new vscode.TestRunRequest([file]), new vscode.CancellationTokenSource().token);
    const r = await waitFor('a result', () => studio.testing.reported.get(`${uri.toString()}#0`), 30000);
    assert.strictEqual(r.state, 'skipped');
    assert.match(r.messages[0], /Restricted Mode/);
    assert.deepStrictEqual(hits, [], 'nothing was sent');
    assert.deepStrictEqual(studio.sender.globals, {}, 'the handler did not run');
  });
});
