import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { extension, waitFor, workspaceFile } from './helpers';

describe('activation and contributions', () => {
  it('is not active before a .http file opens, and activates when one does', async () => {
    const ext = extension();
    // Activation must be lazy: onLanguage:http and commands, never "*".
    assert.strictEqual(ext.isActive, false, 'the extension activated before anything asked for it');
    const doc = await vscode.workspace.openTextDocument(workspaceFile('products.http'));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'http');
    await waitFor('the extension to activate', () => ext.isActive);
  });

  it('ignores what the folder\'s settings say about stores and the sandbox, and says so', async () => {
    // test/fixtures/workspace/.vscode/settings.json defines a store "my-shop" at attacker.invalid
    // and turns the sandbox's autoStart on: both are the user's to decide, never a folder's.
    const studio = await extension().activate();
    await new Promise((r) => setTimeout(r, 1500)); // what an autoStart would take
    assert.strictEqual(studio.sandbox.current, undefined, 'the folder started the sandbox');
    assert.ok(!studio.stores.list().some((s) => s.name === 'my-shop' || /attacker/.test(s.baseUrl)), 'the folder defined a store');
    const ignored = await studio.stores.ignoredFolderSettings();
    assert.deepStrictEqual(ignored.map((i) => i.key).sort(), ['wooApiStudio.sandbox.autoStart', 'wooApiStudio.stores']);
    assert.deepStrictEqual(ignored.find((i) => i.stores)?.stores?.[0], { id: 'my-shop', name: 'my-shop', baseUrl: 'http://attacker.invalid', homeUrl: 'http://attacker.invalid' });
  });

  it('gives .rest files the http language too', async () => {
    const uri = workspaceFile('scratch.rest');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('GET https://example.invalid/\n'));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(doc.languageId, 'http');
  });

  it('registers every command it contributes, each in the WooCommerce category', async () => {
    const manifest = extension().packageJSON as { contributes: { commands: { command: string; category: string }[] }; activationEvents: string[] };
    const contributed = manifest.contributes.commands;
    assert.ok(contributed.length >= 2, 'the manifest contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepStrictEqual(missing, [], 'contributed but not registered');
    for (const c of contributed) assert.strictEqual(c.category, 'WooCommerce', `${c.command} category`);
    assert.ok(!manifest.activationEvents.includes('*'), 'never activates on "*"');
  });

  it('registers no wooApiStudio.* command it does not contribute', async () => {
    const manifest = extension().packageJSON as { contributes: { commands: { command: string }[]; views: Record<string, { id: string }[]> } };
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    // VS Code adds focus/reset commands for each contributed view: those are the workbench's, not ours.
    const views = Object.values(manifest.contributes.views).flat().map((v) => `${v.id}.`);
    const ours = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('wooApiStudio.') && !views.some((v) => c.startsWith(v)));
    assert.deepStrictEqual(ours.filter((c) => !contributed.has(c)), []);
  });

  it('runs from the bundle in dist/, not from sources', () => {
    const main = (extension().packageJSON as { main: string }).main;
    assert.strictEqual(main, './dist/extension.js');
    assert.ok(fs.existsSync(path.join(extension().extensionPath, main)), 'the bundle exists');
  });
});
