import * as assert from 'assert';
import * as vscode from 'vscode';
import { api } from './helpers';
import type { StoreCommandResult } from '../../src/store-commands';

describe('Connect with Application Password (WordPress authorize-application flow)', () => {
  let started: { httpsUrl: string };
  before(async () => {
    started = (await vscode.commands.executeCommand<{ httpsUrl: string }>('wooApiStudio.startSandboxStore', { restart: true }))!;
  });
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'connect-me', true);
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('opens the approval page with a success_url back into VS Code, and the redirect stores user and password in SecretStorage', async () => {
    const studio = await api();
    const ca = studio.stores.get('sandbox')!.options!.caCertificateFile!;
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'connect-me', baseUrl: started.httpsUrl, authMethod: 'none', options: { caCertificateFile: ca }, saveOnFailure: true });
    assert.strictEqual(added?.saved, true);

    const opened = await vscode.commands.executeCommand<string>('wooApiStudio.connectAppPassword', 'connect-me', { open: false });
    assert.ok(opened, 'an authorize URL');
    const authorize = new URL(opened);
    assert.strictEqual(`${authorize.origin}${authorize.pathname}`, `${started.httpsUrl}/wp-admin/authorize-application.php`);
    assert.match(authorize.searchParams.get('app_name') ?? '', /^WooCommerce API Studio/);
    const success = new URL(authorize.searchParams.get('success_url')!);
    // Desktop VS Code: vscode://publisher.name/app-password?state=…; in the browser (code-server) asExternalUri
    // turns that into the workbench's /callback URL carrying the same path and query in vscode-* parameters.
    assert.ok(success.protocol === `${vscode.env.uriScheme}:` || /\/callback$/.test(success.pathname), success.toString());
    const inner = new URL(studio.appPasswords.lastCallback!.toString(true));
    assert.strictEqual(inner.pathname, '/app-password', success.toString());
    assert.match(inner.search, /^\?state=[0-9a-f]{32}$/);

    // WordPress redirects to success_url with these three parameters appended.
    const password = studio.sandbox.current!.seed.users.find((u) => u.role === 'administrator')!.application_passwords![0];
    const back = vscode.Uri.parse(`${vscode.env.uriScheme}://${inner.host}${inner.pathname}${inner.search}&site_url=${encodeURIComponent(started.httpsUrl)}&user_login=admin&password=${encodeURIComponent(password)}`);
    assert.strictEqual(await studio.appPasswords.receive(back), true);
    const store = studio.stores.get('connect-me')!;
    assert.strictEqual(store.authMethod, 'app-password');
    assert.strictEqual(store.username, 'admin');
    assert.strictEqual((await studio.stores.storedSecrets('connect-me'))?.applicationPassword, password);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('wooApiStudio').get('stores')).includes(password), 'not in settings');
    const tested = await vscode.commands.executeCommand<{ ok: boolean }>('wooApiStudio.testConnection', 'connect-me');
    assert.strictEqual(tested?.ok, true);

    // The state is single-use: a replayed redirect changes nothing.
    assert.strictEqual(await studio.appPasswords.receive(back), false);
  });
});
