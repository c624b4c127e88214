// Problems found by resolving each request of a .http document as a send would, without sending:
// unknown variables, variable cycles, bad system variables, a store that is missing. No prompt is
// asked and named responses not yet received are not problems (they are when sending). The editor
// shows these as you type (http-lint.ts); `woo-api parse` reports them, so CI can lint files.
//
// Pure: no `vscode`, no I/O.

import { requestStoreName, resolveRequest, type FileReference, type ParsedDocument, type Problem, type VariableContext } from './http';
import { findStore, unknownStoreProblem, type UnknownStoreWording } from './run-request';
import type { Store } from './store';

/** The problem codes that come from resolution (the parser reports the others). */
export const LINT_CODES: ReadonlySet<string> = new Set(['unknown-variable', 'variable-cycle', 'variable-too-large', 'variable-too-deep', 'invalid-system-variable', 'unsupported-system-variable', 'no-store', 'unknown-store']);

export function lintDocument(parsed: ParsedDocument, stores: readonly Store[], variables: Omit<VariableContext, 'store' | 'prompts'>, unknownStore?: UnknownStoreWording): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const request of parsed.requests) {
    const prompts = Object.fromEntries(request.metadata.prompts.map((p) => [p.name, '']));
    const storeName = requestStoreName(parsed, request, variables);
    const store = storeName ? findStore(stores, storeName) : undefined;
    const { problems } = resolveRequest(parsed, request, { ...variables, prompts, store: store ? { name: store.name, url: store.baseUrl } : undefined });
    if (storeName && !store) problems.push(unknownStoreProblem(parsed, request, storeName, stores, unknownStore));
    for (const p of problems) {
      // $store.url is reported as no-store only when the store itself is known to be missing.
      if (!LINT_CODES.has(p.code) || (p.code === 'no-store' && storeName)) continue;
      const key = `${p.code}:${p.range.start.line}:${p.range.start.character}`;
      if (seen.has(key)) continue; // a file-level @store line is shared by every request
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

/** The `< file` body lines of the document whose path is fixed (no `{{variable}}` in it). */
export function bodyFileReferences(parsed: ParsedDocument): Pick<FileReference, 'path' | 'range'>[] {
  const out: Pick<FileReference, 'path' | 'range'>[] = [];
  for (const r of parsed.requests) {
    const b = r.body;
    const refs = !b ? [] : b.kind === 'file' ? [b] : b.kind === 'mixed' || b.kind === 'multipart' ? b.lines.filter((l): l is FileReference => l.kind === 'file') : [];
    for (const ref of refs) if (!ref.path.includes('{{')) out.push({ path: ref.path, range: ref.range });
  }
  return out;
}

/** The problem for a body file that is not there (the caller looked, relative to the .http file). */
export function missingBodyFile(ref: Pick<FileReference, 'path' | 'range'>): Problem {
  return { range: ref.range, severity: 'error', code: 'missing-body-file', message: `The body file "${ref.path}" is not there (paths are relative to the .http file): sending this request would fail.` };
}
