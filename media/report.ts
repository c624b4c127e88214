// The Explain and Doctor reports (webview front end): renders what the extension posts as text
// (never as markup), the findings as cards like the runner's, and posts back the fix a button names
// by index. Keyboard: every fix is a button; Evidence and the probes are native <details>.
import type { ReportView as View } from '../src/core/report-types';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };

const vscode = acquireVsCodeApi();
const root = document.getElementById('report') as HTMLElement;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { className?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
}

function render(v: View): void {
  const parts: Node[] = [el('h1', { textContent: v.heading })];
  if (v.meta) parts.push(el('p', { className: 'meta', textContent: v.meta }));
  if (v.verdict) parts.push(el('p', { className: `verdict ${v.verdict.healthy ? 'healthy' : 'broken'}`, role: 'status' } as Partial<HTMLParagraphElement>, el('strong', { textContent: v.verdict.healthy ? 'Healthy' : 'Broken' }), `: ${v.verdict.text}`));
  for (const n of v.notes) parts.push(el('p', { className: 'note', textContent: n }));
  if (v.findings.length) {
    parts.push(el('h2', { textContent: v.kind === 'doctor' ? 'Findings' : 'Causes' }));
    const box = el('div', { className: 'findings' });
    v.findings.forEach((f, fi) => {
      const fixes = el('div', { className: 'fixes' });
      const snippets: Node[] = [];
      f.fixes.forEach((x, i) => {
        const b = el('button', { className: x.preferred ? 'primary' : 'secondary', textContent: x.title, title: x.preferred ? 'Suggested fix' : '' });
        b.dataset.finding = String(fi);
        b.dataset.fix = String(i);
        b.addEventListener('click', () => vscode.postMessage({ type: 'fix', finding: fi, fix: i }));
        fixes.append(b);
        if (x.snippet) snippets.push(el('details', { className: 'snippet' }, el('summary', { textContent: `What "${x.title}" copies${x.where ? ` (for ${x.where})` : ''}` }), el('pre', { textContent: x.snippet })));
      });
      const evidence = f.evidence.length ? el('details', { open: fi === 0 }, el('summary', { textContent: 'Evidence' }), el('ul', {}, ...f.evidence.map((e) => el('li', { textContent: e })))) : '';
      box.append(el('section', { className: `finding ${f.confidence}` },
        el('h3', { className: 'finding-title' }, el('span', { className: 'confidence', textContent: f.confidence }), ' ', f.title),
        el('p', { textContent: f.explanation }), evidence, fixes, ...snippets));
    });
    parts.push(box);
  }
  if (v.probes?.length) {
    const rows = v.probes.map((p) => el('tr', { className: p.outcome }, el('td', { textContent: p.title }), el('td', { className: 'answer', textContent: p.answer }), el('td', { textContent: p.result }), el('td', { className: 'request', textContent: p.request })));
    parts.push(el('h2', { textContent: 'Probes' }), el('table', {},
      el('thead', {}, el('tr', {}, ...['Probe', 'Answer', 'Shows', 'Request'].map((h) => el('th', { textContent: h, scope: 'col' } as Partial<HTMLTableCellElement>)))),
      el('tbody', {}, ...rows)));
  }
  const md = el('button', { className: 'link', textContent: 'Open as Markdown' });
  md.addEventListener('click', () => vscode.postMessage({ type: 'markdown' }));
  parts.push(el('p', { className: 'footer' }, md));
  root.replaceChildren(...parts);
  // Keyboard: the suggested fix (else the first) has focus, Enter applies it; the page stays at its
  // top so the heading and the verdict are what one sees first.
  ((root.querySelector('button.primary') ?? root.querySelector('.fixes button')) as HTMLButtonElement | null)?.focus({ preventScroll: true });
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as { type?: string; view?: View; text?: string };
  if (m?.type === 'report' && m.view) render(m.view);
  if (m?.type === 'notice' && typeof m.text === 'string') {
    const n = document.getElementById('notice') as HTMLElement;
    n.textContent = m.text;
    n.hidden = false;
  }
});
vscode.postMessage({ type: 'ready' });
export {};
