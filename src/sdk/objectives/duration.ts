/**
 * OpenSLO's duration shorthand (docs/objectives.md, "Durations"): a positive whole number and one
 * case-sensitive unit: m minutes, h hours, d days, w weeks, M months, Q quarters, Y years.
 * `30m` is thirty minutes and `1M` one month: the one letter apart is the classic mistake, so the
 * messages spell the unit out.
 */

export type DurationUnit = 'm' | 'h' | 'd' | 'w' | 'M' | 'Q' | 'Y';

export interface Duration {
  count: number;
  unit: DurationUnit;
  /** As written: "28d". */
  label: string;
}

const SHORTHAND = /^([1-9][0-9]{0,5})([mhdwMQY])$/;

/** Fixed lengths in minutes; months, quarters and years have none. */
export const FIXED_UNIT_MINUTES: Readonly<Partial<Record<DurationUnit, number>>> = { m: 1, h: 60, d: 1440, w: 10080 };

/** The shortest a calendar unit can be, in minutes (February; a 90-day quarter Jan-Mar of a common year; a common year). */
export const SHORTEST_UNIT_MINUTES: Readonly<Record<DurationUnit, number>> = {
  m: 1,
  h: 60,
  d: 1440,
  w: 10080,
  M: 28 * 1440,
  Q: 90 * 1440,
  Y: 365 * 1440,
};

export const UNIT_NAMES: Readonly<Record<DurationUnit, string>> = {
  m: 'minutes',
  h: 'hours',
  d: 'days',
  w: 'weeks',
  M: 'months',
  Q: 'quarters',
  Y: 'years',
};

/** "28d" -> { count: 28, unit: 'd' }; undefined for anything else ("28 d", "0d", "1.5h", "28D"). */
export function parseDuration(text: string): Duration | undefined {
  const m = SHORTHAND.exec(text);
  if (!m) return undefined;
  return { count: Number(m[1]), unit: m[2] as DurationUnit, label: text };
}

/** The length in minutes of a duration in m, h, d or w; undefined for M, Q and Y. */
export function fixedMinutes(d: Duration): number | undefined {
  const per = FIXED_UNIT_MINUTES[d.unit];
  return per === undefined ? undefined : d.count * per;
}

/** The shortest length the duration can have, in minutes (a month counts 28 days). */
export function shortestMinutes(d: Duration): number {
  return d.count * SHORTEST_UNIT_MINUTES[d.unit];
}

/** "28m (28 minutes)": a duration with its unit spelt out. */
export function spelled(d: Duration): string {
  return `${d.label} (${d.count} ${d.count === 1 ? UNIT_NAMES[d.unit].slice(0, -1) : UNIT_NAMES[d.unit]})`;
}

export const DURATION_HINT = 'a positive whole number and one unit: m (minutes), h, d, w, M (months), Q or Y, e.g. 28d, 4w, 1M';
