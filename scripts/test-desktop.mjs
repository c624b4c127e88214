// `npm run test:desktop`: the same integration suite in desktop VS Code, downloaded by
// @vscode/test-electron. Needs internet access to VS Code's update server (not available on the
// project's own machines, where `npm test` runs the suite in code-server instead).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, ensureNodeModules, withSetupErrors } from './ensure.mjs';

await withSetupErrors(async () => {
  ensureNodeModules();
  for (const [cmd, a] of [[process.execPath, ['esbuild.mjs']], [process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.test.json']]]) {
    if (spawnSync(cmd, a, { cwd: ROOT, stdio: 'inherit' }).status !== 0) throw new Error('Build or type-check failed.');
  }
  const { runTests } = await import('@vscode/test-electron');
  // The suite writes into its workspace: give it a copy, as the code-server runner does.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'woo-desktop-'));
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (err) {
    throw new Error(`The desktop integration run failed: ${err instanceof Error ? err.message : String(err)}`);
  }
});
