// The store dialogs, loaded on first use (src/core/lazy.ts): Add Store (a guided flow that checks the
// site before anything is saved), Edit Store and Rotate Keys. StoreCommands (store-commands.ts) keeps
// what runs often (the active store, pick, Test Connection, Remove) and hands these flows its own
// objects: this bundle must not carry its own copy of core/send.ts (the connection pool and Restricted
// Mode's outbound gate live in the main bundle), of the registry or of the token managers.
// Secrets go to SecretStorage only; what the user typed is kept when a step fails.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { checkApplicationPassword, checkKeyPair, checkStoreUrl, discoverStore, explainConnectionTest, storeIdFor, testStoreConnection, type Discovery } from './core/store-input';
import { isLocalHost, isUntrustedCertificate, presentedCertificate, type PresentedCertificate } from './core/tls-certificate';
import { openNewHttpFile } from './starter-files';
import type { send, SendOptions } from './core/send';
import { authLabel, isTokenStore, type AuthMethod, type Store, type StoreSecrets, type TokenPlugin, type TokenSettings } from './core/store';
import type { Log } from './log';
import type { StoreRegistry } from './stores';
import type { StoreTokens } from './tokens';
import type { AddStoreArgs, EditStoreArgs, StoreCommandResult } from './store-commands';
import { trimTrailingSlashes } from './core/url-text';

/** What the dialogs use of StoreCommands: the main bundle's live objects. */
export interface StoreDialogHost {
  readonly stores: StoreRegistry;
  readonly tokens?: StoreTokens;
  readonly log: Log;
  /** The extension's global storage (trusted certificates are kept there). */
  readonly storage: vscode.Uri;
  /** Last connection test per store id. */
  readonly lastTest: Map<string, { ok: boolean; message: string; at: Date }>;
  /** core/send's send, handed over rather than imported (see the top of this file). */
  readonly send: typeof send;
  /** A store was tested: the Stores view and the status bar show it. */
  announceTested(storeId: string): void;
  tlsFor(store: Store): Promise<SendOptions['tls']>;
  test(idOrName?: string | Store): Promise<{ ok: boolean; message: string } | undefined>;
}

export class StoreDialogs {
  constructor(private readonly host: StoreDialogHost) {}

  // ---------------------------------------------------------------------------------------------
  // Add Store

  /** Add Store: `args` skips the questions; the caller has checked that the folder is trusted. */
  async add(args?: AddStoreArgs): Promise<StoreCommandResult> {
    if (args) return this.addWith(args);
    let typed = await this.askAll({});
    for (;;) {
      if (!typed) return { saved: false };
      const answers = typed;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing ${answers.name}…` }, () => this.addWith({ ...(answers as AddStoreArgs), saveOnFailure: false }));
      if (result.saved) {
        void this.announceSaved(answers.name!, result.test?.message ?? '');
        return result;
      }
      // Nothing typed is lost: the user goes back to the one answer at fault, the others kept.
      const fault = result.fault ?? 'address';
      const fix = { address: 'Change Address', credentials: 'Re-enter Credentials', method: 'Change Auth Method' }[fault];
      const choice = await vscode.window.showErrorMessage(`The test request to "${answers.name}" failed: ${result.test?.message ?? result.problem}`, { modal: true, detail: result.test?.detail }, fix, 'Save Anyway', 'Edit All Answers');
      if (choice === 'Save Anyway') return this.addWith({ ...(answers as AddStoreArgs), saveOnFailure: true });
      if (choice === fix) typed = await this.askStep(fault, answers);
      else if (choice === 'Edit All Answers') typed = await this.askAll(answers);
      else return result;
    }
  }

  /** "Store saved": what to do next, as buttons. */
  private async announceSaved(name: string, test: string): Promise<void> {
    const choice = await vscode.window.showInformationMessage(`Store "${name}" saved and tested: ${test} Use "@store = ${name}" in a .http file.`, 'New .http File', 'New Request');
    if (choice === 'New .http File') await openNewHttpFile(name);
    if (choice === 'New Request') await vscode.commands.executeCommand('wooApiStudio.openRunner');
  }

  private async addWith(a: AddStoreArgs): Promise<StoreCommandResult> {
    const url = checkStoreUrl(a.baseUrl);
    if (!url.value) return { saved: false, problem: url.error, fault: 'address' };
    const checked = checkCredentials(a.authMethod, a);
    if (!checked.secrets) return { saved: false, problem: checked.problem, fault: 'credentials' };
    let secrets = checked.secrets;
    // The sandbox is the extension's own store: a store added under its name is a new store of the user's.
    const existing = this.host.stores.list().filter((s) => !this.host.stores.isManaged(s.id));
    const same = existing.find((s) => s.name === a.name);
    let store: Store = {
      id: same?.id ?? storeIdFor(a.name, existing.map((s) => s.id)),
      name: a.name,
      baseUrl: url.value,
      authMethod: a.authMethod,
      username: a.username,
      options: a.options,
      key: secrets.consumerKey ? { truncatedKey: secrets.consumerKey.slice(-7), createdAt: new Date().toISOString().slice(0, 10) } : undefined,
      token: tokenSettingsOf(a),
    };
    let test: { ok: boolean; message: string; detail?: string; fault?: 'address' | 'credentials' | 'method' };
    const signedIn = await this.signInDraft(store, secrets);
    if (signedIn && !signedIn.ok) {
      test = { ok: false, message: signedIn.message, fault: 'credentials' };
    } else {
      if (signedIn) ({ store, secrets } = signedIn);
      test = explainConnectionTest(store, await testStoreConnection(store, secrets, this.host.send, { tls: await this.host.tlsFor(store), timeoutMs: 20_000 }));
    }
    this.host.lastTest.set(store.id, { ...test, at: new Date() });
    if (!test.ok && !a.saveOnFailure) return { saved: false, storeId: store.id, test, fault: test.fault };
    // The user typed this address in this flow: the secrets are bound to it.
    await this.host.stores.save(store, secrets, { addressConfirmed: true });
    this.host.log.info(`Store "${store.name}" saved (${authLabel(store.authMethod)}, ${store.baseUrl}); test: ${test.message}`);
    this.host.announceTested(store.id);
    void this.warnTokenPolicy(store);
    return { saved: true, storeId: store.id, test };
  }

  /** A JWT / OAuth 2.0 store's first token (plugin detected, endpoints discovered); undefined for other stores. */
  private async signInDraft(store: Store, secrets: StoreSecrets): Promise<{ ok: boolean; message: string; store: Store; secrets: StoreSecrets } | undefined> {
    if (!isTokenStore(store)) return undefined;
    if (!this.host.tokens) return { ok: false, message: 'Token stores are not available here.', store, secrets };
    const signed = await this.host.tokens.signIn(store, secrets);
    this.host.log.info(`Sign-in to "${store.name}": ${signed.message}`);
    return signed;
  }

  /** Tokens that live longer than the user's token policy: said once, with the plugin's setting or filter. */
  private async warnTokenPolicy(store: Store): Promise<void> {
    const warnings = this.host.tokens ? await this.host.tokens.policyWarnings(store) : [];
    if (warnings.length) {
      void vscode.window.showWarningMessage(warnings.join(' '), 'Open Token Policy Settings').then((c) => {
        if (c) void vscode.commands.executeCommand('workbench.action.openSettings', 'wooApiStudio.tokens');
      });
    }
  }

  private static readonly TITLE = 'Add WooCommerce Store';

  /** The questions of Add Store, each pre-filled with the previous answer. undefined: cancelled. */
  private async askAll(prev: Partial<AddStoreArgs>): Promise<Partial<AddStoreArgs> | undefined> {
    const located = await this.askAddress(prev);
    if (!located) return undefined;
    const { answers: withUrl, discovery } = located;
    const name = await vscode.window.showInputBox({
      title: `${StoreDialogs.TITLE} (2/4): name`, prompt: 'The name .http files use: @store = name', value: prev.name ?? suggestName(discovery, withUrl.baseUrl!), ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'Give the store a name.' : /\s/.test(v.trim()) ? 'Use a name without spaces (it goes in "@store = name").' : undefined),
    });
    if (name === undefined) return undefined;
    const method = await pickAuthMethod(withUrl.baseUrl!, discovery, prev.authMethod);
    if (!method) return undefined;
    const answers: Partial<AddStoreArgs> = { ...withUrl, name: name.trim(), authMethod: method };
    const creds = await askCredentials(method, answers, `${StoreDialogs.TITLE} (4/4): credentials`);
    return creds ? { ...answers, ...creds } : undefined;
  }

  /** One answer again (the one the failed test points at); the others are kept. */
  private async askStep(fault: 'address' | 'credentials' | 'method', prev: Partial<AddStoreArgs>): Promise<Partial<AddStoreArgs> | undefined> {
    if (fault === 'address') return (await this.askAddress(prev))?.answers;
    let method = prev.authMethod!;
    if (fault === 'method') {
      const picked = await pickAuthMethod(prev.baseUrl!, undefined, prev.authMethod);
      if (!picked) return undefined;
      // Key-based methods share the key pair: only a change to another kind of credentials asks for them.
      if (sameCredentials(picked, method)) return { ...prev, authMethod: picked };
      method = picked;
    }
    const creds = await askCredentials(method, prev, `${StoreDialogs.TITLE}: credentials`);
    return creds ? { ...prev, authMethod: method, ...creds } : undefined;
  }

  /**
   * The address, checked by reading the site's /wp-json/ (WordPress? WooCommerce? its Home URL?). A
   * certificate this machine does not trust (a local store's self-signed one) can be trusted here,
   * pinned for this store, or (local addresses only) not verified.
   */
  private async askAddress(prev: Partial<AddStoreArgs>): Promise<{ answers: Partial<AddStoreArgs>; discovery: Discovery } | undefined> {
    const urlText = await vscode.window.showInputBox({
      title: `${StoreDialogs.TITLE} (1/4): address`, prompt: 'The site\'s address, as WordPress shows it in Settings > General', value: prev.baseUrl ?? 'https://',
      placeHolder: 'https://shop.example.com', ignoreFocusOut: true, validateInput: (v) => checkStoreUrl(v).error,
    });
    if (urlText === undefined) return undefined;
    const url = checkStoreUrl(urlText).value!;
    let options = { ...prev.options };
    for (;;) {
      const current = options;
      const discovery = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${url}/wp-json/…`, cancellable: true }, async (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const ca = current.caCertificateFile ? await fs.readFile(current.caCertificateFile, 'utf8').catch(() => undefined) : undefined;
        return discoverStore(url, this.host.send, { signal: abort.signal, timeoutMs: 20_000, tls: { verify: current.verifyTls !== false, ca } });
      });
      const answers: Partial<AddStoreArgs> = { ...prev, baseUrl: url, options: { ...options, homeUrl: discovery.index?.home && trimTrailingSlashes(discovery.index.home) !== url ? discovery.index.home : undefined } };
      if (isUntrustedCertificate(discovery.exchange?.error?.code)) {
        const trusted = await this.askToTrust(url, options);
        if (trusted === 'change') return this.askAddress({ ...prev, baseUrl: urlText });
        if (!trusted) return undefined;
        options = trusted;
        continue;
      }
      if (discovery.problem) {
        const choice = await vscode.window.showWarningMessage(discovery.problem, { modal: true, detail: discovery.notes.join('\n') }, 'Continue Anyway', 'Change Address');
        if (choice === 'Change Address') return this.askAddress({ ...prev, baseUrl: urlText });
        if (choice !== 'Continue Anyway') return undefined;
      } else if (discovery.notes.length) {
        void vscode.window.showInformationMessage(discovery.notes.join(' '));
      }
      return { answers, discovery };
    }
  }

  /** A certificate this machine does not trust: pin it, skip verification (local only), or change the address. */
  private async askToTrust(url: string, options: NonNullable<Store['options']>): Promise<NonNullable<Store['options']> | 'change' | undefined> {
    const host = new URL(url).host;
    let presented: PresentedCertificate | undefined;
    try {
      presented = await presentedCertificate(url);
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message);
    }
    const local = isLocalHost(new URL(url).hostname);
    const buttons = [...(presented ? ['Trust This Certificate'] : []), ...(local ? ['Turn Off Verification (Local Only)'] : []), 'Change Address'];
    const choice = await vscode.window.showWarningMessage(`${host} presents a TLS certificate this machine does not trust.`, {
      modal: true,
      detail: [
        presented ? `Certificate: ${presented.subject}${presented.selfSigned ? ' (self-signed)' : `, issued by ${presented.issuer}`}, valid until ${presented.validTo}.\nSHA-256 fingerprint: ${presented.fingerprint256}` : undefined,
        'A local store with a self-signed certificate: trust this certificate (compare the fingerprint with the server\'s) and the store is checked against exactly it from now on.',
        local ? 'Or turn verification off for this local store.' : 'Turning verification off is offered for local addresses only: a store on the internet needs a certificate from a trusted authority.',
      ].filter(Boolean).join('\n\n'),
    }, ...buttons);
    if (choice === 'Change Address') return 'change';
    if (choice === 'Turn Off Verification (Local Only)') return { ...options, verifyTls: false, caCertificateFile: undefined };
    if (choice === 'Trust This Certificate' && presented) {
      const dir = vscode.Uri.joinPath(this.host.storage, 'certificates');
      await vscode.workspace.fs.createDirectory(dir);
      const file = vscode.Uri.joinPath(dir, `${host.replace(/[^A-Za-z0-9.-]+/g, '_')}.pem`);
      await vscode.workspace.fs.writeFile(file, Buffer.from(presented.pem));
      this.host.log.info(`Trusted the certificate of ${host} (SHA-256 ${presented.fingerprint256}) for this store: ${file.fsPath}`);
      return { ...options, verifyTls: true, caCertificateFile: file.fsPath };
    }
    return undefined;
  }


  /** Edit Store on the store picked: `answers` skips the questions. */
  async edit(store: Store, answers?: EditStoreArgs): Promise<StoreCommandResult> {
    const what = answers ? { id: answers.what } : await vscode.window.showQuickPick([
      { label: '$(key) Re-enter credentials', id: 'credentials' },
      { label: '$(shield) Change auth method', description: authLabel(store.authMethod), id: 'method' },
      { label: '$(globe) Change address', description: store.baseUrl, id: 'url' },
      { label: `$(lock) ${store.options?.verifyTls === false ? 'Turn TLS verification back on' : 'Turn off TLS verification (local self-signed stores only)'}`, id: 'tls' },
      ...(isTokenStore(store) ? [{ label: '$(sign-in) Sign in again', description: 'new tokens, the same settings', id: 'sign-in' }] : []),
    ], { title: `Edit ${store.name}` });
    if (!what) return { saved: false };
    if (what.id === 'sign-in') {
      const signed = await vscode.commands.executeCommand<{ ok: boolean; message: string } | undefined>('wooApiStudio.signInAgain', store.id);
      return { saved: !!signed?.ok, storeId: store.id, problem: signed?.ok ? undefined : signed?.message };
    }
    const updated: Store = { ...store, options: { ...store.options } };
    let secrets = await this.host.stores.storedSecrets(store.id);
    if (what.id === 'url') {
      const v = answers ? answers.baseUrl : await vscode.window.showInputBox({ title: `Address of ${store.name}`, value: store.baseUrl, validateInput: (x) => checkStoreUrl(x).error });
      if (v === undefined) return { saved: false };
      updated.baseUrl = checkStoreUrl(v).value!;
      // The credentials follow the new address only when the user says so, here, in a modal.
      if (!(await this.host.stores.confirmNewAddress(store, updated))) return { saved: false, problem: 'The new address was not confirmed; nothing was changed.' };
    } else if (what.id === 'tls') {
      updated.options!.verifyTls = store.options?.verifyTls === false ? undefined : false;
    } else {
      let method = store.authMethod;
      if (what.id === 'method') {
        const m = answers ? answers.authMethod : await pickAuthMethod(store.baseUrl, undefined, store.authMethod, `Edit ${store.name}: how to authenticate`);
        if (!m) return { saved: false };
        method = m;
      }
      // Key-based methods share the key pair: switching between them keeps it; anything else asks.
      if (!(what.id === 'method' && sameCredentials(method, store.authMethod) && secrets)) {
        const creds = answers ?? await askCredentials(method, { username: store.username, ...tokenAnswersOf(store) }, `Edit ${store.name}: credentials`);
        if (!creds) return { saved: false };
        const checked = checkCredentials(method, { ...creds, username: creds.username ?? store.username });
        if (checked.problem) { void vscode.window.showErrorMessage(checked.problem); return { saved: false, problem: checked.problem }; }
        updated.username = creds.username ?? store.username;
        secrets = checked.secrets;
        // A token store keeps its endpoints unless new ones were given; its old tokens go.
        if (method === 'jwt' || method === 'oauth2') updated.token = { ...(method === store.authMethod ? store.token : {}), ...tokenSettingsOf(creds), expiresAt: undefined, refreshExpiresAt: undefined };
        if (secrets?.consumerKey) updated.key = { ...store.key, truncatedKey: secrets.consumerKey.slice(-7), rotatedAt: new Date().toISOString().slice(0, 10) };
      }
      updated.authMethod = method;
      // Tested before saving, as Rotate Keys does: the old credentials stay until the new ones work.
      if (vscode.workspace.isTrusted && (await this.host.stores.addressConfirmed(store))) {
        const test = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing ${store.name}…` }, async () => {
          const signed = await this.signInDraft(updated, secrets ?? {});
          if (signed && !signed.ok) return { ok: false, message: signed.message, detail: undefined };
          if (signed) {
            Object.assign(updated, signed.store);
            secrets = signed.secrets;
          }
          return explainConnectionTest(updated, await testStoreConnection(updated, secrets, this.host.send, { tls: await this.host.tlsFor(updated), timeoutMs: 20_000 }));
        });
        this.host.lastTest.set(store.id, { ...test, at: new Date() });
        this.host.announceTested(store.id);
        if (!test.ok) {
          const choice = answers ? (answers.saveOnFailure ? 'Save Anyway' : undefined) : await vscode.window.showErrorMessage(`The new ${what.id === 'method' ? 'auth method' : 'credentials'} of "${store.name}" did not work: ${test.message}`, { modal: true, detail: `${test.detail ?? ''}\n\nNothing was changed: the store keeps what it had.`.trim() }, 'Save Anyway');
          if (choice !== 'Save Anyway') return { saved: false, storeId: store.id, test, problem: 'The new credentials did not work; the old ones are kept.' };
        }
        // The token endpoints the user just typed (and signed in at) may receive the credentials.
        await this.host.stores.save(updated, secrets, { addressConfirmed: isTokenStore(updated) });
        this.host.tokens?.forget(store.id);
        return { saved: true, storeId: store.id, test };
      }
    }
    await this.host.stores.save(updated, secrets, { addressConfirmed: what.id === 'url' });
    const test = await this.host.test(updated.id);
    return { saved: true, storeId: updated.id, test };
  }

  /**
   * Rotate Keys on the store picked (in a trusted folder): opens the store's WooCommerce > Settings >
   * Advanced > REST API page to create the new pair, takes it, tests it and records the date. `keys`
   * skips the questions (tests).
   */
  async rotate(store: Store, keys?: { consumerKey: string; consumerSecret: string }): Promise<StoreCommandResult> {
    // The new pair is tested against the store's address: an address nobody confirmed does not get it.
    if (!(await this.host.stores.addressConfirmed(store))) return { saved: false, problem: `The address of "${store.name}" was not confirmed; the new keys were not sent.` };
    if (store.authMethod !== 'wc-basic' && store.authMethod !== 'wc-query' && store.authMethod !== 'wc-oauth1') {
      void vscode.window.showInformationMessage(`"${store.name}" does not use a consumer key (${authLabel(store.authMethod)}); use Edit Store to change its credentials.`);
      return { saved: false };
    }
    let pair = keys;
    if (!pair) {
      const home = trimTrailingSlashes(store.options?.homeUrl ?? store.baseUrl);
      await vscode.env.openExternal(vscode.Uri.parse(`${home}/wp-admin/admin.php?page=wc-settings&tab=advanced&section=keys&create-key=1`));
      const creds = await askCredentials(store.authMethod, {}, `New key pair for ${store.name} (create it on the page just opened, with Read/Write if you write)`);
      if (!creds) return { saved: false };
      const checked = checkKeyPair(creds.consumerKey ?? '', creds.consumerSecret ?? '');
      if (!checked.value) { void vscode.window.showErrorMessage(checked.error!); return { saved: false, problem: checked.error }; }
      pair = checked.value;
    }
    const updated: Store = { ...store, key: { ...store.key, truncatedKey: pair.consumerKey.slice(-7), rotatedAt: new Date().toISOString().slice(0, 10) } };
    const test = await testStoreConnection(updated, pair, this.host.send, { tls: await this.host.tlsFor(store), timeoutMs: 20_000 });
    this.host.lastTest.set(store.id, { ...test, at: new Date() });
    this.host.announceTested(store.id);
    if (!test.ok) {
      // The old pair stays in place: a failed rotation must not lock the user out.
      void vscode.window.showErrorMessage(`The new key pair of "${store.name}" did not work (${test.message}); the old pair is kept.`);
      return { saved: false, storeId: store.id, test };
    }
    await this.host.stores.save(updated, { ...(await this.host.stores.storedSecrets(store.id)), ...pair });
    this.host.log.info(`Keys of "${store.name}" rotated: now …${pair.consumerKey.slice(-7)}.`);
    void vscode.window.showInformationMessage(`Keys of "${store.name}" rotated and tested (${test.message}) Revoke the old key (…${store.key?.truncatedKey ?? '?'}) in WooCommerce once nothing else uses it.`);
    return { saved: true, storeId: store.id, test };
  }
}

/** The secrets of an auth method from what the user typed, checked; or why they cannot be used. */
function checkCredentials(method: AuthMethod, c: Partial<AddStoreArgs>): { secrets?: StoreSecrets; problem?: string } {
  switch (method) {
    case 'wc-basic':
    case 'wc-query':
    case 'wc-oauth1': {
      const pair = checkKeyPair(c.consumerKey ?? '', c.consumerSecret ?? '');
      return pair.value ? { secrets: pair.value } : { problem: pair.error };
    }
    case 'app-password': {
      const pw = checkApplicationPassword(c.applicationPassword ?? '');
      if (!pw.value) return { problem: pw.error };
      return c.username ? { secrets: { applicationPassword: pw.value } } : { problem: 'An application password needs the WordPress user name.' };
    }
    case 'bearer':
      return c.bearerToken?.trim() ? { secrets: { bearerToken: c.bearerToken.trim() } } : { problem: 'Enter the bearer token.' };
    case 'jwt':
      if (!c.username?.trim()) return { problem: 'A JWT store needs the WordPress user name.' };
      return c.password ? { secrets: { password: c.password } } : { problem: 'A JWT store needs the password or an application password of that user.' };
    case 'oauth2': {
      const grant = c.grant ?? 'authorization_code';
      if (!c.clientId?.trim()) return { problem: 'An OAuth 2.0 store needs the client id (WP OAuth Server: OAuth Server > Clients).' };
      if (grant === 'client_credentials' && !c.clientSecret) return { problem: 'The client-credentials grant needs the client secret.' };
      if (grant === 'password' && (!c.username?.trim() || !c.password)) return { problem: 'The password grant needs the user name and password.' };
      for (const [what, u] of [['token endpoint', c.tokenUrl], ['authorization endpoint', c.authorizeUrl], ['redirect URI', c.redirectUri]] as const) {
        if (u && !URL.canParse(u)) return { problem: `The ${what} "${u}" is not a URL.` };
      }
      const secrets: StoreSecrets = {};
      if (c.clientSecret) secrets.clientSecret = c.clientSecret;
      if (grant === 'password' && c.password) secrets.password = c.password;
      return { secrets };
    }
    default:
      return { secrets: {} };
  }
}

/** The shareable token settings of what the user answered (never a secret). */
function tokenSettingsOf(a: Partial<AddStoreArgs>): TokenSettings | undefined {
  if (a.authMethod !== undefined && a.authMethod !== 'jwt' && a.authMethod !== 'oauth2') return undefined;
  const t: TokenSettings = {};
  const plugin: TokenPlugin | undefined = a.jwtPlugin;
  if (plugin) t.plugin = plugin;
  if (a.clientId) t.clientId = a.clientId.trim();
  if (a.grant) t.grant = a.grant;
  else if (a.clientId) t.grant = 'authorization_code';
  if (a.scope?.trim()) t.scope = a.scope.trim();
  if (a.tokenUrl) t.tokenUrl = a.tokenUrl.trim();
  if (a.authorizeUrl) t.authorizeUrl = a.authorizeUrl.trim();
  if (a.revokeUrl) t.revokeUrl = a.revokeUrl.trim();
  if (a.redirectUri) t.redirectUri = a.redirectUri.trim();
  return t;
}

/** A token store's settings as answers (Edit Store asks again with them filled in). */
function tokenAnswersOf(store: Store): Partial<AddStoreArgs> {
  const t = store.token ?? {};
  return { jwtPlugin: t.plugin === 'tmeister' || t.plugin === 'useful-team' ? t.plugin : undefined, clientId: t.clientId, grant: t.grant, scope: t.scope, redirectUri: t.redirectUri, tokenUrl: t.tokenUrl, authorizeUrl: t.authorizeUrl };
}

function suggestName(discovery: Discovery, url: string): string {
  const fromSite = discovery.index?.name?.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return fromSite || new URL(url).hostname.replace(/^www\./, '').split('.')[0];
}

async function pickAuthMethod(url: string, discovery: Discovery | undefined, current?: AuthMethod, title = 'Add WooCommerce Store (3/4): how to authenticate'): Promise<AuthMethod | undefined> {
  const https = url.startsWith('https:');
  const items: (vscode.QuickPickItem & { method: AuthMethod })[] = [
    { label: 'Consumer key and secret, HTTP Basic', description: https ? 'recommended' : 'HTTPS only', detail: 'WooCommerce > Settings > Advanced > REST API keys, sent in the Authorization header.', method: 'wc-basic' },
    { label: 'Consumer key and secret, OAuth 1.0a signature', description: https ? '' : 'recommended for http://', detail: 'The only way WooCommerce accepts keys over plain HTTP; the secret itself is never sent.', method: 'wc-oauth1' },
    { label: 'Consumer key and secret in the query string', description: 'HTTPS only', detail: 'For servers that strip the Authorization header.', method: 'wc-query' },
    { label: 'WordPress application password', description: discovery?.index?.applicationPasswordsUrl ? 'available on this site' : 'HTTPS only', detail: 'A WordPress user\'s application password (Users > Profile).', method: 'app-password' },
    { label: 'JWT: user name and password', description: discovery?.index?.namespaces?.includes('jwt-auth/v1') ? 'a JWT plugin is active on this site' : '', detail: 'For the "JWT Authentication for WP REST API" or "JWT Auth" plugin: tokens are obtained and renewed for you.', method: 'jwt' },
    { label: 'OAuth 2.0', description: discovery?.index?.namespaces?.some((n) => /oauth/i.test(n)) ? 'an OAuth server is active on this site' : '', detail: 'WP OAuth Server or any OAuth 2.0 server: sign in in the browser, or with the client\'s secret; tokens are renewed for you.', method: 'oauth2' },
    { label: 'Bearer token', detail: 'A token you paste and renew yourself.', method: 'bearer' },
    { label: 'No credentials', detail: 'Public endpoints only.', method: 'none' },
  ];
  const order = https ? items : [items[1], ...items.filter((_, i) => i !== 1)];
  const picked = await vscode.window.showQuickPick(order.map((i) => ({ ...i, picked: i.method === current })), { title, ignoreFocusOut: true });
  return picked?.method;
}

async function askCredentials(method: AuthMethod, prev: Partial<AddStoreArgs>, title: string): Promise<Partial<AddStoreArgs> | undefined> {
  switch (method) {
    case 'wc-basic':
    case 'wc-query':
    case 'wc-oauth1': {
      const consumerKey = await vscode.window.showInputBox({ title, prompt: 'Consumer key (ck_…), from WooCommerce > Settings > Advanced > REST API', value: prev.consumerKey, ignoreFocusOut: true, password: false,
        validateInput: (v) => (/^\s*ck_[0-9a-f]{40}\s*$/.test(v) || /^\s*cs_[0-9a-f]{40}\s*$/.test(v) ? undefined : checkKeyPair(v, 'cs_' + '0'.repeat(40)).error) });
      if (consumerKey === undefined) return undefined;
      const consumerSecret = await vscode.window.showInputBox({ title, prompt: 'Consumer secret (cs_…). It goes to SecretStorage only.', value: prev.consumerSecret, password: true, ignoreFocusOut: true,
        validateInput: (v) => checkKeyPair(consumerKey, v).error });
      if (consumerSecret === undefined) return undefined;
      const note = checkKeyPair(consumerKey, consumerSecret).note;
      if (note) void vscode.window.showInformationMessage(note);
      return { consumerKey, consumerSecret };
    }
    case 'app-password': {
      const username = await vscode.window.showInputBox({ title, prompt: 'WordPress user name (login)', value: prev.username, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter the user name.') });
      if (username === undefined) return undefined;
      const applicationPassword = await vscode.window.showInputBox({ title, prompt: 'Application password (24 characters, spaces allowed). It goes to SecretStorage only.', value: prev.applicationPassword, password: true, ignoreFocusOut: true, validateInput: (v) => checkApplicationPassword(v).error });
      if (applicationPassword === undefined) return undefined;
      return { username: username.trim(), applicationPassword };
    }
    case 'bearer': {
      const bearerToken = await vscode.window.showInputBox({ title, prompt: 'Bearer token. It goes to SecretStorage only.', value: prev.bearerToken, password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter the token.') });
      return bearerToken === undefined ? undefined : { bearerToken };
    }
    case 'jwt': {
      const username = await vscode.window.showInputBox({ title, prompt: 'WordPress user name (login) the tokens are issued to', value: prev.username, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter the user name.') });
      if (username === undefined) return undefined;
      const password = await vscode.window.showInputBox({ title, prompt: 'Its password, or an application password. It goes to SecretStorage only; it signs in again when a token cannot be renewed otherwise.', value: prev.password, password: true, ignoreFocusOut: true, validateInput: (v) => (v ? undefined : 'Enter the password.') });
      if (password === undefined) return undefined;
      const plugin = await vscode.window.showQuickPick([
        { label: 'Find out from the store', detail: 'Reads the store\'s REST index and the token endpoint\'s answer.', id: undefined },
        { label: 'JWT Authentication for WP REST API', description: 'by Enrique Chavez (Tmeister)', detail: 'Tokens last 7 days by default and have no refresh: the extension signs in again.', id: 'tmeister' as const },
        { label: 'JWT Auth', description: 'by Useful Team', detail: 'Short tokens renewed with a refresh cookie.', id: 'useful-team' as const },
      ].map((i) => ({ ...i, picked: i.id === prev.jwtPlugin })), { title: `${title}: which JWT plugin is on the store?`, ignoreFocusOut: true });
      if (!plugin) return undefined;
      return { username: username.trim(), password, jwtPlugin: plugin.id };
    }
    case 'oauth2': {
      const grant = await vscode.window.showQuickPick([
        { label: 'Sign in in the browser', description: 'authorization code with PKCE', detail: 'You approve in the browser and come back to VS Code. Works with clients made in WP OAuth Server\'s free admin form.', id: 'authorization_code' as const },
        { label: 'The client signs in by itself', description: 'client credentials', detail: 'The client id and secret get tokens for the user the client belongs to.', id: 'client_credentials' as const },
        { label: 'User name and password', description: 'password grant', detail: 'Only where the client is allowed this grant.', id: 'password' as const },
      ].map((i) => ({ ...i, picked: i.id === prev.grant })), { title: `${title}: how to get tokens`, ignoreFocusOut: true });
      if (!grant) return undefined;
      const clientId = await vscode.window.showInputBox({ title, prompt: 'Client id (WP OAuth Server: OAuth Server > Clients)', value: prev.clientId, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter the client id.') });
      if (clientId === undefined) return undefined;
      const clientSecret = await vscode.window.showInputBox({ title, prompt: grant.id === 'client_credentials' ? 'Client secret. It goes to SecretStorage only.' : 'Client secret (empty for a public client). It goes to SecretStorage only.', value: prev.clientSecret, password: true, ignoreFocusOut: true, validateInput: (v) => (grant.id === 'client_credentials' && !v ? 'The client-credentials grant needs the secret.' : undefined) });
      if (clientSecret === undefined) return undefined;
      let username: string | undefined;
      let password: string | undefined;
      let redirectUri: string | undefined = prev.redirectUri;
      if (grant.id === 'password') {
        username = await vscode.window.showInputBox({ title, prompt: 'WordPress user name (login)', value: prev.username, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'Enter the user name.') });
        if (username === undefined) return undefined;
        password = await vscode.window.showInputBox({ title, prompt: 'Its password. It goes to SecretStorage only.', password: true, ignoreFocusOut: true, validateInput: (v) => (v ? undefined : 'Enter the password.') });
        if (password === undefined) return undefined;
      }
      if (grant.id === 'authorization_code') {
        const back = await vscode.window.showQuickPick([
          { label: 'Back into VS Code', description: `${vscode.env.uriScheme}://…/oauth`, detail: 'Register this redirect URI on the client (the default).', id: 'vscode' },
          { label: 'A loopback address on this machine', description: 'http://127.0.0.1:PORT/…', detail: 'For a server that accepts only http://127.0.0.1 redirects: VS Code listens there during the sign-in.', id: 'loopback' },
        ], { title: `${title}: where the browser comes back`, ignoreFocusOut: true });
        if (!back) return undefined;
        if (back.id === 'loopback') {
          redirectUri = await vscode.window.showInputBox({ title, prompt: 'The loopback redirect URI registered on the client', value: prev.redirectUri ?? 'http://127.0.0.1:8999/callback', ignoreFocusOut: true,
            validateInput: (v) => (/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\//.test(v.trim()) ? undefined : 'A loopback address with a port and a path, such as http://127.0.0.1:8999/callback.') });
          if (redirectUri === undefined) return undefined;
        } else {
          redirectUri = undefined;
        }
      }
      const scope = await vscode.window.showInputBox({ title, prompt: 'Scopes to ask for, separated by spaces (empty: the server\'s default)', value: prev.scope, ignoreFocusOut: true });
      if (scope === undefined) return undefined;
      // The server's addresses come from its discovery document; a server without one is told them here.
      const url = (v: string) => (v.trim() === '' || URL.canParse(v.trim()) ? undefined : 'An address such as https://shop.example/oauth/token/, or empty.');
      const tokenUrl = await vscode.window.showInputBox({ title, prompt: 'Token endpoint (empty: read from the store\'s /.well-known/openid-configuration/)', value: prev.tokenUrl, ignoreFocusOut: true, validateInput: url });
      if (tokenUrl === undefined) return undefined;
      let authorizeUrl: string | undefined = prev.authorizeUrl;
      if (grant.id === 'authorization_code' && tokenUrl.trim()) {
        authorizeUrl = await vscode.window.showInputBox({ title, prompt: 'Authorization endpoint, the browser\'s sign-in page (empty: read from the discovery document)', value: prev.authorizeUrl, ignoreFocusOut: true, validateInput: url });
        if (authorizeUrl === undefined) return undefined;
      }
      return { grant: grant.id, clientId: clientId.trim(), clientSecret: clientSecret || undefined, username: username?.trim(), password, redirectUri, scope, tokenUrl: tokenUrl.trim() || undefined, authorizeUrl: authorizeUrl?.trim() || undefined };
    }
    default:
      return {};
  }
}

/** Key-based methods share one key pair; switching between them needs no new credentials. */
function sameCredentials(a: AuthMethod, b: AuthMethod): boolean {
  const keyed = (m: AuthMethod) => m === 'wc-basic' || m === 'wc-query' || m === 'wc-oauth1';
  return a === b || (keyed(a) && keyed(b));
}
