// Parsed `.http` / `.rest` documents, cached by version, and their problems as diagnostics. Every
// other capability (code lenses, sending, completion) asks here instead of parsing again.
import * as vscode from 'vscode';
import { LINT_CODES } from './core/lint';
import { indexHttpDocument, parseHttpDocument, type ParsedDocument, type Problem, type Range } from './core/http';

export const HTTP_SELECTOR: vscode.DocumentSelector = [
  { language: 'http', scheme: 'file' },
  { language: 'http', scheme: 'untitled' },
  { language: 'http', scheme: 'vscode-remote' },
];

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(p: Problem, source = 'WooCommerce API Studio'): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p.range), p.message, SEVERITY[p.severity]);
  d.code = p.code;
  d.source = source;
  return d;
}

/**
 * Problems worth showing while typing, found by resolving each request the way a send would
 * (unknown variables and stores). Send-time diagnostics leave these codes to the linter.
 */

export type Linter = (doc: vscode.TextDocument, parsed: ParsedDocument) => Promise<Problem[]>;

export class HttpDocuments implements vscode.Disposable {
  private linter: Linter | undefined;
  private lintGeneration = new Map<string, number>();
  private readonly cache = new Map<string, { version: number; parsed: ParsedDocument }>();
  private readonly indexCache = new Map<string, { version: number; lines: { requestLineRange: Range }[] }>();
  /** Problems found when parsing: shown as long as the text has them. */
  private readonly syntax = vscode.languages.createDiagnosticCollection('woo-http');
  /** Problems found when a request was resolved for sending, per document and request line. */
  private readonly resolution = new Map<string, Map<number, vscode.Diagnostic[]>>();
  private readonly resolutionCollection = vscode.languages.createDiagnosticCollection('woo-http-send');
  private readonly disposables: vscode.Disposable[] = [];
  private timers = new Map<string, NodeJS.Timeout>();

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        this.clearResolutionOverlapping(e.document.uri, e.contentChanges.map((c) => c.range));
        this.refreshSoon(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cache.delete(d.uri.toString());
        this.indexCache.delete(d.uri.toString());
        this.syntax.delete(d.uri);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.refresh(d);
  }

  static isHttp(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'http' && doc.uri.scheme !== 'woo-exchange';
  }

  /** Where the requests are (for code lenses): the parse's when it is current, else the much cheaper index. */
  requestLines(doc: vscode.TextDocument): { requestLineRange: Range }[] {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.parsed.requests;
    const idx = this.indexCache.get(key);
    if (idx && idx.version === doc.version) return idx.lines;
    const lines = indexHttpDocument(doc.getText(), { languageId: doc.languageId === 'markdown' ? 'markdown' : 'http' });
    this.indexCache.set(key, { version: doc.version, lines });
    return lines;
  }

  parse(doc: vscode.TextDocument): ParsedDocument {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.parsed;
    const parsed = parseHttpDocument(doc.getText(), { languageId: doc.languageId === 'markdown' ? 'markdown' : 'http' });
    this.cache.set(key, { version: doc.version, parsed });
    return parsed;
  }

  /** Sets the linter and runs it over the open .http documents. */
  setLinter(linter: Linter): void {
    this.linter = linter;
    for (const d of vscode.workspace.textDocuments) this.refresh(d);
  }

  /** Runs the linter again everywhere (the stores or the environment changed). */
  relintAll(): void {
    for (const d of vscode.workspace.textDocuments) this.refresh(d);
  }

  /** Replaces the send-time problems of one request (by its request line) with these. */
  setRequestProblems(uri: vscode.Uri, requestLine: number, all: readonly Problem[]): void {
    const key = uri.toString();
    const perLine = this.resolution.get(key) ?? new Map<number, vscode.Diagnostic[]>();
    const problems = this.linter ? all.filter((p) => !LINT_CODES.has(p.code)) : all;
    if (problems.length) perLine.set(requestLine, problems.map((p) => toDiagnostic(p)));
    else perLine.delete(requestLine);
    this.resolution.set(key, perLine);
    this.resolutionCollection.set(uri, [...perLine.values()].flat());
  }

  private clearResolutionOverlapping(uri: vscode.Uri, ranges: readonly vscode.Range[]): void {
    const perLine = this.resolution.get(uri.toString());
    if (!perLine || ranges.length === 0) return;
    // An edit in a request makes what was said about it stale.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const parsed = doc ? this.cache.get(uri.toString())?.parsed : undefined;
    let changed = false;
    for (const line of [...perLine.keys()]) {
      const block = parsed?.requests.find((r) => r.requestLineRange.start.line === line);
      const blockRange = block ? toRange(block.range) : new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
      if (ranges.some((r) => r.intersection(blockRange) !== undefined || r.start.line <= blockRange.end.line + 1 && r.end.line >= blockRange.start.line)) {
        perLine.delete(line);
        changed = true;
      }
    }
    if (changed) this.resolutionCollection.set(uri, [...perLine.values()].flat());
  }

  private refreshSoon(doc: vscode.TextDocument): void {
    if (!HttpDocuments.isHttp(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); this.refresh(doc); }, 250));
  }

  private refresh(doc: vscode.TextDocument): void {
    if (!HttpDocuments.isHttp(doc)) return;
    const parsed = this.parse(doc);
    const syntax = parsed.problems.map((p) => toDiagnostic(p));
    this.syntax.set(doc.uri, syntax);
    if (!this.linter) return;
    const key = doc.uri.toString();
    const generation = (this.lintGeneration.get(key) ?? 0) + 1;
    this.lintGeneration.set(key, generation);
    const version = doc.version;
    this.linter(doc, parsed).then((problems) => {
      // A newer edit or lint superseded this one.
      if (this.lintGeneration.get(key) !== generation || doc.version !== version || doc.isClosed) return;
      this.syntax.set(doc.uri, [...syntax, ...problems.map((p) => toDiagnostic(p))]);
    }, () => undefined);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.syntax.dispose();
    this.resolutionCollection.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
