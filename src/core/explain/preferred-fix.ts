// Which fix a quick-fix menu (or a fix button, or the doctor's notification) preselects. A fix
// that changes a store's settings is preselected only when the cause is certain: when the explainer
// is not sure (the top finding is "likely" or "possible", or two causes are certain), the doctor,
// which probes and proves, is the preselected one, and the store-changing fixes stay in the list.
//
// Pure: no `vscode`, no I/O.
import type { Finding } from './explain';
import type { FixId } from './causes';

/** Fixes that change a store's settings without asking anything more (the credential wizards ask). */
export const STORE_CHANGING_FIXES: ReadonlySet<FixId> = new Set<FixId>([
  'switch-to-oauth1', 'switch-to-query-auth', 'switch-to-basic-auth', 'switch-signature-method', 'sign-with-home-url', 'use-home-url', 'use-https',
]);

/** True when more than one cause could explain the answer, or the top one is not proven. */
export function isAmbiguous(findings: readonly Pick<Finding, 'confidence'>[]): boolean {
  if (findings.length === 0) return false;
  return findings[0].confidence !== 'certain' || findings.filter((f) => f.confidence === 'certain').length > 1;
}

/** Where the preselected fix is: the finding's and the fix's index; undefined when none should be. */
export function preferredFix(findings: readonly Pick<Finding, 'confidence' | 'fixes'>[]): { finding: number; fix: number } | undefined {
  if (findings.length === 0) return undefined;
  const top = findings[0].fixes;
  const chosen = top.findIndex((x) => x.preferred);
  const candidate = chosen >= 0 ? chosen : top.length ? 0 : -1;
  if (candidate >= 0 && !(isAmbiguous(findings) && STORE_CHANGING_FIXES.has(top[candidate].id))) return { finding: 0, fix: candidate };
  // Ambiguous and the first choice would change the store: the doctor, wherever it is listed.
  for (let fi = 0; fi < findings.length; fi++) {
    const i = findings[fi].fixes.findIndex((x) => x.id === 'run-doctor');
    if (i >= 0) return { finding: fi, fix: i };
  }
  return undefined;
}
