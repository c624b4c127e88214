import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';
import { SANDBOX_ID } from './helpers';
import type { SendSummary } from '../../src/send-request';

async function writeHttp(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

function exchangeText(summary: SendSummary | undefined): string {
  assert.ok(summary?.exchangeDocument, `an exchange document was shown: ${JSON.stringify(summary)}`);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === summary.exchangeDocument);
  assert.ok(doc, 'the exchange document is open');
  return doc.getText();
}

describe('.http files: code lenses, sending, the exchange view', () => {
  before(async () => {
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
  });
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('names each response tab after its request (the ### title up to its comment, or @name), one tab per request', async () => {
    const doc = await writeHttp('tab-names.http', '@store = sandbox\n\n### No credentials at all: 401 woocommerce_rest_cannot_view ("Sorry, you cannot list resources.")\n# @no-auth\nGET {{$store.url}}/wp-json/wc/v3/products\n\n### Route index - no credentials needed\n# @name routes\nGET {{$store.url}}/wp-json/wc/v3\n');
    const first = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 4);
    const again = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 4);
    const named = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 8);
    const base = (s: SendSummary | undefined) => vscode.Uri.parse(s!.exchangeDocument!).path.split('/').pop();
    assert.strictEqual(base(first), 'Response No credentials at all.http');
    assert.strictEqual(again?.exchangeDocument, first?.exchangeDocument, 'the same tab on a second send');
    assert.strictEqual(base(named), 'Response routes.http');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    assert.strictEqual(tabs.filter((l) => l.startsWith('Response No credentials')).length, 1, tabs.join(' | '));
    // The deliberate `# @no-auth` 401 is explained as information: no error squiggle on the sample.
    const d = await waitFor('the explanation of the @no-auth request', () => vscode.languages.getDiagnostics(doc.uri).find((x) => x.source === 'WooCommerce API Studio (explain)'));
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Information, d.message);
    assert.match(d.message, /^401 as asked: sent without credentials/);
  });

  it('puts Send, Send with store… and Open in panel lenses on every request line', async () => {
    const doc = await writeHttp('lenses.http', '@store = sandbox\n\n### one\nGET {{$store.url}}/wp-json/\n\n### two\nGET {{$store.url}}/wp-json/wc/v3\n');
    const lenses = await waitFor('code lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      return l && l.length >= 6 ? l : undefined;
    });
    const ours = lenses.filter((l) => l.command?.command.startsWith('wooApiStudio.'));
    assert.deepStrictEqual(ours.map((l) => [l.range.start.line, l.command!.command]), [
      [3, 'wooApiStudio.sendRequest'], [3, 'wooApiStudio.sendRequestWithStore'], [3, 'wooApiStudio.openInRunner'],
      [6, 'wooApiStudio.sendRequest'], [6, 'wooApiStudio.sendRequestWithStore'], [6, 'wooApiStudio.openInRunner'],
    ]);
  });

  it('Send applies the store\'s credentials from SecretStorage and shows the exchange, secret masked', async () => {
    const doc = await writeHttp('send.http', '@store = sandbox\n\n### List products\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=3\n');
    const lens = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)).find((l) => l.command?.command === 'wooApiStudio.sendRequest');
    assert.ok(lens?.command);
    // Run exactly what clicking the lens runs.
    const summary = await vscode.commands.executeCommand<SendSummary>(lens.command.command, ...(lens.command.arguments ?? []));
    assert.strictEqual(summary?.status, 200, JSON.stringify(summary));
    assert.strictEqual(summary.store, 'sandbox');
    const text = exchangeText(summary);
    assert.match(text, /^# List products \(send\.http:4\) · store sandbox/m);
    assert.match(text, /^Authorization: Basic ••••••••$/m, 'the header we added is shown, masked');
    assert.match(text, /^HTTP\/1\.1 200 OK$/m);
    assert.match(text, /^x-wp-total: \d+$/m);
    const secrets = await (await api()).stores.storedSecrets(SANDBOX_ID);
    assert.ok(!text.includes(secrets!.consumerSecret!) && !text.includes(secrets!.consumerKey!), 'no secret in the exchange view');
  });

  it('Send with store… sends to the store given, and a request\'s own problems become diagnostics', async () => {
    const doc = await writeHttp('other.http', '@store = nowhere\n\nGET {{$store.url}}/wp-json/wc/v3/products\n');
    const refused = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 2);
    assert.match(refused?.notSent ?? '', /No store is named "nowhere"/);
    const diags = await waitFor('a diagnostic for the unknown store', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.code === 'unknown-store');
      return d.length ? d : undefined;
    });
    assert.strictEqual(diags[0].range.start.line, 0);
    assert.strictEqual(diags[0].severity, vscode.DiagnosticSeverity.Error);
    const sent = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequestWithStore', doc.uri, 2, 'sandbox');
    assert.strictEqual(sent?.status, 200);
  });

  it('shows a syntax problem as a diagnostic while typing', async () => {
    const doc = await writeHttp('broken.http', 'GET https://example.invalid/\nContent-Type: application/json\n{"no blank line": true}\n');
    const diags = await waitFor('parse diagnostics', () => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length ? d : undefined;
    });
    assert.ok(diags.some((d) => d.range.start.line === 2), diags.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
  });

  it('flags an unknown variable while typing, on its exact range, and clears it once the variable is defined', async () => {
    const doc = await writeHttp('vars.http', '@store = sandbox\n\nGET {{$store.url}}/wp-json/wc/v3/products/{{productId}}\n');
    const diag = await waitFor('an unknown-variable diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'unknown-variable'));
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepStrictEqual([diag.range.start.line, diag.range.start.character, diag.range.end.character], [2, 42, 55]);
    assert.match(diag.message, /productId/);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(1, 0), '@productId = 10\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the diagnostic to clear', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'unknown-variable'));
  });

  it('flags a < file body that is not there, relative to the .http file, and clears it when the line names one that is', async () => {
    await vscode.workspace.fs.writeFile(workspaceFile('present.json'), Buffer.from('{"name": "x"}'));
    const doc = await writeHttp('files.http', '@store = sandbox\n\nPOST {{$store.url}}/wp-json/wc/v3/products\nContent-Type: application/json\n\n< ./absent.json\n');
    const diag = await waitFor('a missing-body-file diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'missing-body-file'));
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(diag.range.start.line, 5);
    assert.match(diag.message, /absent\.json/);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(5, 0, 5, 15), '< ./present.json');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('the diagnostic to clear', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'missing-body-file'));
  });

  it('chains a named response into the next request, with the environment selected', async () => {
    // REST Client's setting (read even when REST Client is not installed, as users keep it in settings.json)
    // and a JetBrains env file beside the .http file: both feed the selected environment.
    await vscode.workspace.fs.writeFile(workspaceFile('.vscode/settings.json'), Buffer.from(JSON.stringify({ 'rest-client.environmentVariables': { $shared: { perPage: '2' }, demo: { productName: 'Env Tee' } } })));
    await vscode.workspace.fs.writeFile(workspaceFile('http-client.env.json'), Buffer.from(JSON.stringify({ demo: { regularPrice: '3.00' } })));
    await waitFor('the settings file to be read', () => vscode.workspace.getConfiguration('rest-client').get<Record<string, unknown>>('environmentVariables')?.demo);
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.selectEnvironment', 'demo'), 'demo');
    const doc = await writeHttp('chain.http', [
      '@store = sandbox',
      '### create',
      '# @name created',
      'POST {{$store.url}}/wp-json/wc/v3/products',
      'Content-Type: application/json',
      '',
      '{"name": "{{productName}}", "type": "simple", "regular_price": "{{regularPrice}}"}',
      '',
      '### read back',
      'GET {{$store.url}}/wp-json/wc/v3/products/{{created.response.body.$.id}}?per_page={{perPage}}',
    ].join('\n'));
    const created = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 3);
    assert.strictEqual(created?.status, 201, JSON.stringify(created));
    const read = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 9);
    assert.strictEqual(read?.status, 200);
    const text = exchangeText(read);
    assert.match(text, /"name": "Env Tee"/);
    assert.match(text, /"regular_price": "3\.00"/);
    assert.match(text, /per_page=2 HTTP/);
    await vscode.workspace.fs.delete(workspaceFile('.vscode/settings.json'));
  });

  it('names what left the machine in the exchange: $processEnv values and a body file by their labels, never their value', async () => {
    const value = 'canary-int-processenv-6d2f81ac';
    process.env.WOO_TEST_SECRET = value;
    try {
      const body = '{"name":"Labelled body 7731","regular_price":"1.00"}';
      await vscode.workspace.fs.writeFile(workspaceFile('labels-body.json'), Buffer.from(body));
      const doc = await writeHttp('labels.http', '@store = sandbox\n\nPOST {{$store.url}}/wp-json/wc/v3/products?search={{$processEnv WOO_TEST_SECRET}}\nContent-Type: application/json\nX-Woo-Trace: {{$processEnv WOO_TEST_SECRET}}\n\n< ./labels-body.json\n');
      const summary = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', doc.uri, 2);
      assert.ok(summary?.status && summary.status < 500, JSON.stringify(summary));
      const text = exchangeText(summary);
      assert.match(text, /^POST \S+\/wp-json\/wc\/v3\/products\?search=⟨\$processEnv WOO_TEST_SECRET⟩ HTTP\/1\.1$/m);
      assert.match(text, /^X-Woo-Trace: ⟨\$processEnv WOO_TEST_SECRET⟩$/m);
      assert.match(text, new RegExp(`^⟨file \\./labels-body\\.json \\(${Buffer.byteLength(body)} B\\)⟩$`, 'm'));
      assert.ok(!text.includes(value), 'the value itself is never shown');
      assert.ok(!text.includes('Labelled body 7731","regular'), 'the file is named, not copied');
      const studio = await api();
      await studio.requestLog.flushed();
      const logged = (await studio.requestLog.file.read()).entries.at(-1)!;
      assert.match(logged.path, /search=⟨\$processEnv WOO_TEST_SECRET⟩/, 'the request log names it too');
    } finally {
      delete process.env.WOO_TEST_SECRET;
    }
  });
});
