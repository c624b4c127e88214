// What a request takes from the machine it is sent from, and when the user must agree first.
//
// A .http file can read any environment variable (`{{$processEnv NAME}}`), any `.env` entry
// (`{{$dotenv NAME}}`) and any file (`< /etc/passwd`, `<@ ../../secrets.json`), as REST Client's
// files do; we keep that. But a file someone else wrote (a cloned repository) could send a
// GITHUB_TOKEN or ~/.ssh/id_rsa to its own server. So when a request would carry, to a host that
// is not one of the user's stores, a machine value whose name looks secret or a file from outside
// the workspace, the user is asked once, with the exact names, before anything is sent.
//
// Pure: no `vscode`, no I/O.

import type { MachineValue } from './http';
import type { Store } from './store';

/** One thing a request takes from the machine, as the user is told of it. */
export interface OutboundItem {
  kind: 'processEnv' | 'dotenv' | 'file';
  /** The variable's or `.env` entry's name, or the file's absolute path. */
  name: string;
  /** Files: their size. */
  bytes?: number;
  /** How the exchange and the question name it: `$processEnv NAME`, `file /etc/passwd (1,277 B)`. */
  label: string;
}

/** A file body a request read, with where it really is (symbolic links followed). */
export interface BodyFileRead {
  /** As written in the .http file. */
  written: string;
  /** The real absolute path. */
  path: string;
  bytes: number;
  /** Inside one of the open workspace folders (or, for the CLI, the working directory). */
  inside: boolean;
}

/**
 * Names that usually hold a secret: tokens, keys, passwords, secrets, credentials, sessions,
 * cookies, signatures, private things. A name that says none of these (HOME, USER, SHOP_URL)
 * is taken to be an ordinary setting.
 */
export function looksSecretName(name: string): boolean {
  return /token|secret|passw|pwd|pass$|key|auth|credential|session|cookie|signature|private|bearer|jwt/i.test(name);
}

export function labelOf(item: Pick<OutboundItem, 'kind' | 'name' | 'bytes'>): string {
  if (item.kind === 'file') return `file ${item.name} (${(item.bytes ?? 0).toLocaleString('en-US')} B)`;
  return `$${item.kind} ${item.name}`;
}

/** Each machine value's label, by value: what redact.ts shows in its place (`⟨$processEnv NAME⟩`). */
export function secretLabelsOf(values: readonly MachineValue[]): Map<string, string> {
  return new Map(values.map((v) => [v.value, labelOf(v)]));
}

/** What of a request needs the user's agreement when sent to a host that is not a store. */
export function outboundItems(values: readonly MachineValue[], files: readonly BodyFileRead[]): OutboundItem[] {
  const items: OutboundItem[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    if (!looksSecretName(v.name) || seen.has(`${v.kind} ${v.name}`)) continue;
    seen.add(`${v.kind} ${v.name}`);
    items.push({ kind: v.kind, name: v.name, label: labelOf(v) });
  }
  for (const f of files) {
    if (f.inside || seen.has(`file ${f.path}`)) continue;
    seen.add(`file ${f.path}`);
    items.push({ kind: 'file', name: f.path, bytes: f.bytes, label: labelOf({ kind: 'file', name: f.path, bytes: f.bytes }) });
  }
  return items;
}

/**
 * True when `url` is the address of one of the user's stores: its host and port are those of the
 * store's base URL or Home URL (http and https on their default ports count as one site). Stricter
 * than where credentials may go (any port of the store's host), because on a shared host such as
 * 127.0.0.1 another port is another program.
 */
export function isStoresHost(url: string, stores: readonly Store[]): boolean {
  const target = parse(url);
  if (!target) return false;
  return stores.some((s) => [s.baseUrl, s.options?.homeUrl].some((u) => {
    const site = u ? parse(u) : undefined;
    return site !== undefined && site.hostname === target.hostname && (site.port === target.port || (site.port === '' && target.port === ''));
  }));
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** "$processEnv GITHUB_TOKEN, $dotenv API_KEY and file /etc/passwd (1,277 B)". */
export function listItems(items: readonly OutboundItem[]): string {
  const labels = items.map((i) => i.label);
  return labels.length <= 1 ? labels.join('') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** The sentence when the user did not agree (or could not be asked). */
export function outboundRefused(items: readonly OutboundItem[], host: string, howToAllow?: string): string {
  return `Not sent: this request would send ${listItems(items)} from this machine to ${host}, which is not one of your stores, and that was not allowed.${howToAllow ? ` ${howToAllow}` : ''}`;
}
