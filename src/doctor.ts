// "WooCommerce: Diagnose Store Authentication": the auth doctor's safe probes against a store, with
// progress and Cancel, and a report that names the cause with its proof. The store's REST index
// (only the fields the doctor reads) is kept per store between runs, like the runner's route index.
// The key pair is never put in a URL for a store that does not send it that way, unless the user
// agrees in a modal that says the secret will be in the server's logs.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type * as ProbesModule from './core/explain/probes';
import type { CachedStoreIndex, DoctorReport } from './core/explain/probes';
import { lazily } from './core/lazy';
import { preferredFix } from './core/explain/preferred-fix';
import { send } from './core/send';
import { entryFromExchange } from './core/request-log';
import type { Store } from './core/store';
import type { RequestLog } from './request-log';
import type { ExplainDiagnostics } from './explain-diagnostics';
import type { Log } from './log';
import type { StoreCommands } from './store-commands';
import type { StoreRegistry } from './stores';
import type { StoreSecrets } from './core/store';
import { requireTrust } from './workspace-trust';
import type { StoreTokens } from './tokens';

/** The doctor's probes, read when it first runs (see core/lazy.ts). */
const probes = lazily(() => require('./core/explain/probes') as typeof ProbesModule);

const INDEX_KEY = 'wooApiStudio.doctor.storeIndex';
/** A cached index older than this is read again. */
const INDEX_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The doctor's index cache for one store, in the extension's global state; keyed by store id and URL. */
function indexCacheFor(state: vscode.Memento | undefined, store: Store) {
  const key = `${store.id} ${store.baseUrl}`;
  return {
    get(): CachedStoreIndex | undefined {
      const entry = state?.get<Record<string, CachedStoreIndex>>(INDEX_KEY)?.[key];
      return entry && Date.now() - Date.parse(entry.readAt) < INDEX_MAX_AGE_MS ? entry : undefined;
    },
    set(entry: CachedStoreIndex): void {
      void state?.update(INDEX_KEY, { ...(state.get<Record<string, CachedStoreIndex>>(INDEX_KEY) ?? {}), [key]: entry });
    },
  };
}

/** The doctor's last result notification: its sentence and buttons (the tests read it). */
export let lastDoctorNotice: { message: string; buttons: string[] } | undefined;

/** Asks before the key pair goes into a URL, saying where the secret ends up. */
export async function consentToQuerySecret(store: Store, purpose: string): Promise<boolean> {
  const yes = 'Put the secret in the URL';
  const choice = await vscode.window.showWarningMessage(
    `${purpose} sends the consumer key and secret of "${store.name}" in the query string. The server (and any proxy or CDN in front of it) writes every URL into its access logs, so the consumer secret will be in those logs. Basic auth and OAuth 1.0a keep it out.`,
    { modal: true },
    yes,
  );
  return choice === yes;
}

export function diagnoseStoreCommand(stores: StoreRegistry, storeCommands: StoreCommands, view: ExplainDiagnostics, log: Log, requestLog?: RequestLog, state?: vscode.Memento, tokens?: StoreTokens) {
  return async (idOrName?: string, options?: { quiet?: boolean; allowQuerySecret?: boolean }): Promise<DoctorReport | undefined> => {
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
    const run = (allowQuerySecret: boolean) => vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Diagnosing ${store.name}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return probes().diagnoseStore(store, secrets, {
          // Probes are the extension's traffic too: each goes into the request log.
          send: async (req, opts) => {
            const ex = await send(req, opts);
            requestLog?.record(entryFromExchange(ex, { store: store.name, source: 'doctor' }));
            return ex;
          },
          tls: { verify: store.options?.verifyTls !== false, ca },
          signal: abort.signal,
          onProbe: (p) => progress.report({ message: `${p.title}: ${p.result}` }),
          allowQuerySecret,
          indexCache: indexCacheFor(state, store),
          // Token stores: lifetimes checked against the user's token policy (wooApiStudio.tokens.*).
          policy: tokens?.policy(),
        });
      },
    );
    let report = await run(options?.allowQuerySecret === true);
    // The one probe left out would settle it: ask, saying where the secret ends up.
    if (report.querySecretWouldHelp && !options?.quiet && (await consentToQuerySecret(store, 'Probing once more'))) report = await run(true);
    log.info(`Doctor for ${store.name}: ${report.summary}`);
    await view.showDoctorReport(report);
    if (!options?.quiet) {
      // The verdict in a sentence, and its suggested fix as a button that applies it.
      const at = preferredFix(report.findings);
      const preferred = at ? report.findings[at.finding].fixes[at.fix] : undefined;
      const show = report.healthy ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
      const message = `${store.name}: ${report.summary}`;
      lastDoctorNotice = { message, buttons: preferred ? [preferred.title] : [] };
      void show(message, ...(preferred ? [preferred.title] : [])).then((choice) => {
        if (preferred && choice === preferred.title) void view.applyDoctorFix(report, preferred);
      });
      if (preferred) log.info(`Suggested fix: ${preferred.title}`);
    }
    return report;
  };
}
