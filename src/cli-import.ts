// `woo-api import postman|openapi|har FILE --store NAME [--out DIR]` and `woo-api import store
// --store NAME [--out DIR]`: .http files that name the store and use {{$store.url}}; nothing secret
// is written (core/import). Kept apart from cli.ts so the other commands stay readable.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImportError, importStoreRoutes, importText, readStoreRoutes, render, type ImportKind, type WrittenImport } from './core/import';
import { storesFromEnv } from './core/env-stores';
import { findStore } from './core/run-request';
import { closeConnections, send } from './core/send';
import { parseFlags, readTextFile, UsageError } from './cli';
import { trimTrailingSlashes } from './core/url-text';

export const IMPORT_USAGE = `  woo-api import postman|openapi|har FILE --store NAME [--out DIR] [--origin URL]
    woo-api import store --store NAME [--out DIR] [--namespace NS]
      Writes .http files that name the store NAME and address it as {{$store.url}}, never a secret:
      a Postman collection (v2.1), an OpenAPI 3 / Swagger 2 document (JSON), a HAR recording (its REST
      calls; --origin keeps only those to that address), or the store's own route catalogue (read from
      its /wp-json/ index and OPTIONS on each route, without credentials; the store from WOO_STORE_*).
      Files go to DIR (default: the current folder); an existing file is never overwritten.
`;

const KINDS = ['postman', 'openapi', 'har', 'store'] as const;

export async function importCommand(argv: string[]): Promise<number> {
  const [kind, ...rest] = argv;
  if (!kind || !(KINDS as readonly string[]).includes(kind)) throw new UsageError(`Say what to import: woo-api import postman|openapi|har FILE --store NAME, or woo-api import store --store NAME.`);
  const flags = parseFlags(rest, ['--store', '--out', '--origin', '--namespace'], []);
  const storeName = flags.values.get('--store');
  if (!storeName) throw new UsageError('Name the store the files will use: --store NAME (its credentials stay in SecretStorage or WOO_STORE_* variables).');
  const outDir = path.resolve(flags.values.get('--out') ?? '.');
  let written: WrittenImport;
  try {
    if (kind === 'store') {
      if (flags.positional.length) throw new UsageError(`Unexpected argument "${flags.positional[0]}": import store reads the store itself.`);
      written = await importFromStore(storeName, flags.values.get('--namespace'));
    } else {
      const [file, ...extra] = flags.positional;
      if (!file) throw new UsageError(`Name the ${kind === 'postman' ? 'Postman collection' : kind === 'openapi' ? 'OpenAPI document' : 'HAR file'} to import.`);
      if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
      const text = readTextFile(file);
      written = render(importText(kind as ImportKind, text, { storeName, origin: flags.values.get('--origin') }), storeName);
    }
  } catch (err) {
    if (err instanceof ImportError) throw new UsageError(err.message);
    throw err;
  } finally {
    await closeConnections();
  }
  const paths = writeFiles(written, outDir);
  const lines = paths.map((p, i) => `  ${path.relative(process.cwd(), p) || p}  (${written.files[i]!.requests} request${written.files[i]!.requests === 1 ? '' : 's'})`);
  const notes = written.notes.map((n) => `  note: ${n}`);
  await new Promise<void>((resolve, reject) => process.stdout.write(`Wrote ${paths.length} file${paths.length === 1 ? '' : 's'} for the store "${storeName}":\n${lines.join('\n')}\n${notes.length ? `${notes.join('\n')}\n` : ''}`, (e) => (e ? reject(e) : resolve())));
  return 0;
}

/** Writes each file into `dir`; a name already taken gets `-2`, `-3`… Returns the paths written. */
export function writeFiles(written: WrittenImport, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return written.files.map((f) => {
    let target = path.join(dir, f.path);
    for (let i = 2; fs.existsSync(target); i++) target = path.join(dir, f.path.replace(/\.http$/, `-${i}.http`));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.text, { flag: 'wx' });
    return target;
  });
}

async function importFromStore(storeName: string, namespace: string | undefined): Promise<WrittenImport> {
  const env = storesFromEnv(process.env);
  const store = findStore(env.stores, storeName);
  if (!store) throw new UsageError(`No store is named "${storeName}": set WOO_STORE_${storeName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL (no credentials are needed to read its routes).`);
  let ca: string | undefined;
  try {
    ca = store.options?.caCertificateFile ? fs.readFileSync(store.options.caCertificateFile, 'utf8') : undefined;
  } catch {
    throw new UsageError(`The certificate file ${store.options!.caCertificateFile} of the store "${store.name}" cannot be read: check its _CA_FILE variable.`);
  }
  const base = `${trimTrailingSlashes(store.baseUrl)}/${store.options?.restPrefix ?? 'wp-json'}`;
  const routes = await readStoreRoutes(async (method, p) => {
    const ex = await send({ method, url: `${base}${p}`, headers: [['Accept', 'application/json']] }, { tls: { verify: store.options?.verifyTls !== false, ca }, timeoutMs: 15_000 });
    if (!ex.response) throw new ImportError(`${store.baseUrl} did not answer: ${ex.error?.message ?? 'no response'}`);
    if (ex.response.status !== 200) throw new ImportError(`${method} ${base}${p} answered ${ex.response.status}.`);
    return JSON.parse(Buffer.from(ex.response.body).toString('utf8'));
  }, { namespaces: namespace ? [namespace] : undefined });
  return render(importStoreRoutes(routes, { storeName, storeUrl: store.baseUrl, restPrefix: store.options?.restPrefix }), storeName);
}
