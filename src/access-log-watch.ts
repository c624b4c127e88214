// "WooCommerce: Watch Access Log…": follows a log file (through rotation), or the output of a command
// the user types (`ssh shop tail -F /var/log/nginx/access.log`, trusted workspaces only), with the
// access-log detectors of core/access-log (LiveMonitor). While it watches: a status bar item with the
// number of open alerts, a notification per new alert with **Show evidence** and **Mute this client
// for 1 hour**, the access-log report updated live. "Stop Watching Access Log", or closing the
// window, stops it.
//
// The extension's own traffic (the request log) goes through the same detectors all the time, each
// store standing for a client, so a developer hears when their integration starts failing (a key
// rotated in WooCommerce, still used by a script): its alerts share the status bar and notifications.
//
// A command to follow is only ever typed by the user (or confirmed in a modal when it comes as an
// argument) and remembered in the user's global state; it is never read from a folder's settings.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Alert, FileFollower, LineSink, LiveMonitor, MonitorRules } from './core/access-log';
import { redactText } from './core/redact';
import { accessLogLineOf, REQUEST_LOG_FORMAT } from './core/request-log';
import { accessLogModule, accessLogSettings, type AccessLogReports, type LiveReportSource } from './access-log-report';
import { confirmModal } from './dialogs';
import type { Log } from './log';
import type { RequestLog } from './request-log';
import { requireTrust } from './workspace-trust';

const MUTE_MS = 3_600_000;
/** The user's last command to follow (global state: the user's own, never a folder's). */
const LAST_COMMAND = 'wooApiStudio.accessLog.lastWatchCommand';
/** Lines of a command's output kept to show as evidence (a command's output is nowhere else). */
const COMMAND_LINES_KEPT = 5000;
/** At most this many notifications per NOTIFY_WINDOW_MS; the rest are summed up in one. */
const NOTIFY_MAX = 3;
const NOTIFY_WINDOW_MS = 10_000;
const REPORT_REFRESH_MS = 2000;
const REQUEST_LOG_SOURCE = 'request log';

type Target = vscode.Uri | { command: string };

/** One watch: a file or a command's output, its monitor, its live report. */
class Session implements LiveReportSource {
  readonly monitor: LiveMonitor;
  private follower?: FileFollower;
  private child?: ChildProcess;
  private readonly abort = new AbortController();
  /** A command's recent output lines (redacted when shown), by line number. */
  private readonly kept: string[] = [];
  private keptFrom = 1;
  private stopped = false;
  private refresh?: NodeJS.Timeout;
  private changed = false;

  constructor(
    readonly title: string,
    readonly target: { file: string } | { command: string },
    rules: MonitorRules,
    private readonly watcher: AccessLogWatcher,
  ) {
    this.monitor = new (accessLogModule().LiveMonitor)({
      ...accessLogSettings(rules),
      onAlert: (a) => {
        this.changed = true;
        watcher.alerted(this, a);
      },
      onNotice: (m) => watcher.log.info(`Watch Access Log (${title}): ${m}`),
    });
  }

  start(): void {
    if ('file' in this.target) {
      this.follower = new (accessLogModule().FileFollower)(this.target.file, this.countingSink(this.monitor), { onNotice: (m) => this.watcher.log.info(`Watch Access Log: ${m}`) });
      this.follower.run().then(
        () => undefined,
        (err: Error) => {
          void vscode.window.showErrorMessage(`Watching stopped: ${err.message}`);
          this.watcher.ended(this);
        },
      );
    } else {
      this.runCommand(this.target.command);
    }
    this.refresh = setInterval(() => {
      if (!this.changed) return;
      this.changed = false;
      this.watcher.reports.updateLive(this);
    }, REPORT_REFRESH_MS);
  }

  /** Every line fed also marks the live report as changed; a command's lines are kept for evidence. */
  private countingSink(monitor: LiveMonitor): LineSink {
    const keep = 'command' in this.target;
    return {
      source: (name, firstLine, fileId) => monitor.source(name, firstLine, fileId),
      renamed: (fileId, name) => monitor.renamed(fileId, name),
      text: (text) => {
        this.changed = true;
        if (keep) this.keep(text);
        monitor.text(text);
      },
    };
  }

  private keep(text: string): void {
    const lines = text.split('\n');
    lines.pop(); // whole lines: the text ends with a line break
    for (const l of lines) this.kept.push(l.length > 2000 ? l.slice(0, 2000) : l);
    const over = this.kept.length - COMMAND_LINES_KEPT;
    if (over > 0) {
      this.kept.splice(0, over);
      this.keptFrom += over;
    }
  }

  private runCommand(command: string): void {
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
    // A process group of its own (POSIX): stopping kills the command, not only the shell around it.
    // If the extension host dies first, the command's next write finds its pipe closed and it ends.
    const child = spawn(command, { shell: true, cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, detached: process.platform !== 'win32' });
    this.child = child;
    let errLines = 0;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      for (const l of d.split('\n').filter(Boolean)) if (errLines++ < 50) this.watcher.log.warn(`Watch Access Log command: ${l}`);
    });
    child.on('error', (err) => {
      void vscode.window.showErrorMessage(`The command could not be started: ${err.message}.`);
      this.watcher.ended(this);
    });
    child.on('exit', (code, signal) => {
      if (this.stopped) return;
      this.monitor.endInput();
      void vscode.window.showWarningMessage(`The command you watch ended (${signal ? `signal ${signal}` : `exit code ${code}`}); watching stopped.${code ? ' Its messages are in the WooCommerce API Studio output.' : ''}`);
      this.watcher.ended(this);
    });
    if (child.stdout) void accessLogModule().followStream(child.stdout, this.title, this.countingSink(this.monitor), this.abort.signal).catch(() => undefined);
  }

  report() {
    return this.monitor.report();
  }

  alerts(): Alert[] {
    return this.monitor.openAlerts();
  }

  async openLine(global: number): Promise<void> {
    const where = this.monitor.locate(global);
    await this.watcher.openAt(this, where.source, where.line, where.line);
  }

  async evidence(id: string): Promise<void> {
    const a = this.monitor.openAlerts().find((x) => x.id === id);
    if (a) await this.watcher.showEvidence(a);
  }

  mute(client: string): void {
    this.watcher.mute(client);
  }

  /** A command's kept output lines from..to (1-based), those still kept. */
  keptLines(from: number, to: number): string[] {
    const a = Math.max(from, this.keptFrom) - this.keptFrom;
    const b = Math.min(to, this.keptFrom + this.kept.length - 1) - this.keptFrom;
    return a > b ? [] : this.kept.slice(a, b + 1);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.refresh) clearInterval(this.refresh);
    this.follower?.stop();
    this.abort.abort();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      try {
        if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGTERM');
        else child.kill();
      } catch {
        child.kill();
      }
    }
    this.monitor.stop();
  }
}

export class AccessLogWatcher implements vscode.Disposable {
  private session?: Session;
  private requests?: LiveMonitor;
  private readonly status = vscode.window.createStatusBarItem('wooApiStudio.accessLogAlerts', vscode.StatusBarAlignment.Left, 40);
  private statusShown = false;
  /** What each notification said, newest last (the tests read it through the API). */
  readonly notifications: string[] = [];
  private notifiedAt: number[] = [];
  private held = 0;
  private heldTimer?: NodeJS.Timeout;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly reports: AccessLogReports,
    requestLog: RequestLog,
    readonly log: Log,
  ) {
    this.status.name = 'WooCommerce access-log alerts';
    this.status.command = 'wooApiStudio.showAccessLogAlerts';
    if (vscode.workspace.getConfiguration('wooApiStudio.requestLog').get<boolean>('detectors', true)) {
      // The detectors (and the access-log module) are loaded with the first exchange recorded.
      // The doctor's probes fail on purpose: they are not the developer's integration failing.
      this.disposables.push(requestLog.onDidRecord((e) => {
        if (e.source === 'doctor') return;
        const line = accessLogLineOf(e);
        if (line) this.requestDetectors().feedLine(line);
      }));
    }
  }

  private requestDetectors(): LiveMonitor {
    if (!this.requests) {
      const settings = accessLogSettings();
      this.requests = new (accessLogModule().LiveMonitor)({
        burstCount: settings.burstCount,
        burstWindowSeconds: settings.burstWindowSeconds,
        distinctKeys: settings.distinctKeys,
        format: REQUEST_LOG_FORMAT,
        onAlert: (a) => this.alerted(undefined, a),
      });
      this.requests.source(REQUEST_LOG_SOURCE);
    }
    return this.requests;
  }

  // ---- starting and stopping

  /** Starts watching a file or a command's output (asks which when not given). One watch at a time. */
  async watch(target?: Target): Promise<{ watching: string } | undefined> {
    if (target !== undefined && !(target instanceof vscode.Uri) && typeof (target as { command?: unknown }).command !== 'string') return undefined;
    const chosen = target ?? (await this.pick());
    if (!chosen) return undefined;
    if (!(chosen instanceof vscode.Uri)) {
      if (!(await requireTrust('run a command to follow a log'))) return undefined;
      // A command that comes as an argument was not typed here: the user confirms it first.
      if (target) {
        if (!(await confirmModal({ message: 'Run this command and watch its output as an access log?', detail: redactText(chosen.command), confirm: 'Run and Watch' }))) return undefined;
      }
      await this.context.globalState.update(LAST_COMMAND, chosen.command);
    } else if (chosen.scheme !== 'file') {
      void vscode.window.showErrorMessage('Access logs are followed on disk; save this one to a file first, or follow a command\'s output.');
      return undefined;
    }
    const rules = await readRulesSetting(this.log);
    if (!rules) return undefined;
    this.stop();
    const title = chosen instanceof vscode.Uri ? path.basename(chosen.fsPath) : redactText(chosen.command).slice(0, 80);
    const session = new Session(title, chosen instanceof vscode.Uri ? { file: chosen.fsPath } : { command: chosen.command }, rules, this);
    this.session = session;
    session.start();
    void vscode.commands.executeCommand('setContext', 'wooApiStudio.watchingAccessLog', true);
    this.log.info(`Watching ${chosen instanceof vscode.Uri ? chosen.fsPath : `the output of: ${redactText(chosen.command)}`}.`);
    this.reports.showLive(session);
    this.refreshStatus();
    return { watching: title };
  }

  private async pick(): Promise<Target | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    const last = this.context.globalState.get<string>(LAST_COMMAND);
    type Item = vscode.QuickPickItem & { choose: () => Promise<Target | undefined> };
    const items: Item[] = [];
    if (active?.scheme === 'file') items.push({ label: `$(file) ${path.basename(active.fsPath)}`, description: 'the file in the editor', choose: async () => active });
    items.push({ label: '$(folder-opened) A log file…', choose: async () => (await vscode.window.showOpenDialog({ title: 'Watch Access Log', canSelectMany: false, filters: { 'Access logs': ['log', 'txt', '1'], 'All files': ['*'] } }))?.[0] });
    items.push({
      label: '$(terminal) The output of a command…',
      description: vscode.workspace.isTrusted ? 'e.g. ssh shop tail -F /var/log/nginx/access.log' : 'not in Restricted Mode',
      choose: async () => {
        const command = await vscode.window.showInputBox({
          title: 'Watch Access Log: the command whose output to follow',
          prompt: 'It runs in a shell until you stop watching; its output is read as an access log.',
          placeHolder: 'ssh shop tail -F /var/log/nginx/access.log',
          value: last,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'Type the command to run.'),
        });
        return command?.trim() ? { command: command.trim() } : undefined;
      },
    });
    const picked = await vscode.window.showQuickPick(items, { title: 'Watch Access Log', placeHolder: 'What to watch' });
    return picked?.choose();
  }

  /** Stops the watch (its report stays, no longer live). True when one was running. */
  stop(): boolean {
    const s = this.session;
    if (!s) return false;
    this.session = undefined;
    s.stop();
    this.reports.endLive(s);
    void vscode.commands.executeCommand('setContext', 'wooApiStudio.watchingAccessLog', false);
    this.log.info(`Stopped watching ${s.title}.`);
    this.refreshStatus();
    return true;
  }

  /** The session ended by itself (the command exited, the file could not be read). */
  ended(s: Session): void {
    if (this.session === s) this.stop();
  }

  // ---- alerts

  /** An alert from a session (or, without one, from the request log). */
  alerted(s: Session | undefined, a: Alert): void {
    if (s && s !== this.session) return;
    this.log.info(`${s ? `Watch Access Log (${s.title})` : 'Request log'}: ${accessLogModule().formatAlert(a).trimEnd()}`);
    this.refreshStatus();
    if (s) this.reports.updateLive(s);
    if (a.event === 'raised') this.notify(s, a);
  }

  private notify(s: Session | undefined, a: Alert): void {
    if (!vscode.workspace.getConfiguration('wooApiStudio.accessLog').get<boolean>('notifications', true)) return;
    const now = Date.now();
    this.notifiedAt = this.notifiedAt.filter((t) => now - t < NOTIFY_WINDOW_MS);
    const text = `${s ? '' : 'Request log: '}${a.title} (${s ? accessLogModule().evidenceText(a, (f) => ('file' in s.target ? path.basename(f) : f)) : `${a.count} requests`}).`;
    this.notifications.push(text);
    if (this.notifications.length > 200) this.notifications.shift();
    if (this.notifiedAt.length >= NOTIFY_MAX) {
      // A flood (many clients at once): one summary instead of a notification each.
      this.held++;
      this.heldTimer ??= setTimeout(() => {
        const n = this.held;
        this.held = 0;
        this.heldTimer = undefined;
        void vscode.window.showWarningMessage(`${n} more access-log alert${n === 1 ? ' was' : 's were'} raised.`, 'Show alerts').then((c) => c && this.showAlerts());
      }, NOTIFY_WINDOW_MS);
      return;
    }
    this.notifiedAt.push(now);
    const show = a.severity === 'error' ? vscode.window.showErrorMessage : a.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(text, 'Show evidence', 'Mute this client for 1 hour').then((choice) => {
      if (choice === 'Show evidence') void this.showEvidence(a);
      else if (choice === 'Mute this client for 1 hour') this.mute(a.client);
    });
  }

  /** Mutes a client for an hour in the watch and the request log: its open alerts end, nothing new is raised. */
  mute(client: string): Alert[] {
    const until = Date.now() + MUTE_MS;
    const ended = [...(this.session?.monitor.mute(client, until) ?? []), ...(this.requests?.mute(client, until) ?? [])];
    this.log.info(`${client} muted for an hour${ended.length ? `; ${ended.length} open alert${ended.length === 1 ? '' : 's'} resolved` : ''}.`);
    this.refreshStatus();
    return ended;
  }

  /** Opens the alert's lines: the log at them, a command's kept output, or the request log. */
  async showEvidence(a: Alert): Promise<void> {
    if (a.first.source === REQUEST_LOG_SOURCE) {
      await vscode.commands.executeCommand('wooApiStudio.showRequestLog');
      return;
    }
    const s = this.session;
    if (!s) {
      void vscode.window.showInformationMessage(`Watching has stopped; the alert's lines were ${accessLogModule().evidenceText(a)}.`);
      return;
    }
    await this.openAt(s, a.first.source, a.first.line, a.first.source === a.last.source ? a.last.line : a.first.line, a);
  }

  /** Shows lines from..to of a source: the file (when it is on disk as text), or what a command printed. */
  async openAt(s: Session, source: string, from: number, to: number, a?: Alert): Promise<void> {
    if ('command' in s.target) {
      const lines = s.keptLines(from, to).slice(-500).map((l) => redactText(l));
      const head = a ? `# ${a.title}\n# ${a.message}\n# ${accessLogModule().evidenceText(a)}\n` : '';
      const body = lines.length ? lines.join('\n') : `(lines ${from} to ${to} of the command's output are no longer kept)`;
      const doc = await vscode.workspace.openTextDocument({ content: `${head}${body}\n`, language: 'log' });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
      return;
    }
    if (/\.gz$/i.test(source) || !fs.existsSync(source)) {
      void vscode.window.showInformationMessage(`The lines are in ${source}${/\.gz$/i.test(source) ? ', compressed' : ', which is no longer there'}: lines ${from} to ${to}.`);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(source));
    const last = Math.max(0, doc.lineCount - 1);
    const start = new vscode.Position(Math.min(from - 1, last), 0);
    const end = doc.lineAt(Math.min(to - 1, last)).range.end;
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(start, end) });
  }

  /** The open alerts (the watch's, then the request log's), for the status bar's list. */
  openAlerts(): Alert[] {
    return [...(this.session?.monitor.openAlerts() ?? []), ...(this.requests?.openAlerts() ?? [])];
  }

  async showAlerts(): Promise<void> {
    type Item = vscode.QuickPickItem & { run: () => unknown };
    const items: Item[] = this.openAlerts().map((a) => ({
      label: `${a.severity === 'error' ? '$(error)' : a.severity === 'warning' ? '$(warning)' : '$(info)'} ${a.title}`,
      description: a.first.source === REQUEST_LOG_SOURCE ? 'request log' : accessLogModule().evidenceText(a),
      detail: a.message,
      run: () => this.showEvidence(a),
    }));
    if (this.session) {
      items.push({ label: '$(graph) Show the live report', run: () => this.reports.showLive(this.session!) });
      items.push({ label: '$(debug-stop) Stop watching', description: this.session.title, run: () => this.stop() });
    }
    if (items.length === 0) {
      void vscode.window.showInformationMessage('No access-log alert is open.');
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'Access-log alerts', matchOnDescription: true, matchOnDetail: true });
    await picked?.run();
  }

  private refreshStatus(): void {
    const open = this.openAlerts().length;
    const s = this.session;
    if (!s && open === 0) {
      this.status.hide();
      this.statusShown = false;
      return;
    }
    this.status.text = open > 0 ? `$(shield) ${open} alert${open === 1 ? '' : 's'}` : `$(eye) Watching ${s!.title}`;
    this.status.tooltip = `${s ? `Watching ${s.title} for unauthorized use. ` : ''}${open ? `${open} open access-log alert${open === 1 ? '' : 's'}: click to see them.` : 'No open alert.'}`;
    this.status.backgroundColor = open > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.status.show();
    this.statusShown = true;
  }

  /** What the status bar item shows (undefined when hidden). */
  statusText(): string | undefined {
    return this.statusShown ? this.status.text : undefined;
  }

  /** What is watched (undefined when nothing is). */
  watching(): string | undefined {
    return this.session?.title;
  }

  dispose(): void {
    this.stop();
    this.requests?.stop();
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.status.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * The rules file named by `wooApiStudio.accessLog.rulesFile` (relative: to the first workspace
 * folder): {} without one, undefined when it cannot be used (the user is told where, by line).
 */
export async function readRulesSetting(log: Log): Promise<MonitorRules | undefined> {
  const setting = vscode.workspace.getConfiguration('wooApiStudio.accessLog').get<string>('rulesFile', '').trim();
  if (!setting) return {};
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const file = path.isAbsolute(setting) || !root ? setting : path.join(root, setting);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    void vscode.window.showErrorMessage(`The rules file ${file} (wooApiStudio.accessLog.rulesFile) cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
    return undefined;
  }
  try {
    return accessLogModule().parseRules(text, path.basename(file));
  } catch (err) {
    if (!(err instanceof accessLogModule().RulesError)) throw err;
    for (const p of err.problems) log.warn(`${file}:${p.line}: ${p.message}`);
    const first = err.problems[0];
    void vscode.window.showErrorMessage(`The rules file has ${err.problems.length === 1 ? 'a mistake' : `${err.problems.length} mistakes`}, so it was not used. Line ${first.line}: ${first.message}`, 'Open Rules File').then(async (c) => {
      if (!c) return;
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const pos = new vscode.Position(first.line - 1, 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
    });
    return undefined;
  }
}
