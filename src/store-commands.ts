// Store management: the active store, Test Connection, Remove Store, Select Active Store, Copy Store
// Config. Add Store, Edit Store and Rotate Keys are dialogs most sessions never open: they live in
// store-dialogs.ts, a bundle of its own loaded on first use (src/core/lazy.ts).
// Secrets go to SecretStorage only.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { testStoreConnection } from './core/store-input';
import { send, type SendOptions } from './core/send';
import { authLabel, isTokenStore, type AuthMethod, type OAuthGrant, type Store, type StoreSecrets } from './core/store';
import { TokenRenewalError } from './core/auth/token-manager';
import { lazily } from './core/lazy';
import type { StoreTokens } from './tokens';
import type { Log } from './log';
import type { StoreRegistry } from './stores';
import type * as StoreDialogsModule from './store-dialogs';
import { RESTRICTED_MODE_SENTENCE, requireTrust } from './workspace-trust';

const storeDialogs = lazily(() => require('./store-dialogs') as typeof StoreDialogsModule, 'the store dialogs');

const ACTIVE_KEY = 'wooApiStudio.activeStore';

/** Add Store without questions (tests, automation): everything the flow would ask. */
export interface AddStoreArgs {
  name: string;
  baseUrl: string;
  authMethod: AuthMethod;
  consumerKey?: string;
  consumerSecret?: string;
  username?: string;
  applicationPassword?: string;
  bearerToken?: string;
  /** JWT (and the OAuth 2.0 password grant): the WordPress password or an application password. */
  password?: string;
  /** JWT: which plugin (detected from the store when absent). */
  jwtPlugin?: 'tmeister' | 'useful-team';
  /** OAuth 2.0: the client, the grant that gets the first token, the scopes. */
  clientId?: string;
  clientSecret?: string;
  grant?: OAuthGrant;
  scope?: string;
  /** Endpoints (discovered from /.well-known/openid-configuration/ when absent). */
  tokenUrl?: string;
  authorizeUrl?: string;
  revokeUrl?: string;
  /** OAuth 2.0 browser sign-in: where the browser comes back (default: into VS Code; http://127.0.0.1:PORT/… for servers that accept only that). */
  redirectUri?: string;
  options?: Store['options'];
  /** Save even when the test request fails. */
  saveOnFailure?: boolean;
}

/** Edit Store without questions (tests, automation): what to change and to what. */
export interface EditStoreArgs extends Partial<Omit<AddStoreArgs, 'name'>> {
  what: 'credentials' | 'method' | 'url' | 'tls';
}

export interface StoreCommandResult {
  saved: boolean;
  storeId?: string;
  test?: { ok: boolean; message: string; detail?: string };
  problem?: string;
  /** After a failed test: the answer most likely at fault, to ask again. */
  fault?: 'address' | 'credentials' | 'method';
}

export class StoreCommands implements StoreDialogsModule.StoreDialogHost {
  private readonly activeChanged = new vscode.EventEmitter<Store | undefined>();
  readonly onDidChangeActive = this.activeChanged.event;
  /** Last connection test per store id (shown in the Stores view and status bar). */
  readonly lastTest = new Map<string, { ok: boolean; message: string; at: Date }>();
  private readonly tested = new vscode.EventEmitter<string>();
  /** core/send's send, for the store dialogs' bundle (which must not carry a copy of its own). */
  readonly send = send;
  readonly onDidTest = this.tested.event;

  /** The store ids seen so far: a store that appears is "new", and becomes active when none is. */
  private known: Set<string>;
  /** The active store after the last change of the list (chosen, or the only one). */
  private lastActive: string | undefined;
  private readonly storesChanged: vscode.Disposable;

  constructor(readonly stores: StoreRegistry, private readonly state: vscode.Memento, readonly log: Log, readonly storage: vscode.Uri, readonly tokens?: StoreTokens) {
    this.known = new Set(stores.list().map((s) => s.id));
    this.lastActive = this.active()?.id;
    this.storesChanged = stores.onDidChange(() => void this.keepAnActiveStore());
  }

  /** The active store: the one chosen, else the only one. undefined with several and none chosen. */
  active(): Store | undefined {
    const id = this.state.get<string>(ACTIVE_KEY);
    const all = this.stores.list();
    return (id ? all.find((s) => s.id === id) : undefined) ?? (all.length === 1 ? all[0] : undefined);
  }

  /**
   * Always an active store when there is one to choose. The active store stays active when others
   * come (the only store, active by default, is then chosen for good); when there was none, a store
   * that appears (added, the sandbox started) becomes active; when the active one goes away, the
   * only one left takes over, and among several none is chosen: the status bar offers "Select store".
   */
  private async keepAnActiveStore(): Promise<void> {
    const all = this.stores.list();
    const fresh = all.filter((s) => !this.known.has(s.id));
    this.known = new Set(all.map((s) => s.id));
    const previous = this.lastActive !== undefined && all.some((s) => s.id === this.lastActive) ? this.lastActive : undefined;
    const next = previous ?? (fresh.length > 0 ? fresh[fresh.length - 1].id : all.length === 1 ? all[0].id : undefined);
    // Noted before any await: the next change of the list (the sandbox restarting at once) must see it.
    this.lastActive = next;
    if (next !== this.state.get<string>(ACTIVE_KEY)) await this.setActive(next);
    else this.activeChanged.fire(this.active());
  }

  async setActive(id: string | undefined): Promise<void> {
    const update = this.state.update(ACTIVE_KEY, id);
    this.lastActive = this.active()?.id ?? id;
    await update;
    this.lastActive = this.active()?.id;
    this.activeChanged.fire(this.active());
  }

  async tlsFor(store: Store): Promise<SendOptions['tls']> {
    const ca = store.options?.caCertificateFile ? await fs.readFile(store.options.caCertificateFile, 'utf8').catch(() => undefined) : undefined;
    return { verify: store.options?.verifyTls !== false, ca };
  }

  announceTested(storeId: string): void {
    this.tested.fire(storeId);
  }

  // ---------------------------------------------------------------------------------------------
  // Add Store, Edit Store, Rotate Keys: the dialogs, loaded on first use.

  /** The store dialogs, or why their bundle could not be loaded (said to the user too). */
  private dialogs(): StoreDialogsModule.StoreDialogs | { problem: string } {
    try {
      return new (storeDialogs().StoreDialogs)(this);
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message);
      return { problem: (err as Error).message };
    }
  }

  async add(args?: AddStoreArgs): Promise<StoreCommandResult> {
    if (!(await requireTrust('add stores'))) return { saved: false, problem: RESTRICTED_MODE_SENTENCE };
    const dialogs = this.dialogs();
    return 'problem' in dialogs ? { saved: false, problem: dialogs.problem } : dialogs.add(args);
  }

  async edit(idOrName?: string | Store, answers?: EditStoreArgs): Promise<StoreCommandResult> {
    const store = await this.pick(idOrName, 'Edit which store?');
    if (!store) return { saved: false };
    const dialogs = this.dialogs();
    return 'problem' in dialogs ? { saved: false, problem: dialogs.problem } : dialogs.edit(store, answers);
  }

  /** Rotate Keys: a new consumer key pair, tested before it replaces the old one. `keys` skips the questions (tests). */
  async rotate(idOrName?: string | Store, keys?: { consumerKey: string; consumerSecret: string }): Promise<StoreCommandResult> {
    const store = await this.pick(idOrName, 'Rotate the keys of which store?');
    if (!store) return { saved: false };
    if (!(await requireTrust('rotate keys'))) return { saved: false, problem: RESTRICTED_MODE_SENTENCE };
    const dialogs = this.dialogs();
    return 'problem' in dialogs ? { saved: false, problem: dialogs.problem } : dialogs.rotate(store, keys);
  }

  // ---------------------------------------------------------------------------------------------

  async pick(idOrName: string | Store | undefined, placeHolder: string): Promise<Store | undefined> {
    const all = this.stores.list();
    if (idOrName && typeof idOrName === 'object') return all.find((s) => s.id === idOrName.id);
    if (typeof idOrName === 'string') {
      const found = all.find((s) => s.id === idOrName || s.name === idOrName);
      if (!found) void vscode.window.showErrorMessage(`No store is named "${idOrName}".`);
      return found;
    }
    if (all.length === 0) {
      const choice = await vscode.window.showInformationMessage('No store is registered yet.', 'Add Store', 'Start Sandbox Store');
      if (choice === 'Add Store') void vscode.commands.executeCommand('wooApiStudio.addStore');
      if (choice === 'Start Sandbox Store') void vscode.commands.executeCommand('wooApiStudio.startSandboxStore');
      return undefined;
    }
    // Kept open when the focus moves: a pick opened from a button of the walkthrough page lost it as
    // the page took the focus back, and closed before the user saw it. Escape still closes it.
    const picked = await vscode.window.showQuickPick(all.map((s) => ({ label: s.name, description: s.baseUrl, detail: authLabel(s.authMethod) + (s.key?.truncatedKey ? ` · key …${s.key.truncatedKey}` : ''), store: s })), { placeHolder, ignoreFocusOut: true });
    return picked?.store;
  }

  async test(idOrName?: string | Store): Promise<{ ok: boolean; message: string } | undefined> {
    const store = await this.pick(idOrName, 'Test the connection to which store?');
    if (!store || !(await requireTrust('test stores'))) return undefined;
    let secrets: StoreSecrets | undefined;
    try {
      secrets = await this.stores.secretsFor(store);
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message);
      return { ok: false, message: (err as Error).message };
    }
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing ${store.name}…` }, async () =>
      this.testWithToken(store, secrets));
    this.lastTest.set(store.id, { ok: result.ok, message: result.message, at: new Date() });
    this.tested.fire(store.id);
    this.log.info(`Test Connection ${store.name}: ${result.message}`);
    if (result.ok) void vscode.window.showInformationMessage(`${store.name}: ${result.message}`);
    else if (result.renewalFailed) offerSignInAgain(store, `${store.name}: ${result.message}`);
    else void vscode.window.showErrorMessage(`${store.name}: ${result.message}`);
    return { ok: result.ok, message: result.message };
  }

  /**
   * The connection test; a token store's token comes from its manager (renewed first when near its
   * end, renewed and tested once more when refused as an expired token is).
   */
  private async testWithToken(store: Store, secrets: StoreSecrets | undefined): Promise<{ ok: boolean; message: string; renewalFailed?: boolean }> {
    const manager = this.tokens?.managerFor(store);
    const tls = await this.tlsFor(store);
    if (!manager) return testStoreConnection(store, secrets, send, { tls, timeoutMs: 20_000 });
    const notes: string[] = [];
    try {
      const fresh = await manager.fresh();
      if (fresh.renewal) notes.push(fresh.renewal.message);
      let result = await testStoreConnection(manager.current, fresh.secrets, send, { tls, timeoutMs: 20_000 });
      if (!result.ok && !fresh.renewal && result.exchange && manager.isExpiredTokenAnswer(result.exchange)) {
        const auth = result.exchange.request.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1];
        const again = await manager.afterRejection(auth ? /^Bearer\s+(\S+)/i.exec(auth)?.[1] : undefined);
        if (again.renewal) notes.push(`The store refused the token; ${again.renewal.message}`);
        result = await testStoreConnection(manager.current, again.secrets, send, { tls, timeoutMs: 20_000 });
      }
      return { ok: result.ok, message: [result.message, ...notes].join(' ') };
    } catch (err) {
      if (err instanceof TokenRenewalError) return { ok: false, message: err.message, renewalFailed: true };
      return { ok: false, message: (err as Error).message };
    }
  }

  async remove(idOrName?: string | Store, confirmed = false): Promise<boolean> {
    const store = await this.pick(idOrName, 'Remove which store?');
    if (!store) return false;
    if (this.stores.isManaged(store.id)) {
      void vscode.window.showInformationMessage(`"${store.name}" is the sandbox store, which the extension runs itself: it goes away when you run "WooCommerce: Stop Sandbox Store".`);
      return false;
    }
    if (!confirmed) {
      const ok = await vscode.window.showWarningMessage(`Remove the store "${store.name}"?`, { modal: true, detail: isTokenStore(store) ? 'Its settings entry and its tokens and password in SecretStorage are deleted; an OAuth 2.0 server that can revoke tokens is asked to revoke them.' : 'Its settings entry and its credentials in SecretStorage are deleted. The keys stay valid in WooCommerce: revoke them there if they are no longer needed.' }, 'Remove');
      if (ok !== 'Remove') return false;
    }
    // Tokens are given back where the server supports it (OAuth 2.0 revocation) before they are forgotten.
    const revoked = await this.tokens?.revoke(store);
    await this.stores.remove(store.id);
    this.tokens?.forget(store.id);
    this.lastTest.delete(store.id);
    if (revoked) void vscode.window.showInformationMessage(`Store "${store.name}" removed; its ${revoked}.`);
    if (this.state.get(ACTIVE_KEY) === store.id) await this.setActive(undefined);
    this.log.info(`Store "${store.name}" removed, with its secrets.`);
    return true;
  }

  /** Stores whose key is older than the rotation period, with their age in days. */
  keysDue(): { store: Store; days: number }[] {
    const period = vscode.workspace.getConfiguration('wooApiStudio').get<number>('keyRotationDays', 90);
    if (!period || period <= 0) return [];
    return this.stores.list().flatMap((store) => {
      const since = store.key?.rotatedAt ?? store.key?.createdAt;
      const days = since ? Math.floor((Date.now() - Date.parse(since)) / 86_400_000) : NaN;
      return Number.isFinite(days) && days >= period ? [{ store, days }] : [];
    });
  }

  /** Says once per session which keys are due for rotation. */
  remindKeysDue(): void {
    const due = this.keysDue();
    if (due.length === 0) return;
    const names = due.map((d) => `"${d.store.name}" (${d.days} days)`).join(', ');
    void vscode.window.showInformationMessage(`Consumer keys due for rotation: ${names}.`, 'Rotate Keys').then((c) => {
      if (c) void this.rotate(due.length === 1 ? due[0].store : undefined);
    });
  }

  async select(idOrName?: string): Promise<string | undefined> {
    const store = await this.pick(idOrName, 'Make which store the active one?');
    if (!store) return undefined;
    await this.setActive(store.id);
    return store.id;
  }

  async copyConfig(idOrName?: string | Store): Promise<string | undefined> {
    const store = await this.pick(idOrName, 'Copy the configuration of which store?');
    if (!store) return undefined;
    // The settings entry is already secret-free by construction; say so where it is pasted.
    const text = JSON.stringify(store, null, 2);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`The configuration of "${store.name}" is on the clipboard, without its secrets: paste it into "wooApiStudio.stores" elsewhere and enter the credentials there.`);
    return text;
  }

  dispose(): void {
    this.storesChanged.dispose();
    this.activeChanged.dispose();
    this.tested.dispose();
  }
}

/** A renewal that failed: the reason, and "Sign in again". */
export function offerSignInAgain(store: Store, message: string): void {
  void vscode.window.showErrorMessage(message, 'Sign in again').then((c) => {
    if (c) void vscode.commands.executeCommand('wooApiStudio.signInAgain', store.id);
  });
}
