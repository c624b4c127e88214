// 401s explained where they happen, for each sandbox mode: send from a .http file, read the
// diagnostic, apply the preferred quick fix, send again. And the doctor names each cause.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';
import type { SendSummary } from '../../src/send-request';
import type { StoreCommandResult } from '../../src/store-commands';
import type { DoctorReport } from '../../src/core/explain/probes';
import type { ReportView } from '../../src/core/report-view';

type Modes = { stripAuthorization?: boolean; plainPermalinks?: boolean; homeUrl?: string; clockOffsetSeconds?: number };
type Started = { httpsUrl: string; httpUrl: string };

async function sandbox(modes: Modes = {}): Promise<Started> {
  return (await vscode.commands.executeCommand<Started>('wooApiStudio.startSandboxStore', { restart: true, modes }))!;
}

async function addStore(args: Record<string, unknown>): Promise<void> {
  await vscode.commands.executeCommand('wooApiStudio.removeStore', args.name, true);
  const r = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { saveOnFailure: true, ...args });
  assert.strictEqual(r?.saved, true, JSON.stringify(r));
}

async function keys() {
  const studio = await api();
  const seed = studio.sandbox.current!.seed;
  const admin = seed.users.find((u) => u.role === 'administrator')!;
  const customer = seed.users.find((u) => u.role === 'customer');
  return {
    rw: seed.keys.find((k) => k.permissions === 'read_write' && k.user_id === admin.id)!,
    read: seed.keys.find((k) => k.permissions === 'read'),
    customer,
    ca: studio.stores.get('sandbox')!.options!.caCertificateFile!,
  };
}

async function sendFrom(name: string, text: string, line: number): Promise<{ uri: vscode.Uri; summary: SendSummary }> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const summary = (await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, line))!;
  return { uri, summary };
}

function explainDiagnostic(uri: vscode.Uri): Promise<vscode.Diagnostic> {
  return waitFor('an explain diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'WooCommerce API Studio (explain)'));
}

async function applyPreferred(uri: vscode.Uri, d: vscode.Diagnostic): Promise<{ title: string; result: unknown }> {
  // The workbench may ask the providers before the extension host has caught up: ask until they answer.
  let actions: vscode.CodeAction[] = [];
  const preferred = await waitFor('a preferred quick fix', async () => {
    actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    return actions.find((a) => a.isPreferred && a.command?.command === 'wooApiStudio.applyFix');
  }).catch(() => undefined);
  assert.ok(preferred?.command, `a preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
  const result = await vscode.commands.executeCommand(preferred.command.command, ...(preferred.command.arguments ?? []));
  return { title: preferred.title, result };
}

describe('401s explained in the editor, fixed in one click', function () {
  this.timeout(60000);
  after(async () => {
    for (const n of ['plain-basic', 'signed', 'literal', 'read-only', 'customer', 'unknown-key']) await vscode.commands.executeCommand('wooApiStudio.removeStore', n, true);
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('Basic keys over plain HTTP: says WooCommerce ignores them there; the fix switches to OAuth 1.0a and the request succeeds', async () => {
    const s = await sandbox();
    const k = await keys();
    await addStore({ name: 'plain-basic', baseUrl: s.httpUrl, authMethod: 'wc-basic', consumerKey: k.rw.consumer_key, consumerSecret: k.rw.consumer_secret });
    const { uri, summary } = await sendFrom('explain-http.http', '@store = plain-basic\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(summary.status, 401);
    const d = await explainDiagnostic(uri);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.code, 'keys-over-http');
    assert.strictEqual(d.range.start.line, 2);
    assert.match(d.message, /^401 /);
    const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(2, 2));
    const text = hover.flatMap((h) => h.contents.map((c) => (c as vscode.MarkdownString).value ?? String(c))).join('\n');
    assert.match(text, /Evidence/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.ok(lenses.some((l) => l.command?.command === 'wooApiStudio.explainLastResponse' && l.range.start.line === 2), 'an Explain lens on the request');
    const explanation = await vscode.commands.executeCommand<string>('wooApiStudio.explainLastResponse', uri.toString(), 2);
    assert.match(explanation ?? '', /^# Why WooCommerce answered 401/);

    const { title, result } = await applyPreferred(uri, d);
    assert.match(title, /OAuth 1\.0a/);
    assert.strictEqual((result as SendSummary).status, 200, 'sent again after the fix');
    assert.strictEqual((await api()).stores.get('plain-basic')?.authMethod, 'wc-oauth1');
    await waitFor('the diagnostic to clear', () => !vscode.languages.getDiagnostics(uri).some((x) => x.source === 'WooCommerce API Studio (explain)'));
  });

  it('Explain and the doctor render their reports: finding cards whose fix buttons repair, malformed messages refused, the doctor\'s verdict with its fix as a button', async () => {
    const s = await sandbox();
    const k = await keys();
    await addStore({ name: 'plain-basic', baseUrl: s.httpUrl, authMethod: 'wc-basic', consumerKey: k.rw.consumer_key, consumerSecret: k.rw.consumer_secret });
    const { uri, summary } = await sendFrom('explain-rendered.http', '### products over http\n@store = plain-basic\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 3);
    assert.strictEqual(summary.status, 401);
    await explainDiagnostic(uri);
    const studio = await api();
    await vscode.commands.executeCommand('wooApiStudio.explainLastResponse', uri.toString(), 3);
    const panel = studio.reports.last;
    assert.strictEqual(panel?.title, 'Explain products over http');
    // A webview, not a Markdown document: no woo-report editor was opened for it.
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.scheme === 'woo-report'));
    const shown = await waitFor('the report posted to its page', () => panel!.posted.find((m) => m.type === 'report'), 30000) as unknown as { view: ReportView };
    const card = shown.view.findings[0]!;
    assert.match(card.title, /HTTP/);
    assert.ok(card.evidence.length > 0);
    const fix = card.fixes.findIndex((f) => f.preferred);
    assert.match(card.fixes[fix]!.title, /OAuth 1\.0a/);
    // Anything but the page's own messages, or a fix that is not on the page, does nothing.
    for (const bad of [{ type: 'fix', finding: 0, fix: 99 }, { type: 'fix', finding: '0', fix: 0 }, { type: 'fix', finding: 0, fix: 0, extra: 1 }, { type: 'run', command: 'x' }, null]) {
      assert.strictEqual(await panel!.receive(bad), undefined, JSON.stringify(bad));
    }
    assert.strictEqual(studio.stores.get('plain-basic')?.authMethod, 'wc-basic', 'nothing changed by a refused message');
    const result = await panel!.receive({ type: 'fix', finding: 0, fix }) as SendSummary;
    assert.strictEqual(result.status, 200, 'the button repaired the store and sent again');
    assert.strictEqual(studio.stores.get('plain-basic')?.authMethod, 'wc-oauth1');

    // The doctor's notification carries its suggested fix as a button.
    await sandbox({ stripAuthorization: true });
    const report = await vscode.commands.executeCommand<DoctorReport>('wooApiStudio.diagnoseStore', 'sandbox');
    assert.strictEqual(report?.cause, 'header-stripped', report?.summary);
    const notice = studio.doctorNotice();
    assert.match(notice?.message ?? '', /^sandbox: /);
    assert.strictEqual(notice?.buttons.length, 1, JSON.stringify(notice));
    assert.strictEqual(notice!.buttons[0], report!.findings[0]!.fixes.find((f) => f.preferred)!.title);
    assert.ok(studio.reports.get('Doctor sandbox'), 'the report beside, titled "Doctor sandbox"');
  });

  it('a stripped Authorization header: the fix switches to OAuth 1.0a (no secret in a URL) and the request succeeds', async () => {
    await sandbox({ stripAuthorization: true });
    const { uri, summary } = await sendFrom('explain-strip.http', '@store = sandbox\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(summary.status, 401);
    const d = await explainDiagnostic(uri);
    const report = await vscode.commands.executeCommand<DoctorReport>('wooApiStudio.diagnoseStore', 'sandbox', { quiet: true });
    assert.strictEqual(report?.cause, 'header-stripped', report?.summary);
    const { result } = await applyPreferred(uri, d);
    // From one exchange the cause may still be uncertain (the preferred fix can be the doctor);
    // the doctor's own preferred fix then repairs it.
    let status = (result as SendSummary | undefined)?.status;
    if (status !== 200) {
      await vscode.commands.executeCommand('wooApiStudio.applyFix', uri.toString(), 2, report!.findings[0].fixes.find((f) => f.preferred)!);
      status = (await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 2))?.status;
    }
    assert.strictEqual(status, 200);
    assert.strictEqual((await api()).stores.get('sandbox')?.authMethod, 'wc-oauth1');
    // The doctor proved it without the key pair in a URL: OAuth 1.0a worked where Basic was ignored.
    assert.ok(report!.probes.some((p) => p.name === 'oauth' && p.outcome === 'ok'), report!.probes.map((p) => `${p.name}:${p.outcome}`).join(' '));
    assert.ok(!report!.probes.some((p) => p.name === 'query' && p.request), 'no query-string probe for a Basic store');
  });

  it('repairs you can trust: unsure of the cause, the doctor is preselected; a store change says what changed, with Undo, and Put It Back when it did not help', async () => {
    await sandbox({ stripAuthorization: true });
    const studio = await api();
    const { uri, summary } = await sendFrom('explain-trust.http', '@store = sandbox\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(summary.status, 401);
    const d = await explainDiagnostic(uri);
    let actions: vscode.CodeAction[] = [];
    const preferred = await waitFor('a preferred quick fix', async () => {
      actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
      return actions.find((a) => a.isPreferred);
    });
    // One answer cannot tell a stripped header from an unknown key: nothing that changes the store is preselected.
    assert.strictEqual(preferred.title, 'Diagnose store authentication', actions.map((a) => `${a.isPreferred ? '*' : ''}${a.title}`).join(' | '));
    assert.ok(actions.some((a) => /Switch the store to OAuth 1\.0a/.test(a.title)), 'the store-changing fixes are still offered');

    // A change that does not help: said, and offered back.
    const tried = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.applyFix', uri.toString(), 2, { id: 'switch-signature-method', title: 'Sign with HMAC-SHA1', signatureMethod: 'HMAC-SHA1' });
    assert.strictEqual(tried?.status, 401);
    assert.deepStrictEqual(studio.fixes.lastNotice?.buttons, ['Put It Back']);
    assert.match(studio.fixes.lastNotice!.message, /^Changed store "sandbox": signature method: none → HMAC-SHA1\. The request still failed \(401\)/);
    await vscode.commands.executeCommand('wooApiStudio.undoStoreRepair');
    assert.strictEqual(studio.stores.get('sandbox')?.options?.oauthSignatureMethod, undefined, 'put back');

    // A change that works: said, with Undo, and Undo restores the store exactly.
    const before = studio.stores.get('sandbox')!;
    const fixed = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.applyFix', uri.toString(), 2, { id: 'switch-to-oauth1', title: 'Switch the store to OAuth 1.0a' });
    assert.strictEqual(fixed?.status, 200);
    assert.deepStrictEqual(studio.fixes.lastNotice?.buttons, ['Undo']);
    assert.strictEqual(studio.fixes.lastNotice!.message, 'Changed store "sandbox": auth method: Consumer key, HTTP Basic → Consumer key, OAuth 1.0a signature.');
    await vscode.commands.executeCommand('wooApiStudio.undoStoreRepair');
    assert.deepStrictEqual(studio.stores.get('sandbox'), before);
  });

  it('"Use https://" on http://host:port asks which HTTPS port, none by default, instead of keeping the HTTP port', async () => {
    const s = await sandbox();
    const k = await keys();
    await addStore({ name: 'plain-basic', baseUrl: s.httpUrl, authMethod: 'wc-basic', consumerKey: k.rw.consumer_key, consumerSecret: k.rw.consumer_secret });
    const httpPort = new URL(s.httpUrl).port;
    assert.notStrictEqual(httpPort, '');
    const { uri, summary } = await sendFrom('explain-port.http', '@store = plain-basic\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(summary.status, 401);
    await explainDiagnostic(uri);
    const studio = await api();
    studio.answerModals(() => true);
    try {
      let settled = false;
      const applying = vscode.commands.executeCommand('wooApiStudio.applyFix', uri.toString(), 2, { id: 'use-https', title: 'Use https:// instead of http://' }).then((r) => { settled = true; return r; });
      // The question is a quick pick: take its default, as Enter would.
      for (let i = 0; i < 40 && !settled; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      }
      await applying;
    } finally {
      studio.answerModals(undefined);
    }
    const moved = new URL(studio.stores.get('plain-basic')!.baseUrl);
    assert.strictEqual(moved.protocol, 'https:');
    assert.strictEqual(moved.port, '', `not the HTTP port ${httpPort}`);
  });

  it('a server clock 20 minutes ahead: says by how much; resync re-sends on the server\'s clock', async () => {
    const s = await sandbox({ clockOffsetSeconds: 1200 });
    const k = await keys();
    await addStore({ name: 'signed', baseUrl: s.httpUrl, authMethod: 'wc-oauth1', consumerKey: k.rw.consumer_key, consumerSecret: k.rw.consumer_secret });
    const { uri, summary } = await sendFrom('explain-clock.http', '@store = signed\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(summary.status, 401);
    const d = await explainDiagnostic(uri);
    assert.strictEqual(d.code, 'oauth-timestamp-skew');
    const { result } = await applyPreferred(uri, d);
    assert.strictEqual((result as SendSummary).status, 200);
  });

  it('a Home URL on www: the doctor (a wrong secret answers alike) proves it, its fix signs for the Home URL and the request succeeds', async () => {
    const s = await sandbox({ homeUrl: 'http://www.localhost' });
    const k = await keys();
    await addStore({ name: 'signed', baseUrl: s.httpUrl, authMethod: 'wc-oauth1', consumerKey: k.rw.consumer_key, consumerSecret: k.rw.consumer_secret });
    const { uri, summary } = await sendFrom('explain-home.http', '@store = signed\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(summary.status, 401);
    const d = await explainDiagnostic(uri);
    assert.strictEqual(d.code, 'oauth-signature-mismatch');
    // From one answer it is only likely (a wrong secret answers the same): the doctor is preselected, not a store change.
    const { title, result: report } = await applyPreferred(uri, d);
    assert.strictEqual(title, 'Diagnose store authentication');
    const sign = (report as DoctorReport).findings.flatMap((f) => f.fixes).find((f) => f.id === 'sign-with-home-url');
    assert.ok(sign, (report as DoctorReport).summary);
    // The Home URL's host may receive the store's credentials from now on: the user is asked first.
    const asked: string[] = [];
    (await api()).answerModals((q) => { asked.push(q.message); return true; });
    try {
      const result = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.applyFix', uri.toString(), 2, sign);
      assert.strictEqual(result?.status, 200);
    } finally {
      (await api()).answerModals(undefined);
    }
    assert.deepStrictEqual(asked, ['Send the credentials of store "signed" to http://www.localhost from now on?']);
  });

  it('a Home URL on www, literal URL: "Send to the Home URL" rewrites the line and the store learns its Home URL', async () => {
    const s = await sandbox({ homeUrl: 'http://www.localhost' });
    const k = await keys();
    await addStore({ name: 'literal', baseUrl: s.httpUrl, authMethod: 'wc-oauth1', consumerKey: k.rw.consumer_key, consumerSecret: k.rw.consumer_secret });
    const { uri, summary } = await sendFrom('explain-home-literal.http', `@store = literal\n\nGET ${s.httpUrl}/wp-json/wc/v3/products?per_page=1\n`, 2);
    assert.strictEqual(summary.status, 401);
    const d = await explainDiagnostic(uri);
    const home = await waitFor('a "Send to the Home URL" quick fix', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
      return actions.find((a) => /Send to the Home URL/.test(a.title) && a.command?.command === 'wooApiStudio.applyFix');
    });
    // The sandbox does not listen on www.localhost:80, so the re-send fails; the repair is what is checked.
    const asked: string[] = [];
    (await api()).answerModals((q) => { asked.push(q.message); return true; });
    try {
      await vscode.commands.executeCommand(home.command!.command, ...(home.command!.arguments ?? []));
    } finally {
      (await api()).answerModals(undefined);
    }
    assert.deepStrictEqual(asked, ['Send the credentials of store "literal" to www.localhost from now on?'], 'the user chose to let the credentials go there');
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /^GET http:\/\/www\.localhost\/wp-json\/wc\/v3\/products\?per_page=1$/m);
    // Without it, the store's credentials would stay off a request to another host.
    assert.strictEqual((await api()).stores.get('literal')?.options?.homeUrl, 'http://www.localhost');
  });

  it('a hand-written Authorization header: the fix deletes its line, and the store\'s credentials make it 200', async () => {
    await sandbox();
    const wrong = `Basic ${Buffer.from(`ck_${'0'.repeat(40)}:cs_${'0'.repeat(40)}`).toString('base64')}`;
    const { uri, summary } = await sendFrom('explain-own-header.http', `@store = sandbox\n\nGET {{$store.url}}/wp-json/wc/v3/products\nAccept: application/json\nAuthorization: ${wrong}\n`, 2);
    assert.strictEqual(summary.status, 401);
    const d = await explainDiagnostic(uri);
    const { title, result } = await applyPreferred(uri, d);
    assert.match(title, /own Authorization header/);
    assert.strictEqual((result as SendSummary).status, 200, 'sent again with the store\'s credentials');
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.ok(!/^Authorization:/m.test(text), text);
    assert.match(text, /^Accept: application\/json$/m, 'the other headers stay');
  });

  it('a read-only key on a write, and a customer-role user: named as such (401 vs 403)', async () => {
    const s = await sandbox();
    const k = await keys();
    assert.ok(k.read && k.customer?.application_passwords?.[0], 'the sandbox seed has a read key and a customer');
    await addStore({ name: 'read-only', baseUrl: s.httpsUrl, authMethod: 'wc-basic', consumerKey: k.read.consumer_key, consumerSecret: k.read.consumer_secret, options: { caCertificateFile: k.ca } });
    const write = await sendFrom('explain-read.http', '@store = read-only\n\nPOST {{$store.url}}/wp-json/wc/v3/products\nContent-Type: application/json\n\n{"name": "x"}\n', 2);
    assert.strictEqual(write.summary.status, 401);
    assert.strictEqual((await explainDiagnostic(write.uri)).code, 'read-only-key');
    // Editing the request makes the explanation stale: it goes.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(write.uri, new vscode.Position(3, 0), 'Accept: application/json\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the explanation to clear after an edit', () => !vscode.languages.getDiagnostics(write.uri).some((x) => x.source === 'WooCommerce API Studio (explain)'));

    await addStore({ name: 'customer', baseUrl: s.httpsUrl, authMethod: 'app-password', username: k.customer!.login, applicationPassword: k.customer!.application_passwords![0], options: { caCertificateFile: k.ca } });
    const role = await sendFrom('explain-role.http', '@store = customer\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(role.summary.status, 403);
    assert.strictEqual((await explainDiagnostic(role.uri)).code, 'user-lacks-capability');
  });

  it('plain permalinks and a wrong consumer secret: each named for what it is', async () => {
    await sandbox({ plainPermalinks: true });
    const permalinks = await sendFrom('explain-permalinks.http', '@store = sandbox\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(permalinks.summary.status, 200, 'the redirect ends on the HTML front page');
    const d = await explainDiagnostic(permalinks.uri);
    assert.strictEqual(d.code, 'plain-permalinks');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning, 'a trap, not an auth failure');

    const s = await sandbox();
    const k = await keys();
    await addStore({ name: 'unknown-key', baseUrl: s.httpsUrl, authMethod: 'wc-basic', consumerKey: k.rw.consumer_key, consumerSecret: 'cs_' + 'd'.repeat(40), options: { caCertificateFile: k.ca } });
    const wrong = await sendFrom('explain-secret.http', '@store = unknown-key\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(wrong.summary.status, 401);
    assert.strictEqual((await explainDiagnostic(wrong.uri)).code, 'wrong-consumer-secret');
  });

  it('an unknown consumer key: one answer cannot tell, the doctor can', async () => {
    const s = await sandbox();
    const k = await keys();
    await addStore({ name: 'unknown-key', baseUrl: s.httpsUrl, authMethod: 'wc-basic', consumerKey: 'ck_' + '1'.repeat(40), consumerSecret: k.rw.consumer_secret, options: { caCertificateFile: k.ca } });
    const { uri, summary } = await sendFrom('explain-unknown.http', '@store = unknown-key\n\nGET {{$store.url}}/wp-json/wc/v3/products\n', 2);
    assert.strictEqual(summary.status, 401);
    const d = await explainDiagnostic(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    assert.ok(actions.some((a) => /Diagnose/i.test(a.title)), actions.map((a) => a.title).join(' | '));
    const report = await vscode.commands.executeCommand<DoctorReport>('wooApiStudio.diagnoseStore', 'unknown-key', { quiet: true });
    assert.strictEqual(report?.cause, 'unknown-consumer-key', report?.summary);
    assert.strictEqual(report?.healthy, false);
    // Rendered beside: the probes as a table, the findings as cards; Markdown on request.
    const panel = (await api()).reports.get('Doctor unknown-key');
    assert.ok(panel, 'a report panel titled "Doctor unknown-key"');
    const shown = await waitFor('the report posted to its page', () => panel!.posted.find((m) => m.type === 'report'), 30000) as unknown as { view: ReportView };
    assert.ok(shown.view.probes!.length > 0);
    assert.strictEqual(shown.view.verdict?.healthy, false);
    assert.ok(!JSON.stringify(panel!.posted).includes(k.rw.consumer_secret), 'no secret posted to the page');
    await panel!.receive({ type: 'markdown' });
    const reportText = await waitFor('the Markdown report', () => vscode.workspace.textDocuments.find((doc) => doc.uri.scheme === 'woo-report' && doc.uri.path.includes('Doctor unknown-key'))?.getText());
    assert.match(reportText, /## Probes/);
    assert.ok(!reportText.includes(k.rw.consumer_secret), 'no secret in the report');
  });
});
