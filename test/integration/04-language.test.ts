import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';

// Secret-looking values the file and the environment hold: none may reach a completion or a hover.
import { CK, CS } from '../fixtures/fake-keys';
const PASSWORD = 'hunter2-horse-battery';
const PRIVATE_TOKEN = 'tok-PRIVATE-VALUE-1234567890';
const SECRETS = [CK, CK.slice(3, 30), CS, CS.slice(3), PASSWORD, PRIVATE_TOKEN];

const MAIN = [
  '@store = sandbox', //                                                   0
  '@perPage = 5', //                                                       1
  `@apiKey = ${CK}`, //                                                    2
  `@note = ${CS}`, //                                                      3
  `@adminPassword = ${PASSWORD}`, //                                       4
  '@greeting = hello {{adminPassword}}', //                                5
  '', //                                                                   6
  '### List products', //                                                  7
  '# @name listProducts', //                                               8
  'GET {{$store.url}}/wp-json/wc/v3/products?per_page={{perPage}}&a={{note}}&b={{greeting}}&c={{shopToken}}&d={{shopHost}}&e={{apiKey}}', // 9
  '', //                                                                   10
  '###', //                                                                11
  'GET {{$store.url}}/wp-json/wc/v3/orders', //                            12
  '', //                                                                   13
  '### Read one', //                                                       14
  'GET {{$store.url}}/wp-json/wc/v3/products/{{}}', //                     15
  '', //                                                                   16
  '### Chained', //                                                        17
  'GET {{$store.url}}/wp-json/wc/v3/products/{{listProducts.response.body.$[0].id}}', // 18
].join('\n');

async function open(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** The position just after the first `needle` (or `offset` characters into it). */
function posAfter(doc: vscode.TextDocument, needle: string, offset = needle.length): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" is in the document`);
  return doc.positionAt(i + offset);
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function insertOf(item: vscode.CompletionItem): string {
  return typeof item.insertText === 'string' ? item.insertText : item.insertText?.value ?? labelOf(item);
}

function docText(d: string | vscode.MarkdownString | undefined): string {
  return typeof d === 'string' ? d : d?.value ?? '';
}

/** Everything a completion item can show. */
function shownBy(item: vscode.CompletionItem): string {
  const description = typeof item.label === 'string' ? '' : `${item.label.description ?? ''} ${item.label.detail ?? ''}`;
  return [labelOf(item), description, item.detail ?? '', docText(item.documentation), insertOf(item)].join('\n');
}

async function complete(doc: vscode.TextDocument, pos: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos, ...(trigger ? [trigger] : []));
  // Word-based suggestions come from the editor, not from us.
  return list.items.filter((i) => i.kind !== vscode.CompletionItemKind.Text);
}

async function hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

function assertNoSecret(text: string, where: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} shows a secret (${s.slice(0, 6)}…):\n${text}`);
}

describe('.http language features: completion, outline, hovers', () => {
  let previousEnvironment: string | undefined;
  let sandboxUrl = '';

  before(async () => {
    const studio = await api();
    previousEnvironment = studio.environments.current;
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
    sandboxUrl = (await waitFor('the sandbox store', () => studio.stores.get('sandbox')))!.baseUrl;
    // A JetBrains environment beside the test files: a public value and a private (secret) one.
    await vscode.workspace.fs.writeFile(workspaceFile('lang/http-client.env.json'), Buffer.from(JSON.stringify({ langtest: { shopHost: 'shop.test' } })));
    await vscode.workspace.fs.writeFile(workspaceFile('lang/http-client.private.env.json'), Buffer.from(JSON.stringify({ langtest: { shopToken: PRIVATE_TOKEN } })));
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.selectEnvironment', 'langtest'), 'langtest');
  });

  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.selectEnvironment', previousEnvironment ?? '');
    await vscode.workspace.fs.delete(workspaceFile('lang'), { recursive: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('completes store names after "@store = " and "# @store ", with URL and auth method', async () => {
    const doc = await open('lang/stores.http', '@store = \n\n# @store \nGET https://example.invalid/\n');
    const items = await waitFor('store completions', async () => {
      const i = await complete(doc, new vscode.Position(0, 9), ' ');
      return i.some((x) => labelOf(x) === 'sandbox') ? i : undefined;
    });
    const sandbox = items.find((x) => labelOf(x) === 'sandbox')!;
    assert.ok(sandbox.detail?.includes(sandboxUrl), sandbox.detail);
    assert.match(sandbox.detail ?? '', /Consumer key, HTTP Basic/);
    const meta = await complete(doc, new vscode.Position(2, 9), ' ');
    assert.ok(meta.some((x) => labelOf(x) === 'sandbox'), meta.map(labelOf).join(', '));
    // Not on a plain request line.
    const none = await complete(doc, new vscode.Position(3, 4), ' ');
    assert.ok(!none.some((x) => labelOf(x) === 'sandbox'));
  });

  it('completes WooCommerce routes after {{$store.url}}/wp-json/wc/v3/, path parameters as snippet placeholders', async () => {
    const doc = await open('lang/routes.http', '@store = sandbox\n\nGET {{$store.url}}/wp-json/wc/v3/\n\n###\nGET {{$store.url}}/wp-json/wc/v3/products/12/va\n');
    const items = await complete(doc, new vscode.Position(2, doc.lineAt(2).text.length), '/');
    const labels = items.map(labelOf);
    for (const route of ['products', 'orders', 'customers', 'coupons', 'products/<id>', 'orders/<order_id>/notes', 'system_status', 'webhooks']) {
      assert.ok(labels.includes(route), `${route} in ${labels.join(', ')}`);
    }
    assert.strictEqual(insertOf(items.find((i) => labelOf(i) === 'products/<id>')!), 'products/${1:id}');
    assert.match(items.find((i) => labelOf(i) === 'orders')!.detail ?? '', /orders/i);

    const deeper = await complete(doc, new vscode.Position(5, doc.lineAt(5).text.length));
    const variations = deeper.find((i) => labelOf(i) === 'products/<product_id>/variations/<id>');
    assert.ok(variations, deeper.map(labelOf).join(', '));
    assert.strictEqual(insertOf(variations), 'products/12/variations/${1:id}', 'the id already typed is kept');
    assert.ok(!deeper.some((i) => labelOf(i) === 'orders'), 'routes that do not fit what was typed are left out');
  });

  it('completes a route\'s query arguments after ? and &, on the request line and on continuation lines', async () => {
    const doc = await open('lang/query.http', [
      'GET {{$store.url}}/wp-json/wc/v3/products?per_page=2&',
      '',
      '###',
      'GET {{$store.url}}/wp-json/wc/v3/orders',
      '    ?status=any',
      '    &',
      '',
      '###',
      'GET {{$store.url}}/wp-json/wc/v3/orders?order=',
      '',
    ].join('\n'));
    const product = (await complete(doc, new vscode.Position(0, doc.lineAt(0).text.length), '&')).map(labelOf);
    for (const arg of ['page', 'search', 'orderby', 'order', 'status', 'sku', 'stock_status']) assert.ok(product.includes(arg), `${arg} in ${product.join(', ')}`);
    assert.ok(!product.includes('per_page'), 'an argument already given is not offered again');

    const order = await complete(doc, new vscode.Position(5, 5), '&');
    const orderLabels = order.map(labelOf);
    assert.ok(orderLabels.includes('customer') && orderLabels.includes('after'), orderLabels.join(', '));
    assert.ok(!orderLabels.includes('status') && !orderLabels.includes('sku'), 'status is given; sku is not an order filter');
    assert.match(insertOf(order.find((i) => labelOf(i) === 'orderby')!), /^orderby=\$\{1\|date,/);

    const values = (await complete(doc, new vscode.Position(8, doc.lineAt(8).text.length))).map(labelOf);
    assert.ok(values.includes('asc') && values.includes('desc'), values.join(', '));
  });

  it('completes file, environment, system and request variables inside {{ }}, never showing a secret value', async () => {
    const doc = await open('lang/main.http', MAIN);
    const items = await complete(doc, new vscode.Position(15, doc.lineAt(15).text.length - 2), '{');
    const byLabel = new Map(items.map((i) => [labelOf(i), i]));
    const labels = [...byLabel.keys()];
    for (const name of ['perPage', 'apiKey', 'note', 'greeting', 'shopHost', 'shopToken', '$guid', '$randomInt', '$processEnv', '$store.url', 'listProducts.response.body.$', 'listProducts.response.headers.']) {
      assert.ok(byLabel.has(name), `${name} in ${labels.join(', ')}`);
    }
    assert.strictEqual(byLabel.get('perPage')!.detail, '5', 'a harmless file variable shows its value');
    for (const hidden of ['apiKey', 'note', 'adminPassword', 'greeting']) assert.match(byLabel.get(hidden)!.detail ?? '', /hidden/, hidden);
    assert.ok(!/shop\.test/.test(shownBy(byLabel.get('shopHost')!)), 'environment variables are offered by name only');
    assert.match(docText(byLabel.get('$guid')!.documentation), /UUID/);
    assert.strictEqual(insertOf(byLabel.get('$randomInt')!), '\\$randomInt ${1:1} ${2:100}');
    assert.ok(byLabel.get('$store.url')!.detail?.includes(sandboxUrl), byLabel.get('$store.url')!.detail);
    assert.match(insertOf(byLabel.get('listProducts.response.body.$')!), /^listProducts\.response\.body\.\\\$\./);
    for (const item of items) assertNoSecret(shownBy(item), `completion "${labelOf(item)}"`);
  });

  it('lists each request in the outline: named ones as functions, with METHOD url as detail', async () => {
    const doc = await open('lang/main.http', MAIN);
    const symbols = await waitFor('document symbols', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      return s?.length ? s : undefined;
    });
    const requests = symbols.filter((s) => s.kind === vscode.SymbolKind.Function || s.kind === vscode.SymbolKind.Method);
    assert.deepStrictEqual(requests.map((s) => [s.name, s.kind, s.selectionRange.start.line]), [
      ['listProducts', vscode.SymbolKind.Function, 9],
      ['GET {{$store.url}}/wp-json/wc/v3/orders', vscode.SymbolKind.Method, 12],
      ['Read one', vscode.SymbolKind.Method, 15],
      ['Chained', vscode.SymbolKind.Method, 18],
    ]);
    assert.match(requests[0]!.detail, /^GET \{\{\$store\.url\}\}\/wp-json\/wc\/v3\/products\?per_page=/);
    assert.ok(requests[0]!.range.contains(new vscode.Position(7, 0)), 'the block includes its ### line');
    assert.ok(symbols.some((s) => s.name === 'perPage' && s.kind === vscode.SymbolKind.Variable));
    for (const s of symbols) assertNoSecret(`${s.name} ${s.detail}`, `symbol ${s.name}`);
  });

  it('hovers a {{variable}} with what it resolves to, secrets hidden or masked', async () => {
    const doc = await open('lang/main.http', MAIN);
    const perPage = await hover(doc, posAfter(doc, '{{perPage}}', 3));
    assert.match(perPage, /File variable/);
    assert.match(perPage, /^5$/m);
    assert.ok((await hover(doc, posAfter(doc, '{{$store.url}}', 4))).includes(sandboxUrl));
    assert.match(await hover(doc, posAfter(doc, '{{shopHost}}', 3)), /Environment variable[\s\S]*shop\.test/);

    const texts: string[] = [];
    for (const name of ['{{apiKey}}', '{{greeting}}', '{{shopToken}}']) {
      const text = await hover(doc, posAfter(doc, name, 3));
      assert.match(text, /\(hidden\)/, `${name}: ${text}`);
      texts.push(text);
    }
    const note = await hover(doc, posAfter(doc, '{{note}}', 3));
    assert.match(note, /cs_••••••••/, 'a secret-shaped value under a plain name is masked');
    texts.push(note);
    for (const t of texts) assertNoSecret(t, 'a hover');
    assert.strictEqual(await hover(doc, new vscode.Position(9, 1)), '', 'no hover outside {{ }}');
  });

  it('hovers a request variable with the value from the named response once it is sent', async () => {
    const doc = await open('lang/main.http', MAIN);
    const at = posAfter(doc, '{{listProducts.', 4);
    assert.match(await hover(doc, at), /has not been sent yet/);
    const sent = await vscode.commands.executeCommand<{ status?: number }>('wooApiStudio.sendRequest', doc.uri, 9);
    assert.strictEqual(sent?.status, 200, JSON.stringify(sent));
    const text = await hover(doc, at);
    assert.match(text, /Request variable/);
    assert.match(text, /^\d+$/m, `the id of the first product: ${text}`);
    assertNoSecret(text, 'a hover');
  });
});
