// Problems found while typing by resolving each request as a send would: unknown variables, an
// unknown store. Nothing is sent and no prompt is asked; named responses not yet received are not
// problems here (they are when sending).
import * as vscode from 'vscode';
import { requestStoreName, resolveRequest, type ParsedDocument, type Problem } from './core/http';
import { findStore, unknownStoreProblem } from './core/run-request';
import type { Environments } from './environments';
import { LINT_CODES, type HttpDocuments } from './http-documents';
import type { StoreRegistry } from './stores';

export function registerLinter(documents: HttpDocuments, stores: StoreRegistry, environments: Environments): vscode.Disposable {
  documents.setLinter(async (doc, parsed) => lint(parsed, stores, await environments.variablesFor(doc.uri)));
  return vscode.Disposable.from(
    stores.onDidChange(() => documents.relintAll()),
    environments.onDidChange(() => documents.relintAll()),
  );
}

function lint(parsed: ParsedDocument, stores: StoreRegistry, variables: Awaited<ReturnType<Environments['variablesFor']>>): Problem[] {
  const known = stores.list();
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const request of parsed.requests) {
    const prompts = Object.fromEntries(request.metadata.prompts.map((p) => [p.name, '']));
    const storeName = requestStoreName(parsed, request, variables);
    const store = storeName ? findStore(known, storeName) : undefined;
    const { problems } = resolveRequest(parsed, request, { ...variables, prompts, store: store ? { name: store.name, url: store.baseUrl } : undefined });
    if (storeName && !store) problems.push(unknownStoreProblem(parsed, request, storeName, known));
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
