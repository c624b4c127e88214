// Secrets written in clear text in .http, .rest and .env files: a warning on each, and the quick
// fix "Move to SecretStorage" that stores them for the right store and takes them out of the file
// (the store applies its credentials by itself when the request is sent).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { requestAt, requestStoreName } from './core/http';
import { findPlaintextSecrets, type PlaintextSecret } from './core/secret-scan';
import { findStore } from './core/run-request';
import type { Store, StoreSecrets } from './core/store';
import type { HttpDocuments } from './http-documents';
import type { StoreRegistry } from './stores';

const CODE = 'plaintext-secret';
const WHAT: Record<PlaintextSecret['kind'], string> = {
  'consumer-key': 'A WooCommerce consumer key',
  'consumer-secret': 'A WooCommerce consumer secret',
  'application-password': 'What looks like a WordPress application password',
};

function fileKind(doc: vscode.TextDocument): 'http' | 'dotenv' | undefined {
  if (doc.languageId === 'http' && doc.uri.scheme !== 'woo-exchange') return 'http';
  if (/^\.env(\..+)?$/.test(path.basename(doc.uri.path)) || doc.languageId === 'dotenv') return 'dotenv';
  return undefined;
}

export class PlaintextSecrets implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('woo-secrets');
  private readonly found = new Map<string, PlaintextSecret[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly documents: HttpDocuments, private readonly stores: StoreRegistry) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.scan(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.scan(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => { this.collection.delete(d.uri); this.found.delete(d.uri.toString()); }),
      vscode.languages.registerCodeActionsProvider([{ language: 'http' }, { pattern: '**/.env*' }, { language: 'dotenv' }], this, { providedCodeActionKinds: PlaintextSecrets.providedCodeActionKinds }),
    );
    for (const d of vscode.workspace.textDocuments) this.scan(d);
  }

  private scan(doc: vscode.TextDocument): void {
    const kind = fileKind(doc);
    if (!kind) return;
    const secrets = findPlaintextSecrets(doc.getText(), kind);
    this.found.set(doc.uri.toString(), secrets);
    this.collection.set(doc.uri, secrets.map((s) => {
      const d = new vscode.Diagnostic(new vscode.Range(s.line, s.start, s.line, s.end),
        `${WHAT[s.kind]} is written here in clear text: anyone who can read this file, or its git history, can use it. Move it to SecretStorage; the store then applies it when requests are sent.`,
        vscode.DiagnosticSeverity.Warning);
      d.code = CODE;
      d.source = 'WooCommerce API Studio';
      return d;
    }));
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.code === CODE);
    if (ours.length === 0) return [];
    const action = new vscode.CodeAction('Move to SecretStorage', vscode.CodeActionKind.QuickFix);
    action.diagnostics = ours;
    action.isPreferred = true;
    action.command = { command: 'wooApiStudio.moveSecretsToSecretStorage', title: 'Move to SecretStorage', arguments: [doc.uri, ours[0].range.start.line] };
    return [action];
  }

  /** The quick fix: store every secret of the file for its store, then take them out of the file. */
  async move(uri: vscode.Uri, line = 0, storeIdOrName?: string): Promise<{ storeId: string; moved: number } | undefined> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const kind = fileKind(doc);
    const secrets = kind ? findPlaintextSecrets(doc.getText(), kind) : [];
    if (secrets.length === 0) return undefined;
    const store = await this.storeFor(doc, line, storeIdOrName);
    if (!store) return undefined;

    const current: StoreSecrets = { ...(await this.stores.storedSecrets(store.id)) };
    const first = (k: PlaintextSecret['kind']) => secrets.find((s) => s.kind === k)?.value;
    if (first('consumer-key')) current.consumerKey = first('consumer-key');
    if (first('consumer-secret')) current.consumerSecret = first('consumer-secret');
    if (first('application-password')) current.applicationPassword = first('application-password');
    const updated: Store = current.consumerKey ? { ...store, key: { ...store.key, truncatedKey: current.consumerKey.slice(-7) } } : store;
    await this.stores.save(updated, current);

    const edit = new vscode.WorkspaceEdit();
    const removedLines = new Set<number>();
    // Right to left within a line, so earlier offsets stay valid.
    for (const s of [...secrets].sort((a, b) => b.line - a.line || b.start - a.start)) {
      if (removedLines.has(s.line)) continue;
      if (s.context === 'basic-header') {
        edit.delete(uri, doc.lineAt(s.line).rangeIncludingLineBreak);
        removedLines.add(s.line);
      } else if (s.context === 'query-param' && s.pairStart !== undefined && s.pairEnd !== undefined) {
        const text = doc.lineAt(s.line).text;
        // `?consumer_key=…&x=1` keeps its `?` for the next parameter.
        const startsQuery = text[s.pairStart] === '?';
        const followed = text[s.pairEnd] === '&';
        edit.delete(uri, new vscode.Range(s.line, s.pairStart + (startsQuery && followed ? 1 : 0), s.line, s.pairEnd + (startsQuery && followed ? 1 : 0)));
      } else {
        edit.replace(uri, new vscode.Range(s.line, s.start, s.line, s.end), '');
      }
    }
    if (kind === 'http' && !/^\s*@store\s*=/m.test(doc.getText()) && !doc.getText().includes('@store')) {
      edit.insert(uri, new vscode.Position(0, 0), `@store = ${store.name}\n`);
    }
    await vscode.workspace.applyEdit(edit);
    void vscode.window.showInformationMessage(`Moved ${secrets.length} secret${secrets.length === 1 ? '' : 's'} to SecretStorage for the store "${store.name}". If this file was ever committed, rotate the key: git history keeps the old text.`);
    return { storeId: store.id, moved: secrets.length };
  }

  private async storeFor(doc: vscode.TextDocument, line: number, idOrName?: string): Promise<Store | undefined> {
    const all = this.stores.list();
    if (idOrName) return findStore(all, idOrName);
    if (doc.languageId === 'http') {
      const parsed = this.documents.parse(doc);
      const request = requestAt(parsed, line);
      const name = request ? requestStoreName(parsed, request) : parsed.fileStore;
      const named = name ? findStore(all, name) : undefined;
      if (named) return named;
    }
    if (all.length === 0) {
      void vscode.window.showWarningMessage('Add the store first ("WooCommerce: Add Store"), then move the secrets to it.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(all.map((s) => ({ label: s.name, description: s.baseUrl, store: s })), { placeHolder: 'Which store do these credentials belong to?' });
    return picked?.store;
  }

  dispose(): void {
    this.collection.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
