// Tokens of JWT and OAuth 2.0 stores in VS Code: one core TokenManager per store (renewal before
// sending, once after an expired-token answer, one renewal shared by concurrent sends), its secrets
// in SecretStorage through the StoreRegistry, the expiry times in the store's settings entry.
// The first sign-in (Add Store, Edit Store, "Sign in again"): the JWT plugin's token endpoint, or
// OAuth 2.0's grant: authorization code + PKCE S256 in the browser, back into VS Code through the
// vscode:// URI handler (`/oauth`, its `state` checked) or a loopback http://127.0.0.1 redirect for
// servers that accept only that; client credentials; password. Remove Store revokes what it can.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as vscode from 'vscode';
import { tokenExpiry } from './core/auth/apply';
import { discoverOAuth, exchangeCode, readAuthorizationResponse, revokeToken, startAuthorization, type TokenTransport } from './core/auth/token-client';
import { detectTokenPlugin, jwtEndpoints } from './core/auth/token-detect';
import { memoryTokenStorage, TokenManager, TokenRenewalError, type TokenRenewal } from './core/auth/token-manager';
import { checkTokenPolicy, DEFAULT_TOKEN_POLICY, timeLeft, type TokenPolicy } from './core/auth/token-policy';
import { claimTimes, decodeJwt } from './core/auth/token-claims';
import { send } from './core/send';
import type { Store, StoreSecrets, TokenSettings } from './core/store';
import type { Log } from './log';
import type { StoreRegistry } from './stores';
import { requireTrust } from './workspace-trust';

/** How long the browser sign-in may take before it is given up. */
const AUTHORIZE_TIMEOUT_MS = 5 * 60_000;

export const isTokenStore = (store: Store | undefined): boolean => store?.authMethod === 'jwt' || store?.authMethod === 'oauth2';

/** The outcome of a sign-in: the store with its token settings filled in, the secrets with the tokens. */
export interface SignedIn {
  ok: boolean;
  store: Store;
  secrets: StoreSecrets;
  /** What happened, in a sentence (the plugin's own error when it failed). */
  message: string;
  renewal?: TokenRenewal;
}

interface PendingAuthorization {
  resolve: (callbackUrl: string) => void;
  expires: number;
}

export class StoreTokens implements vscode.Disposable {
  private readonly managers = new Map<string, { key: string; manager: TokenManager }>();
  private readonly pending = new Map<string, PendingAuthorization>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** A store's token changed (renewed, signed in, revoked): its id. */
  readonly onDidChange = this.changed.event;
  /** Saves one after another: two renewals must not each rewrite the stores setting from a stale copy. */
  private saving: Promise<unknown> = Promise.resolve();
  /** The browser: replaced by tests, which follow the authorize URL themselves and hand the redirect to `receive`. */
  openBrowser: (url: vscode.Uri) => Thenable<boolean> = (url) => vscode.env.openExternal(url);
  /** The last authorize URL opened (tests; it holds no secret: the PKCE verifier never leaves VS Code). */
  lastAuthorizeUrl: string | undefined;

  constructor(private readonly stores: StoreRegistry, private readonly log: Log, private readonly extensionId: string) {}

  /** The redirect URI of the browser sign-in when the store names none: back into this VS Code. */
  defaultRedirectUri(): string {
    return `${vscode.env.uriScheme}://${this.extensionId}/oauth`;
  }

  policy(): TokenPolicy {
    const c = vscode.workspace.getConfiguration('wooApiStudio.tokens');
    const hours = c.get<number>('maxAccessTokenLifetimeHours', DEFAULT_TOKEN_POLICY.maxAccessSeconds / 3600);
    const days = c.get<number>('maxRefreshTokenLifetimeDays', DEFAULT_TOKEN_POLICY.maxRefreshSeconds / 86400);
    return { maxAccessSeconds: Math.round(hours * 3600), maxRefreshSeconds: Math.round(days * 86400) };
  }

  private transport(store: Store): TokenTransport {
    return { send, tls: tlsOf(store), timeoutMs: 20_000 };
  }

  /** The manager of a token store (undefined for other stores), made again when its settings change. */
  managerFor(store: Store): TokenManager | undefined {
    if (!isTokenStore(store)) return undefined;
    const { expiresAt: _e, refreshExpiresAt: _r, ...lasting } = store.token ?? {};
    const key = JSON.stringify([store.baseUrl, store.authMethod, store.username, store.options, lasting]);
    const known = this.managers.get(store.id);
    if (known?.key === key) return known.manager;
    const manager = new TokenManager(store, {
      load: () => this.stores.secretsFor(this.stores.get(store.id) ?? store),
      save: (secrets, settings) => this.save(store.id, secrets, settings),
    }, { send, tls: tlsOf(store), timeoutMs: 20_000 });
    this.managers.set(store.id, { key, manager });
    return manager;
  }

  /** Drops a store's manager (its credentials or tokens were replaced outside it: Edit Store, Remove Store). */
  forget(storeId: string): void {
    this.managers.delete(storeId);
    this.changed.fire(storeId);
  }

  private save(storeId: string, secrets: StoreSecrets, settings: TokenSettings): Promise<void> {
    const next = this.saving.then(async () => {
      const latest = this.stores.get(storeId);
      if (!latest) return;
      await this.stores.save({ ...latest, token: { ...settings } }, secrets);
      this.changed.fire(storeId);
    });
    this.saving = next.catch(() => undefined);
    return next;
  }

  /** Seconds the active token of a store has left (undefined: not a token store, or no token yet). */
  async secondsLeft(store: Store): Promise<number | undefined> {
    if (!isTokenStore(store)) return undefined;
    const secrets = await this.stores.storedSecrets(store.id);
    if (!secrets?.accessToken) return undefined;
    const at = tokenExpiry(store, secrets.accessToken);
    return at ? Math.round((at.getTime() - Date.now()) / 1000) : undefined;
  }

  /** "token: 4 min left", "token expired", "no token yet" — for the Stores view and the status bar. */
  async describe(store: Store): Promise<string | undefined> {
    if (!isTokenStore(store)) return undefined;
    const secrets = await this.stores.storedSecrets(store.id);
    if (!secrets?.accessToken) return 'no token yet';
    const left = await this.secondsLeft(store);
    if (left === undefined) return 'token, expiry unknown';
    return left <= 0 ? 'token expired (renewed on the next request)' : `token: ${timeLeft(left)} left`;
  }

  /** The token policy's warnings for a store's current tokens (lifetimes read from the token's iat/exp and the refresh expiry). */
  async policyWarnings(store: Store): Promise<string[]> {
    if (!isTokenStore(store)) return [];
    const secrets = await this.stores.storedSecrets(store.id);
    const times = claimTimes(secrets?.accessToken ? decodeJwt(secrets.accessToken)?.claims : undefined);
    const accessSeconds = times.expiresAt && times.issuedAt ? Math.round((times.expiresAt.getTime() - times.issuedAt.getTime()) / 1000) : undefined;
    const refreshAt = store.token?.refreshExpiresAt ? Date.parse(store.token.refreshExpiresAt) : NaN;
    const refreshSeconds = Number.isNaN(refreshAt) ? undefined : Math.round((refreshAt - Date.now()) / 1000);
    return checkTokenPolicy({ plugin: store.token?.plugin, accessSeconds, refreshSeconds, storeName: store.name }, this.policy()).map((w) => w.message);
  }

  // -------------------------------------------------------------------------------------------
  // Signing in

  /**
   * Gets the first token for a store (saved or not yet saved): detects the JWT plugin or discovers
   * the OAuth endpoints when the settings do not name them, then signs in. Nothing is saved here.
   */
  async signIn(draft: Store, secrets: StoreSecrets, cancel?: vscode.CancellationToken): Promise<SignedIn> {
    const t = this.transport(draft);
    let store: Store = { ...draft, token: { ...draft.token } };
    const start: StoreSecrets = { ...secrets, accessToken: undefined, refreshToken: undefined, refreshCookie: undefined };
    if (store.authMethod === 'jwt' && !store.token!.plugin) {
      const found = await detectTokenPlugin(t, store);
      if (found.plugin === 'tmeister' || found.plugin === 'useful-team') store.token!.plugin = found.plugin;
      this.log.info(`Token plugin of "${store.name}": ${found.plugin ?? 'not detected'} (${found.evidence.join(' ')})`);
    }
    if (store.authMethod === 'jwt' && store.token!.plugin === 'useful-team') store.token!.device ??= `woo-api-studio-${Math.random().toString(36).slice(2, 10)}`;
    if (store.authMethod === 'oauth2' && (!store.token!.tokenUrl || (store.token!.grant === 'authorization_code' && !store.token!.authorizeUrl))) {
      const found = await discoverOAuth(t, store.baseUrl);
      if (!found.ok) return { ok: false, store, secrets: start, message: `The OAuth 2.0 endpoints of "${store.name}" could not be found: ${found.failure.sentence} Enter the token endpoint by hand (Edit Store).` };
      const e = found.endpoints;
      store.token = { ...store.token, tokenUrl: store.token!.tokenUrl ?? e.tokenUrl, authorizeUrl: store.token!.authorizeUrl ?? e.authorizeUrl, revokeUrl: store.token!.revokeUrl ?? e.revokeUrl, validateUrl: store.token!.validateUrl ?? e.introspectUrl };
      if (!store.token.plugin && e.tokenUrl) store.token.plugin = /\/oauth\/token\/?$/.test(new URL(e.tokenUrl).pathname) ? 'wp-oauth-server' : 'oauth2';
    }
    if (store.authMethod === 'oauth2' && store.token!.grant === 'authorization_code') return this.browserSignIn(store, start, cancel);
    let saved: TokenSettings = { ...store.token };
    const manager = new TokenManager(store, memoryTokenStorage(start, (s) => (saved = s)), { send, tls: tlsOf(store), timeoutMs: 20_000 });
    try {
      const { secrets: got, renewal } = await manager.renew('missing');
      store = { ...manager.current, token: { ...manager.current.token, ...saved } };
      return { ok: renewal.ok, store, secrets: renewal.ok ? got : start, message: renewal.message, renewal };
    } catch (err) {
      return { ok: false, store, secrets: start, message: (err as Error).message };
    }
  }

  /** Authorization code + PKCE: the browser signs in, the code comes back to `receive` (or the loopback listener). */
  private async browserSignIn(store: Store, secrets: StoreSecrets, cancel?: vscode.CancellationToken): Promise<SignedIn> {
    const token = store.token!;
    if (!token.authorizeUrl || !token.tokenUrl || !token.clientId) {
      return { ok: false, store, secrets, message: `The browser sign-in of "${store.name}" needs the authorization endpoint, the token endpoint and a client id.` };
    }
    const redirectUri = token.redirectUri ?? this.defaultRedirectUri();
    const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//i.test(redirectUri) ? await listenLoopback(redirectUri) : undefined;
    try {
      const flow = startAuthorization({ authorizeUrl: token.authorizeUrl, clientId: token.clientId, redirectUri, scope: token.scope });
      const answered = loopback ? loopback.callback : new Promise<string>((resolve) => this.pending.set(flow.state, { resolve, expires: Date.now() + AUTHORIZE_TIMEOUT_MS }));
      this.lastAuthorizeUrl = flow.url;
      this.log.info(`Signing in to "${store.name}" in the browser (${token.authorizeUrl}), back to ${redirectUri}.`);
      await this.openBrowser(vscode.Uri.parse(flow.url, true));
      const callbackUrl = await Promise.race([
        answered,
        new Promise<undefined>((resolve) => {
          const timer = setTimeout(() => resolve(undefined), AUTHORIZE_TIMEOUT_MS);
          cancel?.onCancellationRequested(() => { clearTimeout(timer); resolve(undefined); });
        }),
      ]);
      this.pending.delete(flow.state);
      if (callbackUrl === undefined) return { ok: false, store, secrets, message: `The browser sign-in of "${store.name}" was cancelled or took longer than 5 minutes; nothing was saved.` };
      const back = readAuthorizationResponse(callbackUrl, flow.state);
      if ('error' in back) return { ok: false, store, secrets, message: `The browser sign-in of "${store.name}" did not work: ${back.error}${back.description ? ` (${back.description})` : ''}.` };
      const result = await exchangeCode(this.transport(store), { tokenUrl: token.tokenUrl, clientId: token.clientId, clientSecret: secrets.clientSecret }, { code: back.code, redirectUri, verifier: flow.verifier });
      if (!result.ok) return { ok: false, store, secrets, message: result.failure.sentence };
      const g = result.grant;
      const next: Store = { ...store, token: { ...token, redirectUri: token.redirectUri, expiresAt: g.expiresAt?.toISOString(), refreshExpiresAt: g.refreshExpiresAt?.toISOString() } };
      return { ok: true, store: next, secrets: { ...secrets, accessToken: g.accessToken, refreshToken: g.refreshToken }, message: `Signed in to "${store.name}" in the browser${g.expiresAt ? `; the token expires at ${g.expiresAt.toISOString()}` : ''}.` };
    } finally {
      loopback?.close();
    }
  }

  /** The vscode:// redirect of a browser sign-in: `/oauth?code=…&state=…`. False when it belongs to no sign-in in progress. */
  receive(uri: vscode.Uri): boolean {
    if (uri.path !== '/oauth') return false;
    const state = new URLSearchParams(uri.query).get('state') ?? '';
    const pending = this.pending.get(state);
    if (!pending || pending.expires < Date.now()) {
      void vscode.window.showErrorMessage('This OAuth 2.0 sign-in was not started from this VS Code window, or it is over (5 minutes). Run "WooCommerce: Sign In to Store Again".');
      return false;
    }
    this.pending.delete(state);
    pending.resolve(uri.toString(true));
    return true;
  }

  /** Replaces every token of a saved store with new ones; asks for what is missing (the password). */
  async signInAgain(store: Store, cancel?: vscode.CancellationToken): Promise<SignedIn> {
    let secrets = (await this.stores.secretsFor(store)) ?? {};
    const needsPassword = store.authMethod === 'jwt' || store.token?.grant === 'password';
    if (needsPassword && !secrets.password) {
      const password = await vscode.window.showInputBox({ title: `Sign in to ${store.name}`, prompt: `The password or application password of ${store.username ?? 'the user'}. It goes to SecretStorage only.`, password: true, ignoreFocusOut: true });
      if (password === undefined) return { ok: false, store, secrets, message: 'Sign-in cancelled.' };
      secrets = { ...secrets, password };
    }
    const result = await this.signIn(store, secrets, cancel);
    if (result.ok) {
      this.managers.delete(store.id);
      await this.stores.save(result.store, result.secrets);
      this.changed.fire(store.id);
      this.log.info(`Signed in to "${store.name}" again: ${result.message}`);
    } else {
      this.log.warn(`Sign-in to "${store.name}" failed: ${result.message}`);
    }
    return result;
  }

  /** Renews a saved store's token now (the quick fix "Renew the token now"). */
  async renewNow(store: Store): Promise<TokenRenewal | undefined> {
    const manager = this.managerFor(store);
    if (!manager) return undefined;
    const { renewal } = await manager.renew('rejected');
    this.changed.fire(store.id);
    return renewal;
  }

  /** Gives the store's tokens back where the server supports it (OAuth 2.0 revocation); never throws. */
  async revoke(store: Store): Promise<string | undefined> {
    // Restricted Mode sends nothing: the tokens are then only forgotten.
    if (store.authMethod !== 'oauth2' || !vscode.workspace.isTrusted) return undefined;
    const secrets = await this.stores.storedSecrets(store.id);
    const revokeUrl = store.token?.revokeUrl;
    if (!secrets || !revokeUrl || !store.token?.clientId) return undefined;
    const client = { tokenUrl: store.token.tokenUrl ?? revokeUrl, clientId: store.token.clientId, clientSecret: secrets.clientSecret };
    const done: string[] = [];
    try {
      for (const [value, hint] of [[secrets.refreshToken, 'refresh_token'], [secrets.accessToken, 'access_token']] as const) {
        if (!value) continue;
        const r = await revokeToken(this.transport(store), { revokeUrl, token: value, hint, client });
        done.push(`${hint === 'refresh_token' ? 'refresh' : 'access'} token ${r.ok ? 'revoked' : `not revoked (${r.failure?.sentence ?? 'refused'})`}`);
      }
    } catch (err) {
      done.push(`revocation failed: ${(err as Error).message}`);
    }
    this.managers.delete(store.id);
    const text = done.join(', ');
    if (text) this.log.info(`Tokens of "${store.name}": ${text}.`);
    return text || undefined;
  }

  /** Whether a request's failure was a renewal that could not happen (the message offers "Sign in again"). */
  static isRenewalFailure(err: unknown): err is TokenRenewalError {
    return err instanceof TokenRenewalError;
  }

  dispose(): void {
    this.changed.dispose();
    for (const p of this.pending.values()) p.resolve('');
    this.pending.clear();
  }
}

/** The JWT plugin's endpoints for a store, for messages and Edit Store. */
export { jwtEndpoints };

function tlsOf(store: Store): { verify: boolean; ca?: string } {
  let ca: string | undefined;
  try {
    ca = store.options?.caCertificateFile ? fs.readFileSync(store.options.caCertificateFile, 'utf8') : undefined;
  } catch {
    ca = undefined;
  }
  return { verify: store.options?.verifyTls !== false, ca };
}

/** A one-shot listener on the loopback redirect URI's port (0: any): resolves with the URL the browser came back to. */
async function listenLoopback(redirectUri: string): Promise<{ callback: Promise<string>; close: () => void }> {
  const target = new URL(redirectUri);
  let resolve!: (url: string) => void;
  const callback = new Promise<string>((r) => (resolve = r));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (url.pathname !== target.pathname) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('<!doctype html><meta charset="utf-8"><title>Signed in</title><p>You can close this tab and go back to VS Code.</p>');
    resolve(url.toString());
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(Number(target.port || 80), target.hostname.replace(/^\[|\]$/g, ''), () => ok());
  });
  return { callback, close: () => server.close() };
}

/** "WooCommerce: Sign In to Store Again": new tokens for a JWT / OAuth 2.0 store, with progress and Cancel. */
export function signInAgainCommand(tokens: StoreTokens, pickStore: (idOrName: string | undefined) => Promise<Store | undefined>) {
  return async (storeIdOrName?: string): Promise<{ ok: boolean; message: string } | undefined> => {
    if (!(await requireTrust('sign in to stores'))) return undefined;
    const store = await pickStore(storeIdOrName);
    if (!store) return undefined;
    if (!isTokenStore(store)) {
      void vscode.window.showInformationMessage(`"${store.name}" does not use tokens (its auth is ${store.authMethod}); use Edit Store to change its credentials.`);
      return { ok: false, message: 'not a token store' };
    }
    let result: SignedIn;
    try {
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Signing in to ${store.name}…`, cancellable: true }, (_p, cancel) => tokens.signInAgain(store, cancel));
    } catch (err) {
      result = { ok: false, store, secrets: {}, message: (err as Error).message };
    }
    if (result.ok) void vscode.window.showInformationMessage(result.message);
    else void vscode.window.showErrorMessage(result.message);
    return { ok: result.ok, message: result.message };
  };
}

/** The one URI handler of the extension: `/app-password` for WordPress's approval, `/oauth` for the browser sign-in. */
export function routeUris(...handlers: { receive(uri: vscode.Uri): boolean | Promise<boolean> }[]): vscode.UriHandler {
  return {
    async handleUri(uri: vscode.Uri): Promise<void> {
      for (const h of handlers) if (await h.receive(uri)) return;
    },
  };
}
