// woo-api: the extension's core from a terminal or CI: the same .http files, the same sender,
// the same sandbox store. Stores come from WOO_STORE_<NAME>_* environment variables (env-stores.ts).
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSandboxArgs, parseSandboxSeed, startSandbox } from './sandbox';
import {
  dotenvCandidates, environmentNames, jetbrainsEnvironment, mergeEnvironments, parseDotenv, parseEnvironmentFile, parseHttpDocument, privateEnvironmentNames,
  requestAt, requestStoreName, restClientEnvironment, type NamedExchange, type ParsedDocument, type Problem, type RequestTemplate,
} from './core/http';
import { findStore, namedExchangeOf, runRequest, type RunResult, type UnknownStoreWording } from './core/run-request';
import { entryFromExchange, RequestLogFile } from './core/request-log';
import { explainExchange, summarize, type Finding } from './core/explain/explain';
import { explainWithTokenProbe, probeToken } from './core/explain/token-probe';
import { memoryTokenStorage, TokenManager, type TokenRenewal, type TokenStorage } from './core/auth/token-manager';
import { bodyFileReferences, lintDocument, missingBodyFile } from './core/lint';
import { envName, storesFromEnv, type EnvStores } from './core/env-stores';
import type { Store } from './core/store';
import { bodyShown, formatExchangeHead, formatTimings, notJsonNote, type ExchangeContext } from './core/exchange-format';
import { closeConnections, send, type Exchange } from './core/send';
import { redactUrl } from './core/redact';
import { shellQuote } from './core/shell-quote';
import { terminalSafe } from './core/terminal-text';
import { BODY_TOKEN, exitWhenFlushed, stderr, stdout } from './cli-output';
import { diagnoseStore } from './core/explain/probes';
import { measureClockSkew } from './core/server-clock';
import { doctorMarkdown } from './core/explain/report';
import { VERSION } from './core/version';
import { TEST_USAGE, testCommand } from './cli-test';
import { IMPORT_USAGE, importCommand } from './cli-import';

const USAGE = `woo-api: WooCommerce API Studio from the command line

Usage:
  woo-api parse FILE [--env ENV] [--json]
      Parses a .http/.rest file and lists its requests and problems, those sending would meet included
      (unknown variables, a store without WOO_STORE_* variables), without sending. Exit 1 on an error.
  woo-api send FILE (--line N | --name NAME) [--env ENV] [--store NAME] [--json] [--timeout S] [--log FILE]
                   [--server-clock] [--allow-outbound HOST,…]
      Sends one request (the one at line N, 1-based, or the one named NAME) and prints the exchange.
      Exit 1 when the answer is 4xx/5xx or nothing came back.
  woo-api run FILE [--env ENV] [--store NAME] [--json] [--timeout S] [--log FILE] [--server-clock]
                   [--allow-outbound HOST,…]
      Sends every request in order, chaining named responses. Exit 1 on any 4xx/5xx or failure.
      --log FILE appends each exchange to a JSON Lines request log (no secrets), as the editor does.
      --server-clock signs OAuth 1.0a requests with the server's time (read from its Date header
      once per store), for "Invalid timestamp." from a server whose clock is off.
      A request that sends a secret-looking $processEnv/$dotenv value, or a file from outside the
      project, to a host that is not a WOO_STORE_* store is not sent unless --allow-outbound names
      that host (* for any).
${TEST_USAGE}${IMPORT_USAGE}  woo-api doctor --store NAME [--json] [--timeout S] [--allow-query-secret]
      Sends safe probes (nothing that changes data) to the store and names the cause of a broken
      authentication, with proof. Exit 1 when authentication is broken. A read-only key is reported,
      not failed, unless WOO_STORE_<NAME>_PERMISSIONS says the key must write. The key pair goes in
      a URL only for a store whose method is the query string, or with --allow-query-secret (the
      consumer secret is then written into the server's access log).
  woo-api sandbox [--http-port N] [--https-port N] [--seed FILE] [--strip-authorization]
                  [--plain-permalinks] [--home-url URL] [--clock-offset SECONDS] [--https-proxy]
                  [--https-proxy-no-forwarded-proto] [--security-plugin] [--firewall-query-secret]
                  [--token-plugin tmeister|useful-team|wp-oauth-server] [--access-token-lifetime S]
                  [--refresh-token-lifetime S] [--block-unauthenticated-rest] [--oauth-jwt-bearer]
                  [--oauth-auto-approve]
      Runs the local WooCommerce-faithful sandbox store until interrupted (Ctrl+C).
      Port 0 (the default) picks a free port. Without --seed it makes fresh credentials
      and prints them. The modes reproduce real misconfigurations: HTTPS ended at a proxy whose
      X-Forwarded-Proto WordPress ignores (--https-proxy) or that sends none
      (--https-proxy-no-forwarded-proto), a security plugin that refuses REST requests of anyone
      not logged in, a firewall rule that refuses consumer_secret in query strings.
      --token-plugin adds a JWT or OAuth 2.0 plugin, answering as recorded.
  woo-api logs analyze FILE [--json | --markdown] [--format combined|common|vhost_combined|"FORMAT"]
                       [--assume-scheme http|https] [--rules FILE] [--since 1h|DATE] [--fail-on-findings] [--quiet]
      Reads an Apache or nginx access log (plain or gzip; the format detected, or given as a
      LogFormat / log_format string) and reports its WooCommerce/WordPress REST traffic: 2xx/401/403
      over time per endpoint, client and user agent; bursts of 401s; one client trying many consumer
      keys; credentials sent over plain HTTP; a key that worked and then stopped; unusual hours.
      Keys are shown as their last 7 characters only. --assume-scheme says how the site was reached
      when the log does not. --rules reads thresholds, allow-lists and important routes (see
      docs/monitoring-rules.md); --since analyses only the lines of the last 1h (10m, 2d, or from a
      date such as 2026-11-27T10:00). --quiet prints nothing unless a finding is an error or a warning
      (for cron). Exit 0, or 1 with --fail-on-findings when a finding is an error or a warning; 2 when
      the file or the rules cannot be read or no line fits the format.
  woo-api logs watch FILE|- [--json] [--format F] [--rules FILE] [--since 10m|DATE] [--assume-scheme http|https]
      Follows a growing access log (through rotation by rename or copytruncate) or standard input (-:
      ssh shop tail -F /var/log/nginx/access.log | woo-api logs watch -) with the same detectors, and
      prints each alert once when it is raised and once when it is resolved; --json prints one JSON
      object per line (schema in docs/monitoring.md). --since first reads the last 10m of the file and
      of its rotated siblings (.1, .2.gz, ...). Runs until interrupted (exit 0) or until standard input
      ends (exit 1 when an error or warning alert was raised, else 0); 2 when the file or the rules
      cannot be read.
  woo-api --help | --version

Stores come from environment variables (there is no SecretStorage outside VS Code):
  WOO_STORE_<NAME>_URL, _AUTH (basic|query|oauth1|app-password|bearer|jwt|oauth2|none), _CONSUMER_KEY,
  _CONSUMER_SECRET, _USERNAME, _APP_PASSWORD, _TOKEN, _HOME_URL, _SIGNATURE_METHOD, _CA_FILE, _VERIFY_TLS=0,
  _PERMISSIONS (read|write|read_write: whether the key must write, for the doctor), _USER_AGENT
  (default woo-api-studio/<version>; a User-Agent header in the request wins)
  jwt: _USERNAME, _PASSWORD, _JWT_PLUGIN (tmeister|useful-team, detected when unset), _TOKEN_URL, _DEVICE
  oauth2: _CLIENT_ID, _CLIENT_SECRET, _GRANT (client_credentials|password|authorization_code), _SCOPE,
  _USERNAME, _PASSWORD, _REFRESH_TOKEN, _TOKEN_URL (discovered when unset). Tokens obtained here are kept
  in this process's memory only.
  where <NAME> is the file's store name upper-cased, other characters as _ (my-shop: WOO_STORE_MY_SHOP_URL).
Environments: --env ENV reads http-client.env.json / http-client.private.env.json beside the file,
and "rest-client.environmentVariables" from .vscode/settings.json up the tree; $dotenv reads .env files.
`;

/**
 * `woo-api COMMAND --help`: that command's part of USAGE, with the notes on stores and environments
 * for the commands that send; the whole text for an unknown command.
 */
export function usageOf(command: string | undefined): string {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  woo-api ${command} `) || l === `  woo-api ${command}`);
  if (command === undefined || start < 0) return USAGE;
  let end = start + 1;
  while (end < lines.length && lines[end].startsWith('    ')) end++; // its description and wrapped options
  const notes = ['send', 'run', 'test', 'doctor'].includes(command) ? `\n${USAGE.slice(USAGE.indexOf('Stores come from'))}` : '';
  return `Usage:\n${lines.slice(start, end).join('\n')}\n${notes}`;
}

/** A user-facing failure: printed as a sentence, never as a stack trace. */
export class UsageError extends Error {}

async function sandbox(argv: string[]): Promise<void> {
  let options;
  try {
    options = parseSandboxArgs(argv);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (options.seedFile) {
    let text: string;
    try {
      text = fs.readFileSync(options.seedFile, 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read the seed file ${options.seedFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
    }
    try {
      options.seed = parseSandboxSeed(text);
    } catch (err) {
      throw new UsageError(`The seed file ${options.seedFile} is not usable: ${(err as Error).message}`);
    }
  }
  const running = await startSandbox(options).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new UsageError(`A port is already in use (${err.message.replace(/^.*EADDRINUSE:?\s*/, '')}). Pick another with --http-port / --https-port, or 0 for a free one.`);
    if (err.code === 'EACCES') throw new UsageError('Permission denied opening a port; ports below 1024 need privileges. Pick a port above 1024, or 0.');
    throw err;
  });
  // The certificate in a file of its own, so that clients can verify TLS instead of turning it off.
  const certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-api-sandbox-'));
  const certFile = path.join(certDir, 'sandbox-ca.pem');
  fs.writeFileSync(certFile, running.certificatePem);
  const out = stdout;
  out.print(`Sandbox store (WooCommerce 8.2.2 authentication) running:\n`);
  out.print(`  HTTPS  ${running.httpsUrl}   (self-signed certificate for 127.0.0.1 and localhost)\n`);
  out.print(`  HTTP   ${running.httpUrl}\n`);
  out.print(`  CA     ${certFile}   (the certificate to trust: WOO_STORE_<NAME>_CA_FILE, curl --cacert)\n`);
  const modes = [
    options.stripAuthorization && 'strip-authorization',
    options.plainPermalinks && 'plain-permalinks',
    options.homeUrl && `home-url ${options.homeUrl}`,
    options.clockOffsetSeconds && `clock-offset ${options.clockOffsetSeconds}s`,
    options.httpsProxy && 'https-proxy',
    options.httpsProxyNoForwardedProto && 'https-proxy-no-forwarded-proto',
    options.securityPlugin && 'security-plugin',
    options.firewallQuerySecret && 'firewall-query-secret',
    options.tokenPlugin && `token-plugin ${options.tokenPlugin}`,
    options.accessTokenLifetimeSeconds && `access tokens ${options.accessTokenLifetimeSeconds}s`,
    options.refreshTokenLifetimeSeconds && `refresh tokens ${options.refreshTokenLifetimeSeconds}s`,
    options.blockUnauthenticatedRest && 'block-unauthenticated-rest',
    options.oauthJwtAccessTokens && 'oauth-jwt-bearer',
    options.oauthAutoApprove && 'oauth-auto-approve',
  ].filter(Boolean);
  if (modes.length) out.print(`  Modes  ${modes.join(', ')}\n`);
  if (running.generated) {
    // Only freshly generated, throw-away credentials are printed: the user asked for them and has no other way to learn them.
    out.print(`Generated credentials (valid until this process stops):\n`);
    for (const k of running.seed.keys) out.print(`  consumer key ${k.consumer_key}  secret ${k.consumer_secret}  (${k.permissions}, user ${k.user_id})\n`);
    for (const u of running.seed.users) for (const p of u.application_passwords ?? []) out.print(`  application password for ${u.login} (${u.role}): ${p}\n`);
    if (options.tokenPlugin) {
      for (const u of running.seed.users) if (u.password) out.print(`  WordPress password for ${u.login}: ${u.password}\n`);
      if (options.tokenPlugin === 'wp-oauth-server') for (const c of running.seed.oauth_clients ?? []) out.print(`  OAuth client ${c.client_id}  secret ${c.client_secret}  (${c.grant_types.join(', ')}; redirect ${c.redirect_uri})\n`);
    }
  }
  const key = running.generated ? running.seed.keys.find((k) => k.permissions === 'read_write') : undefined;
  out.print(`For woo-api in another shell (a file with "@store = sandbox"):\n`);
  // Lines to paste into a shell: every value single-quoted (the temporary folder's path is the
  // environment's, and may hold spaces, quotes or $(…)).
  out.print(`  export WOO_STORE_SANDBOX_URL=${shellQuote(running.httpsUrl)} WOO_STORE_SANDBOX_CA_FILE=${shellQuote(certFile)}\n`);
  out.print(key ? `  export WOO_STORE_SANDBOX_CONSUMER_KEY=${shellQuote(key.consumer_key)} WOO_STORE_SANDBOX_CONSUMER_SECRET=${shellQuote(key.consumer_secret)}\n` : `  # and WOO_STORE_SANDBOX_CONSUMER_KEY, WOO_STORE_SANDBOX_CONSUMER_SECRET: a key of the seed\n`);
  if (options.tokenPlugin) out.print(tokenStoreHint(options.tokenPlugin, running.generated ? running.seed : undefined));
  out.print(`Press Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => { void running.stop().then(() => fs.rmSync(certDir, { recursive: true, force: true })).then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** How to point a token store of woo-api at the sandbox's token plugin. */
function tokenStoreHint(plugin: string, seed: import('./sandbox').SandboxSeed | undefined): string {
  const user = seed?.users[0];
  const client = seed?.oauth_clients?.find((c) => c.grant_types.includes('password'));
  // Pasted into a shell like the lines above: every value single-quoted.
  const q = (v: string | undefined) => (v === undefined ? "'…'" : shellQuote(v));
  if (plugin === 'wp-oauth-server') {
    return `  # or, with OAuth 2.0:\n  export WOO_STORE_SANDBOX_AUTH=oauth2 WOO_STORE_SANDBOX_CLIENT_ID=${q(client?.client_id)} WOO_STORE_SANDBOX_CLIENT_SECRET=${q(client?.client_secret)} WOO_STORE_SANDBOX_GRANT=password WOO_STORE_SANDBOX_USERNAME=${q(user?.login)} WOO_STORE_SANDBOX_PASSWORD=${q(user?.password)}\n`;
  }
  return `  # or, with the JWT plugin:\n  export WOO_STORE_SANDBOX_AUTH=jwt WOO_STORE_SANDBOX_USERNAME=${q(user?.login)} WOO_STORE_SANDBOX_PASSWORD=${q(user?.password)}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      stdout.print(usageOf(command));
      return 0;
    }
    switch (command) {
      case 'sandbox':
        await sandbox(rest);
        return 0;
      case 'parse':
        return parseCommand(rest);
      case 'send':
        return await sendCommand(rest);
      case 'run':
        return await runCommand(rest);
      case 'test':
        return await testCommand(rest);
      case 'import':
        return await importCommand(rest);
      case 'doctor':
        return await doctorCommand(rest);
      case 'logs':
        return await logsCommand(rest);
      case '--version':
      case '-v':
        stdout.print(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        stdout.print(USAGE);
        return 0;
      default:
        throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      stderr.print(`woo-api: ${err.message}\n`);
      return 2;
    }
    stderr.print(`woo-api: unexpected failure: ${(err as Error).message}\nPlease report this with the command you ran.\n`);
    return 1;
  }
}


// ---------------------------------------------------------------------------------------------
// Options

export interface Flags { positional: string[]; values: Map<string, string>; switches: Set<string> }

/** Strict flag parsing: an unknown flag or a missing value is a UsageError, never ignored. */
export function parseFlags(argv: string[], valued: string[], switches: string[]): Flags {
  const flags: Flags = { positional: [], values: new Map(), switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (valued.includes(a)) {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value.`);
      flags.values.set(a, v);
    } else if (switches.includes(a)) {
      flags.switches.add(a);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`Unknown option ${a}. Run "woo-api --help" for the options.`);
    } else {
      flags.positional.push(a);
    }
  }
  return flags;
}

/** A file's text, or a UsageError that says why it cannot be read. */
export function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
  }
}

function readHttpFile(flags: Flags): { file: string; doc: ParsedDocument } {
  const [file, ...extra] = flags.positional;
  if (!file) throw new UsageError('Name the .http or .rest file to read.');
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const text = readTextFile(file);
  return { file: path.resolve(file), doc: parseHttpDocument(text, { languageId: /\.(md|markdown)$/i.test(file) ? 'markdown' : 'http' }) };
}

export function timeoutMs(flags: Flags): number | undefined {
  const t = flags.values.get('--timeout');
  if (t === undefined) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('--timeout takes a number of seconds greater than 0.');
  return n * 1000;
}

export function where(file: string, p: Problem): string {
  return `${path.relative(process.cwd(), file) || file}:${p.range.start.line + 1}:${p.range.start.character + 1}`;
}

// ---------------------------------------------------------------------------------------------
// woo-api parse

function parseCommand(argv: string[]): number {
  const flags = parseFlags(argv, ['--env'], ['--json']);
  const { file, doc } = readHttpFile(flags);
  // What sending would find too, short of sending: unknown variables and stores (env stores, --env).
  const ctx: CliContext = { file, doc, envName: flags.values.get('--env'), allowOutbound: new Set() };
  const dotenv = dotenvFor(ctx);
  const env = storesFromEnv(process.env);
  const lint = lintDocument(doc, env.stores, { environment: environmentFor(ctx), processEnv: process.env, dotenv: (n) => dotenv[n] }, unknownStoreInCli(env.problems));
  const problems = [...doc.problems, ...lint, ...missingBodyFiles(file, doc)].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  if (flags.switches.has('--json')) {
    const requests = doc.requests.map((r) => ({
      line: r.requestLineRange.start.line + 1, name: r.name, title: r.title, method: r.method, url: r.url,
      headers: r.headers.map((h) => [h.name, h.value]), body: r.body?.kind, store: r.metadata.store,
      noRedirect: r.metadata.noRedirect ?? false,
    }));
    stdout.printJson(JSON.stringify({ file, store: doc.fileStore, requests, problems }, null, 2) + '\n');
  } else {
    for (const r of doc.requests) stdout.print(`${String(r.requestLineRange.start.line + 1).padStart(5)}  ${r.method.padEnd(7)} ${r.url}${r.name ? `   (${r.name})` : ''}\n`);
    for (const p of problems) stderr.print(`${where(file, p)}: ${p.severity}: ${p.message}\n`);
    stdout.print(`${doc.requests.length} request${doc.requests.length === 1 ? '' : 's'}, ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  }
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// woo-api send / run

export interface CliContext {
  file: string; doc: ParsedDocument; envName?: string; storeOverride?: string; timeout?: number; log?: RequestLogFile;
  /** --allow-outbound: hosts that may receive secret-looking environment values and files from outside the project. */
  allowOutbound: ReadonlySet<string>;
  /** --server-clock: each store's clock skew, measured once (store id → seconds, or the reason it could not be). */
  serverClock?: Map<string, number | string>;
  /** Set by environmentFor(): the names whose values come from the private env file. */
  secretEnvironment?: ReadonlySet<string>;
}

function findUp(start: string, name: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readJson(file: string | undefined): unknown {
  if (!file || !fs.existsSync(file)) return undefined;
  const parsed = parseEnvironmentFile(fs.readFileSync(file, 'utf8'));
  if (parsed.error) throw new UsageError(`${file}: ${parsed.error}`);
  return parsed.environments;
}

export function environmentFor(ctx: CliContext): Record<string, string> {
  const dir = path.dirname(ctx.file);
  const settingsFile = findUp(dir, path.join('.vscode', 'settings.json'));
  let restClient: unknown;
  if (settingsFile) {
    let settings: Record<string, unknown> | undefined;
    try {
      settings = parseSettingsJsonc(fs.readFileSync(settingsFile, 'utf8'));
    } catch {
      settings = undefined;
    }
    if (settings) restClient = settings['rest-client.environmentVariables'];
    else stderr.print(`woo-api: ${settingsFile} cannot be read as JSON: its REST Client environments are skipped.\n`);
  }
  const publicFile = readJson(findUp(dir, 'http-client.env.json'));
  const privateFile = readJson(findUp(dir, 'http-client.private.env.json'));
  if (ctx.envName !== undefined) {
    const known = environmentNames(restClient, publicFile, privateFile);
    if (!known.includes(ctx.envName)) {
      throw new UsageError(`No environment is named "${ctx.envName}". ${known.length ? `Known: ${known.join(', ')}` : 'None is defined'} (http-client.env.json beside the file, or "rest-client.environmentVariables" in .vscode/settings.json).`);
    }
  }
  ctx.secretEnvironment = privateEnvironmentNames(privateFile, ctx.envName);
  return mergeEnvironments(restClientEnvironment(restClient, ctx.envName), jetbrainsEnvironment(publicFile, privateFile, ctx.envName));
}

/**
 * A settings file as VS Code reads it (JSON with comments and trailing commas), with jsonc-parser,
 * VS Code's own: undefined when it has errors (VS Code then ignores what it cannot read too).
 */
export function parseSettingsJsonc(text: string): Record<string, unknown> | undefined {
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  return errors.length === 0 && value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function dotenvFor(ctx: CliContext): Record<string, string> {
  for (const candidate of dotenvCandidates(path.dirname(ctx.file), ctx.envName)) {
    if (fs.existsSync(candidate)) return parseDotenv(fs.readFileSync(candidate, 'utf8'));
  }
  return {};
}

/** Store set-up problems already printed (once per run, not once per request). */
const told = new Set<string>();

/** A request's result, with the explanation of a 4xx/5xx answer (the editor's diagnostics, for CI logs). */
export interface Sent extends RunResult {
  findings: Finding[];
}

export async function sendOne(ctx: CliContext, request: RequestTemplate, named: Map<string, NamedExchange>, environment: Record<string, string>, dotenv: Record<string, string>): Promise<Sent> {
  const env = storesFromEnv(process.env);
  for (const p of env.problems) {
    if (!told.has(p)) stderr.print(`woo-api: ${p}\n`);
    told.add(p);
  }
  const result = await runRequest({
    doc: ctx.doc,
    request,
    stores: env.stores,
    storeOverride: ctx.storeOverride,
    authOptions: await serverClockFor(ctx, request, env.stores, environment),
    secretsFor: async (s) => env.secrets.get(s.id),
    variables: { environment, secretEnvironment: ctx.secretEnvironment, processEnv: process.env, dotenv: (n) => dotenv[n], namedResponses: named },
    readBodyFile: async (p) => fs.readFileSync(path.resolve(path.dirname(ctx.file), p)),
    locateBodyFile: async (p) => locateBodyFile(ctx.file, p),
    // No dialog in a terminal: the hosts allowed to get machine values are named on the command line.
    confirmOutbound: async ({ host }) => ctx.allowOutbound.has('*') || ctx.allowOutbound.has(host.toLowerCase()),
    outboundHint: 'To allow it, add --allow-outbound HOST (a comma-separated list) to the command.',
    readCaFile: async (p) => fs.readFileSync(p, 'utf8'),
    send: { timeoutMs: ctx.timeout },
    unknownStore: unknownStoreInCli(env.problems),
    tokens: (s) => tokenManagerFor(s, env)?.manager,
  });
  // Every answer is explained: a 2xx can be a trap too (an HTML page from plain permalinks), and
  // no answer at all can be (a connection closed on http:// to a port that speaks HTTPS). A refused
  // token is asked about at the plugin's own validate / introspection endpoint when one answer fits several causes.
  const tokens = result.store ? tokenManagerFor(result.store, env) : undefined;
  const probe = tokens && result.token?.sent?.places.includes('header')
    ? async () => {
      const accessToken = (await tokens.storage.load())?.accessToken;
      return accessToken ? probeToken({ send, tls: tokens.tls, timeoutMs: ctx.timeout }, { store: tokens.manager.current, plugin: tokens.manager.current.token?.plugin, token: accessToken }) : undefined;
    }
    : undefined;
  let findings = result.exchange
    ? await explainWithTokenProbe({ exchange: result.exchange, store: result.store, authMethod: result.authMethod, applied: result.applied, token: result.token }, probe)
    : [];
  // Not sent because the token could not be renewed: the token endpoint's refusal is what to explain.
  const refused = result.notSentCode === 'token-renewal-failed' ? result.renewals?.at(-1)?.exchanges.at(-1) : undefined;
  if (refused?.response && result.store) findings = explainExchange({ exchange: refused, store: result.store, authMethod: result.store.authMethod, token: { plugin: tokens?.manager.current.token?.plugin } });
  if (result.notSentCode === 'missing-credentials' && result.store) result.notSent = `Not sent: ${missingCredentials(result.store)}`;
  if (ctx.log) {
    // The token endpoint's exchanges are requests the CLI sent too.
    for (const r of result.renewals ?? []) for (const ex of r.exchanges) await ctx.log.append(entryFromExchange(ex, { store: result.store?.name, source: 'cli', file: ctx.file, line: request.requestLineRange.start.line }));
    if (result.firstAttempt) await ctx.log.append(entryFromExchange(result.firstAttempt, { store: result.store?.name, source: 'cli', file: ctx.file, line: request.requestLineRange.start.line }));
    if (result.exchange) await ctx.log.append(entryFromExchange(result.exchange, { store: result.store?.name, source: 'cli', finding: findings[0]?.cause, file: ctx.file, line: request.requestLineRange.start.line }));
  }
  if (request.name && result.exchange) {
    const n = namedExchangeOf(result.exchange);
    if (n) named.set(request.name, n);
  }
  return { ...result, findings };
}

/**
 * Where a `< file` body really is, and whether that is inside the project: under the working
 * directory or the .http file's own directory (symbolic links followed, so a link cannot smuggle
 * a file from elsewhere in).
 */
function locateBodyFile(httpFile: string, written: string): { path: string; inside: boolean } {
  const real = fs.realpathSync(path.resolve(path.dirname(httpFile), written));
  const roots = [process.cwd(), path.dirname(path.resolve(httpFile))].map((r) => fs.realpathSync(r));
  return { path: real, inside: roots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep)) };
}

/**
 * --server-clock: an OAuth 1.0a timestamp on the server's clock for the store this request uses,
 * the skew read from the store's Date header once per run (and said once on stderr).
 */
async function serverClockFor(ctx: CliContext, request: RequestTemplate, stores: readonly Store[], environment: Record<string, string>): Promise<{ timestamp: number } | undefined> {
  if (!ctx.serverClock) return undefined;
  const name = ctx.storeOverride ?? requestStoreName(ctx.doc, request, { environment, processEnv: process.env });
  const store = name ? findStore(stores, name) : undefined;
  if (!store) return undefined;
  let skew = ctx.serverClock.get(store.id);
  if (skew === undefined) {
    let ca: string | undefined;
    try {
      ca = store.options?.caCertificateFile ? fs.readFileSync(store.options.caCertificateFile, 'utf8') : undefined;
    } catch {
      ca = undefined; // the request itself will say the file cannot be read
    }
    const measured = await measureClockSkew(store, send, { tls: { verify: store.options?.verifyTls !== false, ca }, timeoutMs: ctx.timeout });
    skew = measured.skewSeconds ?? measured.error ?? 'no answer';
    ctx.serverClock.set(store.id, skew);
    stderr.print(typeof skew === 'number'
      ? `woo-api: the clock of store "${store.name}" is ${skew === 0 ? 'the same as this machine\'s' : `${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} this machine's`}; OAuth 1.0a timestamps follow the server (--server-clock).\n`
      : `woo-api: --server-clock: ${skew} Signing with this machine's clock.\n`);
  }
  return typeof skew === 'number' ? { timestamp: Math.floor(Date.now() / 1000) + skew } : undefined;
}

/**
 * One token manager per jwt / oauth2 store for the whole process: tokens obtained by the CLI live in
 * its memory and die with it (nothing is written to disk); concurrent requests share renewals.
 */
const tokenManagers = new Map<string, { manager: TokenManager; storage: TokenStorage; tls: { verify: boolean; ca?: string } }>();

function tokenManagerFor(store: Store, env: EnvStores): { manager: TokenManager; storage: TokenStorage; tls: { verify: boolean; ca?: string } } | undefined {
  if (store.authMethod !== 'jwt' && store.authMethod !== 'oauth2') return undefined;
  let entry = tokenManagers.get(store.id);
  if (!entry) {
    let ca: string | undefined;
    try {
      ca = store.options?.caCertificateFile ? fs.readFileSync(store.options.caCertificateFile, 'utf8') : undefined;
    } catch {
      ca = undefined; // runRequest says the file cannot be read
    }
    const tls = { verify: store.options?.verifyTls !== false, ca };
    const storage = memoryTokenStorage(env.secrets.get(store.id));
    entry = { manager: new TokenManager(store, storage, { send, tls }), storage, tls };
    tokenManagers.set(store.id, entry);
  }
  return entry;
}

/** "token: …" lines: the renewals a request needed, and its re-sending. */
function tokenLines(result: Sent, indent: string): string {
  const lines = (result.renewals ?? []).map((r) => `${indent}token: ${r.message}${r.reason === 'rejected' ? ' The store had refused the token; the request was sent again.' : ''}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function renewalJson(r: TokenRenewal) {
  return { reason: r.reason, ok: r.ok, how: r.how, message: r.message, expiresAt: r.expiresAt, failure: r.failure, exchanges: r.exchanges.map(exchangeJson) };
}

function exchangeJson(ex: import('./core/send').Exchange) {
  return { ...ex, response: ex.response && { ...ex.response, body: Buffer.from(ex.response.body).toString('utf8') } };
}

/** `< file` bodies that are not there (relative to the .http file, as send reads them). */
export function missingBodyFiles(file: string, doc: ParsedDocument): Problem[] {
  return bodyFileReferences(doc).filter((ref) => !fs.existsSync(path.resolve(path.dirname(file), ref.path))).map(missingBodyFile);
}

/**
 * An unknown store, for the command line: stores come from WOO_STORE_* variables there, and the ones
 * set but not usable (a bad URL, auth or signature method) say why.
 */
function unknownStoreInCli(setupProblems: readonly string[]): UnknownStoreWording {
  return (name) => {
    const wrong = setupProblems.filter((p) => p.includes(`WOO_STORE_${envName(name)}_`));
    return wrong.length
      ? `the store "${name}" is set up wrongly: ${wrong.join(' ')}`
      : `No store is named "${name}": set WOO_STORE_${envName(name)}_URL and its credentials (woo-api send --help lists the variables).`;
  };
}

/** "why: …" lines under a failed request: the summary, then each likely fix by name. */
function whyLines(sent: Sent, indent: string): string {
  if (sent.findings.length === 0) return '';
  // The editor's actions, in the CLI's words where it has them.
  const fixes = sent.findings[0].fixes.map((f) => (f.id === 'resync-and-resend' ? `${f.title} (woo-api: --server-clock)` : f.title)).slice(0, 3);
  return `${indent}why: ${summarize(sent.findings)}\n${fixes.length ? `${indent}fix: ${fixes.join(' | ')}\n` : ''}`;
}

export function failed(result: Sent): boolean {
  const status = result.exchange?.response?.status;
  // A finding on a 2xx is an API trap (HTML instead of JSON, a redirect off the API): not a success.
  // An answer with an error is not a success either: a redirect loop, a body cut short.
  return result.notSent !== undefined || status === undefined || status >= 400 || result.findings.length > 0 || result.exchange?.error !== undefined;
}

/** The environment variables a CLI store without credentials needs, by auth method. */
function missingCredentials(store: Store): string {
  const v = (suffix: string) => `WOO_STORE_${store.id}_${suffix}`;
  switch (store.authMethod) {
    case 'app-password': return `the store "${store.name}" needs a user and an application password: set ${v('USERNAME')} and ${v('APP_PASSWORD')}.`;
    case 'bearer': return `the store "${store.name}" needs a token: set ${v('TOKEN')}.`;
    case 'jwt': return `the store "${store.name}" needs a user and password to get a token: set ${v('USERNAME')} and ${v('PASSWORD')}.`;
    case 'oauth2': return `the store "${store.name}" needs its OAuth client: set ${v('CLIENT_ID')} and ${v('CLIENT_SECRET')}.`;
    default: return `the store "${store.name}" needs its consumer key and secret: set ${v('CONSUMER_KEY')} and ${v('CONSUMER_SECRET')}.`;
  }
}

function summaryLine(request: RequestTemplate, result: Sent): string {
  const label = request.name ?? request.title ?? `${request.method} ${request.url}`;
  const line = request.requestLineRange.start.line + 1;
  if (result.notSent) return `✗ ${line} ${label}: ${result.notSent}`;
  const ex = result.exchange!;
  const status = ex.response ? `${ex.response.status} ${ex.response.statusText}` : ex.error?.message ?? 'no answer';
  const note = ex.response && ex.error ? `\n    note: ${ex.error.message}` : '';
  return `${failed(result) ? '✗' : '✓'} ${line} ${ex.request.method} ${redactUrl(ex.request.url)} → ${status} (${formatTimings(ex)})${note}`;
}

/**
 * A request's result as JSON, its response body as BODY_TOKEN (printJsonWithBody writes the body's
 * bytes in its place: the body is never a string of its own here).
 */
function jsonOf(request: RequestTemplate, result: Sent) {
  const ex = result.exchange;
  const notJson = ex?.response && notJsonNote(ex.response);
  const problems: Problem[] = notJson ? [...result.problems, { range: request.requestLineRange, severity: 'warning', code: 'body-not-json', message: notJson }] : result.problems;
  return {
    line: request.requestLineRange.start.line + 1, name: request.name, store: result.store?.name, notSent: result.notSent,
    problems, added: result.applied?.added,
    findings: result.findings.map((f) => ({ cause: f.cause, title: f.title, confidence: f.confidence, evidence: f.evidence, fixes: f.fixes.map((x) => x.title) })),
    renewals: result.renewals?.map(renewalJson),
    firstAttempt: result.firstAttempt && exchangeJson(result.firstAttempt),
    exchange: ex && { ...ex, response: ex.response && { ...ex.response, body: BODY_TOKEN } },
  };
}

/** The exchange as text: its head, then the body (a large one written slice by slice, never copied whole). */
async function printExchange(ex: Exchange, ctx: ExchangeContext): Promise<void> {
  stdout.print(formatExchangeHead(ex, ctx));
  if (!ex.response) return;
  const shown = bodyShown(ex.response);
  if ('text' in shown) {
    stdout.print(`${shown.text}\n`);
    return;
  }
  await stdout.printBody(ex.response.body, 'text');
  stdout.print(`${shown.note}\n`);
}

function cliContext(flags: Flags): CliContext {
  const { file, doc } = readHttpFile(flags);
  const logFile = flags.values.get('--log');
  if (logFile !== undefined) checkLogFile(logFile);
  const allowOutbound = allowedOutboundHosts(flags);
  return {
    file, doc, envName: flags.values.get('--env'), storeOverride: flags.values.get('--store'), timeout: timeoutMs(flags), log: logFile ? new RequestLogFile(path.resolve(logFile)) : undefined,
    serverClock: flags.switches.has('--server-clock') ? new Map() : undefined,
    allowOutbound,
  };
}

/** --allow-outbound HOST[,HOST…]: the hosts that may get secret-looking machine values (see core/outbound.ts). */
export function allowedOutboundHosts(flags: Flags): ReadonlySet<string> {
  return new Set((flags.values.get('--allow-outbound') ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean));
}

/** Before anything is sent: a --log that cannot be written is a usage error, not a failure halfway. */
export function checkLogFile(logFile: string): void {
  const file = path.resolve(logFile);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new UsageError(`--log ${logFile} is a folder; give a file in it, such as ${path.join(logFile, 'requests.jsonl')}.`);
  }
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, '', { mode: 0o600 });
  } catch (err) {
    throw new UsageError(`--log ${logFile} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
}

async function sendCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, ['--line', '--name', '--env', '--store', '--timeout', '--log', '--allow-outbound'], ['--json', '--server-clock']);
  const ctx = cliContext(flags);
  const lineText = flags.values.get('--line');
  const name = flags.values.get('--name');
  if ((lineText === undefined) === (name === undefined)) throw new UsageError('Say which request to send: --line N or --name NAME.');
  let request: RequestTemplate | undefined;
  if (lineText !== undefined) {
    const line = Number(lineText);
    if (!Number.isInteger(line) || line < 1) throw new UsageError('--line takes a line number, counting from 1.');
    request = requestAt(ctx.doc, line - 1);
    if (!request) throw new UsageError(`There is no request at line ${line} of ${flags.positional[0]}.`);
  } else {
    request = ctx.doc.requests.find((r) => r.name === name);
    if (!request) throw new UsageError(`No request is named "${name}"; the named ones are: ${ctx.doc.requests.filter((r) => r.name).map((r) => r.name).join(', ') || 'none'}.`);
  }
  try {
    // Earlier named requests are not sent by `send`: chaining needs `run`.
    const result = await sendOne(ctx, request, new Map(), environmentFor(ctx), dotenvFor(ctx));
    for (const p of result.problems) stderr.print(`${where(ctx.file, p)}: ${p.severity}: ${p.message}\n`);
    if (flags.switches.has('--json')) {
      await stdout.printJsonWithBody(jsonOf(request, result), result.exchange?.response?.body, BODY_TOKEN);
      stdout.print('\n');
    } else if (result.exchange) {
      const title = request.name ?? request.title;
      // Both attempts when a refused token was renewed and the request sent again.
      if (result.firstAttempt) await printExchange(result.firstAttempt, { title: `${title ?? 'Exchange'} (first attempt: the token was refused)`, store: result.store?.name });
      if (result.firstAttempt) stdout.print('\n');
      stdout.print(tokenLines(result, '# '));
      await printExchange(result.exchange, { title, store: result.store?.name, added: result.applied?.added, oauthBaseString: result.applied?.oauthBaseString });
    } else stderr.print(tokenLines(result, 'woo-api: '));
    if (result.notSent) stderr.print(`woo-api: ${result.notSent}\n${flags.switches.has('--json') ? '' : whyLines(result, 'woo-api: ')}`);
    else if (result.exchange?.error) stderr.print(`woo-api: ${result.exchange.error.message}\n`);
    else if (!flags.switches.has('--json')) stderr.print(whyLines(result, 'woo-api: '));
    return failed(result) ? 1 : 0;
  } finally {
    await closeConnections();
  }
}

async function runCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, ['--env', '--store', '--timeout', '--log', '--allow-outbound'], ['--json', '--server-clock']);
  const ctx = cliContext(flags);
  const json = flags.switches.has('--json');
  const named = new Map<string, NamedExchange>();
  const environment = environmentFor(ctx);
  const dotenv = dotenvFor(ctx);
  let failures = 0;
  // --json: each result is written as it comes (its body streamed), so bodies are not all held until the end.
  if (json) stdout.printJson(`{\n  "file": ${JSON.stringify(ctx.file)},\n  "results": [`);
  try {
    for (const [i, request] of ctx.doc.requests.entries()) {
      const result = await sendOne(ctx, request, named, environment, dotenv);
      if (failed(result)) failures++;
      if (json) {
        stdout.print(`${i ? ',' : ''}\n    `);
        await stdout.printJsonWithBody(jsonOf(request, result), result.exchange?.response?.body, BODY_TOKEN, '    ');
      } else {
        for (const p of result.problems) stderr.print(`${where(ctx.file, p)}: ${p.severity}: ${p.message}\n`);
        stdout.print(summaryLine(request, result) + '\n' + tokenLines(result, '    ') + whyLines(result, '    '));
      }
    }
  } finally {
    await closeConnections();
  }
  if (json) stdout.printJson(`${ctx.doc.requests.length ? '\n  ' : ''}],\n  "failures": ${failures}\n}\n`);
  else stdout.print(`${ctx.doc.requests.length - failures} succeeded, ${failures} failed\n`);
  return failures ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// woo-api doctor

async function doctorCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, ['--store', '--timeout'], ['--json', '--allow-query-secret']);
  if (flags.positional.length) throw new UsageError(`Unexpected argument "${flags.positional[0]}".`);
  const name = flags.values.get('--store');
  if (!name) throw new UsageError('Name the store to diagnose: --store NAME (its WOO_STORE_<NAME>_* variables must be set).');
  const env = storesFromEnv(process.env);
  for (const p of env.problems) stderr.print(`woo-api: ${p}\n`);
  const store = findStore(env.stores, name);
  if (!store) throw new UsageError(`No store "${name}": set WOO_STORE_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL and its credentials.`);
  let ca: string | undefined;
  if (store.options?.caCertificateFile) {
    try {
      ca = fs.readFileSync(store.options.caCertificateFile, 'utf8');
    } catch {
      throw new UsageError(`Cannot read the certificate file ${store.options.caCertificateFile}.`);
    }
  }
  const json = flags.switches.has('--json');
  try {
    const report = await diagnoseStore(store, env.secrets.get(store.id) ?? {}, {
      send,
      tls: { verify: store.options?.verifyTls !== false, ca },
      timeoutMs: timeoutMs(flags),
      allowQuerySecret: flags.switches.has('--allow-query-secret'),
      onProbe: json ? undefined : (p) => stderr.print(`  ${p.outcome === 'ok' ? '✓' : p.outcome === 'failed' || p.outcome === 'error' ? '✗' : '·'} ${p.title}: ${p.result}\n`),
    });
    if (json) stdout.printJson(JSON.stringify(report, null, 2) + '\n');
    else stdout.print(doctorMarkdown(report, { snippets: true }) + '\n');
    if (report.querySecretWouldHelp) {
      stderr.print(`woo-api: one more probe would settle it: the key pair in the query string. Run again with --allow-query-secret to send it (the consumer secret is then written into the server's access log).\n`);
    }
    return report.healthy ? 0 : 1;
  } finally {
    await closeConnections();
  }
}

// ---------------------------------------------------------------------------------------------
// woo-api logs analyze

async function logsCommand(argv: string[]): Promise<number> {
  // Loaded here, not at the top: only this command needs it.
  const { analyzeFile, toMarkdown, toSummary } = await import('./core/access-log');
  const [sub, ...rest] = argv;
  if (sub === 'watch') return logsWatchCommand(rest);
  if (sub !== 'analyze') throw new UsageError(sub === undefined ? 'Say what to do: woo-api logs analyze FILE, or woo-api logs watch FILE.' : `Unknown logs command "${sub}"; the ones there are: analyze, watch.`);
  const flags = parseFlags(rest, ['--format', '--assume-scheme', '--rules', '--since'], ['--json', '--markdown', '--fail-on-findings', '--quiet']);
  const [file, ...extra] = flags.positional;
  if (!file) throw new UsageError('Name the access log to analyze: woo-api logs analyze FILE.');
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const json = flags.switches.has('--json');
  const markdown = flags.switches.has('--markdown');
  if (json && markdown) throw new UsageError('Choose one of --json and --markdown.');
  const options = await logOptions(flags);
  const format = options.format;

  const showProgress = process.stderr.isTTY && !json;
  let shown = -1;
  let report;
  try {
    report = await analyzeFile(file, {
      ...options,
      onProgress: showProgress ? (read, total) => {
        const pct = total > 0 ? Math.floor((read / total) * 100) : 0;
        if (pct !== shown) stderr.control(`\rReading ${terminalSafe(file)}: ${(shown = pct)}%`);
      } : undefined,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new UsageError(`Cannot read ${file}: no such file.`);
    if (e.code === 'EISDIR') throw new UsageError(`Cannot read ${file}: it is a directory.`);
    if (e.code === 'EACCES' || e.code === 'EPERM') throw new UsageError(`Cannot read ${file}: permission denied.`);
    if (typeof e.code === 'string' && e.code.startsWith('Z_')) throw new UsageError(`${file} starts like a gzip file but cannot be decompressed (${e.message}).`);
    throw err;
  } finally {
    if (shown >= 0) stderr.control('\r\x1b[K');
  }
  if (report.lines.parsed === 0 && report.lines.malformed > 0) {
    throw new UsageError(`No line of ${file} fits ${format !== undefined ? 'the format given' : 'a known format (combined, common, vhost_combined)'}. Pass the server's format: --format "<LogFormat string>" (Apache) or --format '<log_format string>' (nginx).`);
  }
  const serious = report.findings.some((f) => f.severity !== 'info');
  const text = json ? JSON.stringify(report, null, 2) + '\n' : markdown ? toMarkdown(report, { title: `Access log analysis: ${path.basename(file)}` }) : toSummary(report, file);
  // --quiet (cron): nothing printed unless a finding is an error or a warning.
  if (serious || !flags.switches.has('--quiet')) {
    if (json) stdout.printJson(text);
    else stdout.print(text);
  }
  return flags.switches.has('--fail-on-findings') && serious ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// woo-api logs watch (and what analyze shares with it: --rules, --since)

/** What analyze and watch read alike: --format (checked now), --assume-scheme, --rules FILE, --since. */
async function logOptions(flags: Flags): Promise<import('./core/access-log').AccessLogOptions> {
  const { compileLogFormat, LogFormatError } = await import('./core/access-log');
  const scheme = flags.values.get('--assume-scheme');
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') throw new UsageError('--assume-scheme takes http or https.');
  const format = flags.values.get('--format');
  if (format !== undefined) {
    try {
      compileLogFormat(format);
    } catch (err) {
      if (err instanceof LogFormatError) throw new UsageError(`--format: ${err.message}`);
      throw err;
    }
  }
  return { ...(await logRules(flags)), format, assumeScheme: scheme, sinceMs: await logSince(flags) };
}

/** --rules FILE: the monitoring rules, or a UsageError listing every mistake by line. */
async function logRules(flags: Flags): Promise<import('./core/access-log').MonitorRules> {
  const file = flags.values.get('--rules');
  if (file === undefined) return {};
  const { parseRules, RulesError } = await import('./core/access-log');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read the rules file ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code ?? (err as Error).message}.`);
  }
  try {
    return parseRules(text, file);
  } catch (err) {
    if (err instanceof RulesError) throw new UsageError(`the rules file has ${err.problems.length === 1 ? 'a mistake' : `${err.problems.length} mistakes`}; nothing was read:\n${err.message}`);
    throw err;
  }
}

/** --since 10m | 2026-11-27T10:00: UTC ms, or undefined without the flag. */
async function logSince(flags: Flags): Promise<number | undefined> {
  const text = flags.values.get('--since');
  if (text === undefined) return undefined;
  const { parseSince } = await import('./core/access-log');
  const t = parseSince(text, Date.now());
  if (t === undefined) throw new UsageError(`--since takes a duration back from now (30s, 10m, 2h, 1d) or a date and time (2026-11-27T10:00, UTC unless a zone is given); "${text}" is neither.`);
  return t;
}

async function logsWatchCommand(argv: string[]): Promise<number> {
  const { LiveMonitor, FileFollower, FollowError, followStream, formatAlert } = await import('./core/access-log');
  const flags = parseFlags(argv, ['--format', '--assume-scheme', '--rules', '--since'], ['--json']);
  const [file, ...extra] = flags.positional;
  if (!file) throw new UsageError('Name the access log to follow, or - for standard input: woo-api logs watch /var/log/nginx/access.log.');
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const options = await logOptions(flags);
  const sinceMs = options.sinceMs;
  if (file !== '-') {
    try {
      if (fs.statSync(file).isDirectory()) throw new UsageError(`${file} is a directory; name the log file in it.`);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      // A file that does not exist yet is waited for (the follower says so).
    }
  }

  const json = flags.switches.has('--json');
  const stop = new AbortController();
  // Alerts quote log lines (user agents, paths) written by anyone: printed terminal-safe (cli-output.ts).
  const say = (message: string) => stderr.print(`woo-api: ${message}\n`);
  let serious = 0;
  const monitor = new LiveMonitor({
    ...options,
    onAlert: (a) => {
      if (a.event === 'raised' && a.severity !== 'info') serious++;
      if (json) stdout.printJson(`${JSON.stringify(a)}\n`);
      else stdout.print(formatAlert(a));
    },
    onNotice: say,
  });
  const follower = file === '-' ? undefined : new FileFollower(file, monitor, { sinceMs, onNotice: say });
  const interrupted = () => {
    stop.abort();
    follower?.stop();
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  say(`following ${file === '-' ? 'standard input' : file}${sinceMs !== undefined ? ` from ${new Date(sinceMs).toISOString()}` : ''}; ${file === '-' ? 'until it ends or ' : ''}Ctrl+C stops.`);
  let inputEnded = false;
  try {
    if (follower) {
      stop.signal.addEventListener('abort', () => follower.stop());
      await follower.run();
    } else {
      await Promise.race([
        followStream(process.stdin, '-', monitor, stop.signal).then(() => { inputEnded = !stop.signal.aborted; }),
        new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve())),
      ]);
      monitor.endInput();
    }
  } catch (err) {
    if (err instanceof FollowError) throw new UsageError(err.message);
    throw err;
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    monitor.tick();
    monitor.stop();
    process.stdin.pause();
  }
  const st = monitor.stats();
  say(`${inputEnded ? 'end of input' : 'stopped'}: ${st.lines.toLocaleString('en')} lines read (${st.rest.toLocaleString('en')} REST requests, ${st.malformed.toLocaleString('en')} malformed); ${st.raised} alert${st.raised === 1 ? '' : 's'} raised, ${st.resolved} resolved, ${st.open} still open.`);
  return inputEnded && serious > 0 ? 1 : 0;
}



if (require.main === module) {
  // A reader that goes away (`| head`) is not a failure of ours: stop quietly.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0); });
  void main(process.argv.slice(2)).then(exitWhenFlushed);
}
