import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, waitFor, workspaceFile } from './helpers';
import { SANDBOX_ID } from './helpers';
import type { StoreCommandResult } from '../../src/store-commands';

type Started = { httpsUrl: string; httpUrl: string };

/** Every file under dir whose bytes contain needle (skipping the installed VS Code and node_modules). */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[] = [];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); continue; }
      try {
        const st = fs.statSync(p);
        if (st.size > 50 * 1024 * 1024) continue;
        if (fs.readFileSync(p).includes(needle)) hits.push(p);
      } catch { /* sockets, vanished files */ }
    }
  };
  walk(dir);
  return hits;
}

describe('stores: add, test, remove, with secrets in SecretStorage only', () => {
  let sandbox: Started;
  let ca: string;
  let keys: { consumerKey: string; consumerSecret: string };
  let seedAdminPassword: string | undefined;

  before(async () => {
    sandbox = (await vscode.commands.executeCommand<Started>('wooApiStudio.startSandboxStore', { restart: true }))!;
    const studio = await api();
    const s = await studio.stores.storedSecrets(SANDBOX_ID);
    keys = { consumerKey: s!.consumerKey!, consumerSecret: s!.consumerSecret! };
    ca = studio.stores.get('sandbox')!.options!.caCertificateFile!;
    seedAdminPassword = studio.sandbox.current?.seed.users.find((u) => u.role === 'administrator')?.application_passwords?.[0];
  });
  after(async () => {
    for (const id of ['shop', 'shop-query', 'shop-oauth', 'shop-app', 'shop-plain']) await vscode.commands.executeCommand('wooApiStudio.removeStore', id, true);
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('Add Store tests the store, saves it, and keeps the secret out of every file (a canary is searched for)', async () => {
    const result = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', {
      name: 'shop', baseUrl: `${sandbox.httpsUrl}/`, authMethod: 'wc-basic', consumerKey: ` ${keys.consumerKey}`, consumerSecret: `${keys.consumerSecret}\n`, options: { caCertificateFile: ca },
    });
    assert.strictEqual(result?.saved, true, JSON.stringify(result));
    assert.match(result.test!.message, /^200 OK in \d+ ms: \d+ products readable\.$/);
    const studio = await api();
    const store = studio.stores.get('shop');
    assert.ok(store);
    assert.strictEqual(store.baseUrl, sandbox.httpsUrl, 'trailing slash dropped');
    assert.strictEqual(store.key?.truncatedKey, keys.consumerKey.slice(-7));
    assert.deepStrictEqual(await studio.stores.storedSecrets('shop'), { consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret }, 'trimmed values in SecretStorage');

    // Give the workbench a moment to flush its state, then search every file we can reach.
    await new Promise((r) => setTimeout(r, 1500));
    const roots = [process.env.WOO_PROFILE_DIR, vscode.workspace.workspaceFolders![0].uri.fsPath].filter((d): d is string => !!d);
    assert.ok(roots.length === 2, 'the runner gives the profile folder');
    const hits = roots.flatMap((r) => filesContaining(r, keys.consumerSecret));
    assert.deepStrictEqual(hits, [], 'the consumer secret is in no file of the profile or the workspace');
  });

  it('Remove Store deletes the settings entry and the secrets', async () => {
    const studio = await api();
    assert.ok(await studio.stores.storedSecrets('shop'));
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.removeStore', 'shop', true), true);
    assert.strictEqual(studio.stores.get('shop'), undefined);
    assert.strictEqual(await studio.stores.storedSecrets('shop'), undefined);
  });

  it('a failed test saves nothing and says why; nothing typed is lost when saved anyway', async () => {
    const wrong = 'cs_' + '0'.repeat(40);
    const failed = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'shop', baseUrl: sandbox.httpsUrl, authMethod: 'wc-basic', consumerKey: keys.consumerKey, consumerSecret: wrong, options: { caCertificateFile: ca } });
    assert.strictEqual(failed?.saved, false);
    // The explainer's cause, not WooCommerce's raw sentence, and the answer to ask again.
    assert.match(failed.test!.message, /^The consumer secret does not match the key \(401\)\. Try: /);
    assert.strictEqual(failed.fault, 'credentials');
    assert.strictEqual((await api()).stores.get('shop'), undefined);
    const bad = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'shop', baseUrl: sandbox.httpsUrl, authMethod: 'wc-basic', consumerKey: keys.consumerSecret, consumerSecret: 'nope' });
    assert.strictEqual(bad?.saved, false);
    assert.match(bad.problem!, /consumer secret/);
  });

  it('each auth method gets 200 from the sandbox where WooCommerce would, and its documented error where it would not', async () => {
    const add = (args: object) => vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', args);
    assert.strictEqual((await add({ name: 'shop-query', baseUrl: sandbox.httpsUrl, authMethod: 'wc-query', ...keys, options: { caCertificateFile: ca } }))?.test?.ok, true);
    assert.strictEqual((await add({ name: 'shop-oauth', baseUrl: sandbox.httpUrl, authMethod: 'wc-oauth1', ...keys }))?.test?.ok, true, 'OAuth 1.0a over plain HTTP');
    assert.ok(seedAdminPassword);
    assert.strictEqual((await add({ name: 'shop-app', baseUrl: sandbox.httpsUrl, authMethod: 'app-password', username: 'admin', applicationPassword: seedAdminPassword, options: { caCertificateFile: ca } }))?.test?.ok, true);
    const plain = await add({ name: 'shop-plain', baseUrl: sandbox.httpUrl, authMethod: 'wc-basic', ...keys });
    assert.strictEqual(plain?.saved, false);
    // WooCommerce answers 401 cannot_view and says nothing more; the explainer names why, and the method is at fault.
    assert.match(plain.test!.message, /HTTP.*\(401\)/i, 'keys over plain HTTP are ignored by WooCommerce');
    assert.strictEqual(plain.fault, 'method');
    const tested = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('wooApiStudio.testConnection', 'shop-oauth');
    assert.strictEqual(tested?.ok, true);
  });

  it('Copy Store Config copies the entry without any secret, and Select Active Store remembers the choice', async () => {
    const text = await vscode.commands.executeCommand<string>('wooApiStudio.copyStoreConfig', 'shop-query');
    assert.ok(text && text.includes('"authMethod": "wc-query"'));
    assert.ok(!text.includes(keys.consumerSecret) && !text.includes(keys.consumerKey));
    assert.strictEqual(await vscode.env.clipboard.readText(), text);
    assert.strictEqual(await vscode.commands.executeCommand('wooApiStudio.selectActiveStore', 'shop-query'), 'shop-query');
    assert.strictEqual((await api()).storeCommands.active()?.id, 'shop-query');
  });

  it('a bearer token: WooCommerce has no such scheme (401 cannot_view), and the status bar warns before the JWT expires', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const jwt = ['eyJhbGciOiJub25lIn0', Buffer.from(JSON.stringify({ exp })).toString('base64url'), 'c2ln'].join('.');
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'shop-bearer', baseUrl: sandbox.httpsUrl, authMethod: 'bearer', bearerToken: jwt, options: { caCertificateFile: ca }, saveOnFailure: true });
    assert.strictEqual(added?.saved, true);
    assert.strictEqual(added.test!.message, 'WooCommerce does not accept bearer tokens (401). Try: Use a consumer key and secret instead.');
    await vscode.commands.executeCommand('wooApiStudio.selectActiveStore', 'shop-bearer');
    const studio = await api();
    await waitFor('the status bar to warn', () => studio.statusText()?.includes('token expires soon'));
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'shop-bearer', true);
  });

  it('Edit Store tests new credentials before saving them, and keeps the key pair when switching between key methods', async () => {
    const studio = await api();
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'shop-edit', baseUrl: sandbox.httpsUrl, authMethod: 'wc-basic', consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret, options: { caCertificateFile: ca } });
    assert.strictEqual(added.saved, true);
    const wrong = `cs_${'0'.repeat(40)}`;
    const refused = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.editStore', 'shop-edit', { what: 'credentials', consumerKey: keys.consumerKey, consumerSecret: wrong });
    assert.strictEqual(refused.saved, false);
    assert.match(refused.test?.message ?? '', /secret/i, 'the explainer\'s cause');
    assert.strictEqual((await studio.stores.storedSecrets('shop-edit'))?.consumerSecret, keys.consumerSecret, 'the old pair is kept');

    const switched = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.editStore', 'shop-edit', { what: 'method', authMethod: 'wc-query' });
    assert.strictEqual(switched.saved, true, JSON.stringify(switched));
    assert.strictEqual(switched.test?.ok, true, 'tested with the same key pair');
    assert.strictEqual(studio.stores.get('shop-edit')?.authMethod, 'wc-query');
    assert.strictEqual((await studio.stores.storedSecrets('shop-edit'))?.consumerSecret, keys.consumerSecret);

    const forced = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.editStore', 'shop-edit', { what: 'credentials', consumerKey: keys.consumerKey, consumerSecret: wrong, saveOnFailure: true });
    assert.strictEqual(forced.saved, true, 'Save Anyway saves');
    assert.strictEqual((await studio.stores.storedSecrets('shop-edit'))?.consumerSecret, wrong);
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'shop-edit', true);
  });

  it('the workspace holds no secret either after all of this', () => {
    const hits = filesContaining(vscode.workspace.workspaceFolders![0].uri.fsPath, keys.consumerSecret);
    assert.deepStrictEqual(hits, []);
    assert.ok(fs.existsSync(workspaceFile('products.http').fsPath));
  });
});

describe('rotating keys', () => {
  let started: { httpsUrl: string };
  before(async () => {
    started = (await vscode.commands.executeCommand<{ httpsUrl: string }>('wooApiStudio.startSandboxStore', { restart: true }))!;
  });
  after(async () => {
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'rot', true);
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('takes the new pair only when it works, records the date, and says which keys are due', async () => {
    const studio = await api();
    const seed = studio.sandbox.current!.seed;
    const [first, second] = seed.keys;
    const ca = studio.stores.get('sandbox')!.options!.caCertificateFile!;
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'rot', baseUrl: started.httpsUrl, authMethod: 'wc-basic', consumerKey: first.consumer_key, consumerSecret: first.consumer_secret, options: { caCertificateFile: ca } });
    assert.strictEqual(added?.saved, true);

    const bogus = { consumerKey: 'ck_' + 'e'.repeat(40), consumerSecret: 'cs_' + 'e'.repeat(40) };
    const refused = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.rotateKeys', 'rot', bogus);
    assert.strictEqual(refused?.saved, false);
    assert.strictEqual((await studio.stores.storedSecrets('rot'))?.consumerKey, first.consumer_key, 'a failed rotation keeps the old pair');

    const rotated = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.rotateKeys', 'rot', { consumerKey: second.consumer_key, consumerSecret: second.consumer_secret });
    assert.strictEqual(rotated?.saved, true, JSON.stringify(rotated));
    const store = studio.stores.get('rot')!;
    assert.strictEqual(store.key?.truncatedKey, second.consumer_key.slice(-7));
    assert.strictEqual(store.key?.rotatedAt, new Date().toISOString().slice(0, 10));
    assert.strictEqual((await studio.stores.storedSecrets('rot'))?.consumerSecret, second.consumer_secret);

    assert.ok(!studio.storeCommands.keysDue().some((d) => d.store.id === 'rot'), 'a fresh key is not due');
    await studio.stores.save({ ...store, key: { ...store.key, rotatedAt: '2020-01-01' } }, undefined);
    const due = studio.storeCommands.keysDue().find((d) => d.store.id === 'rot');
    assert.ok(due && due.days > 365);
  });
});
