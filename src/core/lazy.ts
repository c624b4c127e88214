// Parts of the product most sessions never use (the sandbox store, imports, access-log analysis,
// the doctor's probes) are loaded on first use, so activation reads less code. Each call site writes
// `lazily(() => require('./the-module') as typeof TheModule)`: compiled by tsc (the unit tests) it is
// an ordinary require; in the bundles, esbuild.mjs turns that require into one of a separate bundle
// beside dist/extension.js (dist/sandbox.js, …), built from the same module. The module is read once.
export function lazily<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
