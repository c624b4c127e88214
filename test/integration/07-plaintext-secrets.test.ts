import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';
import { SANDBOX_ID } from './helpers';

describe('secrets written in a .http file: warned about, and moved to SecretStorage by the quick fix', () => {
  let url: string;
  before(async () => {
    url = (await vscode.commands.executeCommand<{ httpsUrl: string }>('wooApiStudio.startSandboxStore', { restart: true }))!.httpsUrl;
  });
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('warns on each literal key, and the preferred quick fix stores them and removes them from the file', async () => {
    const studio = await api();
    const keys = (await studio.stores.storedSecrets(SANDBOX_ID))!;
    const uri = workspaceFile('leaky.http');
    const text = `@store = sandbox\n\nGET ${url}/wp-json/wc/v3/products?per_page=2&consumer_key=${keys.consumerKey}&consumer_secret=${keys.consumerSecret}\n`;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('plaintext-secret warnings', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.code === 'plaintext-secret');
      return d.length === 2 ? d : undefined;
    });
    assert.strictEqual(diags[1].severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(doc.getText(diags[1].range), keys.consumerSecret);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diags[1].range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Move to SecretStorage');
    assert.ok(fix?.isPreferred && fix.command, actions.map((a) => a.title).join(', '));
    const result = await vscode.commands.executeCommand<{ storeId: string; moved: number }>(fix.command.command, ...(fix.command.arguments ?? []));
    assert.deepStrictEqual(result, { storeId: SANDBOX_ID, moved: 2 });
    assert.strictEqual(doc.getText(), `@store = sandbox\n\nGET ${url}/wp-json/wc/v3/products?per_page=2\n`);
    assert.deepStrictEqual(await studio.stores.storedSecrets(SANDBOX_ID), keys, 'the store has them in SecretStorage');
    await waitFor('the warnings to clear', () => !vscode.languages.getDiagnostics(uri).some((d) => d.code === 'plaintext-secret'));
    const sent = await vscode.commands.executeCommand<{ status?: number }>('wooApiStudio.sendRequest', uri, 2);
    assert.strictEqual(sent?.status, 200, 'the request still works: the store applies the credentials');
    await doc.save();
  });
});
