// "WooCommerce: Analyze Access Log": reads an Apache or nginx access log (plain or gzip, streamed,
// with progress and Cancel), puts the findings as diagnostics on the offending log lines when the
// file fits in the editor, and shows a report: 2xx vs 401 vs 403 over time, top offenders with links
// to their lines, the findings; exportable as Markdown. A log being watched (access-log-watch.ts)
// shows the same report, updated live, with its open alerts. The report panel is a bundle of its own
// (access-log-report-panel.ts), loaded with the first report; here are what activation and the
// request log's detectors need: the settings, the analyser's loader, the panel's handle.
import * as vscode from 'vscode';
import type * as AccessLogModule from './core/access-log';
import type { AccessLogReport, Alert, AccessLogOptions, MonitorRules } from './core/access-log';
import { lazily } from './core/lazy';
import type * as ReportPanelModule from './access-log-report-panel';
import type { Log } from './log';

/** The access-log parser and analyser, read on first use (see core/lazy.ts); watching shares it. */
export const accessLogModule = lazily(() => require('./core/access-log') as typeof AccessLogModule, 'the access-log analyser');
const reportPanel = lazily(() => require('./access-log-report-panel') as typeof ReportPanelModule, 'the access-log report');

/** A log being watched, as its live report sees it. */
export interface LiveReportSource {
  /** The tab's and the page's title (the file or the command). */
  title: string;
  report(): AccessLogReport;
  alerts(): Alert[];
  /** Opens the report's line (its global number while watching). */
  openLine(line: number): Promise<void>;
  evidence(id: string): Promise<void>;
  mute(client: string): void;
}

/** The access-log settings as analyzer options (the rules file's, when one is named, over the settings' thresholds). */
export function accessLogSettings(rules: MonitorRules = {}): AccessLogOptions {
  const settings = vscode.workspace.getConfiguration('wooApiStudio.accessLog');
  return {
    format: settings.get<string>('format') || undefined,
    assumeScheme: (settings.get<string>('assumeScheme') || undefined) as 'http' | 'https' | undefined,
    burstCount: settings.get<number>('burstCount'),
    burstWindowSeconds: settings.get<number>('burstWindowSeconds'),
    distinctKeys: settings.get<number>('distinctKeys'),
    ...rules,
  };
}

/**
 * The access-log reports: the panel (and its diagnostics) is made at the first report, from its
 * bundle; until then nothing is loaded and there is nothing to update or export.
 */
export class AccessLogReports implements vscode.Disposable {
  private panel: ReportPanelModule.AccessLogReportPanel | undefined;

  /** `rules` reads the rules file the settings name (undefined: it has a mistake, already said). */
  constructor(private readonly context: vscode.ExtensionContext, private readonly log: Log, private readonly rules: () => Promise<MonitorRules | undefined> = async () => ({})) {}

  /** The panel, made on first use; undefined (the reason shown) when its bundle cannot be loaded. */
  private opened(): ReportPanelModule.AccessLogReportPanel | undefined {
    try {
      this.panel ??= new (reportPanel().AccessLogReportPanel)(this.context, this.log, this.rules);
    } catch (err) {
      void vscode.window.showErrorMessage((err as Error).message);
    }
    return this.panel;
  }

  async analyze(target?: vscode.Uri, options?: { quiet?: boolean }): Promise<AccessLogReport | undefined> {
    return this.opened()?.analyze(target, options);
  }

  /** Shows a watched log's report, live: `updateLive()` refreshes it. */
  showLive(source: LiveReportSource): void {
    this.opened()?.showLive(source);
  }

  updateLive(source: LiveReportSource): void {
    this.panel?.updateLive(source);
  }

  /** The watch stopped: its report stays, no longer live. */
  endLive(source: LiveReportSource): void {
    this.panel?.endLive(source);
  }

  /** The report shown, as Markdown (undefined when none is shown). */
  async exportMarkdown(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    return this.panel?.exportMarkdown(target);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

