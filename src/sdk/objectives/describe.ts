/** Plain-text wording of an ObjectiveSpec for listings (`budget-lens slo list`). */
import { targetPercentText } from './figuresText';
import type { ObjectiveSpec } from './spec';

/** "0.998" -> "99.8 %". */
export function objectiveTargetText(spec: Pick<ObjectiveSpec, 'target'>): string {
  return targetPercentText(spec.target);
}

/** "rolling 28d", "calendar 1M from 2026-01-01T00:00:00 Europe/Berlin". */
export function objectiveWindowText(spec: Pick<ObjectiveSpec, 'window'>): string {
  const w = spec.window;
  return w.kind === 'rolling' ? `rolling ${w.label}` : `calendar ${w.label} from ${w.startTime} ${w.timeZone}`;
}

/** "Occurrences", "Timeslices 5m ≥ 0.95", "RatioTimeslices 10m". */
export function objectiveMethodText(spec: Pick<ObjectiveSpec, 'budgetingMethod' | 'timeSliceWindowMinutes' | 'timeSliceTarget'>): string {
  if (spec.budgetingMethod === 'Occurrences') return 'Occurrences';
  const slice = spec.timeSliceWindowMinutes === undefined ? '' : ` ${spec.timeSliceWindowMinutes}m slices`;
  const target = spec.timeSliceTarget === undefined ? '' : ` (slice target ${spec.timeSliceTarget})`;
  return `${spec.budgetingMethod}${slice}${target}`;
}

/** "ratio good/total", "ratio raw (failure)", "threshold lt 0.1". */
export function objectiveSliText(spec: Pick<ObjectiveSpec, 'sli'>): string {
  const s = spec.sli;
  if (s.kind === 'threshold') return `threshold ${s.op} ${s.threshold}`;
  return s.form === 'raw' ? `ratio raw (${s.rawType ?? 'success'})` : `ratio ${s.form}/total`;
}
