// The request log view (webview front end). Plain DOM, VS Code's theme variables; it only renders
// what the extension posts and sends back filters and "open this entry" by index.
interface Entry {
  time: string; store?: string; method: string; path: string; host: string; status?: number;
  code?: string; durationMs: number; finding?: string; source: string; file?: string; line?: number;
  /** The path with its OAuth 1.0a parameters folded, their names, the finding in words (core/request-log.ts rowOf). */
  shownPath?: string; oauth?: string[]; findingTitle?: string;
}
interface State { store: string; status: string; path: string }
declare function acquireVsCodeApi(): { postMessage(m: unknown): void; getState(): State | undefined; setState(s: State): void };

const vscode = acquireVsCodeApi();
const state: State = vscode.getState() ?? { store: '', status: '', path: '' };
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const storeSel = $<HTMLSelectElement>('store');
const statusSel = $<HTMLSelectElement>('status');
const pathInput = $<HTMLInputElement>('path');
const body = $<HTMLTableSectionElement>('rows');
const summary = $<HTMLElement>('summary');

statusSel.value = state.status;
pathInput.value = state.path;

function sendFilter(): void {
  state.store = storeSel.value;
  state.status = statusSel.value;
  state.path = pathInput.value;
  vscode.setState(state);
  vscode.postMessage({ type: 'filter', filter: { store: state.store, status: state.status, path: state.path } });
}
storeSel.addEventListener('change', sendFilter);
statusSel.addEventListener('change', sendFilter);
let typing: number | undefined;
pathInput.addEventListener('input', () => { clearTimeout(typing); typing = window.setTimeout(sendFilter, 200); });
// Clear asks first, in a modal whose default button is Cancel (Enter and Escape keep the log).
const confirmClear = $<HTMLDialogElement>('confirm-clear');
$<HTMLButtonElement>('clear').addEventListener('click', () => {
  confirmClear.returnValue = 'cancel';
  confirmClear.showModal();
  $<HTMLButtonElement>('confirm-cancel').focus();
});
$<HTMLButtonElement>('confirm-cancel').addEventListener('click', () => confirmClear.close('cancel'));
$<HTMLButtonElement>('confirm-ok').addEventListener('click', () => confirmClear.close('clear'));
confirmClear.addEventListener('close', () => {
  if (confirmClear.returnValue === 'clear') vscode.postMessage({ type: 'clear' });
});

function cell(row: HTMLTableRowElement, text: string, cls?: string): void {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
  if (cls === 'path') td.title = text;
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg = event.data as { type: string; entries?: Entry[]; stores?: string[]; total?: number };
  if (msg.type !== 'entries' || !Array.isArray(msg.entries)) return;
  const stores = msg.stores ?? [];
  storeSel.replaceChildren(new Option('All stores', ''), ...stores.map((s) => new Option(s, s)));
  storeSel.value = stores.includes(state.store) ? state.store : '';
  body.replaceChildren();
  msg.entries.forEach((e, index) => {
    const row = body.insertRow();
    const auth = e.status === 401 || e.status === 403;
    row.className = auth ? 'auth' : e.status === undefined ? 'failed' : e.status >= 400 ? 'error' : '';
    cell(row, new Date(e.time).toLocaleString());
    cell(row, e.store ?? '');
    cell(row, e.method, 'method');
    cell(row, e.shownPath ?? e.path, 'path');
    if (e.oauth?.length) {
      const path = row.cells[row.cells.length - 1];
      path.title = e.path;
      const badge = document.createElement('span');
      badge.className = 'badge';
      badge.textContent = 'OAuth 1.0a signature';
      badge.title = `Folded: ${e.oauth.join(', ')}`;
      path.append(' ', badge);
    }
    cell(row, e.status === undefined ? '—' : String(e.status), 'status');
    cell(row, e.code ?? '');
    cell(row, `${e.durationMs} ms`, 'num');
    cell(row, e.findingTitle ?? e.finding ?? '');
    if (e.finding) row.cells[row.cells.length - 1].title = e.finding;
    if (e.file !== undefined) {
      row.tabIndex = 0;
      row.title = 'Open the request in its .http file (Enter)';
      row.classList.add('link');
      const open = () => vscode.postMessage({ type: 'open', index });
      row.addEventListener('click', open);
      row.addEventListener('keydown', (k) => { if (k.key === 'Enter') open(); });
    }
  });
  const auth = msg.entries.filter((e) => e.status === 401 || e.status === 403).length;
  summary.textContent = `${msg.entries.length} of ${msg.total ?? msg.entries.length} requests shown · ${auth} answered 401/403`;
});

vscode.postMessage({ type: 'ready' });
if (state.store || state.status || state.path) sendFilter();
