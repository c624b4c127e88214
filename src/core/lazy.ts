// Parts of the product most sessions never use (the sandbox store, imports, access-log analysis,
// the doctor's probes, the store dialogs, the token sign-in) are loaded on first use, so activation
// reads less code. Each call site writes
// `lazily(() => require('./the-module') as typeof TheModule, 'what it is')`: compiled by tsc (the
// unit tests) it is an ordinary require; in the bundles, esbuild.mjs turns that require into one of a
// separate bundle beside dist/extension.js (dist/sandbox.js, …), built from the same module. The
// module is read once.
//
// A part that cannot be loaded (its file missing from a damaged install) is a PartNotLoaded error
// whose message is one sentence naming the part and the file, not Node's "Require stack" list; the
// next call tries again.

export class PartNotLoaded extends Error {
  override name = 'PartNotLoaded';
}

export function lazily<T>(load: () => T, what = 'one of its parts'): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded !== undefined) return loaded;
    try {
      loaded = load();
    } catch (err) {
      throw new PartNotLoaded(notLoadedMessage(what, err));
    }
    return loaded;
  };
}

/** "WooCommerce API Studio could not load the store dialogs (Cannot find module './store-dialogs.js'). …" */
export function notLoadedMessage(what: string, err: unknown): string {
  const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0].trim().replace(/\.$/, '');
  return `WooCommerce API Studio could not load ${what} (${reason}). Its files are incomplete: reinstall the extension (or run "npm run build" in a checkout).`;
}
