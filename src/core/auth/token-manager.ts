// Keeps one token store's access token usable: obtained when there is none, renewed before sending
// when it is within 60 s of its expiry, renewed once more when the store refuses it the way an
// expired token is refused, one renewal shared by every request that needs it at the same moment.
// Per plugin (docs/tokens.md): Tmeister has no refresh, so it logs in again; Useful Team renews
// with its refresh cookie and the same device (replacing the cookie through /token/refresh when
// it nears its end, saving the new one at once, since the old is then obsolete), and logs in again
// when the cookie is refused; OAuth 2.0 uses the refresh token, else its grant again
// (client credentials, password); a store signed in through the browser (authorization code) whose
// refresh token is refused needs the user: "Sign in again".
//
// Storage-agnostic: secrets come and go through `TokenStorage` (VS Code's SecretStorage in the
// editor, the process's memory in the CLI); the store setting's facts (expiry times, the plugin
// detected) go out with them. Pure of `vscode`.

import type { Exchange, OutgoingRequest, SendOptions, TlsOptions } from '../send';
import type { Store, StoreSecrets, TokenPlugin, TokenSettings } from '../store';
import { isLoopbackHost, tokenExpiry } from './apply';
import {
  clientCredentialsGrant, discoverOAuth, jwtLogin, passwordGrant, refreshGrant, usefulTeamRenew, usefulTeamRotate,
  type OAuthClient, type TokenFailure, type TokenGrant, type TokenResult, type TokenTransport,
} from './token-client';
import { claimTimes, decodeJwt } from './token-claims';
import { jwtEndpoints } from './token-detect';

/** Renew a token this close to its expiry before sending. */
export const RENEW_WITHIN_SECONDS = 60;
/** Replace Useful Team's refresh cookie (POST /token/refresh) when it has less than this left. */
const ROTATE_COOKIE_WITHIN_SECONDS = 24 * 3600;

export interface TokenStorage {
  load(): Promise<StoreSecrets | undefined>;
  /**
   * Called after every renewal, before the token is used: the new secrets (a replaced refresh
   * cookie or token must be saved at once), and the token settings with the new expiry times.
   */
  save(secrets: StoreSecrets, settings: TokenSettings): Promise<void>;
}

export interface TokenManagerDeps {
  send: (req: OutgoingRequest, options: SendOptions) => Promise<Exchange>;
  tls?: TlsOptions;
  timeoutMs?: number;
  now?: () => Date;
  /** Replace Useful Team's refresh cookie when it nears its end (default true; the doctor, which changes nothing, says false). */
  rotateRefreshCookie?: boolean;
}

export type RenewalReason = 'missing' | 'expiring' | 'rejected';

/** One renewal, for the exchange view: why, how, the outcome in a sentence, and its exchanges (masked). */
export interface TokenRenewal {
  reason: RenewalReason;
  ok: boolean;
  /** "by signing in as admin", "with the refresh cookie", "with the refresh token", … */
  how: string;
  message: string;
  failure?: TokenFailure;
  exchanges: Exchange[];
  /** The new access token's expiry (ISO). */
  expiresAt?: string;
  /** How long the new tokens live, for the token policy (seconds). */
  lifetimes?: { accessSeconds?: number; refreshSeconds?: number };
}

export interface FreshToken {
  secrets: StoreSecrets;
  /** The renewal this call did or waited for, when there was one. */
  renewal?: TokenRenewal;
}

/** No usable token: renewal failed (or could not be tried), with the plugin's reason and the fix. */
export class TokenRenewalError extends Error {
  constructor(readonly renewal: TokenRenewal) {
    super(renewal.message);
  }
}

export class TokenManager {
  private settings: TokenSettings;
  private inflight: Promise<{ secrets: StoreSecrets; renewal: TokenRenewal }> | undefined;

  constructor(private readonly store: Store, private readonly storage: TokenStorage, private readonly deps: TokenManagerDeps) {
    this.settings = { ...store.token };
  }

  /** The store as the manager knows it now (its token settings updated by renewals). */
  get current(): Store {
    return { ...this.store, token: { ...this.settings } };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private transport(): TokenTransport {
    return { send: this.deps.send, tls: this.deps.tls, timeoutMs: this.deps.timeoutMs, now: () => this.now() };
  }

  /** When the access token expires (its exp, else what the token endpoint said). */
  expiresAt(secrets: StoreSecrets | undefined): Date | undefined {
    return tokenExpiry(this.current, secrets?.accessToken);
  }

  /** Seconds the access token has left (negative: expired; undefined: unknown or none). */
  timeLeft(secrets: StoreSecrets | undefined): number | undefined {
    const at = this.expiresAt(secrets);
    return at ? Math.round((at.getTime() - this.now().getTime()) / 1000) : undefined;
  }

  /**
   * A token to send: the stored one, or a renewed one when there is none or it is within 60 s of
   * its expiry. Throws TokenRenewalError when there is nothing usable to send.
   */
  async fresh(): Promise<FreshToken> {
    const secrets = (await this.storage.load()) ?? {};
    if (!secrets.accessToken) return this.renewOrThrow('missing');
    const left = this.timeLeft(secrets);
    if (left === undefined || left > RENEW_WITHIN_SECONDS) return { secrets };
    const { secrets: renewed, renewal } = await this.renew('expiring');
    if (renewal.ok) return { secrets: renewed, renewal };
    // Renewal failed while the old token still has a few seconds: use them, and say so.
    if (left > 0) return { secrets, renewal };
    throw new TokenRenewalError(renewal);
  }

  /**
   * After the store refused `usedToken` as an expired token is refused: a renewed token to send
   * once more. When another request renewed meanwhile, its token is used without renewing again.
   */
  async afterRejection(usedToken: string | undefined): Promise<FreshToken> {
    if (this.inflight) await this.inflight.catch(() => undefined);
    const secrets = (await this.storage.load()) ?? {};
    if (secrets.accessToken && secrets.accessToken !== usedToken) return { secrets };
    return this.renewOrThrow('rejected');
  }

  private async renewOrThrow(reason: RenewalReason): Promise<FreshToken> {
    const { secrets, renewal } = await this.renew(reason);
    if (!renewal.ok) throw new TokenRenewalError(renewal);
    return { secrets, renewal };
  }

  /** Renews now; concurrent callers share the one renewal in flight (single flight). */
  renew(reason: RenewalReason): Promise<{ secrets: StoreSecrets; renewal: TokenRenewal }> {
    this.inflight ??= this.doRenew(reason).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * Whether a 401/403 answer is the way this store refuses an expired token: Tmeister says
   * "Expired token" (403 jwt_auth_invalid_token); Useful Team and OAuth servers do not say, and
   * WooCommerce answers as to nobody (401 *_cannot_*, rest_not_logged_in), or the "block
   * unauthenticated REST" setting answers 401 rest_not_authorized. A 403 with a capability code
   * means the token worked (the user lacks the role): renewing cannot help.
   */
  isExpiredTokenAnswer(exchange: Exchange): boolean {
    const r = exchange.response;
    if (!r || (r.status !== 401 && r.status !== 403)) return false;
    const auth = exchange.request.headers.find(([n]) => n.toLowerCase() === 'authorization')?.[1] ?? '';
    if (!/^Bearer\s/.test(auth)) return false;
    let code = '';
    let message = '';
    try {
      const j = JSON.parse(Buffer.from(r.body).toString('utf8')) as Record<string, unknown>;
      code = typeof j.code === 'string' ? j.code : typeof j.error === 'string' ? j.error : '';
      message = typeof j.message === 'string' ? j.message : typeof j.error_description === 'string' ? j.error_description : '';
    } catch {
      return false;
    }
    if (code === 'jwt_auth_invalid_token') return /expired/i.test(message);
    if (code === 'invalid_token' || code === 'expired_token') return true;
    return r.status === 401 && (/_cannot_|^rest_forbidden$|^rest_not_logged_in$|^rest_not_authorized$/.test(code));
  }

  // -------------------------------------------------------------------------------------------

  private async doRenew(reason: RenewalReason): Promise<{ secrets: StoreSecrets; renewal: TokenRenewal }> {
    const secrets = (await this.storage.load()) ?? {};
    const exchanges: Exchange[] = [];
    const steps: string[] = [];
    let outcome: { result: TokenResult; how: string } | { failure: TokenFailure; how: string };
    try {
      // A password, a refresh token or a client secret never travels in clear text to another machine.
      const target = safeUrl(this.settings.tokenUrl ?? this.store.baseUrl);
      if (target?.protocol === 'http:' && !isLoopbackHost(target.hostname)) {
        outcome = { failure: { code: 'cleartext', message: 'plain HTTP', sentence: `signing in at ${target.origin} would send the password or refresh token in clear text (plain HTTP). Use the store's https:// address.` }, how: 'at the token endpoint' };
      } else {
        outcome = this.store.authMethod === 'jwt' ? await this.renewJwt(secrets, exchanges, steps) : await this.renewOAuth(secrets, exchanges, steps);
      }
    } catch (err) {
      outcome = { failure: { code: 'error', message: (err as Error).message, sentence: (err as Error).message }, how: 'by renewing' };
    }
    const name = this.store.name;
    if ('failure' in outcome || !outcome.result.ok) {
      const failure = 'failure' in outcome ? outcome.failure : (outcome.result as Extract<TokenResult, { ok: false }>).failure;
      const before = steps.length ? ` (${steps.join('; ')})` : '';
      const renewal: TokenRenewal = { reason, ok: false, how: outcome.how, failure, exchanges, message: `The token of "${name}" could not be renewed${before}: ${failure.sentence} Sign in again to get a new one.` };
      return { secrets, renewal };
    }
    const grant = outcome.result.grant;
    if (outcome.result.plugin && this.store.authMethod === 'jwt') this.settings.plugin ??= outcome.result.plugin;
    const next: StoreSecrets = {
      ...secrets,
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken ?? secrets.refreshToken,
      refreshCookie: grant.refreshCookie ?? secrets.refreshCookie,
    };
    this.settings.expiresAt = grant.expiresAt?.toISOString();
    if (grant.refreshCookie || grant.refreshToken) this.settings.refreshExpiresAt = grant.refreshExpiresAt?.toISOString() ?? (grant.refreshToken ? undefined : this.settings.refreshExpiresAt);
    await this.storage.save(next, { ...this.settings });
    const until = grant.expiresAt ? `; it expires at ${grant.expiresAt.toISOString()}` : '';
    const issued = claimTimes(decodeJwt(grant.accessToken)?.claims).issuedAt ?? this.now();
    const lifetimes = {
      accessSeconds: grant.expiresAt ? Math.round((grant.expiresAt.getTime() - issued.getTime()) / 1000) : undefined,
      refreshSeconds: grant.refreshExpiresAt ? Math.round((grant.refreshExpiresAt.getTime() - this.now().getTime()) / 1000) : undefined,
    };
    const renewal: TokenRenewal = {
      reason, ok: true, how: outcome.how, exchanges, expiresAt: this.settings.expiresAt, lifetimes,
      message: `${reason === 'missing' ? 'Got a token' : 'Renewed the token'} of "${name}" ${outcome.how}${steps.length ? ` (${steps.join('; ')})` : ''}${until}.`,
    };
    return { secrets: next, renewal };
  }

  private async renewJwt(secrets: StoreSecrets, exchanges: Exchange[], steps: string[]): Promise<{ result: TokenResult; how: string } | { failure: TokenFailure; how: string }> {
    const t = this.transport();
    const urls = jwtEndpoints(this.current);
    const plugin = this.settings.plugin;
    const device = this.settings.device;
    if (plugin === 'useful-team' && secrets.refreshCookie) {
      let cookie = secrets.refreshCookie;
      const cookieLeft = this.settings.refreshExpiresAt ? (Date.parse(this.settings.refreshExpiresAt) - this.now().getTime()) / 1000 : undefined;
      let cookieRefused: TokenFailure | undefined;
      if (this.deps.rotateRefreshCookie !== false && cookieLeft !== undefined && cookieLeft < ROTATE_COOKIE_WITHIN_SECONDS) {
        const rotated = await usefulTeamRotate(t, { refreshUrl: urls.refreshUrl, cookie, device });
        exchanges.push(...rotated.exchanges);
        if (rotated.ok) {
          // The old cookie is obsolete from this moment: the new one is saved before anything else.
          cookie = rotated.refreshCookie;
          secrets.refreshCookie = cookie;
          this.settings.refreshExpiresAt = rotated.refreshExpiresAt?.toISOString();
          await this.storage.save({ ...secrets }, { ...this.settings });
          steps.push('replaced the refresh cookie, which was near its end');
        } else {
          cookieRefused = rotated.failure;
        }
      }
      if (!cookieRefused) {
        const result = await usefulTeamRenew(t, { tokenUrl: urls.tokenUrl, cookie, device });
        exchanges.push(...result.exchanges);
        if (result.ok) return { result, how: 'with the refresh cookie' };
        cookieRefused = result.failure;
      }
      if (!isRefreshRefusal(cookieRefused) || !secrets.password || !this.store.username) return { failure: cookieRefused, how: 'with the refresh cookie' };
      steps.push(`the refresh cookie was refused (${cookieRefused.code})`);
      secrets.refreshCookie = undefined;
    }
    if (!this.store.username || !secrets.password) {
      return { failure: { code: 'no_password', message: 'no password stored', sentence: `there is no ${this.store.username ? '' : 'user name and '}password to sign in with.` }, how: 'by signing in' };
    }
    const result = await jwtLogin(t, { tokenUrl: urls.tokenUrl, username: this.store.username, password: secrets.password, device: plugin === 'tmeister' ? undefined : device });
    exchanges.push(...result.exchanges);
    return { result, how: `by signing in as ${this.store.username}${result.plugin ? ` (${result.plugin === 'tmeister' ? 'JWT Authentication for WP REST API, which has no refresh' : 'JWT Auth'})` : ''}` };
  }

  private async renewOAuth(secrets: StoreSecrets, exchanges: Exchange[], steps: string[]): Promise<{ result: TokenResult; how: string } | { failure: TokenFailure; how: string }> {
    const t = this.transport();
    if (!this.settings.tokenUrl) {
      const found = await discoverOAuth(t, this.store.baseUrl);
      exchanges.push(...found.exchanges);
      if (!found.ok) return { failure: found.failure, how: 'by discovery' };
      this.settings.tokenUrl = found.endpoints.tokenUrl;
      this.settings.authorizeUrl ??= found.endpoints.authorizeUrl;
      this.settings.revokeUrl ??= found.endpoints.revokeUrl;
      this.settings.validateUrl ??= found.endpoints.introspectUrl;
      steps.push(`found the token endpoint ${found.endpoints.tokenUrl}`);
    }
    if (!this.settings.clientId) return { failure: { code: 'no_client', message: 'no client id', sentence: 'the store has no OAuth client id.' }, how: 'at the token endpoint' };
    const client: OAuthClient = { tokenUrl: this.settings.tokenUrl!, clientId: this.settings.clientId, clientSecret: secrets.clientSecret };
    if (secrets.refreshToken) {
      const result = await refreshGrant(t, client, secrets.refreshToken);
      exchanges.push(...result.exchanges);
      if (result.ok) return { result, how: 'with the refresh token' };
      const grant = this.settings.grant;
      const again = grant === 'client_credentials' || (grant === 'password' && !!secrets.password && !!this.store.username);
      if (!again || result.failure.status === undefined) return { failure: result.failure, how: 'with the refresh token' };
      steps.push(`the refresh token was refused (${result.failure.code}: ${result.failure.message})`);
      secrets.refreshToken = undefined;
    }
    switch (this.settings.grant ?? (secrets.password ? 'password' : 'client_credentials')) {
      case 'client_credentials': {
        const result = await clientCredentialsGrant(t, client, this.settings.scope);
        exchanges.push(...result.exchanges);
        return { result, how: 'with the client-credentials grant' };
      }
      case 'password': {
        if (!this.store.username || !secrets.password) return { failure: { code: 'no_password', message: 'no password stored', sentence: 'the password grant needs a user name and password, and none is stored.' }, how: 'with the password grant' };
        const result = await passwordGrant(t, client, { username: this.store.username, password: secrets.password, scope: this.settings.scope });
        exchanges.push(...result.exchanges);
        return { result, how: `with the password grant for ${this.store.username}` };
      }
      default:
        return { failure: { code: 'needs_browser', message: 'no refresh token', sentence: 'there is no refresh token, and the authorization-code sign-in happens in the browser.' }, how: 'with the authorization code' };
    }
  }
}

/**
 * Secrets kept in this process's memory only (the CLI: tokens obtained there are never written to
 * disk). `initial` is what the environment gave; renewals replace it here.
 */
export function memoryTokenStorage(initial: StoreSecrets | undefined, onSave?: (settings: TokenSettings) => void): TokenStorage {
  let current: StoreSecrets = { ...initial };
  return {
    load: async () => ({ ...current }),
    save: async (secrets, settings) => {
      current = { ...secrets };
      onSave?.(settings);
    },
  };
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** A refusal of the refresh credential itself (not a network failure): logging in again may help. */
function isRefreshRefusal(f: TokenFailure): boolean {
  return f.status !== undefined && /refresh_token|no_auth_cookie|invalid_grant/.test(f.code);
}

export type { TokenGrant, TokenPlugin };
