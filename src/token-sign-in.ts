// The sign-in of JWT and OAuth 2.0 stores, loaded on first use (src/core/lazy.ts): the first token
// (Add Store, Edit Store, "Sign in again"), the JWT plugin detected and the OAuth 2.0 endpoints
// discovered; OAuth 2.0's authorization code + PKCE S256 in the browser, back into VS Code through the
// vscode:// URI handler (`/oauth`, its `state` checked) or a loopback http://127.0.0.1 redirect for
// servers that accept only that; client credentials; password. Remove Store revokes what it can; the
// token policy's warnings. StoreTokens (tokens.ts) keeps what every send needs (the token managers,
// renewal) and hands this bundle its own objects: the transport carries the main bundle's send (the
// connection pool and Restricted Mode's outbound gate), never a copy.
import * as http from 'node:http';
import * as vscode from 'vscode';
import { discoverOAuth, exchangeCode, readAuthorizationResponse, revokeToken, startAuthorization, type TokenTransport } from './core/auth/token-client';
import { detectTokenPlugin } from './core/auth/token-detect';
import { memoryTokenStorage, TokenManager } from './core/auth/token-manager';
import { checkTokenPolicy, type TokenPolicy } from './core/auth/token-policy';
import { claimTimes, decodeJwt } from './core/auth/token-claims';
import { isTokenStore, type Store, type StoreSecrets, type TokenSettings } from './core/store';
import type { Log } from './log';
import type { StoreRegistry } from './stores';
import type { SignedIn } from './tokens';

/** How long the browser sign-in may take before it is given up. */
const AUTHORIZE_TIMEOUT_MS = 5 * 60_000;

/** What the sign-in uses of StoreTokens: the main bundle's live objects. */
export interface TokenSignInHost {
  readonly stores: StoreRegistry;
  readonly log: Log;
  /** How token requests go out: core/send's send from the main bundle, the store's TLS settings. */
  transport(store: Store): TokenTransport;
  policy(): TokenPolicy;
  defaultRedirectUri(): string;
  openBrowser(url: vscode.Uri): Thenable<boolean>;
  lastAuthorizeUrl: string | undefined;
  /** The vscode:// redirect of the browser sign-in with this `state`, when it comes (before `expires`). */
  expectRedirect(state: string, expires: number): Promise<string>;
  endAuthorization(state: string): void;
  /** A store's tokens were replaced: its manager is made again; the Stores view is told. */
  dropManager(storeId: string): void;
  announceChange(storeId: string): void;
}

export class TokenSignIn {
  constructor(private readonly host: TokenSignInHost) {}

  /** The token policy's warnings for a store's current tokens (lifetimes read from the token's iat/exp and the refresh expiry). */
  async policyWarnings(store: Store): Promise<string[]> {
    if (!isTokenStore(store)) return [];
    const secrets = await this.host.stores.storedSecrets(store.id);
    const times = claimTimes(secrets?.accessToken ? decodeJwt(secrets.accessToken)?.claims : undefined);
    const accessSeconds = times.expiresAt && times.issuedAt ? Math.round((times.expiresAt.getTime() - times.issuedAt.getTime()) / 1000) : undefined;
    const refreshAt = store.token?.refreshExpiresAt ? Date.parse(store.token.refreshExpiresAt) : NaN;
    const refreshSeconds = Number.isNaN(refreshAt) ? undefined : Math.round((refreshAt - Date.now()) / 1000);
    return checkTokenPolicy({ plugin: store.token?.plugin, accessSeconds, refreshSeconds, storeName: store.name }, this.host.policy()).map((w) => w.message);
  }

  /**
   * Gets the first token for a store (saved or not yet saved): detects the JWT plugin or discovers
   * the OAuth endpoints when the settings do not name them, then signs in. Nothing is saved here.
   */
  async signIn(draft: Store, secrets: StoreSecrets, cancel?: vscode.CancellationToken): Promise<SignedIn> {
    const t = this.host.transport(draft);
    let store: Store = { ...draft, token: { ...draft.token } };
    const start: StoreSecrets = { ...secrets, accessToken: undefined, refreshToken: undefined, refreshCookie: undefined };
    if (store.authMethod === 'jwt' && !store.token!.plugin) {
      const found = await detectTokenPlugin(t, store);
      if (found.plugin === 'tmeister' || found.plugin === 'useful-team') store.token!.plugin = found.plugin;
      this.host.log.info(`Token plugin of "${store.name}": ${found.plugin ?? 'not detected'} (${found.evidence.join(' ')})`);
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
    const manager = new TokenManager(store, memoryTokenStorage(start, (s) => (saved = s)), this.host.transport(store));
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
    const redirectUri = token.redirectUri ?? this.host.defaultRedirectUri();
    const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//i.test(redirectUri) ? await listenLoopback(redirectUri) : undefined;
    try {
      const flow = startAuthorization({ authorizeUrl: token.authorizeUrl, clientId: token.clientId, redirectUri, scope: token.scope });
      const answered = loopback ? loopback.callback : this.host.expectRedirect(flow.state, Date.now() + AUTHORIZE_TIMEOUT_MS);
      this.host.lastAuthorizeUrl = flow.url;
      this.host.log.info(`Signing in to "${store.name}" in the browser (${token.authorizeUrl}), back to ${redirectUri}.`);
      await this.host.openBrowser(vscode.Uri.parse(flow.url, true));
      const callbackUrl = await Promise.race([
        answered,
        new Promise<undefined>((resolve) => {
          const timer = setTimeout(() => resolve(undefined), AUTHORIZE_TIMEOUT_MS);
          cancel?.onCancellationRequested(() => { clearTimeout(timer); resolve(undefined); });
        }),
      ]);
      this.host.endAuthorization(flow.state);
      if (callbackUrl === undefined) return { ok: false, store, secrets, message: `The browser sign-in of "${store.name}" was cancelled or took longer than 5 minutes; nothing was saved.` };
      const back = readAuthorizationResponse(callbackUrl, flow.state);
      if ('error' in back) return { ok: false, store, secrets, message: `The browser sign-in of "${store.name}" did not work: ${back.error}${back.description ? ` (${back.description})` : ''}.` };
      const result = await exchangeCode(this.host.transport(store), { tokenUrl: token.tokenUrl, clientId: token.clientId, clientSecret: secrets.clientSecret }, { code: back.code, redirectUri, verifier: flow.verifier });
      if (!result.ok) return { ok: false, store, secrets, message: result.failure.sentence };
      const g = result.grant;
      const next: Store = { ...store, token: { ...token, redirectUri: token.redirectUri, expiresAt: g.expiresAt?.toISOString(), refreshExpiresAt: g.refreshExpiresAt?.toISOString() } };
      return { ok: true, store: next, secrets: { ...secrets, accessToken: g.accessToken, refreshToken: g.refreshToken }, message: `Signed in to "${store.name}" in the browser${g.expiresAt ? `; the token expires at ${g.expiresAt.toISOString()}` : ''}.` };
    } finally {
      loopback?.close();
    }
  }

  /** Replaces every token of a saved store with new ones; asks for what is missing (the password). */
  async signInAgain(store: Store, cancel?: vscode.CancellationToken): Promise<SignedIn> {
    let secrets = (await this.host.stores.secretsFor(store)) ?? {};
    const needsPassword = store.authMethod === 'jwt' || store.token?.grant === 'password';
    if (needsPassword && !secrets.password) {
      const password = await vscode.window.showInputBox({ title: `Sign in to ${store.name}`, prompt: `The password or application password of ${store.username ?? 'the user'}. It goes to SecretStorage only.`, password: true, ignoreFocusOut: true });
      if (password === undefined) return { ok: false, store, secrets, message: 'Sign-in cancelled.' };
      secrets = { ...secrets, password };
    }
    const result = await this.signIn(store, secrets, cancel);
    if (result.ok) {
      this.host.dropManager(store.id);
      await this.host.stores.save(result.store, result.secrets);
      this.host.announceChange(store.id);
      this.host.log.info(`Signed in to "${store.name}" again: ${result.message}`);
    } else {
      this.host.log.warn(`Sign-in to "${store.name}" failed: ${result.message}`);
    }
    return result;
  }

  /** Gives the store's tokens back where the server supports it (OAuth 2.0 revocation); never throws. */
  async revoke(store: Store): Promise<string | undefined> {
    // Restricted Mode sends nothing: the tokens are then only forgotten.
    if (store.authMethod !== 'oauth2' || !vscode.workspace.isTrusted) return undefined;
    const secrets = await this.host.stores.storedSecrets(store.id);
    const revokeUrl = store.token?.revokeUrl;
    if (!secrets || !revokeUrl || !store.token?.clientId) return undefined;
    const client = { tokenUrl: store.token.tokenUrl ?? revokeUrl, clientId: store.token.clientId, clientSecret: secrets.clientSecret };
    const done: string[] = [];
    try {
      for (const [value, hint] of [[secrets.refreshToken, 'refresh_token'], [secrets.accessToken, 'access_token']] as const) {
        if (!value) continue;
        const r = await revokeToken(this.host.transport(store), { revokeUrl, token: value, hint, client });
        done.push(`${hint === 'refresh_token' ? 'refresh' : 'access'} token ${r.ok ? 'revoked' : `not revoked (${r.failure?.sentence ?? 'refused'})`}`);
      }
    } catch (err) {
      done.push(`revocation failed: ${(err as Error).message}`);
    }
    this.host.dropManager(store.id);
    const text = done.join(', ');
    if (text) this.host.log.info(`Tokens of "${store.name}": ${text}.`);
    return text || undefined;
  }
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
