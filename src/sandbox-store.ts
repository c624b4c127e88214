// "WooCommerce: Start / Stop Sandbox Store": runs the local WooCommerce-faithful store inside the
// extension host and registers it as the store "sandbox" while it runs. It is the extension's own
// store: kept in memory by the registry, never written to the user's settings, so starting it can
// never replace a store of the user's (one the user named "sandbox" keeps its name; the sandbox
// then takes another). Its seed (keys and application passwords) is kept in SecretStorage, so the
// same credentials work across restarts and .http files written against it keep working.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as SandboxModule from './sandbox';
import type { RunningSandbox, SandboxOptions } from './sandbox';
import { lazily } from './core/lazy';
import type * as SandboxPicksModule from './sandbox-picks';
import type { Store } from './core/store';
import type { StoreRegistry } from './stores';
import type { SecretVault } from './secrets';
import type { Log } from './log';
import { requireTrust } from './workspace-trust';
import { openSampleRequests } from './starter-files';

/** The sandbox store's server, read when it first starts (see core/lazy.ts). */
const sandboxModule = lazily(() => require('./sandbox') as typeof SandboxModule);
/** The pickers of Reproduce a Misconfiguration and Start Sandbox with a Token Plugin, read when one opens. */
const sandboxPicks = lazily(() => require('./sandbox-picks') as typeof SandboxPicksModule, 'the sandbox pickers');

/** The sandbox store's id: settings ids cannot start with "$", so no store of the user's can have it. */
export const SANDBOX_STORE_ID = '$sandbox';
const SEED_SECRET = 'wooApiStudio.sandbox.seed';
/** The id earlier versions saved the sandbox under, in the user's settings. */
const LEGACY_STORE_ID = 'sandbox';

/** The misconfigurations the sandbox can reproduce, as offered in the Start quick pick. */
export interface SandboxModes {
  stripAuthorization?: boolean;
  plainPermalinks?: boolean;
  homeUrl?: string;
  clockOffsetSeconds?: number;
  httpsProxy?: boolean;
  httpsProxyNoForwardedProto?: boolean;
  securityPlugin?: boolean;
  firewallQuerySecret?: boolean;
  /** A token plugin active on the sandbox's WordPress (JWT or OAuth 2.0 stores). */
  tokenPlugin?: 'tmeister' | 'useful-team' | 'wp-oauth-server';
  /** How long its access tokens live (seconds; the plugin's default when absent). */
  accessTokenLifetimeSeconds?: number;
  refreshTokenLifetimeSeconds?: number;
  /** WP OAuth Server: approve the browser sign-in without a login page (as a signed-in administrator would). */
  oauthAutoApprove?: boolean;
  /** WP OAuth Server's "block unauthenticated REST requests" setting. */
  blockUnauthenticatedRest?: boolean;
}

export interface StartSandboxArgs {
  modes?: SandboxModes;
  /** Restart without asking when it is already running. */
  restart?: boolean;
  /** Say where it runs in a notification, as the palette command does (used by autoStart). */
  announce?: boolean;
}

export class SandboxController implements vscode.Disposable {
  private running: RunningSandbox | undefined;
  /** Starts and stops run one at a time: two overlapping starts would leak a listening server. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<RunningSandbox | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly storesChanged: vscode.Disposable;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly stores: StoreRegistry,
    private readonly vault: SecretVault,
    private readonly log: Log,
  ) {
    // A store of the user's that takes the sandbox's name gets it: the sandbox moves aside.
    this.storesChanged = stores.onDidChange(() => this.renameIfTaken());
  }

  get current(): RunningSandbox | undefined {
    return this.running;
  }

  /** The misconfigurations the running sandbox reproduces (none: a healthy store). */
  get modes(): SandboxModes {
    return this.runningModes;
  }
  private runningModes: SandboxModes = {};

  /** The name the sandbox store has while it runs ("sandbox", unless one of the user's stores has it). */
  get storeName(): string | undefined {
    return this.stores.list().find((s) => s.id === SANDBOX_STORE_ID)?.name;
  }

  /** Starts the sandbox (or restarts it with new modes) and registers the "sandbox" store. */
  start(modes: SandboxModes = {}): Promise<RunningSandbox> {
    return this.serially(() => this.doStart(modes));
  }

  stop(): Promise<boolean> {
    return this.serially(() => this.doStop());
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async doStart(modes: SandboxModes): Promise<RunningSandbox> {
    await this.doStop();
    const config = vscode.workspace.getConfiguration('wooApiStudio.sandbox');
    let seed = await this.savedSeed();
    if (modes.tokenPlugin) {
      // A token plugin needs users' passwords and OAuth clients: added to the saved seed once, kept after.
      seed ??= sandboxModule().generateSandboxSeed();
      const before = JSON.stringify(seed);
      sandboxModule().addGeneratedTokenCredentials(seed, this.redirectUri());
      if (JSON.stringify(seed) !== before) await this.vault.setRaw(SEED_SECRET, JSON.stringify(seed));
    }
    const options: SandboxOptions = {
      httpPort: config.get<number>('httpPort', 0),
      httpsPort: config.get<number>('httpsPort', 0),
      seed,
      ...modes,
    };
    const sandbox = await sandboxModule().startSandbox(options);
    this.running = sandbox;
    this.runningModes = { ...modes };
    if (sandbox.generated) await this.vault.setRaw(SEED_SECRET, JSON.stringify(sandbox.seed));
    await this.register(sandbox);
    const reproducing = describeModes(modes);
    this.log.info(`Sandbox store started: ${sandbox.httpsUrl} and ${sandbox.httpUrl}${reproducing ? `, reproducing ${reproducing}` : ''}`);
    this.changed.fire(sandbox);
    return sandbox;
  }

  private async doStop(): Promise<boolean> {
    const sandbox = this.running;
    if (!sandbox) return false;
    this.running = undefined;
    this.stores.dropManaged(SANDBOX_STORE_ID);
    await sandbox.stop();
    this.log.info('Sandbox store stopped.');
    this.changed.fire(undefined);
    return true;
  }

  private async savedSeed() {
    const raw = await this.vault.getRaw(SEED_SECRET);
    if (!raw) return undefined;
    try {
      return sandboxModule().parseSandboxSeed(raw);
    } catch {
      return undefined; // unreadable: start with fresh credentials, which then replace it
    }
  }

  /**
   * Add Store's answers for a store that signs in to the running sandbox with its token plugin:
   * the administrator's password (JWT), or the OAuth client allowed every grant (browser sign-in).
   */
  tokenStoreArgs(name?: string): Record<string, unknown> | undefined {
    const sandbox = this.running;
    const plugin = this.runningModes.tokenPlugin;
    if (!sandbox || !plugin) return undefined;
    const admin = sandbox.seed.users.find((u) => u.role === 'administrator');
    const options = { caCertificateFile: this.caFile(), verifyTls: true };
    if (plugin !== 'wp-oauth-server') return { name: name ?? 'sandbox-jwt', baseUrl: sandbox.httpsUrl, authMethod: 'jwt', username: admin?.login, password: admin?.password, jwtPlugin: plugin, options };
    const client = sandbox.seed.oauth_clients?.find((c) => c.grant_types.includes('refresh_token')) ?? sandbox.seed.oauth_clients?.[0];
    return { name: name ?? 'sandbox-oauth', baseUrl: sandbox.httpsUrl, authMethod: 'oauth2', grant: 'authorization_code', clientId: client?.client_id, clientSecret: client?.client_secret || undefined, redirectUri: client?.redirect_uri, options };
  }

  /** Where the sandbox's OAuth clients send the browser back: into this VS Code. */
  redirectUri(): string {
    return `${vscode.env.uriScheme}://${this.context.extension.id}/oauth`;
  }

  private caFile(): string {
    return vscode.Uri.joinPath(this.context.globalStorageUri, 'sandbox-ca.pem').fsPath;
  }

  /** The store entry and secrets for the sandbox's read_write administrator key over HTTPS. */
  private async register(sandbox: RunningSandbox): Promise<void> {
    const admin = sandbox.seed.users.find((u) => u.role === 'administrator');
    const key = sandbox.seed.keys.find((k) => k.permissions === 'read_write' && k.user_id === admin?.id) ?? sandbox.seed.keys[0];
    const caFile = this.caFile();
    await fs.mkdir(path.dirname(caFile), { recursive: true });
    await fs.writeFile(caFile, sandbox.certificatePem);
    const store: Store = {
      id: SANDBOX_STORE_ID,
      name: sandboxName(this.stores.list()),
      baseUrl: sandbox.httpsUrl,
      authMethod: 'wc-basic',
      options: { caCertificateFile: caFile, verifyTls: true },
      key: key ? { truncatedKey: key.consumer_key.slice(-7), permissions: key.permissions } : undefined,
    };
    this.stores.setManaged(store, key ? { consumerKey: key.consumer_key, consumerSecret: key.consumer_secret } : {});
  }

  private renameIfTaken(): void {
    const all = this.stores.list();
    const ours = all.find((s) => s.id === SANDBOX_STORE_ID);
    if (!ours) return;
    const name = sandboxName(all);
    if (name !== ours.name) {
      void this.stores.save({ ...ours, name });
      this.log.info(`A store of yours is named "${ours.name}": the sandbox store is now "${name}".`);
    }
  }

  /**
   * Earlier versions saved the sandbox in the user's settings as the store "sandbox" (its
   * certificate in this extension's storage gives it away): that entry and its secrets go, since the
   * sandbox is registered in memory now. A store of the user's that is called "sandbox" is kept.
   */
  async removeLegacyEntry(): Promise<void> {
    const entries = vscode.workspace.getConfiguration('wooApiStudio').inspect<unknown[]>('stores')?.globalValue;
    const legacy = Array.isArray(entries) && entries.find((s) => {
      const store = s as Partial<Store> | undefined;
      return store?.id === LEGACY_STORE_ID && store.options?.caCertificateFile === this.caFile();
    });
    if (!legacy) return;
    await this.stores.remove(LEGACY_STORE_ID);
    this.log.info('The sandbox store saved in your settings by an earlier version was removed: the sandbox registers itself while it runs.');
  }

  dispose(): void {
    void this.stop();
    this.storesChanged.dispose();
    this.changed.dispose();
  }
}

/** "sandbox", or the first of "sandbox-local", "sandbox-local-2", … that no other store is called. */
export function sandboxName(stores: readonly Store[]): string {
  const taken = new Set(stores.filter((s) => s.id !== SANDBOX_STORE_ID).flatMap((s) => [s.name.toLowerCase(), s.id.toLowerCase()]));
  for (const name of ['sandbox', 'sandbox-local']) if (!taken.has(name)) return name;
  for (let i = 2; ; i++) if (!taken.has(`sandbox-local-${i}`)) return `sandbox-local-${i}`;
}

/** The modes in plain words, for messages: "the Authorization header stripped, plain permalinks". */
export function describeModes(modes: SandboxModes): string {
  const words: string[] = [];
  if (modes.stripAuthorization) words.push('the Authorization header stripped');
  if (modes.plainPermalinks) words.push('plain permalinks');
  if (modes.homeUrl) words.push(`the Home URL ${modes.homeUrl}`);
  if (modes.clockOffsetSeconds) words.push(`the server clock ${modes.clockOffsetSeconds > 0 ? '+' : ''}${modes.clockOffsetSeconds} s off`);
  if (modes.httpsProxy) words.push('HTTPS ended at a proxy whose X-Forwarded-Proto WordPress ignores');
  if (modes.httpsProxyNoForwardedProto) words.push('HTTPS ended at a proxy that sends no X-Forwarded-Proto');
  if (modes.securityPlugin) words.push('a security plugin refusing anonymous REST requests');
  if (modes.firewallQuerySecret) words.push('a firewall refusing consumer_secret in query strings');
  if (modes.tokenPlugin) words.push(`the ${TOKEN_PLUGIN_NAMES[modes.tokenPlugin]} plugin${modes.accessTokenLifetimeSeconds ? ` (access tokens live ${modes.accessTokenLifetimeSeconds} s)` : ''}`);
  if (modes.blockUnauthenticatedRest) words.push('unauthenticated REST requests blocked');
  return words.join(', ');
}

const TOKEN_PLUGIN_NAMES = { tmeister: 'JWT Authentication for WP REST API', 'useful-team': 'JWT Auth', 'wp-oauth-server': 'WP OAuth Server' } as const;

/** "Sandbox store running": what to do next, as buttons. */
async function announce(controller: SandboxController, sandbox: RunningSandbox, modes: SandboxModes): Promise<void> {
  const reproducing = describeModes(modes);
  const name = controller.storeName ?? 'sandbox';
  if (modes.tokenPlugin) {
    const connect = await vscode.window.showInformationMessage(
      `Sandbox store running at ${sandbox.httpsUrl} with ${reproducing}. Connect a store that signs in with its tokens (its password and client secret go straight to SecretStorage).`,
      'Connect a Token Store', 'Open Sample Requests');
    if (connect === 'Connect a Token Store') await vscode.commands.executeCommand('wooApiStudio.addStore', controller.tokenStoreArgs());
    else if (connect === 'Open Sample Requests') await openSampleRequests(name);
    return;
  }
  const choice = await vscode.window.showInformationMessage(
    `Sandbox store running at ${sandbox.httpsUrl} (plain HTTP: ${sandbox.httpUrl})${reproducing ? `, reproducing ${reproducing}` : ''}. It is the store "${name}": "@store = ${name}" in a .http file.`,
    'Open Sample Requests', 'New Request', reproducing ? 'Back to Healthy' : 'Reproduce a Misconfiguration…',
  );
  if (choice === 'Open Sample Requests') await openSampleRequests(name);
  else if (choice === 'New Request') await vscode.commands.executeCommand('wooApiStudio.openRunner');
  else if (choice === 'Back to Healthy') await vscode.commands.executeCommand('wooApiStudio.startSandboxStore', { restart: true, modes: {}, announce: true });
  else if (choice) await vscode.commands.executeCommand('wooApiStudio.reproduceMisconfiguration');
}

/** Command handlers; arguments let tests and other commands skip the questions. */
export function sandboxCommands(controller: SandboxController) {
  const run = async (modes: SandboxModes, show: boolean): Promise<{ httpsUrl: string; httpUrl: string } | undefined> => {
    try {
      const sandbox = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Starting the sandbox store…' },
        () => controller.start(modes),
      );
      if (show) void announce(controller, sandbox, modes);
      return { httpsUrl: sandbox.httpsUrl, httpUrl: sandbox.httpUrl };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      void vscode.window.showErrorMessage(`The sandbox store could not start: ${reason} Check the ports in the "wooApiStudio.sandbox" settings (0 picks free ones).`);
      return undefined;
    }
  };
  // Methods refer to each other through `commands`, never `this`: they are registered unbound.
  const commands = {
    /** Start Sandbox Store: a healthy store (misconfigurations are a command of their own). */
    async start(args?: StartSandboxArgs): Promise<{ httpsUrl: string; httpUrl: string } | undefined> {
      if (!(await requireTrust('start the sandbox store'))) return undefined;
      if (controller.current && !args?.restart) {
        const choice = await vscode.window.showInformationMessage(
          `The sandbox store is already running at ${controller.current.httpsUrl}.`, 'Restart', 'Reproduce a Misconfiguration…', 'Stop');
        if (choice === 'Stop') { await controller.stop(); return undefined; }
        if (choice === 'Reproduce a Misconfiguration…') return commands.reproduce();
        if (choice !== 'Restart') return { httpsUrl: controller.current.httpsUrl, httpUrl: controller.current.httpUrl };
      }
      return run(args?.modes ?? {}, !args || args.announce === true);
    },
    /** Reproduce a Misconfiguration in the Sandbox: restarts it as a store with the problem picked (or given). */
    async reproduce(modes?: SandboxModes): Promise<{ httpsUrl: string; httpUrl: string } | undefined> {
      if (!(await requireTrust('start the sandbox store'))) return undefined;
      const chosen = modes ?? (await sandboxPicks().pickModes());
      if (!chosen) return undefined;
      return run(chosen, modes === undefined);
    },
    /** Start Sandbox with a Token Plugin: asks which plugin and how long tokens live (or takes them). */
    async startWithTokens(modes?: SandboxModes): Promise<{ httpsUrl: string; httpUrl: string } | undefined> {
      if (!(await requireTrust('start the sandbox store'))) return undefined;
      const chosen = modes ?? (await sandboxPicks().pickTokenModes());
      if (!chosen) return undefined;
      return run(chosen, modes === undefined);
    },
    async stop(): Promise<boolean> {
      const stopped = await controller.stop();
      void vscode.window.showInformationMessage(stopped ? 'Sandbox store stopped.' : 'The sandbox store is not running.');
      return stopped;
    },
  };
  return commands;
}
