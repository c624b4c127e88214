// The Explain and Doctor reports, rendered: a webview per report (titled "Explain …" / "Doctor
// <store>") with the findings as cards (cause, evidence, fix buttons that apply the fix) and, for the
// doctor, its probes. Strict CSP with a nonce (webview-page.ts); every message from the page is
// validated (core/report-view.ts) before anything runs. "Open as Markdown" shows the same report as
// Markdown text in a read-only editor (the `woo-report:` scheme), for copying into a ticket.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseReportMessage, type ReportView } from './core/report-view';
import { webviewPage } from './webview-page';

const VIEW_TYPE = 'wooApiStudio.report';

export interface ReportSource {
  view: ReportView;
  markdown: string;
  /** Applies the fix the page's button names (already validated against the view). */
  applyFix(finding: number, fix: number): Promise<unknown>;
}

export class ReportPanel {
  /** What the extension posted, newest last (tests read it). */
  readonly posted: { type: string; [k: string]: unknown }[] = [];
  private ready = false;

  constructor(readonly title: string, readonly panel: vscode.WebviewPanel, public source: ReportSource, private readonly openMarkdown: (title: string, markdown: string) => Promise<void>) {
    panel.webview.onDidReceiveMessage((raw) => void this.receive(raw));
  }

  private async post(msg: { type: string; [k: string]: unknown }): Promise<void> {
    this.posted.push(msg);
    if (this.posted.length > 50) this.posted.splice(0, this.posted.length - 50);
    // A doctor run can end after the user closed the tab: nothing to show it in then.
    await this.panel.webview.postMessage(msg).then(undefined, () => undefined);
  }

  async update(source: ReportSource): Promise<void> {
    this.source = source;
    if (this.ready) await this.post({ type: 'report', view: source.view });
  }

  /** A message from the page (tests call it as the page would). */
  async receive(raw: unknown): Promise<unknown> {
    const msg = parseReportMessage(raw, this.source.view);
    if (!msg) return undefined; // refused: not one of the page's messages
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        await this.post({ type: 'report', view: this.source.view });
        return undefined;
      case 'markdown':
        await this.openMarkdown(this.title, this.source.markdown);
        return undefined;
      case 'fix': {
        const result = await this.source.applyFix(msg.finding, msg.fix);
        const done = result && typeof result === 'object' && 'done' in result ? String((result as { done: unknown }).done) : undefined;
        if (done) await this.post({ type: 'notice', text: `Done: ${done}.` });
        return result;
      }
    }
  }
}

export class ReportPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ReportPanel>();
  private readonly markdown = new Map<string, string>();
  private readonly markdownChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {
    this.disposables.push(vscode.workspace.registerTextDocumentContentProvider('woo-report', { provideTextDocumentContent: (u) => this.markdown.get(u.toString()) ?? '', onDidChange: this.markdownChanged.event }));
  }

  get(title: string): ReportPanel | undefined {
    return this.panels.get(title);
  }

  /** The report shown last, if its panel is still open. */
  last: ReportPanel | undefined;

  /** Shows the report beside the editor (the same title reuses its panel), without taking focus. */
  async show(title: string, source: ReportSource): Promise<ReportPanel> {
    const existing = this.panels.get(title);
    if (existing) {
      await existing.update(source);
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      this.last = existing;
      return existing;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'media');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [media, dist], retainContextWhenHidden: false });
    const nonce = randomBytes(16).toString('base64');
    panel.webview.html = webviewPage({
      cspSource: panel.webview.cspSource,
      nonce,
      title: escapeHtml(title),
      style: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'report.css')).toString(),
      body: '<div id="notice" role="status" hidden></div><main id="report" aria-live="polite"></main>',
      scripts: [{ src: panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'report.js')).toString() }],
    });
    const report = new ReportPanel(title, panel, source, async (t, md) => { await this.openMarkdown(t, md); });
    this.panels.set(title, report);
    this.last = report;
    panel.onDidDispose(() => {
      this.panels.delete(title);
      if (this.last === report) this.last = undefined;
    });
    return report;
  }

  /** The report as Markdown text in a read-only editor beside. */
  async openMarkdown(title: string, markdown: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: 'woo-report', path: `/${title.replace(/[\\/:*?"<>|#%]+/g, '-')}.md` });
    this.markdown.set(uri.toString(), markdown);
    this.markdownChanged.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    return doc;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    this.markdownChanged.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
