// JSON bodies checked against the store's own schema as you type (SPEC §11): for a POST/PUT/PATCH
// with a JSON body to a store's REST route, the route's description is read once with OPTIONS
// (no credentials; cached per store, kept across sessions, **WooCommerce: Refresh Store Schema**
// reads it again), and unknown fields, wrong types, values outside an enum and missing required
// fields become diagnostics on their exact JSON ranges, with completion of field names and enum
// values. After a `400 rest_invalid_param`, the refused fields are marked in the body with
// WordPress's message and the schema rule they broke. In Restricted Mode nothing is fetched.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { requestStoreName, textBodyLines, type ParsedDocument, type RequestTemplate } from './core/http';
import { checkJsonBody, completeJsonBody, explainInvalidParam, type BodyProblem, type EndpointSpec, type RouteSpec } from './core/schema/body-check';
import { endpointOf, fetchRouteSpec, restPathOf, RouteSpecCache } from './core/schema/store-schema';
import { findStore } from './core/run-request';
import type { Store } from './core/store';
import { HttpDocuments, HTTP_SELECTOR } from './http-documents';
import type { RequestSender } from './send-request';
import type { StoreRegistry } from './stores';

const CACHE_KEY = 'wooApiStudio.routeSchemas';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export class BodySchemas implements vscode.Disposable {
  private readonly cache = new RouteSpecCache();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('woo-api-schema');
  /** Problems from the store's last 400 answer, per document and request line. */
  private readonly refused = new Map<string, Map<number, vscode.Diagnostic[]>>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly documents: HttpDocuments,
    private readonly stores: StoreRegistry,
    sender: RequestSender,
  ) {
    this.cache.load(context.globalState.get(CACHE_KEY));
    this.subscriptions.push(
      this.diagnostics,
      vscode.workspace.onDidOpenTextDocument((d) => this.checkSoon(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        this.refused.delete(e.document.uri.toString());
        this.checkSoon(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.workspace.textDocuments.forEach((d) => this.checkSoon(d))),
      sender.onDidSend(({ uri, line, result }) => void this.afterSend(uri, line, result.exchange, result.store)),
      vscode.languages.registerCompletionItemProvider(HTTP_SELECTOR, { provideCompletionItems: (doc, pos) => this.complete(doc, pos) }, '"', ':', ' '),
    );
    for (const d of vscode.workspace.textDocuments) this.checkSoon(d);
  }

  /** **Refresh Store Schema**: forget what the store said, read it again for the open files. */
  async refresh(storeId?: string): Promise<void> {
    this.cache.clear(storeId);
    await this.save();
    await Promise.all(vscode.workspace.textDocuments.filter(HttpDocuments.isHttp).map((d) => this.check(d)));
  }

  /** The endpoint a request's body goes to, from the cache (undefined while unknown). */
  endpointFor(store: Store | undefined, path: string, method: string): { route: RouteSpec; endpoint: EndpointSpec } | undefined {
    if (!store) return undefined;
    const spec = this.cache.get(store.id, path)?.spec;
    const endpoint = spec && endpointOf(spec, method);
    return spec && endpoint ? { route: spec, endpoint } : undefined;
  }

  /** Reads the route's description when it is not cached (once at a time per route). */
  async ensure(store: Store, path: string): Promise<void> {
    if (this.cache.get(store.id, path) || !vscode.workspace.isTrusted) return;
    const key = `${store.id} ${path}`;
    const running = this.pending.get(key);
    if (running) return running;
    const job = (async () => {
      let ca: string | undefined;
      if (store.options?.caCertificateFile) ca = await fs.readFile(store.options.caCertificateFile, 'utf8').catch(() => undefined);
      const spec = await fetchRouteSpec(store, path, { ca }).catch(() => undefined);
      this.cache.set(store.id, path, spec);
      await this.save();
    })().finally(() => this.pending.delete(key));
    this.pending.set(key, job);
    return job;
  }

  private save(): Thenable<void> {
    return this.context.globalState.update(CACHE_KEY, this.cache.toJSON());
  }

  private checkSoon(doc: vscode.TextDocument): void {
    if (!HttpDocuments.isHttp(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.check(doc), 250));
  }

  /** The requests of the document whose JSON body goes to a store route, with where the body is. */
  private targets(parsed: ParsedDocument): { request: RequestTemplate; store: Store; path: string; text: string; offsets: BodyOffsets }[] {
    const out = [];
    for (const request of parsed.requests) {
      if (!BODY_METHODS.has(request.method) || request.body?.kind !== 'text') continue;
      const type = request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
      if (type && !/json/i.test(type)) continue;
      if (!type && !/^\s*\{/.test(request.body.text)) continue;
      const name = requestStoreName(parsed, request);
      const store = name ? findStore(this.stores.list(), name) : undefined;
      const path = restPathOf(request.url, store?.options?.restPrefix);
      if (!store || path === undefined) continue;
      out.push({ request, store, path, text: request.body.text, offsets: new BodyOffsets(textBodyLines(request.body)) });
    }
    return out;
  }

  async check(doc: vscode.TextDocument): Promise<void> {
    if (!HttpDocuments.isHttp(doc)) return;
    const parsed = this.documents.parse(doc);
    const targets = this.targets(parsed);
    await Promise.all(targets.map((t) => this.ensure(t.store, t.path)));
    if (doc.isClosed) return;
    const version = doc.version;
    const fresh = this.documents.parse(doc);
    if (fresh !== parsed && doc.version !== version) return;
    const out: vscode.Diagnostic[] = [];
    for (const t of this.targets(fresh)) {
      const hit = this.endpointFor(t.store, t.path, t.request.method);
      if (!hit) continue;
      for (const p of checkJsonBody(t.text, hit.endpoint, hit.route)) out.push(diagnosticOf(p, t.offsets, t.store));
    }
    for (const list of this.refused.get(doc.uri.toString())?.values() ?? []) out.push(...list);
    this.diagnostics.set(doc.uri, out);
  }

  /** After a 400 rest_invalid_param / rest_missing_callback_param: the refused fields in the body. */
  private async afterSend(uri: vscode.Uri, line: number, exchange: { response?: { status: number; body: Uint8Array } } | undefined, store: Store | undefined): Promise<void> {
    const key = uri.toString();
    const perDoc = this.refused.get(key) ?? new Map<number, vscode.Diagnostic[]>();
    perDoc.delete(line);
    this.refused.set(key, perDoc);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (!doc) return;
    if (exchange?.response?.status === 400) {
      let body: unknown;
      try { body = JSON.parse(Buffer.from(exchange.response.body).toString('utf8')); } catch { body = undefined; }
      const parsed = this.documents.parse(doc);
      const target = this.targets(parsed).find((t) => t.request.requestLineRange.start.line === line);
      const hit = target && this.endpointFor(store ?? target.store, target.path, target.request.method);
      const explained = explainInvalidParam(body, hit?.endpoint);
      const list: vscode.Diagnostic[] = [];
      for (const e of explained) {
        const range = target ? target.offsets.rangeOfField(target.text, e.field) : undefined;
        const d = new vscode.Diagnostic(range ?? new vscode.Range(line, 0, line, doc.lineAt(line).text.length),
          `The store refused ${e.field}: ${e.message}${e.rule ? ` (its schema: ${e.rule})` : ''}`, vscode.DiagnosticSeverity.Error);
        d.source = 'woo-api schema';
        d.code = e.code ?? 'rest_invalid_param';
        list.push(d);
      }
      if (list.length) perDoc.set(line, list);
    }
    await this.check(doc);
  }

  private async complete(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const parsed = this.documents.parse(doc);
    const t = this.targets(parsed).find((x) => x.request.body?.range.start.line !== undefined && pos.line >= x.request.body.range.start.line && pos.line <= x.request.body.range.end.line);
    if (!t) return undefined;
    await this.ensure(t.store, t.path);
    const hit = this.endpointFor(t.store, t.path, t.request.method);
    const offset = t.offsets.offsetAt(pos);
    if (!hit || offset === undefined) return undefined;
    return completeJsonBody(t.text, offset, hit.endpoint, hit.route).map((c) => {
      const item = new vscode.CompletionItem(c.label, c.kind === 'field' ? vscode.CompletionItemKind.Field : vscode.CompletionItemKind.EnumMember);
      item.insertText = c.insertText;
      item.detail = c.detail;
      if (c.documentation) item.documentation = c.documentation;
      item.sortText = `0${c.label}`;
      return item;
    });
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Body text offsets ↔ document positions: the body is its lines joined with LF (SPEC §2.5, P12). */
class BodyOffsets {
  private readonly starts: number[] = [];
  constructor(private readonly lines: readonly { text: string; range: { start: { line: number; character: number } } }[]) {
    let at = 0;
    for (const l of lines) {
      this.starts.push(at);
      at += l.text.length + 1;
    }
  }

  positionAt(offset: number): vscode.Position {
    let i = this.starts.length - 1;
    while (i > 0 && this.starts[i]! > offset) i--;
    const l = this.lines[i]!;
    return new vscode.Position(l.range.start.line, l.range.start.character + Math.min(offset - this.starts[i]!, l.text.length));
  }

  offsetAt(pos: vscode.Position): number | undefined {
    const i = this.lines.findIndex((l) => l.range.start.line === pos.line);
    if (i < 0) return undefined;
    return this.starts[i]! + Math.max(0, pos.character - this.lines[i]!.range.start.character);
  }

  range(start: number, end: number): vscode.Range {
    return new vscode.Range(this.positionAt(start), this.positionAt(end));
  }

  /** The key of a field WordPress names (`type`, `dimensions[width]`), or undefined. */
  rangeOfField(text: string, field: string): vscode.Range | undefined {
    const name = field.split('[')[0]!;
    const at = text.indexOf(JSON.stringify(name));
    return at >= 0 ? this.range(at, at + name.length + 2) : undefined;
  }
}

function diagnosticOf(p: BodyProblem, offsets: BodyOffsets, store: Store): vscode.Diagnostic {
  const d = new vscode.Diagnostic(offsets.range(p.start, p.end), p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = `woo-api schema (${store.name})`;
  d.code = p.code;
  return d;
}
