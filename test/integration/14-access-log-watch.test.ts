import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';
import type { SendSummary } from '../../src/send-request';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** A combined-format line dated now: the watch judges quiet periods on the log's clock. */
function line(ip: string, path: string, status: number): string {
  const d = new Date();
  return `${ip} - - [${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000] "GET ${path} HTTP/1.1" ${status} 123 "-" "integration/1.0"`;
}
/**
 * What the status bar says with these open alerts: the request log's own alerts (from the suite's
 * earlier tests) count too, so the expected text is computed from all of them.
 */
function expectedStatus(open: number, watching: string | undefined): string | undefined {
  if (open > 0) return `$(shield) ${open} alert${open === 1 ? '' : 's'}`;
  return watching ? `$(eye) Watching ${watching}` : undefined;
}
const fromRequestLog = (a: { first: { source: string } }) => a.first.source === 'request log';
const burst = (ip: string, n = 25) => Array.from({ length: n }, () => line(ip, '/wp-json/wc/v3/orders?consumer_key=ck_0123456789abcdef0123456789abcdef01234567', 401)).join('\n') + '\n';

describe('Watch Access Log', () => {
  const log = workspaceFile('watched.log');
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.stopWatchingAccessLog');
    for (const f of [log.fsPath, `${log.fsPath}.1`]) fs.rmSync(f, { force: true });
  });

  it('follows a log the test appends to: a notification per alert, the status bar count, evidence at the lines, mute; survives rotation; stops', async () => {
    const watch = (await api()).accessLogWatch;
    fs.writeFileSync(log.fsPath, `${line('192.0.2.1', '/wp-json/wc/v3/products', 200)}\n`);
    const started = await vscode.commands.executeCommand<{ watching: string }>('wooApiStudio.watchAccessLog', log);
    assert.deepStrictEqual(started, { watching: 'watched.log' });
    assert.strictEqual(watch.statusText(), expectedStatus(watch.openAlerts().length, 'watched.log'));
    const mine = () => watch.openAlerts().filter((a) => !fromRequestLog(a));
    const statusShows = (n: number) => watch.statusText() === expectedStatus(n + watch.openAlerts().filter(fromRequestLog).length, 'watched.log');
    await waitFor('the live report tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === 'Access Log: watched.log'));

    const before = watch.notifications.length;
    fs.appendFileSync(log.fsPath, burst('198.51.100.7'));
    const note = await waitFor('the notification', () => watch.notifications.slice(before).find((n) => /Burst of 401s from 198\.51\.100\.7/.test(n)));
    assert.match(note, /watched\.log lines 2 to 21 \(20 lines\)/, 'raised at the 20th 401, with where its lines are');
    assert.ok(!note.includes('0123456789abcdef0123456789abcdef'), 'no whole key');
    await waitFor('the count', () => mine().length === 1 && statusShows(1));
    assert.strictEqual(watch.notifications.slice(before).filter((n) => /198\.51\.100\.7/.test(n)).length, 1, 'once, not once per 401');

    // Show evidence: the log opens with the alert's lines selected.
    const [alert] = mine();
    assert.deepStrictEqual([alert.kind, alert.client, alert.first.line, alert.last.line], ['auth-burst', '198.51.100.7', 2, 21]);
    await watch.showEvidence(alert);
    const editor = await waitFor('the log in an editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === log.fsPath ? vscode.window.activeTextEditor : undefined));
    assert.deepStrictEqual([editor.selection.start.line, editor.selection.end.line], [1, 20]);

    // logrotate renames the file and the server writes a new one: still followed.
    fs.renameSync(log.fsPath, `${log.fsPath}.1`);
    fs.writeFileSync(log.fsPath, burst('203.0.113.9'));
    await waitFor('the alert from the new file', () => watch.notifications.find((n) => /Burst of 401s from 203\.0\.113\.9 \(watched\.log lines 1 to 20/.test(n)));
    await waitFor('two open alerts', () => mine().length === 2 && statusShows(2));

    // Mute this client for 1 hour: its alert ends, the count drops, its next burst is not raised.
    const muted = watch.mute('198.51.100.7');
    assert.deepStrictEqual(muted.map((a) => [a.event, a.resolution]), [['resolved', 'muted']]);
    assert.ok(mine().length === 1 && statusShows(1), watch.statusText());
    const n = watch.notifications.length;
    fs.appendFileSync(log.fsPath, burst('198.51.100.7', 10));
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(watch.notifications.length, n, 'a muted client raises nothing');

    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.stopWatchingAccessLog'), true);
    assert.strictEqual(watch.watching(), undefined);
    assert.strictEqual(watch.statusText(), expectedStatus(watch.openAlerts().length, undefined), 'the watch\'s alerts are gone from the count');
    assert.deepStrictEqual(mine(), []);
  });

  it('follows a command\'s output (confirmed first when it comes as an argument): the alert, its evidence from the output, the command stopped with the watch', async () => {
    const studio = await api();
    const watch = studio.accessLogWatch;
    const script = workspaceFile('emit-log.js');
    const pidFile = `${script.fsPath}.pid`;
    // Prints a burst as a remote `tail -F` would, then keeps running until it is stopped.
    fs.writeFileSync(script.fsPath, `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
process.stdout.write(${JSON.stringify(burst('192.0.2.66'))});
setInterval(() => {}, 1000);
`);
    const asked: string[] = [];
    studio.answerModals((q) => { asked.push(`${q.message} ${q.detail ?? ''}`); return true; });
    try {
      const command = `"${process.execPath}" emit-log.js`;
      const started = await vscode.commands.executeCommand<{ watching: string }>('wooApiStudio.watchAccessLog', { command });
      assert.ok(started?.watching.includes('emit-log.js'), JSON.stringify(started));
      assert.ok(asked.some((q) => q.includes('emit-log.js')), 'the user confirmed the command');
      const note = await waitFor('the alert from the command\'s output', () => watch.notifications.find((n) => /Burst of 401s from 192\.0\.2\.66/.test(n)));
      assert.match(note, /lines 1 to 20 \(20 lines\)/);
      const [alert] = watch.openAlerts().filter((a) => a.client === '192.0.2.66');
      await watch.showEvidence(alert);
      const doc = await waitFor('the evidence document', () => (vscode.window.activeTextEditor?.document.isUntitled ? vscode.window.activeTextEditor.document : undefined));
      const text = doc.getText();
      assert.match(text, /^# Burst of 401s from 192\.0\.2\.66/);
      assert.strictEqual(text.split('\n').filter((l) => l.startsWith('192.0.2.66 ')).length, 20, 'the 20 lines of the alert');
      assert.ok(!text.includes('0123456789abcdef0123456789abcdef'), 'masked');
      const pid = Number(await waitFor('the pid', () => (fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : undefined)));
      assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.stopWatchingAccessLog'), true);
      await waitFor('the command to end', () => { try { process.kill(pid, 0); return false; } catch { return true; } });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      studio.answerModals(undefined);
      fs.rmSync(script.fsPath, { force: true });
      fs.rmSync(pidFile, { force: true });
    }
  });

  it('the request log gets the same detectors: a store that worked, then gets 401s, is an alert, resolved when it works again', async () => {
    const studio = await api();
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
    try {
      const uri = workspaceFile('watched-requests.http');
      await vscode.workspace.fs.writeFile(uri, Buffer.from('@store = sandbox\n\n### ok\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n\n### a key that no longer works\n# @no-auth\nGET {{$store.url}}/wp-json/wc/v3/orders\n'));
      for (let i = 0; i < 3; i++) assert.strictEqual((await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 3))?.status, 200);
      const before = studio.accessLogWatch.notifications.length;
      for (let i = 0; i < 5; i++) assert.strictEqual((await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 7))?.status, 401);
      const note = await waitFor('the request-log alert', () => studio.accessLogWatch.notifications.slice(before).find((x) => /^Request log: sandbox worked, then started getting 401s/.test(x)));
      assert.match(note, /\(5 requests\)/);
      const open = studio.accessLogWatch.openAlerts().find((a) => a.kind === 'success-then-failure' && a.client === 'sandbox');
      assert.ok(open, 'open');
      assert.match(studio.accessLogWatch.statusText() ?? '', /^\$\(shield\) \d+ alerts?$/);
      assert.strictEqual((await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 3))?.status, 200);
      await waitFor('the alert to resolve', () => !studio.accessLogWatch.openAlerts().some((a) => a.id === open.id));
    } finally {
      await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
    }
  });
});
