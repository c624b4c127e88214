// Code lenses on each request line of a .http / .rest file: "Send", "Send with store…", "Open in panel",
// and "Explain" after a 401/403.
import * as vscode from 'vscode';
import { HttpDocuments, HTTP_SELECTOR, toRange } from './http-documents';
import type { RequestSender } from './send-request';
import { RESTRICTED_MODE_SENTENCE } from './workspace-trust';

export class RequestCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly documents: HttpDocuments, sender: RequestSender, private readonly explained?: { findingsAt(uri: vscode.Uri, line: number): { status?: number } | undefined; onDidChange: vscode.Event<void> }) {
    sender.onDidSend(() => this.changed.fire());
    explained?.onDidChange(() => this.changed.fire());
    vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!HttpDocuments.isHttp(doc)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const request of this.documents.requestLines(doc)) {
      const range = toRange(request.requestLineRange);
      const line = request.requestLineRange.start.line;
      if (!vscode.workspace.isTrusted) {
        // Restricted Mode: the file is read and checked, never sent. The lens says why and how to change it.
        lenses.push(new vscode.CodeLens(range, { title: '$(shield) Sending is off in Restricted Mode', tooltip: RESTRICTED_MODE_SENTENCE, command: 'workbench.trust.manage' }));
        continue;
      }
      lenses.push(
        new vscode.CodeLens(range, { title: '$(play) Send', tooltip: 'Send this request with its store\'s credentials (Ctrl+Alt+R)', command: 'wooApiStudio.sendRequest', arguments: [doc.uri, line] }),
        new vscode.CodeLens(range, { title: 'Send with store…', tooltip: 'Pick the store to send this request to', command: 'wooApiStudio.sendRequestWithStore', arguments: [doc.uri, line] }),
        new vscode.CodeLens(range, { title: 'Open in panel', tooltip: 'Open this request in the runner panel (form, history, pagination)', command: 'wooApiStudio.openInRunner', arguments: [doc.uri, line] }),
      );
      const e = this.explained?.findingsAt(doc.uri, line);
      if (e) lenses.push(new vscode.CodeLens(range, { title: `$(lightbulb) Explain ${e.status ?? ''}`.trimEnd(), tooltip: 'Why WooCommerce answered this, and how to fix it', command: 'wooApiStudio.explainLastResponse', arguments: [doc.uri.toString(), line] }));
    }
    return lenses;
  }
}

export function registerCodeLenses(documents: HttpDocuments, sender: RequestSender, explained?: ConstructorParameters<typeof RequestCodeLenses>[2]): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(HTTP_SELECTOR, new RequestCodeLenses(documents, sender, explained));
}
