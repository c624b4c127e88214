import * as assert from 'assert';
import * as vscode from 'vscode';
import { waitFor, workspaceFile } from './helpers';
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
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.code === 'auth-burst');
      return d.length ? d : undefined;
    });
    assert.ok(diags.every((d) => d.range.start.line >= 5 && d.range.start.line < 35), 'on the burst lines');
    await waitFor('the report tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Access Log: access.log'));

    const out = workspaceFile('access.report.md');
    assert.strictEqual((await vscode.commands.executeCommand<vscode.Uri>('wooApiStudio.exportAccessLogReport', out))?.toString(), out.toString());
    const md = Buffer.from(await vscode.workspace.fs.readFile(out)).toString('utf8');
    assert.match(md, /198\.51\.100\.7/);
    assert.ok(!/ck_[0-9a]{40}/.test(md), 'consumer keys are masked in the export');
  });
});
