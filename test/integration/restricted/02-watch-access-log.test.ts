// Watch Access Log in Restricted Mode: following a log file only reads it, so it works; following a
// command's output would run that command, so it is refused, whoever asks.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, workspaceFile } from '../helpers';

describe('Watch Access Log in Restricted Mode', () => {
  after(() => vscode.commands.executeCommand('wooApiStudio.stopWatchingAccessLog'));

  it('runs no command to follow, even one given as an argument with the modal answered yes', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const studio = await api();
    const marker = path.join(os.tmpdir(), `woo-restricted-watch-${process.pid}-${Date.now()}`);
    studio.answerModals(() => true);
    try {
      const result = await vscode.commands.executeCommand('wooApiStudio.watchAccessLog', { command: `node -e "require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')"` });
      assert.strictEqual(result, undefined);
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(!fs.existsSync(marker), 'the command did not run');
      assert.strictEqual(studio.accessLogWatch.watching(), undefined);
    } finally {
      studio.answerModals(undefined);
      fs.rmSync(marker, { force: true });
    }
  });

  it('follows a log file (reading is allowed)', async () => {
    const log = workspaceFile('restricted-access.log');
    fs.writeFileSync(log.fsPath, '');
    try {
      assert.deepStrictEqual(await vscode.commands.executeCommand('wooApiStudio.watchAccessLog', log), { watching: 'restricted-access.log' });
      assert.strictEqual((await api()).accessLogWatch.statusText(), '$(eye) Watching restricted-access.log');
    } finally {
      await vscode.commands.executeCommand('wooApiStudio.stopWatchingAccessLog');
      fs.rmSync(log.fsPath, { force: true });
    }
  });
});
