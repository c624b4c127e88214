// The active environment for `.http` variables: REST Client's `rest-client.environmentVariables`
// setting and JetBrains' `http-client.env.json` / `http-client.private.env.json` beside the file
// (or at the workspace root), plus `.env` files for `{{$dotenv}}`. The choice is per workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  dotenvCandidates, environmentNames, jetbrainsEnvironment, mergeEnvironments, parseDotenv, privateEnvironmentNames,
  parseEnvironmentFile, restClientEnvironment, type VariableContext,
} from './core/http';

const STATE_KEY = 'wooApiStudio.environment';

export class Environments implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get current(): string | undefined {
    return this.state.get<string>(STATE_KEY);
  }

  async select(name: string | undefined): Promise<void> {
    await this.state.update(STATE_KEY, name);
    this.changed.fire(name);
  }

  /** Every environment name the user has defined, for the picker. */
  async names(forFile?: vscode.Uri): Promise<string[]> {
    const { pub, priv } = await this.jetbrainsFiles(forFile);
    return environmentNames(vscode.workspace.getConfiguration('rest-client').get('environmentVariables'), pub, priv);
  }

  /** The variable context for a request in `file`: environment, process env and .env lookup. */
  async variablesFor(file: vscode.Uri): Promise<Omit<VariableContext, 'store'>> {
    const env = this.current;
    const { pub, priv } = await this.jetbrainsFiles(file);
    const environment = mergeEnvironments(
      restClientEnvironment(vscode.workspace.getConfiguration('rest-client', file).get('environmentVariables'), env),
      jetbrainsEnvironment(pub, priv, env),
    );
    const dotenv = file.scheme === 'file' ? await this.dotenv(file, env) : {};
    return { environment, secretEnvironment: privateEnvironmentNames(priv, env), processEnv: process.env, dotenv: (name) => dotenv[name] };
  }

  private async dotenv(file: vscode.Uri, env: string | undefined): Promise<Record<string, string>> {
    const root = vscode.workspace.getWorkspaceFolder(file)?.uri.fsPath;
    for (const candidate of dotenvCandidates(path.dirname(file.fsPath), env, root)) {
      const text = await readText(vscode.Uri.file(candidate));
      if (text !== undefined) return parseDotenv(text);
    }
    return {};
  }

  private async jetbrainsFiles(file: vscode.Uri | undefined): Promise<{ pub: unknown; priv: unknown }> {
    const dirs: vscode.Uri[] = [];
    if (file) dirs.push(vscode.Uri.joinPath(file, '..'));
    const folder = file ? vscode.workspace.getWorkspaceFolder(file) : vscode.workspace.workspaceFolders?.[0];
    if (folder) dirs.push(folder.uri);
    for (const dir of dirs) {
      const pubText = await readText(vscode.Uri.joinPath(dir, 'http-client.env.json'));
      const privText = await readText(vscode.Uri.joinPath(dir, 'http-client.private.env.json'));
      if (pubText === undefined && privText === undefined) continue;
      return { pub: readEnvFile(pubText, 'http-client.env.json'), priv: readEnvFile(privText, 'http-client.private.env.json') };
    }
    return { pub: undefined, priv: undefined };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function readEnvFile(text: string | undefined, name: string): unknown {
  if (text === undefined) return undefined;
  const parsed = parseEnvironmentFile(text);
  if (parsed.error) {
    void vscode.window.showWarningMessage(`${name}: ${parsed.error} Its environments are ignored until it is fixed.`);
  }
  return parsed.environments;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  } catch {
    return undefined;
  }
}

/** "WooCommerce: Select Environment". */
export function selectEnvironmentCommand(envs: Environments) {
  return async (name?: string): Promise<string | undefined> => {
    if (typeof name === 'string') {
      await envs.select(name === '' ? undefined : name);
      return envs.current;
    }
    const file = vscode.window.activeTextEditor?.document.uri;
    const names = await envs.names(file);
    const items: (vscode.QuickPickItem & { value?: string })[] = [
      { label: 'No Environment', description: envs.current === undefined ? 'current' : undefined, value: undefined },
      ...names.map((n) => ({ label: n, description: n === envs.current ? 'current' : undefined, value: n })),
    ];
    if (names.length === 0) items.push({ label: '$(info) No environments defined', detail: 'Add them to the "rest-client.environmentVariables" setting or an http-client.env.json file.', value: undefined });
    const picked = await vscode.window.showQuickPick(items, { title: 'Select Environment', placeHolder: 'Variables of the chosen environment apply to every .http request' });
    if (!picked) return envs.current;
    await envs.select(picked.value);
    return envs.current;
  };
}
