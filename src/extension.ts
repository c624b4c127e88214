// WooCommerce API Studio. activate() is the table of contents: each line registers one capability.
import * as vscode from 'vscode';
import { createLog } from './log';
import { SecretVault } from './secrets';
import { StoreRegistry } from './stores';
import { SandboxController, sandboxCommands } from './sandbox-store';
import { HttpDocuments } from './http-documents';
import { ExchangeView } from './exchange-view';
import { Environments, selectEnvironmentCommand } from './environments';
import { RequestSender } from './send-request';
import { registerCodeLenses } from './codelens';
import { registerHttpLanguageFeatures } from './http-language';
import { registerLinter } from './http-lint';
import { closeConnections } from './core/send';
import { StoreCommands } from './store-commands';
import { registerStoresView } from './stores-view';
import { AppPasswordConnector, connectAppPasswordCommand } from './app-password-connect';
import { PlaintextSecrets } from './plaintext-secrets';
import { ExplainDiagnostics } from './explain-diagnostics';
import { ReportPanels } from './report-panel';
import { FixApplier } from './fixes';
import { diagnoseStoreCommand, lastDoctorNotice } from './doctor';
import { RequestLog } from './request-log';
import { AccessLogReports } from './access-log-report';
import { AccessLogWatcher, readRulesSetting } from './access-log-watch';
import { RunnerPanels } from './runner-panel';
import { answerModalsForTests } from './dialogs';
import { guardOutboundTraffic } from './workspace-trust';
import { openSampleRequests } from './starter-files';
import { WalkthroughProgress } from './walkthrough';
import { TestMarks } from './test-marks';
import { TestingView } from './testing-view';
import { BodySchemas } from './body-schema';
import { Importer } from './import-commands';
import { routeUris, signInAgainCommand, StoreTokens } from './tokens';

/** What activate() returns: the integration tests (and other extensions) reach the live objects here. */
export interface WooApiStudio {
  stores: StoreRegistry;
  storeCommands: StoreCommands;
  appPasswords: AppPasswordConnector;
  /** JWT and OAuth 2.0 stores: token managers, the browser sign-in, time left. */
  tokens: StoreTokens;
  /** The active-store status bar item's text. */
  statusText: () => string | undefined;
  sandbox: SandboxController;
  sender: RequestSender;
  environments: Environments;
  requestLog: RequestLog;
  /** Watch Access Log: its status bar text, the notifications it showed, its open alerts. */
  accessLogWatch: AccessLogWatcher;
  runner: RunnerPanels;
  /** Assertion results on their lines, and the Testing view's controller. */
  testMarks: TestMarks;
  testing: TestingView;
  /** JSON bodies checked against the store's own route schema. */
  bodySchemas: BodySchemas;
  /** Tests: answer the modal questions that guard credentials (VS Code's test driver refuses modals). */
  answerModals: typeof answerModalsForTests;
  walkthrough: WalkthroughProgress;
  /** The repairs: what the last store-changing fix said (its Undo / Put It Back). */
  fixes: FixApplier;
  /** The rendered Explain and Doctor reports, by title; the doctor's last result notification. */
  reports: ReportPanels;
  doctorNotice: () => { message: string; buttons: string[] } | undefined;
}

export function activate(context: vscode.ExtensionContext): WooApiStudio | undefined {
  // The shared pieces: the log, the stores and their secrets, parsed documents, environments.
  const log = createLog();
  // In Restricted Mode nothing leaves the machine, whichever command asks (see workspace-trust.ts).
  context.subscriptions.push(guardOutboundTraffic());
  const vault = new SecretVault(context.secrets);
  const stores = new StoreRegistry(vault, log, userOnlySettings(context));
  const documents = new HttpDocuments();
  const environments = new Environments(context.workspaceState);
  const view = new ExchangeView();
  // JWT and OAuth 2.0 stores: every send path takes its token from the store's token manager.
  const tokens = new StoreTokens(stores, log, context.extension.id);
  const sender = new RequestSender(documents, stores, environments, view, log, tokens);
  const storeCommands = new StoreCommands(stores, context.globalState, log, context.globalStorageUri, tokens);
  const fixes = new FixApplier(stores, storeCommands, sender, tokens);
  const reports = new ReportPanels(context.extensionUri);
  context.subscriptions.push(reports);
  const explained = new ExplainDiagnostics(documents, sender, stores, fixes, reports);
  const sandbox = new SandboxController(context, stores, vault, log);
  context.subscriptions.push(log, stores, tokens, documents, environments, view, sender, storeCommands, explained, sandbox, { dispose: () => void closeConnections() });
  // Stores come from the user's settings only: a folder that tries to define them is told it cannot.
  void stores.checkFolderSettings();

  // .http / .rest files: send a request (code lenses, Ctrl+Alt+R), see the exchange; completion,
  // outline, hovers; problems while typing; secrets written in files moved to SecretStorage.
  context.subscriptions.push(registerCodeLenses(documents, sender, explained));
  context.subscriptions.push(registerHttpLanguageFeatures(documents, stores, environments, sender));
  context.subscriptions.push(registerLinter(documents, stores, environments));
  register(context, 'wooApiStudio.sendRequest', (uri?: vscode.Uri, line?: number, store?: string) => sender.send(uri, line, store));
  register(context, 'wooApiStudio.sendRequestWithStore', (uri?: vscode.Uri, line?: number, store?: string) => sender.sendWithStore(uri, line, store));
  register(context, 'wooApiStudio.selectEnvironment', selectEnvironmentCommand(environments));
  const plaintext = new PlaintextSecrets(documents, stores);
  context.subscriptions.push(plaintext);
  register(context, 'wooApiStudio.moveSecretsToSecretStorage', (uri: vscode.Uri, line?: number, store?: string) => plaintext.move(uri, line, store));

  // JSON bodies checked against the store's own schema (OPTIONS on the route), as you type.
  const bodySchemas = new BodySchemas(context, documents, stores, sender);
  context.subscriptions.push(bodySchemas);
  register(context, 'wooApiStudio.refreshStoreSchema', (store?: string) => bodySchemas.refresh(store));

  // Imports into .http files on a store: Postman, OpenAPI, HAR, the store's own routes.
  const importer = new Importer(stores, log);
  register(context, 'wooApiStudio.importPostman', (file?: vscode.Uri, store?: string, dir?: vscode.Uri) => importer.importFile('postman', file, store, dir));
  register(context, 'wooApiStudio.importOpenApi', (file?: vscode.Uri, store?: string, dir?: vscode.Uri) => importer.importFile('openapi', file, store, dir));
  register(context, 'wooApiStudio.importHar', (file?: vscode.Uri, store?: string, dir?: vscode.Uri) => importer.importFile('har', file, store, dir));
  register(context, 'wooApiStudio.importStoreRoutes', (store?: string, dir?: vscode.Uri) => importer.importStore(store, dir));

  // Requests that check themselves: ?? assertions and handlers marked on their lines, the Testing view.
  const testMarks = new TestMarks(sender, context.extensionUri);
  const testing = new TestingView(sender);
  context.subscriptions.push(testMarks, testing);

  // Monitoring: the extension's own traffic, logged without secrets, shown with 401/403 highlighted.
  const requestLog = new RequestLog(context, sender, explained, log);
  context.subscriptions.push(requestLog);
  register(context, 'wooApiStudio.showRequestLog', () => requestLog.show());
  const accessLogs = new AccessLogReports(context, log, () => readRulesSetting(log));
  context.subscriptions.push(accessLogs);
  register(context, 'wooApiStudio.analyzeAccessLog', (file?: vscode.Uri, options?: { quiet?: boolean }) => accessLogs.analyze(file, options));
  register(context, 'wooApiStudio.exportAccessLogReport', (target?: vscode.Uri) => accessLogs.exportMarkdown(target));
  // Watching: a log file or a command's output followed live, and the extension's own traffic, with the same detectors.
  const accessLogWatch = new AccessLogWatcher(context, accessLogs, requestLog, log);
  context.subscriptions.push(accessLogWatch);
  register(context, 'wooApiStudio.watchAccessLog', (target?: vscode.Uri | { command: string }) => accessLogWatch.watch(target));
  register(context, 'wooApiStudio.stopWatchingAccessLog', () => accessLogWatch.stop());
  register(context, 'wooApiStudio.showAccessLogAlerts', () => accessLogWatch.showAlerts());

  // The runner panel: build a request in a form, send it, read the response, page, fix a 401, keep it.
  const runner = new RunnerPanels({ context, stores, storeCommands, sender, fixes, requestLog, documents, environments, log, bodySchemas, tokens });
  context.subscriptions.push(runner);
  register(context, 'wooApiStudio.openRunner', () => runner.open());
  register(context, 'wooApiStudio.openInRunner', (uri?: vscode.Uri, line?: number) => runner.openFromHttp(uri, line));
  register(context, 'wooApiStudio.importCurl', (command?: string) => runner.importCurl(command));

  // 401s explained: diagnostics with the real cause, quick fixes that repair, the auth doctor.
  register(context, 'wooApiStudio.explainLastResponse', (uri?: string, line?: number) => explained.showExplanation(uri, line));
  register(context, 'wooApiStudio.applyFix', (uri: string, line: number, which: Parameters<ExplainDiagnostics['applyFix']>[2]) => explained.applyFix(uri, line, which));
  register(context, 'wooApiStudio.undoStoreRepair', () => fixes.undo());
  register(context, 'wooApiStudio.diagnoseStore', diagnoseStoreCommand(stores, storeCommands, explained, log, requestLog, context.globalState, tokens));

  // Stores: registered with their secrets in SecretStorage, tested, rotated, shown in the Stores view.
  const storesView = registerStoresView(stores, storeCommands, tokens);
  context.subscriptions.push(storesView);
  register(context, 'wooApiStudio.addStore', (args?: Parameters<StoreCommands['add']>[0]) => storeCommands.add(args));
  register(context, 'wooApiStudio.editStore', (store?: string, answers?: Parameters<StoreCommands['edit']>[1]) => storeCommands.edit(store, answers));
  register(context, 'wooApiStudio.removeStore', (store?: string, confirmed?: boolean) => storeCommands.remove(store, confirmed === true));
  register(context, 'wooApiStudio.testConnection', (store?: string) => storeCommands.test(store));
  register(context, 'wooApiStudio.selectActiveStore', (store?: string) => storeCommands.select(store));
  register(context, 'wooApiStudio.copyStoreConfig', (store?: string) => storeCommands.copyConfig(store));
  register(context, 'wooApiStudio.rotateKeys', (store?: string, keys?: { consumerKey: string; consumerSecret: string }) => storeCommands.rotate(store, keys));
  storeCommands.remindKeysDue();

  // Application passwords without copy and paste, and the OAuth 2.0 browser sign-in: both come back through a URI.
  const appPasswords = new AppPasswordConnector(stores, context.extension.id, log);
  context.subscriptions.push(appPasswords, vscode.window.registerUriHandler(routeUris(appPasswords, tokens)));
  register(context, 'wooApiStudio.signInAgain', signInAgainCommand(tokens, (id) => storeCommands.pick(id, 'Sign in to which store again?')));
  register(context, 'wooApiStudio.connectAppPassword', connectAppPasswordCommand(appPasswords, (id) => storeCommands.pick(id, 'Connect which store with an application password?')));

  // The sandbox store: a local WooCommerce that reproduces every real 401 cause.
  const sandboxCmd = sandboxCommands(sandbox);
  register(context, 'wooApiStudio.startSandboxStore', sandboxCmd.start);
  register(context, 'wooApiStudio.startSandboxStoreWithTokens', sandboxCmd.startWithTokens);
  register(context, 'wooApiStudio.stopSandboxStore', sandboxCmd.stop);
  // From the Stores view the argument is the sandbox's tree item (a store), not modes.
  register(context, 'wooApiStudio.reproduceMisconfiguration', (modes?: Parameters<typeof sandboxCmd.reproduce>[0] | { baseUrl: string }) => sandboxCmd.reproduce(modes && !('baseUrl' in modes) ? modes : undefined));
  register(context, 'wooApiStudio.openSampleRequests', () => openSampleRequests(sandbox.storeName ?? 'sandbox'));
  void sandbox.removeLegacyEntry();
  // autoStart is the user's to set (a folder's value is ignored), and a folder in Restricted Mode
  // starts nothing until it is trusted.
  const autoStart = () => {
    if (vscode.workspace.getConfiguration('wooApiStudio.sandbox').inspect<boolean>('autoStart')?.globalValue !== true || !vscode.workspace.isTrusted || sandbox.current) return;
    void sandboxCmd.start({ announce: true }).then((r) => r && log.info(`Sandbox store started on activation (wooApiStudio.sandbox.autoStart): ${r.httpsUrl}`));
  };
  autoStart();
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(autoStart));

  // The Welcome page's walkthrough: each step checked off when the real thing happens.
  const walkthrough = new WalkthroughProgress(sandbox, sender, stores, explained);
  context.subscriptions.push(walkthrough);

  const api: WooApiStudio = { stores, storeCommands, appPasswords, tokens, statusText: () => storesView.statusText(), sandbox, sender, environments, requestLog, accessLogWatch, runner, testMarks, testing, bodySchemas, answerModals: answerModalsForTests, walkthrough, fixes, reports, doctorNotice: () => lastDoctorNotice };
  // The live objects reach secrets: other extensions do not get them, only tests and development.
  return context.extensionMode === vscode.ExtensionMode.Production ? undefined : api;
}

/** The extension's settings that only the user's settings may set (application scope in package.json). */
function userOnlySettings(context: vscode.ExtensionContext): string[] {
  const properties = (context.extension.packageJSON as { contributes?: { configuration?: { properties?: Record<string, { scope?: string }> } } }).contributes?.configuration?.properties ?? {};
  return Object.entries(properties).filter(([, p]) => p.scope === 'application').map(([key]) => key);
}

export function deactivate(): void {
  // Subscriptions (the sandbox included) are disposed by VS Code.
}

function register<A extends unknown[], R>(context: vscode.ExtensionContext, id: string, handler: (...args: A) => Promise<R> | R): void {
  context.subscriptions.push(vscode.commands.registerCommand(id, handler));
}
