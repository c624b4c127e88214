import * as assert from 'assert';
import * as vscode from 'vscode';
import { extension, waitFor, workspaceFile } from './helpers';

const extensionUri = () => extension().extensionUri;
import type { AccessLogReport } from '../../src/core/access-log';

function line(ip: string, time: string, path: string, status: number, ua = 'integration/1.0'): string {
  return `${ip} - - [27/Nov/2026:${time} +0000] "GET ${path} HTTP/1.1" ${status} 123 "-" "${ua}"`;
}

describe('Analyze Access Log', () => {
  it('finds a 401 burst, marks its lines in the editor, shows the report and exports it as Markdown', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5; i++) lines.push(line('203.0.113.5', `10:00:0${i}`, '/wp-json/wc/v3/products', 200));
    for (let i = 10; i < 40; i++) lines.push(line('198.51.100.7', `10:01:${i}`, `/wp-json/wc/v3/orders?consumer_key=ck_${String(i).padStart(2, '0')}${'a'.repeat(38)}`, 401, 'curl/8.0'));
    lines.push('this line is not a log line');
    lines.push(line('2001:db8::1', '10:02:00', '/wp-json/wp/v2/users/me', 403));
    const uri = workspaceFile('access.log');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(lines.join('\n') + '\n'));

    const report = await vscode.commands.executeCommand<AccessLogReport>('wooApiStudio.analyzeAccessLog', uri, { quiet: true });
    assert.ok(report, 'a report');
    assert.strictEqual(report.lines.malformed, 1);
    assert.deepStrictEqual(report.totals, { ok: 5, unauthorized: 30, forbidden: 1, other: 0 });
    const burst = report.findings.find((f) => f.kind === 'auth-burst');
    assert.ok(burst, report.findings.map((f) => f.kind).join(', '));
    assert.strictEqual(burst.client, '198.51.100.7');
    assert.ok(report.findings.some((f) => f.kind === 'many-consumer-keys'));

    const diags = await waitFor('diagnostics on the log lines', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.message.startsWith('198.51.100.7: '));
      return d.length ? d : undefined;
    });
    assert.strictEqual(diags.length, 1, 'one entry for the client, not one per line and per finding');
    assert.strictEqual(diags[0].range.start.line, 5, 'on its first line');
    assert.strictEqual(diags[0].severity, vscode.DiagnosticSeverity.Information);
    assert.ok((diags[0].relatedInformation ?? []).some((r) => r.message.startsWith(burst.title)), 'the burst is in its related information');
    await waitFor('the report tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Access Log: access.log'));

    const out = workspaceFile('access.report.md');
    assert.strictEqual((await vscode.commands.executeCommand<vscode.Uri>('wooApiStudio.exportAccessLogReport', out))?.toString(), out.toString());
    const md = Buffer.from(await vscode.workspace.fs.readFile(out)).toString('utf8');
    assert.match(md, /198\.51\.100\.7/);
    assert.ok(!/ck_[0-9a]{40}/.test(md), 'consumer keys are masked in the export');
  });

  it('puts the sample log\'s findings in the Problems panel as information, one per client, in the log\'s offset, and takes them off when the log or the report closes', async () => {
    const sample = vscode.Uri.joinPath(extensionUri(), 'samples', 'access.log');
    const uri = workspaceFile('sample-access.log');
    await vscode.workspace.fs.writeFile(uri, await vscode.workspace.fs.readFile(sample));
    await vscode.window.showTextDocument(uri, { preview: false });
    const report = await vscode.commands.executeCommand<AccessLogReport>('wooApiStudio.analyzeAccessLog', uri, { quiet: true });
    assert.ok(report && report.findings.length > 0);
    assert.strictEqual(report.offsetMinutes, 60, 'the sample is written in +0100');
    const clients = new Set(report.findings.map((f) => f.client));
    const diags = await waitFor('diagnostics', () => { const d = vscode.languages.getDiagnostics(uri); return d.length ? d : undefined; });
    assert.strictEqual(diags.length, clients.size, `one per client: ${diags.map((d) => d.message).join(' | ')}`);
    assert.ok(diags.every((d) => d.severity === vscode.DiagnosticSeverity.Information), 'information, not errors and warnings');
    assert.ok(report.findings.every((f) => f.firstMs === undefined || f.offsetMinutes === 60), 'every finding in the log\'s offset');
    assert.ok(report.findings.some((f) => /\+01:00/.test(f.message)) && !report.findings.some((f) => / UTC\b/.test(f.message)));
    const md = Buffer.from(await vscode.workspace.fs.readFile((await vscode.commands.executeCommand<vscode.Uri>('wooApiStudio.exportAccessLogReport', workspaceFile('sample.report.md')))!)).toString('utf8');
    assert.match(md, /times in the log's offset \+01:00/);

    // Closing the log's tab takes its entries off.
    const logTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
    await vscode.window.tabGroups.close(logTab()!);
    await waitFor('no diagnostics once the log is closed', () => vscode.languages.getDiagnostics(uri).length === 0);

    // Asked for, they keep each finding's severity; closing the report takes them off.
    const settings = vscode.workspace.getConfiguration('wooApiStudio.accessLog');
    await settings.update('problemsSeverity', 'asFound', vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('wooApiStudio.analyzeAccessLog', uri, { quiet: true });
      const found = await waitFor('diagnostics again', () => { const d = vscode.languages.getDiagnostics(uri); return d.length ? d : undefined; });
      assert.strictEqual(found.length, clients.size);
      assert.ok(found.some((d) => d.severity === vscode.DiagnosticSeverity.Error), 'the many-consumer-keys finding stays an error when asked for');
      const reportTab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Access Log: sample-access.log');
      assert.ok(reportTab, 'the report tab');
      assert.strictEqual(logTab(), undefined, 'the log itself is not open');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await waitFor('the report tab gone', () => !vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Access Log: sample-access.log'));
      await waitFor('no diagnostics once the report is closed', () => vscode.languages.getDiagnostics(uri).length === 0);
    } finally {
      await settings.update('problemsSeverity', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
