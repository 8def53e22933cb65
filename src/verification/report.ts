/** Building blocks of a report: one constructor per outcome, and the verdict over all checks. */
import type {Check, CheckId} from './types.js';

/** A check that was done and succeeded. */
export function pass(id: CheckId, code: string, message: string): Check {
  return {id, passed: true, code, message};
}

/** A check that was done and failed; an `error` makes the credential unverified. */
export function fail(id: CheckId, code: string, message: string, details?: string[]): Check {
  return {id, passed: false, severity: 'error', code, message, ...(details?.length ? {details} : {})};
}

/** A check that did not pass but does not make the credential unverified. */
export function warn(id: CheckId, code: string, message: string): Check {
  return {id, passed: false, severity: 'warning', code, message};
}

/** A check that was not done. */
export function skip(id: CheckId, code: string, message: string): Check {
  return {id, passed: false, skipped: true, code, message};
}

/** The check ids after a fatal failure, reported as skipped with the reason. */
export function skipAll(ids: readonly CheckId[], reason: string): Check[] {
  return ids.map(id => skip(id, 'skipped-after-failure', `Not checked: ${reason}`));
}

/**
 * The verdict: true only when every check that was done passed, warnings aside, and none of the
 * essential checks was skipped.
 */
export function isVerified(checks: Check[], essential: readonly CheckId[]): boolean {
  return checks.every(check => check.passed || check.severity === 'warning' ||
    (check.skipped === true && !essential.includes(check.id)));
}
