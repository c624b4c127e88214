// The editor's side of core/outbound.ts: where a `< file` body really is (inside the open
// workspace folders or not), and the question, asked once per (.http file, host), before a request
// sends secret-looking environment values or files from outside the workspace to a host that is
// not one of the user's stores.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listItems, type OutboundItem } from './core/outbound';
import { confirmModal } from './dialogs';

export class OutboundConsent {
  /** What the user agreed to, per `.http file|host`: the item labels. */
  private readonly agreed = new Map<string, Set<string>>();

  /** The real path of a body file (links followed) and whether it is inside a workspace folder. */
  async locate(file: string): Promise<{ path: string; inside: boolean }> {
    const real = await fs.realpath(file);
    const folders = await Promise.all((vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => fs.realpath(f.uri.fsPath).catch(() => f.uri.fsPath)));
    const inside = folders.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
    return { path: real, inside };
  }

  /** Asks (unless already agreed for this file and host) whether the items may go to `host`. */
  async confirm(httpFile: vscode.Uri, question: { host: string; items: OutboundItem[] }): Promise<boolean> {
    const key = `${httpFile.toString()}|${question.host.toLowerCase()}`;
    const known = this.agreed.get(key) ?? new Set<string>();
    const fresh = question.items.filter((i) => !known.has(`${i.kind} ${i.name}`));
    if (fresh.length === 0) return true;
    const yes = await confirmModal({
      message: `Send ${listItems(fresh)} to ${question.host}?`,
      detail: `${vscode.workspace.asRelativePath(httpFile)} sends ${fresh.length === 1 ? 'this' : 'these'} from your machine to ${question.host}, which is not one of your stores. A .http file can read any environment variable, .env entry or file: send them only to a host you trust. You are asked once per file and host.`,
      confirm: `Send to ${question.host}`,
    });
    if (yes) {
      for (const i of fresh) known.add(`${i.kind} ${i.name}`);
      this.agreed.set(key, known);
    }
    return yes;
  }
}
