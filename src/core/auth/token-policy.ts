// Token lifetimes against the team's policy: an access token that lives long is a long-lived
// password (Tmeister's default is 7 days); a refresh token that lives long keeps a stolen laptop
// signed in. The policy says how long is acceptable (defaults: 1 hour and 30 days); a store whose
// tokens live longer gets a warning naming the setting or filter of its plugin that shortens them.
//
// Pure: no `vscode`, no I/O.

import type { TokenPlugin } from '../store';

export interface TokenPolicy {
  /** Longest acceptable access-token lifetime, seconds. */
  maxAccessSeconds: number;
  /** Longest acceptable refresh-token lifetime, seconds. */
  maxRefreshSeconds: number;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = { maxAccessSeconds: 3600, maxRefreshSeconds: 30 * 24 * 3600 };

export interface PolicyWarning {
  kind: 'access' | 'refresh';
  lifetimeSeconds: number;
  limitSeconds: number;
  /** The sentence: how long, the limit, and what to change on the store. */
  message: string;
}

/** Where each plugin's lifetimes are set. */
const HOW_TO_SHORTEN: Record<TokenPlugin, { access: string; refresh?: string }> = {
  tmeister: { access: "the plugin's jwt_auth_expire filter (add_filter( 'jwt_auth_expire', fn( $exp, $issued_at ) => $issued_at + HOUR_IN_SECONDS, 10, 2 ) in a small plugin or the theme's functions.php)" },
  'useful-team': {
    access: "the plugin's jwt_auth_expire filter (it returns the expiry time: $issued_at + the lifetime)",
    refresh: "the plugin's jwt_auth_refresh_expire filter",
  },
  'wp-oauth-server': {
    access: '"Access Token Lifetime" in WP OAuth Server > Settings > Advanced Configuration',
    refresh: '"Refresh Token Lifetime" in WP OAuth Server > Settings > Advanced Configuration',
  },
  oauth2: { access: "the OAuth server's access-token lifetime setting", refresh: "the OAuth server's refresh-token lifetime setting" },
};

export function checkTokenPolicy(o: { plugin?: TokenPlugin; accessSeconds?: number; refreshSeconds?: number; storeName?: string }, policy: TokenPolicy = DEFAULT_TOKEN_POLICY): PolicyWarning[] {
  const out: PolicyWarning[] = [];
  const how = HOW_TO_SHORTEN[o.plugin ?? 'oauth2'];
  const store = o.storeName ? ` of "${o.storeName}"` : '';
  if (o.accessSeconds !== undefined && o.accessSeconds > policy.maxAccessSeconds) {
    out.push({
      kind: 'access', lifetimeSeconds: o.accessSeconds, limitSeconds: policy.maxAccessSeconds,
      message: `The access tokens${store} live ${span(o.accessSeconds)}, longer than the ${span(policy.maxAccessSeconds)} your policy accepts: a leaked token stays usable that long. Shorten it on the store with ${how.access}.`,
    });
  }
  if (o.refreshSeconds !== undefined && o.refreshSeconds > policy.maxRefreshSeconds) {
    out.push({
      kind: 'refresh', lifetimeSeconds: o.refreshSeconds, limitSeconds: policy.maxRefreshSeconds,
      message: `The refresh tokens${store} live ${span(o.refreshSeconds)}, longer than the ${span(policy.maxRefreshSeconds)} your policy accepts. Shorten it on the store with ${how.refresh ?? how.access}.`,
    });
  }
  return out;
}

/** "7 days", "1 hour", "90 minutes", "45 seconds". */
export function span(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s >= 86400 && s % 86400 === 0) return unit(s / 86400, 'day');
  if (s >= 86400) return `${(s / 86400).toFixed(1)} days`;
  if (s >= 3600 && s % 3600 === 0) return unit(s / 3600, 'hour');
  if (s >= 3600) return `${(s / 3600).toFixed(1)} hours`;
  if (s >= 60 && s % 60 === 0) return unit(s / 60, 'minute');
  if (s >= 60) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return unit(s, 'second');
}

/** Time left, to the minute past an hour: "7 days", "6 days 23 h", "2 h 5 min", "59 min", "45 s". */
export function timeLeft(seconds: number): string {
  let s = Math.max(0, Math.round(seconds));
  if (s >= 3600) s = Math.round(s / 60) * 60;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = d ? [`${d} day${d === 1 ? '' : 's'}`, h && `${h} h`] : h ? [`${h} h`, m && `${m} min`] : m ? [`${m} min`, s % 60 && `${s % 60} s`] : [`${s} s`];
  return parts.filter(Boolean).join(' ');
}
