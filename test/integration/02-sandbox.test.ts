import * as assert from 'assert';
import * as net from 'net';
import * as vscode from 'vscode';
import { api, basic, fetchRaw } from './helpers';
import { SANDBOX_ID } from './helpers';

type StartResult = { httpsUrl: string; httpUrl: string } | undefined;

function storesSetting(): unknown[] {
  return vscode.workspace.getConfiguration('wooApiStudio').get<unknown[]>('stores') ?? [];
}

function refusesConnections(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(u.port), u.hostname);
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', () => resolve(true));
  });
}

describe('sandbox store commands', () => {
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('Start Sandbox Store serves WooCommerce and registers the store "sandbox" in memory, never in the user\'s settings', async () => {
    const started = await vscode.commands.executeCommand<StartResult>('wooApiStudio.startSandboxStore', { restart: true });
    assert.ok(started, 'the command returned the running URLs');
    assert.match(started.httpsUrl, /^https:\/\/127\.0\.0\.1:\d+$/);

    const studio = await api();
    const entry = studio.stores.get('sandbox') as { id: string; baseUrl: string; authMethod: string; options: { caCertificateFile: string }; key: { truncatedKey: string } } | undefined;
    assert.ok(entry, 'a store named "sandbox" is registered');
    assert.strictEqual(entry.id, SANDBOX_ID);
    assert.strictEqual(entry.baseUrl, started.httpsUrl);
    assert.strictEqual(entry.authMethod, 'wc-basic');
    assert.ok(!storesSetting().some((s) => /sandbox/i.test(JSON.stringify(s))), 'the sandbox is not written to the settings');

    const secrets = await studio.stores.storedSecrets(SANDBOX_ID);
    assert.ok(secrets?.consumerKey && secrets.consumerSecret, 'the key pair is known');
    assert.match(secrets.consumerKey, /^ck_[0-9a-f]{40}$/);
    assert.strictEqual(entry.key.truncatedKey, secrets.consumerKey.slice(-7), 'the store keeps only the last 7 characters');
    const settingsText = JSON.stringify(storesSetting());
    assert.ok(!settingsText.includes(secrets.consumerSecret) && !settingsText.includes(secrets.consumerKey), 'no secret in settings');

    // The registered store really answers, with TLS verified against the sandbox's own certificate.
    const products = await fetchRaw(`${entry.baseUrl}/wp-json/wc/v3/products?per_page=2`, {
      headers: { Authorization: basic(secrets.consumerKey, secrets.consumerSecret) },
      caFile: entry.options.caCertificateFile,
    });
    assert.strictEqual(products.status, 200, products.body.slice(0, 200));
    assert.strictEqual(products.json.length, 2);
    assert.ok(Number(products.headers['x-wp-total']) > 2, 'X-WP-Total counts the whole collection');

    // And it is faithful: the same valid key over plain HTTP is silently ignored (FACTS: 401 cannot_view).
    const overHttp = await fetchRaw(`${started.httpUrl}/wp-json/wc/v3/products`, {
      headers: { Authorization: basic(secrets.consumerKey, secrets.consumerSecret) },
    });
    assert.strictEqual(overHttp.status, 401);
    assert.strictEqual(overHttp.json.code, 'woocommerce_rest_cannot_view');
  });

  it('keeps the same credentials across restarts', async () => {
    const before = await (await api()).stores.storedSecrets(SANDBOX_ID);
    await vscode.commands.executeCommand<StartResult>('wooApiStudio.startSandboxStore', { restart: true });
    const after = await (await api()).stores.storedSecrets(SANDBOX_ID);
    assert.ok(before?.consumerKey);
    assert.strictEqual(after?.consumerKey, before.consumerKey);
  });

  it('reproduces a stripped Authorization header when started in that mode', async () => {
    const started = await vscode.commands.executeCommand<StartResult>('wooApiStudio.startSandboxStore', { restart: true, modes: { stripAuthorization: true } });
    assert.ok(started);
    const secrets = (await (await api()).stores.storedSecrets(SANDBOX_ID))!;
    const caFile = (await api()).stores.get('sandbox')!.options!.caCertificateFile!;
    const viaHeader = await fetchRaw(`${started.httpsUrl}/wp-json/wc/v3/products`, { headers: { Authorization: basic(secrets.consumerKey!, secrets.consumerSecret!) }, caFile });
    assert.strictEqual(viaHeader.status, 401);
    const q = new URLSearchParams({ consumer_key: secrets.consumerKey!, consumer_secret: secrets.consumerSecret! });
    const viaQuery = await fetchRaw(`${started.httpsUrl}/wp-json/wc/v3/products?${q}`, { caFile });
    assert.strictEqual(viaQuery.status, 200, 'query-string keys survive a stripping server');
  });

  it('Reproduce a Misconfiguration restarts the sandbox with the problem given; Open Sample Requests opens a file on it that sends', async () => {
    const studio = await api();
    const before = (await studio.stores.storedSecrets(SANDBOX_ID))!.consumerKey;
    const started = await vscode.commands.executeCommand<StartResult>('wooApiStudio.reproduceMisconfiguration', { plainPermalinks: true });
    assert.ok(started);
    const products = await fetchRaw(`${started.httpUrl}/wp-json/wc/v3/products`);
    assert.strictEqual(products.status, 301, 'plain permalinks: /wp-json/… redirects');
    assert.strictEqual((await studio.stores.storedSecrets(SANDBOX_ID))!.consumerKey, before, 'the same keys');

    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
    await vscode.commands.executeCommand('wooApiStudio.openSampleRequests');
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(editor.document.languageId, 'http');
    assert.strictEqual(editor.document.isUntitled, true, 'nothing written to disk');
    assert.match(editor.document.getText(), /^@store = sandbox$/m);
    const line = editor.document.getText().split('\n').findIndex((l) => l.startsWith('GET '));
    const sent = await vscode.commands.executeCommand<{ status?: number }>('wooApiStudio.sendRequest', editor.document.uri, line);
    assert.strictEqual(sent?.status, 200);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Stop Sandbox Store closes its ports', async () => {
    const started = await vscode.commands.executeCommand<StartResult>('wooApiStudio.startSandboxStore', { restart: true });
    assert.ok(started);
    assert.strictEqual(await refusesConnections(started.httpsUrl), false, 'listening while started');
    const stopped = await vscode.commands.executeCommand<boolean>('wooApiStudio.stopSandboxStore');
    assert.strictEqual(stopped, true);
    assert.strictEqual(await refusesConnections(started.httpsUrl), true, 'HTTPS port closed');
    assert.strictEqual(await refusesConnections(started.httpUrl), true, 'HTTP port closed');
    assert.strictEqual((await api()).sandbox.current, undefined);
  });
});
