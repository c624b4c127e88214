import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';
import { SANDBOX_ID } from './helpers';
import type { SendSummary } from '../../src/send-request';
import type { StoreCommandResult } from '../../src/store-commands';
import { CAUSES } from '../../src/core/explain/causes';

describe('the request log', () => {
  before(async () => {
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
  });
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('records each request sent from a .http file, 401s with their finding, no secret; Show Request Log opens the view', async () => {
    const studio = await api();
    await studio.requestLog.file.clear();
    const uri = workspaceFile('logged.http');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('@store = sandbox\n\n### ok\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n\n### stranger\n# @no-auth\nGET {{$store.url}}/wp-json/wc/v3/orders\n'));
    assert.strictEqual((await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 3))?.status, 200);
    assert.strictEqual((await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 7))?.status, 401);
    await studio.requestLog.flushed();
    const { entries } = await studio.requestLog.file.read();
    assert.deepStrictEqual(entries.map((e) => [e.status, e.store, e.line]), [[200, 'sandbox', 3], [401, 'sandbox', 7]]);
    assert.strictEqual(entries[1].code, 'woocommerce_rest_cannot_view');
    assert.strictEqual(entries[1].finding, 'no-credentials');
    assert.strictEqual(entries[1].file, uri.toString());
    const secrets = (await studio.stores.storedSecrets(SANDBOX_ID))!;
    const raw = fs.readFileSync(studio.requestLog.file.file, 'utf8');
    assert.ok(!raw.includes(secrets.consumerSecret!) && !raw.includes(secrets.consumerKey!), 'no secret in the log file');

    const shown = await vscode.commands.executeCommand<{ entries: number }>('wooApiStudio.showRequestLog');
    assert.strictEqual(shown?.entries, 2);

    // The doctor's probes are logged too.
    await vscode.commands.executeCommand('wooApiStudio.diagnoseStore', 'sandbox', { quiet: true });
    await studio.requestLog.flushed();
    const after = (await studio.requestLog.file.read()).entries;
    assert.ok(after.filter((e) => e.source === 'doctor').length >= 2, JSON.stringify(after.map((e) => e.source)));
    assert.ok(!after.some((e) => e.source === 'doctor' && e.method !== 'GET' && !/batch/.test(e.path)), 'the doctor only reads (and sends an empty batch)');
    await waitFor('the request log tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'WooCommerce Request Log' && t.input instanceof vscode.TabInputWebview));
  });

  it('shows findings in plain words, OAuth 1.0a parameters folded into a badge, and Clear apart from the filters behind a modal whose default is Cancel', async () => {
    const studio = await api();
    await studio.requestLog.file.clear();
    const sandbox = studio.sandbox.current!;
    const admin = sandbox.seed.users.find((u) => u.role === 'administrator')!;
    const key = sandbox.seed.keys.find((k) => k.permissions === 'read_write' && k.user_id === admin.id)!;
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'log-signed', true);
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { saveOnFailure: true, name: 'log-signed', baseUrl: sandbox.httpUrl, authMethod: 'wc-oauth1', consumerKey: key.consumer_key, consumerSecret: key.consumer_secret });
    assert.strictEqual(added?.saved, true, JSON.stringify(added));
    try {
      const uri = workspaceFile('logged-words.http');
      await vscode.workspace.fs.writeFile(uri, Buffer.from('@store = log-signed\n\n### signed\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n\n### stranger\n# @no-auth\nGET {{$store.url}}/wp-json/wc/v3/orders\n'));
      assert.strictEqual((await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 3))?.status, 200);
      assert.strictEqual((await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 7))?.status, 401);
      await studio.requestLog.flushed();
      await vscode.commands.executeCommand('wooApiStudio.showRequestLog');
      const rows = await waitFor('the rows posted to the view', () => (studio.requestLog.lastRows.length >= 2 ? studio.requestLog.lastRows : undefined));
      const signed = rows.find((r) => r.status === 200)!;
      assert.match(signed.path, /oauth_signature=/, 'the log keeps the whole (masked) path');
      assert.strictEqual(signed.shownPath, '/wp-json/wc/v3/products?per_page=1', 'the Path column without the OAuth parameters');
      assert.ok(signed.oauth?.includes('oauth_signature') && signed.oauth.includes('oauth_nonce'), JSON.stringify(signed.oauth));
      const refused = rows.find((r) => r.status === 401)!;
      assert.strictEqual(refused.finding, 'no-credentials');
      assert.strictEqual(refused.findingTitle, CAUSES['no-credentials'].title, 'the explainer\'s title, not the id');

      const html = studio.requestLog.pageHtml()!;
      const filters = /<div class="filters"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
      assert.ok(filters.includes('id="path"') && !filters.includes('id="clear"'), 'Clear is not among the filters');
      assert.match(html, /<div class="actions"><button id="clear"[^>]*>Clear Log…<\/button><\/div>/);
      const buttons = [...(/<dialog id="confirm-clear"[\s\S]*?<\/dialog>/.exec(html)?.[0] ?? '').matchAll(/<button id="([^"]+)"([^>]*)>([^<]*)</g)].map((m) => [m[3], /autofocus/.test(m[2])]);
      assert.deepStrictEqual(buttons, [['Cancel', true], ['Clear Log', false]], 'Cancel first and the default');
    } finally {
      await vscode.commands.executeCommand('wooApiStudio.removeStore', 'log-signed', true);
    }
  });
});
