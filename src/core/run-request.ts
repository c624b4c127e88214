// One request of a `.http` document, from template to exchange: pick the store, resolve the
// variables, read file bodies, apply the store's credentials, send. The same pipeline serves the
// editor (send-request.ts) and the CLI (cli.ts); only where secrets and files come from differs.
//
// Pure of `vscode`: files and secrets arrive through the functions the caller passes.

import { applyStoreAuth, AuthNotApplied, type AppliedAuth, type ApplyOptions, type PlainRequest } from './auth/apply';
import { TokenRenewalError, type TokenManager, type TokenRenewal } from './auth/token-manager';
import { applyFreshToken, resendAfterExpiredToken } from './auth/token-send';
import { sentTokenOf, type TokenEvidence } from './explain/token-evidence';
import { withBasicShorthands } from './auth/basic';
import { requestStoreName, resolveRequest, substituteFileBody, type NamedExchange, type Problem, type ParsedDocument, type RequestTemplate, type ResolvedRequest, type VariableContext } from './http';
import { labelMask, redactUrl } from './redact';
import { send, type Exchange, type SendOptions } from './send';
import { credentialsWithheld, isStoreHost, type AuthMethod, type Store, type StoreSecrets } from './store';
import { envName } from './env-stores';
import { isStoresHost, labelOf, outboundItems, outboundRefused, secretLabelsOf, type BodyFileRead, type OutboundItem } from './outbound';
import type { MachineValue } from './http';

export interface RunInput {
  doc: ParsedDocument;
  request: RequestTemplate;
  stores: readonly Store[];
  /** "Send with store…": this store (id or name) instead of the one the file names. */
  storeOverride?: string;
  secretsFor(store: Store): Promise<StoreSecrets | undefined>;
  /** Everything but the store, which this pipeline fills in. */
  variables: Omit<VariableContext, 'store'>;
  /** A file named in the document (`< ./body.json`), as written; the caller resolves it against the .http file. */
  readBodyFile(path: string): Promise<Uint8Array>;
  /**
   * Where a body file really is (symbolic links followed) and whether that is inside the user's
   * workspace. Without it every body file counts as outside.
   */
  locateBodyFile?(path: string): Promise<{ path: string; inside: boolean }>;
  /**
   * Asked before a request sends values read from this machine (a secret-looking environment
   * variable or `.env` entry, a file from outside the workspace) to a host that is not one of the
   * stores. Without it, such a request is not sent.
   */
  confirmOutbound?(question: { host: string; items: OutboundItem[] }): Promise<boolean>;
  /** Said after the refusal sentence when the user did not agree (the CLI names its flag). */
  outboundHint?: string;
  /** An absolute path from the store's settings (caCertificateFile). */
  readCaFile(path: string): Promise<string>;
  signal?: AbortSignal;
  /** For OAuth 1.0a: a timestamp on the server's clock after a measured skew ("resync"). */
  authOptions?: ApplyOptions;
  send?: Omit<SendOptions, 'signal' | 'tls' | 'secrets' | 'followRedirects'>;
  /** How an unknown store is worded (default: the editor's). */
  unknownStore?: UnknownStoreWording;
  /**
   * jwt / oauth2 stores: the store's token manager, which renews before sending and once more after
   * an answer that refuses an expired token. Without it the stored token is sent as it is.
   */
  tokens?: (store: Store) => TokenManager | undefined;
}

export interface RunResult {
  /** Resolution problems; an error among them means nothing was sent. */
  problems: Problem[];
  store?: Store;
  resolved?: ResolvedRequest;
  applied?: AppliedAuth;
  /** The auth method that went on the wire: the store's, or 'none' (`# @no-auth`, another host, no store). */
  authMethod: AuthMethod;
  exchange?: Exchange;
  /** Why nothing was sent, as a sentence (also set when an error problem blocked it). */
  notSent?: string;
  /** When the store's credentials stopped it: which way (missing, cleartext, expired token, a failed renewal, values the user did not let go…). */
  notSentCode?: AuthNotApplied['code'] | 'token-renewal-failed' | 'outbound-refused';
  /** What the request took from the machine (environment values, files), whether or not it needed asking. */
  outbound?: { values: MachineValue[]; files: BodyFileRead[] };
  /** Token renewals this request needed (before sending, or after an expired-token answer), with their exchanges. */
  renewals?: TokenRenewal[];
  /** The first attempt, when the request was sent again after renewing a refused token (`exchange` is the second). */
  firstAttempt?: Exchange;
  /** The token that went out, described without its value, for the explanation. */
  token?: TokenEvidence;
}

/** What to say of a store name that matches no store: where stores come from differs (editor, CLI). */
export type UnknownStoreWording = (storeName: string, stores: readonly Store[]) => string;

/** The editor's: stores are added with a command. */
export const unknownStoreInEditor: UnknownStoreWording = (storeName, stores) => {
  const known = stores.map((s) => s.name);
  return `No store is named "${storeName}". ${known.length ? `Known stores: ${known.join(', ')}.` : 'No store is registered yet.'} Add one with "WooCommerce: Add Store", or start the sandbox store.`;
};

/** The error for a store name nobody registered, on the line that names it (`# @store`, else `@store =`). */
export function unknownStoreProblem(doc: ParsedDocument, request: RequestTemplate, storeName: string, stores: readonly Store[], wording: UnknownStoreWording = unknownStoreInEditor): Problem {
  return {
    range: request.metadata.entries.find((e) => e.key === 'store')?.range ?? doc.fileVariables.find((v) => v.name === 'store')?.range ?? request.requestLineRange,
    severity: 'error',
    code: 'unknown-store',
    message: wording(storeName, stores),
  };
}

/** `# @no-auth`: send to the store's URL without its credentials (to see what a stranger gets). */
export function wantsNoAuth(request: RequestTemplate): boolean {
  return request.metadata.entries.some((e) => e.key === 'no-auth');
}

export function findStore(stores: readonly Store[], idOrName: string): Store | undefined {
  return stores.find((s) => s.id === idOrName)
    ?? stores.find((s) => s.name === idOrName)
    ?? stores.find((s) => s.name.toLowerCase() === idOrName.toLowerCase())
    // CLI stores come from WOO_STORE_<NAME>_* variables: `my-shop` is WOO_STORE_MY_SHOP.
    ?? stores.find((s) => s.id === envName(idOrName));
}

export async function runRequest(input: RunInput): Promise<RunResult> {
  const { doc, request } = input;
  const problems: Problem[] = [];

  // The store: "Send with store…" wins, then `# @store`, then the file's `@store = …`.
  const storeName = input.storeOverride ?? requestStoreName(doc, request, input.variables);
  let store: Store | undefined;
  if (storeName !== undefined && storeName !== '') {
    store = findStore(input.stores, storeName);
    if (!store) problems.push(unknownStoreProblem(doc, request, storeName, input.stores, input.unknownStore));
  }

  const ctx: VariableContext = { ...input.variables, store: store ? { name: store.name, url: store.baseUrl } : undefined };
  const { request: resolved, problems: resolveProblems } = resolveRequest(doc, request, ctx);
  // With an unknown store, "no store is selected" for {{$store.url}} says the same thing, vaguer.
  problems.push(...(storeName && !store ? resolveProblems.filter((p) => p.code !== 'no-store') : resolveProblems));
  const blocking = problems.filter((p) => p.severity === 'error');
  if (blocking.length) {
    return { problems, store, resolved, authMethod: 'none', notSent: `Not sent: ${blocking[0].message}${blocking.length > 1 ? ` (and ${blocking.length - 1} more problem${blocking.length > 2 ? 's' : ''} in this request)` : ''}` };
  }

  let body: string | Uint8Array | undefined;
  let bodyShown: string | undefined;
  const secrets = [...resolved.secrets];
  const outbound = { values: [...resolved.machineValues], files: [] as BodyFileRead[] };
  try {
    ({ body, shown: bodyShown } = await readBody(input, resolved, ctx, secrets, problems, outbound));
  } catch (err) {
    return { problems, store, resolved, authMethod: 'none', notSent: `Not sent: ${(err as Error).message}`, outbound };
  }

  const plain: PlainRequest = { method: resolved.method, url: resolved.url, headers: withBasicShorthands(resolved.headers, secrets), body, formFields: formFieldsOf(resolved.method, resolved.headers, body) };
  let applied: AppliedAuth = { request: plain, secrets: [], added: [] };
  let authMethod: AuthMethod = 'none';
  let manager: TokenManager | undefined;
  const renewals: TokenRenewal[] = [];
  if (store && !wantsNoAuth(request) && !URL.canParse(plain.url)) {
    return { problems, store, resolved, authMethod, notSent: `Not sent: "${redactUrl(plain.url, secrets)}" is not a valid URL. Check the request line: it needs http:// or https:// and a host (or {{$store.url}}).` };
  }
  if (store && !wantsNoAuth(request) && !isStoreHost(plain.url, store)) {
    // A file can name a store and send anywhere: the store's credentials go to its own host only.
    applied = { request: plain, secrets: [], added: [credentialsWithheld(plain.url, store)] };
  } else if (store && !wantsNoAuth(request)) {
    const ownHeader = plain.headers.some(([n]) => n.toLowerCase() === 'authorization');
    manager = (store.authMethod === 'jwt' || store.authMethod === 'oauth2') && !ownHeader ? input.tokens?.(store) : undefined;
    try {
      applied = manager ? await applyFreshToken(plain, manager, renewals, input.authOptions) : applyStoreAuth(plain, store, await input.secretsFor(store), input.authOptions);
      authMethod = store.authMethod;
    } catch (err) {
      if (err instanceof TokenRenewalError) return { problems, store, resolved, authMethod: 'none', notSent: `Not sent: ${err.message}`, notSentCode: 'token-renewal-failed', renewals: [...renewals, err.renewal] };
      if (err instanceof AuthNotApplied) return { problems, store, resolved, authMethod: 'none', notSent: err.message, notSentCode: err.code };
      if (err instanceof Error) return { problems, store, resolved, authMethod: 'none', notSent: err.message };
      throw err;
    }
  }
  secrets.push(...applied.secrets);

  let ca: string | undefined;
  if (store?.options?.caCertificateFile) {
    try {
      ca = await input.readCaFile(store.options.caCertificateFile);
    } catch {
      return { problems, store, resolved, applied, authMethod, notSent: `Not sent: the certificate file ${store.options.caCertificateFile} of store "${store.name}" cannot be read. Fix the store's caCertificateFile option${store.id === 'sandbox' ? ', or restart the sandbox store' : ''}.` };
    }
  }
  // Values from this machine that look secret, and files from outside the workspace, go to a host
  // that is not a store only with the user's agreement (see core/outbound.ts).
  const items = outboundItems(outbound.values, outbound.files);
  if (items.length > 0 && !isStoresHost(applied.request.url, input.stores)) {
    const host = URL.canParse(applied.request.url) ? new URL(applied.request.url).host : applied.request.url;
    const agreed = input.confirmOutbound ? await input.confirmOutbound({ host, items }) : false;
    if (!agreed) return { problems, store, resolved, applied, authMethod, notSent: outboundRefused(items, host, input.outboundHint), notSentCode: 'outbound-refused', outbound };
  }
  // What left the machine is shown by name: `⟨$processEnv NAME⟩`, `⟨file ./order.json (1,277 B)⟩`, never the value.
  const secretLabels = secretLabelsOf(outbound.values);
  const sendOptions: SendOptions = { userAgent: store?.options?.userAgent, ...input.send, signal: input.signal, followRedirects: !resolved.noRedirect, tls: { verify: store?.options?.verifyTls !== false, ca }, secrets, secretLabels, bodyShown };
  let exchange = await send(applied.request, sendOptions);
  let firstAttempt: Exchange | undefined;
  // A token refused the way an expired one is: renewed and sent once more (not when it was just
  // obtained for this request: then expiry is not the reason, and the explanation says what is).
  if (manager) {
    ({ exchange, applied, firstAttempt } = await resendAfterExpiredToken({ exchange, applied }, {
      plain, manager, renewals, options: input.authOptions, signal: input.signal,
      resend: (again) => {
        secrets.push(...again.secrets);
        return send(again.request, sendOptions);
      },
    }));
  }
  const sent = store && isStoreHost(applied.request.url, store) ? sentTokenOf(applied.request) : undefined;
  const token: TokenEvidence | undefined = sent || manager
    ? { plugin: manager?.current.token?.plugin ?? store?.token?.plugin, sent, expiresAt: manager?.current.token?.expiresAt ?? store?.token?.expiresAt, obtainedFrom: manager ? store?.baseUrl : undefined }
    : undefined;
  return { problems, store, resolved, applied, authMethod, exchange, renewals: renewals.length ? renewals : undefined, firstAttempt, token, outbound };
}

/**
 * The body to send, and how the exchange shows it when that is not its text: a file sent as it is
 * (`< ./order.json`) is shown by its label, `⟨file ./order.json (1,277 B)⟩` (a path outside the
 * workspace as its real path), not by its content.
 */
async function readBody(input: RunInput, resolved: ResolvedRequest, ctx: VariableContext, secrets: string[], problems: Problem[], outbound: { values: MachineValue[]; files: BodyFileRead[] }): Promise<{ body: string | Uint8Array | undefined; shown?: string }> {
  const b = resolved.body;
  if (b === undefined) return { body: undefined };
  if (typeof b === 'string') return { body: b };
  const readOne = async (file: string, processVariables: boolean, encoding?: string): Promise<{ piece: string | Uint8Array; shown: string }> => {
    let bytes: Uint8Array;
    try {
      bytes = await input.readBodyFile(file);
    } catch {
      throw new Error(`the body file "${file}" cannot be read. Paths are relative to the .http file.`);
    }
    const where = input.locateBodyFile ? await input.locateBodyFile(file).catch(() => ({ path: file, inside: false })) : { path: file, inside: false };
    outbound.files.push({ written: file, path: where.path, bytes: bytes.byteLength, inside: where.inside });
    if (!processVariables) return { piece: bytes, shown: labelMask(labelOf({ kind: 'file', name: where.inside ? file : where.path, bytes: bytes.byteLength })) };
    const text = Buffer.from(bytes).toString(encoding === 'latin1' ? 'latin1' : 'utf8');
    const substituted = substituteFileBody(input.doc, input.request, text, ctx);
    problems.push(...substituted.problems);
    secrets.push(...substituted.secrets);
    outbound.values.push(...substituted.machineValues);
    return { piece: substituted.text, shown: substituted.text };
  };
  if ('file' in b) {
    const one = await readOne(b.file, b.processVariables, b.encoding);
    return { body: one.piece, shown: b.processVariables ? undefined : one.shown };
  }
  const chunks: Buffer[] = [];
  const shown: string[] = [];
  let named = false;
  for (const part of b.parts) {
    if ('text' in part) {
      chunks.push(Buffer.from(part.text, 'utf8'));
      shown.push(part.text);
      continue;
    }
    const one = await readOne(part.file, part.processVariables, part.encoding);
    chunks.push(typeof one.piece === 'string' ? Buffer.from(one.piece, 'utf8') : Buffer.from(one.piece));
    shown.push(one.shown);
    named ||= !part.processVariables;
  }
  return { body: Buffer.concat(chunks), shown: named ? shown.join('') : undefined };
}

/** Form fields of a url-encoded POST body: WooCommerce signs them into OAuth 1.0a (REFERENCE C.6). */
function formFieldsOf(method: string, headers: [string, string][], body: string | Uint8Array | undefined): [string, string][] | undefined {
  if (method !== 'POST' || typeof body !== 'string') return undefined;
  const type = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!/^application\/x-www-form-urlencoded/i.test(type)) return undefined;
  return [...new URLSearchParams(body)];
}

/** What later requests can chain on (`{{name.response.body.$.id}}`): the exchange as sent and received, secrets masked. */
export function namedExchangeOf(exchange: Exchange): NamedExchange | undefined {
  if (!exchange.response) return undefined;
  const flatten = (headers: [string, string][]) => {
    const out: Record<string, string> = {};
    for (const [n, v] of headers) out[n] = out[n] === undefined ? v : `${out[n]}, ${v}`;
    return out;
  };
  return {
    request: { url: exchange.request.url, headers: flatten(exchange.request.headers), body: exchange.request.body },
    response: { status: exchange.response.status, headers: flatten(exchange.response.headers), body: Buffer.from(exchange.response.body).toString('utf8') },
  };
}
