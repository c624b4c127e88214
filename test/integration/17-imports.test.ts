// The import commands in the real VS Code: a Postman collection, an OpenAPI document and a HAR
// recording become .http files on the sandbox store that send correctly; the store's own routes
// become a catalogue. Nothing secret is written.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { workspaceFile } from './helpers';
import type { ImportOutcome } from '../../src/import-commands';
import type { SendSummary } from '../../src/send-request';

const FIXTURES = path.join(process.env.WOO_REPO_ROOT ?? path.resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'imports');

async function textOf(uri: vscode.Uri): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

/** Sends every request of the file in order; the statuses. */
async function sendAll(uri: vscode.Uri): Promise<(number | undefined)[]> {
  const lines = (await textOf(uri)).split('\n').map((l, i) => (/^(GET|POST|PUT|PATCH|DELETE) /.test(l) ? i : -1)).filter((i) => i >= 0);
  const out: (number | undefined)[] = [];
  for (const line of lines) out.push((await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, line))?.status);
  return out;
}

describe('imports into .http files on a store', () => {
  before(async () => {
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  for (const [command, fixture, dir, expected] of [
    ['wooApiStudio.importPostman', 'woocommerce.postman_collection.json', 'from-postman', 4],
    ['wooApiStudio.importOpenApi', 'woocommerce-openapi.json', 'from-openapi', 4],
    ['wooApiStudio.importHar', 'shop-session.har', 'from-har', 1],
  ] as const) {
    it(`${command}: files on the sandbox store that send correctly, no secret in them`, async () => {
      const target = workspaceFile(dir);
      const outcome = await vscode.commands.executeCommand<ImportOutcome>(command, vscode.Uri.file(path.join(FIXTURES, fixture)), 'sandbox', target);
      assert.strictEqual(outcome?.files.length, expected);
      for (const f of outcome.files) {
        const text = await textOf(f);
        assert.match(text, /^@store = sandbox$/m);
        assert.ok(!/ck_[0-9a-f]{40}|cs_[0-9a-f]{40}|hunter2|sessiontokenvalue/.test(text), `${f.path} holds a secret`);
        const problems = vscode.languages.getDiagnostics(f).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
        assert.deepStrictEqual(problems.map((d) => d.message), []);
      }
      const statuses = (await Promise.all(outcome.files.map((f) => sendAll(f)))).flat();
      assert.ok(statuses.length > 0 && statuses.every((s) => s !== undefined && s >= 200 && s < 300), JSON.stringify(statuses));
    });
  }

  it('wooApiStudio.importStoreRoutes: the store\'s own catalogue, read without credentials', async () => {
    const outcome = await vscode.commands.executeCommand<ImportOutcome>('wooApiStudio.importStoreRoutes', 'sandbox', workspaceFile('from-store'));
    const wc = outcome?.files.find((f) => f.path.endsWith('routes-wc-v3.http'));
    assert.ok(wc, JSON.stringify(outcome?.files.map((f) => f.path)));
    const text = await textOf(wc);
    assert.match(text, /^GET \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\/\{\{id\}\}$/m);
    const line = text.split('\n').indexOf('GET {{$store.url}}/wp-json/wc/v3/products');
    const sent = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', wc, line);
    assert.strictEqual(sent?.status, 200);
    assert.ok(fs.existsSync(wc.fsPath));
  });
});
