// Sending a request from a `.http` / `.rest` file: "Send" and "Send with store…" (code lenses,
// Ctrl+Alt+R, the palette). Gathers what only VS Code knows (the document, secrets, environment,
// prompt answers), runs the core pipeline with progress and cancellation, shows the exchange.
import * as path from 'node:path';
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { isSecretPromptName, requestAt, requestStoreName, substituteFileBody, type ParsedDocument, type RequestTemplate } from './core/http';
import { checkExchange, hasChecks, verdict, type CheckResult } from './core/tests/check';
import { explainExchange } from './core/explain/front';
import { findStore, namedExchangeOf, runRequest, type RunResult } from './core/run-request';
import type { NamedExchange, VariableContext } from './core/http';
import { formatTimings } from './core/exchange-format';
import { redactUrl } from './core/redact';
import type { Environments } from './environments';
import type { ExchangeView } from './exchange-view';
import type { HttpDocuments } from './http-documents';
import type { Log } from './log';
import type { StoreRegistry } from './stores';
import { authLabel } from './core/store';
import { RESTRICTED_MODE_SENTENCE, requireTrust } from './workspace-trust';
import { OutboundConsent } from './outbound-consent';
import type { StoreTokens } from './tokens';

/** What a send returns to its caller (tests, other commands): never a secret. */
/**
 * The name of a request's response tab: its @name, else its ### title up to the first ": ", " — ",
 * " - " or " (" (the rest is a comment: "No credentials at all: 401 …" is "No credentials at all"),
 * else its method and URL.
 */
export function responseTabName(request: { name?: string; title?: string; method: string; url: string }): string {
  // Without @name the parser names a request after its ### title: that one is shortened like a title.
  if (request.name && request.name !== request.title) return request.name;
  const title = (request.title ?? request.name)?.trim();
  if (title) {
    const cut = title.split(/:\s| — | – | - | \(/)[0]!.trim();
    return (cut || title).slice(0, 60);
  }
  return `${request.method} ${request.url}`;
}

export interface SendSummary {
  status?: number;
  error?: string;
  notSent?: string;
  store?: string;
  exchangeDocument?: string;
  /** The request's line, where its lenses and diagnostics sit. */
  line: number;
  /** Its `??` assertions and response handlers, checked (SPEC §10); absent when it has none. */
  checks?: CheckResult[];
  verdict?: 'passed' | 'failed' | 'skipped';
  /** With checks: the time on the wire (the exchange's total). */
  durationMs?: number;
  /** Token stores: what each renewal did, in a sentence (never a token). */
  renewals?: string[];
  /** Token stores: the status of the first attempt, when the token was refused and the request sent again. */
  firstAttemptStatus?: number;
  /** Why it was not sent, as a code ('token-renewal-failed', …). */
  notSentCode?: string;
}

/** A request's checks after a send: the editor marks, the Testing view and the runner read them. */
export interface CheckedRequest {
  uri: vscode.Uri;
  line: number;
  request: RequestTemplate;
  checks: CheckResult[];
  verdict: 'passed' | 'failed' | 'skipped';
  /** Milliseconds on the wire (the exchange's total), else the time it took to give up. */
  durationMs: number;
  /** Why there was no answer. */
  error?: string;
}

export interface SendOptions {
  /** The Testing view: no exchange editor, no pop-ups; the results speak. */
  quiet?: boolean;
}

export class RequestSender {
  /** `# @name`d responses per document, for request chaining. */
  private readonly named = new Map<string, Map<string, NamedExchange>>();
  /** The last result per document and request line (the explain lens reads it). */
  private readonly last = new Map<string, Map<number, RunResult>>();
  /** Server clock minus ours after a "resync" fix, per server (store base URL): OAuth timestamps follow it. */
  private readonly clockOffsets = new Map<string, number>();

  setClockOffset(store: { baseUrl: string }, seconds: number): void {
    this.clockOffsets.set(store.baseUrl, seconds);
  }

  /** OAuth 1.0a options on the server's clock after a "resync" fix for this store, if any. */
  authOptionsForStore(store: { baseUrl: string } | undefined): { timestamp: number } | undefined {
    const offset = store ? this.clockOffsets.get(store.baseUrl) : undefined;
    return offset ? { timestamp: Math.floor(Date.now() / 1000) + offset } : undefined;
  }
  private readonly sent = new vscode.EventEmitter<{ uri: vscode.Uri; line: number; result: RunResult }>();
  /** Machine values and outside files for hosts that are not stores: asked once per file and host. */
  private readonly consent = new OutboundConsent();
  readonly onDidSend = this.sent.event;
  private readonly checked = new vscode.EventEmitter<CheckedRequest>();
  /** After each send of a request that has checks. */
  readonly onDidCheck = this.checked.event;
  /** JetBrains `client.global`: shared by the requests sent in this window, usable as `{{name}}`. */
  readonly globals: Record<string, string> = {};

  constructor(
    private readonly documents: HttpDocuments,
    private readonly stores: StoreRegistry,
    private readonly environments: Environments,
    private readonly view: ExchangeView,
    private readonly log: Log,
    private readonly tokens?: StoreTokens,
  ) {}

  /** The `# @name`d responses received for a document, by name. */
  namedResponses(uri: vscode.Uri): Map<string, NamedExchange> {
    return this.named.get(uri.toString()) ?? new Map();
  }

  lastResult(uri: vscode.Uri, line: number): RunResult | undefined {
    return this.last.get(uri.toString())?.get(line);
  }

  /** Sends the request at `line` of the document (the cursor's when not given). */
  async send(target?: vscode.Uri, line?: number, storeOverride?: string, options: SendOptions = {}): Promise<SendSummary | undefined> {
    if (!(await requireTrust())) return { line: line ?? 0, notSent: RESTRICTED_MODE_SENTENCE };
    const doc = target ? await vscode.workspace.openTextDocument(target) : vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'http') {
      void vscode.window.showInformationMessage('Open a .http or .rest file and put the cursor on a request to send it.');
      return undefined;
    }
    const at = line ?? (vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor.selection.active.line : 0);
    const parsed = this.documents.parse(doc);
    const request = requestAt(parsed, at);
    if (!request) {
      void vscode.window.showInformationMessage('There is no request here: put the cursor inside a request block (between ### lines).');
      return undefined;
    }
    const requestLine = request.requestLineRange.start.line;
    const syntaxErrors = parsed.problems.filter((p) => p.severity === 'error' && p.code !== 'invalid-assertion' && p.range.start.line >= request.range.start.line && p.range.end.line <= request.range.end.line);
    if (syntaxErrors.length) {
      if (!options.quiet) void vscode.window.showErrorMessage(`Not sent: ${syntaxErrors[0].message}`);
      const summary: SendSummary = { line: requestLine, notSent: syntaxErrors[0].message };
      if (hasChecks(request)) await this.check(doc.uri, parsed, request, undefined, undefined, summary, {}, '', 0);
      return summary;
    }
    if (request.metadata.note !== undefined) {
      const go = await vscode.window.showWarningMessage(request.metadata.note || `Send "${request.name ?? request.title ?? `${request.method} ${request.url}`}"?`, { modal: true }, 'Send');
      if (go !== 'Send') return undefined;
    }
    const prompts = await askPrompts(request);
    if (!prompts) return undefined;

    const key = doc.uri.toString();
    const named = this.named.get(key) ?? new Map<string, NamedExchange>();
    this.named.set(key, named);
    const base = await this.environments.variablesFor(doc.uri);
    const variables = { ...base, environment: { ...base.environment, ...this.globals }, namedResponses: named, prompts };
    const baseDir = doc.uri.scheme === 'file' ? path.dirname(doc.uri.fsPath) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const label = request.name ?? request.title ?? `${request.method} ${request.url}`;

    const started = Date.now();
    const result = await vscode.window.withProgress(
      { location: options.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification, title: `Sending ${label}…`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runRequest({
          doc: parsed,
          request,
          stores: this.stores.list(),
          storeOverride,
          secretsFor: (s) => this.stores.secretsFor(s),
          // JWT and OAuth 2.0 stores: a fresh token from the store's manager, renewed when needed.
          tokens: (s) => this.tokens?.managerFor(s),
          variables,
          readBodyFile: (p) => fs.readFile(path.resolve(baseDir, p)),
          locateBodyFile: (p) => this.consent.locate(path.resolve(baseDir, p)),
          confirmOutbound: (q) => this.consent.confirm(doc.uri, q),
          readCaFile: (p) => fs.readFile(p, 'utf8'),
          signal: abort.signal,
          authOptions: this.authOptionsFor(parsed, request, storeOverride),
          send: { timeoutMs: vscode.workspace.getConfiguration('wooApiStudio').get<number>('request.timeoutSeconds', 30) * 1000 },
        });
      },
    );

    this.documents.setRequestProblems(doc.uri, requestLine, result.problems);
    const perDoc = this.last.get(key) ?? new Map<number, RunResult>();
    perDoc.set(requestLine, result);
    this.last.set(key, perDoc);
    this.sent.fire({ uri: doc.uri, line: requestLine, result });

    const summary: SendSummary = { line: requestLine, store: result.store?.name, notSent: result.notSent, notSentCode: result.notSentCode };
    if (result.renewals) summary.renewals = result.renewals.map((r) => r.message);
    if (result.firstAttempt) summary.firstAttemptStatus = result.firstAttempt.response?.status;
    if (result.exchange && request.name) {
      const n = namedExchangeOf(result.exchange);
      if (n) named.set(request.name, n);
    }
    if (hasChecks(request)) await this.check(doc.uri, parsed, request, result, result.exchange, summary, variables, baseDir, Date.now() - started);
    for (const r of result.renewals ?? []) this.log.info(`Token of "${result.store?.name}": ${r.message}`);
    if (result.notSent || !result.exchange) {
      if (!options.quiet && result.notSentCode === 'token-renewal-failed' && result.store) {
        const store = result.store;
        void vscode.window.showErrorMessage(result.notSent ?? 'Not sent.', 'Sign in again').then((c) => {
          if (c) void vscode.commands.executeCommand('wooApiStudio.signInAgain', store.id);
        });
      } else if (!options.quiet) void vscode.window.showErrorMessage(result.notSent ?? 'Not sent.');
      this.log.warn(`${request.method} ${label}: ${result.notSent}`);
      return summary;
    }
    const ex = result.exchange;
    summary.status = ex.response?.status;
    summary.error = ex.error?.message;
    this.log.info(`${ex.request.method} ${redactUrl(ex.request.url)} → ${ex.response ? ex.response.status : ex.error?.code} (${formatTimings(ex)})${result.store ? ` [store ${result.store.name}]` : ''}`);
    if (ex.error && ex.error.code === 'CANCELLED') {
      if (!options.quiet) void vscode.window.showInformationMessage('Request cancelled.');
      return summary;
    }
    if (options.quiet) return summary;
    try {
      const shown = await this.view.showFor(path.basename(doc.uri.path), responseTabName(request), ex, { title: `${label} (${path.basename(doc.uri.path)}:${requestLine + 1})`, store: result.store?.name, added: result.applied?.added, oauthBaseString: result.applied?.oauthBaseString, checks: summary.checks, renewals: result.renewals, firstAttempt: result.firstAttempt });
      summary.exchangeDocument = shown.uri.toString();
    } catch (err) {
      // The request went and its answer is in the summary and the log: an editor that would not open is not a failed send.
      this.log.warn(`The exchange of ${label} could not be shown: ${(err as Error).message}`);
    }
    if (ex.error && !ex.response) void vscode.window.showErrorMessage(ex.error.message);
    return summary;
  }

  /**
   * Checks the request's assertions and handlers against what came back (SPEC §10): handlers only in
   * a trusted workspace. The result goes into the summary and to onDidCheck's listeners.
   */
  private async check(
    uri: vscode.Uri, parsed: ParsedDocument, request: RequestTemplate, result: RunResult | undefined, exchange: RunResult['exchange'],
    summary: SendSummary, variables: Omit<VariableContext, 'store'>, baseDir: string, elapsed: number,
  ): Promise<void> {
    const answered = exchange?.response ? exchange : undefined;
    const findings = answered && result ? explainExchange({ exchange: answered, store: result.store, authMethod: result.authMethod, applied: result.applied }) : [];
    const ctx: VariableContext = { ...variables, store: result?.store ? { name: result.store.name, url: result.store.baseUrl } : undefined };
    const checks = await checkExchange(request, answered, {
      allowScripts: vscode.workspace.isTrusted,
      globals: this.globals,
      readHandlerFile: (p) => fs.readFile(path.resolve(baseDir, p), 'utf8'),
      substitute: (t) => substituteFileBody(parsed, request, t, ctx).text,
      findings,
    });
    summary.checks = checks;
    const error = summary.notSent ?? (exchange?.error && !exchange.response ? exchange.error.message : undefined);
    summary.verdict = error ? 'failed' : verdict(checks);
    summary.durationMs = exchange?.timings.total ?? elapsed;
    this.checked.fire({ uri, line: request.requestLineRange.start.line, request, checks, verdict: summary.verdict, durationMs: summary.durationMs, ...(error ? { error } : {}) });
  }

  private authOptionsFor(parsed: ParsedDocument, request: RequestTemplate, storeOverride?: string) {
    const name = storeOverride ?? requestStoreName(parsed, request);
    return this.authOptionsForStore(name ? findStore(this.stores.list(), name) : undefined);
  }

  /** "Send with store…": the same request, to a store picked from the list. */
  async sendWithStore(target?: vscode.Uri, line?: number, storeName?: string): Promise<SendSummary | undefined> {
    let name = storeName;
    if (!name) {
      const stores = this.stores.list();
      if (stores.length === 0) {
        const choice = await vscode.window.showInformationMessage('No store is registered yet.', 'Start Sandbox Store');
        if (choice) await vscode.commands.executeCommand('wooApiStudio.startSandboxStore');
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(stores.map((s) => ({ label: s.name, description: s.baseUrl, detail: authLabel(s.authMethod), id: s.id })), { title: 'Send with store', placeHolder: 'The request goes to this store, with its credentials' });
      if (!picked) return undefined;
      name = picked.id;
    }
    return this.send(target, line, name);
  }

  dispose(): void {
    this.sent.dispose();
    this.checked.dispose();
  }
}


/**
 * Asks for the request's `@prompt` variables, one input box each (secret-looking names masked as
 * typed); undefined when one is cancelled. `skipSecret` leaves those to the caller.
 */
export async function askPrompts(request: RequestTemplate, options: { skipSecret?: boolean } = {}): Promise<Record<string, string> | undefined> {
  const answers: Record<string, string> = {};
  for (const p of request.metadata.prompts) {
    if (options.skipSecret && isSecretPromptName(p.name)) continue;
    const value = await vscode.window.showInputBox({
      title: `Value for {{${p.name}}}`,
      prompt: p.description ?? `The request uses {{${p.name}}}.`,
      password: isSecretPromptName(p.name),
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    answers[p.name] = value;
  }
  return answers;
}
