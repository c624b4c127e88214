// The registered stores: their shareable half in the user's `wooApiStudio.stores` setting, their
// secrets in the SecretVault; plus the stores the extension runs itself (the sandbox), which live
// in memory only. The rest of the extension asks this registry, never the settings directly.
//
// Who decides where credentials go:
//  - Stores come from the user's settings only. The setting is application-scoped, so VS Code
//    ignores it in a folder's settings, and this registry reads the user value alone anyway. A
//    folder that tries to define stores (a cloned repository naming "my-shop" with its own URL)
//    gets a warning and is ignored: a folder may only *name* a store (`@store = my-shop`).
//  - Secrets are bound to the origins they were saved for (kept beside them in SecretStorage).
//    When a store's address changes by a path that did not ask the user (a hand edit, settings
//    sync, another extension), its credentials are sent only after the user confirms the new
//    address in a modal. Edit Store and the fixes that move a store ask as part of their flow.
import * as vscode from 'vscode';
import { parse as parseJsonc } from 'jsonc-parser';
import { AuthNotApplied } from './core/auth/apply';
import { readStores, storeOrigins, unconfirmedOrigins, type Store, type StoreSecrets } from './core/store';
import { confirmModal } from './dialogs';
import type { Log } from './log';
import type { SecretVault } from './secrets';
import { RESTRICTED_MODE_SENTENCE } from './workspace-trust';

const SECTION = 'wooApiStudio';

/** A setting a folder tried to set that only the user's settings may set. */
export interface IgnoredFolderSetting {
  /** Where it was written (a settings file's path, or "workspace settings"). */
  source: string;
  key: string;
  /** For stores: each entry's name and address, as the folder wrote them. */
  stores?: { id?: string; name?: string; baseUrl?: string; homeUrl?: string }[];
}

export interface SaveOptions {
  /**
   * The user has seen and accepted the store's address in this flow (they typed it, or confirmed
   * it in a modal): its secrets are bound to the address as saved.
   */
  addressConfirmed?: boolean;
}

interface ManagedStore {
  store: Store;
  secrets: StoreSecrets;
}

export class StoreRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private reportedProblems = '';
  private reportedFolderSettings = '';
  /** Stores the extension runs itself (the sandbox), by id: never written to settings. */
  private readonly managed = new Map<string, ManagedStore>();
  /** One address question per store and address at a time, however many requests wait for it. */
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(private readonly vault: SecretVault, private readonly log: Log, private readonly userOnlyKeys: readonly string[] = [`${SECTION}.stores`]) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.stores`)) this.changed.fire();
        if (e.affectsConfiguration(SECTION)) void this.checkFolderSettings();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.checkFolderSettings()),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/settings.json');
    this.disposables.push(watcher, watcher.onDidChange(() => void this.checkFolderSettings()), watcher.onDidCreate(() => void this.checkFolderSettings()));
  }

  /** The user's stores, then the extension's own (the sandbox). */
  list(): Store[] {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('stores');
    // The user value only: a folder's (or a folder's workspace file's) value is never read.
    const { stores, problems } = readStores(inspected?.globalValue);
    const text = problems.join(' ');
    if (text !== '' && text !== this.reportedProblems) {
      // Said once per distinct problem set, not on every read.
      this.reportedProblems = text;
      void vscode.window.showWarningMessage(`Some stores in your settings were skipped: ${text}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
      });
    }
    const managed = [...this.managed.values()].map((m) => m.store);
    return [...stores.filter((s) => !this.managed.has(s.id)), ...managed];
  }

  get(idOrName: string): Store | undefined {
    const stores = this.list();
    return stores.find((s) => s.id === idOrName) ?? stores.find((s) => s.name === idOrName);
  }

  isManaged(storeId: string): boolean {
    return this.managed.has(storeId);
  }

  /** Registers (or replaces) a store the extension runs itself; kept in memory, never in settings. */
  setManaged(store: Store, secrets: StoreSecrets): void {
    this.managed.set(store.id, { store, secrets });
    this.changed.fire();
  }

  dropManaged(storeId: string): void {
    if (this.managed.delete(storeId)) this.changed.fire();
  }

  /**
   * The secrets as saved, whatever the store's address: for showing what is saved (the last 7
   * characters of a key), editing, and tests. Anything that sends uses `secretsFor`.
   */
  async storedSecrets(storeId: string): Promise<StoreSecrets | undefined> {
    const managed = this.managed.get(storeId);
    if (managed) return { ...managed.secrets };
    return this.vault.get(storeId);
  }

  /**
   * The secrets to send to `store`'s address, or an AuthNotApplied saying why not: the folder is
   * in Restricted Mode, or the store's address is not the one the secrets were saved for and the
   * user did not confirm it. undefined: no secrets are saved.
   */
  async secretsFor(store: Store): Promise<StoreSecrets | undefined> {
    if (!vscode.workspace.isTrusted) throw new AuthNotApplied(`Not sent: ${RESTRICTED_MODE_SENTENCE}`, 'restricted-mode');
    const managed = this.managed.get(store.id);
    if (managed) return { ...managed.secrets };
    const entry = await this.vault.entry(store.id);
    if (!entry) return undefined;
    if (!entry.boundTo) {
      // Saved by an earlier version, before bindings: the address in the user's own settings is
      // the one they were used with. Bind them to it now.
      await this.vault.bind(store.id, storeOrigins(store));
      this.log.info(`The credentials of store "${store.name}" are now bound to ${storeOrigins(store).join(' and ')}.`);
      return entry.secrets;
    }
    if (unconfirmedOrigins(store, entry.boundTo).length === 0) return entry.secrets;
    if (await this.askToConfirmAddress(store, entry.boundTo)) return entry.secrets;
    throw new AuthNotApplied(
      `Not sent: the credentials of store "${store.name}" were saved for ${entry.boundTo.join(' and ')}, and the store now points to ${unconfirmedOrigins(store, entry.boundTo).join(' and ')}, which you have not confirmed. Send again and confirm the new address, or change it back with "WooCommerce: Edit Store".`,
      'unconfirmed-address');
  }

  /**
   * For flows that send with credentials outside the request pipeline (Test Connection, the doctor,
   * Rotate Keys): true when the store's address may receive its credentials, asking if needed.
   */
  async addressConfirmed(store: Store): Promise<boolean> {
    if (this.managed.has(store.id)) return true;
    const entry = await this.vault.entry(store.id);
    if (!entry?.boundTo) return true;
    return unconfirmedOrigins(store, entry.boundTo).length === 0 || this.askToConfirmAddress(store, entry.boundTo);
  }

  /** Binds the store's saved secrets to its current address (the user confirmed it). */
  async confirmAddress(store: Store): Promise<void> {
    await this.vault.bind(store.id, storeOrigins(store));
    this.log.info(`The credentials of store "${store.name}" may now go to ${storeOrigins(store).join(' and ')} (confirmed by the user).`);
  }

  /**
   * Asks whether a store may send its credentials to a new address. Used by the flows that change
   * an address (Edit Store, the fixes that move a store) before they save it, with `from` the
   * address the user knew.
   */
  async confirmNewAddress(store: Store, updated: Store): Promise<boolean> {
    const added = storeOrigins(updated).filter((o) => !storeOrigins(store).includes(o));
    if (added.length === 0 || this.managed.has(store.id)) return true;
    return confirmModal({
      message: `Send the credentials of store "${store.name}" to ${added.join(' and ')} from now on?`,
      detail: `They are used with ${storeOrigins(store).join(' and ')} today. Only confirm if ${added.map((o) => new URL(o).host).join(' and ')} is the same WooCommerce site.`,
      confirm: 'Use the New Address',
    });
  }

  private askToConfirmAddress(store: Store, boundTo: readonly string[]): Promise<boolean> {
    const origins = unconfirmedOrigins(store, boundTo);
    const key = `${store.id} ${origins.join(' ')}`;
    let pending = this.asking.get(key);
    if (!pending) {
      pending = confirmModal({
        message: `The address of store "${store.name}" has changed. Send its credentials to ${origins.join(' and ')}?`,
        detail: `Its credentials were saved for ${boundTo.join(' and ')}. The "wooApiStudio.stores" entry of "${store.name}" in your user settings now points to ${origins.join(' and ')}. If you did not change it yourself (settings sync or another extension can), choose Cancel and check that entry.`,
        confirm: `Send to ${origins.map((o) => new URL(o).host).join(' and ')}`,
      }).then(async (yes) => {
        if (yes) await this.confirmAddress(store);
        else this.log.warn(`The credentials of store "${store.name}" were kept from ${origins.join(' and ')}: the user did not confirm the new address.`);
        return yes;
      }).finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
    }
    return pending;
  }

  /** Adds or replaces a store (matched by id) in the user's settings and stores its secrets. */
  async save(store: Store, secrets?: StoreSecrets, options: SaveOptions = {}): Promise<void> {
    const managed = this.managed.get(store.id);
    if (managed) {
      this.setManaged(store, secrets ?? managed.secrets);
      return;
    }
    const config = vscode.workspace.getConfiguration(SECTION);
    const current = config.inspect<unknown[]>('stores')?.globalValue;
    const others = (Array.isArray(current) ? current : []).filter((s) => (s as Store | undefined)?.id !== store.id);
    const existing = await this.vault.entry(store.id);
    // New secrets are bound to the address when the user saw it; otherwise the old binding stays,
    // so saving secrets cannot launder an address nobody confirmed.
    const boundTo = options.addressConfirmed || !existing?.boundTo ? storeOrigins(store) : existing.boundTo;
    if (secrets) await this.vault.set(store.id, secrets, boundTo);
    else if (existing && options.addressConfirmed) await this.vault.bind(store.id, boundTo);
    await config.update('stores', [...others, store], vscode.ConfigurationTarget.Global);
    await this.visible(store);
  }

  /**
   * Waits (up to 2 s) until list() returns the store as saved: the configuration change reaches
   * this extension host a moment after update() resolves, and a request re-sent right after a
   * quick fix must use the repaired store.
   */
  private async visible(store: Store): Promise<void> {
    const same = () => JSON.stringify(this.list().find((s) => s.id === store.id)) === JSON.stringify(readStores([store]).stores[0]);
    if (same()) return;
    await new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); sub.dispose(); resolve(); };
      const sub = vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`${SECTION}.stores`) && same()) done(); });
      const timer = setTimeout(done, 2000);
    });
  }

  /** Removes a store from the user's settings, and its secrets from SecretStorage. */
  async remove(storeId: string): Promise<boolean> {
    if (this.managed.has(storeId)) return false;
    const config = vscode.workspace.getConfiguration(SECTION);
    const value = config.inspect<unknown[]>('stores')?.globalValue;
    let found = false;
    if (Array.isArray(value)) {
      const kept = value.filter((s) => (s as Store | undefined)?.id !== storeId);
      if (kept.length !== value.length) {
        found = true;
        await config.update('stores', kept.length ? kept : undefined, vscode.ConfigurationTarget.Global);
      }
    }
    await this.vault.delete(storeId);
    return found;
  }

  /**
   * The user-only settings (stores, the sandbox's start) that the open folder's settings try to
   * set, from VS Code's view of them and from the settings files themselves (VS Code drops
   * application-scoped values from a folder's settings before an extension can see them).
   */
  async ignoredFolderSettings(): Promise<IgnoredFolderSetting[]> {
    const found: IgnoredFolderSetting[] = [];
    const config = vscode.workspace.getConfiguration();
    for (const key of this.userOnlyKeys) {
      const inspected = config.inspect(key);
      for (const value of [inspected?.workspaceValue, inspected?.workspaceFolderValue]) {
        if (value !== undefined) found.push(describe('workspace settings', key, value));
      }
    }
    const files: vscode.Uri[] = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
    const workspaceFile = vscode.workspace.workspaceFile;
    if (workspaceFile && workspaceFile.scheme !== 'untitled') files.push(workspaceFile);
    for (const file of files) {
      let text: string;
      try {
        text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
      } catch {
        continue;
      }
      const parsed = parseJsonc(text, [], { allowTrailingComma: true, disallowComments: false }) as unknown;
      const settings = file === workspaceFile ? (parsed as { settings?: unknown } | undefined)?.settings : parsed;
      for (const key of this.userOnlyKeys) {
        const value = settingValue(settings, key);
        if (value !== undefined) found.push(describe(vscode.workspace.asRelativePath(file), key, value));
      }
    }
    // The same file seen by VS Code and read by us is said once.
    const seen = new Set<string>();
    return found.filter((f) => {
      const id = `${f.key} ${JSON.stringify(f.stores ?? null)}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  /** Warns (once per distinct content) when the open folder tries to set user-only settings. */
  async checkFolderSettings(): Promise<IgnoredFolderSetting[]> {
    const ignored = await this.ignoredFolderSettings();
    const text = ignored.map((i) => `${i.key}${i.stores ? `: ${i.stores.map((s) => `"${s.name ?? s.id ?? '?'}" → ${s.baseUrl ?? '?'}${s.homeUrl ? ` (Home URL ${s.homeUrl})` : ''}`).join(', ')}` : ''}`).join('; ');
    if (text === '' || text === this.reportedFolderSettings) return ignored;
    this.reportedFolderSettings = text;
    const stores = ignored.flatMap((i) => i.stores ?? []);
    const others = [...new Set(ignored.filter((i) => !i.stores).map((i) => i.key))];
    const parts: string[] = [];
    if (stores.length) parts.push(`define stores (${stores.map((s) => `"${s.name ?? s.id ?? '?'}" at ${s.baseUrl ?? 'no address'}`).join(', ')})`);
    if (others.length) parts.push(`set ${others.join(', ')}`);
    const message = `This folder's settings try to ${parts.join(' and ')}. Only your user settings can do that, so a folder you open cannot decide where your stores' credentials go: ignored.`;
    this.log.warn(`${message} (${ignored.map((i) => i.source).join(', ')})`);
    void vscode.window.showWarningMessage(message, 'Open Folder Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile');
    });
    return ignored;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}

/** A setting's value in a parsed settings object: the dotted key, or the same key nested. */
function settingValue(settings: unknown, key: string): unknown {
  if (typeof settings !== 'object' || settings === null) return undefined;
  const flat = (settings as Record<string, unknown>)[key];
  if (flat !== undefined) return flat;
  let node: unknown = settings;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function describe(source: string, key: string, value: unknown): IgnoredFolderSetting {
  if (!key.endsWith('.stores')) return { source, key };
  const entries = Array.isArray(value) ? value : [value];
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : undefined);
  return {
    source,
    key,
    stores: entries.map((e) => {
      const s = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
      const options = (typeof s.options === 'object' && s.options !== null ? s.options : {}) as Record<string, unknown>;
      return { id: text(s.id), name: text(s.name), baseUrl: text(s.baseUrl), homeUrl: text(options.homeUrl) };
    }),
  };
}
