// The HTML WordPress serves when a request does not reach the REST API: the front page (GET /, and
// on plain permalinks every /wp-json/…/ URL after its 301: cases 59-60, 67-68) and the 404 page.
// An API client that gets this back with 200 has failed, not succeeded (FACTS point 5); the page
// says so to whoever opens it in a browser.
import { SITE_DESCRIPTION, SITE_NAME } from './resources';
import type { SiteUrls } from './site';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(site: SiteUrls, title: string, main: string): string {
  const home = escapeHtml(site.home(''));
  return `<!DOCTYPE html>
<html lang="en-US">
<head>
<link rel="profile" href="https://gmpg.org/xfn/11" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />

<title>${escapeHtml(title)}</title>

<link rel="stylesheet" href="${home}/wp-content/themes/storefront/style.css" type="text/css" media="screen" />
<link rel="pingback" href="${home}/xmlrpc.php" />
<meta name='robots' content='noindex, nofollow' />
<link rel="https://api.w.org/" href="${escapeHtml(site.rest('/'))}" />
</head>
<body class="home blog">
<header><h1><a href="${home}/">${escapeHtml(SITE_NAME)}</a></h1><p>${escapeHtml(SITE_DESCRIPTION)}</p></header>
<main>
${main}
</main>
</body>
</html>
`;
}

export function frontPageHtml(site: SiteUrls): string {
  const api = escapeHtml(site.rest('/'));
  return page(site, SITE_NAME, `<p>This is the store's front page, an HTML page for people.</p>
<p>If an API client received this page, its request did not reach the REST API: the API lives at <a href="${api}">${api}</a>${site.plainPermalinks ? ' (this store uses plain permalinks, so /wp-json/ URLs are not the API; use ?rest_route=)' : ''}.</p>`);
}

export function notFoundHtml(site: SiteUrls): string {
  return page(site, `Page not found – ${SITE_NAME}`, `<h2>Oops! That page can’t be found.</h2>
<p>The REST API lives at <a href="${escapeHtml(site.rest('/'))}">${escapeHtml(site.rest('/'))}</a>.</p>`);
}

export function criticalErrorHtml(): string {
  return `<!DOCTYPE html>
<html lang="en-US">
<head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" /><title>WordPress &rsaquo; Error</title></head>
<body id="error-page"><div class="wp-die-message"><p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p></div></body>
</html>
`;
}
