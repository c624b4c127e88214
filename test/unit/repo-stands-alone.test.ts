// The repository must build, run and pass its tests from its own clone: no tracked file may name a
// path outside it. A reference to a sibling folder or to a build machine's absolute path works on
// the machine it was written on and nowhere else, so it is caught here rather than on a user's
// fresh clone. What counts as "outside":
//   - a sibling `shared` folder written as a relative path;
//   - an absolute path under the build machine's work folder;
//   - a relative path ('../…' in an import or a string, or path.join/resolve with '..' segments
//     from the file's folder or the repository root) that climbs above the repository root.
// package-lock.json (registry URLs) and binary files are not read.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers/sandbox-http';

const ROOT_DIR = repoRoot();
// Built from pieces so this file does not match its own rules.
const SIBLING_SHARED = '..' + '/shared';
const WORK_DIR = '/' + 'work' + '/';

function trackedFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter((f) => f !== '' && fs.existsSync(path.join(ROOT_DIR, f)));
  } catch {
    // Not a git checkout (an unpacked archive): every file but the generated and installed ones.
    const files: string[] = [];
    const skip = new Set(['.git', 'node_modules', 'out', 'dist', 'host']);
    (function walk(rel: string): void {
      for (const e of fs.readdirSync(path.join(ROOT_DIR, rel), { withFileTypes: true })) {
        const r = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) {
          if (!skip.has(e.name)) walk(r);
        } else files.push(r);
      }
    })('');
    return files;
  }
}

function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}

/** Where `__dirname` points when the file runs: tsc compiles .ts files to out/, scripts run in place. */
function runtimeDir(file: string): string {
  const dir = path.posix.dirname(file);
  return file.endsWith('.ts') ? path.posix.join('out', dir) : dir;
}

/** True when `rel` (a repository-relative posix path, possibly with '..') leaves the repository. */
function climbsOut(rel: string): boolean {
  return path.posix.normalize(rel).startsWith('..');
}

/** Each problem as "line N: why". */
export function outsideReferences(file: string, text: string): string[] {
  const problems: string[] = [];
  const lines = text.split('\n');
  const dir = path.posix.dirname(file);
  const code = /\.(ts|mts|cts|js|mjs|cjs)$/.test(file);
  lines.forEach((line, i) => {
    const at = `${file}:${i + 1}`;
    if (line.includes(SIBLING_SHARED)) problems.push(`${at}: names the sibling folder ${SIBLING_SHARED}`);
    if (new RegExp(`(^|[^\\w.])${WORK_DIR.replace(/\//g, '\\/')}`).test(line)) problems.push(`${at}: names an absolute path under ${WORK_DIR}`);
    if (!code) return;
    // '../x' strings (imports, requires, reads) resolved from the file's own folder.
    for (const m of line.matchAll(/(['"`])((?:\.\.\/)+[^'"`\s]*)\1/g)) {
      if (climbsOut(path.posix.join(dir, m[2]))) problems.push(`${at}: '${m[2]}' climbs above the repository root`);
    }
    // path.join/resolve(base, '..', '..', 'x') from __dirname or the repository root.
    for (const m of line.matchAll(/path\.(?:join|resolve)\(\s*([^,()]+(?:\(\))?)\s*,((?:\s*['"][^'"]*['"]\s*,?)+)/g)) {
      const base = m[1].trim();
      let from: string | undefined;
      if (base === '__dirname' || base === 'path.dirname(fileURLToPath(import.meta.url))') from = runtimeDir(file);
      else if (base === 'repoRoot()' || base === 'ROOT' || base === 'ROOT_DIR') from = '.';
      if (from === undefined) continue;
      const segments = [...m[2].matchAll(/['"]([^'"]*)['"]/g)].map((s) => s[1]);
      if (climbsOut(path.posix.join(from, ...segments))) problems.push(`${at}: ${m[0].trim()} climbs above the repository root`);
    }
  });
  return problems;
}

describe('the repository stands alone', () => {
  it('no tracked file refers to a path outside the repository', () => {
    // This file's own examples of outside references are the check's test cases, not references.
    const files = trackedFiles().filter((f) => path.posix.basename(f) !== 'package-lock.json' && f !== 'test/unit/repo-stands-alone.test.ts');
    assert.ok(files.length > 50, `expected the repository's files, found ${files.length}`);
    const problems: string[] = [];
    for (const f of files) {
      // Links (a symlinked install) and folders are not text the repository wrote.
      if (!fs.lstatSync(path.join(ROOT_DIR, f)).isFile()) continue;
      const buf = fs.readFileSync(path.join(ROOT_DIR, f));
      if (isBinary(buf)) continue;
      problems.push(...outsideReferences(f, buf.toString('utf8')));
    }
    assert.deepEqual(problems, []);
  });

  it('catches each kind of outside reference (the check itself can fail)', () => {
    // The samples are assembled, so that this file's own text passes the check above.
    const up = '..';
    assert.equal(outsideReferences('test/unit/helpers/x.ts', `// data in ${SIBLING_SHARED}/woo-auth/`).length, 1);
    assert.equal(outsideReferences('README.md', `see ${WORK_DIR}shared/SPEC.md`).length, 1);
    assert.equal(outsideReferences('test/unit/helpers/x.ts', `const f = path.resolve(repoRoot(), '${up}', 'data', 'a.json');`).length, 1);
    assert.equal(outsideReferences('test/unit/x.ts', `const f = path.resolve(__dirname, '${up}', '${up}', '${up}', '${up}', 'a.json');`).length, 1);
    assert.equal(outsideReferences('src/core/x.ts', `import { a } from '${up}/${up}/${up}/elsewhere/a';`).length, 1);
    // And lets the repository's own climbs through.
    assert.deepEqual(outsideReferences('test/unit/x.ts', `const f = path.resolve(__dirname, '${up}', '${up}', '${up}', 'test', 'fixtures');`), []);
    assert.deepEqual(outsideReferences('test/unit/helpers/x.ts', `import { a } from '${up}/${up}/${up}/src/sandbox';`), []);
    assert.deepEqual(outsideReferences('README.md', 'a fixture in test/fixtures/ and ../ in prose'), []);
  });
});
