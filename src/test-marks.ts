// Results of a request's checks on their own lines (SPEC §10.6): a gutter mark on every `??` line
// and handler (passed, failed, skipped) with the actual value after the line, and a diagnostic on
// each failed or skipped check (a failed status check on a 401/403 carries the cause and fixes).
// A result stays while its line says the same thing; editing the line drops it.
import * as vscode from 'vscode';
import type { CheckResult } from './core/tests/check';
import type { CheckedRequest, RequestSender } from './send-request';

interface Kept {
  check: CheckResult;
  /** The line's text when checked: a result belongs to that text, not to a line number. */
  text: string;
}

export class TestMarks implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('woo-api-tests');
  private readonly kinds: Record<'passed' | 'failed' | 'skipped', vscode.TextEditorDecorationType>;
  /** Per document, per request line: its checks. */
  private readonly results = new Map<string, Map<number, Kept[]>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(sender: RequestSender, extensionUri: vscode.Uri) {
    const icon = (name: string) => vscode.Uri.joinPath(extensionUri, 'media', `test-${name}.svg`);
    const after = (color: string) => ({ after: { margin: '0 0 0 2em', color: new vscode.ThemeColor(color), fontStyle: 'italic' } });
    this.kinds = {
      passed: vscode.window.createTextEditorDecorationType({ gutterIconPath: icon('passed'), gutterIconSize: '80%', ...after('testing.iconPassed') }),
      failed: vscode.window.createTextEditorDecorationType({ gutterIconPath: icon('failed'), gutterIconSize: '80%', ...after('testing.iconFailed') }),
      skipped: vscode.window.createTextEditorDecorationType({ gutterIconPath: icon('skipped'), gutterIconSize: '80%', ...after('testing.iconSkipped') }),
    };
    this.subscriptions.push(
      sender.onDidCheck((c) => this.record(c)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.redrawAll()),
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
    );
  }

  /** What a document shows now, for tests: each check with its line and state. */
  marks(uri: vscode.Uri): { line: number; state: 'passed' | 'failed' | 'skipped'; message: string }[] {
    const perDoc = this.results.get(uri.toString());
    if (!perDoc) return [];
    return [...perDoc.values()].flat().map((k) => ({ line: k.check.range.start.line, state: stateOf(k.check), message: k.check.message }));
  }

  private record(c: CheckedRequest): void {
    const key = c.uri.toString();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    const perDoc = this.results.get(key) ?? new Map<number, Kept[]>();
    perDoc.set(c.line, c.checks.map((check) => ({ check, text: doc?.lineAt(check.range.start.line).text ?? '' })));
    this.results.set(key, perDoc);
    this.redraw(key);
  }

  private edited(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const perDoc = this.results.get(key);
    if (!perDoc) return;
    let changed = false;
    for (const [line, kept] of perDoc) {
      const still = kept.filter((k) => k.check.range.start.line < doc.lineCount && doc.lineAt(k.check.range.start.line).text === k.text);
      if (still.length !== kept.length) {
        changed = true;
        if (still.length) perDoc.set(line, still);
        else perDoc.delete(line);
      }
    }
    if (changed) this.redraw(key);
  }

  private forget(uri: vscode.Uri): void {
    if (this.results.delete(uri.toString())) this.diagnostics.delete(uri);
  }

  private redrawAll(): void {
    for (const key of this.results.keys()) this.redraw(key);
  }

  private redraw(key: string): void {
    const kept = [...(this.results.get(key)?.values() ?? [])].flat();
    const uri = vscode.Uri.parse(key);
    this.diagnostics.set(uri, kept.filter((k) => stateOf(k.check) !== 'passed').map((k) => diagnosticOf(k.check)));
    for (const editor of vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key)) {
      for (const state of ['passed', 'failed', 'skipped'] as const) {
        editor.setDecorations(this.kinds[state], kept.filter((k) => stateOf(k.check) === state).map((k) => decorationOf(k.check, editor.document)));
      }
    }
  }

  dispose(): void {
    this.diagnostics.dispose();
    for (const d of Object.values(this.kinds)) d.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

function stateOf(c: CheckResult): 'passed' | 'failed' | 'skipped' {
  return c.skipped ? 'skipped' : c.passed ? 'passed' : 'failed';
}

function toRange(c: CheckResult): vscode.Range {
  return new vscode.Range(c.range.start.line, c.range.start.character, c.range.end.line, c.range.end.character);
}

function diagnosticOf(c: CheckResult): vscode.Diagnostic {
  const cause = c.cause ? `\n${c.cause.explanation}\nFixes: ${c.cause.fixes.join('; ')}` : '';
  const d = new vscode.Diagnostic(toRange(c), `${c.skipped ? '' : 'Failed: '}${c.message}${cause}`, c.skipped ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Error);
  d.source = 'woo-api test';
  d.code = c.cause ? c.cause.id : c.kind === 'handler' ? 'handler' : 'assertion';
  return d;
}

function decorationOf(c: CheckResult, doc: vscode.TextDocument): vscode.DecorationOptions {
  const line = c.range.start.line;
  const end = line < doc.lineCount ? doc.lineAt(line).range.end : new vscode.Position(line, 0);
  const what = c.skipped ? 'skipped' : c.kind === 'handler' ? (c.passed ? `✓ ${c.label}` : `✗ ${c.message}`) : `${c.passed ? '✓' : '✗'} ${c.actual !== undefined ? `got ${c.actual}` : c.message}`;
  const hover = new vscode.MarkdownString();
  hover.appendText(c.message);
  if (c.cause) hover.appendMarkdown('\n\n').appendText(`${c.cause.title}. Fixes: ${c.cause.fixes.join('; ')}`);
  return { range: new vscode.Range(line, 0, line, end.character), hoverMessage: hover, renderOptions: { after: { contentText: what } } };
}
