// 401s explained where they happen. After a .http request gets a 401/403 (or one of the traps: HTML
// instead of JSON, a redirect on an API path), its request line gets a diagnostic naming the real
// cause; the hover carries the explanation and evidence; quick fixes do the repair and send again.
import * as vscode from 'vscode';
import { explainExchange, summarize } from './core/explain/front';
import type { Finding } from './core/explain/explain';
import type { Fix } from './core/explain/causes';
import { doctorMarkdown, findingsMarkdown, findingMarkdown } from './core/explain/report';
import type { DoctorReport } from './core/explain/probes';
import { doctorView, explainView } from './core/report-view';
import type { ReportPanels } from './report-panel';
import { preferredFix } from './core/explain/preferred-fix';
import { wantsNoAuth, type RunResult } from './core/run-request';
import type { Store } from './core/store';
import { HttpDocuments, HTTP_SELECTOR, toRange } from './http-documents';
import type { RequestSender, SendSummary } from './send-request';
import { askHttpsUrl, moveStoreAddress, type FixApplier } from './fixes';
import type { StoreRegistry } from './stores';

export const EXPLAIN_SOURCE = 'WooCommerce API Studio (explain)';

interface Explained { findings: Finding[]; status?: number; storeId?: string; line: number; blockEnd: number; /** Sent without credentials on purpose (`# @no-auth`): the 401 is what was asked for. */ onPurpose?: boolean; /** The request's text when explained: an edit clears the finding only if it changed it. */ blockText?: string }

export class ExplainDiagnostics implements vscode.CodeActionProvider, vscode.HoverProvider, vscode.Disposable {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('woo-explain');
  private readonly explained = new Map<string, Map<number, Explained>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly doctorShown = new vscode.EventEmitter<DoctorReport>();
  /** A doctor report was shown (the walkthrough's "Run the doctor" step is done then). */
  readonly onDidShowDoctorReport = this.doctorShown.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly documents: HttpDocuments,
    private readonly sender: RequestSender,
    private readonly stores: StoreRegistry,
    private readonly fixes: FixApplier,
    private readonly reports: ReportPanels,
  ) {
    this.disposables.push(
      sender.onDidSend(({ uri, line, result }) => this.record(uri, line, result)),
      vscode.workspace.onDidChangeTextDocument((e) => this.clearEdited(e)),
      vscode.languages.registerCodeActionsProvider(HTTP_SELECTOR, this, { providedCodeActionKinds: ExplainDiagnostics.providedCodeActionKinds }),
      vscode.languages.registerHoverProvider(HTTP_SELECTOR, this),
    );
  }

  findingsAt(uri: vscode.Uri, line: number): Explained | undefined {
    return this.explained.get(uri.toString())?.get(line);
  }

  private record(uri: vscode.Uri, line: number, result: RunResult): void {
    const ex = result.exchange;
    const key = uri.toString();
    const perDoc = this.explained.get(key) ?? new Map<number, Explained>();
    this.explained.set(key, perDoc);
    perDoc.delete(line);
    // No answer is explained too: a connection closed on http:// is what a port that speaks HTTPS does.
    if (ex) {
      const request = result.resolved?.template;
      const findings = explainExchange({
        exchange: ex,
        store: result.store,
        authMethod: result.authMethod,
        applied: result.applied,
        token: result.token,
      });
      const blockEnd = request?.range.end.line ?? line;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const blockText = doc ? doc.getText(new vscode.Range(line, 0, blockEnd, Number.MAX_SAFE_INTEGER)) : undefined;
      const onPurpose = !!request && wantsNoAuth(request) && findings[0]?.cause === 'no-credentials';
      if (findings.length) perDoc.set(line, { findings, status: ex.response?.status, storeId: result.store?.id, line, blockEnd, blockText, onPurpose });
    } else if (result.notSentCode === 'token-renewal-failed' && result.store) {
      // Not sent because the token could not be renewed: the token endpoint's refusal is what to explain (with "Sign in again").
      const refused = result.renewals?.at(-1)?.exchanges.at(-1);
      const findings = refused?.response ? explainExchange({ exchange: refused, store: result.store, authMethod: result.store.authMethod, token: { plugin: result.store.token?.plugin } }) : [];
      const request = result.resolved?.template;
      const blockEnd = request?.range.end.line ?? line;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const blockText = doc ? doc.getText(new vscode.Range(line, 0, blockEnd, Number.MAX_SAFE_INTEGER)) : undefined;
      if (findings.length) perDoc.set(line, { findings, status: refused?.response?.status, storeId: result.store.id, line, blockEnd, blockText });
    }
    this.publish(uri);
  }

  private publish(uri: vscode.Uri): void {
    const perDoc = this.explained.get(uri.toString());
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const diags: vscode.Diagnostic[] = [];
    for (const e of perDoc?.values() ?? []) {
      const request = doc ? this.documents.parse(doc).requests.find((r) => r.requestLineRange.start.line === e.line) : undefined;
      const range = request ? toRange(request.requestLineRange) : new vscode.Range(e.line, 0, e.line, 1000);
      const auth = e.status === 401 || e.status === 403;
      // A deliberate `# @no-auth` request: said as information (no error squiggle), it is the answer asked for.
      const severity = e.onPurpose ? vscode.DiagnosticSeverity.Information : auth ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      const message = e.onPurpose ? `${e.status ?? ''} as asked: sent without credentials (# @no-auth). ${summarize(e.findings)}`.trim() : `${e.status ?? ''} ${summarize(e.findings)}`.trim();
      const d = new vscode.Diagnostic(range, message, severity);
      d.source = EXPLAIN_SOURCE;
      d.code = e.findings[0].cause;
      const related = request && doc ? relatedLocation(doc, request, e.findings[0]) : undefined;
      if (related) d.relatedInformation = [related];
      diags.push(d);
    }
    this.collection.set(uri, diags);
    this.changed.fire();
  }

  /** Editing a request makes what was said about it stale. */
  private clearEdited(e: vscode.TextDocumentChangeEvent): void {
    const perDoc = this.explained.get(e.document.uri.toString());
    if (!perDoc || perDoc.size === 0 || e.contentChanges.length === 0) return;
    let changed = false;
    for (const [line, ex] of perDoc) {
      if (!e.contentChanges.some((c) => c.range.start.line <= ex.blockEnd && c.range.end.line >= line - 1)) continue;
      // A reload from disk with the same text (after a save, a file watcher event) is not an edit.
      const now = e.document.getText(new vscode.Range(line, 0, ex.blockEnd, Number.MAX_SAFE_INTEGER));
      if (ex.blockText !== undefined && now === ex.blockText) continue;
      perDoc.delete(line);
      changed = true;
    }
    if (changed) this.publish(e.document.uri);
  }

  // --- hover -------------------------------------------------------------------------------------

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const e = this.findingsAt(doc.uri, pos.line);
    if (!e) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['wooApiStudio.applyFix', 'wooApiStudio.diagnoseStore'] };
    md.appendMarkdown(`**WooCommerce answered ${e.status}.** `);
    e.findings.forEach((f, fi) => {
      md.appendMarkdown('\n\n' + findingMarkdown(f, { fixLink: (i) => commandUri('wooApiStudio.applyFix', [doc.uri.toString(), e.line, { finding: fi, fix: i }]) }));
    });
    return new vscode.Hover(md);
  }

  // --- quick fixes -------------------------------------------------------------------------------

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // By the explained request under the range, not only by context.diagnostics: the markers the
    // workbench passes can lag behind a diagnostic just published.
    const perDoc = this.explained.get(doc.uri.toString());
    const e = perDoc ? [...perDoc.values()].find((x) => range.start.line <= x.line && x.line <= range.end.line) : undefined;
    if (!e) return [];
    const diagnostics = context.diagnostics.filter((x) => x.source === EXPLAIN_SOURCE && x.range.start.line === e.line);
    const actions: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    // A fix that changes the store is preselected only when the cause is certain; else the doctor is.
    const chosen = preferredFix(e.findings);
    const chosenId = chosen ? e.findings[chosen.finding].fixes[chosen.fix].id : undefined;
    e.findings.forEach((f, fi) => f.fixes.forEach((fix, i) => {
      if (seen.has(fix.id)) return;
      seen.add(fix.id);
      const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      a.diagnostics = diagnostics;
      a.isPreferred = fix.id === chosenId;
      a.command = { command: 'wooApiStudio.applyFix', title: fix.title, arguments: [doc.uri.toString(), e.line, { finding: fi, fix: i }] };
      actions.push(a);
    }));
    return actions;
  }

  /** Does the repair a fix names, then (when it changed something) sends the request again. */
  async applyFix(uriText: string, line: number, which: { finding: number; fix: number } | Fix): Promise<SendSummary | { done: string } | undefined> {
    const uri = vscode.Uri.parse(uriText);
    const e = this.findingsAt(uri, line);
    const fix = 'id' in which ? which : e?.findings[which.finding]?.fixes[which.fix];
    if (!fix) {
      void vscode.window.showInformationMessage('That explanation is out of date: send the request again.');
      return undefined;
    }
    const store = e?.storeId ? this.stores.list().find((s) => s.id === e.storeId) : undefined;
    return this.fixes.apply(fix, {
      store,
      resend: () => this.sender.send(uri, line),
      rewriteUrl: (fixId, target) => this.rewriteRequestUrl(uri, line, fixId, target, store),
      removeOwnAuthorization: () => this.removeAuthorizationHeaders(uri, line),
      statusOf: (r) => r?.status,
    });
  }

  /** Deletes the Authorization header lines of the request at `line` (not in cURL blocks, where a header is an argument). */
  private async removeAuthorizationHeaders(uri: vscode.Uri, line: number): Promise<boolean> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const request = this.documents.parse(doc).requests.find((r) => r.requestLineRange.start.line === line);
    const lines = request && !request.curl ? request.headers.filter((h) => h.name.toLowerCase() === 'authorization').map((h) => h.range.start.line) : [];
    if (lines.length === 0) return false;
    const edit = new vscode.WorkspaceEdit();
    for (const l of lines) edit.delete(uri, new vscode.Range(l, 0, l + 1, 0));
    return vscode.workspace.applyEdit(edit);
  }

  /**
   * Rewrites the request's URL. When the line uses {{$store.url}} and the fix only changes the
   * scheme or host, the store is changed instead, so every request of the file benefits.
   */
  private async rewriteRequestUrl(uri: vscode.Uri, line: number, fixId: Fix['id'], target: string | undefined, store: Store | undefined): Promise<boolean> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const request = this.documents.parse(doc).requests.find((r) => r.requestLineRange.start.line === line);
    if (!request) return false;
    const urlLine = request.urlLines[0];
    const usesStore = urlLine.text.includes('{{$store.url}}');
    if (usesStore && store && (fixId === 'use-https' || fixId === 'use-home-url')) return moveStoreAddress(this.stores, store, fixId, target);
    if (!target) {
      if (fixId !== 'use-https') return false;
      const edit = new vscode.WorkspaceEdit();
      const i = urlLine.text.indexOf('http://');
      if (i < 0) return false;
      // The scheme and host (with its port, when it has one and no {{variable}} in it): which HTTPS port is asked.
      const authority = /^http:\/\/[^/\s?#{}]+(?=[/\s?#]|$)/.exec(urlLine.text.slice(i))?.[0];
      let from = 'http://';
      let to = 'https://';
      if (authority) {
        const asked = await askHttpsUrl(authority).catch(() => 'https://' + authority.slice(7));
        if (!asked) return false;
        from = authority;
        to = asked;
      }
      edit.replace(uri, new vscode.Range(urlLine.range.start.line, urlLine.range.start.character + i, urlLine.range.start.line, urlLine.range.start.character + i + from.length), to);
      return vscode.workspace.applyEdit(edit);
    }
    const t = new URL(target);
    const edit = new vscode.WorkspaceEdit();
    // Keep {{$store.url}} and only replace what follows it: the path and query the fix computed.
    const replacement = usesStore ? `{{$store.url}}${t.pathname}${t.search}` : target;
    const lastLine = request.urlLines[request.urlLines.length - 1];
    edit.replace(uri, new vscode.Range(toRange(urlLine.range).start, toRange(lastLine.range).end), replacement);
    return vscode.workspace.applyEdit(edit);
  }

  /** "Explain": the findings of the last answer of that request, rendered beside the file, with fix buttons. */
  async showExplanation(uriText?: string | vscode.Uri, line?: number): Promise<string | undefined> {
    const uri = typeof uriText === 'string' ? vscode.Uri.parse(uriText) : uriText ?? vscode.window.activeTextEditor?.document.uri;
    const at = line ?? vscode.window.activeTextEditor?.selection.active.line ?? 0;
    if (!uri) {
      void vscode.window.showInformationMessage('Nothing to explain: open a .http file and send a request first.');
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const request = this.documents.parse(doc).requests.find((r) => r.range.start.line <= at && at <= r.range.end.line);
    const requestLine = request?.requestLineRange.start.line ?? at;
    const e = this.findingsAt(uri, requestLine);
    if (!e) {
      void vscode.window.showInformationMessage('Nothing to explain here: send the request first; only 401/403 answers and API traps are explained.');
      return undefined;
    }
    const heading = `Why WooCommerce answered ${e.status}`;
    const text = findingsMarkdown(e.findings, heading);
    await this.reports.show(`Explain ${request?.name ?? `line ${e.line + 1}`}`, {
      view: explainView(e.findings, heading),
      markdown: text,
      applyFix: (finding, fix) => this.applyFix(uri.toString(), e.line, { finding, fix }),
    });
    return text;
  }

  /** The doctor's report, rendered, its fix buttons repairing the store and running the doctor again. */
  async showDoctorReport(report: DoctorReport): Promise<void> {
    await this.reports.show(`Doctor ${report.store.name}`, {
      view: doctorView(report),
      markdown: doctorMarkdown(report),
      applyFix: (finding, fix) => this.applyDoctorFix(report, report.findings[finding]?.fixes[fix]),
    });
    this.doctorShown.fire(report);
  }

  /** Applies a fix of a doctor report to its store; "sending again" is running the doctor again. */
  async applyDoctorFix(report: DoctorReport, fix: Fix | undefined): Promise<DoctorReport | { done: string } | undefined> {
    if (!fix) return undefined;
    const store = this.stores.get(report.store.id);
    if (!store) {
      void vscode.window.showWarningMessage(`Store "${report.store.name}" no longer exists.`);
      return undefined;
    }
    return this.fixes.apply(fix, {
      store,
      resend: async () => (await vscode.commands.executeCommand<DoctorReport>('wooApiStudio.diagnoseStore', store.id, { quiet: true }))!,
      rewriteUrl: async (fixId, target) => {
        if (fixId !== 'use-https' && fixId !== 'use-home-url') return false;
        return moveStoreAddress(this.stores, this.stores.get(store.id) ?? store, fixId, target);
      },
      removeOwnAuthorization: async () => false,
      // The doctor has no status of its own: a healthy store is a success, anything else still fails.
      statusOf: (r) => (r?.healthy ? 200 : 401),
    });
  }

  dispose(): void {
    this.collection.dispose();
    this.changed.dispose();
    this.doctorShown.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

/** The Authorization header or credential parameter the finding is about, or the @store line they come from. */
function relatedLocation(doc: vscode.TextDocument, request: import('./core/http').RequestTemplate, finding: Finding): vscode.DiagnosticRelatedInformation | undefined {
  const name = finding.related?.name?.toLowerCase();
  if (finding.related?.kind === 'header') {
    const h = request.headers.find((x) => x.name.toLowerCase() === (name ?? 'authorization'));
    if (h) return new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, toRange(h.range)), `The ${h.name} header involved.`);
  }
  if (finding.related?.kind === 'query-param' && name) {
    const l = request.urlLines.find((u) => u.text.toLowerCase().includes(`${name}=`));
    if (l) return new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, toRange(l.range)), `The ${name} parameter involved.`);
  }
  const storeLine = request.metadata.entries.find((e) => e.key === 'store')?.range;
  const fileStore = doc.getText().split('\n').findIndex((l) => /^\s*@store\s*=/.test(l));
  const range = storeLine ? toRange(storeLine) : fileStore >= 0 ? doc.lineAt(fileStore).range : undefined;
  return range ? new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, range), 'The credentials come from this store (SecretStorage).') : undefined;
}
