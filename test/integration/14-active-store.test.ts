// Always an active store: the status bar item never vanishes, a store that appears becomes active
// when none is, and with several and none chosen it offers "Select store".
import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, waitFor, SANDBOX_ID } from './helpers';
import type { StoreCommandResult } from '../../src/store-commands';

describe('the active store', () => {
  before(async () => {
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
    await vscode.workspace.getConfiguration('wooApiStudio').update('stores', undefined, vscode.ConfigurationTarget.Global);
    const studio = await api();
    await studio.storeCommands.setActive(undefined);
    await waitFor('no store', () => studio.stores.list().length === 0);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('wooApiStudio').update('stores', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
  });

  it('with no store, the status bar offers to add one; the first store (the sandbox) becomes active', async () => {
    const studio = await api();
    await waitFor('the status bar to offer Add', () => /Add a WooCommerce store/.test(studio.statusText() ?? ''));
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
    await waitFor('the sandbox to be active', () => studio.storeCommands.active()?.id === SANDBOX_ID);
    await waitFor('the status bar to name it', () => /sandbox/.test(studio.statusText() ?? ''));
  });

  it('a second store does not hide the status bar; a new store becomes active only when none is', async () => {
    const studio = await api();
    const url = studio.stores.get('sandbox')!.baseUrl;
    const added = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'second', baseUrl: url, authMethod: 'none', options: { caCertificateFile: studio.stores.get('sandbox')!.options!.caCertificateFile }, saveOnFailure: true });
    assert.strictEqual(added.saved, true);
    await waitFor('two stores', () => studio.stores.list().length === 2);
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(studio.storeCommands.active()?.id, SANDBOX_ID, 'the active store stays');
    assert.match(studio.statusText() ?? '', /sandbox/);

    // The active one goes away: the only one left takes over; a store that comes back does not take it.
    await vscode.commands.executeCommand('wooApiStudio.stopSandboxStore');
    await waitFor('the remaining store to be active', () => studio.storeCommands.active()?.id === 'second');
    await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true });
    await waitFor('the sandbox back', () => studio.stores.list().length === 2);
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(studio.storeCommands.active()?.id, 'second');

    // Among several, none chosen: the status bar offers the choice.
    const third = await vscode.commands.executeCommand<StoreCommandResult>('wooApiStudio.addStore', { name: 'third', baseUrl: url, authMethod: 'none', saveOnFailure: true });
    assert.strictEqual(third.saved, true);
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'second', true);
    await waitFor('"Select store"', () => /Select store/.test(studio.statusText() ?? ''));
    assert.strictEqual(studio.storeCommands.active(), undefined);
    await vscode.commands.executeCommand('wooApiStudio.removeStore', 'third', true);
  });
});
