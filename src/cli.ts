// woo-api: the extension's core from a terminal or CI: the same .http files, the same sender,
// the same sandbox store. Stores come from WOO_STORE_<NAME>_* environment variables (env-stores.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSandboxArgs, parseSandboxSeed, startSandbox } from './sandbox';
import {
  dotenvCandidates, environmentNames, jetbrainsEnvironment, mergeEnvironments, parseDotenv, parseEnvironmentFile, parseHttpDocument, privateEnvironmentNames,
  requestAt, restClientEnvironment, type NamedExchange, type ParsedDocument, type Problem, type RequestTemplate,
} from './core/http';
import { findStore, namedExchangeOf, runRequest, type RunResult, type UnknownStoreWording } from './core/run-request';
import { entryFromExchange, RequestLogFile } from './core/request-log';
import { explainExchange, summarize, type Finding } from './core/explain/explain';
import { bodyFileReferences, lintDocument, missingBodyFile } from './core/lint';
import { envName, storesFromEnv } from './core/env-stores';
import type { Store } from './core/store';
import { formatExchange, formatTimings } from './core/exchange-format';
import { closeConnections, send } from './core/send';
import { redactUrl } from './core/redact';
import { diagnoseStore } from './core/explain/probes';
import { doctorMarkdown } from './core/explain/report';
import { TEST_USAGE, testCommand } from './cli-test';
import { IMPORT_USAGE, importCommand } from './cli-import';

const USAGE = `woo-api: WooCommerce API Studio from the command line

Usage:
  woo-api parse FILE [--env ENV] [--json]
      Parses a .http/.rest file and lists its requests and problems, those sending would meet included
      (unknown variables, a store without WOO_STORE_* variables), without sending. Exit 1 on an error.
  woo-api send FILE (--line N | --name NAME) [--env ENV] [--store NAME] [--json] [--timeout S] [--log FILE]
      Sends one request (the one at line N, 1-based, or the one named NAME) and prints the exchange.
      Exit 1 when the answer is 4xx/5xx or nothing came back.
  woo-api run FILE [--env ENV] [--store NAME] [--json] [--timeout S] [--log FILE]
      Sends every request in order, chaining named responses. Exit 1 on any 4xx/5xx or failure.
      --log FILE appends each exchange to a JSON Lines request log (no secrets), as the editor does.
${TEST_USAGE}${IMPORT_USAGE}  woo-api doctor --store NAME [--json] [--timeout S]
      Sends safe probes (nothing that changes data) to the store and names the cause of a broken
      authentication, with proof. Exit 1 when authentication is broken.
  woo-api sandbox [--http-port N] [--https-port N] [--seed FILE] [--strip-authorization]
                  [--plain-permalinks] [--home-url URL] [--clock-offset SECONDS]
      Runs the local WooCommerce-faithful sandbox store until interrupted (Ctrl+C).
      Port 0 (the default) picks a free port. Without --seed it makes fresh credentials
      and prints them.
  woo-api logs analyze FILE [--json | --markdown] [--format combined|common|vhost_combined|"FORMAT"]
                       [--assume-scheme http|https] [--fail-on-findings]
      Reads an Apache or nginx access log (plain or gzip; the format detected, or given as a
      LogFormat / log_format string) and reports its WooCommerce/WordPress REST traffic: 2xx/401/403
      over time per endpoint, client and user agent; bursts of 401s; one client trying many consumer
      keys; credentials sent over plain HTTP; a key that worked and then stopped; unusual hours.
      Keys are shown as their last 7 characters only. --assume-scheme says how the site was reached
      when the log does not. Exit 0, or 1 with --fail-on-findings when a finding is an error or a
      warning; 2 when the file cannot be read or no line fits the format.
  woo-api --help | --version

Stores come from environment variables (there is no SecretStorage outside VS Code):
  WOO_STORE_<NAME>_URL, _AUTH (basic|query|oauth1|app-password|bearer|none), _CONSUMER_KEY,
  _CONSUMER_SECRET, _USERNAME, _APP_PASSWORD, _TOKEN, _HOME_URL, _SIGNATURE_METHOD, _CA_FILE, _VERIFY_TLS=0,
  _PERMISSIONS (read|write|read_write: a read key that cannot write is then what the doctor expects)
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
  const out = process.stdout;
  out.write(`Sandbox store (WooCommerce 8.2.2 authentication) running:\n`);
  out.write(`  HTTPS  ${running.httpsUrl}   (self-signed certificate for 127.0.0.1 and localhost)\n`);
  out.write(`  HTTP   ${running.httpUrl}\n`);
  out.write(`  CA     ${certFile}   (the certificate to trust: WOO_STORE_<NAME>_CA_FILE, curl --cacert)\n`);
  const modes = [
    options.stripAuthorization && 'strip-authorization',
    options.plainPermalinks && 'plain-permalinks',
    options.homeUrl && `home-url ${options.homeUrl}`,
    options.clockOffsetSeconds && `clock-offset ${options.clockOffsetSeconds}s`,
  ].filter(Boolean);
  if (modes.length) out.write(`  Modes  ${modes.join(', ')}\n`);
  if (running.generated) {
    // Only freshly generated, throw-away credentials are printed: the user asked for them and has no other way to learn them.
    out.write(`Generated credentials (valid until this process stops):\n`);
    for (const k of running.seed.keys) out.write(`  consumer key ${k.consumer_key}  secret ${k.consumer_secret}  (${k.permissions}, user ${k.user_id})\n`);
    for (const u of running.seed.users) for (const p of u.application_passwords ?? []) out.write(`  application password for ${u.login} (${u.role}): ${p}\n`);
  }
  const key = running.generated ? running.seed.keys.find((k) => k.permissions === 'read_write') : undefined;
  out.write(`For woo-api in another shell (a file with "@store = sandbox"):\n`);
  out.write(`  export WOO_STORE_SANDBOX_URL=${running.httpsUrl} WOO_STORE_SANDBOX_CA_FILE=${certFile}\n`);
  out.write(key ? `  export WOO_STORE_SANDBOX_CONSUMER_KEY=${key.consumer_key} WOO_STORE_SANDBOX_CONSUMER_SECRET=${key.consumer_secret}\n` : `  export WOO_STORE_SANDBOX_CONSUMER_KEY=… WOO_STORE_SANDBOX_CONSUMER_SECRET=…   (a key of the seed)\n`);
  out.write(`Press Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => { void running.stop().then(() => fs.rmSync(certDir, { recursive: true, force: true })).then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(usageOf(command));
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
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      default:
        throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`woo-api: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`woo-api: unexpected failure: ${(err as Error).message}\nPlease report this with the command you ran.\n`);
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
    } else if (a.startsWith('-')) {
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
  const ctx: CliContext = { file, doc, envName: flags.values.get('--env') };
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
    process.stdout.write(JSON.stringify({ file, store: doc.fileStore, requests, problems }, null, 2) + '\n');
  } else {
    for (const r of doc.requests) process.stdout.write(`${String(r.requestLineRange.start.line + 1).padStart(5)}  ${r.method.padEnd(7)} ${r.url}${r.name ? `   (${r.name})` : ''}\n`);
    for (const p of problems) process.stderr.write(`${where(file, p)}: ${p.severity}: ${p.message}\n`);
    process.stdout.write(`${doc.requests.length} request${doc.requests.length === 1 ? '' : 's'}, ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  }
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// woo-api send / run

export interface CliContext {
  file: string; doc: ParsedDocument; envName?: string; storeOverride?: string; timeout?: number; log?: RequestLogFile;
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
    try {
      // VS Code's settings files are JSON with comments and trailing commas.
      restClient = (JSON.parse(withoutJsonComments(fs.readFileSync(settingsFile, 'utf8'))) as Record<string, unknown>)['rest-client.environmentVariables'];
    } catch {
      process.stderr.write(`woo-api: ${settingsFile} cannot be read as JSON: its REST Client environments are skipped.\n`);
    }
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

/** JSONC as VS Code writes it: line and block comments and trailing commas go; strings are left alone. */
export function withoutJsonComments(text: string): string {
  const stripped = scanJson(text.replace(/^\uFEFF/, ''), (t, i) => {
    if (t.startsWith('//', i)) {
      const end = t.indexOf('\n', i);
      return { to: end < 0 ? t.length : end, put: '' };
    }
    if (t.startsWith('/*', i)) {
      const end = t.indexOf('*/', i + 2);
      return { to: end < 0 ? t.length : end + 2, put: ' ' };
    }
    return undefined;
  });
  // A comma whose next non-blank character closes the object or array.
  return scanJson(stripped, (t, i) => {
    if (t[i] !== ',') return undefined;
    let j = i + 1;
    while (j < t.length && /\s/.test(t[j])) j++;
    return t[j] === '}' || t[j] === ']' ? { to: i + 1, put: '' } : undefined;
  });
}

/** Copies `text`, offering each position outside strings to `at`, which may replace text[i, to). */
function scanJson(text: string, at: (text: string, i: number) => { to: number; put: string } | undefined): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const replaced = at(text, i);
    if (replaced) {
      out += replaced.put;
      i = replaced.to;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
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
    if (!told.has(p)) process.stderr.write(`woo-api: ${p}\n`);
    told.add(p);
  }
  const result = await runRequest({
    doc: ctx.doc,
    request,
    stores: env.stores,
    storeOverride: ctx.storeOverride,
    secretsFor: async (s) => env.secrets.get(s.id),
    variables: { environment, secretEnvironment: ctx.secretEnvironment, processEnv: process.env, dotenv: (n) => dotenv[n], namedResponses: named },
    readBodyFile: async (p) => fs.readFileSync(path.resolve(path.dirname(ctx.file), p)),
    readCaFile: async (p) => fs.readFileSync(p, 'utf8'),
    send: { timeoutMs: ctx.timeout },
    unknownStore: unknownStoreInCli(env.problems),
  });
  // Every answer is explained: a 2xx can be a trap too (an HTML page from plain permalinks).
  const findings = result.exchange?.response
    ? explainExchange({ exchange: result.exchange, store: result.store, authMethod: result.authMethod, applied: result.applied })
    : [];
  if (result.notSentCode === 'missing-credentials' && result.store) result.notSent = `Not sent: ${missingCredentials(result.store)}`;
  if (ctx.log && result.exchange) {
    await ctx.log.append(entryFromExchange(result.exchange, { store: result.store?.name, source: 'cli', finding: findings[0]?.cause, file: ctx.file, line: request.requestLineRange.start.line }));
  }
  if (request.name && result.exchange) {
    const n = namedExchangeOf(result.exchange);
    if (n) named.set(request.name, n);
  }
  return { ...result, findings };
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
  const fixes = sent.findings[0].fixes.map((f) => f.title).slice(0, 3);
  return `${indent}why: ${summarize(sent.findings)}\n${fixes.length ? `${indent}fix: ${fixes.join(' | ')}\n` : ''}`;
}

export function failed(result: Sent): boolean {
  const status = result.exchange?.response?.status;
  // A finding on a 2xx is an API trap (HTML instead of JSON, a redirect off the API): not a success.
  return result.notSent !== undefined || status === undefined || status >= 400 || result.findings.length > 0 || (result.exchange?.error !== undefined && !result.exchange.response);
}

/** The environment variables a CLI store without credentials needs, by auth method. */
function missingCredentials(store: Store): string {
  const v = (suffix: string) => `WOO_STORE_${store.id}_${suffix}`;
  switch (store.authMethod) {
    case 'app-password': return `the store "${store.name}" needs a user and an application password: set ${v('USERNAME')} and ${v('APP_PASSWORD')}.`;
    case 'bearer': return `the store "${store.name}" needs a token: set ${v('TOKEN')}.`;
    default: return `the store "${store.name}" needs its consumer key and secret: set ${v('CONSUMER_KEY')} and ${v('CONSUMER_SECRET')}.`;
  }
}

function summaryLine(request: RequestTemplate, result: Sent): string {
  const label = request.name ?? request.title ?? `${request.method} ${request.url}`;
  const line = request.requestLineRange.start.line + 1;
  if (result.notSent) return `✗ ${line} ${label}: ${result.notSent}`;
  const ex = result.exchange!;
  const status = ex.response ? `${ex.response.status} ${ex.response.statusText}` : ex.error?.message ?? 'no answer';
  return `${failed(result) ? '✗' : '✓'} ${line} ${ex.request.method} ${redactUrl(ex.request.url)} → ${status} (${formatTimings(ex)})`;
}

function jsonOf(request: RequestTemplate, result: Sent) {
  const ex = result.exchange;
  return {
    line: request.requestLineRange.start.line + 1, name: request.name, store: result.store?.name, notSent: result.notSent,
    problems: result.problems, added: result.applied?.added,
    findings: result.findings.map((f) => ({ cause: f.cause, title: f.title, confidence: f.confidence, evidence: f.evidence, fixes: f.fixes.map((x) => x.title) })),
    exchange: ex && { ...ex, response: ex.response && { ...ex.response, body: Buffer.from(ex.response.body).toString('utf8') } },
  };
}

function cliContext(flags: Flags): CliContext {
  const { file, doc } = readHttpFile(flags);
  const logFile = flags.values.get('--log');
  if (logFile !== undefined) checkLogFile(logFile);
  return { file, doc, envName: flags.values.get('--env'), storeOverride: flags.values.get('--store'), timeout: timeoutMs(flags), log: logFile ? new RequestLogFile(path.resolve(logFile)) : undefined };
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
  const flags = parseFlags(argv, ['--line', '--name', '--env', '--store', '--timeout', '--log'], ['--json']);
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
    for (const p of result.problems) process.stderr.write(`${where(ctx.file, p)}: ${p.severity}: ${p.message}\n`);
    if (flags.switches.has('--json')) process.stdout.write(JSON.stringify(jsonOf(request, result), null, 2) + '\n');
    else if (result.exchange) process.stdout.write(formatExchange(result.exchange, { title: request.name ?? request.title, store: result.store?.name, added: result.applied?.added, oauthBaseString: result.applied?.oauthBaseString }));
    if (result.notSent) process.stderr.write(`woo-api: ${result.notSent}\n`);
    else if (result.exchange?.error && !result.exchange.response) process.stderr.write(`woo-api: ${result.exchange.error.message}\n`);
    else if (!flags.switches.has('--json')) process.stderr.write(whyLines(result, 'woo-api: '));
    return failed(result) ? 1 : 0;
  } finally {
    await closeConnections();
  }
}

async function runCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, ['--env', '--store', '--timeout', '--log'], ['--json']);
  const ctx = cliContext(flags);
  const json = flags.switches.has('--json');
  const named = new Map<string, NamedExchange>();
  const environment = environmentFor(ctx);
  const dotenv = dotenvFor(ctx);
  const results: ReturnType<typeof jsonOf>[] = [];
  let failures = 0;
  try {
    for (const request of ctx.doc.requests) {
      const result = await sendOne(ctx, request, named, environment, dotenv);
      if (failed(result)) failures++;
      if (json) results.push(jsonOf(request, result));
      else {
        for (const p of result.problems) process.stderr.write(`${where(ctx.file, p)}: ${p.severity}: ${p.message}\n`);
        process.stdout.write(summaryLine(request, result) + '\n' + whyLines(result, '    '));
      }
    }
  } finally {
    await closeConnections();
  }
  if (json) process.stdout.write(JSON.stringify({ file: ctx.file, failures, results }, null, 2) + '\n');
  else process.stdout.write(`${ctx.doc.requests.length - failures} succeeded, ${failures} failed\n`);
  return failures ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// woo-api doctor

async function doctorCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, ['--store', '--timeout'], ['--json']);
  if (flags.positional.length) throw new UsageError(`Unexpected argument "${flags.positional[0]}".`);
  const name = flags.values.get('--store');
  if (!name) throw new UsageError('Name the store to diagnose: --store NAME (its WOO_STORE_<NAME>_* variables must be set).');
  const env = storesFromEnv(process.env);
  for (const p of env.problems) process.stderr.write(`woo-api: ${p}\n`);
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
      onProbe: json ? undefined : (p) => process.stderr.write(`  ${p.outcome === 'ok' ? '✓' : p.outcome === 'failed' || p.outcome === 'error' ? '✗' : '·'} ${p.title}: ${p.result}\n`),
    });
    process.stdout.write(json ? JSON.stringify(report, null, 2) + '\n' : doctorMarkdown(report) + '\n');
    return report.healthy ? 0 : 1;
  } finally {
    await closeConnections();
  }
}

// ---------------------------------------------------------------------------------------------
// woo-api logs analyze

async function logsCommand(argv: string[]): Promise<number> {
  // Loaded here, not at the top: only this command needs it.
  const { analyzeFile, compileLogFormat, LogFormatError, toMarkdown, toSummary } = await import('./core/access-log');
  const [sub, ...rest] = argv;
  if (sub !== 'analyze') throw new UsageError(sub === undefined ? 'Say what to do: woo-api logs analyze FILE.' : `Unknown logs command "${sub}"; the one there is: analyze.`);
  const flags = parseFlags(rest, ['--format', '--assume-scheme'], ['--json', '--markdown', '--fail-on-findings']);
  const [file, ...extra] = flags.positional;
  if (!file) throw new UsageError('Name the access log to analyze: woo-api logs analyze FILE.');
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const json = flags.switches.has('--json');
  const markdown = flags.switches.has('--markdown');
  if (json && markdown) throw new UsageError('Choose one of --json and --markdown.');
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

  const showProgress = process.stderr.isTTY && !json;
  let shown = -1;
  let report;
  try {
    report = await analyzeFile(file, {
      format,
      assumeScheme: scheme,
      onProgress: showProgress ? (read, total) => {
        const pct = total > 0 ? Math.floor((read / total) * 100) : 0;
        if (pct !== shown) process.stderr.write(`\rReading ${file}: ${(shown = pct)}%`);
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
    if (shown >= 0) process.stderr.write('\r\x1b[K');
  }
  if (report.lines.parsed === 0 && report.lines.malformed > 0) {
    throw new UsageError(`No line of ${file} fits ${format !== undefined ? 'the format given' : 'a known format (combined, common, vhost_combined)'}. Pass the server's format: --format "<LogFormat string>" (Apache) or --format '<log_format string>' (nginx).`);
  }
  const text = json ? JSON.stringify(report, null, 2) + '\n' : markdown ? toMarkdown(report, { title: `Access log analysis: ${path.basename(file)}` }) : toSummary(report, file);
  // Waits until stdout took it all: the caller exits the process right after, and a pipe takes 64 KiB at a time.
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
  return flags.switches.has('--fail-on-findings') && report.findings.some((f) => f.severity !== 'info') ? 1 : 0;
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
