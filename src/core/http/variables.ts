// Variable resolution: RequestTemplate + context → the request to send. REST Client's order
// (SPEC §3.7): prompt, system, request (named responses), file, environment; the first kind that
// has a name decides. A reference nobody can resolve stays as written and becomes a Problem on the
// exact range of its `{{…}}` in the document.
//
// Unlike REST Client, substitution runs on each parsed line, not on the raw block text, so a value
// containing a newline cannot turn into extra headers (P14). References never span lines, so the
// result is otherwise the same.

import { graphqlOperationName, textBodyLines } from './body';
import { encodeComponent, encodeUrl } from './encode-url';
import { JsonPathError, jsonPathQuery } from './jsonpath';
import { unescapeValue } from './lines';
import { resolveSystemVariable, type SystemVariableContext, type ValueSource } from './system-variables';
import type { BodyLine, FileVariable, ParsedDocument, Position, Problem, ProblemCode, Range, RequestTemplate, Severity, TextLine } from './types';
import type * as XPathModule from './xpath';
import { lazily } from '../lazy';
import { trimTrailingSlashes } from '../url-text';

/** XPath for XML answers, read with the first XPath (see core/lazy.ts). */
const xpath = lazily(() => require('./xpath') as typeof XPathModule);

export interface NamedExchange {
  request: { url: string; headers: Record<string, string>; body?: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

export interface VariableContext extends SystemVariableContext {
  /** Defaults to the document's file variables. */
  fileVariables?: FileVariable[];
  /** The current environment, already merged (see environments.ts). */
  environment?: Record<string, string>;
  /** Environment variables whose values are secrets (from the private env file): masked in every copy. */
  secretEnvironment?: ReadonlySet<string>;
  /** Responses of `# @name`d requests, by name. */
  namedResponses?: Map<string, NamedExchange>;
  /** Answers to this request's `# @prompt`s. */
  prompts?: Record<string, string>;
  /** REST Client's `rest-client.defaultHeaders` (none unless given; no hidden headers). */
  defaultHeaders?: Record<string, string>;
  /** REST Client's `rest-client.formParamEncodingStrategy` (default automatic). */
  formParamEncoding?: 'automatic' | 'always' | 'never';
}

export type ResolvedBodyPart = { text: string } | { file: string; processVariables: boolean; encoding?: string; range: Range };

export type ResolvedBody =
  | string
  /** The whole body is a file; with processVariables, pass its text through substituteFileBody. */
  | { file: string; processVariables: boolean; encoding?: string }
  /** Inline text and files, sent in this order (mixed and multipart bodies). */
  | { parts: ResolvedBodyPart[] };

export interface ResolvedRequest {
  /** Upper case; GRAPHQL becomes POST. */
  method: string;
  /** Substituted and percent-encoded like REST Client (encodeurl). */
  url: string;
  /** As they go on the wire: duplicates merged (`,`, or `;` for Cookie), Content-Length left to the sender. */
  headers: [string, string][];
  body?: ResolvedBody;
  name?: string;
  store?: string;
  noRedirect: boolean;
  noCookieJar: boolean;
  /** Values that came from $processEnv, $env.*, $dotenv or a password prompt: mask them in any display. */
  secrets: string[];
  /** The values read from this machine ($processEnv, $env.*, $dotenv), with the name each came from. */
  machineValues: MachineValue[];
  template: RequestTemplate;
}

export type VariableKind = 'prompt' | 'system' | 'request' | 'file' | 'environment';

/** A value a request reads from the machine it is sent from. */
export interface MachineValue extends ValueSource {
  value: string;
}

export interface VariableReference {
  /** Trimmed text between the braces. */
  name: string;
  /** Offset of `{{`. */
  start: number;
  /** Offset just after `}}`. */
  end: number;
}

/**
 * Every `{{…}}` in `text`, left to right, with REST Client's regex semantics (`/\{\{(.+?)\}\}/g`:
 * shortest match, not across a line break). Linear time.
 */
export function variableReferences(text: string): VariableReference[] {
  const refs: VariableReference[] = [];
  let nl = text.indexOf('\n');
  let i = text.indexOf('{{');
  while (i !== -1) {
    if (nl !== -1 && nl < i) nl = text.indexOf('\n', i);
    const close = text.indexOf('}}', i + 3);
    if (close === -1) break; // no later {{ can close either
    if (nl !== -1 && nl < close) {
      // nothing before this line break can close on this line
      i = text.indexOf('{{', nl + 1);
      continue;
    }
    refs.push({ name: text.slice(i + 2, close).trim(), start: i, end: close + 2 });
    i = text.indexOf('{{', close + 2);
  }
  return refs;
}

/**
 * The most characters a file variable's value may have after substitution. Definitions that each
 * repeat the one before (`@v2 = {{v1}}{{v1}}`) double at every step: 39 of them would make
 * terabytes. The variable that crosses the bound is left as written, with a problem on it.
 */
export const MAX_VARIABLE_LENGTH = 1024 * 1024;
/** The longest chain of file variables that refer to one another (resolved without recursion, so only the bound limits it). */
export const MAX_VARIABLE_CHAIN = 10_000;
/** The most characters substituted into one request in all (many references to big values). */
export const MAX_SUBSTITUTED = 64 * 1024 * 1024;

const PASSWORD_PROMPTS = new Set(['password', 'Password', 'PASSWORD', 'passwd', 'Passwd', 'PASSWD', 'pass', 'Pass', 'PASS']);

/** REST Client masks the input box for these prompt names (master). */
export function isSecretPromptName(name: string): boolean {
  return PASSWORD_PROMPTS.has(name);
}

const JSON_TYPES = /^(?:application\/json|text\/json|[^;]*\+json|[^;]*x-amz-json[^;]*)$/;
const JS_TYPES = /^(?:application|text)\/(?:x-)?javascript$/;
const XML_TYPES = /^(?:application\/xml|text\/xml|[^;]*\+xml)$/;

function mimeType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function lookupHeader(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

interface Lookup {
  value?: string;
  kind?: VariableKind;
}

interface DocumentIndex {
  fileVars: ReadonlyMap<string, FileVariable>;
  requestNames: ReadonlySet<string>;
}

// Parsed documents are treated as immutable, so their lookup tables are built once, not per request.
const indexes = new WeakMap<ParsedDocument, DocumentIndex>();

function documentIndex(doc: ParsedDocument): DocumentIndex {
  let index = indexes.get(doc);
  if (!index) {
    const requestNames = new Set<string>();
    for (const r of doc.requests) if (r.name !== undefined) requestNames.add(r.name);
    index = { fileVars: variableMap(doc.fileVariables), requestNames };
    indexes.set(doc, index);
  }
  return index;
}

/** The last definition of a name wins (SPEC §3.2). */
function variableMap(vars: readonly FileVariable[]): Map<string, FileVariable> {
  const map = new Map<string, FileVariable>();
  for (const v of vars) map.set(v.name, v);
  return map;
}

/** One resolution pass: caches file variables, collects problems (deduplicated) and secrets. */
class Resolver {
  readonly problems: Problem[] = [];
  readonly secrets = new Set<string>();
  /** Values read from the machine, by value (one entry per distinct value). */
  readonly machineValues = new Map<string, MachineValue>();
  private readonly seen = new Set<string>();
  private readonly fileVars: ReadonlyMap<string, FileVariable>;
  private readonly fileCache = new Map<string, string>();
  /** The chain of file variables being resolved, outermost first. */
  private readonly resolving = new Set<string>();
  /** File variables whose value crossed a bound: left as written wherever they are used. */
  private readonly failed = new Set<string>();
  /** While a definition is looked through for the file variables it needs (see resolveFileVariable): those names. */
  private collecting: Set<string> | undefined;
  /** Characters substituted so far in this pass (MAX_SUBSTITUTED). */
  private substituted = 0;
  private readonly requestNames: ReadonlySet<string>;
  private readonly promptNames = new Set<string>();

  constructor(
    doc: ParsedDocument,
    request: RequestTemplate | undefined,
    private readonly ctx: VariableContext,
    private readonly usePrompts: boolean,
  ) {
    const index = documentIndex(doc);
    this.fileVars = ctx.fileVariables ? variableMap(ctx.fileVariables) : index.fileVars;
    this.requestNames = index.requestNames;
    if (request) for (const p of request.metadata.prompts) this.promptNames.add(p.name);
  }

  problem(range: Range, severity: Severity, code: ProblemCode, message: string): void {
    if (this.collecting) return; // a look-ahead: the real pass reports
    const key = `${code}@${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push({ range, severity, code, message });
  }

  /**
   * Substitutes every reference in `text`. With `origin` (where text[0] sits in the document),
   * problems point at the exact `{{…}}`; otherwise at `fallback`.
   */
  substitute(text: string, origin: Position | undefined, fallback: Range, unescape = false, limit?: { chars: number; exceeded: boolean }): string {
    const refs = variableReferences(text);
    if (refs.length === 0) return unescape ? unescapeValue(text) : text;
    if (this.collecting) {
      // A look-ahead for the file variables the text needs: nothing is built.
      for (const ref of refs) this.lookup(ref.name, fallback);
      return '';
    }
    let out = '';
    let last = 0;
    for (const ref of refs) {
      const literal = text.slice(last, ref.start);
      out += unescape ? unescapeValue(literal) : literal;
      const range: Range = origin
        ? { start: { line: origin.line, character: origin.character + ref.start }, end: { line: origin.line, character: origin.character + ref.end } }
        : fallback;
      const r = this.lookup(ref.name, range);
      let value = r.value ?? text.slice(ref.start, ref.end);
      if (limit && out.length + value.length > limit.chars) {
        // A file variable's value past its bound: the caller reports it on the definition.
        limit.exceeded = true;
        return out;
      }
      if (r.value !== undefined && !limit) {
        if (this.substituted + value.length > MAX_SUBSTITUTED) {
          this.problem(range, 'warning', 'variable-too-large',
            `Substituting {{${ref.name}}} here would put more than ${MAX_SUBSTITUTED.toLocaleString('en-US')} characters of variable values into this request (the limit): it is left as written.`);
          value = text.slice(ref.start, ref.end);
        } else this.substituted += value.length;
      }
      out += value;
      last = ref.end;
    }
    const tail = text.slice(last);
    return out + (unescape ? unescapeValue(tail) : tail);
  }

  lookup(name: string, range: Range): Lookup {
    if (name === '') return {};
    // 1. prompts
    if (this.usePrompts && this.ctx.prompts && Object.prototype.hasOwnProperty.call(this.ctx.prompts, name)) {
      const value = this.ctx.prompts[name];
      if (isSecretPromptName(name) && value !== '') this.secrets.add(value);
      return { value, kind: 'prompt' };
    }
    if (this.usePrompts && this.promptNames.has(name)) {
      this.problem(range, 'warning', 'prompt-missing', `"${name}" is asked for with @prompt, but no answer was given.`);
      return { kind: 'prompt' };
    }
    // 2. system
    const sys = resolveSystemVariable(name, this.ctx);
    if (sys) {
      if (!sys.ok) {
        this.problem(range, sys.code === 'no-store' || sys.code === 'unsupported-system-variable' ? 'error' : 'warning', sys.code, sys.message);
        return { kind: 'system' };
      }
      if (sys.secret && sys.value !== '') this.secrets.add(sys.value);
      if (sys.source && sys.value !== '') this.machineValues.set(sys.value, { ...sys.source, value: sys.value });
      if (sys.warning) this.problem(range, 'warning', sys.warning.code, sys.warning.message);
      return { value: sys.value, kind: 'system' };
    }
    // 3. request variables: {{name.response.body.$.x}}
    const dot = name.indexOf('.');
    const head = dot === -1 ? name : name.slice(0, dot);
    const isRequest = this.requestNames.has(head) || (this.ctx.namedResponses?.has(head) ?? false);
    // A bare {{login}} is left to file/environment variables when they define it (REST Client would
    // claim it for the request and fail, P18).
    if (isRequest && (dot !== -1 || !(this.fileVars.has(name) || this.hasEnvironment(name)))) {
      return { value: this.requestVariable(name, head, range), kind: 'request' };
    }
    // 4. file variables ({{%name}}: percent-encoded, P17)
    const encode = name.startsWith('%');
    const fileName = encode ? name.slice(1).trim() : name;
    if (this.fileVars.has(fileName)) {
      const v = this.fileVariable(fileName, range);
      return { value: v === undefined ? undefined : encode ? encodeComponent(v) : v, kind: 'file' };
    }
    // 5. environment
    if (!encode && this.hasEnvironment(name)) {
      const value = this.ctx.environment![name];
      if (this.ctx.secretEnvironment?.has(name) && value !== '') this.secrets.add(value);
      return { value, kind: 'environment' };
    }
    this.problem(range, 'warning', 'unknown-variable',
      `"${name}" is not defined: add "@${fileName} = value" to the file, define it in the environment, or name a request "${head}" to use its response. It is sent as written.`);
    return {};
  }

  /** A file or environment variable's value, without reporting anything when it is missing. */
  plain(name: string, range: Range): string | undefined {
    if (this.fileVars.has(name)) return this.fileVariable(name, range);
    if (this.hasEnvironment(name)) {
      const value = this.ctx.environment![name];
      if (this.ctx.secretEnvironment?.has(name) && value !== '') this.secrets.add(value);
      return value;
    }
    return undefined;
  }

  private hasEnvironment(name: string): boolean {
    return this.ctx.environment !== undefined && Object.prototype.hasOwnProperty.call(this.ctx.environment, name);
  }

  private fileVariable(name: string, range: Range): string | undefined {
    const cached = this.fileCache.get(name);
    if (cached !== undefined) return cached;
    if (this.failed.has(name)) return undefined;
    if (this.resolving.has(name)) {
      this.problem(range, 'warning', 'variable-cycle',
        `"${name}" refers back to itself (${[...this.resolving, name].join(' → ')}); the reference is left as written.`);
      return undefined;
    }
    if (this.collecting) {
      this.collecting.add(name);
      return undefined;
    }
    this.resolveFileVariable(name);
    return this.fileCache.get(name);
  }

  /**
   * Resolves `root` and the file variables it needs, deepest first, with a stack of our own instead
   * of recursion (a chain of 9,000 variables would overflow the call stack). Each definition is
   * looked through once for the variables it needs (problems muted), those are resolved, then it is
   * substituted for real with all of them known. Bounds: MAX_VARIABLE_CHAIN, MAX_VARIABLE_LENGTH.
   */
  private resolveFileVariable(root: string): void {
    const stack: { name: string; entered: boolean }[] = [{ name: root, entered: false }];
    while (stack.length) {
      const frame = stack[stack.length - 1];
      const def = this.fileVars.get(frame.name)!;
      if (!frame.entered) {
        if (this.fileCache.has(frame.name) || this.failed.has(frame.name) || this.resolving.has(frame.name)) {
          // Known, or on the chain already (the definition that refers to it reports the cycle).
          stack.pop();
          continue;
        }
        if (this.resolving.size >= MAX_VARIABLE_CHAIN) {
          this.failed.add(frame.name);
          this.problem(def.nameRange, 'warning', 'variable-too-deep',
            `"${frame.name}" is at the end of a chain of more than ${MAX_VARIABLE_CHAIN.toLocaleString('en-US')} variables that refer to one another (the limit): it is left as written where it is used.`);
          stack.pop();
          continue;
        }
        frame.entered = true;
        this.resolving.add(frame.name);
        const needed = new Set<string>();
        this.collecting = needed;
        try {
          this.substitute(def.rawValue, def.valueRange.start, def.valueRange, true);
        } finally {
          this.collecting = undefined;
        }
        const missing = [...needed].filter((n) => !this.fileCache.has(n) && !this.failed.has(n) && !this.resolving.has(n));
        if (missing.length) {
          for (const n of missing.reverse()) stack.push({ name: n, entered: false });
          continue;
        }
      }
      const limit = { chars: MAX_VARIABLE_LENGTH, exceeded: false };
      const value = this.substitute(def.rawValue, def.valueRange.start, def.valueRange, true, limit);
      if (limit.exceeded || value.length > MAX_VARIABLE_LENGTH) {
        this.failed.add(frame.name);
        this.problem(def.nameRange, 'warning', 'variable-too-large',
          `"${frame.name}" would expand to more than ${MAX_VARIABLE_LENGTH.toLocaleString('en-US')} characters (the limit for a variable's value): it is left as written where it is used.`);
      } else this.fileCache.set(frame.name, value);
      this.resolving.delete(frame.name);
      stack.pop();
    }
  }

  private requestVariable(name: string, head: string, range: Range): string | undefined {
    const exchange = this.ctx.namedResponses?.get(head);
    if (!exchange) {
      this.problem(range, 'warning', 'request-not-sent', `The request named "${head}" has not been sent yet; send it first to use its response here.`);
      return undefined;
    }
    const m = /^[^.]+\.(request|response)\.(body|headers)(?:\.([\s\S]*))?$/.exec(name);
    if (!m) {
      this.problem(range, 'warning', 'invalid-request-variable',
        `Write {{${head}.response.body.$.field}}, {{${head}.response.body.*}} or {{${head}.response.headers.Name}}.`);
      return undefined;
    }
    const entity = m[1] === 'request' ? exchange.request : exchange.response;
    const path = m[3];
    if (m[2] === 'headers') {
      if (!path) {
        this.problem(range, 'warning', 'invalid-request-variable', `Name the header: {{${head}.${m[1]}.headers.Content-Type}}.`);
        return undefined;
      }
      const v = lookupHeader(entity.headers, path);
      if (!v) this.problem(range, 'warning', 'response-value-not-found', `The ${m[1]} of "${head}" has no ${path} header.`);
      return v || undefined;
    }
    const body = entity.body ?? '';
    if (!path) {
      this.problem(range, 'warning', 'invalid-request-variable', `Add a path after body: {{${head}.${m[1]}.body.$.field}}, or body.* for the whole body.`);
      return undefined;
    }
    if (body === '') {
      this.problem(range, 'warning', 'response-value-not-found', `The ${m[1]} of "${head}" has no body.`);
      return undefined;
    }
    if (path === '*') return body;
    let kind: 'json' | 'xml' | undefined;
    let expr = path;
    if (path.startsWith('asJson.')) {
      kind = 'json';
      expr = path.slice(7);
    } else if (path.startsWith('asXml.')) {
      kind = 'xml';
      expr = path.slice(6);
    } else {
      const mime = mimeType(lookupHeader(entity.headers, 'content-type'));
      if (JSON_TYPES.test(mime) || (JS_TYPES.test(mime) && parsesAsJson(body))) kind = 'json';
      else if (XML_TYPES.test(mime)) kind = 'xml';
      // Lenient where REST Client gives up: no or another Content-Type, but the body reads as JSON or XML.
      else if (parsesAsJson(body)) kind = 'json';
      else if (body.trimStart().startsWith('<')) kind = 'xml';
    }
    if (kind === 'json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        this.problem(range, 'warning', 'response-value-not-found', `The ${m[1]} body of "${head}" is not valid JSON.`);
        return undefined;
      }
      let results: unknown[];
      try {
        results = jsonPathQuery(parsed, expr);
      } catch (e) {
        this.problem(range, 'warning', 'invalid-request-variable', e instanceof JsonPathError ? e.message : `Cannot read the JSONPath ${expr}.`);
        return undefined;
      }
      const first = results[0];
      const value = typeof first === 'string' ? first : JSON.stringify(first);
      if (!value) {
        // no match, or an empty string (P33)
        this.problem(range, 'warning', 'response-value-not-found', `${expr} matches nothing in the ${m[1]} body of "${head}".`);
        return undefined;
      }
      return value;
    }
    if (kind === 'xml') {
      let value: string | undefined;
      try {
        value = xpath().xpathValue(body, expr);
      } catch (e) {
        this.problem(range, 'warning', 'invalid-request-variable', e instanceof xpath().XPathError ? e.message : `Cannot read the XPath ${expr}.`);
        return undefined;
      }
      if (value === undefined) this.problem(range, 'warning', 'response-value-not-found', `${expr} matches nothing in the ${m[1]} body of "${head}".`);
      return value;
    }
    this.problem(range, 'warning', 'response-value-not-found', `The ${m[1]} body of "${head}" is neither JSON nor XML; use body.* for the whole body.`);
    return undefined;
  }
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function lineSubstitute(r: Resolver, line: TextLine, exact: boolean): string {
  return r.substitute(line.text, exact ? line.range.start : undefined, line.range);
}

/** The store a request goes to (`# @store` above it, else the file's `@store = …`), variables resolved. */
export function requestStoreName(doc: ParsedDocument, request: RequestTemplate, ctx: VariableContext = {}): string | undefined {
  const r = new Resolver(doc, request, ctx, true);
  return storeOf(r, doc, request);
}

function storeOf(r: Resolver, doc: ParsedDocument, request: RequestTemplate): string | undefined {
  const entry = [...request.metadata.entries].reverse().find((e) => e.key === 'store' && e.value !== undefined);
  if (entry && request.metadata.store !== undefined) return r.substitute(request.metadata.store, undefined, entry.range).trim();
  const def = documentIndex(doc).fileVars.get('store');
  if (def) return r.substitute(def.rawValue, def.valueRange.start, def.valueRange, true).trim();
  return undefined;
}

export function resolveRequest(doc: ParsedDocument, request: RequestTemplate, ctx: VariableContext): { request: ResolvedRequest; problems: Problem[] } {
  const r = new Resolver(doc, request, ctx, true);
  const exact = !request.curl; // curl tokens lost their quotes, so offsets are approximate there
  const method = request.method === 'GRAPHQL' ? 'POST' : request.method.toUpperCase();

  let url = request.urlLines.map((l) => lineSubstitute(r, l, exact)).join('');
  let headers: [string, string][] = request.headers.map((h) => [
    r.substitute(h.name, exact ? h.nameRange.start : undefined, h.range).trim(),
    r.substitute(h.value, exact ? h.valueRange.start : undefined, h.range).trim(),
  ]);

  const graphql = request.body?.kind === 'graphql';
  if (graphql) headers = headers.filter(([n]) => n.toLowerCase() !== 'x-request-type');
  if (request.method === 'GRAPHQL' && !headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json']);

  // Relative URL: a Host header (REST Client, SPEC §2.10), else a `host` variable (httpYac, C46).
  if (url.startsWith('/')) {
    const hostHeader = headers.find(([n]) => n.toLowerCase() === 'host');
    const urlRange = request.urlLines[0]?.range ?? request.requestLineRange;
    if (hostHeader) url = withHost(hostHeader[1], url);
    else {
      const hostVar = r.plain('host', urlRange);
      if (hostVar !== undefined && hostVar.trim() !== '' && !hostVar.includes('{{')) url = withHost(hostVar.trim(), url);
      else {
        r.problem(urlRange, 'warning', 'relative-url',
          'This URL has no host. Start it with {{$store.url}}, add a Host header, or define @host = https://example.com.');
      }
    }
  }

  if (request.applyDefaultHeaders && ctx.defaultHeaders) {
    for (const [k, v] of Object.entries(ctx.defaultHeaders)) {
      if (k.toLowerCase() === 'host' && !url.startsWith('/')) continue;
      if (!headers.some(([n]) => n.toLowerCase() === k.toLowerCase())) headers.push([k, v]);
    }
  }
  headers = mergeHeaders(headers).filter(([n]) => n.toLowerCase() !== 'content-length');

  const resolved: ResolvedRequest = {
    method,
    url: encodeUrl(url),
    headers,
    noRedirect: request.metadata.noRedirect === true,
    noCookieJar: request.metadata.noCookieJar === true,
    secrets: [],
    machineValues: [],
    template: request,
  };
  if (request.name !== undefined) resolved.name = request.name;
  const store = storeOf(r, doc, request);
  if (store !== undefined && store !== '') resolved.store = store;

  const body = resolveBody(r, request, headers, exact, ctx);
  if (body !== undefined) resolved.body = body;
  resolved.secrets = [...r.secrets];
  resolved.machineValues = [...r.machineValues.values()];
  return { request: resolved, problems: r.problems };
}

/** `${scheme}://${host}${path}`: https when the host's port is 443 or 8443 (P24); a host with a scheme is used as is. */
function withHost(host: string, path: string): string {
  if (/^https?:\/\//i.test(host)) return trimTrailingSlashes(host) + path;
  const m = /:(\d+)$/.exec(host);
  const scheme = m && (m[1] === '443' || m[1] === '8443') ? 'https' : 'http';
  return `${scheme}://${host}${path}`;
}

/** Duplicate names (case-insensitive) become one header: first spelling, values joined with `,` (`;` for Cookie), P22. */
export function mergeHeaders(headers: [string, string][]): [string, string][] {
  const out: [string, string][] = [];
  const index = new Map<string, number>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push([name, value]);
    } else out[at][1] += (key === 'cookie' ? ';' : ',') + value;
  }
  return out;
}

function resolveBody(r: Resolver, request: RequestTemplate, headers: [string, string][], exact: boolean, ctx: VariableContext): ResolvedBody | undefined {
  const body = request.body;
  if (!body) return undefined;
  const contentType = mimeType(headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1]);
  switch (body.kind) {
    case 'text': {
      const lines = textBodyLines(body).map((l) => lineSubstitute(r, l, exact));
      // curl -d data goes out as written, as curl (and REST Client's curl parser) send it
      if (contentType === 'application/x-www-form-urlencoded' && !request.curl) return formBody(lines, ctx.formParamEncoding ?? 'automatic');
      const text = lines.join('\n');
      return contentType === 'application/x-ndjson' ? text + '\n' : text;
    }
    case 'file': {
      const file = r.substitute(body.path, exact ? { line: body.range.start.line, character: body.range.end.character - body.path.length } : undefined, body.range);
      return body.encoding !== undefined ? { file, processVariables: body.processVariables, encoding: body.encoding } : { file, processVariables: body.processVariables };
    }
    case 'mixed':
    case 'multipart':
      return streamBody(r, body.lines, body.kind === 'multipart');
    case 'graphql': {
      const query = body.queryLines.map((l) => lineSubstitute(r, l, true)).join('\n');
      const variablesText = body.variablesLines.map((l) => lineSubstitute(r, l, true)).join('\n');
      let variables: unknown = {};
      if (variablesText.trim() !== '') {
        try {
          variables = JSON.parse(variablesText);
        } catch {
          const first = body.variablesLines[0].range.start;
          const last = body.variablesLines[body.variablesLines.length - 1].range.end;
          r.problem({ start: first, end: last }, 'error', 'invalid-graphql-variables',
            'The GraphQL variables (after the blank line below the query) are not valid JSON, so the request cannot be sent.');
        }
      }
      const operationName = graphqlOperationName(query);
      return JSON.stringify(operationName !== undefined ? { query, operationName, variables } : { query, variables });
    }
  }
}

/** Lines starting with `&` join directly, others after a line break; then the encoding strategy (SPEC §2.7). */
function formBody(lines: string[], strategy: 'automatic' | 'always' | 'never'): string {
  let text = '';
  lines.forEach((l, i) => {
    text += i === 0 || l.startsWith('&') ? l : '\n' + l;
  });
  if (strategy === 'never') return text;
  if (strategy === 'automatic') return encodeUrl(text);
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? encodeComponent(pair) : `${encodeComponent(pair.slice(0, eq))}=${encodeComponent(pair.slice(eq + 1))}`;
    })
    .join('&');
}

/** Inline lines and `< file` lines in order; LF between lines, or CRLF after every line for multipart (P12). */
function streamBody(r: Resolver, lines: BodyLine[], multipart: boolean): ResolvedBody {
  const parts: ResolvedBodyPart[] = [];
  let buf = '';
  lines.forEach((line, i) => {
    const sep = multipart ? '\r\n' : i < lines.length - 1 ? '\n' : '';
    if (line.kind === 'text') {
      buf += lineSubstitute(r, line, true) + sep;
      return;
    }
    if (buf !== '') parts.push({ text: buf });
    buf = sep;
    const file = r.substitute(line.path, { line: line.range.start.line, character: line.range.end.character - line.path.length }, line.range);
    parts.push(line.encoding !== undefined
      ? { file, processVariables: line.processVariables, encoding: line.encoding, range: line.range }
      : { file, processVariables: line.processVariables, range: line.range });
  });
  if (buf !== '') parts.push({ text: buf });
  if (parts.length === 1 && 'text' in parts[0]) return parts[0].text;
  return { parts };
}

/**
 * The text of a `<@ file` body after substitution (SPEC §2.6): every kind of variable except prompt
 * answers. Problems point at `fileLineRange`, the `<@` line.
 */
export function substituteFileBody(doc: ParsedDocument, request: RequestTemplate, content: string, ctx: VariableContext, fileLineRange: Range = request.requestLineRange): { text: string; problems: Problem[]; secrets: string[]; machineValues: MachineValue[] } {
  const r = new Resolver(doc, request, ctx, false);
  const text = content
    .split('\n')
    .map((line) => r.substitute(line, undefined, fileLineRange))
    .join('\n');
  return { text, problems: r.problems, secrets: [...r.secrets], machineValues: [...r.machineValues.values()] };
}

/** What one `{{name}}` resolves to, for hover and completion. Problems are reported at `range`. */
export function resolveVariable(
  doc: ParsedDocument,
  name: string,
  ctx: VariableContext,
  request?: RequestTemplate,
  range: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
): { value?: string; kind?: VariableKind; secret: boolean; problems: Problem[] } {
  const r = new Resolver(doc, request, ctx, true);
  const l = r.lookup(name.trim(), range);
  const out: { value?: string; kind?: VariableKind; secret: boolean; problems: Problem[] } = { secret: l.value !== undefined && r.secrets.has(l.value), problems: r.problems };
  if (l.value !== undefined) out.value = l.value;
  if (l.kind !== undefined) out.kind = l.kind;
  return out;
}

/** Every `{{…}}` of a request with its document range (for diagnostics of a whole file, without resolving). */
export function requestVariableReferences(request: RequestTemplate): { name: string; range: Range }[] {
  const out: { name: string; range: Range }[] = [];
  const add = (text: string, origin: Position) => {
    for (const ref of variableReferences(text)) {
      out.push({ name: ref.name, range: { start: { line: origin.line, character: origin.character + ref.start }, end: { line: origin.line, character: origin.character + ref.end } } });
    }
  };
  if (request.curl) return out;
  for (const l of request.urlLines) add(l.text, l.range.start);
  for (const h of request.headers) {
    add(h.name, h.nameRange.start);
    add(h.value, h.valueRange.start);
  }
  const b = request.body;
  if (b) {
    if (b.kind === 'text' && b.lines) for (const l of b.lines) add(l.text, l.range.start);
    else if (b.kind === 'text') {
      // The text is the document's lines from range.start.line, each from character 0: references
      // never span a line break, so one scan of the text and a count of line breaks place them.
      let line = b.range.start.line;
      let lineStart = 0;
      for (const ref of variableReferences(b.text)) {
        for (let nl = b.text.indexOf('\n', lineStart); nl !== -1 && nl < ref.start; nl = b.text.indexOf('\n', lineStart)) {
          line++;
          lineStart = nl + 1;
        }
        out.push({ name: ref.name, range: { start: { line, character: ref.start - lineStart }, end: { line, character: ref.end - lineStart } } });
      }
    }
    else if (b.kind === 'graphql') for (const l of [...b.queryLines, ...b.variablesLines]) add(l.text, l.range.start);
    else if (b.kind === 'mixed' || b.kind === 'multipart') for (const l of b.lines) if (l.kind === 'text') add(l.text, l.range.start);
  }
  return out;
}

