// The registered stores: their shareable half in the `wooApiStudio.stores` setting, their secrets
// in the SecretVault. The rest of the extension asks this registry, never the settings directly.
import * as vscode from 'vscode';
import { readStores, type Store, type StoreSecrets } from './core/store';
import type { SecretVault } from './secrets';

const SECTION = 'wooApiStudio';

export class StoreRegistry implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly watcher: vscode.Disposable;
  private reportedProblems = '';

  constructor(private readonly vault: SecretVault) {
    this.watcher = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.stores`)) this.changed.fire();
    });
  }

  list(): Store[] {
    const { stores, problems } = readStores(vscode.workspace.getConfiguration(SECTION).get('stores'));
    const text = problems.join(' ');
    if (text !== '' && text !== this.reportedProblems) {
      // Said once per distinct problem set, not on every read.
      this.reportedProblems = text;
      void vscode.window.showWarningMessage(`Some stores in your settings were skipped: ${text}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettingsJson');
      });
    }
    return stores;
  }

  get(idOrName: string): Store | undefined {
    const stores = this.list();
    return stores.find((s) => s.id === idOrName) ?? stores.find((s) => s.name === idOrName);
  }

  secrets(storeId: string): Promise<StoreSecrets | undefined> {
    return this.vault.get(storeId);
  }

  /** Adds or replaces a store (matched by id) in the user's settings and stores its secrets. */
  async save(store: Store, secrets: StoreSecrets | undefined, target = vscode.ConfigurationTarget.Global): Promise<void> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspected = config.inspect<unknown[]>('stores');
    const current = (target === vscode.ConfigurationTarget.Global ? inspected?.globalValue : inspected?.workspaceValue) ?? [];
    const others = (Array.isArray(current) ? current : []).filter((s) => (s as Store | undefined)?.id !== store.id);
    if (secrets) await this.vault.set(store.id, secrets);
    await config.update('stores', [...others, store], target);
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

  /** Removes a store from user and workspace settings, and its secrets from SecretStorage. */
  async remove(storeId: string): Promise<boolean> {
    const config = vscode.workspace.getConfiguration(SECTION);
    const inspected = config.inspect<unknown[]>('stores');
    let found = false;
    for (const [target, value] of [[vscode.ConfigurationTarget.Global, inspected?.globalValue], [vscode.ConfigurationTarget.Workspace, inspected?.workspaceValue]] as const) {
      if (!Array.isArray(value)) continue;
      const kept = value.filter((s) => (s as Store | undefined)?.id !== storeId);
      if (kept.length !== value.length) {
        found = true;
        await config.update('stores', kept.length ? kept : undefined, target);
      }
    }
    await this.vault.delete(storeId);
    return found;
  }

  /** Where a store is saved: user or workspace settings. */
  targetOf(storeId: string): vscode.ConfigurationTarget {
    const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown[]>('stores');
    const inWorkspace = Array.isArray(inspected?.workspaceValue) && inspected.workspaceValue.some((s) => (s as Store | undefined)?.id === storeId);
    return inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
