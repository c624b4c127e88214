// The Welcome page's walkthrough "from a 401 to fixed", as a newcomer walks it: each step's real
// event checks it off (the context keys its completion events listen to), in the real VS Code.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, extension, waitFor } from './helpers';
import type { DoctorReport } from '../../src/core/explain/probes';
import type { SendSummary } from '../../src/send-request';
import type { StoreCommandResult } from '../../src/store-commands';

describe('the walkthrough: from a 401 to fixed', () => {
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'my-first-store', true);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('is contributed with a step per stage, each with its media and a completion event', () => {
    const manifest = extension().packageJSON as { contributes: { walkthroughs: { id: string; steps: { id: string; completionEvents: string[]; media: { markdown: string } }[] }[] } };
    const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === 'fromA401ToFixed');
    assert.ok(walkthrough);
    assert.deepStrictEqual(walkthrough.steps.map((s) => s.id), ['startSandbox', 'openSample', 'send', 'breakIt', 'readFinding', 'fix', 'doctor', 'ownStore']);
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents.length > 0, step.id);
      assert.match(step.media.markdown, /^media\/walkthrough\/.+\.md$/);
    }
  });

  it('checks each step off when it really happens', async function () {
    this.timeout(120_000);
    const studio = await api();
    // A newcomer: no store of their own, no sandbox, nothing done.
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
    await vscode.workspace.getConfiguration('wooApiStudio').update('stores', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('no store', () => studio.stores.list().length === 0);
    studio.walkthrough.reset();
    const done = () => [...studio.walkthrough.done];
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
    await waitFor('the sandbox step', () => done().includes('sandboxRunning'));

    await vscode.commands.executeCommand('wooApiStudio.openSampleRequests');
    const doc = vscode.window.activeTextEditor!.document;
    const first = doc.getText().split('\n').findIndex((l) => l.startsWith('GET '));
    const ok = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, first);
    assert.strictEqual(ok?.status, 200);
    assert.ok(done().includes('sent'));
    assert.ok(!done().includes('explained'), 'nothing to explain yet');

    await vscode.commands.executeCommand('wooApiStudio.reproduceMisconfiguration', { stripAuthorization: true });
    await waitFor('the break-it step', () => done().includes('misconfigured'));
    const refused = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, first);
    assert.strictEqual(refused?.status, 401);
    assert.ok(done().includes('explained'));
    assert.ok(!done().includes('fixed'));

    // The doctor's preferred fix repairs the store; the same request then succeeds.
    assert.ok(!done().includes('diagnosed'), 'the doctor has not run yet');
    const report = await vscode.commands.executeCommand<DoctorReport>('wooApiStudio.diagnoseStore', 'sandbox', { quiet: true });
    assert.ok(done().includes('diagnosed'), 'the doctor step is done once its report is shown');
    const fix = report!.findings[0].fixes.find((f) => f.preferred)!;
    await vscode.commands.executeCommand('wooApiStudio.applyFix', doc.uri.toString(), first, fix);
    const fixed = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, first);
    assert.strictEqual(fixed?.status, 200, `after "${fix.title}"`);
    assert.ok(done().includes('fixed'));

    assert.ok(!done().includes('ownStore'), 'the sandbox is not the user\'s own store');
    const url = studio.stores.get('sandbox')!.baseUrl;
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'my-first-store', baseUrl: url, authMethod: 'none', options: { caCertificateFile: studio.stores.get('sandbox')!.options!.caCertificateFile }, saveOnFailure: true });
    assert.strictEqual(added.saved, true);
    await waitFor('the own-store step', () => done().includes('ownStore'));
  });
});
