// WooCommerce: Import Postman Collection / OpenAPI / HAR / Store Routes: .http files that name a store
// and use {{$store.url}} (core/import), written into the workspace next to nothing they would
// overwrite, the first one opened, what was left out said once. Reading a file needs no trust;
// importing the store's routes sends (OPTIONS, no credentials), so it asks for trust first.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type * as ImportModule from './core/import';
import type { ImportKind, WrittenImport } from './core/import';
import { lazily } from './core/lazy';

import { send } from './core/send';
import type { Log } from './log';
import type { StoreRegistry } from './stores';
import { requireTrust } from './workspace-trust';
import { findStore } from './core/run-request';
import { trimTrailingSlashes } from './core/url-text';

/** The importers, read on the first import (see core/lazy.ts). */
const importers = lazily(() => require('./core/import') as typeof ImportModule);

export interface ImportOutcome {
  files: vscode.Uri[];
  notes: string[];
}

const FILTERS: Record<ImportKind, Record<string, string[]>> = {
  postman: { 'Postman collection': ['json'] },
  openapi: { 'OpenAPI / Swagger (JSON)': ['json'] },
  har: { 'HAR recording': ['har', 'json'] },
};

export class Importer {
  constructor(private readonly stores: StoreRegistry, private readonly log: Log) {}

  /** Args are for tests and other commands: the source file, the store's name, the folder to write to. */
  async importFile(kind: ImportKind, source?: vscode.Uri, storeName?: string, target?: vscode.Uri): Promise<ImportOutcome | undefined> {
    const file = source ?? (await vscode.window.showOpenDialog({ title: `Import ${label(kind)}`, canSelectMany: false, filters: FILTERS[kind] }))?.[0];
    if (!file) return undefined;
    const store = storeName ?? (await this.pickStore());
    if (!store) return undefined;
    let written: WrittenImport;
    try {
      const text = Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8');
      written = importers().render(importers().importText(kind, text, { storeName: store }), store);
    } catch (err) {
      void vscode.window.showErrorMessage(err instanceof importers().ImportError ? `Not imported: ${err.message}` : `Not imported: ${file.fsPath} cannot be read (${(err as Error).message}).`);
      return undefined;
    }
    return this.write(written, target, store);
  }

  async importStore(storeName?: string, target?: vscode.Uri): Promise<ImportOutcome | undefined> {
    if (!(await requireTrust('read a store\'s routes'))) return undefined;
    const name = storeName ?? (await this.pickStore());
    if (!name) return undefined;
    const store = findStore(this.stores.list(), name);
    if (!store) {
      void vscode.window.showErrorMessage(`No store is named "${name}". Add it with "WooCommerce: Add Store".`);
      return undefined;
    }
    const ca = store.options?.caCertificateFile ? await fs.readFile(store.options.caCertificateFile, 'utf8').catch(() => undefined) : undefined;
    const base = `${trimTrailingSlashes(store.baseUrl)}/${store.options?.restPrefix ?? 'wp-json'}`;
    let written: WrittenImport;
    try {
      written = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the routes of "${store.name}"…` }, async () => {
        const routes = await importers().readStoreRoutes(async (method, p) => {
          const ex = await send({ method, url: `${base}${p}`, headers: [['Accept', 'application/json']] }, { tls: { verify: store.options?.verifyTls !== false, ca }, timeoutMs: 15_000 });
          if (!ex.response) throw new (importers().ImportError)(`${store.baseUrl} did not answer: ${ex.error?.message ?? 'no response'}`);
          if (ex.response.status !== 200) throw new (importers().ImportError)(`${method} ${base}${p} answered ${ex.response.status}.`);
          return JSON.parse(Buffer.from(ex.response.body).toString('utf8'));
        });
        return importers().render(importers().importStoreRoutes(routes, { storeName: store.name, storeUrl: store.baseUrl, restPrefix: store.options?.restPrefix }), store.name);
      });
    } catch (err) {
      void vscode.window.showErrorMessage(`Not imported: ${err instanceof importers().ImportError ? err.message : (err as Error).message}`);
      return undefined;
    }
    return this.write(written, target, store.name);
  }

  private async pickStore(): Promise<string | undefined> {
    const stores = this.stores.list();
    if (stores.length === 0) {
      return vscode.window.showInputBox({ title: 'Store for the imported requests', prompt: 'No store is registered yet: the files will name this store (add it later with "WooCommerce: Add Store").', validateInput: (v) => (/^[\w.-]+$/.test(v) ? undefined : 'Letters, digits, ".", "_" and "-".') });
    }
    const picked = await vscode.window.showQuickPick(stores.map((s) => ({ label: s.name, description: s.baseUrl })), { title: 'The store the imported requests go to', placeHolder: 'They use {{$store.url}} and its credentials; none is written' });
    return picked?.label;
  }

  private async write(written: WrittenImport, target: vscode.Uri | undefined, store: string): Promise<ImportOutcome | undefined> {
    const dir = target ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? (await vscode.window.showOpenDialog({ title: 'Folder for the .http files', canSelectFiles: false, canSelectFolders: true }))?.[0];
    if (!dir) return undefined;
    const out: vscode.Uri[] = [];
    for (const f of written.files) {
      let uri = vscode.Uri.joinPath(dir, f.path);
      for (let i = 2; await exists(uri); i++) uri = vscode.Uri.joinPath(dir, f.path.replace(/\.http$/, `-${i}.http`));
      await vscode.workspace.fs.writeFile(uri, Buffer.from(f.text));
      out.push(uri);
    }
    this.log.info(`Imported ${out.length} .http file(s) for the store "${store}": ${out.map((u) => vscode.workspace.asRelativePath(u)).join(', ')}${written.notes.length ? `\n  ${written.notes.join('\n  ')}` : ''}`);
    if (out[0]) await vscode.window.showTextDocument(out[0], { preview: false });
    const summary = `Imported ${written.files.reduce((n, f) => n + f.requests, 0)} requests into ${out.length} file${out.length === 1 ? '' : 's'} for the store "${store}".`;
    if (written.notes.length) {
      void vscode.window.showInformationMessage(`${summary} ${written.notes.length} note${written.notes.length === 1 ? '' : 's'} on what was left out.`, 'Show Notes').then(async (c) => {
        if (c) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: `# ${summary}\n\n${written.notes.map((n) => `- ${n}`).join('\n')}\n` }));
      });
    } else void vscode.window.showInformationMessage(summary);
    return { files: out, notes: written.notes };
  }
}

function label(kind: ImportKind): string {
  return kind === 'postman' ? 'Postman Collection' : kind === 'openapi' ? 'OpenAPI Document' : 'HAR Recording';
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
