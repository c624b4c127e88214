// The sandbox modes for what stands in front of WordPress, started from VS Code's Start Sandbox
// Store command, and the editor naming each: a request sent from a .http file gets the
// diagnostic, and the doctor (quiet) names the cause with the fix that leads.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, workspaceFile } from './helpers';
import type { SendSummary } from '../../src/send-request';
import type { DoctorReport } from '../../src/core/explain/probes';

type Started = { httpsUrl: string; httpUrl: string };

async function start(modes: Record<string, boolean>): Promise<Started> {
  return (await vscode.commands.executeCommand<Started>('wooApiStudio.startSandboxStore', { restart: true, modes }))!;
}

async function sendFrom(name: string, text: string, line: number): Promise<{ uri: vscode.Uri; summary: SendSummary }> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  const summary = (await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, line))!;
  return { uri, summary };
}

const explained = (uri: vscode.Uri) => waitFor('an explain diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'WooCommerce API Studio (explain)'));

describe('Start Sandbox Store with a proxy, a security plugin or a firewall in front', function () {
  this.timeout(60000);
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('HTTPS ended at a proxy that sends no X-Forwarded-Proto: the doctor says so and leads with the proxy-side fix', async () => {
    await start({ httpsProxyNoForwardedProto: true });
    const { uri, summary } = await sendFrom('proxy.http', '@store = sandbox\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(summary.status, 401);
    await explained(uri);
    const report = await vscode.commands.executeCommand<DoctorReport>('wooApiStudio.diagnoseStore', 'sandbox', { quiet: true });
    assert.strictEqual(report?.cause, 'https-terminated-at-proxy', report?.summary);
    assert.strictEqual(report!.findings[0].fixes[0].id, 'copy-proxy-forwarded-proto-snippet');
  });

  it('a security plugin refusing anonymous REST: the diagnostic names it', async () => {
    await start({ securityPlugin: true });
    const { uri, summary } = await sendFrom('plugin.http', '@store = sandbox\n\n# @no-auth\nGET {{$store.url}}/wp-json/wc/v3/products\n', 3);
    assert.strictEqual(summary.status, 401);
    const d = await explained(uri);
    assert.strictEqual(d.code, 'security-plugin');
  });

  it('a firewall refusing consumer_secret in query strings: the doctor of a Basic store is healthy; Basic gets through', async () => {
    await start({ firewallQuerySecret: true });
    const report = await vscode.commands.executeCommand<DoctorReport>('wooApiStudio.diagnoseStore', 'sandbox', { quiet: true });
    assert.strictEqual(report?.healthy, true, report?.summary);
    assert.ok(!report!.probes.some((p) => /consumer_secret=/.test(p.request ?? '')), 'no probe sent the key pair in a URL');
  });
});
