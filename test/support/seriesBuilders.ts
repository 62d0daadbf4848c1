/**
 * Typed builders for time series that tests load into a real Prometheus (OpenMetrics backfill) or
 * VictoriaMetrics (Prometheus text import with millisecond timestamps), so test data is built
 * from numbers, not pasted text.
 */

export interface Series {
  name: string;
  labels: Record<string, string>;
  /** [unix seconds, value], strictly increasing in time. */
  samples: Array<[number, number]>;
}

/** Unix seconds of an ISO instant. */
export function unix(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO time: ${iso}`);
  return ms / 1000;
}

/** A series sampled every `stepS` seconds from `fromS` while t <= `toS`, value from `valueAt(t)`. */
export function sampledSeries(
  name: string,
  labels: Record<string, string>,
  fromS: number,
  toS: number,
  stepS: number,
  valueAt: (t: number) => number,
): Series {
  const samples: Array<[number, number]> = [];
  for (let t = fromS; t <= toS; t += stepS) samples.push([t, valueAt(t)]);
  return { name, labels, samples };
}

/** A constant-1 info series, like GitLab's mapping and ignored-component series. */
export function infoSeries(name: string, labels: Record<string, string>, fromS: number, toS: number, stepS: number): Series {
  return sampledSeries(name, labels, fromS, toS, stepS, () => 1);
}

/**
 * A counter from per-step increments; `resetsAt` lists sample indexes where the process restarted
 * (the counter drops to that step's increment, as a fresh process would report).
 */
export function counterSeries(
  name: string,
  labels: Record<string, string>,
  fromS: number,
  stepS: number,
  increments: readonly number[],
  opts: { initial?: number; resetsAt?: readonly number[] } = {},
): Series {
  const resets = new Set(opts.resetsAt ?? []);
  let v = opts.initial ?? 0;
  const samples: Array<[number, number]> = [[fromS, v]];
  increments.forEach((inc, i) => {
    v = resets.has(i + 1) ? inc : v + inc;
    samples.push([fromS + (i + 1) * stepS, v]);
  });
  return { name, labels, samples };
}

/** domain.md F14: sum of (v_i >= v_{i-1} ? v_i - v_{i-1} : v_i) over the samples with fromS <= t <= toS. */
export function counterDelta(series: Series, fromS: number, toS: number): number {
  const vs = series.samples.filter(([t]) => t >= fromS && t <= toS).map(([, v]) => v);
  let sum = 0;
  for (let i = 1; i < vs.length; i++) sum += vs[i]! >= vs[i - 1]! ? vs[i]! - vs[i - 1]! : vs[i]!;
  return sum;
}

function labelText(labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * OpenMetrics for `promtool tsdb create-blocks-from openmetrics`: one `# TYPE … gauge` family per
 * metric name (families contiguous), samples in time order, `# EOF` last. Everything is typed
 * gauge: PromQL does not care, and OpenMetrics counters would force a `_total` naming scheme.
 */
export function toOpenMetrics(series: readonly Series[]): string {
  const byName = new Map<string, Series[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const out: string[] = [];
  for (const [name, list] of byName) {
    out.push(`# TYPE ${name} gauge`);
    for (const s of list) {
      const head = name + labelText(s.labels);
      for (const [t, v] of s.samples) out.push(`${head} ${formatValue(v)} ${t}`);
    }
  }
  out.push('# EOF', '');
  return out.join('\n');
}

/** Prometheus text lines with millisecond timestamps for VictoriaMetrics' /api/v1/import/prometheus. */
export function toPrometheusImport(series: readonly Series[]): string {
  const out: string[] = [];
  for (const s of series) {
    const head = s.name + labelText(s.labels);
    for (const [t, v] of s.samples) out.push(`${head} ${formatValue(v)} ${Math.round(t * 1000)}`);
  }
  out.push('');
  return out.join('\n');
}
