// Problems found while typing (core/lint.ts: resolving each request as a send would, sending
// nothing), again whenever the stores or the environment change.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { bodyFileReferences, lintDocument, missingBodyFile } from './core/lint';
import type { ParsedDocument, Problem } from './core/http';
import type { Environments } from './environments';
import type { HttpDocuments } from './http-documents';
import type { StoreRegistry } from './stores';

export function registerLinter(documents: HttpDocuments, stores: StoreRegistry, environments: Environments): vscode.Disposable {
  documents.setLinter(async (doc, parsed) => [
    ...lintDocument(parsed, stores.list(), await environments.variablesFor(doc.uri)),
    ...(await missingBodyFiles(doc.uri, parsed)),
  ]);
  return vscode.Disposable.from(
    stores.onDidChange(() => documents.relintAll()),
    environments.onDidChange(() => documents.relintAll()),
  );
}

/** `< file` bodies that are not there, relative to the .http file (as a send reads them). */
async function missingBodyFiles(uri: vscode.Uri, parsed: ParsedDocument): Promise<Problem[]> {
  if (uri.scheme !== 'file') return [];
  const out: Problem[] = [];
  for (const ref of bodyFileReferences(parsed)) {
    const target = vscode.Uri.file(path.resolve(path.dirname(uri.fsPath), ref.path));
    try {
      await vscode.workspace.fs.stat(target);
    } catch {
      out.push(missingBodyFile(ref));
    }
  }
  return out;
}
