// The pickers of the sandbox store's rarer commands, loaded on first use (src/core/lazy.ts): which
// misconfiguration to reproduce (Reproduce a Misconfiguration in the Sandbox) and which token plugin
// and token lifetime to run it with (Start Sandbox with a Token Plugin), each in plain words.
import * as vscode from 'vscode';
import type { SandboxModes } from './sandbox-store';

interface TokenPick extends vscode.QuickPickItem {
  plugin: NonNullable<SandboxModes['tokenPlugin']>;
}

const TOKEN_PICKS: TokenPick[] = [
  { label: 'JWT Authentication for WP REST API', description: 'by Enrique Chavez', detail: 'User name and password give a token that lasts 7 days and cannot be refreshed; an expired one is refused with 403 "Expired token".', plugin: 'tmeister' },
  { label: 'JWT Auth', description: 'by Useful Team', detail: 'Short tokens (10 minutes) renewed with a refresh cookie tied to the device; an expired token gets WooCommerce\'s silent 401.', plugin: 'useful-team' },
  { label: 'WP OAuth Server', description: 'OAuth 2.0', detail: 'Sign in in the browser (authorization code with PKCE), or with a client\'s secret; tokens last 1 hour and are renewed with a refresh token.', plugin: 'wp-oauth-server' },
];

/** The token plugin and token lifetime to run the sandbox with, asked in plain words. */
export async function pickTokenModes(): Promise<SandboxModes | undefined> {
  const plugin = await vscode.window.showQuickPick(TOKEN_PICKS, { title: 'Start Sandbox with a Token Plugin (1/2)', placeHolder: 'Which plugin the sandbox\'s WordPress runs', matchOnDetail: true, ignoreFocusOut: true });
  if (!plugin) return undefined;
  const lifetime = await vscode.window.showQuickPick([
    { label: 'As the plugin does by default', seconds: undefined },
    { label: 'Very short: 5 seconds', detail: 'See renewal happen: every request a few seconds apart needs a new token.', seconds: 5 },
    { label: 'Short: 1 minute', seconds: 60 },
    { label: 'Long: 7 days', detail: 'Longer than the token policy accepts (1 hour by default): the doctor warns.', seconds: 7 * 86400 },
  ], { title: 'Start Sandbox with a Token Plugin (2/2)', placeHolder: 'How long its access tokens live', ignoreFocusOut: true });
  if (!lifetime) return undefined;
  return { tokenPlugin: plugin.plugin, accessTokenLifetimeSeconds: lifetime.seconds, oauthAutoApprove: plugin.plugin === 'wp-oauth-server' ? true : undefined };
}

/** A misconfiguration to reproduce, in plain words: what it is, and what a request then meets. */
interface ModePick extends vscode.QuickPickItem {
  modes: SandboxModes;
}

const MODE_PICKS: ModePick[] = [
  { label: '$(check) A healthy store', detail: 'No misconfiguration: every key, signature and password is taken as WooCommerce takes it.', modes: {} },
  { label: 'A server that strips the Authorization header', detail: 'As Apache with PHP-FPM does without CGIPassAuth: keys sent with Basic and application passwords are silently ignored (401).', modes: { stripAuthorization: true } },
  { label: 'Plain permalinks', detail: 'WordPress\'s "Plain" permalink setting: /wp-json/… redirects to the HTML front page; only ?rest_route= reaches the API.', modes: { plainPermalinks: true } },
  { label: 'A Home URL on another host', detail: 'WordPress believes it lives at https://www.localhost: OAuth 1.0a signatures made for 127.0.0.1 are refused.', modes: { homeUrl: 'https://www.localhost' } },
  { label: 'A server clock 20 minutes ahead', detail: 'OAuth 1.0a requests are refused with "Invalid timestamp."', modes: { clockOffsetSeconds: 1200 } },
  { label: 'HTTPS ended at a proxy WordPress does not believe', detail: 'The proxy says https, WordPress sees plain HTTP: keys over Basic are ignored, OAuth signed for https:// fails. Fixed in wp-config.php.', modes: { httpsProxy: true } },
  { label: 'HTTPS ended at a proxy that does not say so', detail: 'wp-config.php trusts X-Forwarded-Proto, but the proxy never sends it: fixed at the proxy.', modes: { httpsProxyNoForwardedProto: true } },
  { label: 'A security plugin that blocks anonymous REST requests', detail: 'Requests that do not log in get 401 rest_cannot_access, which hides WooCommerce\'s own message.', modes: { securityPlugin: true } },
  { label: 'A firewall that blocks secrets in query strings', detail: 'Keys in the query string get an HTML 403 before WordPress runs; Basic and OAuth 1.0a pass.', modes: { firewallQuerySecret: true } },
];

export async function pickModes(): Promise<SandboxModes | undefined> {
  const picked = await vscode.window.showQuickPick(MODE_PICKS, {
    title: 'Reproduce a Misconfiguration in the Sandbox',
    placeHolder: 'The sandbox store restarts as a store with this problem (same keys); send a request to see what it does',
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return picked?.modes;
}
