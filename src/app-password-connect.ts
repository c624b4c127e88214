// "Connect with Application Password": WordPress's authorize-application flow without copy and
// paste. We open wp-admin/authorize-application.php with a success_url that points back into VS Code
// (vscode://<publisher>.<name>/app-password?state=…); WordPress appends site_url, user_login and
// password to it when the user approves, and they go straight to SecretStorage.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Store } from './core/store';
import type { StoreRegistry } from './stores';
import type { Log } from './log';
import { trimTrailingSlashes } from './core/url-text';

const APP_ID = '9f1c7c1e-3a55-4d8e-9c0a-5a7d2f1b6e21'; // a fixed UUID: WordPress groups passwords of one app by it

interface Pending { storeId: string; expires: number }

export class AppPasswordConnector implements vscode.UriHandler {
  private readonly pending = new Map<string, Pending>();
  /** The vscode:// URI of the last approval started (in the browser, success_url is a mapped /callback URL). */
  lastCallback: vscode.Uri | undefined;
  private readonly connected = new vscode.EventEmitter<{ storeId: string; user: string }>();
  readonly onDidConnect = this.connected.event;

  constructor(private readonly stores: StoreRegistry, private readonly extensionId: string, private readonly log: Log) {}

  /** The authorize URL for a store; remembers a one-time state that the answer must carry. */
  async authorizeUrl(store: Store, homeUrl = store.baseUrl): Promise<vscode.Uri> {
    const state = randomBytes(16).toString('hex');
    this.pending.set(state, { storeId: store.id, expires: Date.now() + 15 * 60_000 });
    this.lastCallback = vscode.Uri.parse(`${vscode.env.uriScheme}://${this.extensionId}/app-password?state=${state}`);
    const callback = await vscode.env.asExternalUri(this.lastCallback);
    const q = new URLSearchParams({ app_name: `WooCommerce API Studio (${vscode.env.appName})`, app_id: APP_ID, success_url: callback.toString(true) });
    return vscode.Uri.parse(`${trimTrailingSlashes(homeUrl)}/wp-admin/authorize-application.php?${q}`, true);
  }

  handleUri(uri: vscode.Uri): Promise<void> {
    return this.receive(uri).then(() => undefined);
  }

  /** WordPress's redirect back: `…/app-password?state=S&site_url=U&user_login=L&password=P` (or `success=false` when rejected). */
  async receive(uri: vscode.Uri): Promise<boolean> {
    if (uri.path !== '/app-password') return false;
    const q = new URLSearchParams(uri.query);
    const state = q.get('state') ?? '';
    const pending = this.pending.get(state);
    this.pending.delete(state);
    if (!pending || pending.expires < Date.now()) {
      void vscode.window.showErrorMessage('This application-password approval was not started from this VS Code window (or it expired after 15 minutes). Run "WooCommerce: Connect with Application Password" again.');
      return false;
    }
    const user = q.get('user_login');
    const password = q.get('password');
    if (q.get('success') === 'false' || !user || !password) {
      void vscode.window.showWarningMessage('WordPress did not approve the application password (the request was rejected or cancelled). Nothing was saved.');
      return false;
    }
    const store = this.stores.list().find((s) => s.id === pending.storeId);
    if (!store) {
      void vscode.window.showErrorMessage('The store this approval was for no longer exists; nothing was saved.');
      return false;
    }
    const secrets = { ...(await this.stores.storedSecrets(store.id)), applicationPassword: password };
    await this.stores.save({ ...store, authMethod: 'app-password', username: user }, secrets);
    this.log.info(`Application password for ${user} received for store "${store.name}" and saved in SecretStorage.`);
    this.connected.fire({ storeId: store.id, user });
    void vscode.window.showInformationMessage(`Connected "${store.name}" as ${user} with a new application password (kept in SecretStorage).`, 'Test Connection').then((c) => {
      if (c) void vscode.commands.executeCommand('wooApiStudio.testConnection', store.id);
    });
    return true;
  }

  dispose(): void {
    this.connected.dispose();
  }
}

/** The command: pick a store, open its approval page in the browser. Returns the URL opened. */
export function connectAppPasswordCommand(connector: AppPasswordConnector, pickStore: (idOrName: string | undefined) => Promise<Store | undefined>) {
  return async (storeIdOrName?: string, options?: { open?: boolean }): Promise<string | undefined> => {
    const store = await pickStore(storeIdOrName);
    if (!store) return undefined;
    if (!store.baseUrl.startsWith('https:')) {
      void vscode.window.showErrorMessage(`WordPress offers application passwords over HTTPS only; "${store.name}" is ${store.baseUrl}.`);
      return undefined;
    }
    const url = await connector.authorizeUrl(store, store.options?.homeUrl ?? store.baseUrl);
    if (options?.open !== false) await vscode.env.openExternal(url);
    return url.toString(true);
  };
}
