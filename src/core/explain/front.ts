// The explainer's front door. Most answers are plain successes with nothing to explain: those are
// told apart here, and the explainer itself (explain.ts with its cause catalogue, a tenth of the
// extension) is read with the first answer that needs it (see core/lazy.ts).
import type * as ExplainModule from './explain';
import type { ExplainInput, Finding } from './explain';
import { lazily } from '../lazy';
import { plainSuccess } from './plain-success';

const explainer = lazily(() => require('./explain') as typeof ExplainModule);

/** explain.ts's explainExchange: findings ranked by likelihood, none for a plain success. */
export function explainExchange(input: ExplainInput): Finding[] {
  if (input.exchange.response && plainSuccess(input.exchange)) return [];
  return explainer().explainExchange(input);
}

/** The cause catalogue's title for a cause id (undefined for an id it does not know). */
export function causeTitle(id: string): string | undefined {
  return explainer().causeTitle(id);
}

/** explain.ts's summarize: a one-line diagnostic message for the findings (empty when there are none). */
export function summarize(findings: readonly Finding[]): string {
  return findings.length === 0 ? '' : explainer().summarize(findings);
}
