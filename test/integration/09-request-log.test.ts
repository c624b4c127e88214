import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';
import { SANDBOX_ID } from './helpers';
import type { SendSummary } from '../../src/send-request';

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
});
