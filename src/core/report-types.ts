// The Explain and Doctor reports' data, as plain types shared by the extension (report-view.ts
// builds them) and the webview page (media/report.ts renders them), which must not import anything
// that needs Node.

export interface ReportFixView { title: string; preferred: boolean; snippet?: string; where?: string }
export interface ReportFindingView { title: string; confidence: 'certain' | 'likely' | 'possible'; explanation: string; evidence: string[]; fixes: ReportFixView[] }
export interface ReportView {
  kind: 'explain' | 'doctor';
  heading: string;
  /** One line under the heading (the store, its address and method, when). */
  meta?: string;
  verdict?: { healthy: boolean; text: string };
  /** Sentences worth their own paragraph (several causes fit; a probe left out; cancelled). */
  notes: string[];
  probes?: { title: string; request: string; answer: string; outcome: string; result: string }[];
  findings: ReportFindingView[];
}
