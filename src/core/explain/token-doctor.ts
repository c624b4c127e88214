// The auth doctor for a store with a JWT or OAuth 2.0 plugin. Its probes change nothing the store
// relies on: the secrets it works with are a copy (a renewed token is not saved), Useful Team's
// refresh cookie is used on /token (which never replaces it), never on /token/refresh (which
// would make the stored one obsolete), and an OAuth refresh leaves the old refresh token valid.
//
//   token-plugin    which plugin the store runs (REST index, the token endpoint's answer, discovery)
//   token-acquire   a usable token, as requests get one: the stored one, or renewed / signed in
//   token-validate  the plugin's own check of that token (validate, or introspection)
//   token-read      GET wc/v3/products?per_page=1 with it
//   token-renew     one renewal the way the store renews (log in again, refresh cookie, refresh token)
//   token-policy    the tokens' lifetimes against the policy (1 hour / 30 days by default)
//
// Pure of `vscode`: the caller passes `send`.

import { applyStoreAuth, tokenExpiry } from '../auth/apply';
import { memoryTokenStorage, TokenManager, TokenRenewalError, type TokenRenewal } from '../auth/token-manager';
import { detectTokenPlugin } from '../auth/token-detect';
import { claimTimes, decodeJwt } from '../auth/token-claims';
import { checkTokenPolicy, DEFAULT_TOKEN_POLICY, span, timeLeft, type TokenPolicy } from '../auth/token-policy';
import { redactText } from '../redact';
import { secretValues, type Store, type StoreSecrets } from '../store';
import type { Exchange } from '../send';
import { CAUSES } from './causes';
import { explainExchange, type Finding } from './explain';
import type { DoctorDeps, DoctorReport, ProbeResult } from './probes';
import { sentTokenOf, type TokenEvidence } from './token-evidence';
import { explainWithTokenProbe, probeToken } from './token-probe';
import { trimTrailingSlashes, withoutQueryOrFragment, trimSlashes } from '../url-text';

export type TokenProbeName = 'token-plugin' | 'token-acquire' | 'token-validate' | 'token-read' | 'token-renew' | 'token-policy';

export interface TokenDoctorDeps extends DoctorDeps {
  policy?: TokenPolicy;
}

const PLUGIN_NAMES: Record<string, string> = {
  tmeister: 'JWT Authentication for WP REST API (Tmeister)',
  'useful-team': 'JWT Auth (Useful Team)',
  'wp-oauth-server': 'WP OAuth Server',
  oauth2: 'an OAuth 2.0 server',
};

export async function diagnoseTokenStore(store: Store, secrets: StoreSecrets, deps: TokenDoctorDeps): Promise<DoctorReport> {
  const now = () => deps.now?.() ?? new Date();
  const startedAt = now().toISOString();
  const probes: ProbeResult[] = [];
  const masks = secretValues(secrets);
  const clean = (s: string) => redactText(s, masks);
  const emit = (p: ProbeResult) => {
    const c = { ...p, request: p.request && clean(p.request), result: clean(p.result) };
    probes.push(c);
    deps.onProbe?.(c);
  };
  const send = deps.send;
  const transport = { send, tls: deps.tls, timeoutMs: deps.timeoutMs ?? 15_000, signal: deps.signal, now };
  let findings: Finding[] = [];
  let working: Store = { ...store, token: { ...store.token } };
  const requestLine = (ex: Exchange | undefined, how: string) => (ex ? `${ex.request.method} ${ex.request.url} (${how})` : undefined);

  // 1. Which plugin.
  const detection = await detectTokenPlugin(transport, store);
  const plugin = store.token?.plugin ?? detection.plugin;
  working = { ...working, token: { ...working.token, plugin } };
  if (detection.endpoints && store.authMethod === 'oauth2') {
    const e = detection.endpoints;
    working.token = { tokenUrl: e.tokenUrl, authorizeUrl: e.authorizeUrl, revokeUrl: e.revokeUrl, validateUrl: e.introspectUrl, ...working.token };
  }
  const mismatch = store.token?.plugin && detection.plugin && store.token.plugin !== detection.plugin;
  emit({
    name: 'token-plugin' , title: 'Token plugin', shows: 'Which JWT or OAuth 2.0 plugin answers for the store, from its REST index, its token endpoint and OAuth discovery.',
    request: requestLine(detection.exchanges[0], 'no credentials'),
    outcome: detection.plugin ? (mismatch ? 'failed' : 'ok') : plugin ? 'info' : 'failed',
    result: detection.plugin
      ? `${PLUGIN_NAMES[detection.plugin]}. ${detection.evidence.join(' ')}${mismatch ? ` The store is set to ${PLUGIN_NAMES[store.token!.plugin!]}: change it to match.` : ''}`
      : `${detection.evidence.join(' ')}${plugin ? ` The store is set to ${PLUGIN_NAMES[plugin]}.` : ' No token plugin was found on the store.'}`,
  });

  // 2. A token, as a request would get it; the secrets are a copy: nothing is saved.
  const storage = memoryTokenStorage(secrets);
  const manager = new TokenManager(working, storage, { send, tls: deps.tls, timeoutMs: deps.timeoutMs ?? 15_000, now, rotateRefreshCookie: false });
  let fresh: { secrets: StoreSecrets; renewal?: TokenRenewal } | undefined;
  let failedRenewal: TokenRenewal | undefined;
  try {
    fresh = await manager.fresh();
  } catch (err) {
    if (!(err instanceof TokenRenewalError)) throw err;
    failedRenewal = err.renewal;
  }
  const renewal = fresh?.renewal ?? failedRenewal;
  const left = fresh ? manager.timeLeft(fresh.secrets) : undefined;
  emit({
    name: 'token-acquire' , title: 'Access token', shows: 'Whether a request gets a usable token: the stored one, or one renewed or signed in for, as requests get it.',
    request: requestLine(renewal?.exchanges[renewal.exchanges.length - 1], renewal?.how ?? 'the stored token'),
    status: renewal?.exchanges[renewal.exchanges.length - 1]?.response?.status,
    outcome: fresh && (!renewal || renewal.ok) ? 'ok' : 'failed',
    result: fresh
      ? `${renewal ? renewal.message : 'The stored token is used.'}${left !== undefined ? ` It has ${left > 0 ? timeLeft(left) : 'no time'} left.` : ''}`
      : renewal!.message,
  });
  if (!fresh) {
    findings = renewalFindings(working, renewal!, secrets, now());
    return report();
  }
  const token = fresh.secrets.accessToken!;
  working = manager.current;

  // 3. The plugin's own check of the token.
  const check = await probeToken(transport, { store: working, plugin, token }).catch(() => undefined);
  if (check) {
    const good = check.status === 200 && (check.active !== false);
    emit({
      name: 'token-validate' , title: "The plugin's check of the token", shows: 'What the plugin itself says about the token (validate, or introspection): valid, expired, obsolete, forged, or never received.',
      request: `POST ${check.endpoint} (the token in the Authorization header)`, status: check.status, code: check.code, message: check.message,
      outcome: good ? 'ok' : 'failed',
      result: good ? `The plugin accepts the token${check.active ? ' (active)' : ''}.` : `The plugin refuses it: ${check.status}${check.code ? ` ${check.code}` : ''}${check.message ? ` "${check.message}"` : ''}${check.viaBody ? `; sent in a form body instead: ${check.viaBody.status}${check.viaBody.active ? ' active' : check.viaBody.message ? ` "${check.viaBody.message}"` : ''}` : ''}.`,
    });
  }

  // 4. A read with it.
  const prefix = (store.options?.restPrefix ?? 'wp-json').replace(/^\/+|\/+$/g, '') || 'wp-json';
  const url = `${trimTrailingSlashes(withoutQueryOrFragment(store.baseUrl))}/${prefix}/${trimSlashes(store.options?.apiVersion ?? 'wc/v3')}/products?per_page=1`;
  const applied = applyStoreAuth({ method: 'GET', url, headers: [['Accept', 'application/json']] }, working, fresh.secrets, { now: now() });
  const read = await send(applied.request, { tls: deps.tls, timeoutMs: deps.timeoutMs ?? 15_000, signal: deps.signal, followRedirects: false, secrets: [...masks, ...applied.secrets] });
  const status = read.response?.status;
  const readOk = status !== undefined && status >= 200 && status < 300;
  emit({
    name: 'token-read' , title: 'Read with the token', shows: 'Whether WooCommerce accepts the token for a read.', request: requestLine(read, applied.added.join('; ')), status,
    outcome: read.response ? (readOk ? 'ok' : 'failed') : 'error',
    result: read.response ? (readOk ? 'WooCommerce answers 200 with the token.' : `WooCommerce answers ${status}.`) : read.error?.message ?? 'No answer.',
  });
  if (!readOk && read.response) {
    const evidence: TokenEvidence = { plugin, sent: sentTokenOf(applied.request), expiresAt: working.token?.expiresAt, obtainedFrom: store.baseUrl, probe: check };
    findings = await explainWithTokenProbe({ exchange: read, store: working, authMethod: store.authMethod, token: evidence }, undefined);
  }

  // 5. One renewal the way the store renews (unless step 2 just did it).
  let renewedLifetimes = renewal?.lifetimes;
  if (readOk && !(renewal && renewal.reason !== 'missing')) {
    const again = await manager.renew('expiring');
    renewedLifetimes ??= again.renewal.ok ? again.renewal.lifetimes : undefined;
    emit({
      name: 'token-renew' , title: 'Renewal', shows: 'Whether the token can be renewed without the user: log in again (Tmeister), the refresh cookie (Useful Team), the refresh token (OAuth 2.0).',
      request: requestLine(again.renewal.exchanges[again.renewal.exchanges.length - 1], again.renewal.how), status: again.renewal.exchanges[again.renewal.exchanges.length - 1]?.response?.status,
      outcome: again.renewal.ok ? 'ok' : 'failed', result: again.renewal.message,
    });
    if (!again.renewal.ok) findings = renewalFindings(working, again.renewal, secrets, now());
  }

  // 6. Lifetimes against the policy.
  // From a token obtained here, else from the stored token's own iat/exp (a JWT says how long it lives).
  const claimed = claimTimes(decodeJwt(token)?.claims);
  const lifetimes = renewedLifetimes ?? (claimed.expiresAt && claimed.issuedAt ? { accessSeconds: Math.round((claimed.expiresAt.getTime() - claimed.issuedAt.getTime()) / 1000) } : undefined);
  const warnings = checkTokenPolicy({ plugin, accessSeconds: lifetimes?.accessSeconds, refreshSeconds: lifetimes?.refreshSeconds, storeName: store.name }, deps.policy ?? DEFAULT_TOKEN_POLICY);
  if (lifetimes?.accessSeconds !== undefined || warnings.length) {
    emit({
      name: 'token-policy' , title: 'Token lifetimes', shows: `The tokens' lifetimes against the policy (access ${span((deps.policy ?? DEFAULT_TOKEN_POLICY).maxAccessSeconds)}, refresh ${span((deps.policy ?? DEFAULT_TOKEN_POLICY).maxRefreshSeconds)}).`,
      outcome: 'info',
      result: warnings.length ? warnings.map((w) => w.message).join(' ') : `Access tokens live ${span(lifetimes!.accessSeconds!)}${lifetimes?.refreshSeconds ? `, refresh tokens ${span(lifetimes.refreshSeconds)}` : ''}: within the policy.`,
    });
  }
  return report(readOk, left, warnings.map((w) => w.message));

  function report(healthy = false, secondsLeft?: number, warnings: string[] = []): DoctorReport {
    const ok = healthy && !findings.length && probes.every((p) => p.outcome !== 'failed' || p.name === 'token-plugin');
    const top = findings[0];
    return {
      store: { id: store.id, name: store.name, baseUrl: store.baseUrl, authMethod: store.authMethod },
      startedAt,
      probes,
      cause: ok ? undefined : top?.cause,
      findings,
      healthy: ok,
      summary: ok
        ? `Authentication works for "${store.name}" (${store.authMethod}, ${PLUGIN_NAMES[plugin ?? 'oauth2']})${secondsLeft !== undefined ? `; the access token has ${timeLeft(secondsLeft)} left` : ''}.${warnings.map((w) => ` Warning: ${w}`).join('')}`
        : top
          ? `${top.title}${top.confidence === 'certain' ? '' : ` (${top.confidence})`}.${findings.length > 1 ? ` Also: ${findings.slice(1).map((f) => f.title).join('; ')}.` : ''}`
          : `Authentication fails for "${store.name}"; see each probe's answer.`,
      tokenTimeLeftSeconds: secondsLeft,
    };
  }
}

/** Why a renewal failed: the refused exchange with the token endpoint, explained; or the missing credential. */
function renewalFindings(store: Store, renewal: TokenRenewal, secrets: StoreSecrets, now: Date): Finding[] {
  const last = renewal.exchanges[renewal.exchanges.length - 1];
  if (last?.response && last.response.status >= 300) {
    const found = explainExchange({ exchange: last, store, authMethod: store.authMethod, token: { plugin: store.token?.plugin } });
    if (found.length) return found;
  }
  // Nothing refused on the wire: the store lacks what renewal needs.
  const expiry = tokenExpiry(store, secrets.accessToken);
  const expired = expiry !== undefined && expiry.getTime() <= now.getTime();
  const cause = secrets.accessToken && expired ? 'token-expired' : 'token-login-failed';
  return explainExchangeless(cause, renewal.message);
}

/** The catalogue's wording, with the renewal's sentence as the evidence. */
function explainExchangeless(cause: 'token-expired' | 'token-login-failed', sentence: string): Finding[] {
  const c = CAUSES[cause];
  return [{ cause, title: c.title, explanation: c.explanation, evidence: [sentence], confidence: 'certain', fixes: c.fixes({}) }];
}
