// WooCommerce API Studio. activate() is the table of contents: each line registers one capability.
import * as vscode from 'vscode';
import { createLog } from './log';
import { SecretVault } from './secrets';
import { StoreRegistry } from './stores';
import { SandboxController, sandboxCommands } from './sandbox-store';

/** What activate() returns: the integration tests (and other extensions) reach the live objects here. */
export interface WooApiStudio {
  stores: StoreRegistry;
  sandbox: SandboxController;
}

export function activate(context: vscode.ExtensionContext): WooApiStudio {
  const log = createLog();
  const vault = new SecretVault(context.secrets);
  const stores = new StoreRegistry(vault);
  const sandbox = new SandboxController(context, stores, vault, log);
  context.subscriptions.push(log, stores, sandbox);

  // The sandbox store: a local WooCommerce that reproduces every real 401 cause.
  const sandboxCmd = sandboxCommands(sandbox);
  register(context, 'wooApiStudio.startSandboxStore', sandboxCmd.start);
  register(context, 'wooApiStudio.stopSandboxStore', sandboxCmd.stop);
  if (vscode.workspace.getConfiguration('wooApiStudio.sandbox').get<boolean>('autoStart', false)) {
    void sandboxCmd.start({ announce: true }).then((r) => r && log.info(`Sandbox store started on activation (wooApiStudio.sandbox.autoStart): ${r.httpsUrl}`));
  }

  return { stores, sandbox };
}

export function deactivate(): void {
  // Subscriptions (the sandbox included) are disposed by VS Code.
}

function register<A extends unknown[], R>(context: vscode.ExtensionContext, id: string, handler: (...args: A) => Promise<R> | R): void {
  context.subscriptions.push(vscode.commands.registerCommand(id, handler));
}
