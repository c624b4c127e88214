// The runner panel's page. Plain DOM and VS Code's theme variables. It holds the form and renders
// what the extension posts; sending, auth, history and files are the extension's. Large JSON bodies
// are formatted incrementally (src/core/pretty-json.ts) and only the lines on screen are in the DOM.
import { jsonProblem } from '../src/core/json-problem';
import { PrettyJson, readableJsonLine, tokenize } from '../src/core/pretty-json';
import type { HistoryEntry } from '../src/core/runner-history';
import type { AuthSummary, BodyField, BodyView, BodyKind, FindingView, ResponseView, RunnerRequest, StoreChoice, TestView } from '../src/core/runner-types';
import { METHODS } from '../src/core/runner-types';
import type { PanelRoute } from '../src/core/woo-routes';
import { trimTrailingSlashes, withoutQueryOrFragment } from '../src/core/url-text';

interface UiState { request: RunnerRequest; reqTab: string; resTab: string; historyOpen: boolean }
declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): UiState | undefined; setState(s: UiState): void };

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { className?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) e.append(c);
  return e;
};

const saved = vscode.getState();
let request: RunnerRequest = saved?.request ?? { method: 'GET', path: 'wc/v3/', query: [], headers: [], body: { kind: 'none', text: '' }, auth: 'store' };
let reqTab = saved?.reqTab ?? 'params';
let resTab = saved?.resTab ?? 'body';
let historyOpen = saved?.historyOpen ?? true;
let stores: StoreChoice[] = [];
let auth: AuthSummary | undefined;
let routes: PanelRoute[] = [];
let history: HistoryEntry[] = [];
/** The history entry that holds the list's one Tab stop (the last one moved to, opened or sent). */
let historySelected: string | undefined;
let sending = false;
let view: ResponseView | undefined;

function save(): void {
  vscode.setState({ request, reqTab, resTab, historyOpen });
}
function changed(): void {
  save();
  vscode.postMessage({ type: 'changed', request });
}

// ---------------------------------------------------------------------------------------------
// The request line

const storeSel = $<HTMLSelectElement>('store');
const methodSel = $<HTMLSelectElement>('method');
const pathInput = $<HTMLInputElement>('path');
const baseSpan = $('base');
for (const m of METHODS) methodSel.append(el('option', { value: m, textContent: m }));

function renderStores(): void {
  storeSel.replaceChildren(el('option', { value: '', textContent: stores.length ? '(no store: full URL)' : 'No store registered' }));
  for (const s of stores) storeSel.append(el('option', { value: s.id, textContent: s.name, title: s.baseUrl }));
  storeSel.value = stores.some((s) => s.id === request.store) ? request.store! : '';
  renderBase();
}

function renderBase(): void {
  const s = stores.find((x) => x.id === request.store);
  baseSpan.textContent = s && !/^https?:\/\//i.test(request.path) ? `${trimTrailingSlashes(s.baseUrl)}/wp-json/` : '';
  baseSpan.title = baseSpan.textContent;
}

storeSel.addEventListener('change', () => {
  request.store = storeSel.value || undefined;
  renderBase();
  save();
  vscode.postMessage({ type: 'selectStore', store: storeSel.value });
});
methodSel.addEventListener('change', () => {
  request.method = methodSel.value;
  renderRouteInfo();
  changed();
});
pathInput.addEventListener('input', () => {
  // "Path?a=1" typed or pasted: the query goes to the table.
  const q = pathInput.value.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(pathInput.value.slice(q + 1));
    pathInput.value = pathInput.value.slice(0, q);
    for (const [name, value] of params) request.query.push({ name, value, enabled: true });
    renderTable('query');
  }
  request.path = pathInput.value;
  renderBase();
  renderRouteInfo();
  // A route picked from the list: select its first {param} so typing replaces it.
  const hole = /\{\w+\}/.exec(pathInput.value);
  if (hole && routes.some((r) => r.path === pathInput.value)) pathInput.setSelectionRange(hole.index, hole.index + hole[0].length);
  changed();
});

// ---------------------------------------------------------------------------------------------
// Routes: completion, the route's description, its arguments offered for params and body

function routeRegex(r: PanelRoute): RegExp {
  return new RegExp(`^${r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}|\{\w+\}/g, '[^/]+')}/?$`);
}

function currentRoute(): PanelRoute | undefined {
  const p = withoutQueryOrFragment(request.path.replace(/^\/+/, ''));
  const literals = (r: PanelRoute) => r.path.split('/').filter((s) => !s.startsWith('{')).length;
  return routes.filter((r) => r.path === p || routeRegex(r).test(p)).sort((a, b) => literals(b) - literals(a))[0];
}

function renderRoutes(): void {
  const list = $('routes');
  list.replaceChildren(...routes.map((r) => el('option', { value: r.path, label: `${r.methods.join(' ')}${r.description ? ` · ${r.description}` : ''}` })));
  renderRouteInfo();
}

function renderRouteInfo(): void {
  const r = currentRoute();
  const info = $('route-info');
  const names = $('query-names');
  const bodyField = $<HTMLSelectElement>('body-field');
  bodyField.replaceChildren(el('option', { value: '', textContent: 'Insert field…' }));
  names.replaceChildren();
  if (!r) {
    info.textContent = request.path.includes('/') && routes.length ? 'Not a route this store lists.' : '';
    return;
  }
  const accepts = r.methods.includes(request.method) || (request.method === 'HEAD' && r.methods.includes('GET'));
  info.textContent = `${r.path} · ${r.methods.join(', ')}${r.description ? ` · ${r.description}` : ''}${accepts ? '' : ` · ${request.method} is not one of its methods`}`;
  info.classList.toggle('warn', !accepts);
  const isWrite = ['POST', 'PUT', 'PATCH'].includes(request.method);
  for (const a of r.args[isWrite ? 'GET' : request.method] ?? r.args.GET ?? []) {
    names.append(el('option', { value: a.name, label: a.description ?? '' }));
  }
  if (isWrite) {
    for (const a of r.args[request.method] ?? r.args.POST ?? []) {
      bodyField.append(el('option', { value: a.name, textContent: `${a.name}${a.required ? ' (required)' : ''}${a.type ? ` · ${a.type}` : ''}`, title: a.description ?? '' }));
    }
  }
}

$<HTMLSelectElement>('body-field').addEventListener('change', (e) => {
  const sel = e.target as HTMLSelectElement;
  const name = sel.value;
  sel.value = '';
  if (!name) return;
  const r = currentRoute();
  const arg = (r?.args[request.method] ?? r?.args.POST ?? []).find((a) => a.name === name);
  const sample = arg?.type?.startsWith('integer') || arg?.type?.startsWith('number') ? '0' : arg?.type?.startsWith('boolean') ? 'false' : arg?.type?.startsWith('array') ? '[]' : arg?.type?.startsWith('object') ? '{}' : '""';
  if (request.body.kind === 'form' || request.body.kind === 'multipart') {
    request.body.fields = [...(request.body.fields ?? []), { name, value: '', enabled: true }];
    renderTable('fields');
  } else {
    if (request.body.kind !== 'json') setBodyKind('json');
    const ta = $<HTMLTextAreaElement>('body-text');
    let text = ta.value.trim();
    try {
      const obj = text ? JSON.parse(text) : {};
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
        obj[name] = JSON.parse(sample);
        text = JSON.stringify(obj, null, 2);
      }
    } catch {
      text = `${ta.value}${ta.value.endsWith('\n') || !ta.value ? '' : '\n'}"${name}": ${sample}`;
    }
    ta.value = text;
    request.body.text = text;
    validateBody();
  }
  changed();
});

// ---------------------------------------------------------------------------------------------
// Tables: query, headers, form / multipart fields

type TableId = 'query' | 'headers' | 'fields';

function rowsOf(id: TableId): { name: string; value: string; enabled: boolean; file?: string }[] {
  if (id === 'fields') return (request.body.fields ??= []);
  return request[id];
}

function renderTable(id: TableId): void {
  const table = $<HTMLTableElement>(id);
  const rows = rowsOf(id);
  table.replaceChildren();
  const head = el('tr', {}, el('th', { textContent: '' }), el('th', { textContent: 'Name' }), el('th', { textContent: id === 'fields' ? 'Value or file' : 'Value' }), el('th', { textContent: '' }));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  const all = [...rows, { name: '', value: '', enabled: true }];
  all.forEach((row, i) => {
    const isNew = i === rows.length;
    const on = el('input', { type: 'checkbox', checked: row.enabled, title: 'Send this row' });
    on.setAttribute('aria-label', `Send ${row.name || 'new row'}`);
    const name = el('input', { value: row.name, placeholder: isNew ? 'Add…' : '', spellcheck: false });
    name.setAttribute('aria-label', 'Name');
    if (id === 'query') name.setAttribute('list', 'query-names');
    const value = el('input', { value: row.value, spellcheck: false });
    value.setAttribute('aria-label', 'Value');
    const cells: (Node | string)[] = [value];
    if (id === 'fields' && request.body.kind === 'multipart') {
      const choose = el('button', { className: 'link', textContent: row.file ? `📎 ${row.file.split(/[\\/]/).pop()}` : 'Choose file…', title: row.file ?? 'Send a file as this part' });
      choose.addEventListener('click', () => vscode.postMessage({ type: 'pickFile', field: i }));
      if (row.file) value.hidden = true;
      cells.push(choose);
    }
    const remove = el('button', { className: 'icon', title: 'Remove this row', ariaLabel: 'Remove this row', hidden: isNew } as Partial<HTMLButtonElement>, codicon('close'));
    remove.setAttribute('aria-label', 'Remove this row');
    const ensure = () => {
      if (isNew && (name.value || value.value)) {
        rows.push({ name: name.value, value: value.value, enabled: true });
        renderTable(id);
        // The row now exists: keep typing where the caret was.
        const typed = name.value ? 1 : 2;
        const input = $<HTMLTableElement>(id).querySelectorAll('tbody tr')[i]?.querySelectorAll('input')[typed] as HTMLInputElement | undefined;
        input?.focus();
        input?.setSelectionRange(input.value.length, input.value.length);
      }
    };
    on.addEventListener('change', () => { if (!isNew) { rows[i]!.enabled = on.checked; changed(); } });
    name.addEventListener('input', () => { if (isNew) ensure(); else { rows[i]!.name = name.value; } changed(); });
    value.addEventListener('input', () => { if (isNew) ensure(); else { rows[i]!.value = value.value; } changed(); });
    remove.addEventListener('click', () => { rows.splice(i, 1); renderTable(id); changed(); });
    body.append(el('tr', { className: row.enabled ? '' : 'off' }, el('td', {}, on), el('td', {}, name), el('td', {}, ...cells), el('td', {}, remove)));
  });
  table.append(body);
}

// ---------------------------------------------------------------------------------------------
// Body

const bodyText = $<HTMLTextAreaElement>('body-text');

function setBodyKind(kind: BodyKind): void {
  request.body.kind = kind;
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name=kind]')) r.checked = r.value === kind;
  bodyText.hidden = !(kind === 'json' || kind === 'text');
  $('fields').hidden = !(kind === 'form' || kind === 'multipart');
  if (kind === 'form' || kind === 'multipart') renderTable('fields');
  validateBody();
}

function validateBody(): void {
  const problem = request.body.kind === 'json' ? jsonProblem(request.body.text) : undefined;
  $('body-problem').textContent = problem ?? '';
  bodyText.classList.toggle('invalid', !!problem);
  bodyText.setAttribute('aria-invalid', problem ? 'true' : 'false');
}

for (const r of document.querySelectorAll<HTMLInputElement>('input[name=kind]')) {
  r.addEventListener('change', () => { setBodyKind(r.value as BodyKind); changed(); });
}
bodyText.addEventListener('input', () => {
  request.body.text = bodyText.value;
  validateBody();
  changed();
});
bodyText.addEventListener('keydown', (e) => {
  // Tab indents in the body editor (Ctrl+M style escape: Escape then Tab moves focus on).
  if (e.key === 'Tab' && !e.shiftKey && !bodyText.dataset.escaped) {
    e.preventDefault();
    const s = bodyText.selectionStart;
    bodyText.setRangeText('  ', s, bodyText.selectionEnd, 'end');
    bodyText.dispatchEvent(new Event('input'));
  }
  if (e.key === 'Escape') bodyText.dataset.escaped = '1';
  else if (e.key !== 'Tab') delete bodyText.dataset.escaped;
});

// ---------------------------------------------------------------------------------------------
// Auth

const authSel = $<HTMLSelectElement>('auth');
function renderAuth(): void {
  const p = $('auth-summary');
  const s = stores.find((x) => x.id === request.store);
  if (!s || !auth) {
    p.textContent = s ? '…' : 'No store: nothing is added. Pick a store to send with its credentials.';
    authSel.replaceChildren(el('option', { value: 'store', textContent: 'Store\'s method' }));
    return;
  }
  p.replaceChildren(
    el('strong', { textContent: auth.label }),
    auth.key ? ` · consumer key ${auth.key}` : '',
    auth.user ? ` · user ${auth.user}` : '',
    auth.missing ? el('span', { className: 'problem', textContent: ` ${auth.missing}` }) : '',
  );
  authSel.replaceChildren(el('option', { value: 'store', textContent: `Store's method (${auth.label})` }));
  for (const a of auth.alternatives) if (a.value !== auth.method) authSel.append(el('option', { value: a.value, textContent: a.label }));
  authSel.value = [...authSel.options].some((o) => o.value === request.auth) ? request.auth! : 'store';
}
authSel.addEventListener('change', () => {
  request.auth = authSel.value as RunnerRequest['auth'];
  changed();
});

// ---------------------------------------------------------------------------------------------
// Tabs (arrow keys move between them, as in VS Code)

function setupTabs(prefix: 'tab' | 'rtab', names: string[], get: () => string, set: (t: string) => void): () => void {
  const render = () => {
    for (const n of names) {
      const tab = $(`${prefix}-${n}`);
      const on = get() === n;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      $(`${prefix === 'tab' ? 'pane' : 'rpane'}-${n}`).hidden = !on;
    }
  };
  names.forEach((n, i) => {
    const tab = $(`${prefix}-${n}`);
    tab.addEventListener('click', () => { set(n); render(); save(); if (n === 'body' && prefix === 'rtab') paint(); });
    tab.addEventListener('keydown', (e) => {
      const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!d) return;
      const next = names[(i + d + names.length) % names.length]!;
      set(next);
      render();
      save();
      $(`${prefix}-${next}`).focus();
    });
  });
  render();
  return render;
}
setupTabs('tab', ['params', 'headers', 'body', 'auth', 'tests'], () => reqTab, (t) => { reqTab = t; });
setupTabs('rtab', ['body', 'headers', 'exchange', 'raw', 'tests'], () => resTab, (t) => { resTab = t; });

// ---------------------------------------------------------------------------------------------
// Send, cancel, keyboard

function setSending(on: boolean, text = 'Sending…'): void {
  sending = on;
  $('send').hidden = on;
  $('cancel').hidden = !on;
  if (on) {
    $('status-line').replaceChildren(el('span', { className: 'spinner', textContent: text }));
    $('findings').replaceChildren();
  }
}

function sendNow(): void {
  if (sending) return;
  if (request.body.kind === 'json' && jsonProblem(request.body.text)) {
    reqTab = 'body';
    $('tab-body').click();
    bodyText.focus();
    return;
  }
  vscode.postMessage({ type: 'send', request });
}
$('send').addEventListener('click', sendNow);
$('cancel').addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
    e.preventDefault();
    sendNow();
  } else if (e.key === 'Escape' && sending) {
    vscode.postMessage({ type: 'cancel' });
  } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f' && view) {
    e.preventDefault();
    $('rtab-body').click();
    $<HTMLInputElement>('find').focus();
  }
});
$('save').addEventListener('click', () => vscode.postMessage({ type: 'saveToHttp', request }));
$('curl').addEventListener('click', () => vscode.postMessage({ type: 'copyCurl', request, includeSecrets: false }));
$('curl-secrets').addEventListener('click', () => vscode.postMessage({ type: 'copyCurl', request, includeSecrets: true }));
$('import').addEventListener('click', () => { $('import-box').hidden = false; $('import-text').focus(); });
$('import-cancel').addEventListener('click', () => { $('import-box').hidden = true; });
$('import-go').addEventListener('click', () => {
  vscode.postMessage({ type: 'importCurl', command: $<HTMLTextAreaElement>('import-text').value });
  $('import-box').hidden = true;
  $<HTMLTextAreaElement>('import-text').value = '';
});
$('open-body').addEventListener('click', () => vscode.postMessage({ type: 'openBody' }));
$('refresh-routes').addEventListener('click', () => vscode.postMessage({ type: 'refreshRoutes' }));
$('prev').addEventListener('click', () => view?.pagination && vscode.postMessage({ type: 'page', request, page: view.pagination.page - 1 }));
$('next').addEventListener('click', () => view?.pagination && vscode.postMessage({ type: 'page', request, page: view.pagination.page + 1 }));
$('fetch-all').addEventListener('click', () => vscode.postMessage({ type: 'fetchAll', request }));

// ---------------------------------------------------------------------------------------------
// History

const historyBox = $('history');
function renderHistoryOpen(): void {
  historyBox.hidden = !historyOpen;
  $('toggle-history').setAttribute('aria-expanded', String(historyOpen));
}
$('toggle-history').addEventListener('click', () => { historyOpen = !historyOpen; renderHistoryOpen(); save(); });
$('history-clear').addEventListener('click', () => vscode.postMessage({ type: 'historyClear' }));
$<HTMLInputElement>('history-search').addEventListener('input', renderHistory);

function renderHistory(): void {
  const words = $<HTMLInputElement>('history-search').value.toLowerCase().split(/\s+/).filter(Boolean);
  const list = $('history-list');
  const hadFocus = list.contains(document.activeElement);
  list.replaceChildren();
  const shown = history.filter((h) => {
    const hay = `${h.request.method} ${h.request.path} ${h.request.query.map((q) => `${q.name}=${q.value}`).join(' ')} ${h.storeName ?? ''} ${h.status ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  // Keyboard: the list is one Tab stop (roving tabindex): the selected entry, else the first, has
  // tabindex 0, the others -1 and so do their buttons; Up/Down/Home/End move inside the list.
  const current = shown.some((h) => h.id === historySelected) ? historySelected : shown[0]?.id;
  const items: HTMLElement[] = [];
  const moveTo = (i: number) => {
    const target = items[Math.max(0, Math.min(items.length - 1, i))];
    if (!target) return;
    for (const it of items) { it.tabIndex = it === target ? 0 : -1; it.setAttribute('aria-selected', String(it === target)); }
    historySelected = target.dataset.id;
    target.focus();
  };
  for (const h of shown) {
    const status = h.status ?? (h.error ? '×' : '');
    const item = el('li', { className: `h ${statusClass(h.status)}`, tabIndex: h.id === current ? 0 : -1, title: `${h.storeName ?? ''} ${new Date(h.time).toLocaleString()}${h.error ? `\n${h.error}` : ''}` },
      el('span', { className: 'm', textContent: h.request.method }),
      el('span', { className: 'p', textContent: h.request.path.replace(/^wc\/v3\//, '') + (h.request.query.length ? `?${h.request.query.filter((q) => q.enabled).map((q) => `${q.name}=${q.value}`).join('&')}` : '') }),
      el('span', { className: 's', textContent: String(status) }));
    item.dataset.id = h.id;
    item.setAttribute('role', 'option');
    item.setAttribute('aria-selected', String(h.id === current));
    items.push(item);
    // The row's buttons are for the mouse; from the keyboard, Ctrl+Enter sends again and Delete removes.
    const again = el('button', { className: 'icon del', title: 'Send again (Ctrl+Enter)', ariaLabel: 'Send again', tabIndex: -1 } as Partial<HTMLButtonElement>, codicon('play'));
    again.setAttribute('aria-label', 'Send again');
    again.addEventListener('click', (e) => { e.stopPropagation(); historySelected = h.id; vscode.postMessage({ type: 'historySend', id: h.id }); });
    item.append(again);
    const del = el('button', { className: 'icon del', title: 'Remove from history (Delete)', ariaLabel: 'Remove from history', tabIndex: -1 } as Partial<HTMLButtonElement>, codicon('close'));
    del.setAttribute('aria-label', 'Remove from history');
    del.addEventListener('click', (e) => { e.stopPropagation(); vscode.postMessage({ type: 'historyDelete', id: h.id }); });
    item.append(del);
    const open = () => { historySelected = h.id; vscode.postMessage({ type: 'historyOpen', id: h.id }); };
    item.addEventListener('click', open);
    item.addEventListener('keydown', (e) => {
      const at = items.indexOf(item);
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        // Ctrl+Enter on an entry sends that entry, not the form.
        e.preventDefault();
        e.stopPropagation();
        historySelected = h.id;
        vscode.postMessage({ type: 'historySend', id: h.id });
      } else if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); }
      else if (e.key === 'ArrowDown') { e.preventDefault(); moveTo(at + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); moveTo(at - 1); }
      else if (e.key === 'Home') { e.preventDefault(); moveTo(0); }
      else if (e.key === 'End') { e.preventDefault(); moveTo(items.length - 1); }
      else if (e.key === 'Delete') {
        // The Tab stop goes to the neighbour, and keeps the focus when the list is drawn again.
        historySelected = (items[at + 1] ?? items[at - 1])?.dataset.id;
        vscode.postMessage({ type: 'historyDelete', id: h.id });
      }
    });
    list.append(item);
  }
  if (hadFocus) list.querySelector<HTMLElement>('li.h[tabindex="0"]')?.focus();
  if (!shown.length) list.append(el('li', { className: 'empty', textContent: history.length ? 'No match.' : 'Requests you send appear here.' }));
}

function statusClass(status?: number): string {
  if (status === undefined) return 'failed';
  return status >= 500 ? 's5' : status === 401 || status === 403 ? 'sauth' : status >= 400 ? 's4' : status >= 300 ? 's3' : 's2';
}

// ---------------------------------------------------------------------------------------------
// The response

function renderResponse(v: ResponseView, findings: FindingView[]): void {
  view = v;
  setSending(false);
  const line = $('status-line');
  const size = v.size < 1024 ? `${v.size} B` : v.size < 1048576 ? `${(v.size / 1024).toFixed(1)} KB` : `${(v.size / 1048576).toFixed(1)} MB`;
  const phases = v.timings.map((t) => `${t.phase} ${t.ms} ms`).join(' · ');
  line.replaceChildren(
    v.status !== undefined ? el('span', { className: `badge ${statusClass(v.status)}`, textContent: `${v.status} ${v.statusText ?? ''}`.trim() }) : el('span', { className: 'badge failed', textContent: 'No answer' }),
    el('span', { className: 'metric', textContent: `${v.totalMs} ms`, title: phases || 'Reused connection' }),
    el('span', { className: 'metric', textContent: size }),
    phases ? el('span', { className: 'phases', textContent: phases }) : '',
    v.joined ? el('span', { className: 'metric', textContent: v.joined }) : '',
  );
  if (v.error) line.append(el('div', { className: 'problem', textContent: v.error }));
  renderFindings(findings);
  renderPager();
  $('response-headers').replaceChildren(...v.headers.map(([n, val]) => el('tr', {}, el('th', { textContent: n }), el('td', { textContent: val }))));
  $('exchange').textContent = v.exchange;
  renderTests(v.tests ?? []);
  renderBody(v);
}

// --- the body against the store's schema (the extension checks it; the same rules as in .http files)

function renderBodySchema(problems: { severity: string; message: string; line: number; column: number }[]): void {
  $('body-schema').replaceChildren(...problems.map((p) => el('li', { className: p.severity, textContent: `Line ${p.line}, column ${p.column}: ${p.message}` })));
}

// --- the Tests tab: the request's assertions, each with its result and the actual value ----------

const testsText = $<HTMLTextAreaElement>('tests-text');
testsText.addEventListener('input', () => {
  request.tests = testsText.value;
  changed();
});

function renderTests(tests: TestView[]): void {
  const tab = $('rtab-tests');
  const failed = tests.filter((t) => t.state === 'failed').length;
  const passed = tests.filter((t) => t.state === 'passed').length;
  tab.textContent = tests.length ? `Tests ${passed}/${tests.length}` : 'Tests';
  tab.classList.toggle('tests-failed', failed > 0);
  tab.classList.toggle('tests-passed', tests.length > 0 && failed === 0);
  $('tests-summary').textContent = tests.length ? `${passed} passed, ${failed} failed${tests.length - passed - failed ? `, ${tests.length - passed - failed} not checked` : ''}` : 'No assertions: write them in the request\'s Tests tab.';
  $('test-results').replaceChildren(...tests.map((t) => el('li', { className: `test ${t.state}`, title: `Line ${t.line + 1} of the Tests tab` },
    el('span', { className: 'mark', textContent: t.state === 'passed' ? '✓' : t.state === 'failed' ? '✗' : '–', ariaLabel: t.state } as Partial<HTMLSpanElement>),
    el('code', { textContent: t.text }),
    el('span', { className: 'test-message', textContent: t.state === 'passed' ? '' : t.message }),
    t.cause ? el('div', { className: 'test-cause', textContent: t.cause }) : '')));
}

function renderFindings(findings: FindingView[]): void {
  const box = $('findings');
  box.replaceChildren();
  findings.forEach((f, fi) => {
    const fixes = el('div', { className: 'fixes' });
    f.fixes.forEach((x, i) => {
      const b = el('button', { className: x.preferred ? 'primary' : 'secondary', textContent: x.title });
      b.addEventListener('click', () => vscode.postMessage({ type: 'fix', finding: fi, fix: i }));
      fixes.append(b);
    });
    const evidence = el('details', {}, el('summary', { textContent: 'Evidence' }), el('ul', {}, ...f.evidence.map((e) => el('li', { textContent: e }))));
    const title = [el('span', { className: 'confidence', textContent: f.confidence }), ' ', f.title];
    const details = [el('p', { textContent: f.explanation }), f.evidence.length ? evidence : '', fixes];
    // The most likely cause open; the others one line each until opened, so the body stays in view.
    box.append(fi === 0
      ? el('div', { className: `finding ${f.confidence}`, role: 'alert' } as Partial<HTMLDivElement>, el('div', { className: 'finding-title' }, ...title), ...details)
      : el('details', { className: `finding ${f.confidence}` }, el('summary', { className: 'finding-title' }, ...title), ...details));
  });
}

function renderPager(): void {
  const p = view?.pagination;
  $('pager').hidden = !p;
  if (!p) return;
  $('page-info').textContent = `Page ${p.page}${p.totalPages !== undefined ? ` of ${p.totalPages}` : ''}${p.total !== undefined ? ` · ${p.total} items` : ''}`;
  $<HTMLButtonElement>('prev').disabled = p.page <= 1;
  $<HTMLButtonElement>('next').disabled = p.totalPages !== undefined ? p.page >= p.totalPages : !p.next;
  $<HTMLButtonElement>('fetch-all').disabled = p.totalPages !== undefined && p.totalPages <= 1;
}

// --- the body viewer: a virtual list over formatted lines -------------------------------------

interface Lines {
  count(): number;
  text(i: number): string;
  depth(i: number): number;
  /** Line that closes the block line i opens, or -1. */
  close(i: number): number;
  json: boolean;
}

const LINE = 18;
const viewer = $('viewer');
const spacer = $('viewer-spacer');
const linesBox = $('viewer-lines');
let lines: Lines | undefined;
let pretty: PrettyJson | undefined;
let folded = new Set<number>();
let visible: Int32Array | undefined; // undefined: every line is visible
let matches: number[] = [];
let matchAt = -1;
let matchLen = 0;
let formatJob = 0;

function visibleCount(): number {
  return visible ? visible.length : lines?.count() ?? 0;
}
function lineAtRow(row: number): number {
  return visible ? visible[row]! : row;
}

function rebuildVisible(): void {
  if (!lines || folded.size === 0) { visible = undefined; return; }
  const out: number[] = [];
  const n = lines.count();
  for (let i = 0; i < n; i++) {
    out.push(i);
    if (folded.has(i)) {
      const c = lines.close(i);
      if (c > i) i = c;
    }
  }
  visible = Int32Array.from(out);
}

/** A VS Code icon (the codicon font the page loads): decorative, the button carries the words. */
function codicon(name: string): HTMLSpanElement {
  const i = el('span', { className: `codicon codicon-${name}` });
  i.setAttribute('aria-hidden', 'true');
  return i;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

function lineHtml(i: number): string {
  const text = lines!.text(i);
  const needle = matchLen && matchAt >= 0 ? $<HTMLInputElement>('find').value.toLowerCase() : '';
  const mark = (html: string, raw: string) => {
    if (!needle || !raw.toLowerCase().includes(needle)) return html;
    return escapeHtml(raw).replace(new RegExp(escapeHtml(needle).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), (m) => `<mark>${m}</mark>`);
  };
  if (!lines!.json) return mark(escapeHtml(text), text);
  if (needle && text.toLowerCase().includes(needle)) return mark('', text);
  return tokenize(text).map(([k, t]) => (k === 'space' ? t : `<span class="t-${k}">${escapeHtml(t)}</span>`)).join('');
}

function paint(): void {
  if (!lines) { linesBox.replaceChildren(); spacer.style.height = '0'; return; }
  const total = visibleCount();
  spacer.style.height = `${total * LINE}px`;
  viewer.dataset.lines = String(lines.count());
  const first = Math.max(0, Math.floor(viewer.scrollTop / LINE) - 10);
  const rows = Math.ceil((viewer.clientHeight || 600) / LINE) + 20;
  const last = Math.min(total, first + rows);
  const digits = String(lines.count()).length;
  let html = '';
  for (let row = first; row < last; row++) {
    const i = lineAtRow(row);
    const closes = lines.close(i);
    const fold = closes > i ? `<span class="fold" data-line="${i}" role="button" aria-label="${folded.has(i) ? 'Unfold' : 'Fold'} line ${i + 1}">${folded.has(i) ? '▸' : '▾'}</span>` : '<span class="fold"></span>';
    const tail = folded.has(i) ? `<span class="folded"> … ${closes - i - 1} lines</span>` : '';
    html += `<div class="ln${matches.length && matchAt >= 0 && lineOfMatch(matchAt) === i ? ' current' : ''}"><span class="no">${String(i + 1).padStart(digits)}</span>${fold}<span class="code">${lineHtml(i)}${tail}</span></div>`;
  }
  linesBox.style.transform = `translateY(${first * LINE}px)`;
  linesBox.innerHTML = html;
}

viewer.addEventListener('scroll', () => requestAnimationFrame(paint));
$('fold-all').addEventListener('click', () => {
  if (!lines) return;
  if (pretty) while (!pretty.advance(1 << 24)) { /* the whole body, so every block is known */ }
  const n = lines.count();
  for (let i = 0; i < n; i++) if (lines.depth(i) === 1 && lines.close(i) > i) folded.add(i);
  rebuildVisible();
  viewer.scrollTop = 0;
  paint();
});
$('unfold-all').addEventListener('click', () => {
  folded = new Set();
  rebuildVisible();
  paint();
});
linesBox.addEventListener('click', (e) => {
  const t = (e.target as HTMLElement).closest('.fold') as HTMLElement | null;
  if (!t?.dataset.line) return;
  const i = Number(t.dataset.line);
  if (folded.has(i)) folded.delete(i); else folded.add(i);
  rebuildVisible();
  paint();
});
viewer.addEventListener('keydown', (e) => {
  const page = Math.floor(viewer.clientHeight / LINE) * LINE;
  if (e.key === 'PageDown') viewer.scrollTop += page;
  else if (e.key === 'PageUp') viewer.scrollTop -= page;
  else if (e.key === 'Home' && e.ctrlKey) viewer.scrollTop = 0;
  else if (e.key === 'End' && e.ctrlKey) viewer.scrollTop = viewer.scrollHeight;
  else if (e.key === 'ArrowDown') viewer.scrollTop += LINE;
  else if (e.key === 'ArrowUp') viewer.scrollTop -= LINE;
  else return;
  e.preventDefault();
});

function textLines(text: string, json = false): Lines {
  const all = text.split('\n');
  return { count: () => all.length, text: (i) => all[i] ?? '', depth: () => 0, close: () => -1, json };
}

function jsonLines(p: PrettyJson): Lines {
  // The pretty view decodes string escapes (\u00fc, \/); the Raw tab keeps the bytes as sent.
  return { count: () => p.lines.count, text: (i) => readableJsonLine(p.text(i)), depth: (i) => p.lines.depth[i]!, close: (i) => p.lines.closeLine[i]!, json: true };
}

function renderBody(v: ResponseView): void {
  const note = $('body-note');
  const img = $<HTMLImageElement>('image');
  const raw = $('raw');
  note.hidden = true;
  img.hidden = true;
  viewer.hidden = false;
  folded = new Set();
  visible = undefined;
  matches = [];
  matchAt = -1;
  matchLen = 0;
  $('find-count').textContent = '';
  pretty = undefined;
  lines = undefined;
  const job = ++formatJob;
  const b = v.body;
  const showNote = (text: string) => { note.textContent = text; note.hidden = false; };
  if (b.kind === 'empty') {
    lines = textLines('(empty body)');
    raw.textContent = '';
  } else if (b.kind === 'image') {
    viewer.hidden = true;
    img.src = b.dataUri;
    img.hidden = false;
    raw.textContent = `(${b.contentType} image)`;
  } else if (b.kind === 'binary' || b.kind === 'too-large') {
    viewer.hidden = true;
    showNote(`${b.note} Use "Open in editor".`);
    raw.textContent = '';
  } else {
    const t = b as Extract<BodyView, { text: string }>;
    if (t.note) showNote(t.note);
    const RAW_MAX = 1024 * 1024;
    raw.textContent = t.text.length > RAW_MAX ? `${t.text.slice(0, RAW_MAX)}\n\n… the first 1 MB of ${(t.text.length / 1048576).toFixed(1)} MB; "Open in editor" shows all of it.` : t.text;
    if (t.kind === 'json' && /^\s*[[{]/.test(t.text)) {
      const p = new PrettyJson(t.text);
      pretty = p;
      // The first screen now, the rest in slices so the page stays responsive.
      p.advance(64 * 1024);
      lines = jsonLines(p);
      const step = () => {
        if (job !== formatJob) return;
        if (!p.advance(2 * 1024 * 1024)) { paint(); setTimeout(step, 0); return; }
        if (!p.valid) { lines = textLines(t.text); showNote('The Content-Type says JSON, but the body is not valid JSON: shown as received.'); }
        paint();
      };
      if (!p.done) setTimeout(step, 0); else if (!p.valid) { lines = textLines(t.text); showNote('The Content-Type says JSON, but the body is not valid JSON: shown as received.'); }
    } else {
      lines = textLines(t.text);
    }
  }
  viewer.scrollTop = 0;
  paint();
  document.body.dataset.painted = String(Date.now());
}

// --- find in body -------------------------------------------------------------------------------

const find = $<HTMLInputElement>('find');
let lowerSource: string | undefined;
function lineOfMatch(k: number): number {
  const off = matches[k]!;
  if (pretty && lines?.json) return pretty.lineAt(off);
  return (lowerSource ?? '').slice(0, off).split('\n').length - 1;
}
function runFind(): void {
  matches = [];
  matchAt = -1;
  const needle = find.value.toLowerCase();
  matchLen = needle.length;
  const b = view?.body;
  if (!needle || !b || !(b.kind === 'json' || b.kind === 'text' || b.kind === 'html')) { $('find-count').textContent = ''; paint(); return; }
  if (pretty) while (!pretty.advance(1 << 24)) { /* format the rest before searching */ }
  lowerSource = b.text.toLowerCase();
  for (let at = lowerSource.indexOf(needle); at >= 0 && matches.length < 10000; at = lowerSource.indexOf(needle, at + needle.length)) matches.push(at);
  if (matches.length) goToMatch(0);
  else { $('find-count').textContent = 'No results'; paint(); }
}
function goToMatch(k: number): void {
  if (!matches.length) return;
  matchAt = (k + matches.length) % matches.length;
  const line = lineOfMatch(matchAt);
  // Unfold whatever hides the match.
  for (const f of [...folded]) if (f < line && lines!.close(f) >= line) folded.delete(f);
  rebuildVisible();
  const row = visible ? visible.indexOf(line) : line;
  viewer.scrollTop = Math.max(0, row * LINE - viewer.clientHeight / 3);
  $('find-count').textContent = `${matchAt + 1} of ${matches.length}${matches.length >= 10000 ? '+' : ''}`;
  paint();
}
let findTimer: number | undefined;
find.addEventListener('input', () => { clearTimeout(findTimer); findTimer = window.setTimeout(runFind, 150); });
find.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') { e.preventDefault(); if (matchAt < 0) runFind(); else goToMatch(matchAt + (e.shiftKey ? -1 : 1)); }
  if (e.key === 'Escape') { find.value = ''; runFind(); viewer.focus(); }
});

// ---------------------------------------------------------------------------------------------
// Messages from the extension

function showNotice(level: string, text: string): void {
  const n = $('notice');
  n.textContent = text;
  n.className = `notice ${level}`;
  n.hidden = false;
  clearTimeout(Number(n.dataset.timer));
  n.dataset.timer = String(setTimeout(() => { n.hidden = true; }, level === 'error' ? 12000 : 5000));
}

function loadRequest(r: RunnerRequest): void {
  request = { ...r, body: { ...r.body, fields: r.body.fields ? [...r.body.fields] : undefined }, query: [...r.query], headers: [...r.headers], auth: r.auth ?? 'store' };
  methodSel.value = request.method;
  pathInput.value = request.path;
  bodyText.value = request.body.text;
  testsText.value = request.tests ?? '';
  storeSel.value = stores.some((s) => s.id === request.store) ? request.store! : '';
  renderTable('query');
  renderTable('headers');
  setBodyKind(request.body.kind);
  renderBase();
  renderRouteInfo();
  renderAuth();
  save();
}

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as { type: string; [k: string]: unknown };
  switch (m.type) {
    case 'init':
      loadRequest(saved?.request ?? (m.request as RunnerRequest));
      // Keyboard: a panel opens with the cursor in the path field (unless the page already has it elsewhere).
      if (document.activeElement === document.body || document.activeElement === null) $<HTMLInputElement>('path').focus();
      break;
    case 'load':
      loadRequest(m.request as RunnerRequest);
      break;
    case 'stores':
      stores = m.stores as StoreChoice[];
      if (!request.store && m.active && !/^https?:/i.test(request.path)) {
        request.store = m.active as string;
        vscode.postMessage({ type: 'selectStore', store: request.store });
      }
      renderStores();
      renderAuth();
      break;
    case 'auth':
      if (m.store === request.store) { auth = m.auth as AuthSummary; renderAuth(); }
      break;
    case 'routes':
      routes = m.routes as PanelRoute[];
      $('route-info').dataset.source = String(m.source);
      $('refresh-routes').title = m.source === 'store' ? `Routes read from the store${m.fetchedAt ? ` at ${new Date(String(m.fetchedAt)).toLocaleString()}` : ''}; click to read them again` : 'The store\'s route list could not be read: the built-in wc/v3 catalogue is offered. Click to try again.';
      renderRoutes();
      break;
    case 'history':
      history = m.entries as HistoryEntry[];
      renderHistory();
      break;
    case 'sending':
      setSending(true);
      break;
    case 'progress':
      setSending(true, `Fetching page ${m.page}${m.totalPages ? ` of ${m.totalPages}` : ''}…`);
      break;
    case 'response':
      renderResponse(m.view as ResponseView, (m.findings as FindingView[]) ?? []);
      break;
    case 'clearResponse':
      // A new request was imported: the last answer was to another one.
      view = undefined;
      setSending(false);
      $('status-line').replaceChildren();
      $('findings').replaceChildren();
      $('response-headers').replaceChildren();
      $('exchange').textContent = '';
      $('raw').textContent = '';
      renderTests([]);
      lines = undefined;
      pretty = undefined;
      paint();
      renderPager();
      break;
    case 'notSent':
      setSending(false);
      $('status-line').replaceChildren(el('span', { className: 'problem', textContent: String(m.text) }));
      break;
    case 'notice':
      showNotice(String(m.level), String(m.text));
      break;
    case 'bodySchema':
      renderBodySchema((m.problems as { severity: string; message: string; line: number; column: number }[]) ?? []);
      break;
    case 'filePicked': {
      const f = request.body.fields?.[m.field as number] as BodyField | undefined;
      if (f) { f.file = String(m.path); f.value = ''; } else (request.body.fields ??= []).push({ name: 'file', value: '', enabled: true, file: String(m.path) });
      renderTable('fields');
      changed();
      break;
    }
  }
});

renderHistoryOpen();
loadRequest(request);
vscode.postMessage({ type: 'ready' });
