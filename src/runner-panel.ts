// The request runner panel: "Postman inside VS Code". Each panel is one request in an editor tab
// (open as many as you like); the form is a webview (media/runner.ts), everything else happens
// here, through the same core as .http files: runRunnerRequest → applyStoreAuth → send, the
// explanation of a 401/403 with its fixes, the request log, and a history without secrets.
//
// The webview never sees a secret: the Auth tab gets the method and the key's last 7 characters,
// responses and findings are masked with the store's secrets, every message it sends is checked
// (core/runner-messages.ts) before use.
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { explainExchange } from './core/explain/front';
import type { Finding } from './core/explain/explain';
import { requestAt, requestStoreName, resolveRequest } from './core/http';
import { concatPages, paginationOf, withPage } from './core/pagination';
import { entryFromExchange } from './core/request-log';
import { redactText } from './core/redact';
import { secretLabelsOf } from './core/outbound';
import { findStore } from './core/run-request';
import { addToHistory, historyRequest, readHistory, searchHistory, type HistoryEntry } from './core/runner-history';
import { authSummary, findingViews, maskKnown, parseRunnerMessage, responseView, testViews, type ResponseView, type RunnerMessage } from './core/runner-messages';
import { checkAssertionText } from './core/tests/check';
import type { BodySchemas } from './body-schema';
import { checkJsonBody, explainInvalidParam } from './core/schema/body-check';
import { offerSignInAgain } from './store-commands';
import type { StoreTokens } from './tokens';
import { blankRequest, fromCurl, leftOutSentence, runnerTitle, prepareRunnerRequest, runRunnerRequest, runnerRequestFor, storeWithAuth, toCurl, toHttpBlock, type RunnerRequest, type RunnerResult } from './core/runner-request';
import { send } from './core/send';
import { authLabel, type Store, type StoreSecrets } from './core/store';
import { lazily } from './core/lazy';
import type * as RoutesModule from './core/woo-routes';
import type { PanelRoute } from './core/woo-routes';
import type { Environments } from './environments';
import { askHttpsUrl, moveStoreAddress, type FixApplier } from './fixes';
import { ONE_SHOT_OAUTH1_NOTE, oauth1SigningCommand } from './core/oauth1-curl';
import type { HttpDocuments } from './http-documents';
import type { Log } from './log';
import type { RequestLog } from './request-log';
import { askPrompts, type RequestSender } from './send-request';
import type { StoreCommands } from './store-commands';
import type { StoreRegistry } from './stores';
import type * as RunnerHtmlModule from './runner-html';
import { RESTRICTED_MODE_SENTENCE } from './workspace-trust';
import { trimTrailingSlashes } from './core/url-text';

/** WooCommerce's route catalogue, read on first use (see core/lazy.ts). */
const wooRoutes = lazily(() => require('./core/woo-routes') as typeof RoutesModule);
/** The panel's page, read when the first panel opens (see core/lazy.ts). */
const runnerPage = lazily(() => require('./runner-html') as typeof RunnerHtmlModule);

const VIEW_TYPE = 'wooApiStudio.runner';
const HISTORY_KEY = 'wooApiStudio.runner.history';
const ROUTES_KEY = 'wooApiStudio.runner.routes';

interface Deps {
  context: vscode.ExtensionContext;
  stores: StoreRegistry;
  storeCommands: StoreCommands;
  sender: RequestSender;
  fixes: FixApplier;
  requestLog: RequestLog;
  documents: HttpDocuments;
  environments: Environments;
  log: Log;
  /** The store's route schemas: the JSON body is checked against them as it is typed. */
  bodySchemas?: BodySchemas;
  /** JWT and OAuth 2.0 stores: their token managers. */
  tokens?: StoreTokens;
}

function setting<T>(name: string, fallback: T): T {
  return vscode.workspace.getConfiguration('wooApiStudio.runner').get<T>(name, fallback);
}

/** The panels, their shared history and route indexes. */
export class RunnerPanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  readonly panels = new Set<RunnerPanel>();
  private readonly routeCache = new Map<string, { routes: PanelRoute[]; source: 'store' | 'catalogue'; fetchedAt: string }>();
  /** Files the user picked for multipart bodies: the only paths a webview may ask us to read. */
  readonly pickedFiles = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly historyChanged = new vscode.EventEmitter<void>();

  constructor(readonly deps: Deps) {
    const saved = deps.context.globalState.get<Record<string, { routes: PanelRoute[]; source: 'store' | 'catalogue'; fetchedAt: string }>>(ROUTES_KEY) ?? {};
    for (const [id, v] of Object.entries(saved)) if (v && Array.isArray(v.routes)) this.routeCache.set(id, v);
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, this),
      deps.stores.onDidChange(() => { for (const p of this.panels) void p.postStores(); }),
      this.historyChanged.event(() => { for (const p of this.panels) void p.postHistory(); }),
    );
  }

  /** A new panel (a new tab) with `request`, or a blank one on the active store. */
  open(request?: RunnerRequest): RunnerPanel {
    const start = request ?? blankRequest(this.deps.storeCommands.active()?.id);
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, runnerTitle(start), vscode.ViewColumn.Active, this.webviewOptions());
    return new RunnerPanel(this, panel, start);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    panel.webview.options = this.webviewOptions();
    const saved = (state as { request?: RunnerRequest } | undefined)?.request;
    new RunnerPanel(this, panel, saved ?? blankRequest(this.deps.storeCommands.active()?.id));
  }

  webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const ext = this.deps.context.extensionUri;
    return {
      enableScripts: true,
      // Not retainContextWhenHidden: the page keeps its form in getState/setState and the
      // extension re-posts the last response when it is shown again.
      localResourceRoots: [vscode.Uri.joinPath(ext, 'media'), vscode.Uri.joinPath(ext, 'dist', 'media')],
    };
  }

  /** "Open in panel" on a .http request: the request as the file would send it, secrets left out. */
  async openFromHttp(uri?: vscode.Uri, line?: number): Promise<RunnerPanel | undefined> {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) {
      void vscode.window.showInformationMessage('Open a .http file and put the cursor on a request to open it in the runner panel.');
      return undefined;
    }
    const at = line ?? (vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor.selection.active.line : 0);
    const parsed = this.deps.documents.parse(doc);
    const template = requestAt(parsed, at);
    if (!template) {
      void vscode.window.showInformationMessage('There is no request here: put the cursor inside a request block.');
      return undefined;
    }
    // The panel keeps no secret: a password-like prompt stays {{name}}, to type in the panel.
    const prompts = await askPrompts(template, { skipSecret: true });
    if (!prompts) return undefined;
    const left = template.metadata.prompts.filter((p) => !(p.name in prompts)).map((p) => `{{${p.name}}}`);
    if (left.length) void vscode.window.showInformationMessage(`${left.join(', ')} ${left.length > 1 ? 'are' : 'is'} left as written: type the value in the panel (it keeps no secrets).`);
    const stores = this.deps.stores.list();
    const variables = { ...(await this.deps.environments.variablesFor(doc.uri)), namedResponses: this.deps.sender.namedResponses(doc.uri), prompts };
    const storeName = requestStoreName(parsed, template, variables);
    const store = storeName ? findStore(stores, storeName) : undefined;
    const { request: resolved } = resolveRequest(parsed, template, { ...variables, store: store ? { name: store.name, url: store.baseUrl } : undefined });
    const labels = secretLabelsOf(resolved.machineValues);
    const clean = (s: string) => redactText(s, resolved.secrets, labels);
    const body = typeof resolved.body === 'string' ? clean(resolved.body) : undefined;
    const made = runnerRequestFor({ method: resolved.method, url: clean(resolved.url), headers: resolved.headers.map(([n, v]) => [n, clean(v)]), body }, stores, store);
    if (!made.request) {
      void vscode.window.showErrorMessage(`This request cannot be opened in the panel: ${made.problem}`);
      return undefined;
    }
    if (resolved.body !== undefined && typeof resolved.body !== 'string') {
      void vscode.window.showInformationMessage('The request\'s body comes from a file or is multipart: the panel opens without it.');
    }
    if (template.assertions.length) made.request.tests = template.assertions.map((a) => `?? ${a.text}`).join('\n');
    return this.open(made.request);
  }

  /** "Import from cURL" from the palette. */
  async importCurl(command?: string): Promise<RunnerPanel | undefined> {
    const text = command ?? await vscode.window.showInputBox({ title: 'Import from cURL', prompt: 'Paste a curl command. Credentials in it are left out: the store\'s own are applied when it is sent.', placeHolder: 'curl https://shop.example/wp-json/wc/v3/products', ignoreFocusOut: true });
    if (!text) return undefined;
    const r = fromCurl(text, this.deps.stores.list());
    if (!r.request) {
      void vscode.window.showErrorMessage(r.problem!);
      return undefined;
    }
    const said = leftOutSentence(r.leftOut, r.request.store ? findStore(this.deps.stores.list(), r.request.store)?.name : undefined);
    if (said) void vscode.window.showInformationMessage(said);
    return this.open(r.request);
  }

  // --- history -------------------------------------------------------------------------------

  history(): HistoryEntry[] {
    return readHistory(this.deps.context.globalState.get(HISTORY_KEY));
  }

  async remember(entry: HistoryEntry): Promise<void> {
    await this.deps.context.globalState.update(HISTORY_KEY, addToHistory(this.history(), entry, setting('historySize', 200)));
    this.historyChanged.fire();
  }

  async forget(id: string | 'all'): Promise<void> {
    await this.deps.context.globalState.update(HISTORY_KEY, id === 'all' ? [] : this.history().filter((e) => e.id !== id));
    this.historyChanged.fire();
  }

  search(text: string): HistoryEntry[] {
    return searchHistory(this.history(), text);
  }

  // --- routes --------------------------------------------------------------------------------

  /** The store's routes: its own `wc/v3` index when it can be read (cached), else the catalogue. */
  async routesFor(store: Store | undefined, refresh = false): Promise<{ routes: PanelRoute[]; source: 'store' | 'catalogue'; fetchedAt?: string }> {
    if (!store) return { routes: wooRoutes().catalogueRoutes(), source: 'catalogue' };
    const cached = this.routeCache.get(store.id);
    if (cached && !refresh) return cached;
    const prefix = store.options?.restPrefix ?? 'wp-json';
    const url = `${trimTrailingSlashes(store.baseUrl)}/${prefix}/${store.options?.apiVersion ?? 'wc/v3'}`;
    // The namespace index needs no credentials: none are sent.
    const ex = await send({ method: 'GET', url, headers: [['Accept', 'application/json']] }, { timeoutMs: 15000, tls: { verify: store.options?.verifyTls !== false, ca: await this.caFor(store) } });
    let routes: PanelRoute[] | undefined;
    if (ex.response?.status === 200) {
      try {
        routes = wooRoutes().routesFromIndex(JSON.parse(Buffer.from(ex.response.body).toString('utf8')));
      } catch { /* not JSON */ }
    }
    const entry = routes ? { routes, source: 'store' as const, fetchedAt: new Date().toISOString() } : { routes: wooRoutes().catalogueRoutes(), source: 'catalogue' as const, fetchedAt: new Date().toISOString() };
    if (!routes) this.deps.log.info(`The route index of "${store.name}" (${url}) could not be read (${ex.response ? `HTTP ${ex.response.status}` : ex.error?.message}); the panel offers the built-in wc/v3 catalogue.`);
    this.routeCache.set(store.id, entry);
    await this.deps.context.globalState.update(ROUTES_KEY, Object.fromEntries(this.routeCache));
    return entry;
  }

  async caFor(store: Store | undefined): Promise<string | undefined> {
    const file = store?.options?.caCertificateFile;
    if (!file) return undefined;
    try {
      return await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    for (const p of [...this.panels]) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.historyChanged.dispose();
  }
}

interface LastAnswer {
  request: RunnerRequest;
  store?: Store;
  result: RunnerResult;
  findings: Finding[];
  view?: ResponseView;
  /** The body as shown (secrets masked), for "open in editor". */
  bodyText?: string;
}

/** One panel: one request being built, sent and read. */
export class RunnerPanel {
  request: RunnerRequest;
  private abort: AbortController | undefined;
  /** The user closed the tab: posts go nowhere (a late answer would throw "Webview is disposed"). */
  private disposed = false;
  private last: LastAnswer | undefined;
  /** What the extension posted, newest last (tests read it). */
  readonly posted: { type: string; [k: string]: unknown }[] = [];
  /** The types of the messages received, in order (tests read it). */
  readonly received: string[] = [];
  private readonly postedEvent = new vscode.EventEmitter<{ type: string; [k: string]: unknown }>();
  readonly onDidPost = this.postedEvent.event;

  constructor(private readonly owner: RunnerPanels, readonly panel: vscode.WebviewPanel, request: RunnerRequest) {
    this.request = request;
    const media = vscode.Uri.joinPath(owner.deps.context.extensionUri, 'media');
    panel.iconPath = vscode.Uri.joinPath(media, 'woo.svg');
    panel.webview.html = this.html();
    panel.webview.onDidReceiveMessage((raw) => void this.receive(raw));
    panel.onDidDispose(() => {
      this.disposed = true;
      this.abort?.abort();
      owner.panels.delete(this);
      this.postedEvent.dispose();
    });
    owner.panels.add(this);
    this.retitle();
  }

  private get deps(): Deps {
    return this.owner.deps;
  }

  /**
   * The JSON body against the store's schema for this route and method (the same check as in .http
   * files): posted as `bodySchema` problems with their line and column in the body editor.
   */
  async postBodySchema(req = this.request): Promise<void> {
    const schemas = this.deps.bodySchemas;
    const store = this.store(req);
    if (!schemas || !store || req.body.kind !== 'json' || !['POST', 'PUT', 'PATCH'].includes(req.method) || /^https?:/i.test(req.path)) {
      await this.post({ type: 'bodySchema', problems: [] });
      return;
    }
    await schemas.ensure(store, req.path);
    const hit = schemas.endpointFor(store, req.path, req.method);
    const text = req.body.text;
    const problems = hit ? checkJsonBody(text, hit.endpoint, hit.route).map((p) => {
      const before = text.slice(0, p.start).split('\n');
      return { severity: p.severity, message: p.message, field: p.field, line: before.length, column: before[before.length - 1]!.length + 1, start: p.start, end: p.end };
    }) : [];
    await this.post({ type: 'bodySchema', problems });
  }

  private async post(msg: { type: string; [k: string]: unknown }): Promise<void> {
    this.posted.push(msg);
    if (this.posted.length > 100) this.posted.splice(0, this.posted.length - 100);
    if (this.disposed) return;
    this.postedEvent.fire(msg);
    // A send or a route fetch can end after the user closed the tab: nothing to show it in then.
    await this.panel.webview.postMessage(msg).then(undefined, () => undefined);
  }

  private retitle(): void {
    this.panel.title = runnerTitle(this.request);
  }

  private store(req = this.request): Store | undefined {
    return req.store ? findStore(this.deps.stores.list(), req.store) : undefined;
  }

  /** Handles one message from the webview (tests call it directly, as the webview would). */
  async receive(raw: unknown): Promise<void> {
    const msg = parseRunnerMessage(raw);
    this.received.push(msg?.type ?? 'malformed');
    if (!msg) {
      this.deps.log.warn('The runner panel sent a message that is not one it may send; ignored.');
      await this.post({ type: 'notice', level: 'error', text: 'That action was refused: its message was malformed.' });
      return;
    }
    try {
      await this.handle(msg);
    } catch (err) {
      this.deps.log.error(`Runner panel, ${msg.type}: ${(err as Error).stack ?? err}`);
      await this.post({ type: 'notice', level: 'error', text: (err as Error).message });
    }
  }

  private async handle(msg: RunnerMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        // The page was (re)loaded: the form, the last answer (before the slower store details,
        // so an answer that arrives meanwhile is never overtaken by an older one), then the rest.
        await this.post({ type: 'init', request: this.request, maxBodyBytes: this.maxBodyBytes() });
        if (this.last?.view) await this.post({ type: 'response', view: this.last.view, findings: findingViews(this.last.findings, this.last.result.applied?.secrets ?? []) });
        await this.postStores();
        await this.postHistory();
        return;
      case 'changed': {
        const storeChanged = msg.request.store !== this.request.store;
        this.request = msg.request;
        this.retitle();
        if (storeChanged) await this.postStoreDetails();
        await this.postBodySchema();
        return;
      }
      case 'selectStore':
        this.request = { ...this.request, store: msg.store };
        await this.postStoreDetails();
        return;
      case 'refreshRoutes':
        await this.postRoutes(true);
        return;
      case 'send':
        this.request = msg.request;
        this.retitle();
        await this.send(msg.request);
        return;
      case 'page': {
        const request = { ...msg.request, query: withPage(msg.request.query, msg.page) };
        this.request = request;
        await this.post({ type: 'load', request });
        await this.send(request);
        return;
      }
      case 'fetchAll':
        await this.fetchAll(msg.request);
        return;
      case 'cancel':
        this.abort?.abort();
        return;
      case 'fix':
        await this.applyFix(msg.finding, msg.fix);
        return;
      case 'copyCurl':
        await this.copyCurl(msg.request, msg.includeSecrets);
        return;
      case 'importCurl': {
        const r = fromCurl(msg.command, this.deps.stores.list());
        if (!r.request) {
          await this.post({ type: 'notice', level: 'error', text: r.problem });
          return;
        }
        // On the store its URL belongs to, or none: another store's credentials never follow a pasted URL.
        this.request = r.request;
        // The previous answer was to another request: it goes.
        this.last = undefined;
        await this.post({ type: 'clearResponse' });
        await this.post({ type: 'load', request: this.request });
        await this.postStoreDetails();
        const said = leftOutSentence(r.leftOut, this.store()?.name);
        if (said) await this.post({ type: 'notice', level: 'info', text: said });
        return;
      }
      case 'saveToHttp':
        await this.saveToHttp(msg.request);
        return;
      case 'openBody':
        await this.openBody();
        return;
      case 'pickFile': {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Attach' });
        if (!picked?.[0]) return;
        this.owner.pickedFiles.add(picked[0].fsPath);
        await this.post({ type: 'filePicked', field: msg.field, path: picked[0].fsPath });
        return;
      }
      case 'historyOpen':
      case 'historySend': {
        const e = this.owner.history().find((h) => h.id === msg.id);
        if (!e) return;
        this.request = e.request;
        this.retitle();
        await this.post({ type: 'load', request: e.request });
        await this.postStoreDetails();
        if (msg.type === 'historySend') await this.send(e.request);
        return;
      }
      case 'historyDelete':
        await this.owner.forget(msg.id);
        return;
      case 'historyClear': {
        const ok = await vscode.window.showWarningMessage('Clear the runner history?', { modal: true }, 'Clear');
        if (ok === 'Clear') await this.owner.forget('all');
        return;
      }
    }
  }

  private maxBodyBytes(): number {
    return setting('maxBodyMegabytes', 25) * 1024 * 1024;
  }

  async postStores(): Promise<void> {
    const stores = this.deps.stores.list().map((s) => ({ id: s.id, name: s.name, baseUrl: s.baseUrl }));
    await this.post({ type: 'stores', stores, active: this.deps.storeCommands.active()?.id });
    await this.postStoreDetails();
  }

  private async postStoreDetails(): Promise<void> {
    const store = this.store();
    if (store) await this.post({ type: 'auth', store: store.id, auth: authSummary(store, await this.deps.stores.storedSecrets(store.id)) });
    await this.postRoutes(false);
  }

  private async postRoutes(refresh: boolean): Promise<void> {
    const store = this.store();
    const r = await this.owner.routesFor(store, refresh);
    await this.post({ type: 'routes', store: store?.id, routes: r.routes, source: r.source, fetchedAt: r.fetchedAt });
  }

  async postHistory(): Promise<void> {
    await this.post({ type: 'history', entries: this.owner.history() });
  }

  private readFile = async (file: string): Promise<Uint8Array> => {
    if (!this.owner.pickedFiles.has(file)) throw new Error(`${path.basename(file)} was not picked in this session; choose it again with "Choose file…"`);
    return fs.readFile(file);
  };

  private async runOnce(req: RunnerRequest, signal: AbortSignal): Promise<{ store?: Store; result: RunnerResult }> {
    const store = this.store(req);
    if (req.store && !store) return { result: { authMethod: 'none', notSent: `No store is named "${req.store}" any more. Pick a store.` } };
    if (!vscode.workspace.isTrusted) return { store, result: { authMethod: 'none', notSent: RESTRICTED_MODE_SENTENCE } };
    let secrets: StoreSecrets | undefined;
    try {
      // Restricted Mode, or a store address the user did not confirm: said in the panel, nothing sent.
      secrets = store && req.auth !== 'none' ? await this.deps.stores.secretsFor(store) : undefined;
    } catch (err) {
      return { store, result: { authMethod: 'none', notSent: (err as Error).message } };
    }
    const result = await runRunnerRequest(req, store, secrets, {
      authOptions: this.deps.sender.authOptionsForStore(store),
      readFile: this.readFile,
      ca: await this.owner.caFor(store),
      signal,
      send: { timeoutMs: vscode.workspace.getConfiguration('wooApiStudio').get<number>('request.timeoutSeconds', 30) * 1000 },
      tokens: store ? this.deps.tokens?.managerFor(store) : undefined,
    });
    // The token endpoint's exchanges and a refused first attempt are the extension's traffic too.
    for (const r of result.renewals ?? []) for (const ex of r.exchanges) this.deps.requestLog.record(entryFromExchange(ex, { store: store?.name, source: 'runner' }));
    if (result.firstAttempt) this.deps.requestLog.record(entryFromExchange(result.firstAttempt, { store: store?.name, source: 'runner' }));
    if (result.exchange) {
      const finding = result.exchange.response ? explainExchange({ exchange: result.exchange, store, authMethod: result.authMethod, applied: result.applied })[0]?.cause : undefined;
      this.deps.requestLog.record(entryFromExchange(result.exchange, { store: store?.name, source: 'runner', finding }));
    }
    return { store, result };
  }

  /** Sends the request; posts the response (or why it was not sent) to the page. */
  async send(req: RunnerRequest): Promise<LastAnswer> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    await this.post({ type: 'sending' });
    const { store, result } = await this.runOnce(req, abort.signal);
    return this.show(req, store, result);
  }

  private async show(req: RunnerRequest, store: Store | undefined, result: RunnerResult, joined?: { pages: number; items: unknown[] }): Promise<LastAnswer> {
    const secrets = result.applied?.secrets ?? [];
    const ex = result.exchange;
    const entryBase = { id: randomUUID(), time: new Date().toISOString(), request: historyRequest(req, secrets), storeName: store?.name };
    if (!ex) {
      this.last = { request: req, store, result, findings: [] };
      await this.post({ type: 'notSent', text: result.notSent ?? 'Not sent.' });
      if (store && result.renewals?.some((r) => !r.ok)) offerSignInAgain(store, result.notSent ?? 'The token could not be renewed.');
      await this.owner.remember({ ...entryBase, error: result.notSent });
      return this.last;
    }
    const explained = ex.response ? explainExchange({ exchange: ex, store, authMethod: result.authMethod, applied: result.applied }) : [];
    // "No credentials" chosen in the Auth tab: the 401 is what was asked for, not something to repair.
    const findings = req.auth === 'none' && store && store.authMethod !== 'none'
      ? explained.map((f) => (f.cause === 'no-credentials' ? { ...f, evidence: ['Sent without credentials on purpose: the Auth tab says "No credentials". Choose the store\'s method there to send them.', ...f.evidence], fixes: [] } : f))
      : explained;
    const joinedBody = joined ? Buffer.from(JSON.stringify(joined.items)) : undefined;
    const exchange = joinedBody && ex.response ? { ...ex, response: { ...ex.response, body: joinedBody, bodyBytes: joinedBody.length } } : ex;
    // Token stores: the renewals and a refused first attempt are shown with the exchange ("# Token: …").
    const view = responseView(exchange, { maxBodyBytes: this.maxBodyBytes(), secrets, added: result.applied?.added, title: `${req.method} ${req.path}`, store: store?.name, renewals: result.renewals, firstAttempt: result.firstAttempt });
    if (joined) {
      view.joined = `${joined.pages} page${joined.pages === 1 ? '' : 's'} joined: ${joined.items.length} items`;
      view.pagination = undefined;
    }
    // A 400 for the body's fields: which field, WordPress's words, and the schema rule it broke.
    if (ex.response?.status === 400 && store) {
      let body: unknown;
      try { body = JSON.parse(Buffer.from(ex.response.body).toString('utf8')); } catch { body = undefined; }
      const hit = this.deps.bodySchemas?.endpointFor(store, req.path, req.method);
      const refused = explainInvalidParam(body, hit?.endpoint);
      if (refused.length) view.error = maskKnown(`The store refused ${refused.map((r) => `${r.field}: ${r.message}${r.rule ? ` (its schema: ${r.rule})` : ''}`).join('; ')}`, secrets);
    }
    // The Tests tab: the request's own assertions against what came back (never code: no handlers here).
    if (req.tests?.trim()) view.tests = testViews(await checkAssertionText(req.tests, ex.response ? exchange : undefined, findings), secrets);
    const bodyText = exchange.response ? maskKnown(Buffer.from(exchange.response.body).toString('utf8'), secrets) : undefined;
    this.last = { request: req, store, result, findings, view, bodyText };
    if (ex.error?.code === 'CANCELLED') {
      await this.post({ type: 'notSent', text: 'Cancelled.' });
      return this.last;
    }
    await this.post({ type: 'response', view, findings: findingViews(findings, secrets) });
    await this.owner.remember({ ...entryBase, status: ex.response?.status, durationMs: Math.round(ex.timings.total), error: ex.response ? undefined : ex.error?.message });
    return this.last;
  }

  /** "Fetch all pages": page 1 to the last (or until a page has no next link), joined into one array. */
  async fetchAll(req: RunnerRequest): Promise<LastAnswer | undefined> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const max = setting('fetchAllMaxPages', 100);
    const bodies: string[] = [];
    let last: { store?: Store; result: RunnerResult } | undefined;
    let totalPages: number | undefined;
    await this.post({ type: 'sending' });
    for (let page = 1; page <= max; page++) {
      const pageReq = { ...req, query: withPage(req.query, page) };
      await this.post({ type: 'progress', page, totalPages });
      last = await this.runOnce(pageReq, abort.signal);
      const ex = last.result.exchange;
      if (abort.signal.aborted || ex?.error?.code === 'CANCELLED') {
        await this.post({ type: 'notSent', text: `Cancelled after ${bodies.length} page${bodies.length === 1 ? '' : 's'}.` });
        return undefined;
      }
      if (!ex?.response || ex.response.status >= 300) return this.show(pageReq, last.store, last.result);
      bodies.push(Buffer.from(ex.response.body).toString('utf8'));
      const pages = paginationOf(ex.request.url, ex.response.headers);
      totalPages = pages?.totalPages;
      if (!pages || (totalPages !== undefined ? page >= totalPages : !pages.next)) break;
      if (page === max) void vscode.window.showWarningMessage(`Stopped after ${max} pages (wooApiStudio.runner.fetchAllMaxPages).`);
    }
    const joined = concatPages(bodies);
    if ('problem' in joined) {
      await this.post({ type: 'notice', level: 'error', text: joined.problem });
      return undefined;
    }
    return this.show(req, last!.store, last!.result, { pages: bodies.length, items: joined.items });
  }

  private async applyFix(findingIndex: number, fixIndex: number): Promise<void> {
    const last = this.last;
    const fix = last?.findings[findingIndex]?.fixes[fixIndex];
    if (!last || !fix) {
      await this.post({ type: 'notice', level: 'info', text: 'That explanation is out of date: send the request again.' });
      return;
    }
    await this.deps.fixes.apply(fix, {
      store: last.store,
      resend: async () => {
        await this.post({ type: 'load', request: this.request });
        return this.send(this.request);
      },
      rewriteUrl: async (fixId, target) => {
        const store = last.store ? this.deps.stores.get(last.store.id) : undefined;
        const relative = !/^https?:\/\//i.test(this.request.path);
        if (store && relative && (fixId === 'use-https' || fixId === 'use-home-url')) {
          // The panel's URL is relative to the store: repair the store, every request benefits.
          return moveStoreAddress(this.deps.stores, store, fixId, target);
        }
        if (!target) {
          if (relative) return false;
          let moved: string | undefined;
          try {
            moved = await askHttpsUrl(this.request.path);
          } catch {
            moved = this.request.path.replace(/^http:/i, 'https:');
          }
          if (!moved) return false;
          this.request = { ...this.request, path: moved };
          return true;
        }
        const made = runnerRequestFor({ method: this.request.method, url: target, headers: [] }, this.deps.stores.list(), store);
        if (!made.request) return false;
        this.request = { ...this.request, path: made.request.path, query: made.request.query, store: made.request.store ?? this.request.store };
        return true;
      },
      removeOwnAuthorization: async () => {
        // Unticked rather than deleted: the row stays, to put back with one click.
        const own = this.request.headers.some((h) => h.enabled && h.name.trim().toLowerCase() === 'authorization');
        if (!own) return false;
        this.request = { ...this.request, headers: this.request.headers.map((h) => (h.name.trim().toLowerCase() === 'authorization' ? { ...h, enabled: false } : h)) };
        return true;
      },
      overrideAuth: async (method) => {
        // The request's own Auth choice is what failed: change it, not the store (whose method may work).
        const auth = this.request.auth;
        if (!auth || auth === 'store' || auth === 'none' || !last.store) return false;
        const own = this.deps.stores.get(last.store.id)?.authMethod ?? last.store.authMethod;
        this.request = { ...this.request, auth: method === own ? 'store' : method };
        await this.post({ type: 'notice', level: 'info', text: method === own
          ? `This request now uses the store's own method (${authLabel(own)}); the Auth tab's override is cleared. The store was not changed.`
          : `This request's Auth tab now says ${authLabel(method)}. The store "${last.store.name}" was not changed (it still uses ${authLabel(own)}).` });
        return true;
      },
      statusOf: (r) => r.result.exchange?.response?.status,
    });
  }

  async copyCurl(req: RunnerRequest, includeSecrets: boolean): Promise<string | undefined> {
    const store = this.store(req);
    if (includeSecrets && store && store.authMethod !== 'none' && req.auth !== 'none') {
      const ok = await vscode.window.showWarningMessage(
        `The command will contain the credentials of "${store.name}" in clear text. Anyone who sees it (a chat, a ticket, your shell history) can use the store's API with them.`,
        { modal: true },
        'Copy with credentials',
      );
      if (ok !== 'Copy with credentials') return undefined;
    }
    let prepared;
    try {
      // Credentials on the clipboard go wherever the command is pasted: only to a confirmed address.
      const secrets = !store ? undefined : includeSecrets ? await this.deps.stores.secretsFor(store) : await this.deps.stores.storedSecrets(store.id);
      prepared = await prepareRunnerRequest(req, store, secrets, { authOptions: this.deps.sender.authOptionsForStore(store), readFile: this.readFile });
    } catch (err) {
      await this.post({ type: 'notice', level: 'error', text: (err as Error).message });
      return undefined;
    }
    const r = prepared.applied.request;
    const body = r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : Buffer.from(r.body).toString('utf8');
    // OAuth 1.0a: curl cannot sign, so the command signs when it runs (or, where the script cannot, it is said to be one-shot).
    const oauth1 = store && req.auth !== 'none' && storeWithAuth(store, req.auth).authMethod === 'wc-oauth1';
    const signing = oauth1 && !includeSecrets
      ? oauth1SigningCommand({ method: r.method, url: r.url, headers: r.headers, body, signedForm: r.method.toUpperCase() === 'POST' && (req.body.kind === 'form' || req.body.kind === 'multipart'), homeUrl: store.options?.homeUrl, signatureMethod: store.options?.oauthSignatureMethod, applied: prepared.applied, typedSecrets: prepared.typedSecrets, store })
      : undefined;
    const command = signing ?? toCurl({ method: r.method, url: r.url, headers: r.headers, body }, prepared.applied, { includeSecrets, store, typedSecrets: prepared.typedSecrets });
    await vscode.env.clipboard.writeText(command);
    const text = signing
      ? 'Copied as cURL: a command that signs with OAuth 1.0a when it runs (curl cannot), with Node.js. Set WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET before running it.'
      : oauth1
        ? (includeSecrets ? 'Copied as cURL with the consumer key and a one-shot OAuth 1.0a signature: it works once, within 15 minutes (WooCommerce refuses a reused nonce and an old timestamp). The consumer secret is not in it.' : ONE_SHOT_OAUTH1_NOTE)
        : includeSecrets ? 'Copied as cURL, with the credentials.' : 'Copied as cURL. Set WOO_CONSUMER_KEY and WOO_CONSUMER_SECRET (or WOO_APP_PASSWORD / WOO_TOKEN) before running it.';
    await this.post({ type: 'notice', level: 'info', text });
    return command;
  }

  /** Appends the request as a .http block naming its store to `target`, or to a file the user picks. */
  async saveToHttp(req: RunnerRequest, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    let uri = target;
    if (!uri) {
      const open = vscode.workspace.textDocuments.filter((d) => d.languageId === 'http' && !d.isClosed).map((d) => d.uri);
      const found = await vscode.workspace.findFiles('**/*.{http,rest}', '**/node_modules/**', 50);
      const all = [...new Map([...open, ...found].map((u) => [u.toString(), u])).values()];
      const picked = await vscode.window.showQuickPick(
        [{ label: '$(new-file) New file…', uri: undefined as vscode.Uri | undefined }, ...all.map((u) => ({ label: path.basename(u.path), description: vscode.workspace.asRelativePath(u), uri: u as vscode.Uri | undefined }))],
        { title: 'Save the request to a .http file', placeHolder: 'The request is appended; it names the store, never a secret' },
      );
      if (!picked) return undefined;
      uri = picked.uri ?? await vscode.window.showSaveDialog({ filters: { 'HTTP requests': ['http', 'rest'] }, defaultUri: vscode.workspace.workspaceFolders?.[0] ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, 'requests.http') : undefined });
      if (!uri) return undefined;
    }
    const block = toHttpBlock(req, this.store(req));
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(uri);
    } catch {
      await vscode.workspace.fs.writeFile(uri, new Uint8Array());
      doc = await vscode.workspace.openTextDocument(uri);
    }
    const text = doc.getText();
    const sep = text === '' ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, doc.positionAt(text.length), sep + block);
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    const line = doc.positionAt(text.length + sep.length).line;
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(line, 0, line, 0), preserveFocus: true });
    await this.post({ type: 'notice', level: 'info', text: `Saved to ${path.basename(uri.path)}, line ${line + 1}.` });
    return uri;
  }

  /** The last body in an editor (bodies above the panel's limit are offered this way). */
  async openBody(): Promise<vscode.TextDocument | undefined> {
    if (this.last?.bodyText === undefined) {
      await this.post({ type: 'notice', level: 'info', text: 'There is no response body to open yet: send the request first.' });
      return undefined;
    }
    const type = this.last.view?.contentType ?? '';
    let content = this.last.bodyText;
    if (/json/i.test(type) && content.length < 50 * 1024 * 1024) {
      try {
        content = JSON.stringify(JSON.parse(content), null, 2);
      } catch { /* shown as received */ }
    }
    const doc = await vscode.workspace.openTextDocument({ content, language: /json/i.test(type) ? 'json' : /html/i.test(type) ? 'html' : 'plaintext' });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    return doc;
  }

  private html(): string {
    const webview = this.panel.webview;
    const ext = this.deps.context.extensionUri;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(ext, 'dist', 'media', 'runner.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(ext, 'media', 'runner.css'));
    const codicons = webview.asWebviewUri(vscode.Uri.joinPath(ext, 'dist', 'media', 'codicon.css'));
    return runnerPage().runnerHtml({ cspSource: webview.cspSource, nonce, script: script.toString(), style: style.toString(), codicons: codicons.toString() });
  }
}
