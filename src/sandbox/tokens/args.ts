// The token flags of `woo-api sandbox`: --token-plugin NAME, --access-token-lifetime S,
// --refresh-token-lifetime S, --block-unauthenticated-rest, --oauth-jwt-bearer, --oauth-auto-approve.
import type { SandboxOptions, SandboxTokenPlugin } from '../types';
import { TOKEN_PLUGINS } from './plugin';

export const TOKEN_USAGE = '--token-plugin tmeister|useful-team|wp-oauth-server, --access-token-lifetime SECONDS, --refresh-token-lifetime SECONDS, --block-unauthenticated-rest, --oauth-jwt-bearer, --oauth-auto-approve';

function seconds(flag: string, value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${flag} needs a whole number of seconds (1 or more), not "${value ?? ''}".`);
  return Number(value);
}

/** Applies one token flag; false when `flag` is not one of them. */
export function parseTokenFlag(flag: string, take: () => string | undefined, noValue: () => void, options: SandboxOptions): boolean {
  switch (flag) {
    case '--token-plugin': {
      const value = take();
      if (!value || !TOKEN_PLUGINS.includes(value as SandboxTokenPlugin)) throw new Error(`--token-plugin takes ${TOKEN_PLUGINS.join(', ')}, not "${value ?? ''}".`);
      options.tokenPlugin = value as SandboxTokenPlugin;
      return true;
    }
    case '--access-token-lifetime':
      options.accessTokenLifetimeSeconds = seconds(flag, take());
      return true;
    case '--refresh-token-lifetime':
      options.refreshTokenLifetimeSeconds = seconds(flag, take());
      return true;
    case '--block-unauthenticated-rest':
      noValue();
      options.blockUnauthenticatedRest = true;
      return true;
    case '--oauth-jwt-bearer':
      noValue();
      options.oauthJwtAccessTokens = true;
      return true;
    case '--oauth-auto-approve':
      noValue();
      options.oauthAutoApprove = true;
      return true;
    default:
      return false;
  }
}

/** Options that only mean something together (checked for flags and for in-process options alike). */
export function checkTokenOptions(o: SandboxOptions): void {
  if (o.tokenPlugin !== undefined && !TOKEN_PLUGINS.includes(o.tokenPlugin)) throw new Error(`The sandbox's tokenPlugin must be one of ${TOKEN_PLUGINS.join(', ')}.`);
  for (const [name, v] of [['accessTokenLifetimeSeconds', o.accessTokenLifetimeSeconds], ['refreshTokenLifetimeSeconds', o.refreshTokenLifetimeSeconds]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`The sandbox's ${name} must be a whole number of seconds, 1 or more.`);
  }
  const needs = (set: unknown, flag: string, plugins: SandboxTokenPlugin[]): void => {
    if (set && (!o.tokenPlugin || !plugins.includes(o.tokenPlugin))) throw new Error(`${flag} needs --token-plugin ${plugins.join(' or ')}.`);
  };
  needs(o.accessTokenLifetimeSeconds, '--access-token-lifetime', [...TOKEN_PLUGINS]);
  needs(o.refreshTokenLifetimeSeconds, '--refresh-token-lifetime', ['useful-team', 'wp-oauth-server']);
  needs(o.blockUnauthenticatedRest, '--block-unauthenticated-rest (a WP OAuth Server setting)', ['wp-oauth-server']);
  needs(o.oauthJwtAccessTokens, '--oauth-jwt-bearer', ['wp-oauth-server']);
  needs(o.oauthAutoApprove, '--oauth-auto-approve', ['wp-oauth-server']);
}
