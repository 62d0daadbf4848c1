/**
 * What an objective's query text means, whatever backend counts it (issue 13, docs/objectives.md
 * "Prometheus" and "The embedded store"): the counter selectors users write in `spec.query`
 * (`x_total{job="a"}`, `sum(selector)` / `sum by (...) (selector)`, terms joined by `+` and `-`),
 * classic-histogram buckets matched on `le` numerically (bucketMatcherFor: a threshold that is
 * not a bound is refused with the nearest bounds), and the per-slice percentile
 * `histogram_quantile(q, sum by (le) (rate(x_bucket[5m])))`. Pure; the Prometheus source turns
 * these into PromQL (sources/objectiveQueries.ts), the store sums its own rows for them.
 */
import { ExactDecimal } from '../budget/exactDecimal';

/** A refused objective query: the message says what to write instead. */
export class ObjectiveQueryError extends Error {
  override readonly name = 'ObjectiveQueryError';
  constructor(
    message: string,
    readonly code: 'unsupported_query' | 'not_a_bucket_bound' | 'no_histogram' | 'unsupported_sli',
  ) {
    super(message);
  }
}

export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  /** The value, unescaped. */
  value: string;
}

/** A PromQL instant-vector selector: `name{matchers}`. */
export interface Selector {
  metric: string;
  matchers: LabelMatcher[];
}

/** One term of a counter expression: a selector, summed (any `by`/`without` is dropped: the SLI is one number). */
export interface CounterTerm {
  sign: 1 | -1;
  selector: Selector;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}
  ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  peek(): string {
    this.ws();
    return this.text[this.pos] ?? '';
  }
  eat(s: string): boolean {
    this.ws();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
  match(re: RegExp): string | undefined {
    this.ws();
    const m = re.exec(this.text.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }
  done(): boolean {
    this.ws();
    return this.pos >= this.text.length;
  }
  string(): string | undefined {
    this.ws();
    const q = this.text[this.pos];
    if (q !== '"' && q !== "'" && q !== '`') return undefined;
    let out = '';
    let i = this.pos + 1;
    while (i < this.text.length && this.text[i] !== q) {
      if (this.text[i] === '\\' && q !== '`') {
        const n = this.text[i + 1];
        out += n === 'n' ? '\n' : n === 't' ? '\t' : (n ?? '');
        i += 2;
      } else out += this.text[i++];
    }
    if (i >= this.text.length) return undefined;
    this.pos = i + 1;
    return out;
  }
}

function readSelector(r: Reader): Selector | undefined {
  const metric = r.match(NAME) ?? '';
  const matchers: LabelMatcher[] = [];
  if (r.eat('{')) {
    while (!r.eat('}')) {
      const name = r.match(LABEL);
      const op = r.match(/^(=~|!~|!=|=)/) as LabelMatcher['op'] | undefined;
      const value = r.string();
      if (name === undefined || op === undefined || value === undefined) return undefined;
      matchers.push({ name, op, value });
      if (!r.eat(',') && r.peek() !== '}') return undefined;
    }
  }
  const named = matchers.find((m) => m.name === '__name__' && m.op === '=');
  if (metric === '' && named === undefined) return undefined;
  if (metric === '') return { metric: named!.value, matchers: matchers.filter((m) => m !== named) };
  if (metric === 'sum' || metric === 'by' || metric === 'without') return undefined;
  return { metric, matchers };
}

function readGrouping(r: Reader): boolean {
  const save = r.pos;
  if (r.match(/^(by|without)\b/) === undefined) return true;
  if (!r.eat('(')) return false;
  while (!r.eat(')')) {
    if (r.match(LABEL) === undefined) return false;
    if (!r.eat(',') && r.peek() !== ')') return false;
  }
  return save !== r.pos;
}

function readTerm(r: Reader): Selector | undefined {
  const save = r.pos;
  if (r.match(/^sum\b/) !== undefined) {
    if (!readGrouping(r)) return undefined;
    if (!r.eat('(')) return undefined;
    const sel = readSelector(r);
    if (sel === undefined || !r.eat(')')) return undefined;
    if (!readGrouping(r)) return undefined;
    return sel;
  }
  r.pos = save;
  return readSelector(r);
}

/**
 * The terms of a counter query as written, or undefined when it is not a sum of selectors
 * (a rate, a subquery, a division, an offset...).
 */
export function parseCounterExpression(query: string): CounterTerm[] | undefined {
  const r = new Reader(query);
  const terms: CounterTerm[] = [];
  let sign: 1 | -1 = 1;
  for (;;) {
    const sel = readTerm(r);
    if (sel === undefined) return undefined;
    terms.push({ sign, selector: sel });
    if (r.done()) return terms;
    if (r.eat('+')) sign = 1;
    else if (r.eat('-')) sign = -1;
    else return undefined;
  }
}

/** A single selector, bare or inside sum(...), or undefined. */
export function parseSelector(query: string): Selector | undefined {
  const terms = parseCounterExpression(query);
  return terms !== undefined && terms.length === 1 && terms[0]!.sign === 1 ? terms[0]!.selector : undefined;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** `name{a="b",le="16"}` (no braces without matchers). */
export function formatSelector(sel: Selector): string {
  if (sel.matchers.length === 0) return sel.metric;
  return `${sel.metric}{${sel.matchers.map((m) => `${m.name}${m.op}${quote(m.value)}`).join(',')}}`;
}

/** The counter terms of a query, or an ObjectiveQueryError saying what to write. */
export function counterTermsOf(query: string, what: string): CounterTerm[] {
  const terms = parseCounterExpression(query);
  if (terms === undefined) {
    throw new ObjectiveQueryError(
      `${what}: "${query}" is not a counter selector: write the counter itself (x_total{job="a"}, sum(x_total), or such terms joined by + and -), not a rate or an expression; Budget Lens applies increase() over the window`,
      'unsupported_query',
    );
  }
  return terms;
}

// ---------------------------------------------------------------------------------------------
// Classic histograms

/** `x_bucket` -> `x`; `x` -> `x`. */
export function histogramBase(metric: string): string {
  return metric.endsWith('_bucket') ? metric.slice(0, -'_bucket'.length) : metric;
}

function parseBound(le: string): ExactDecimal | 'inf' | undefined {
  const t = le.trim();
  if (/^\+?inf$/i.test(t)) return 'inf';
  const n = Number(t);
  if (!Number.isFinite(n)) return undefined;
  try {
    return new ExactDecimal(t);
  } catch {
    return new ExactDecimal(String(n));
  }
}

function regexEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `le` written any way that equals `threshold` numerically: one stored spelling `le="16"`, several `le=~"16|16\\.0"`. */
export function leMatcher(stored: readonly string[]): LabelMatcher {
  const unique = [...new Set(stored)].sort();
  if (unique.length === 1) return { name: 'le', op: '=', value: unique[0]! };
  return { name: 'le', op: '=~', value: unique.map(regexEscape).join('|') };
}

function boundText(b: ExactDecimal): string {
  return b.toFixed();
}

/**
 * The `le` matcher for `threshold` among the stored bucket bounds (the `le` values the server
 * answered), or ObjectiveQueryError: no buckets at all, or "120 s is not a bucket bound of x;
 * nearest: 64, 128" (s when the metric is in seconds).
 */
export function bucketMatcherFor(base: string, threshold: string, storedLe: readonly string[]): LabelMatcher {
  if (storedLe.length === 0) {
    throw new ObjectiveQueryError(`no ${base}_bucket series in the window: the threshold needs a classic histogram (x_bucket{le=...}, x_count)`, 'no_histogram');
  }
  let t: ExactDecimal;
  try {
    t = new ExactDecimal(threshold.trim());
  } catch {
    throw new ObjectiveQueryError(`threshold "${threshold}" is not a number`, 'not_a_bucket_bound');
  }
  const finite: Array<{ le: string; bound: ExactDecimal }> = [];
  for (const le of storedLe) {
    const b = parseBound(le);
    if (b !== undefined && b !== 'inf') finite.push({ le, bound: b });
  }
  const same = finite.filter((f) => f.bound.eq(t)).map((f) => f.le);
  if (same.length > 0) return leMatcher(same);
  const sorted = [...new Map(finite.map((f) => [boundText(f.bound), f.bound])).values()].sort((a, b) => a.cmp(b));
  const below = sorted.filter((b) => b.lt(t)).pop();
  const above = sorted.find((b) => b.gt(t));
  const nearest = [below === undefined ? undefined : boundText(below), above === undefined ? '+Inf' : boundText(above)].filter((x) => x !== undefined);
  const unit = base.endsWith('_seconds') ? ' s' : '';
  throw new ObjectiveQueryError(`${t.toFixed()}${unit} is not a bucket bound of ${base}; nearest: ${nearest.join(', ')}`, 'not_a_bucket_bound');
}

/** The `le` of a bucket selector written `le="16"`, if any. */
export function writtenLe(sel: Selector): string | undefined {
  const m = sel.matchers.find((x) => x.name === 'le' && x.op === '=');
  return m?.value;
}

/** The selector with its `le` matcher replaced. */
export function withLe(sel: Selector, le: LabelMatcher): Selector {
  return { metric: sel.metric, matchers: [...sel.matchers.filter((m) => m.name !== 'le'), le] };
}

/** A classic histogram's bucket ratio parts: bucket `le` and `_count`, same other matchers. */
export function histogramParts(base: string, matchers: readonly LabelMatcher[], le: LabelMatcher): { bucket: Selector; count: Selector } {
  const others = matchers.filter((m) => m.name !== 'le');
  return { bucket: { metric: `${base}_bucket`, matchers: [...others, le] }, count: { metric: `${base}_count`, matchers: [...others] } };
}

/** PromQL duration of whole minutes: 40320 -> 28d, 60 -> 1h, 90 -> 90m. */
export function promDuration(minutes: number): string {
  if (!Number.isSafeInteger(minutes) || minutes <= 0) throw new RangeError(`a window of ${minutes} minutes`);
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}


/** A per-slice percentile over a classic histogram: `histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))`. */
export interface QuantileQuery {
  /** The quantile in [0, 1], as written. */
  quantile: number;
  /** The histogram's base name (`x` for `x_bucket`) and its matchers other than `le`. */
  base: string;
  matchers: LabelMatcher[];
  /** The rate's range in minutes (5 for `[5m]`). */
  rangeMinutes: number;
}

const QUANTILE = /^\s*histogram_quantile\s*\(\s*([0-9]*\.?[0-9]+)\s*,\s*sum\s*(?:by\s*\(\s*le\s*\)\s*)?\(\s*(?:rate|increase)\s*\(\s*([^[\]]+?)\s*\[\s*(\d+)([smhd])\s*\]\s*\)\s*\)\s*(?:by\s*\(\s*le\s*\)\s*)?\)\s*$/;

/**
 * `histogram_quantile(q, sum by (le) (rate(x_bucket{...}[R])))` read as its parts, or undefined
 * for any other text. R is a whole number of minutes (`30s` is refused: undefined).
 */
export function parseQuantileQuery(query: string): QuantileQuery | undefined {
  const m = QUANTILE.exec(query);
  if (!m) return undefined;
  const quantile = Number(m[1]);
  const sel = parseSelector(m[2]!);
  if (sel === undefined || !sel.metric.endsWith('_bucket') || !(quantile >= 0 && quantile <= 1)) return undefined;
  const n = Number(m[3]);
  const unit = m[4]!;
  const seconds = unit === 's' ? n : unit === 'm' ? n * 60 : unit === 'h' ? n * 3600 : n * 86400;
  if (seconds <= 0 || seconds % 60 !== 0) return undefined;
  return { quantile, base: histogramBase(sel.metric), matchers: sel.matchers.filter((x) => x.name !== 'le'), rangeMinutes: seconds / 60 };
}

/**
 * A raw per-slice ratio of two counter rates (OpenSLO `ratioMetric.raw`): each side one or more
 * `rate(x[R])` / `increase(x[R])` terms, bare or in `sum(...)` / `sum by (...) (...)`, joined by
 * `+` and `-`, the sides in parentheses or not, every R the same:
 * `sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))`.
 */
export interface RatioQuery {
  numerator: CounterTerm[];
  denominator: CounterTerm[];
  /** The rates' range in minutes (5 for `[5m]`). */
  rangeMinutes: number;
}

const DURATION_MINUTES: Record<string, number> = { s: 1 / 60, m: 1, h: 60, d: 1440 };

/** `rate(x[R])` or `increase(x[R])`, bare or in sum(...): the selector and R in minutes. */
function readRateTerm(r: Reader): { selector: Selector; minutes: number } | undefined {
  const save = r.pos;
  if (r.match(/^sum\b/) !== undefined) {
    if (!readGrouping(r) || !r.eat('(')) return undefined;
    const inner = readRateTerm(r);
    if (inner === undefined || !r.eat(')') || !readGrouping(r)) return undefined;
    return inner;
  }
  r.pos = save;
  if (r.match(/^(?:rate|increase)\b/) === undefined || !r.eat('(')) return undefined;
  const selector = readSelector(r);
  if (selector === undefined || !r.eat('[')) return undefined;
  const d = r.match(/^\d+[smhd]/);
  if (d === undefined || !r.eat(']') || !r.eat(')')) return undefined;
  const minutes = Number(d.slice(0, -1)) * DURATION_MINUTES[d.slice(-1)]!;
  return Number.isInteger(minutes) && minutes > 0 ? { selector, minutes } : undefined;
}

/** One side of a ratio: rate terms joined by + and -, optionally in parentheses. */
function readRateSide(r: Reader, minutes: Set<number>): CounterTerm[] | undefined {
  if (r.peek() === '(') {
    r.eat('(');
    const inner = readRateSide(r, minutes);
    return inner !== undefined && r.eat(')') ? inner : undefined;
  }
  const terms: CounterTerm[] = [];
  let sign: 1 | -1 = 1;
  for (;;) {
    const t = readRateTerm(r);
    if (t === undefined) return undefined;
    minutes.add(t.minutes);
    terms.push({ sign, selector: t.selector });
    const next = r.peek();
    if (next === '+' || next === '-') {
      r.eat(next);
      sign = next === '+' ? 1 : -1;
    } else return terms;
  }
}

/** The raw ratio's parts, or undefined for any other text (a subquery, an offset, mixed ranges...). */
export function parseRatioQuery(query: string): RatioQuery | undefined {
  const r = new Reader(query);
  const minutes = new Set<number>();
  const numerator = readRateSide(r, minutes);
  if (numerator === undefined || !r.eat('/')) return undefined;
  const denominator = readRateSide(r, minutes);
  if (denominator === undefined || !r.done() || minutes.size !== 1) return undefined;
  return { numerator, denominator, rangeMinutes: [...minutes][0]! };
}
