// Every secret of every store lives here, in VS Code's SecretStorage (the OS keychain on desktop),
// keyed by store id. Nothing in this file writes to settings, files, globalState or logs.
//
// Each entry also records the origins the secrets were saved for (`boundTo`): settings can be
// changed by anyone who can write a settings file, SecretStorage only by this extension, so the
// binding kept beside the secrets is what decides whether a store's current address may receive
// them (see StoreRegistry.secretsFor).
import * as vscode from 'vscode';
import type { StoreSecrets } from './core/store';

const PREFIX = 'wooApiStudio.store.';

export interface VaultEntry {
  secrets: StoreSecrets;
  /** The origins the secrets may go to; undefined for entries saved before bindings existed. */
  boundTo?: string[];
}

interface StoredEntry {
  v: 2;
  secrets: StoreSecrets;
  boundTo: string[];
}

export class SecretVault {
  constructor(private readonly storage: vscode.SecretStorage) {}

  async entry(storeId: string): Promise<VaultEntry | undefined> {
    const raw = await this.storage.get(PREFIX + storeId);
    if (raw === undefined) return undefined;
    try {
      const value = JSON.parse(raw) as Partial<StoredEntry> & StoreSecrets;
      if (value.v === 2 && value.secrets && Array.isArray(value.boundTo)) return { secrets: value.secrets, boundTo: value.boundTo.filter((o) => typeof o === 'string') };
      // Written by an earlier version: the secrets alone, bound to nothing yet.
      const { v: _v, secrets: _s, boundTo: _b, ...legacy } = value;
      return { secrets: legacy };
    } catch {
      // A value we cannot read is treated as absent; the user is asked for the credentials again.
      return undefined;
    }
  }

  async get(storeId: string): Promise<StoreSecrets | undefined> {
    return (await this.entry(storeId))?.secrets;
  }

  async set(storeId: string, secrets: StoreSecrets, boundTo: readonly string[]): Promise<void> {
    const entry: StoredEntry = { v: 2, secrets, boundTo: [...boundTo] };
    await this.storage.store(PREFIX + storeId, JSON.stringify(entry));
  }

  /** Binds the existing secrets of a store to `origins` (after the user confirmed them). */
  async bind(storeId: string, origins: readonly string[]): Promise<void> {
    const current = await this.entry(storeId);
    if (current) await this.set(storeId, current.secrets, origins);
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
