// Problems found while typing (core/lint.ts: resolving each request as a send would, sending
// nothing), again whenever the stores or the environment change.
import * as vscode from 'vscode';
import { lintDocument } from './core/lint';
import type { Environments } from './environments';
import type { HttpDocuments } from './http-documents';
import type { StoreRegistry } from './stores';

export function registerLinter(documents: HttpDocuments, stores: StoreRegistry, environments: Environments): vscode.Disposable {
  documents.setLinter(async (doc, parsed) => lintDocument(parsed, stores.list(), await environments.variablesFor(doc.uri)));
  return vscode.Disposable.from(
    stores.onDidChange(() => documents.relintAll()),
    environments.onDidChange(() => documents.relintAll()),
  );
}
