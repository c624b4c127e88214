// Bundles benchmark entries (bench/NAME.ts and the src/ code they import) into out/bench/NAME.js,
// as dist/ bundles the product: one copy of undici, shared by our send() and the baselines.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = path.join(ROOT, 'out', 'bench');

/** `external`: packages that run as published (the libraries we compare against). */
export async function bundleBench(names, { external = [] } = {}) {
  await esbuild.build({
    entryPoints: names.map((n) => path.join(ROOT, 'bench', `${n}.ts`)),
    outdir: OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external,
    logLevel: 'warning',
  });
}
