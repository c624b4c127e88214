// The extension's output channel. Everything written here goes through redaction first: a secret
// that reaches a log line by mistake is masked rather than kept.
import * as vscode from 'vscode';
import { redactText } from './core/redact';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLog(): Log & vscode.Disposable {
  const channel = vscode.window.createOutputChannel('WooCommerce API Studio', { log: true });
  return {
    info: (m) => channel.info(redactText(m)),
    warn: (m) => channel.warn(redactText(m)),
    error: (m) => channel.error(redactText(m)),
    dispose: () => channel.dispose(),
  };
}
