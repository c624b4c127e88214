// The one place that knows every secret shape this extension can come across, so that the exchange
// view, the log, history and error messages can show the request that went on the wire without its
// secrets (DESIGN "Rules of thumb").
//
// Policy:
//  - a consumer secret (`cs_` + 40 hex, FACTS "Key format") keeps nothing: `cs_••••••••`;
//  - a consumer key keeps its last 7 characters, WooCommerce's own `truncated_key` shown in
//    WooCommerce > Settings > Advanced > REST API (REFERENCE C.6 step 10), so a user can tell
//    which key was used without it being revealed: `ck_…1a2b3c4`;
//  - everything else secret is replaced by the same fixed mask, which hides its length too;
//  - the OAuth 1.0a parameters that are not secret (nonce, timestamp, method) stay readable,
//    because they are what a user needs to understand "Invalid timestamp." or "Invalid nonce".
// Redacting twice gives the same text as redacting once.
//
// Pure: no `vscode`, no I/O.

export const MASK = '••••••••';

/**
 * Where secret values came from, by value: `$processEnv NAME`, `$dotenv NAME`, `file /etc/passwd
 * (1,277 B)` (outbound.ts labelOf). A value with a label is shown as its label (`⟨$processEnv
 * NAME⟩`) instead of the dots, so that the user sees what left the machine without seeing it.
 */
export type SecretLabels = ReadonlyMap<string, string>;

/** How a labelled value is shown: `⟨$processEnv WOO_TOKEN⟩`. Never the value; the name only. */
export function labelMask(label: string): string {
  return `⟨${label.replace(/[⟨⟩\r\n]/g, '')}⟩`;
}

/** A label as labelMask writes it. */
const LABELLED = /⟨(?:\$processEnv|\$dotenv|file) [^⟨⟩\r\n]{1,1024}⟩/u;
/** The start of one (a query value ends at the label's space: `token=⟨$processEnv` is masked already). */
const LABEL_START = /⟨(?:\$processEnv|\$dotenv|file)(?: |$)/u;

/** WooCommerce's `truncated_key`: the last 7 characters of a consumer key. */
export function truncatedKey(ck: string): string {
  return ck.slice(-7);
}

/**
 * Masks every secret shape in free text: log lines, URLs, header dumps, JSON bodies, curl
 * commands. `knownSecrets` are the actual secret values of the store in use (consumer key and
 * secret, application password, token); they are masked wherever they appear, in their raw,
 * percent-encoded, form-encoded and JSON-escaped forms. Values shorter than 4 characters are not
 * searched for: masking every "a" in a text would hide more than it protects.
 */
export function redactText(text: string, knownSecrets: readonly string[] = [], labels?: SecretLabels): string {
  let out = redactKnownSecrets(text, knownSecrets, labels);
  // Every exchange is redacted (URL, each header, body), so each pass first checks, cheaply, for
  // what its pattern cannot match without: most texts need none of them.
  if (/authorization/i.test(out)) out = redactAuthorizationLines(out);
  if (out.includes('Basic') || out.includes('Bearer')) out = redactBareCredentials(out);
  if (out.includes('@') && out.includes('://')) out = redactUrlUserinfo(out);
  if (MAYBE_SECRET_NAME.test(out)) out = redactNamedValues(out);
  if (out.includes('eyJ')) out = out.replace(JWT, MASK);
  if (out.includes('cs_')) out = out.replace(CONSUMER_SECRET, `cs_${MASK}`);
  if (out.includes('ck_')) out = out.replace(CONSUMER_KEY, (ck) => `ck_…${truncatedKey(ck)}`);
  return out;
}

/** A URL with the secrets in its query and userinfo masked; the rest is left as written. */
export function redactUrl(url: string, knownSecrets: readonly string[] = [], labels?: SecretLabels): string {
  return redactText(url, knownSecrets, labels);
}

/**
 * A copy of `headers` with secret header values masked and every other value passed through
 * `redactText` (a `Location` header can carry a consumer secret in its query, for instance).
 * Names and the string/array shape of each value are kept.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string | string[]>>,
  knownSecrets: readonly string[] = [],
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = Array.isArray(value) ? value.map((v) => redactHeader(name, v, knownSecrets)) : redactHeader(name, value, knownSecrets);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shapes

/** `cs_` + 40 hex (WooCommerce generates lower case; upper case accepted in case of copying). */
const CONSUMER_SECRET = /cs_[0-9a-fA-F]{40,}/g;
const CONSUMER_KEY = /ck_[0-9a-fA-F]{40,}/g;
/** header.payload.signature, each base64url; the header of every JWT starts with `{"` = `eyJ`. */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
/** RFC 7235 token68: what follows `Basic ` or `Bearer `. */
const TOKEN68 = '[A-Za-z0-9\\-._~+/]+=*';
/** Schemes whose credentials are a single opaque token: masked whole. */
const OPAQUE_SCHEMES = 'basic|bearer|negotiate|ntlm|token';
/** A WordPress application password: 24 letters and digits, shown in 6 groups of 4. */
const APP_PASSWORD = /^(?:[A-Za-z0-9]{4} ?){5}[A-Za-z0-9]{4}$/;

/** Already redacted by this module (so redacting twice changes nothing). */
function isMasked(value: string): boolean {
  return value.includes(MASK) || /^(?:ck_)?….{7}$/su.test(value) || (value.includes('⟨') && LABEL_START.test(value));
}

/**
 * How a consumer key is named in sentences ("consumer key …1a2b3c4"): its last 7 characters, unless
 * the value is a consumer secret pasted as the key (key and secret swapped), which shows nothing.
 */
export function keyHint(consumerKey: string): string {
  if (/^cs_/i.test(consumerKey)) return `cs_${MASK} (a consumer secret: are the key and secret swapped?)`;
  return consumerKey.length < 12 ? MASK : `…${truncatedKey(consumerKey)}`;
}

function maskConsumerKey(value: string): string {
  if (value === '' || isMasked(value)) return value;
  // A secret pasted as the key (ck/cs swapped, REFERENCE C.10 #10) must not show its last 7.
  if (/^cs_/i.test(value)) return `cs_${MASK}`;
  // Too short to show 7 characters without showing (nearly) all of it.
  if (value.length < 12) return MASK;
  return `${value.startsWith('ck_') ? 'ck_' : ''}…${truncatedKey(value)}`;
}

/** How a known secret value is replaced: keys keep their truncated_key, the rest keeps nothing. */
function maskFor(secret: string): string {
  if (/^ck_[0-9a-fA-F]{40,}$/.test(secret)) return `ck_…${truncatedKey(secret)}`;
  if (/^cs_[0-9a-fA-F]{40,}$/.test(secret)) return `cs_${MASK}`;
  return MASK;
}

// ---------------------------------------------------------------------------------------------
// Known secrets

/**
 * `text` with the known secrets masked in every form they can be written in (see secretForms), and
 * nothing else: for text that is the server's (a response body) or the user's, where secret-shaped
 * values that are not the store's must stay readable.
 */
export function redactKnownSecrets(text: string, knownSecrets: readonly string[], labels?: SecretLabels): string {
  let out = text;
  for (const secret of searchOrder(knownSecrets)) {
    const search = secretSearch(secret);
    // Most texts hold none of the secret's written forms: a substring test settles that without the regex.
    if (search.forms && !search.forms.some((form) => out.includes(form))) continue;
    search.pattern.lastIndex = 0;
    const mask = maskOf(secret, search, labels);
    out = out.replace(search.pattern, () => mask);
  }
  return out;
}

/** A known secret's mask: its label when it has one, else the usual mask. */
function maskOf(secret: string, search: SecretSearch, labels: SecretLabels | undefined): string {
  const label = labels?.get(secret);
  return label ? labelMask(label) : search.mask;
}

/**
 * The written forms of each known secret (see secretForms) with its mask, longest secret first:
 * what redactBytes (redact-bytes.ts) searches a response body for.
 */
export function knownSecretForms(knownSecrets: readonly string[], labels?: SecretLabels): { forms: readonly string[]; mask: string }[] {
  return searchOrder(knownSecrets).map((secret) => {
    const search = secretSearch(secret);
    return { forms: search.literals, mask: maskOf(secret, search, labels) };
  });
}

/**
 * The credentials a request carries in its secret headers (the token after `Basic ` or `Bearer `,
 * an X-Api-Key's value…), added to `knownSecrets`: what a server may echo back, in the exact form
 * it was sent (base64 of `key:secret`, of `user:application password`).
 */
export function withHeaderCredentials(knownSecrets: readonly string[], headers: readonly (readonly [string, string])[]): readonly string[] {
  const found: string[] = [];
  for (const [name, value] of headers) {
    if (!isSecretHeader(name) || isMasked(value)) continue;
    const credentials = /^(?:proxy-)?authorization$/i.test(name.trim()) ? value.trim().replace(/^[A-Za-z][\w-]*\s+/, '') : value.trim();
    if (credentials.length >= 8 && !knownSecrets.includes(credentials)) found.push(credentials);
  }
  return found.length ? [...knownSecrets, ...found] : knownSecrets;
}

// The secrets of one exchange are masked in its URL, each header and the body, with the same array:
// its search order is worked out once for all of them (weakly held: nothing here keeps a secret alive).
const searchOrders = new WeakMap<readonly string[], { source: string[]; order: string[] }>();

/** Distinct secrets of 4+ characters, longest first (so a secret that contains another is masked whole). */
function searchOrder(knownSecrets: readonly string[]): string[] {
  if (knownSecrets.length === 0) return [];
  let known = searchOrders.get(knownSecrets);
  // The array may have changed since (callers push to it): the cached order holds only for the same contents.
  if (!known || known.source.length !== knownSecrets.length || known.source.some((s, i) => s !== knownSecrets[i])) {
    known = { source: [...knownSecrets], order: [...new Set(knownSecrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length) };
    searchOrders.set(knownSecrets, known);
  }
  return known.order;
}

interface SecretSearch {
  /** Every written form of the secret, as one global pattern. */
  pattern: RegExp;
  /** The literal forms the pattern is made of; undefined when it is not a plain alternation. */
  forms?: string[];
  mask: string;
  /** Every literal form (also for an application password, whose pattern is more than an alternation). */
  literals: string[];
}

/** Compiled searches per secret: the same few secrets are masked in every copy of every exchange. */
const searchCache = new Map<string, SecretSearch>();

function secretSearch(secret: string): SecretSearch {
  let search = searchCache.get(secret);
  if (!search) {
    if (searchCache.size > 256) searchCache.clear();
    const forms = secretForms(secret);
    const mask = maskFor(secret);
    // WordPress strips everything but letters and digits before checking an application password
    // (REFERENCE C.4 incorrect_password), so "abcd efgh …", "abcdefgh…", "abcd+efgh…" and
    // "abcd%20efgh…" are all the same secret: in text, any separator between the groups.
    const appPassword = APP_PASSWORD.test(secret);
    const groups = appPassword ? `${(secret.replace(/ /g, '').match(/.{4}/g) ?? []).join('(?:%20|%2B|[^A-Za-z0-9])?')}|` : '';
    search = {
      pattern: new RegExp(groups + forms.map(escapeRegExp).join('|'), 'g'),
      forms: appPassword ? undefined : forms,
      mask,
      literals: forms,
    };
    searchCache.set(secret, search);
  }
  return search;
}

/**
 * Every way a secret is written where we look: as is, percent-encoded (both flavours), form-encoded,
 * JSON-escaped, with `/` escaped as PHP's json_encode does, an application password with its
 * usual separators, and inside base64 or base64url at any offset (Basic sends base64 of
 * `key:secret`; a server may store or echo it so). Longest first.
 */
function secretForms(secret: string): string[] {
  const forms = new Set([
    secret,
    encodeURIComponent(secret),
    encodeRfc3986(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    JSON.stringify(secret).slice(1, -1),
  ]);
  if (APP_PASSWORD.test(secret)) {
    const groups = secret.replace(/ /g, '').match(/.{4}/g) ?? [];
    for (const sep of ['', ' ', '+', '-', '%20', '%2B']) forms.add(groups.join(sep));
  }
  for (const b64 of base64Forms(secret)) forms.add(b64);
  for (const f of [...forms]) if (f.includes('/')) forms.add(f.replace(/\//g, '\\/'));
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * The base64 (and base64url) characters that stand for the secret wherever it starts in the
 * encoded data: for each of the three offsets modulo 3, the groups made only of the secret's own
 * bytes. (The one or two characters at either end also depend on the neighbouring bytes; they
 * carry less than two bytes of the secret.) Secrets too short for 12 such characters are skipped.
 */
function base64Forms(secret: string): string[] {
  // TextEncoder and btoa rather than Buffer: the webview shares this module.
  const bytes = new TextEncoder().encode(secret);
  const out: string[] = [];
  for (let skip = 0; skip < 3; skip++) {
    const whole = Math.floor((bytes.length - skip) / 3) * 3;
    if (whole < 9) continue;
    // A whole number of 3-byte groups: no padding, so base64url is the same text with two letters swapped.
    const b64 = btoa(String.fromCharCode(...bytes.subarray(skip, skip + whole)));
    out.push(b64, b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

// ---------------------------------------------------------------------------------------------
// Authorization headers written out in text ("Authorization: Basic …" in a log or a curl command)

const AUTHORIZATION_WITH_SCHEME = new RegExp(
  `(\\b(?:proxy-)?authorization[ \\t]*:[ \\t]*)(${OPAQUE_SCHEMES})([ \\t]+)(${TOKEN68})`,
  'gi',
);
/** A bare token (8+ characters) with no scheme, alone on the rest of its line or before a quote. */
const AUTHORIZATION_BARE_TOKEN = new RegExp(
  `(\\b(?:proxy-)?authorization[ \\t]*:[ \\t]*)([A-Za-z0-9\\-._~+/]{8,}=*)(?=[ \\t]*(?:["'\\r\\n]|$))`,
  'gim',
);
/** `"Authorization": "…"` in a JSON dump of headers. */
const AUTHORIZATION_JSON = /("(?:proxy-)?authorization"\s*:\s*")((?:[^"\\]|\\.)*)(")/gi;

function redactAuthorizationLines(text: string): string {
  return text
    .replace(AUTHORIZATION_JSON, (_m, open: string, value: string, close: string) => `${open}${maskAuthorizationValue(value)}${close}`)
    .replace(AUTHORIZATION_WITH_SCHEME, (m, prefix: string, scheme: string, gap: string, token: string) =>
      isMasked(token) ? m : `${prefix}${scheme}${gap}${MASK}`,
    )
    .replace(AUTHORIZATION_BARE_TOKEN, (_m, prefix: string) => `${prefix}${MASK}`);
}

/**
 * `Basic …` / `Bearer …` outside a header line (e.g. a stack trace that printed the options of a
 * request). Only tokens that look like credentials (16+ characters with a digit or base64
 * punctuation) are masked, so prose such as "Basic authentication" stays readable.
 */
const BARE_CREDENTIALS = new RegExp(`\\b(Basic|Bearer)([ \\t]+)(${TOKEN68})`, 'g');

function redactBareCredentials(text: string): string {
  return text.replace(BARE_CREDENTIALS, (m, scheme: string, gap: string, token: string) =>
    token.length >= 16 && /[0-9+/=]/.test(token) ? `${scheme}${gap}${MASK}` : m,
  );
}

/** The value of an `Authorization` header: the scheme stays, the credentials go. */
function maskAuthorizationValue(value: string): string {
  const match = /^(\s*)([A-Za-z][\w-]*)(\s+)([\s\S]*)$/.exec(value);
  if (!match) return value.trim() === '' || isMasked(value) ? value : MASK;
  const [, lead = '', scheme = '', gap = '', credentials = ''] = match;
  // OAuth 1.0a parameters: only the signature and the consumer key are sensitive.
  if (/^oauth$/i.test(scheme)) return `${lead}${scheme}${gap}${redactNamedValues(credentials)}`;
  return `${lead}${scheme}${gap}${isMasked(credentials) ? credentials : MASK}`;
}

// ---------------------------------------------------------------------------------------------
// Named values: query strings, form bodies, OAuth header parameters, JSON

/**
 * Names whose value is secret. `consumer_key` is listed so that a key that is not key-shaped (a
 * typo, a swapped secret) is still cut down to its last 7 characters.
 */
const SECRET_NAMES =
  'consumer_secret|consumer_key|oauth_consumer_key|oauth_signature|client_secret|access_token|refresh_token|id_token|token|code_verifier|pwd|[A-Za-z0-9_]*password';
/** A text without any of these cannot hold a SECRET_NAMES name (the quick test before the slow patterns). */
const MAYBE_SECRET_NAME = /consumer_|oauth_|client_secret|token|code_verifier|pwd|password/i;
// Both start at `\b`: every name starts with a letter, digit or _, so it means "not after a letter, digit or _"
// (a third faster than the equivalent lookbehind on an OAuth-signed URL).
/** name="value", name=\"value\" (escaped inside JSON) and "name": "value". */
const QUOTED_NAMED_VALUE = new RegExp(
  `\\b(${SECRET_NAMES})("?\\s*[:=]\\s*)(\\\\?")((?:[^"\\\\]|\\\\[^"])*)(\\\\?")`,
  'gi',
);
/** name=value in a query string or form body. */
const PLAIN_NAMED_VALUE = new RegExp(`\\b(${SECRET_NAMES})(=)([^&#\\s"'<>]+)`, 'gi');

function redactNamedValues(text: string): string {
  const replace = (m: string, name: string, sep: string, open: string, value: string, close: string): string =>
    `${name}${sep}${open}${maskNamedValue(name, value)}${close}`;
  // Each pattern needs its separator: a query string has no quote, a JSON body may have no '='.
  let out = text;
  if (out.includes('"')) out = out.replace(QUOTED_NAMED_VALUE, replace);
  if (out.includes('=')) out = out.replace(PLAIN_NAMED_VALUE, (m, name: string, sep: string, value: string) => replace(m, name, sep, '', value, ''));
  return out;
}

function maskNamedValue(name: string, value: string): string {
  if (value === '' || isMasked(value)) return value;
  if (/^(?:oauth_)?consumer_key$/i.test(name)) return maskConsumerKey(value);
  return maskFor(value);
}

// ---------------------------------------------------------------------------------------------
// URLs and headers

/** scheme://user:password@host: the password goes. */
// `scheme://user:password@`, found by walking the text instead of with a regular expression: the
// pattern /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):([^\s/?#@]+)@/ retried its scheme from every
// letter of a run like "a-a-a-…" (a 150 KB body took 8 s). Each "://" is looked at once: the scheme
// before it (a letter at a word boundary, then letters, digits, + . -), the authority after it up
// to the first white space, / ? # or @; when that is an @ and the authority has a colon, what
// follows the first colon is the password.
function redactUrlUserinfo(text: string): string {
  let out = '';
  let copied = 0;
  for (let sep = text.indexOf('://'); sep >= 0; sep = text.indexOf('://', sep + 3)) {
    let start = sep;
    while (start > 0 && isSchemeChar(text.charCodeAt(start - 1))) start--;
    // The leftmost letter of the run at a word boundary starts the scheme (as \b[a-z] would).
    while (start < sep && !(isLetter(text.charCodeAt(start)) && (start === 0 || !isWordChar(text.charCodeAt(start - 1))))) start++;
    if (start === sep) continue;
    let end = sep + 3;
    while (end < text.length && !isAuthorityEnd(text.charCodeAt(end))) end++;
    if (text.charCodeAt(end) !== 0x40 /* @ */) {
      sep = Math.max(sep, end - 3); // nothing before `end` can start another match
      continue;
    }
    const colon = text.indexOf(':', sep + 3);
    if (colon < 0 || colon >= end - 1) continue;
    const password = text.slice(colon + 1, end);
    if (!isMasked(password)) {
      out += `${text.slice(copied, colon + 1)}${MASK}`;
      copied = end;
    }
    sep = end - 2;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isWordChar(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** [a-z0-9+.-], either case. */
function isSchemeChar(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
}

/** White space (as \s), /, ?, # or @. */
function isAuthorityEnd(c: number): boolean {
  return c === 0x2f || c === 0x3f || c === 0x23 || c === 0x40 || (c <= 0x20 && (c === 0x20 || (c >= 0x09 && c <= 0x0d))) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Headers whose value is a credential or a session, whoever set it (the store's auth, the user, a
 * server): masked in every copy, dropped from history and from a request redirected to another
 * origin, left out of a cURL copy. The one list every surface uses.
 */
const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-wp-nonce',
  'x-api-key', 'api-key', 'x-auth-token', 'x-access-token', 'x-csrf-token', 'x-xsrf-token',
]);

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.trim().toLowerCase());
}

/** `name=value` → `name=••••••••`; a piece without a name is masked whole. */
function maskCookie(piece: string): string {
  const eq = piece.indexOf('=');
  if (eq < 0) return piece.trim() === '' || isMasked(piece) ? piece : `${/^\s*/.exec(piece)![0]}${MASK}`;
  return eq === piece.length - 1 || isMasked(piece.slice(eq + 1)) ? piece : `${piece.slice(0, eq + 1)}${MASK}`;
}

/** One header value, masked as `redactHeaders` masks it. */
export function redactHeader(name: string, value: string, knownSecrets: readonly string[] = [], labels?: SecretLabels): string {
  // Values with a label (from $processEnv, $dotenv) are named first, so that the header's own
  // masking below keeps the name instead of replacing it with dots.
  if (labels?.size) value = redactKnownSecrets(value, knownSecrets, labels);
  switch (name.toLowerCase()) {
    case 'authorization':
    case 'proxy-authorization':
      return redactText(maskAuthorizationValue(value), knownSecrets, labels);
    case 'cookie':
      // WordPress login cookies are sessions: every value goes, the names stay (a piece without a name goes whole).
      return value.split(';').map(maskCookie).join(';');
    case 'set-cookie': {
      // The cookie goes; its attributes (Path, Expires, HttpOnly…) stay.
      const end = value.indexOf(';');
      return end < 0 ? maskCookie(value) : maskCookie(value.slice(0, end)) + value.slice(end);
    }
    default:
      if (isSecretHeader(name)) return value === '' || isOneLabel(value) ? value : MASK;
      return redactText(value, knownSecrets, labels);
  }
}

/** The whole value is one label (`⟨$processEnv API_KEY⟩`): nothing of a secret is left in it. */
function isOneLabel(value: string): boolean {
  const v = value.trim();
  return v.startsWith('⟨') && v.endsWith('⟩') && v.indexOf('⟨', 1) < 0 && LABELLED.test(v);
}
