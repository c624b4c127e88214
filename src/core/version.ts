// The product's version, for `woo-api --version` and the User-Agent of every request. esbuild
// writes it into the bundles (define __VERSION__, from package.json); code run straight from the
// TypeScript output (the unit tests) reads package.json once instead.
import * as fs from 'node:fs';
import * as path from 'node:path';

declare const __VERSION__: string | undefined;

function fromPackageJson(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'woo-api-studio' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: one folder up
    }
  }
  return '0.0.0';
}

export const VERSION: string = typeof __VERSION__ === 'string' ? __VERSION__ : fromPackageJson();

/** What every request says it is, unless its store or the request itself says otherwise. */
export const DEFAULT_USER_AGENT = `woo-api-studio/${VERSION}`;
