// WordPress's idea of where it lives: the Home URL option, and the URLs derived from it
// (home_url(), rest_url()). There is ONE Home URL; on a TLS connection its scheme becomes https
// (get_home_url() with is_ssl()), otherwise the option's own scheme stays; OAuth signs with
// is_ssl() ? 'https' : 'http' explicitly. This is why a correctly signed OAuth request works on both
// the HTTP and the HTTPS port only when the Home URL's host:port is the one the client used.
// The recorded store (cases 1-2, 23-27) answered with the host:port of each request, so by default
// the sandbox takes host:port from the Host header; the homeUrl option pins it (FACTS point 4).
import type { OAuthSite } from './oauth-verify';
import { trimBoth, trimEnd } from './text';

export interface SiteUrls extends OAuthSite {
  isSsl: boolean;
  plainPermalinks: boolean;
  /** home_url( $path ): https on a TLS connection, else the option's scheme. */
  home(path?: string): string;
  /** rest_url( $route ): BASE/wp-json/route, or BASE/index.php?rest_route=/route on plain permalinks. */
  rest(route?: string): string;
  /** The Home URL's path without surrounding slashes ("" at the domain root). */
  homePath(): string;
}

export interface HomeOption {
  /** The option's scheme: get_home_url() keeps it unless is_ssl() makes it https. */
  scheme: 'http' | 'https';
  /** host[:port] as written in the option. */
  hostPort: string;
  /** Path without trailing slash, "" or "/shop". */
  path: string;
}

export function parseHomeOption(homeUrl: string): HomeOption {
  const url = new URL(homeUrl);
  const defaultPort = url.protocol === 'https:' ? '443' : '80';
  const hostPort = url.port && url.port !== defaultPort ? `${url.hostname}:${url.port}` : url.hostname;
  return { scheme: url.protocol === 'https:' ? 'https' : 'http', hostPort, path: trimEnd(url.pathname, '/') };
}

/** A Host header value WordPress would build a URL from, or undefined when it is unusable. */
export function usableHostHeader(host: string | undefined): string | undefined {
  if (!host) return undefined;
  // host, IPv4, [IPv6], each with an optional port; nothing that could break out of a URL.
  return /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host) ? host : undefined;
}

export function siteUrls(option: HomeOption, isSsl: boolean, plainPermalinks: boolean): SiteUrls {
  // get_home_url() with no scheme asked: https when is_ssl(), else the option's own scheme.
  const scheme = isSsl ? 'https' : option.scheme;
  const base = (): string => `${scheme}://${option.hostPort}${option.path}`;
  // get_home_url(): `$url .= '/' . ltrim( $path, '/' )` only when $path is non-empty.
  const home = (path = ''): string => (path ? `${base()}/${path.replace(/^\/+/, '')}` : base());
  return {
    isSsl,
    plainPermalinks,
    home,
    rest(route = '/') {
      const path = '/' + route.replace(/^\/+/, '');
      if (!plainPermalinks) return `${home('wp-json')}/${path.replace(/^\/+/, '')}`;
      // get_rest_url() on plain permalinks: trailingslashit(home) . 'index.php' + add_query_arg
      // (which does not encode the route: the recorded Link is "index.php?rest_route=/").
      return `${home('')}/index.php?rest_route=${path}`;
    },
    homeUrl(path: string, sslForBase: boolean) {
      const s = sslForBase ? 'https' : 'http';
      const b = `${s}://${option.hostPort}${option.path}`;
      return path ? `${b}/${path.replace(/^\/+/, '')}` : b;
    },
    homeRelativeBase() {
      // set_url_scheme( home . '/', 'relative' ) → "/" or "/shop/".
      return `${option.path}/`;
    },
    homePath() {
      return trimBoth(option.path, '/');
    },
  };
}
