// The response editor: a read-only document beside the .http file showing the exchange as it went
// on the wire (see core/exchange-format.ts). One document per request, refreshed on each send.
import * as vscode from 'vscode';
import { formatExchange, type ExchangeContext } from './core/exchange-format';
import type { Exchange } from './core/send';

export const EXCHANGE_SCHEME = 'woo-exchange';

export class ExchangeView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(EXCHANGE_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '# This exchange is no longer in memory. Send the request again.\n';
  }

  /** Shows the exchange beside the editor and returns the document. */
  async show(key: string, exchange: Exchange, ctx: ExchangeContext): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: EXCHANGE_SCHEME, path: `/${safeName(key)}.http` });
    return this.showAt(uri, exchange, ctx);
  }

  /**
   * One tab per request of a file: named "Response <the request's name>", kept apart from a request of
   * the same name in another file by a folder in its address (VS Code shows it when two tabs share a name).
   */
  async showFor(file: string, name: string, exchange: Exchange, ctx: ExchangeContext): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: EXCHANGE_SCHEME, path: `/${file.replace(/[\\/:*?"<>|#%]+/g, '-')}/${safeName(name)}.http` });
    return this.showAt(uri, exchange, ctx);
  }

  private async showAt(uri: vscode.Uri, exchange: Exchange, ctx: ExchangeContext): Promise<vscode.TextDocument> {
    this.texts.set(uri.toString(), formatExchange(exchange, ctx));
    this.changed.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'http') doc = await vscode.languages.setTextDocumentLanguage(doc, 'http');
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
    return doc;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

function safeName(key: string): string {
  return `Response ${key}`.replace(/[\\/:*?"<>|#%]+/g, '-').slice(0, 80);
}
