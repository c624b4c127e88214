// The runner panel's history: the requests sent, newest first, capped, searchable, kept in the
// extension's storage. A request is cleaned before it is kept: credential headers and query
// parameters go, and every known secret or secret-shaped value is masked (redact.ts), so the
// history can never hold what SecretStorage holds.
//
// Pure: no `vscode`.

import { isSecretHeader, redactText } from './redact';
import type { RunnerRequest } from './runner-types';

export interface HistoryEntry {
  id: string;
  /** ISO time the answer arrived. */
  time: string;
  request: RunnerRequest;
  storeName?: string;
  status?: number;
  durationMs?: number;
  /** Transport failure or why it was not sent. */
  error?: string;
}

const CREDENTIAL_PARAMS = /^(consumer_key|consumer_secret|oauth_[a-z_]+|access_token|password|_wpnonce)$/i;

/** The request without credentials: what may be written to history (and shown again). */
export function historyRequest(req: RunnerRequest, secrets: readonly string[]): RunnerRequest {
  const clean = (s: string) => redactText(s, secrets);
  return {
    ...req,
    path: clean(req.path),
    query: req.query.filter((q) => !CREDENTIAL_PARAMS.test(q.name.trim())).map((q) => ({ ...q, value: clean(q.value) })),
    headers: req.headers.filter((h) => !isSecretHeader(h.name)).map((h) => ({ ...h, value: clean(h.value) })),
    body: {
      kind: req.body.kind,
      text: clean(req.body.text),
      ...(req.body.fields ? { fields: req.body.fields.filter((f) => !CREDENTIAL_PARAMS.test(f.name.trim())).map((f) => ({ ...f, value: clean(f.value) })) } : {}),
    },
  };
}

/** The list with `entry` first, at most `cap` long. */
export function addToHistory(list: readonly HistoryEntry[], entry: HistoryEntry, cap: number): HistoryEntry[] {
  return [entry, ...list.filter((e) => e.id !== entry.id)].slice(0, Math.max(0, cap));
}

/** Entries whose method, path, query, store or status contain every word of `text`. */
export function searchHistory(list: readonly HistoryEntry[], text: string): HistoryEntry[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...list];
  return list.filter((e) => {
    const hay = [e.request.method, e.request.path, ...e.request.query.map((q) => `${q.name}=${q.value}`), e.storeName ?? '', String(e.status ?? ''), e.error ?? ''].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** Entries read back from storage: anything malformed is dropped, never thrown on. */
export function readHistory(value: unknown): HistoryEntry[] {
  if (!Array.isArray(value)) return [];
  return value.filter((e): e is HistoryEntry => typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.time === 'string' && typeof e.request === 'object' && e.request !== null && typeof e.request.method === 'string' && typeof e.request.path === 'string' && Array.isArray(e.request.query) && Array.isArray(e.request.headers) && typeof e.request.body === 'object');
}
