// Editor language features for `.http` / `.rest` files: completion (variables, store names,
// WooCommerce routes and their query arguments), the outline (one symbol per request) and hovers that
// say what a `{{variable}}` resolves to. Nothing here touches the network: completion reads the parsed
// document, the store list, the environment files and the static route catalogue.
//
// Secrets: a value is shown only when it cannot be one. A variable whose name (or the name of
// anything it is built from) looks secret is "(hidden)"; any other value goes through redactText,
// which masks every secret shape (consumer keys and secrets, JWTs, Basic credentials, …).
import * as vscode from 'vscode';
import {
  SYSTEM_VARIABLES, requestAt, requestStoreName, resolveVariable, variableReferences,
  type NamedExchange, type ParsedDocument, type RequestTemplate, type VariableContext, type VariableKind,
} from './core/http';
import { redactText, redactUrl } from './core/redact';
import { findStore } from './core/run-request';
import type { Store } from './core/store';
import { lazily } from './core/lazy';
import type * as RoutesModule from './core/woo-routes';
import type { RouteArg } from './core/woo-routes';
import type { Environments } from './environments';
import { HttpDocuments, HTTP_SELECTOR, toRange } from './http-documents';
import type { RequestSender } from './send-request';
import { authLabel } from './core/store';
import type { StoreRegistry } from './stores';

/** WooCommerce's route catalogue, read with the first route completion (see core/lazy.ts). */
const wooRoutes = lazily(() => require('./core/woo-routes') as typeof RoutesModule);

// `.` is not in the brief's list but is what REST Client triggers on for `{{name.response.…}}`.
const TRIGGER_CHARACTERS = ['{', '/', '$', '?', '&', ' ', '.'];

export function registerHttpLanguageFeatures(documents: HttpDocuments, stores: StoreRegistry, environments: Environments, sender: RequestSender): vscode.Disposable {
  const named: NamedResponses = { of: (uri) => sender.namedResponses(uri) };
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(HTTP_SELECTOR, new HttpCompletions(documents, stores, environments, named), ...TRIGGER_CHARACTERS),
    vscode.languages.registerDocumentSymbolProvider(HTTP_SELECTOR, new RequestSymbols(documents), { label: 'Requests' }),
    vscode.languages.registerHoverProvider(HTTP_SELECTOR, new VariableHovers(documents, stores, environments, named)),
  );
}

// ---------------------------------------------------------------------------------------------
// Secrets

/** Names that say "secret": a value behind one is never shown. */
const SECRET_NAME = /secret|passw|pwd|token|key|auth|credential|cookie|session|signature|bearer|private/i;

export function looksSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** True when redactText would change the value (or the value as `name=value`): it has a secret's shape. */
function hasSecretShape(name: string, value: string): boolean {
  return redactText(value) !== value || redactText(`${name}=${value}`) !== `${name}=${value}`;
}

const SECRET_SOURCES = /^\s*\$(?:processEnv|dotenv|env\.)/;

/**
 * Whether a variable could hold a secret judging by names: its own, that of the environment
 * variable a `$processEnv` / `$dotenv` reads, and those of every variable its file definition is
 * built from (`@auth = Bearer {{token}}` is as secret as `token`).
 */
function secretByName(parsed: ParsedDocument, name: string, seen = new Set<string>()): boolean {
  if (looksSecretName(name)) return true;
  if (SECRET_SOURCES.test(name)) return false; // its argument was tested with the name
  if (seen.has(name)) return false;
  seen.add(name);
  const def = [...parsed.fileVariables].reverse().find((v) => v.name === name.replace(/^%/, '').trim());
  if (!def) return false;
  return variableReferences(def.rawValue).some((ref) => secretByName(parsed, ref.name, seen));
}

const MAX_SHOWN = 300;

function shown(value: string): string {
  const v = redactText(value);
  return v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}… (${v.length} characters)` : v;
}

/** Responses of named requests, for chaining completions and hovers: the sender's own. */
interface NamedResponses {
  of(uri: vscode.Uri): Map<string, NamedExchange>;
}

/** The store a request (or, outside any request, the file) goes to. */
function storeOf(parsed: ParsedDocument, request: RequestTemplate | undefined, ctx: VariableContext, stores: readonly Store[]): Store | undefined {
  const name = request ? requestStoreName(parsed, request, ctx) : resolveVariable(parsed, 'store', ctx).value?.trim();
  return name ? findStore(stores, name) : undefined;
}

async function variableContext(environments: Environments, uri: vscode.Uri): Promise<Omit<VariableContext, 'store'>> {
  try {
    return await environments.variablesFor(uri);
  } catch {
    return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Completion

const METHODS = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/i;

class HttpCompletions implements vscode.CompletionItemProvider {
  constructor(
    private readonly documents: HttpDocuments,
    private readonly stores: StoreRegistry,
    private readonly environments: Environments,
    private readonly named: NamedResponses,
  ) {}

  async provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    if (!HttpDocuments.isHttp(doc)) return undefined;
    const text = doc.lineAt(pos.line).text;
    const before = text.slice(0, pos.character);
    const after = text.slice(pos.character);

    const variable = /\{\{\s*([^{}\s]*)$/.exec(before);
    if (variable) return this.variables(doc, pos, variable[1] ?? '', after);

    const store = /^\s*@store\s*=\s*(.*)$/.exec(before) ?? /^\s*(?:#|\/\/)\s*@store\s+(.*)$/.exec(before);
    if (store) return this.storeNames(pos, store[1] ?? '', after);

    return this.url(doc, pos, before, after);
  }

  // `{{…`: file variables, environment variable names, named requests, system variables.
  private async variables(doc: vscode.TextDocument, pos: vscode.Position, partial: string, after: string): Promise<vscode.CompletionItem[]> {
    const parsed = this.documents.parse(doc);
    const start = pos.translate(0, -partial.length);
    const tail = /^[^{}\s]*/.exec(after)?.[0] ?? '';
    const range = { inserting: new vscode.Range(start, pos), replacing: new vscode.Range(start, pos.translate(0, tail.length)) };
    // Auto-closing usually typed the `}}` already; add them when it did not.
    const close = /^[^{}\s]*\s*\}\}/.test(after) ? '' : '}}';
    const items: vscode.CompletionItem[] = [];
    const add = (item: vscode.CompletionItem, group: number): void => {
      item.range = range;
      item.sortText = `${group}${typeof item.label === 'string' ? item.label : item.label.label}`;
      items.push(item);
    };
    const plain = (text: string): vscode.SnippetString => new vscode.SnippetString(`${escapeSnippet(text)}${close}`);

    // File variables (the last definition of a name wins), except the one being defined on this line.
    const fileVars = new Map(parsed.fileVariables.map((v) => [v.name, v]));
    for (const v of fileVars.values()) {
      if (v.range.start.line === pos.line) continue;
      const item = new vscode.CompletionItem({ label: v.name, description: 'file variable' }, vscode.CompletionItemKind.Variable);
      const hidden = secretByName(parsed, v.name) || hasSecretShape(v.name, v.value);
      item.detail = hidden ? '(value hidden: it may be a secret)' : v.value;
      item.documentation = new vscode.MarkdownString().appendText(`File variable, defined on line ${v.range.start.line + 1}.`);
      item.filterText = v.name;
      item.insertText = plain(v.name);
      add(item, 0);
    }

    // Environment variables: names only, never values (the private env file holds secrets).
    const ctx = await variableContext(this.environments, doc.uri);
    const envName = this.environments.current;
    for (const name of Object.keys(ctx.environment ?? {})) {
      if (name.startsWith('$') || fileVars.has(name)) continue;
      const item = new vscode.CompletionItem({ label: name, description: 'environment' }, vscode.CompletionItemKind.Constant);
      item.detail = envName ? `Environment variable of "${envName}"` : 'Shared environment variable';
      item.filterText = name;
      item.insertText = plain(name);
      add(item, 1);
    }

    // Named requests: their response (and request) for chaining.
    const here = requestAt(parsed, pos.line);
    const sent = this.named.of(doc.uri);
    for (const r of parsed.requests) {
      if (!r.name || r === here || !/^[\w-]+$/.test(r.name)) continue;
      const what = redactUrl(`${r.method} ${r.url}`);
      const status = sent.get(r.name) ? `sent, ${sent.get(r.name)!.response.status}` : 'not sent yet';
      const body = new vscode.CompletionItem({ label: `${r.name}.response.body.$`, description: 'named request' }, vscode.CompletionItemKind.Reference);
      body.detail = `A JSONPath into the response of ${what} (${status})`;
      body.filterText = `${r.name}.response.body.$`;
      body.insertText = new vscode.SnippetString(`${escapeSnippet(r.name)}.response.body.\\$.\${1:id}${close}`);
      add(body, 2);
      const headers = new vscode.CompletionItem({ label: `${r.name}.response.headers.`, description: 'named request' }, vscode.CompletionItemKind.Reference);
      headers.detail = `A header of the response of ${what} (${status})`;
      headers.filterText = `${r.name}.response.headers.`;
      headers.insertText = new vscode.SnippetString(`${escapeSnippet(r.name)}.response.headers.\${1:X-WP-Total}${close}`);
      add(headers, 2);
    }

    // System variables, with $store.url / $store.name showing the store this request goes to.
    const store = storeOf(parsed, here, ctx, this.stores.list());
    for (const sys of SYSTEM_VARIABLES) {
      const item = new vscode.CompletionItem({ label: sys.name, description: 'system variable' }, vscode.CompletionItemKind.Function);
      item.detail = sys.name === '$store.url' && store ? `${redactUrl(store.baseUrl)} (store ${store.name})` : sys.name === '$store.name' && store ? store.name : sys.description;
      item.documentation = new vscode.MarkdownString().appendText(sys.description).appendCodeblock(`{{${sys.insertText}}}`, 'http');
      item.filterText = sys.name;
      item.insertText = new vscode.SnippetString(`${systemSnippet(sys.insertText)}${close}`);
      add(item, 3);
    }
    return items;
  }

  // `@store = ` / `# @store `: the registered stores.
  private storeNames(pos: vscode.Position, partial: string, after: string): vscode.CompletionItem[] {
    const start = pos.translate(0, -partial.length);
    const range = { inserting: new vscode.Range(start, pos), replacing: new vscode.Range(start, pos.translate(0, after.trimEnd().length)) };
    return this.stores.list().map((s, i) => {
      const item = new vscode.CompletionItem({ label: s.name, description: redactUrl(s.baseUrl) }, vscode.CompletionItemKind.Value);
      item.detail = `${redactUrl(s.baseUrl)} · ${authLabel(s.authMethod)}`;
      item.documentation = new vscode.MarkdownString().appendText(`Requests of this file go to the store "${s.name}" with its credentials from SecretStorage.`);
      item.range = range;
      item.sortText = String(i).padStart(4, '0');
      return item;
    });
  }

  // A request line's URL (or a `?`/`&` continuation line): WooCommerce routes, query arguments, their values.
  private url(doc: vscode.TextDocument, pos: vscode.Position, before: string, after: string): vscode.CompletionItem[] | undefined {
    const parsed = this.documents.parse(doc);
    const request = parsed.requests.find((r) => !r.curl && r.urlLines.some((l) => l.range.start.line === pos.line));
    if (!request) return undefined;
    const index = request.urlLines.findIndex((l) => l.range.start.line === pos.line);
    const piece = request.urlLines[index]!;
    if (pos.character < piece.range.start.character) return undefined; // on the method
    if (pos.character > piece.range.end.character) return undefined; // past the URL (the HTTP version)
    const pieceBefore = before.slice(piece.range.start.character);
    const urlBefore = request.urlLines.slice(0, index).map((l) => l.text).join('') + pieceBefore;
    const method = METHODS.test(request.method) ? request.method.toUpperCase() : 'GET';

    const route = /(?:\/wc\/v3\/|[?&]rest_route=\/wc\/v3\/)([^?#&\s]*)$/.exec(urlBefore);
    if (route && (route[1] ?? '').length <= pieceBefore.length) return this.routes(pos, route[1] ?? '', after, method);

    if (!urlBefore.includes('?')) return undefined;
    const path = wooRoutes().wooPathOf(request.url);
    if (path === undefined || !wooRoutes().findRoute(path)) return undefined;
    const args = wooRoutes().routeArgs(path, method);

    const value = /[?&]([\w.[\]-]+)=([^&#\s]*)$/.exec(urlBefore);
    if (value) {
      const arg = args.find((a) => a.name === value[1]);
      if (!arg?.values || (value[2] ?? '').length > pieceBefore.length) return undefined;
      return this.argValues(pos, arg, value[2] ?? '', after);
    }
    const name = /[?&]([\w.[\]-]*)$/.exec(urlBefore);
    if (!name || (name[1] ?? '').length > pieceBefore.length) return undefined;
    return this.argNames(pos, args, name[1] ?? '', after, request.url, path);
  }

  private routes(pos: vscode.Position, typed: string, after: string, method: string): vscode.CompletionItem[] {
    const start = pos.translate(0, -typed.length);
    const tail = /^[^\s?#&]*/.exec(after)?.[0] ?? '';
    const range = { inserting: new vscode.Range(start, pos), replacing: new vscode.Range(start, pos.translate(0, tail.length)) };
    return wooRoutes().routeCompletions(typed, method).map((c, i) => {
      const item = new vscode.CompletionItem({ label: c.route.path, description: c.route.methods.join(' ') }, vscode.CompletionItemKind.Folder);
      item.detail = c.route.description;
      const doc = new vscode.MarkdownString().appendText(`${c.route.methods.join(', ')} /wp-json/wc/v3/${c.route.path}\n\n${c.route.description}`);
      const query = c.route.query?.map((a) => a.name);
      if (query?.length) doc.appendText(`\n\nQuery (GET): ${query.join(', ')}`);
      item.documentation = doc;
      item.filterText = c.filterText;
      item.insertText = new vscode.SnippetString(c.snippet);
      item.range = range;
      item.sortText = String(i).padStart(4, '0');
      return item;
    });
  }

  private argNames(pos: vscode.Position, args: readonly RouteArg[], partial: string, after: string, url: string, path: string): vscode.CompletionItem[] {
    const start = pos.translate(0, -partial.length);
    const tail = /^[\w.[\]-]*/.exec(after)?.[0] ?? '';
    const range = { inserting: new vscode.Range(start, pos), replacing: new vscode.Range(start, pos.translate(0, tail.length)) };
    // Arguments already in the URL are not offered again (the one being typed is not "already there").
    const present = new Map<string, number>();
    for (const m of url.matchAll(/[?&]([^=&#\s]+)/g)) present.set(m[1]!, (present.get(m[1]!) ?? 0) + 1);
    const typing = partial + tail;
    if (typing) present.set(typing, (present.get(typing) ?? 0) - 1);
    const hasValue = after.slice(tail.length).startsWith('=');
    return args.filter((a) => !((present.get(a.name) ?? 0) > 0)).map((a, i) => {
      const item = new vscode.CompletionItem({ label: a.name, description: a.name.startsWith('_') ? 'WordPress' : `wc/v3/${path}` }, vscode.CompletionItemKind.Property);
      item.detail = a.description;
      const doc = new vscode.MarkdownString();
      if (a.values) doc.appendText(`Values: ${a.values.join(', ')}`);
      if (a.default !== undefined) doc.appendText(`${a.values ? '\n\n' : ''}Default: ${a.default}`);
      item.documentation = doc;
      const value = a.values ? `\${1|${a.values.map(escapeChoice).join(',')}|}` : a.default !== undefined ? `\${1:${escapeSnippet(a.default)}}` : '$1';
      item.insertText = new vscode.SnippetString(hasValue ? escapeSnippet(a.name) : `${escapeSnippet(a.name)}=${value}`);
      item.filterText = a.name;
      item.range = range;
      item.sortText = String(i).padStart(4, '0');
      return item;
    });
  }

  private argValues(pos: vscode.Position, arg: RouteArg, partial: string, after: string): vscode.CompletionItem[] {
    const start = pos.translate(0, -partial.length);
    const tail = /^[^&#\s]*/.exec(after)?.[0] ?? '';
    const range = { inserting: new vscode.Range(start, pos), replacing: new vscode.Range(start, pos.translate(0, tail.length)) };
    return (arg.values ?? []).map((v, i) => {
      const item = new vscode.CompletionItem(v, vscode.CompletionItemKind.EnumMember);
      item.detail = v === arg.default ? `${arg.name} (default)` : arg.name;
      item.range = range;
      item.sortText = String(i).padStart(4, '0');
      return item;
    });
  }
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

function escapeChoice(text: string): string {
  return text.replace(/[\\$}|,]/g, (c) => `\\${c}`);
}

/** `$randomInt 1 100` → `\$randomInt ${1:1} ${2:100}`; `$datetime iso8601` offers its formats. */
export function systemSnippet(insertText: string): string {
  const head = /^[^\s(]+/.exec(insertText)?.[0] ?? insertText;
  const rest = insertText.slice(head.length);
  if (/^\$(?:local)?[dD]atetime$/.test(head)) return `${escapeSnippet(head)} \${1|iso8601,rfc1123|}`;
  let tab = 0;
  const args = rest.replace(/[A-Za-z0-9_.]+|[^A-Za-z0-9_.]+/g, (t) => (/^[A-Za-z0-9_.]+$/.test(t) ? `\${${++tab}:${escapeSnippet(t)}}` : escapeSnippet(t)));
  return `${escapeSnippet(head)}${args}`;
}

// ---------------------------------------------------------------------------------------------
// Outline

class RequestSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly documents: HttpDocuments) {}

  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    if (!HttpDocuments.isHttp(doc)) return [];
    const parsed = this.documents.parse(doc);
    const symbols: vscode.DocumentSymbol[] = [];
    for (const v of parsed.fileVariables) {
      // The name only: a value can be a secret.
      const range = toRange(v.range);
      symbols.push(new vscode.DocumentSymbol(v.name, '', vscode.SymbolKind.Variable, range, toRange(v.nameRange).intersection(range) ?? range));
    }
    for (const r of parsed.requests) {
      const line = redactUrl(`${r.method} ${r.url}`.trim());
      const name = (r.name ?? r.title ?? line).trim() || r.method;
      const selection = toRange(r.requestLineRange);
      let range = toRange(r.range);
      if (r.delimiterRange) range = range.union(toRange(r.delimiterRange));
      range = range.union(selection);
      const kind = r.metadata.name !== undefined ? vscode.SymbolKind.Function : vscode.SymbolKind.Method;
      symbols.push(new vscode.DocumentSymbol(redactText(name), line, kind, range, selection));
    }
    return symbols.sort((a, b) => a.range.start.compareTo(b.range.start));
  }
}

// ---------------------------------------------------------------------------------------------
// Hover

const KIND_LABEL: Record<VariableKind, string> = {
  prompt: 'Prompt variable (asked when the request is sent)',
  system: 'System variable',
  request: 'Request variable (from a named request)',
  file: 'File variable',
  environment: 'Environment variable',
};

/** System variables that give a new value each time: the hover shows an example, not "the" value. */
const CHANGING = /^\$(?:guid|uuid|randomInt|timestamp|isoTimestamp|datetime|localDatetime|random\.)/;

class VariableHovers implements vscode.HoverProvider {
  constructor(
    private readonly documents: HttpDocuments,
    private readonly stores: StoreRegistry,
    private readonly environments: Environments,
    private readonly named: NamedResponses,
  ) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!HttpDocuments.isHttp(doc)) return undefined;
    const text = doc.lineAt(pos.line).text;
    const ref = variableReferences(text).find((r) => r.start <= pos.character && pos.character < r.end);
    if (!ref || ref.name === '') return undefined;
    const range = new vscode.Range(pos.line, ref.start, pos.line, ref.end);
    const parsed = this.documents.parse(doc);
    const request = requestAt(parsed, pos.line);
    const base: VariableContext = { ...(await variableContext(this.environments, doc.uri)), namedResponses: this.named.of(doc.uri) };
    const store = storeOf(parsed, request, base, this.stores.list());
    const ctx: VariableContext = { ...base, store: store ? { name: store.name, url: store.baseUrl } : undefined };
    const where = { start: { line: pos.line, character: ref.start }, end: { line: pos.line, character: ref.end } };
    const result = resolveVariable(parsed, ref.name, ctx, request, where);

    const md = new vscode.MarkdownString();
    const kind = result.kind ? KIND_LABEL[result.kind] : 'Variable';
    const envName = result.kind === 'environment' && this.environments.current ? ` of "${this.environments.current}"` : '';
    md.appendMarkdown(`**${kind}${escapeMarkdown(envName)}** `).appendCodeblock(`{{${ref.name}}}`, 'http');
    const sys = result.kind === 'system' ? SYSTEM_VARIABLES.find((s) => ref.name === s.name || ref.name.startsWith(`${s.name} `) || ref.name.startsWith(`${s.name}(`)) : undefined;
    if (sys) md.appendMarkdown(`${escapeMarkdown(sys.description)}\n\n`);

    if (result.value !== undefined) {
      const hidden = secretByName(parsed, ref.name) || (result.kind === 'environment' && looksSecretName(ref.name));
      if (hidden) {
        md.appendMarkdown('Value: `(hidden)`, it may be a secret: it is sent, never shown.');
      } else if (result.value === '') {
        md.appendMarkdown('Value: empty.');
      } else {
        md.appendMarkdown(sys && CHANGING.test(ref.name) ? 'For example (a new value each time):' : 'Value:').appendCodeblock(shown(result.value), 'text');
      }
    }
    if (result.kind === 'file') {
      const def = [...parsed.fileVariables].reverse().find((v) => v.name === ref.name.replace(/^%/, '').trim());
      if (def) md.appendMarkdown(`\n\nDefined on line ${def.range.start.line + 1}.`);
    }
    // Problems are sentences about names, never values (core/http promises it).
    for (const p of result.problems) md.appendMarkdown(`\n\n${escapeMarkdown(p.message)}`);
    return new vscode.Hover(md, range);
  }
}

/** Markdown-inert text (readable as it is, unlike appendText's &nbsp;s). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]#|<>~]/g, (c) => `\\${c}`);
}
