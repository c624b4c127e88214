// The Testing view (vscode.tests): every .http/.rest file with assertions or response handlers is a
// test file, each such request a test whose range is its request line (so the gutter gets VS
// Code's own run buttons). Running a file sends all its requests in order (those without checks
// too, for chaining) and reports the ones with checks; running one request sends that request.
// Results, messages on the failing lines and durations are VS Code's own UI. In Restricted Mode
// nothing is sent: every test is reported skipped with the reason.
import * as vscode from 'vscode';
import { parseHttpDocument, type ParsedDocument, type RequestTemplate } from './core/http';
import { hasChecks, type CheckResult } from './core/tests/check';
import type { RequestSender } from './send-request';
import { RESTRICTED_MODE_SENTENCE } from './workspace-trust';

const FILES = '**/*.{http,rest}';
const EXCLUDE = '**/{node_modules,.git,out,dist}/**';

export class TestingView implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('wooApiStudio.requests', 'WooCommerce requests');
  /** What each test reported last, by test id (VS Code keeps its own copy; the integration tests read this). */
  readonly reported = new Map<string, { state: 'passed' | 'failed' | 'skipped'; durationMs?: number; messages: string[] }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  readonly runProfile: vscode.TestRunProfile;

  constructor(private readonly sender: RequestSender) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverAll();
      else if (item.uri) await this.refreshFile(item.uri);
    };
    this.controller.refreshHandler = () => this.discoverAll();
    this.runProfile = this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher(FILES);
    this.subscriptions.push(
      this.controller,
      watcher,
      watcher.onDidCreate((uri) => void this.refreshFile(uri)),
      watcher.onDidChange((uri) => void this.refreshFile(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      vscode.workspace.onDidOpenTextDocument((d) => this.fromDocument(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.fromDocument(e.document)),
    );
    for (const d of vscode.workspace.textDocuments) this.fromDocument(d);
  }

  /** Every test file in the workspace. */
  async discoverAll(): Promise<void> {
    const uris = await vscode.workspace.findFiles(FILES, EXCLUDE, 5000);
    await Promise.all(uris.map((u) => this.refreshFile(u)));
  }

  private fromDocument(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || !/\.(http|rest)$/i.test(doc.uri.path)) return;
    this.update(doc.uri, parseHttpDocument(doc.getText()));
  }

  private async refreshFile(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return this.fromDocument(open);
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      this.update(uri, parseHttpDocument(Buffer.from(bytes).toString('utf8')));
    } catch {
      this.controller.items.delete(uri.toString());
    }
  }

  /** The file's tree: the file, then its requests with checks, by request line. */
  private update(uri: vscode.Uri, doc: ParsedDocument): void {
    const tested = doc.requests.filter(hasChecks);
    const key = uri.toString();
    if (tested.length === 0) {
      this.controller.items.delete(key);
      return;
    }
    let file = this.controller.items.get(key);
    if (!file) {
      file = this.controller.createTestItem(key, vscode.workspace.asRelativePath(uri), uri);
      this.controller.items.add(file);
    }
    file.canResolveChildren = false;
    const children = tested.map((r) => {
      const id = `${key}#${r.requestLineRange.start.line}`;
      const item = file!.children.get(id) ?? this.controller.createTestItem(id, labelOf(r), uri);
      item.label = labelOf(r);
      item.range = new vscode.Range(r.requestLineRange.start.line, r.requestLineRange.start.character, r.requestLineRange.end.line, r.requestLineRange.end.character);
      item.description = `${r.assertions.length} assertion${r.assertions.length === 1 ? '' : 's'}`;
      return item;
    });
    file.children.replace(children);
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      // Which files and which of their requests: a file item runs the file; request items their requests.
      const plan = new Map<string, { uri: vscode.Uri; items: vscode.TestItem[]; wholeFile: boolean }>();
      const add = (item: vscode.TestItem) => {
        if (request.exclude?.some((x) => x.id === item.id) || !item.uri) return;
        const key = item.uri.toString();
        const entry = plan.get(key) ?? { uri: item.uri, items: [], wholeFile: false };
        plan.set(key, entry);
        if (item.parent) {
          if (!entry.items.includes(item)) entry.items.push(item);
        } else {
          entry.wholeFile = true;
          item.children.forEach((c) => { if (!request.exclude?.some((x) => x.id === c.id) && !entry.items.includes(c)) entry.items.push(c); });
        }
      };
      if (request.include) request.include.forEach(add);
      else this.controller.items.forEach(add);
      for (const entry of plan.values()) for (const item of entry.items) run.enqueued(item);

      for (const entry of plan.values()) {
        if (token.isCancellationRequested) break;
        if (!vscode.workspace.isTrusted) {
          for (const item of entry.items) {
            run.skipped(item);
            this.reported.set(item.id, { state: 'skipped', messages: [RESTRICTED_MODE_SENTENCE] });
          }
          run.appendOutput(`${vscode.workspace.asRelativePath(entry.uri)}: ${RESTRICTED_MODE_SENTENCE}\r\n`);
          continue;
        }
        const doc = await vscode.workspace.openTextDocument(entry.uri);
        const parsed = parseHttpDocument(doc.getText());
        const byLine = new Map(entry.items.map((i) => [i.range?.start.line ?? -1, i]));
        const requests = entry.wholeFile ? parsed.requests : parsed.requests.filter((r) => byLine.has(r.requestLineRange.start.line));
        for (const r of requests) {
          if (token.isCancellationRequested) break;
          const line = r.requestLineRange.start.line;
          const item = byLine.get(line);
          if (item) run.started(item);
          const summary = await this.sender.send(entry.uri, line, undefined, { quiet: true });
          if (!item) continue;
          if (!summary) {
            run.skipped(item);
            this.reported.set(item.id, { state: 'skipped', messages: ['Not sent.'] });
            continue;
          }
          const checks = summary.checks ?? [];
          const ms = summary.durationMs;
          if (summary.verdict === 'passed') {
            run.passed(item, ms);
            this.reported.set(item.id, { state: 'passed', durationMs: ms, messages: [] });
          } else if (summary.verdict === 'skipped') {
            run.skipped(item);
            this.reported.set(item.id, { state: 'skipped', messages: checks.map((c) => c.message) });
          } else {
            const messages = messagesOf(entry.uri, checks, summary.notSent ?? summary.error, r);
            run.failed(item, messages, ms);
            this.reported.set(item.id, { state: 'failed', durationMs: ms, messages: messages.map((m) => String(m.message)) });
          }
        }
      }
    } finally {
      run.end();
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function labelOf(r: RequestTemplate): string {
  return r.name ?? r.title ?? `${r.method} ${r.url}`;
}

/** One message per failed check, on its own line, with expected and actual for VS Code's diff. */
function messagesOf(uri: vscode.Uri, checks: readonly CheckResult[], error: string | undefined, r: RequestTemplate): vscode.TestMessage[] {
  const out: vscode.TestMessage[] = [];
  if (error) {
    const m = new vscode.TestMessage(error);
    m.location = new vscode.Location(uri, new vscode.Position(r.requestLineRange.start.line, 0));
    out.push(m);
  }
  for (const c of checks) {
    if (c.passed || (c.skipped && c.kind === 'handler')) continue;
    const cause = c.cause ? `\n${c.cause.title}. Fixes: ${c.cause.fixes.join('; ')}` : '';
    const m = new vscode.TestMessage(`${c.message}${cause}`);
    if (c.expected !== undefined && c.actual !== undefined && c.kind === 'assertion') {
      m.expectedOutput = c.expected;
      m.actualOutput = c.actual;
    }
    m.location = new vscode.Location(uri, new vscode.Range(c.range.start.line, c.range.start.character, c.range.end.line, c.range.end.character));
    out.push(m);
  }
  if (out.length === 0) out.push(new vscode.TestMessage('Failed.'));
  return out;
}
