/**
 * What reading objective definitions reports (docs/objectives.md, "Findings"): the same shape as
 * the mapping's Finding (file, line, column, severity, code), so `budget-lens lint`, `slo lint`
 * and the editor's Problems view print them like any other finding. Nothing is dropped silently:
 * a document, objective or field Budget Lens does not evaluate is an error that names it.
 */
import type { SourceLocation } from '../contract/errors';

export type ObjectiveFindingCode =
  /** Breaks OpenSLO v1 (the rules of OpenSLO's go-sdk) or the native form: refused. */
  | 'objective_invalid'
  /** Valid OpenSLO that Budget Lens does not evaluate (a composite SLO, a rolling window in months...): refused, named. */
  | 'objective_unsupported'
  /** A reference (indicatorRef, metricSourceRef, alertPolicyRef, conditionRef, targetRef) that names no document. */
  | 'objective_unresolved'
  /** Two documents of one kind, or two objectives, with one name. */
  | 'objective_duplicate'
  /** `objectives.files` in .budgetlens.yml: a pattern matching no file, a file that cannot be read. */
  | 'objective_files'
  /** A choice made for the reader, said out loud: the project window used for an SLO without timeWindow, a window in minutes. */
  | 'objective_note';

export interface ObjectiveFinding {
  code: ObjectiveFindingCode;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  line: number;
  column: number;
}

export function objectiveFinding(
  code: ObjectiveFindingCode,
  severity: ObjectiveFinding['severity'],
  message: string,
  at: SourceLocation,
): ObjectiveFinding {
  return { code, severity, message, file: at.file, line: at.line, column: at.column };
}

/** `file:line:col: severity: message [code]`, as `budget-lens lint` prints a finding. */
export function formatObjectiveFinding(f: ObjectiveFinding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.code}]`;
}

export function sortFindings<T extends { file: string; line: number; column: number }>(findings: T[]): T[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column);
}
