// Every secret of every store lives here, in VS Code's SecretStorage (the OS keychain on desktop),
// keyed by store id. Nothing in this file writes to settings, files, globalState or logs.
import * as vscode from 'vscode';
import type { StoreSecrets } from './core/store';

const PREFIX = 'wooApiStudio.store.';

export class SecretVault {
  constructor(private readonly storage: vscode.SecretStorage) {}

  async get(storeId: string): Promise<StoreSecrets | undefined> {
    const raw = await this.storage.get(PREFIX + storeId);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as StoreSecrets;
    } catch {
      // A value we cannot read is treated as absent; the user is asked for the credentials again.
      return undefined;
    }
  }

  async set(storeId: string, secrets: StoreSecrets): Promise<void> {
    await this.storage.store(PREFIX + storeId, JSON.stringify(secrets));
  }

  async delete(storeId: string): Promise<void> {
    await this.storage.delete(PREFIX + storeId);
  }

  /** Raw access for the extension's own non-store secrets (the sandbox's seed). */
  async getRaw(key: string): Promise<string | undefined> {
    return this.storage.get(key);
  }

  async setRaw(key: string, value: string): Promise<void> {
    await this.storage.store(key, value);
  }
}
