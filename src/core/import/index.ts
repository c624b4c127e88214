// Imports into `.http` files on a store (Postman, OpenAPI / Swagger, HAR, the store's own routes):
// the importers say what to write; this turns it into file texts and makes sure none of them
// carries a secret (a last check with the plaintext-secret scanner: a consumer key or secret, or an
// application password, anywhere in a text stops the import with a sentence).
//
// Pure: no `vscode`, no I/O.

import { findPlaintextSecrets } from '../secret-scan';
import { writeHttpFile, type ImportResult } from './http-writer';
import { importHar } from './har';
import { importOpenApi } from './openapi';
import { ImportError, importPostman } from './postman';

export { ImportError } from './postman';
export { importStoreRoutes, readStoreRoutes, routesOfIndex } from './store-routes';
export type { ImportResult, ImportedFile, ImportedRequest } from './http-writer';

export type ImportKind = 'postman' | 'openapi' | 'har';

export interface WrittenImport {
  files: { path: string; text: string; requests: number }[];
  notes: string[];
}

export function importText(kind: ImportKind, text: string, options: { storeName: string; origin?: string }): ImportResult {
  switch (kind) {
    case 'postman': return importPostman(text);
    case 'openapi': return importOpenApi(text);
    case 'har': return importHar(text, options);
  }
}

/** The files' texts, checked for secrets. Throws ImportError when one slipped through. */
export function render(result: ImportResult, storeName: string): WrittenImport {
  if (!/^[\w.-]+$/.test(storeName)) throw new ImportError(`"${storeName}" cannot be a store name in a .http file: use letters, digits, ".", "_" and "-".`);
  const files = result.files.map((f) => ({ path: f.path, text: writeHttpFile(f, storeName), requests: f.requests.length }));
  for (const f of files) {
    const found = findPlaintextSecrets(f.text, 'http');
    if (found.length) {
      throw new ImportError(`${f.path} would contain a ${found[0]!.kind.replace('-', ' ')} (line ${found[0]!.line + 1}); nothing was written. Remove it from the source, or report this as a bug.`);
    }
  }
  return { files, notes: result.notes };
}
