// "WooCommerce: Diagnose Store Authentication": the auth doctor's safe probes against a store, with
// progress and Cancel, and a report that names the cause with its proof.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { diagnoseStore, type DoctorReport } from './core/explain/probes';
import { doctorMarkdown } from './core/explain/report';
import { send } from './core/send';
import { entryFromExchange } from './core/request-log';
import type { RequestLog } from './request-log';
import type { ExplainDiagnostics } from './explain-diagnostics';
import type { Log } from './log';
import type { StoreCommands } from './store-commands';
import type { StoreRegistry } from './stores';
import type { StoreSecrets } from './core/store';
import { requireTrust } from './workspace-trust';

export function diagnoseStoreCommand(stores: StoreRegistry, storeCommands: StoreCommands, view: ExplainDiagnostics, log: Log, requestLog?: RequestLog) {
  return async (idOrName?: string, options?: { quiet?: boolean }): Promise<DoctorReport | undefined> => {
    const store = await storeCommands.pick(idOrName, 'Diagnose the authentication of which store?');
    if (!store || !(await requireTrust('diagnose stores'))) return undefined;
    let secrets: StoreSecrets;
    try {
      secrets = (await stores.secretsFor(store)) ?? {};
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message);
      return undefined;
    }
    const ca = store.options?.caCertificateFile ? await fs.readFile(store.options.caCertificateFile, 'utf8').catch(() => undefined) : undefined;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Diagnosing ${store.name}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return diagnoseStore(store, secrets, {
          // Probes are the extension's traffic too: each goes into the request log.
          send: async (req, opts) => {
            const ex = await send(req, opts);
            requestLog?.record(entryFromExchange(ex, { store: store.name, source: 'doctor' }));
            return ex;
          },
          tls: { verify: store.options?.verifyTls !== false, ca },
          signal: abort.signal,
          onProbe: (p) => progress.report({ message: `${p.title}: ${p.result}` }),
        });
      },
    );
    log.info(`Doctor for ${store.name}: ${report.summary}`);
    await view.showReport(`Doctor ${store.name}`, doctorMarkdown(report));
    if (!options?.quiet) {
      const preferred = report.findings[0]?.fixes.find((f) => f.preferred);
      const show = report.healthy ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
      void show(`${store.name}: ${report.summary}`);
      if (preferred) log.info(`Suggested fix: ${preferred.title}`);
    }
    return report;
  };
}
