// What stands between a client and WordPress on real stores, as sandbox modes: a proxy that ends
// HTTPS in front of WordPress (with or without X-Forwarded-Proto), a firewall rule that refuses
// consumer_secret in query strings (an HTML 403 before WordPress runs), a security plugin that
// refuses REST requests of anyone not logged in, and Apache's answer to plain HTTP sent to its TLS
// port. Each is a small function the server applies at the point where the real component acts.
import { wpError, type WpError } from './errors';
import { phpParseStr } from './php-query';
import type { SandboxOptions } from './types';

/** The parts of a request the intermediaries look at (a subset of server.ts's Incoming). */
export interface Wire {
  isSsl: boolean;
  /** The request-target as sent. */
  url: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  /** host:port of the listener. */
  listenerHost: string;
}

export interface HtmlAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const APACHE_SERVER = 'Apache/2.4.71 (Debian)';

function apacheAddress(hostPort: string): string {
  const m = /^(.*?)(?::(\d+))?$/.exec(hostPort);
  const host = m?.[1] ?? hostPort;
  return `<address>${APACHE_SERVER} Server at ${host} Port ${m?.[2] ?? '443'}</address>`;
}

/**
 * The firewall rule (ModSecurity-style, in front of WordPress): a query string naming
 * consumer_secret is refused with the web server's HTML 403 page, whatever else the request holds.
 */
export function firewallAnswer(wire: Wire, options: SandboxOptions): HtmlAnswer | undefined {
  if (!options.firewallQuerySecret) return undefined;
  const q = wire.url.indexOf('?');
  if (q === -1) return undefined;
  // The rule matches argument names as PHP would decode them (consumer%5Fsecret is caught too).
  const names = [...phpParseStr(wire.url.slice(q + 1)).keys()].map((k) => String(k).toLowerCase());
  if (!names.includes('consumer_secret')) return undefined;
  const body = [
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">',
    '<html><head>',
    '<title>403 Forbidden</title>',
    '</head><body>',
    '<h1>Forbidden</h1>',
    "<p>You don't have permission to access this resource.</p>",
    '<hr>',
    apacheAddress(wire.headers['host'] ?? wire.listenerHost),
    '</body></html>',
    '',
  ].join('\n');
  return { status: 403, headers: { 'Content-Type': 'text/html; charset=iso-8859-1' }, body };
}

/**
 * The headers WordPress gets and whether it thinks the request came over HTTPS (is_ssl()), after
 * the proxy modes: with httpsProxy the proxy sets X-Forwarded-Proto but WordPress ignores it; with
 * httpsProxyNoForwardedProto the proxy passes the client's header on and WordPress's wp-config.php
 * lines turn X-Forwarded-Proto: https into $_SERVER['HTTPS'] = 'on'.
 */
export function behindProxy(wire: Wire, options: SandboxOptions): { isSsl: boolean; headers: Record<string, string | undefined> } {
  if (options.httpsProxy) {
    const headers = { ...wire.headers };
    // The proxy speaks for the connection it received: its own header replaces the client's.
    if (wire.isSsl) headers['x-forwarded-proto'] = 'https';
    return { isSsl: false, headers };
  }
  if (options.httpsProxyNoForwardedProto) {
    return { isSsl: (wire.headers['x-forwarded-proto'] ?? '').trim().toLowerCase() === 'https', headers: wire.headers };
  }
  return { isSsl: wire.isSsl, headers: wire.headers };
}

/**
 * The security plugin's rest_authentication_errors filter (default priority 10, before
 * WooCommerce's own at 15): nobody logged in, so the REST API is refused with its error, and
 * WooCommerce's message ("Consumer secret is invalid." and the like) is never seen.
 */
export function securityPluginError(loggedIn: boolean, options: SandboxOptions): WpError | undefined {
  if (!options.securityPlugin || loggedIn) return undefined;
  return wpError('rest_cannot_access', 'Only authenticated users can access the REST API.', 401);
}

/** Apache's 400 page for a plain HTTP request that reached its TLS port. */
export function plainHttpOnTlsPort(listenerHost: string): string {
  const body = [
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">',
    '<html><head>',
    '<title>400 Bad Request</title>',
    '</head><body>',
    '<h1>Bad Request</h1>',
    '<p>Your browser sent a request that this server could not understand.<br />',
    "Reason: You're speaking plain HTTP to an SSL-enabled server port.<br />",
    ' Instead use the HTTPS scheme to access this URL, please.<br />',
    '</p>',
    '<hr>',
    apacheAddress(listenerHost),
    '</body></html>',
    '',
  ].join('\n');
  return [
    'HTTP/1.1 400 Bad Request',
    `Date: ${new Date().toUTCString()}`,
    `Server: ${APACHE_SERVER}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    'Content-Type: text/html; charset=iso-8859-1',
    '',
    body,
  ].join('\r\n');
}
