// Tokens of JWT and OAuth 2.0 stores in VS Code: one core TokenManager per store (renewal before
// sending, once after an expired-token answer, one renewal shared by concurrent sends), its secrets
// in SecretStorage through the StoreRegistry, the expiry times in the store's settings entry.
// The first sign-in (Add Store, Edit Store, "Sign in again"), revocation and the token policy's
// warnings run rarely: they live in token-sign-in.ts, a bundle of its own loaded on first use
// (src/core/lazy.ts). What comes back from the browser (the vscode:// redirect) arrives here.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { tokenExpiry } from './core/auth/apply';
import type { TokenTransport } from './core/auth/token-client';
import { jwtEndpoints } from './core/auth/token-detect';
import { TokenManager, TokenRenewalError, type TokenRenewal } from './core/auth/token-manager';
import { DEFAULT_TOKEN_POLICY, timeLeft, type TokenPolicy } from './core/auth/token-policy';
import { lazily } from './core/lazy';
import { send } from './core/send';
import { isTokenStore, type Store, type StoreSecrets, type TokenSettings } from './core/store';
import type { Log } from './log';
import type { StoreRegistry } from './stores';
import type * as TokenSignInModule from './token-sign-in';
import { requireTrust } from './workspace-trust';

const tokenSignIn = lazily(() => require('./token-sign-in') as typeof TokenSignInModule, 'the token sign-in');

export { isTokenStore };

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

export class StoreTokens implements vscode.Disposable, TokenSignInModule.TokenSignInHost {
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

  constructor(readonly stores: StoreRegistry, readonly log: Log, private readonly extensionId: string) {}

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

  transport(store: Store): TokenTransport {
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

  // -------------------------------------------------------------------------------------------
  // Signing in, revoking, the token policy: token-sign-in.ts, loaded on first use.

  private signInFlows(): TokenSignInModule.TokenSignIn {
    return new (tokenSignIn().TokenSignIn)(this);
  }

  /** The token policy's warnings for a store's current tokens (lifetimes read from the token's iat/exp and the refresh expiry). */
  policyWarnings(store: Store): Promise<string[]> {
    return isTokenStore(store) ? this.signInFlows().policyWarnings(store) : Promise.resolve([]);
  }

  /**
   * Gets the first token for a store (saved or not yet saved): detects the JWT plugin or discovers
   * the OAuth endpoints when the settings do not name them, then signs in. Nothing is saved here.
   */
  async signIn(draft: Store, secrets: StoreSecrets, cancel?: vscode.CancellationToken): Promise<SignedIn> {
    try {
      return await this.signInFlows().signIn(draft, secrets, cancel);
    } catch (err) {
      return { ok: false, store: draft, secrets, message: (err as Error).message };
    }
  }

  /** Replaces every token of a saved store with new ones; asks for what is missing (the password). */
  signInAgain(store: Store, cancel?: vscode.CancellationToken): Promise<SignedIn> {
    return this.signInFlows().signInAgain(store, cancel);
  }

  /** Gives the store's tokens back where the server supports it (OAuth 2.0 revocation); never throws. */
  async revoke(store: Store): Promise<string | undefined> {
    // Restricted Mode sends nothing: the tokens are then only forgotten.
    if (store.authMethod !== 'oauth2' || !vscode.workspace.isTrusted) return undefined;
    try {
      return await this.signInFlows().revoke(store);
    } catch (err) {
      this.managers.delete(store.id);
      return `tokens not revoked: ${(err as Error).message}`;
    }
  }

  expectRedirect(state: string, expires: number): Promise<string> {
    return new Promise<string>((resolve) => this.pending.set(state, { resolve, expires }));
  }

  endAuthorization(state: string): void {
    this.pending.delete(state);
  }

  dropManager(storeId: string): void {
    this.managers.delete(storeId);
  }

  announceChange(storeId: string): void {
    this.changed.fire(storeId);
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

  /** Renews a saved store's token now (the quick fix "Renew the token now"). */
  async renewNow(store: Store): Promise<TokenRenewal | undefined> {
    const manager = this.managerFor(store);
    if (!manager) return undefined;
    const { renewal } = await manager.renew('rejected');
    this.changed.fire(store.id);
    return renewal;
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
