// "WooCommerce: Show Request Log": every request the extension sent, appended to a JSON Lines file
// in the extension's storage (no secret in it), shown in a webview with 401/403 highlighted,
// filters, and a jump to the .http line a request came from.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { entryFromExchange, filterEntries, parseLogViewMessage, RequestLogFile, rowOf, type LogEntry, type LogFilter, type LogRow } from './core/request-log';
import type { ExplainDiagnostics } from './explain-diagnostics';
import type { Log } from './log';
import type { RequestSender } from './send-request';
import { webviewPage } from './webview-page';

const SHOWN = 2000;

export class RequestLog implements vscode.Disposable {
  readonly file: RequestLogFile;
  private panel: vscode.WebviewPanel | undefined;
  private shown: LogEntry[] = [];
  private filter: LogFilter = {};
  private readonly disposables: vscode.Disposable[] = [];
  /** Appends in the order requests finished, one at a time. */
  private writing: Promise<void> = Promise.resolve();
  private readonly recorded = new vscode.EventEmitter<LogEntry>();
  /** The rows last posted to the view (tests read what the page was given). */
  lastRows: LogRow[] = [];
  /** Each entry as it is recorded (the access-log detectors watch the extension's own traffic). */
  readonly onDidRecord = this.recorded.event;

  constructor(private readonly context: vscode.ExtensionContext, sender: RequestSender, explained: ExplainDiagnostics, private readonly log: Log) {
    const max = vscode.workspace.getConfiguration('wooApiStudio').get<number>('requestLog.maxMegabytes', 5) * 1024 * 1024;
    this.file = new RequestLogFile(vscode.Uri.joinPath(context.globalStorageUri, 'request-log.jsonl').fsPath, max);
    this.disposables.push(sender.onDidSend(({ uri, line, result }) => {
      if (!result.exchange) return;
      const entry = entryFromExchange(result.exchange, {
        store: result.store?.name,
        source: 'http-file',
        // ExplainDiagnostics listens first, so the finding of this very answer is known here.
        finding: explained.findingsAt(uri, line)?.findings[0]?.cause,
        file: uri.toString(),
        line,
      });
      this.record(entry);
    }));
  }

  /** Appends one entry (in order, after those before it) and refreshes the view. */
  record(entry: LogEntry): void {
    this.recorded.fire(entry);
    this.writing = this.writing.then(() => this.file.append(entry)).then(() => this.refresh(), (err) => this.log.warn(`The request log could not be written: ${(err as Error).message}`));
  }

  /** Resolves when every entry sent so far is on disk (tests). */
  flushed(): Promise<void> {
    return this.writing;
  }

  async show(): Promise<{ entries: number }> {
    if (this.panel) {
      this.panel.reveal();
    } else {
      const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
      const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'media');
      const panel = vscode.window.createWebviewPanel('wooApiStudio.requestLog', 'WooCommerce Request Log', vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [media, dist],
      });
      panel.iconPath = vscode.Uri.joinPath(media, 'woo.svg');
      panel.webview.html = this.html(panel.webview, media, dist);
      panel.onDidDispose(() => { this.panel = undefined; }, undefined, this.disposables);
      panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw), undefined, this.disposables);
      this.panel = panel;
    }
    return { entries: (await this.file.read()).entries.length };
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseLogViewMessage(raw);
    if (!msg) {
      this.log.warn('The request log view sent a message that is not one it may send; ignored.');
      return;
    }
    switch (msg.type) {
      case 'ready':
        return this.refresh();
      case 'filter':
        this.filter = msg.filter;
        return this.refresh();
      case 'open': {
        const e = this.shown[msg.index];
        if (!e?.file) return;
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(e.file));
        const pos = new vscode.Position(e.line ?? 0, 0);
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
        return;
      }
      case 'clear':
        // Asked in the page's own modal (Cancel / Clear Log, Cancel the default: VS Code's modal
        // always makes the action its default button); the page sends this only after Clear Log.
        await this.file.clear();
        this.log.info('The request log was cleared.');
        await this.refresh();
    }
  }

  private async refresh(): Promise<void> {
    if (!this.panel) return;
    const { entries } = await this.file.read();
    const stores = [...new Set(entries.map((e) => e.store).filter((s): s is string => !!s))].sort();
    this.shown = filterEntries(entries, this.filter).reverse().slice(0, SHOWN);
    this.lastRows = this.shown.map(rowOf);
    // The panel may have closed while the file was read.
    await this.panel?.webview.postMessage({ type: 'entries', entries: this.lastRows, stores, total: entries.length }).then(undefined, () => undefined);
  }

  private html(webview: vscode.Webview, media: vscode.Uri, dist: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'request-log.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'request-log.css'));
    return webviewPage({
      cspSource: webview.cspSource,
      nonce,
      title: 'WooCommerce Request Log',
      style: style.toString(),
      body: `<header>
  <div class="filters" role="group" aria-label="Filters">
  <label>Store <select id="store" aria-label="Store"></select></label>
  <label>Status <select id="status" aria-label="Status">
    <option value="">All</option><option value="2xx">2xx</option><option value="401">401</option><option value="403">403</option>
    <option value="4xx">4xx</option><option value="5xx">5xx</option><option value="failed">No answer</option>
  </select></label>
  <label>Path <input id="path" type="search" placeholder="/wc/v3/products" aria-label="Path contains"></label>
  </div>
  <span id="summary" role="status"></span>
  <div class="actions"><button id="clear" title="Delete every entry of the request log">Clear Log…</button></div>
</header>
<dialog id="confirm-clear" aria-labelledby="confirm-title" aria-describedby="confirm-detail">
  <p id="confirm-title"><strong>Clear the request log?</strong></p>
  <p id="confirm-detail">Every entry, of every store, is deleted. This cannot be undone.</p>
  <div class="buttons"><button id="confirm-cancel" autofocus>Cancel</button><button id="confirm-ok" class="danger">Clear Log</button></div>
</dialog>
<table>
  <thead><tr><th>Time</th><th>Store</th><th>Method</th><th>Path</th><th>Status</th><th>Code</th><th>Duration</th><th>Finding</th></tr></thead>
  <tbody id="rows"></tbody>
</table>`,
      scripts: [{ src: script.toString() }],
    });
  }

  /** The page as the view was given it (tests). */
  pageHtml(): string | undefined {
    return this.panel?.webview.html;
  }

  dispose(): void {
    this.recorded.dispose();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
