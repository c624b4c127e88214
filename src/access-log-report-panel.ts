// The access-log report panel, loaded on first use (src/core/lazy.ts): "WooCommerce: Analyze Access
// Log" reads an Apache or nginx access log (plain or gzip, streamed, with progress and Cancel), puts
// the findings as diagnostics on the offending log lines when the file fits in the editor, and shows
// a report: 2xx vs 401 vs 403 over time, top offenders with links to their lines, the findings;
// exportable as Markdown. A log being watched (access-log-watch.ts) shows the same report, updated
// live, with its open alerts. AccessLogReports (access-log-report.ts) creates it at its first use.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AccessLogReport, Alert, GroupSummary, MonitorRules } from './core/access-log';
import { clientProblemText, findingsHtml, groupByClient, parseReportMessage, timelineSvg } from './core/access-log-view';
import { accessLogModule, accessLogSettings, type LiveReportSource } from './access-log-report';
import type { Log } from './log';
import { webviewPage } from './webview-page';

/** Files up to this size get diagnostics on their lines (larger ones only the report). */
const DIAGNOSTICS_MAX_BYTES = 50 * 1024 * 1024;
const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;
/** `wooApiStudio.accessLog.problemsSeverity`: findings on log lines are for information unless the user asks for more. */
const PROBLEM_SEVERITY: Record<string, vscode.DiagnosticSeverity | 'found' | 'none'> = {
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
  warning: vscode.DiagnosticSeverity.Warning,
  asFound: 'found',
  none: 'none',
};

export class AccessLogReportPanel implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('woo-access-log');
  private panel: vscode.WebviewPanel | undefined;
  private current: { file: vscode.Uri; report: AccessLogReport } | undefined;
  private live: LiveReportSource | undefined;
  /** The live report changed while its panel was hidden. */
  private stale = false;

  /** `rules` reads the rules file the settings name (undefined: it has a mistake, already said). */
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: Log, private readonly rules: () => Promise<MonitorRules | undefined> = async () => ({})) {
    // The findings belong to the report and to the log: closing either takes them off the Problems panel.
    this.subscriptions.push(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          if (tab.input instanceof vscode.TabInputText) this.logClosed(tab.input.uri);
        }
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.logClosed(doc.uri)),
    );
  }

  /** The log's last editor tab closed: its findings leave the Problems panel (the report keeps them). */
  private logClosed(uri: vscode.Uri): void {
    if (!this.diagnostics.has(uri)) return;
    const open = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()));
    if (!open) this.diagnostics.delete(uri);
  }

  async analyze(target?: vscode.Uri, options?: { quiet?: boolean }): Promise<AccessLogReport | undefined> {
    const file = target ?? (await this.pickFile());
    if (!file) return undefined;
    if (file.scheme !== 'file') {
      void vscode.window.showErrorMessage('Access logs are read from files on disk; save this one to a file first.');
      return undefined;
    }
    let size: number;
    try {
      size = (await fs.stat(file.fsPath)).size;
    } catch {
      void vscode.window.showErrorMessage(`Cannot read ${file.fsPath}.`);
      return undefined;
    }
    const rules = await this.rules();
    if (!rules) return undefined;
    const analyzeOptions = accessLogSettings(rules);
    let report: AccessLogReport;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Analyzing ${path.basename(file.fsPath)}`, cancellable: true },
        (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let reported = 0;
          return accessLogModule().analyzeFile(file.fsPath, {
            ...analyzeOptions,
            signal: abort.signal,
            onProgress: (read, total) => {
              const pct = total ? Math.floor((read / total) * 100) : 0;
              if (pct > reported) {
                progress.report({ increment: pct - reported, message: `${pct}%` });
                reported = pct;
              }
            },
          });
        },
      );
    } catch (err) {
      if ((err as Error).name === 'AbortError') { void vscode.window.showInformationMessage('Analysis cancelled.'); return undefined; }
      void vscode.window.showErrorMessage(`The log could not be analyzed: ${(err as Error).message}`);
      return undefined;
    }
    this.current = { file, report };
    this.live = undefined;
    this.setDiagnostics(file, report, size);
    this.log.info(`Access log ${file.fsPath}: ${report.lines.parsed} lines parsed, ${report.lines.malformed} malformed, ${report.findings.length} findings.`);
    this.show();
    if (!options?.quiet && report.lines.malformed > 0) {
      void vscode.window.showWarningMessage(`${report.lines.malformed} line(s) did not match the ${report.format.name} format and were skipped.`);
    }
    return report;
  }

  private async pickFile(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document;
    if (active && active.uri.scheme === 'file' && /(access|log)/i.test(path.basename(active.uri.fsPath))) return active.uri;
    const picked = await vscode.window.showOpenDialog({ title: 'Analyze Access Log', canSelectMany: false, filters: { 'Access logs': ['log', 'gz', 'txt', '1'], 'All files': ['*'] } });
    return picked?.[0];
  }

  /**
   * The findings on the log's lines, one diagnostic per client (on its first line, the client's
   * findings and the lines they cover in its related information): a log with a 30-line burst
   * gives one entry, not one per line and per rule restating the same lines. Information by default.
   */
  private setDiagnostics(file: vscode.Uri, report: AccessLogReport, size: number): void {
    // The report shows one log at a time: the previous log's findings go with its report.
    this.diagnostics.clear();
    if (size > DIAGNOSTICS_MAX_BYTES || /\.gz$/i.test(file.fsPath)) return;
    const chosen = PROBLEM_SEVERITY[vscode.workspace.getConfiguration('wooApiStudio.accessLog').get<string>('problemsSeverity', 'information')] ?? vscode.DiagnosticSeverity.Information;
    if (chosen === 'none') return;
    const diags: vscode.Diagnostic[] = [];
    for (const group of groupByClient(report.findings)) {
      const first = group.lines[0];
      if (first === undefined) continue;
      const severity = chosen === 'found' ? Math.min(...group.findings.map((f) => SEVERITY[f.severity])) : chosen;
      const d = new vscode.Diagnostic(new vscode.Range(first - 1, 0, first - 1, Number.MAX_SAFE_INTEGER), clientProblemText(group), severity);
      d.source = 'WooCommerce API Studio (access log)';
      d.code = group.findings.length === 1 ? group.findings[0].kind : 'access-log-client';
      d.relatedInformation = group.findings.map((f) => new vscode.DiagnosticRelatedInformation(
        new vscode.Location(file, new vscode.Position((f.lines[0] ?? first) - 1, 0)),
        `${f.title}: ${f.message}`,
      ));
      diags.push(d);
    }
    this.diagnostics.set(file, diags);
  }

  private show(): void {
    const title = this.live ? this.live.title : this.current ? path.basename(this.current.file.fsPath) : undefined;
    if (title === undefined) return;
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('wooApiStudio.accessLogReport', 'Access Log Report', vscode.ViewColumn.Beside, { enableScripts: true, localResourceRoots: [media] });
      this.panel.iconPath = vscode.Uri.joinPath(media, 'woo.svg');
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        // The report closed: its findings leave the Problems panel with it.
        this.diagnostics.clear();
      });
      this.panel.onDidChangeViewState(() => {
        if (this.stale && this.live && this.panel?.visible) this.updateLive(this.live);
      });
      this.panel.webview.onDidReceiveMessage((raw) => this.onMessage(raw));
    }
    this.panel.title = `Access Log: ${title}`;
    this.panel.webview.html = this.html(this.panel.webview, media, title);
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  /** Shows a watched log's report, live: `updateLive()` refreshes it. */
  showLive(source: LiveReportSource): void {
    this.live = source;
    this.current = undefined;
    this.show();
  }

  /**
   * Refreshes the live report in place (the page keeps its scroll), when it is the one shown. A
   * report of a busy log is not free to build (the top clients among up to 100,000): a hidden panel
   * is refreshed when it is shown again.
   */
  updateLive(source: LiveReportSource): void {
    if (this.live !== source || !this.panel) return;
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    void this.panel.webview.postMessage({ type: 'update', parts: this.parts(source.report(), source.alerts()) });
  }

  /** The watch stopped: its report stays, no longer live. */
  endLive(source: LiveReportSource): void {
    if (this.live !== source) return;
    if (this.panel) void this.panel.webview.postMessage({ type: 'update', parts: { ...this.parts(source.report(), []), live: 'stopped' } });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseReportMessage(raw);
    if (!msg) {
      this.log.warn('The access-log report sent a message that is not one it may send; ignored.');
      return;
    }
    const live = this.live;
    switch (msg.type) {
      case 'export':
        await this.exportMarkdown();
        return;
      case 'evidence':
        await live?.evidence(msg.id);
        return;
      case 'mute':
        live?.mute(msg.client);
        return;
      case 'open': {
        if (live) return live.openLine(msg.line);
        if (!this.current) return;
        const doc = await vscode.workspace.openTextDocument(this.current.file);
        const pos = new vscode.Position(Math.min(msg.line - 1, doc.lineCount - 1), 0);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
      }
    }
  }

  async exportMarkdown(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const shown = this.live ? { name: this.live.title, report: this.live.report(), near: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '' } : this.current && { name: path.basename(this.current.file.fsPath), report: this.current.report, near: path.dirname(this.current.file.fsPath) };
    if (!shown) return undefined;
    const base = shown.name.replace(/\.gz$/i, '').replace(/[^\w.-]+/g, '-');
    const where = target ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(shown.near, `${base}.report.md`)), filters: { Markdown: ['md'] } }));
    if (!where) return undefined;
    await vscode.workspace.fs.writeFile(where, Buffer.from(accessLogModule().toMarkdown(shown.report, { title: `Access log report: ${shown.name}` })));
    if (!target) void vscode.window.showInformationMessage(`Report saved to ${where.fsPath}.`);
    return where;
  }

  /** The page's parts that change while watching (ids of their containers), as escaped HTML. */
  private parts(r: AccessLogReport, alerts: Alert[] | undefined): Record<string, string> {
    const lineLink = (line: number | undefined, text: string) => (line ? `<a href="#" data-line="${line}">${esc(text)}</a>` : esc(text));
    const table = (title: string, rows: GroupSummary[]) => rows.length === 0 ? '' : `<h2>${esc(title)}</h2><table><thead><tr><th>${esc(title.replace(/^Top /, ''))}</th><th class="num">Requests</th><th class="num">2xx</th><th class="num">401</th><th class="num">403</th><th>First failure</th></tr></thead><tbody>${rows.map((g) => `<tr class="${g.unauthorized + g.forbidden > 0 ? 'bad' : ''}"><td class="key">${esc(g.key)}</td><td class="num">${g.total}</td><td class="num">${g.ok}</td><td class="num">${g.unauthorized}</td><td class="num">${g.forbidden}</td><td>${g.failureLines[0] ? lineLink(g.failureLines[0], `line ${g.failureLines[0]}`) : ''}</td></tr>`).join('')}</tbody></table>`;
    const findings = findingsHtml(r.findings);
    const zone = r.offsetMinutes;
    const span = r.firstMs !== undefined && r.lastMs !== undefined ? `${accessLogModule().formatTime(r.firstMs, zone)} to ${accessLogModule().formatTime(r.lastMs, zone)} (${accessLogModule().zoneText(r)})` : 'no timestamps';
    const parts: Record<string, string> = {
      summary: `${r.lines.parsed.toLocaleString('en')} lines (${esc(r.format.name)} format), ${r.lines.rest.toLocaleString('en')} REST requests, ${r.lines.malformed} malformed · ${esc(span)} ·
<span class="ok">${r.totals.ok} 2xx</span> · <span class="unauthorized">${r.totals.unauthorized} 401</span> · <span class="forbidden">${r.totals.forbidden} 403</span>`,
      chart: timelineSvg(r.timeline, { label: (ms) => accessLogModule().formatTime(ms, zone) }),
      findings,
      tables: `${table('Top clients', r.clients)}${table('Top endpoints', r.endpoints)}${table('Top user agents', r.userAgents)}`,
    };
    if (alerts) {
      parts.alerts = alerts.length === 0
        ? '<p>No open alert.</p>'
        : `<ul class="alerts">${alerts.map((a) => `<li class="${a.severity}"><strong>${esc(a.title)}</strong> <span class="client">${esc(a.client)}</span><p>${esc(a.message)}</p><p class="lines">${esc(accessLogModule().evidenceText(a))}</p><p><button data-evidence="${esc(a.id)}">Show evidence</button><button data-mute="${esc(a.client)}">Mute this client for 1 hour</button></p></li>`).join('')}</ul>`;
    }
    return parts;
  }

  private html(webview: vscode.Webview, media: vscode.Uri, title: string): string {
    const nonce = randomBytes(16).toString('base64');
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'access-log-report.css'));
    const live = this.live;
    const p = this.parts(live ? live.report() : this.current!.report, live?.alerts());
    return webviewPage({
      cspSource: webview.cspSource,
      nonce,
      title: 'Access Log Report',
      style: style.toString(),
      imgSrc: webview.cspSource,
      body: `<header><h1>${esc(title)}</h1>${live ? '<span id="live" class="live">● watching</span>' : ''}<button id="export">Export as Markdown</button></header>
<p class="summary" id="summary">${p.summary}</p>
<div class="legend"><span class="ok">■ 2xx</span> <span class="unauthorized">■ 401</span> <span class="forbidden">■ 403</span> <span class="other">■ other</span></div>
<div id="chart">${p.chart}</div>
${live ? `<h2>Open alerts</h2><div id="alerts">${p.alerts}</div>` : ''}
<h2>Findings</h2><div id="findings">${p.findings}</div>
<div id="tables">${p.tables}</div>`,
      scripts: [{ inline: `
const vscode = acquireVsCodeApi();
document.getElementById('export').addEventListener('click', () => vscode.postMessage({ type: 'export' }));
document.body.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-line], button[data-evidence], button[data-mute]');
  if (!a) return;
  e.preventDefault();
  if (a.dataset.line) vscode.postMessage({ type: 'open', line: Number(a.dataset.line) });
  else if (a.dataset.evidence) vscode.postMessage({ type: 'evidence', id: a.dataset.evidence });
  else vscode.postMessage({ type: 'mute', client: a.dataset.mute });
});
// Live updates: parts built and escaped by the extension, into their own containers only.
window.addEventListener('message', (e) => {
  const m = e.data;
  if (!m || m.type !== 'update' || typeof m.parts !== 'object') return;
  for (const id of ['summary', 'chart', 'alerts', 'findings', 'tables']) {
    const el = document.getElementById(id);
    if (el && typeof m.parts[id] === 'string') el.innerHTML = m.parts[id];
  }
  const live = document.getElementById('live');
  if (live && m.parts.live === 'stopped') live.textContent = 'stopped';
});
` }],
    });
  }

  dispose(): void {
    this.live = undefined;
    for (const d of this.subscriptions) d.dispose();
    this.diagnostics.dispose();
    this.panel?.dispose();
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
