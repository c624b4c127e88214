// The Welcome page's walkthrough, "From a 401 to fixed": each step is checked off when the real
// thing happens (the sandbox starts, a request gets an answer, a 401 is explained, the same request
// then succeeds, a doctor report is shown, a store of the user's own is saved), through context
// keys its completion events listen to (package.json contributes.walkthroughs). Nothing here sends
// or changes anything.
import * as vscode from 'vscode';
import type { ExplainDiagnostics } from './explain-diagnostics';
import type { SandboxController } from './sandbox-store';
import type { RequestSender } from './send-request';
import type { StoreRegistry } from './stores';

/** The context keys, one per step that completes on an event (the others complete on their command). */
export const WALKTHROUGH_KEYS = {
  sandboxRunning: 'wooApiStudio.walkthrough.sandboxRunning',
  sent: 'wooApiStudio.walkthrough.sent',
  misconfigured: 'wooApiStudio.walkthrough.misconfigured',
  explained: 'wooApiStudio.walkthrough.explained',
  fixed: 'wooApiStudio.walkthrough.fixed',
  diagnosed: 'wooApiStudio.walkthrough.diagnosed',
  ownStore: 'wooApiStudio.walkthrough.ownStore',
} as const;

export type WalkthroughStep = keyof typeof WALKTHROUGH_KEYS;

export class WalkthroughProgress implements vscode.Disposable {
  /** The steps done in this session (VS Code remembers completed steps itself across sessions). */
  readonly done = new Set<WalkthroughStep>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Requests whose last answer was a 401/403, by document and line: their next 2xx is "fixed". */
  private readonly refused = new Set<string>();

  constructor(sandbox: SandboxController, sender: RequestSender, stores: StoreRegistry, explained: Pick<ExplainDiagnostics, 'onDidShowDoctorReport'>) {
    this.disposables.push(
      sandbox.onDidChange((running) => {
        if (!running) return;
        this.mark('sandboxRunning');
        if (Object.values(sandbox.modes).some((v) => v !== undefined && v !== false && v !== 0)) this.mark('misconfigured');
      }),
      sender.onDidSend(({ uri, line, result }) => {
        const status = result.exchange?.response?.status;
        if (status === undefined) return;
        this.mark('sent');
        const key = `${uri.toString()}#${line}`;
        if (status === 401 || status === 403) {
          // The request line now carries the finding: the cause in plain words, and its fixes.
          this.mark('explained');
          this.refused.add(key);
        } else if (status < 300 && this.refused.delete(key)) {
          this.mark('fixed');
        }
      }),
      // When its report is shown, not when the command starts: a doctor whose store pick was
      // dismissed has not run.
      explained.onDidShowDoctorReport(() => this.mark('diagnosed')),
      stores.onDidChange(() => {
        if (stores.list().some((s) => !stores.isManaged(s.id))) this.mark('ownStore');
      }),
    );
    if (stores.list().some((s) => !stores.isManaged(s.id))) this.mark('ownStore');
  }

  /** Starts over (tests; the walkthrough's own "reset" is VS Code's): no step done in this session. */
  reset(): void {
    for (const step of this.done) void vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[step], false);
    this.done.clear();
    this.refused.clear();
  }

  private mark(step: WalkthroughStep): void {
    if (this.done.has(step)) return;
    this.done.add(step);
    void vscode.commands.executeCommand('setContext', WALKTHROUGH_KEYS[step], true);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
