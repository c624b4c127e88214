// The Stores view (activity bar): each store with its auth method, key age and last test result,
// and a status bar item showing the active store and its health.
import * as vscode from 'vscode';
import type { Store, StoreSecrets } from './core/store';
import { jwtExpiry } from './core/auth/apply';
import { timeLeft } from './core/auth/token-policy';
import { authLabel } from './core/store';
import type { StoreCommands } from './store-commands';
import type { StoreRegistry } from './stores';
import { isTokenStore, type StoreTokens } from './tokens';

export class StoresView implements vscode.TreeDataProvider<Store> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly stores: StoreRegistry, private readonly commands: StoreCommands, private readonly tokens?: StoreTokens) {
    stores.onDidChange(() => this.changed.fire());
    tokens?.onDidChange(() => this.changed.fire());
    commands.onDidTest(() => this.changed.fire());
    commands.onDidChangeActive(() => this.changed.fire());
  }

  getChildren(element?: Store): Store[] {
    return element ? [] : this.stores.list();
  }

  async getTreeItem(store: Store): Promise<vscode.TreeItem> {
    const item = new vscode.TreeItem(store.name, vscode.TreeItemCollapsibleState.None);
    const test = this.commands.lastTest.get(store.id);
    const active = this.commands.active()?.id === store.id;
    const age = keyAgeDays(store);
    item.id = store.id;
    // A token store: the time its token has left, and the token policy's warnings.
    const token = this.tokens && isTokenStore(store) ? await this.tokens.describe(store) : undefined;
    const warnings = this.tokens && isTokenStore(store) ? await this.tokens.policyWarnings(store) : [];
    item.description = [authLabel(store.authMethod), token, store.key?.truncatedKey ? `…${store.key.truncatedKey}` : undefined, age !== undefined ? `${age} d old` : undefined, warnings.length ? 'tokens live too long' : undefined].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon(test ? (test.ok ? 'pass' : 'error') : active ? 'circle-filled' : 'circle-outline',
      test ? new vscode.ThemeColor(test.ok ? 'testing.iconPassed' : 'testing.iconFailed') : undefined);
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${escape(store.name)}**${active ? ' (active)' : ''}\n\n`);
    tip.appendMarkdown(`${escape(store.baseUrl)}\n\n${authLabel(store.authMethod)}`);
    if (store.key?.truncatedKey) tip.appendMarkdown(`, key ending in \`${store.key.truncatedKey}\``);
    if (store.key?.permissions) tip.appendMarkdown(` (${store.key.permissions})`);
    if (token) tip.appendMarkdown(`\n\n${escape(token)}`);
    for (const w of warnings) tip.appendMarkdown(`\n\n$(warning) ${escape(w)}`);
    if (test) tip.appendMarkdown(`\n\nLast test ${test.at.toLocaleTimeString()}: ${escape(test.message)}`);
    item.tooltip = tip;
    // The sandbox's item also offers its misconfigurations (package.json: viewItem == store.sandbox).
    item.contextValue = this.stores.isManaged(store.id) ? 'store.sandbox' : isTokenStore(store) ? 'store.token' : 'store';
    item.command = { command: 'wooApiStudio.testConnection', title: 'Test Connection', arguments: [store.id] };
    return item;
  }
}

function tokenExpiry(secrets: StoreSecrets | undefined): Date | undefined {
  return secrets?.bearerToken ? jwtExpiry(secrets.bearerToken) : undefined;
}

function keyAgeDays(store: Store): number | undefined {
  const since = store.key?.rotatedAt ?? store.key?.createdAt;
  if (!since) return undefined;
  const t = Date.parse(since);
  return Number.isNaN(t) ? undefined : Math.floor((Date.now() - t) / 86_400_000);
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** The Stores view and the active-store status bar item; `statusText()` is the item's text (tests read it). */
export function registerStoresView(stores: StoreRegistry, commands: StoreCommands, tokens?: StoreTokens): vscode.Disposable & { statusText(): string | undefined } {
  const view = vscode.window.createTreeView('wooApiStudio.stores', { treeDataProvider: new StoresView(stores, commands, tokens), showCollapseAll: false });

  const status = vscode.window.createStatusBarItem('wooApiStudio.activeStore', vscode.StatusBarAlignment.Left, 50);
  status.name = 'WooCommerce Store';
  status.command = 'wooApiStudio.selectActiveStore';
  const update = async () => {
    const store = commands.active();
    if (!store) {
      // No store chosen: the item stays and says what to do, rather than vanishing.
      const any = stores.list().length > 0;
      status.text = any ? '$(plug) Select store' : '$(plug) Add a WooCommerce store';
      status.tooltip = any ? 'Several WooCommerce stores are registered and none is active: click to choose one.' : 'No WooCommerce store yet: click to add one, or run "WooCommerce: Start Sandbox Store".';
      status.command = any ? 'wooApiStudio.selectActiveStore' : 'wooApiStudio.addStore';
      status.backgroundColor = undefined;
      status.show();
      return;
    }
    status.command = 'wooApiStudio.selectActiveStore';
    const test = commands.lastTest.get(store.id);
    // A bearer token that is a JWT says when it expires: warn a day ahead, and once it has.
    const expiry = store.authMethod === 'bearer' ? tokenExpiry(await stores.storedSecrets(store.id)) : undefined;
    const expiring = expiry !== undefined && expiry.getTime() - Date.now() < 24 * 3600_000;
    const bad = (test && !test.ok) || expiring;
    // JWT / OAuth 2.0: the time the token has left (it is renewed on its own; this says it is alive).
    const left = tokens && isTokenStore(store) ? await tokens.secondsLeft(store) : undefined;
    const token = tokens && isTokenStore(store) ? await tokens.describe(store) : undefined;
    status.text = `$(${bad ? 'warning' : 'plug'}) ${store.name}${expiring ? (expiry!.getTime() <= Date.now() ? ': token expired' : ': token expires soon') : ''}${left !== undefined ? ` · token ${left > 0 ? timeLeft(left) : 'expired'}` : ''}`;
    status.tooltip = `Active WooCommerce store: ${store.baseUrl} (${authLabel(store.authMethod)})${token ? `\n${token[0].toUpperCase()}${token.slice(1)}` : ''}${test ? `\nLast test: ${test.message}` : ''}${expiry ? `\nBearer token expires ${expiry.toLocaleString()}` : ''}\nClick to switch.`;
    status.backgroundColor = bad ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    status.show();
  };
  const refresh = () => void update();
  refresh();
  // Expiry is a matter of time, not of events: look again every minute.
  // A token store's time left counts down: every 15 s while the active store has tokens.
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    if (ticks % 4 === 0 || isTokenStore(commands.active())) refresh();
  }, 15_000);
  const disposable = vscode.Disposable.from(view, status, stores.onDidChange(refresh), commands.onDidTest(refresh), commands.onDidChangeActive(refresh), ...(tokens ? [tokens.onDidChange(refresh)] : []), { dispose: () => clearInterval(timer) });
  return { dispose: () => disposable.dispose(), statusText: () => status.text || undefined };
}
