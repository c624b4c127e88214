// Restricted Mode (VS Code's Workspace Trust): a folder the user has not trusted can be read,
// parsed and linted, but it cannot make the extension send anything. Its .http files, .env files
// and settings are someone else's words until the user says otherwise; sending them would let a
// cloned repository decide where requests, and the credentials they carry, go.
//
// Each command that sends asks `requireTrust()` first (a message with the way out); underneath,
// `core/send.ts`'s outbound gate refuses every request while the folder is untrusted, so a path
// that forgot to ask still sends nothing.
import * as vscode from 'vscode';
import { setOutboundGate } from './core/send';

export const RESTRICTED_MODE_SENTENCE =
  'Nothing is sent in Restricted Mode: this folder is not trusted, so its .http files, .env files and settings cannot make WooCommerce API Studio send requests or your stores\' credentials. Trust the folder (Manage Workspace Trust) to send.';

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** True when sending is allowed; otherwise says why, with a button to manage trust, and returns false. */
export async function requireTrust(what = 'send requests'): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`WooCommerce API Studio does not ${what} in Restricted Mode: this folder is not trusted.`, { detail: RESTRICTED_MODE_SENTENCE }, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

/** Installs the outbound gate; the returned disposable removes it. */
export function guardOutboundTraffic(): vscode.Disposable {
  setOutboundGate(() => (vscode.workspace.isTrusted ? undefined : RESTRICTED_MODE_SENTENCE));
  return { dispose: () => setOutboundGate(undefined) };
}
