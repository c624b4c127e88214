// Two boundaries that keep the tests honest (DESIGN "Layout" and "Rules of thumb"):
//  - src/core never imports 'vscode', so it runs (and is unit-tested) in plain Node and the CLI;
//  - src/sandbox never imports src/core: the sandbox is the other side of the wire, and if both
//    sides shared the signer or the parser, a bug in it would pass every test.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SOURCE_FILE = /\.(?:ts|tsx|mts|cts)$/;

/** Every module specifier a source imports, requires, re-exports or loads dynamically. */
function moduleSpecifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s[^;'"`]*?\bfrom\s*(['"`])([^'"`]+)\1/g, // import x from '…' / export … from '…'
    /\bimport\s*(['"`])([^'"`]+)\1/g, // import '…'
    /\b(?:require|import)\s*\(\s*(['"`])([^'"`]+)\1\s*\)/g, // require('…') / import('…')
  ];
  const specifiers: string[] = [];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) specifiers.push(match[2] ?? '');
  }
  return specifiers;
}

function importsVscode(source: string): boolean {
  return moduleSpecifiers(source).some((s) => s === 'vscode' || s.startsWith('vscode/'));
}

/** Whether a specifier in `file` points into `coreDir`. */
function pointsInto(coreDir: string, file: string, specifier: string): boolean {
  if (specifier.startsWith('.')) {
    const resolved = path.resolve(path.dirname(file), specifier);
    return resolved === coreDir || resolved.startsWith(coreDir + path.sep);
  }
  return /(?:^|\/)src\/core(?:\/|$)/.test(specifier);
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...sourceFiles(full));
    } else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

/** The project root: the nearest folder above this test (compiled or not) that holds src/core. */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'core'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

describe('source boundaries', () => {
  const root = projectRoot();
  const coreDir = path.join(root, 'src', 'core');
  const sandboxDir = path.join(root, 'src', 'sandbox');

  describe('the detectors themselves', () => {
    it('see every way of importing vscode', () => {
      for (const source of [
        "import * as vscode from 'vscode';",
        'import { window } from "vscode";',
        "import type { Uri } from 'vscode';",
        "import 'vscode';",
        "const vscode = require('vscode');",
        'import vscode = require("vscode");',
        "const v = await import('vscode');",
        "export { Uri } from 'vscode';",
        'import {\n  window,\n  workspace,\n} from "vscode";',
      ]) {
        assert.ok(importsVscode(source), source);
      }
    });

    it('do not mistake other modules or prose for vscode', () => {
      for (const source of [
        "import { runTests } from '@vscode/test-electron';",
        "import { x } from './vscode-helpers';",
        '// This module never touches the VS Code API.',
        "const name = 'vscode';",
      ]) {
        assert.ok(!importsVscode(source), source);
      }
    });

    it('resolve relative and path-style imports into src/core', () => {
      const file = path.join(sandboxDir, 'auth', 'verify.ts');
      assert.ok(pointsInto(coreDir, file, '../../core/auth/oauth1'));
      assert.ok(pointsInto(coreDir, file, '../../core'));
      assert.ok(pointsInto(coreDir, file, 'src/core/redact'));
      assert.ok(!pointsInto(coreDir, file, './php-query'));
      assert.ok(!pointsInto(coreDir, file, '../../core-like/thing'));
      assert.ok(!pointsInto(coreDir, file, 'node:crypto'));
    });
  });

  it('src/core has source files to check (so the next test cannot pass vacuously)', () => {
    assert.ok(sourceFiles(coreDir).length > 0, `no source files found under ${coreDir}`);
  });

  it('no file under src/core imports or requires vscode', () => {
    const offenders = sourceFiles(coreDir).filter((file) => importsVscode(fs.readFileSync(file, 'utf8')));
    assert.deepEqual(offenders.map((f) => path.relative(root, f)), []);
  });

  it('no file under src/sandbox imports from src/core', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(sandboxDir)) {
      for (const specifier of moduleSpecifiers(fs.readFileSync(file, 'utf8'))) {
        if (pointsInto(coreDir, file, specifier)) offenders.push(`${path.relative(root, file)} -> ${specifier}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
