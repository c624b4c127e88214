// Code lenses on each request line of a .http / .rest file: "Send" and "Send with store…".
import * as vscode from 'vscode';
import { HttpDocuments, HTTP_SELECTOR, toRange } from './http-documents';
import type { RequestSender } from './send-request';

export class RequestCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly documents: HttpDocuments, sender: RequestSender) {
    sender.onDidSend(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!HttpDocuments.isHttp(doc)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const request of this.documents.parse(doc).requests) {
      const range = toRange(request.requestLineRange);
      const line = request.requestLineRange.start.line;
      lenses.push(
        new vscode.CodeLens(range, { title: '$(play) Send', tooltip: 'Send this request with its store\'s credentials (Ctrl+Alt+R)', command: 'wooApiStudio.sendRequest', arguments: [doc.uri, line] }),
        new vscode.CodeLens(range, { title: 'Send with store…', tooltip: 'Pick the store to send this request to', command: 'wooApiStudio.sendRequestWithStore', arguments: [doc.uri, line] }),
      );
    }
    return lenses;
  }
}

export function registerCodeLenses(documents: HttpDocuments, sender: RequestSender): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(HTTP_SELECTOR, new RequestCodeLenses(documents, sender));
}
