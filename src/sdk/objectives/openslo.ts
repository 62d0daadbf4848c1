/**
 * OpenSLO v1 documents -> ObjectiveSpec (docs/objectives.md). Every file may hold several
 * `---`-separated documents of any kind; references (indicatorRef, metricSourceRef,
 * alertPolicyRef, conditionRef, targetRef) resolve across all the files read together.
 *
 * Three passes: (1) every document's header (apiVersion openslo/v1, a known kind) and shape (the
 * JSON Schema of its kind, opensloSchema.ts); (2) names: one document per kind and name; (3) each
 * SLO checked by the go-sdk's rules plus what Budget Lens needs, and turned into one ObjectiveSpec
 * per objective. Every problem is a finding at file:line:col; nothing is dropped silently.
 */
import type { YamlPath, YamlSource } from '../yaml/yamlSource';
import { formatPath, locatePath, parseYamlDocuments, scalarSource } from '../yaml/yamlSource';
import { validateYamlSource } from '../yaml/schemaErrors';
import { ExactDecimal } from '../budget/exactDecimal';
import { dateRejection } from '../budget/saneTime';
import { parseWindow } from '../budget/window';
import type { ObjectiveFinding, ObjectiveFindingCode } from './findings';
import { objectiveFinding, sortFindings } from './findings';
import { DURATION_HINT, fixedMinutes, parseDuration, shortestMinutes, spelled } from './duration';
import type { Duration } from './duration';
import { OPENSLO_KINDS, documentSchema } from './opensloSchema';
import type { OpenSloKind } from './opensloSchema';
import type { BudgetingMethod, MetricQuery, ObjectiveAlert, ObjectiveSli, ObjectiveSpec, ObjectiveWindow } from './spec';

export const OPENSLO_API_VERSION = 'openslo/v1';
/** Annotations on an SLO's metadata that attach it to the catalog. */
export const CATEGORY_ANNOTATION = 'budget-lens.dev/category';
export const GROUP_ANNOTATION = 'budget-lens.dev/group';
const CATALOG_KEY = /^[a-z][a-z0-9_-]*$/;

export interface OpenSloFile {
  /** As it should appear in findings and locations (absolute, or relative to a root). */
  file: string;
  text: string;
}

export interface ReadObjectivesOptions {
  /** The window of an SLO without `timeWindow` (the project's `window:`); without it such an SLO is refused. */
  defaultWindow?: { label: string; minutes: number };
}

export interface ObjectivesResult {
  objectives: ObjectiveSpec[];
  /** In file, line, column order. */
  findings: ObjectiveFinding[];
}

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const isObj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

interface Doc {
  src: YamlSource;
  kind: OpenSloKind;
  name: string;
  value: Raw;
  /** Shape errors found: references to it still resolve, but it builds nothing. */
  broken: boolean;
}

/** The documents of one kind by name. */
type Registry = Record<OpenSloKind, Map<string, Doc>>;

class Reporter {
  readonly findings: ObjectiveFinding[] = [];
  add(code: ObjectiveFindingCode, severity: ObjectiveFinding['severity'], message: string, src: YamlSource, path: YamlPath, key = false): void {
    this.findings.push(objectiveFinding(code, severity, message, locatePath(src, path, key)));
  }
  error(message: string, src: YamlSource, path: YamlPath, code: ObjectiveFindingCode = 'objective_invalid', key = false): void {
    this.add(code, 'error', message, src, path, key);
  }
}

/** Reads OpenSLO v1 files together: their objectives and every finding. */
export function readOpenSlo(files: readonly OpenSloFile[], options: ReadObjectivesOptions = {}): ObjectivesResult {
  const r = new Reporter();
  const docs: Doc[] = [];
  for (const f of files) docs.push(...readDocuments(f, r));
  const registry = register(docs, r);
  const objectives: ObjectiveSpec[] = [];
  for (const doc of docs) {
    if (doc.kind === 'SLO' && !doc.broken) objectives.push(...new SloReader(doc, registry, r, options).read());
  }
  for (const doc of docs) if (!doc.broken) checkReferencesOf(doc, registry, r);
  checkDuplicateObjectives(objectives, r);
  return { objectives, findings: sortFindings(r.findings) };
}

/** Pass 1: header and shape of every document in a file. */
function readDocuments(f: OpenSloFile, r: Reporter): Doc[] {
  const out: Doc[] = [];
  for (const parsed of parseYamlDocuments(f.text, f.file)) {
    if (!parsed.ok) {
      const e = parsed.error;
      r.findings.push(objectiveFinding('objective_invalid', 'error', e.message.slice(e.message.indexOf(': ') + 2), e.location));
      continue;
    }
    const src = parsed.source;
    if (!isObj(src.value)) {
      r.error('an OpenSLO document must be a mapping with apiVersion, kind, metadata and spec', src, []);
      continue;
    }
    const value = src.value;
    const apiVersion = value.apiVersion;
    if (apiVersion !== OPENSLO_API_VERSION) {
      if (apiVersion === undefined) r.error(`missing apiVersion: Budget Lens reads ${OPENSLO_API_VERSION} documents`, src, []);
      else if (typeof apiVersion === 'string' && /^openslo(\.com)?\//.test(apiVersion)) {
        r.error(`apiVersion "${apiVersion}" is not supported: Budget Lens reads ${OPENSLO_API_VERSION} only`, src, ['apiVersion'], 'objective_unsupported');
      } else r.error(`apiVersion must be "${OPENSLO_API_VERSION}", got ${JSON.stringify(apiVersion)}`, src, ['apiVersion']);
      continue;
    }
    const kind = value.kind;
    if (typeof kind !== 'string' || !(OPENSLO_KINDS as readonly string[]).includes(kind)) {
      const what = kind === undefined ? 'missing kind' : `unknown kind ${JSON.stringify(kind)}`;
      r.error(`${what}: OpenSLO v1 kinds are ${OPENSLO_KINDS.join(', ')}`, src, kind === undefined ? [] : ['kind']);
      continue;
    }
    const k = kind as OpenSloKind;
    const name = str(obj(value.metadata).name) ?? '';
    const shape = validateYamlSource(src, documentSchema(k), value);
    for (const e of shape) {
      const message = e.message.slice(e.message.indexOf(': ') + 2);
      r.findings.push(objectiveFinding('objective_invalid', 'error', `${k} ${JSON.stringify(name)}: ${message}`, e.location));
    }
    out.push({ src, kind: k, name, value, broken: shape.length > 0 });
  }
  return out;
}

/** Pass 2: one document per kind and name. */
function register(docs: readonly Doc[], r: Reporter): Registry {
  const registry = Object.fromEntries(OPENSLO_KINDS.map((k) => [k, new Map<string, Doc>()])) as Registry;
  for (const d of docs) {
    if (d.name === '') continue;
    const seen = registry[d.kind].get(d.name);
    if (seen) {
      const at = locatePath(seen.src, ['metadata', 'name']);
      r.error(`${d.kind} "${d.name}" is defined twice (first at ${at.file}:${at.line}:${at.column})`, d.src, ['metadata', 'name'], 'objective_duplicate');
      // The second builds nothing: which one a reference means would be a guess.
      d.broken = true;
      continue;
    }
    registry[d.kind].set(d.name, d);
  }
  return registry;
}

/** An exact decimal string of the number written at `path` ("0.9980" -> "0.998"), or undefined after a finding. */
function decimalAt(src: YamlSource, path: YamlPath, r: Reporter, what: string): ExactDecimal | undefined {
  const text = scalarSource(src, path);
  let d: ExactDecimal | undefined;
  try {
    d = text === undefined ? undefined : new ExactDecimal(text);
  } catch {
    d = undefined;
  }
  if (d === undefined || !d.isFinite()) {
    r.error(`${what}: ${text ?? 'the value'} is not a finite number`, src, path);
    return undefined;
  }
  return d;
}

function plain(d: ExactDecimal): string {
  return d.toFixed();
}

/** A whole SLO's reading: its indicator, window, objectives and alerts. */
class SloReader {
  private readonly src: YamlSource;
  private readonly spec: Raw;
  private readonly label: string;
  private ok = true;

  constructor(
    private readonly doc: Doc,
    private readonly registry: Registry,
    private readonly r: Reporter,
    private readonly options: ReadObjectivesOptions,
  ) {
    this.src = doc.src;
    this.spec = obj(doc.value.spec);
    this.label = `SLO "${doc.name}"`;
  }

  private error(message: string, path: YamlPath, code: ObjectiveFindingCode = 'objective_invalid', key = false): void {
    this.ok = false;
    this.r.error(`${this.label}: ${formatPath(path)}: ${message}`, this.src, path, code, key);
  }

  read(): ObjectiveSpec[] {
    const spec = this.spec;
    const objectives = Array.isArray(spec.objectives) ? spec.objectives.map(obj) : [];
    const composite = objectives.findIndex((o) => o.indicator !== undefined || o.indicatorRef !== undefined);
    if (composite >= 0) {
      const key = objectives[composite]!.indicator !== undefined ? 'indicator' : 'indicatorRef';
      this.error(
        'composite SLOs (an indicator per objective) are not supported: give the SLO one indicator or indicatorRef, or write one SLO per indicator',
        ['spec', 'objectives', composite, key],
        'objective_unsupported',
        true,
      );
      return [];
    }
    const sli = this.indicator();
    const window = this.window();
    const method = spec.budgetingMethod as BudgetingMethod;
    const catalog = this.catalog();
    const alerts = this.alerts();
    const built = objectives.map((_o, i) => this.objective(i, objectives.length, sli, method, window));
    if (!this.ok || sli === undefined || window === undefined || catalog === undefined || alerts === undefined) return [];
    const out: ObjectiveSpec[] = [];
    for (const b of built) {
      if (!b) return [];
      const spec: ObjectiveSpec = {
        name: b.name,
        target: b.target,
        budgetingMethod: method,
        window,
        sli: b.sli,
        location: locatePath(this.src, ['spec']),
      };
      const displayName = b.displayName ?? str(obj(this.doc.value.metadata).displayName);
      if (displayName !== undefined) spec.displayName = displayName;
      if (typeof this.spec.description === 'string') spec.description = this.spec.description;
      spec.service = String(this.spec.service);
      if (b.timeSliceTarget !== undefined) spec.timeSliceTarget = b.timeSliceTarget;
      if (b.timeSliceWindowMinutes !== undefined) spec.timeSliceWindowMinutes = b.timeSliceWindowMinutes;
      if (catalog.category !== undefined) spec.category = catalog.category;
      if (catalog.group !== undefined) spec.group = catalog.group;
      if (alerts.length > 0) spec.alerts = alerts;
      out.push(spec);
    }
    return out;
  }

  /** The SLI: inline `indicator` or `indicatorRef` to an SLI document, exactly one. */
  private indicator(): { sli: Raw; src: YamlSource; base: YamlPath; name: string } | undefined {
    const { indicator, indicatorRef } = this.spec;
    if (indicator !== undefined && indicatorRef !== undefined) {
      this.error('give either indicator or indicatorRef, not both', ['spec', 'indicatorRef'], 'objective_invalid', true);
      return undefined;
    }
    if (indicator !== undefined) {
      return { sli: obj(obj(indicator).spec), src: this.src, base: ['spec', 'indicator', 'spec'], name: String(obj(obj(indicator).metadata).name) };
    }
    if (typeof indicatorRef === 'string') {
      const sli = this.registry.SLI.get(indicatorRef);
      if (!sli) {
        this.error(`indicatorRef "${indicatorRef}" names no SLI document${this.known('SLI')}`, ['spec', 'indicatorRef'], 'objective_unresolved');
        return undefined;
      }
      if (sli.broken) {
        this.error(`SLI "${indicatorRef}" has errors (reported at its own lines)`, ['spec', 'indicatorRef'], 'objective_invalid');
        return undefined;
      }
      return { sli: obj(sli.value.spec), src: sli.src, base: ['spec'], name: sli.name };
    }
    this.error('missing indicator: give the SLI inline (indicator) or by name (indicatorRef)', ['spec'], 'objective_invalid');
    return undefined;
  }

  private known(kind: OpenSloKind): string {
    const names = [...this.registry[kind].keys()];
    return names.length === 0 ? ` (no ${kind} is defined)` : ` (${kind}s: ${names.sort().join(', ')})`;
  }

  /** The SLI's metric(s) as source-neutral queries; undefined after a finding. */
  private sliOf(ind: { sli: Raw; src: YamlSource; base: YamlPath; name: string }): { kind: 'ratio'; sli: ObjectiveSli } | { kind: 'threshold'; metric: MetricQuery } | undefined {
    const { sli, src, base } = ind;
    const where = `SLI "${ind.name}"`;
    const err = (message: string, path: YamlPath, code: ObjectiveFindingCode = 'objective_invalid', key = false): undefined => {
      this.ok = false;
      this.r.error(`${where}: ${formatPath(path.slice(base.length - 1))}: ${message}`, src, path, code, key);
      return undefined;
    };
    const query = (path: YamlPath): MetricQuery | undefined => {
      const ms = obj(obj(getAt(sli, path.slice(base.length))).metricSource);
      const msPath = [...path, 'metricSource'];
      const ref = str(ms.metricSourceRef);
      let type = str(ms.type);
      if (ref !== undefined) {
        const ds = this.registry.DataSource.get(ref);
        if (!ds) return err(`metricSourceRef "${ref}" names no DataSource document${this.known('DataSource')}`, [...msPath, 'metricSourceRef'], 'objective_unresolved');
        const dsType = str(obj(ds.value.spec).type);
        if (type !== undefined && dsType !== undefined && type.toLowerCase() !== dsType.toLowerCase()) {
          return err(`type "${type}" contradicts DataSource "${ref}", whose type is "${dsType}"`, [...msPath, 'type']);
        }
        type ??= dsType;
      }
      if (type === undefined) return err('type is required when metricSourceRef names no DataSource', msPath);
      const q: MetricQuery = { sourceType: type.toLowerCase(), spec: obj(ms.spec) };
      if (ref !== undefined) q.sourceName = ref;
      return q;
    };
    const { thresholdMetric, ratioMetric } = sli;
    if (thresholdMetric !== undefined && ratioMetric !== undefined) return err('give either thresholdMetric or ratioMetric, not both', [...base, 'ratioMetric'], 'objective_invalid', true);
    if (thresholdMetric !== undefined) {
      const metric = query([...base, 'thresholdMetric']);
      return metric && { kind: 'threshold', metric };
    }
    if (ratioMetric === undefined) return err('missing thresholdMetric or ratioMetric', base);
    const rm = obj(ratioMetric);
    const rp = [...base, 'ratioMetric'];
    const has = (k: string): boolean => rm[k] !== undefined;
    if (has('raw')) {
      for (const k of ['good', 'bad', 'total']) if (has(k)) return err(`raw cannot be combined with ${k}`, [...rp, k], 'objective_invalid', true);
      if (!has('rawType')) return err('rawType (success or failure) is required with raw', rp);
      const raw = query([...rp, 'raw']);
      if (!raw) return undefined;
      if (rm.counter === true) {
        this.r.add('objective_note', 'warning', `${where}: ratioMetric.counter is ignored with raw (a raw series is a ratio, not a counter)`, src, [...rp, 'counter'], true);
      }
      return { kind: 'ratio', sli: { kind: 'ratio', form: 'raw', rawType: rm.rawType as 'success' | 'failure', raw, counter: false } };
    }
    if (!has('total')) return err('ratioMetric needs total (with good or bad) or raw (with rawType)', rp);
    if (has('rawType')) return err('rawType is only used with raw', [...rp, 'rawType'], 'objective_invalid', true);
    if (has('good') && has('bad')) return err('give either good or bad over total, not both', [...rp, 'bad'], 'objective_invalid', true);
    if (!has('good') && !has('bad')) return err('total needs good or bad as its numerator', rp);
    const form = has('good') ? 'good' : 'bad';
    const part = query([...rp, form]);
    const total = query([...rp, 'total']);
    if (!part || !total) return undefined;
    const counter = rm.counter === true;
    const ratio: ObjectiveSli = form === 'good' ? { kind: 'ratio', form, good: part, total, counter } : { kind: 'ratio', form, bad: part, total, counter };
    return { kind: 'ratio', sli: ratio };
  }

  /** The one time window; the project's when there is none. */
  private window(): ObjectiveWindow | undefined {
    const tw = this.spec.timeWindow;
    if (tw === undefined) {
      const d = this.options.defaultWindow;
      if (!d) {
        this.error('missing timeWindow', ['spec']);
        return undefined;
      }
      this.r.add('objective_note', 'info', `${this.label}: no timeWindow, so the project window applies: rolling ${d.label}`, this.src, ['spec'], false);
      return { kind: 'rolling', minutes: d.minutes, label: d.label };
    }
    const list = Array.isArray(tw) ? tw : [];
    if (list.length !== 1) {
      this.error(`timeWindow must hold exactly one window, it holds ${list.length}`, ['spec', 'timeWindow']);
      return undefined;
    }
    const w = obj(list[0]);
    const p: YamlPath = ['spec', 'timeWindow', 0];
    const text = String(w.duration);
    const d = parseDuration(text);
    if (!d) {
      this.error(`duration "${text}" is not valid: ${DURATION_HINT}`, [...p, 'duration']);
      return undefined;
    }
    const rolling = w.isRolling === true;
    if (rolling && w.calendar !== undefined) {
      this.error("'calendar' cannot be set when 'isRolling' is true", [...p, 'calendar'], 'objective_invalid', true);
      return undefined;
    }
    if (!rolling && w.calendar === undefined) {
      this.error(`'calendar' must be set when 'isRolling' is false or missing (a rolling window needs isRolling: true)`, p);
      return undefined;
    }
    if (d.unit === 'm') {
      this.r.add('objective_note', 'warning', `${this.label}: the window ${spelled(d)} is in minutes; months are written with a capital M (1M)`, this.src, [...p, 'duration']);
    }
    if (rolling) return this.rollingWindow(d, [...p, 'duration']);
    return this.calendarWindow(d, obj(w.calendar), p);
  }

  private rollingWindow(d: Duration, path: YamlPath): ObjectiveWindow | undefined {
    const minutes = fixedMinutes(d);
    if (minutes === undefined) {
      this.error(
        `a rolling window of ${spelled(d)} is not supported: months, quarters and years have no fixed length; write it in days or weeks (e.g. 28d, 4w, 30d), or make it a calendar window`,
        path,
        'objective_unsupported',
      );
      return undefined;
    }
    try {
      parseWindow(d.label);
    } catch (e) {
      this.error(`${e instanceof Error ? e.message : String(e)}`, path, 'objective_unsupported');
      return undefined;
    }
    return { kind: 'rolling', minutes, label: d.label };
  }

  private calendarWindow(d: Duration, cal: Raw, p: YamlPath): ObjectiveWindow | undefined {
    if (d.unit === 'm' || d.unit === 'h') {
      this.error(`a calendar window of ${spelled(d)} is not supported: calendar windows are in d, w, M (months), Q or Y`, [...p, 'duration'], 'objective_unsupported');
      return undefined;
    }
    const startText = String(cal.startTime);
    const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(startText);
    let startTime: string | undefined;
    if (!m) {
      this.error(`startTime "${startText}" is not a date and time like "2022-01-01 00:00:00" (no zone: timeZone gives it)`, [...p, 'calendar', 'startTime']);
    } else {
      const [y, mo, da, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
      const bad = dateRejection(y, mo, da)?.message ?? (h > 23 || mi > 59 || s > 59 ? 'the time of day does not exist' : undefined);
      if (bad !== undefined) this.error(`startTime "${startText}": ${bad}`, [...p, 'calendar', 'startTime']);
      else startTime = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
    }
    const timeZone = String(cal.timeZone);
    if (!isTimeZone(timeZone)) this.error(`timeZone "${timeZone}" is not an IANA time zone (e.g. UTC, Europe/Berlin)`, [...p, 'calendar', 'timeZone']);
    if (startTime === undefined || !isTimeZone(timeZone)) return undefined;
    return { kind: 'calendar', unit: d.unit, count: d.count, startTime, timeZone, label: d.label };
  }

  /** `budget-lens.dev/category` and `budget-lens.dev/group` annotations. */
  private catalog(): { category?: string; group?: string } | undefined {
    const annotations = obj(obj(this.doc.value.metadata).annotations);
    const out: { category?: string; group?: string } = {};
    let ok = true;
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith('budget-lens.dev/')) continue;
      const path = ['metadata', 'annotations', key];
      if (key !== CATEGORY_ANNOTATION && key !== GROUP_ANNOTATION) {
        this.error(`unknown annotation "${key}" (Budget Lens reads ${CATEGORY_ANNOTATION} and ${GROUP_ANNOTATION})`, path, 'objective_invalid', true);
        ok = false;
        continue;
      }
      if (typeof value !== 'string' || !CATALOG_KEY.test(value)) {
        this.error(`"${String(value)}" is not a catalog key: lower case letters, digits, "_" and "-"`, path);
        ok = false;
        continue;
      }
      if (key === CATEGORY_ANNOTATION) out.category = value;
      else out.group = value;
    }
    return ok ? out : undefined;
  }

  /** One objective: its target, its time slices, its threshold. */
  private objective(
    i: number,
    count: number,
    ind: ReturnType<SloReader['indicator']>,
    method: BudgetingMethod,
    window: ObjectiveWindow | undefined,
  ): { name: string; displayName?: string; target: string; sli: ObjectiveSli; timeSliceTarget?: string; timeSliceWindowMinutes?: number } | undefined {
    const o = obj((this.spec.objectives as unknown[])[i]);
    const p: YamlPath = ['spec', 'objectives', i];
    const target = this.target(o, p);
    const sliKind = ind === undefined ? undefined : i === 0 ? (this.sliCache = this.sliOf(ind)) : this.sliCache;
    let sli: ObjectiveSli | undefined;
    if (sliKind?.kind === 'threshold') {
      if (count > 1 && i === 1) this.error('an SLO with a thresholdMetric has exactly one objective (OpenSLO v1)', p);
      const hasOp = o.op !== undefined;
      const hasValue = o.value !== undefined;
      if (!hasOp) this.error('op (lt, lte, gt or gte) is required with a thresholdMetric', p);
      if (!hasValue) this.error('value is required with a thresholdMetric', p);
      const value = hasValue ? decimalAt(this.src, [...p, 'value'], this.r, `${this.label}: ${formatPath([...p, 'value'])}`) : undefined;
      if (hasOp && value) sli = { kind: 'threshold', metric: sliKind.metric, op: o.op as 'lt', threshold: plain(value) };
    } else if (sliKind?.kind === 'ratio') {
      for (const k of ['op', 'value']) if (o[k] !== undefined) this.error(`${k} is only used with a thresholdMetric; this SLI is a ratioMetric`, [...p, k], 'objective_invalid', true);
      sli = sliKind.sli;
    }
    const slices = this.timeSlices(o, p, method, window);
    const name = this.objectiveName(o, i, count);
    if (target === undefined || sli === undefined || slices === undefined) return undefined;
    const out: ReturnType<SloReader['objective']> = { name, target, sli, ...slices };
    if (typeof o.displayName === 'string') out!.displayName = o.displayName;
    return out;
  }

  private sliCache: ReturnType<SloReader['sliOf']>;

  private objectiveName(o: Raw, i: number, count: number): string {
    if (count === 1) return this.doc.name;
    const slug = typeof o.displayName === 'string' ? o.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '') : '';
    return `${this.doc.name}/${slug === '' ? String(i) : slug}`;
  }

  /** target xor targetPercent, 0 < target < 1, as an exact decimal ratio string. */
  private target(o: Raw, p: YamlPath): string | undefined {
    const hasT = o.target !== undefined;
    const hasP = o.targetPercent !== undefined;
    if (hasT && hasP) {
      this.error('give either target or targetPercent, not both', [...p, 'targetPercent'], 'objective_invalid', true);
      return undefined;
    }
    if (!hasT && !hasP) {
      this.error('missing target (a ratio, 0.998) or targetPercent (a percentage, 99.8)', p);
      return undefined;
    }
    const key = hasT ? 'target' : 'targetPercent';
    const d = decimalAt(this.src, [...p, key], this.r, `${this.label}: ${formatPath([...p, key])}`);
    if (!d) {
      this.ok = false;
      return undefined;
    }
    const ratio = hasT ? d : d.div(100);
    if (ratio.lte(0) || ratio.gte(1)) {
      const range = hasT ? 'greater than 0 and less than 1 (0.998 is 99.8 %)' : 'greater than 0 and less than 100';
      const why = ratio.gte(1) ? ': a target of 100 % or more leaves no error budget' : '';
      this.error(`${plain(d)} is out of range: ${key} must be ${range}${why}`, [...p, key]);
      return undefined;
    }
    return plain(ratio);
  }

  /** timeSliceTarget and timeSliceWindow by budgeting method. */
  private timeSlices(o: Raw, p: YamlPath, method: BudgetingMethod, window: ObjectiveWindow | undefined): { timeSliceTarget?: string; timeSliceWindowMinutes?: number } | undefined {
    const out: { timeSliceTarget?: string; timeSliceWindowMinutes?: number } = {};
    let ok = true;
    const fail = (message: string, path: YamlPath, code: ObjectiveFindingCode = 'objective_invalid', key = false): void => {
      ok = false;
      this.error(message, path, code, key);
    };
    if (method === 'Timeslices') {
      if (o.timeSliceTarget === undefined) fail('timeSliceTarget is required with budgetingMethod Timeslices', p);
      else {
        const d = decimalAt(this.src, [...p, 'timeSliceTarget'], this.r, `${this.label}: ${formatPath([...p, 'timeSliceTarget'])}`);
        if (!d) ok = false;
        else if (d.lte(0) || d.gt(1)) fail(`${plain(d)} is out of range: timeSliceTarget must be greater than 0 and at most 1`, [...p, 'timeSliceTarget']);
        else out.timeSliceTarget = plain(d);
      }
    } else if (o.timeSliceTarget !== undefined) {
      fail(`timeSliceTarget is only used with budgetingMethod Timeslices, not ${method}`, [...p, 'timeSliceTarget'], 'objective_invalid', true);
    }
    if (method === 'Timeslices' || method === 'RatioTimeslices') {
      if (o.timeSliceWindow === undefined) fail(`timeSliceWindow is required with budgetingMethod ${method}`, p);
      else {
        const minutes = this.sliceMinutes(o.timeSliceWindow, [...p, 'timeSliceWindow']);
        if (minutes === undefined) ok = false;
        else if (window !== undefined) {
          const windowMinutes = window.kind === 'rolling' ? window.minutes : shortestMinutes({ count: window.count, unit: window.unit, label: window.label });
          if (minutes > windowMinutes) {
            fail(`a time slice of ${minutes} min is longer than the ${window.label} window (${windowMinutes} min${window.kind === 'calendar' ? ' at its shortest' : ''})`, [...p, 'timeSliceWindow']);
          } else out.timeSliceWindowMinutes = minutes;
        } else out.timeSliceWindowMinutes = minutes;
      }
    } else if (o.timeSliceWindow !== undefined) {
      fail(`timeSliceWindow is only used with budgetingMethod Timeslices or RatioTimeslices, not ${method}`, [...p, 'timeSliceWindow'], 'objective_invalid', true);
    }
    return ok ? out : undefined;
  }

  /** A slice length: a number of minutes or a duration in m, h, d or w. */
  private sliceMinutes(v: unknown, path: YamlPath): number | undefined {
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v <= 0) {
        this.error(`${String(v)} is not valid: a bare number is whole minutes, greater than 0`, path);
        return undefined;
      }
      return v;
    }
    const d = parseDuration(String(v));
    if (!d) {
      this.error(`"${String(v)}" is not valid: ${DURATION_HINT}`, path);
      return undefined;
    }
    const minutes = fixedMinutes(d);
    if (minutes === undefined) {
      this.error(`a time slice of ${spelled(d)} is not supported: slices are in m (minutes), h, d or w`, path, 'objective_unsupported');
      return undefined;
    }
    return minutes;
  }

  /** alertPolicies: inline or alertPolicyRef, each with its one condition and its targets. */
  private alerts(): ObjectiveAlert[] | undefined {
    const list = Array.isArray(this.spec.alertPolicies) ? this.spec.alertPolicies.map(obj) : [];
    const out: ObjectiveAlert[] = [];
    list.forEach((ap, i) => {
      const p: YamlPath = ['spec', 'alertPolicies', i];
      const resolved = this.inlineOrRef(ap, p, 'alertPolicyRef', 'AlertPolicy', this.src);
      if (!resolved) return;
      const alert = this.policy(resolved.name, resolved.spec, resolved.src, resolved.path);
      if (alert) out.push(alert);
    });
    return this.ok ? out : undefined;
  }

  /** An inline object (`kind` + metadata + spec) or a reference to a document of `kind`. */
  private inlineOrRef(v: Raw, p: YamlPath, refKey: string, kind: OpenSloKind, src: YamlSource): { name: string; spec: Raw; src: YamlSource; path: YamlPath } | undefined {
    const ref = v[refKey];
    const inline = v.kind !== undefined || v.metadata !== undefined || v.spec !== undefined;
    const fail = (message: string, path: YamlPath, code: ObjectiveFindingCode = 'objective_invalid', key = false): undefined => {
      this.ok = false;
      this.r.error(`${this.label}: ${formatPath(path)}: ${message}`, src, path, code, key);
      return undefined;
    };
    if (ref !== undefined && inline) return fail(`give either ${refKey} or an inline ${kind} (kind, metadata, spec), not both`, [...p, refKey], 'objective_invalid', true);
    if (typeof ref === 'string') {
      const doc = this.registry[kind].get(ref);
      if (!doc) return fail(`${refKey} "${ref}" names no ${kind} document${this.known(kind)}`, [...p, refKey], 'objective_unresolved');
      if (doc.broken) return fail(`${kind} "${ref}" has errors (reported at its own lines)`, [...p, refKey]);
      return { name: doc.name, spec: obj(doc.value.spec), src: doc.src, path: ['spec'] };
    }
    if (!inline) return fail(`give ${refKey} or an inline ${kind} (kind, metadata, spec)`, p);
    if (v.kind !== kind) return fail(`kind must be "${kind}", got ${JSON.stringify(v.kind)}`, v.kind === undefined ? p : [...p, 'kind']);
    if (v.metadata === undefined) return fail('missing required key "metadata"', p);
    if (v.spec === undefined) return fail('missing required key "spec"', p);
    return { name: String(obj(v.metadata).name), spec: obj(v.spec), src, path: [...p, 'spec'] };
  }

  private policy(name: string, spec: Raw, src: YamlSource, p: YamlPath): ObjectiveAlert | undefined {
    const conditions = Array.isArray(spec.conditions) ? spec.conditions.map(obj) : [];
    const targets = Array.isArray(spec.notificationTargets) ? spec.notificationTargets.map(obj) : [];
    const c = conditions[0] && this.inlineOrRef(conditions[0], [...p, 'conditions', 0], 'conditionRef', 'AlertCondition', src);
    const notificationTargets: ObjectiveAlert['notificationTargets'] = [];
    targets.forEach((t, i) => {
      const nt = this.inlineOrRef(t, [...p, 'notificationTargets', i], 'targetRef', 'AlertNotificationTarget', src);
      if (nt) notificationTargets.push({ name: nt.name, target: String(nt.spec.target) });
    });
    if (!c) return undefined;
    const cond = obj(c.spec.condition);
    const cp = [...c.path, 'condition'];
    const lookback = this.alertDuration(c.src, [...cp, 'lookbackWindow'], cond.lookbackWindow);
    const after = cond.alertAfter === undefined ? undefined : this.alertDuration(c.src, [...cp, 'alertAfter'], cond.alertAfter);
    const threshold = decimalAt(c.src, [...cp, 'threshold'], this.r, `AlertCondition "${c.name}": threshold`);
    if (lookback === undefined || (cond.alertAfter !== undefined && after === undefined) || !threshold) {
      this.ok = false;
      return undefined;
    }
    const alert: ObjectiveAlert = {
      policy: name,
      condition: c.name,
      severity: String(c.spec.severity),
      op: cond.op as ObjectiveAlert['op'],
      threshold: plain(threshold),
      lookbackWindowMinutes: lookback,
      alertWhenNoData: spec.alertWhenNoData === true,
      alertWhenBreaching: spec.alertWhenBreaching === true,
      alertWhenResolved: spec.alertWhenResolved === true,
      notificationTargets,
    };
    if (after !== undefined) alert.alertAfterMinutes = after;
    return alert;
  }

  private alertDuration(src: YamlSource, path: YamlPath, v: unknown): number | undefined {
    const d = parseDuration(String(v));
    const fail = (message: string, code: ObjectiveFindingCode = 'objective_invalid'): undefined => {
      this.ok = false;
      this.r.error(`${this.label}: ${formatPath(path)}: ${message}`, src, path, code);
      return undefined;
    };
    if (!d) return fail(`"${String(v)}" is not valid: ${DURATION_HINT}`);
    const minutes = fixedMinutes(d);
    if (minutes === undefined) return fail(`${spelled(d)} is not supported for alert windows: use m, h, d or w`, 'objective_unsupported');
    return minutes;
  }
}

function getAt(v: unknown, path: YamlPath): unknown {
  let cur = v;
  for (const seg of path) cur = Array.isArray(cur) ? cur[seg as number] : obj(cur)[String(seg)];
  return cur;
}

function isTimeZone(tz: string): boolean {
  if (tz === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * References of the documents no SLO reads through (an SLI's metricSourceRef, an AlertPolicy's
 * conditionRef and targetRef): they must resolve even when no SLO uses the document.
 */
function checkReferencesOf(doc: Doc, registry: Registry, r: Reporter): void {
  const check = (ref: unknown, kind: OpenSloKind, path: YamlPath, refKey: string): void => {
    if (typeof ref !== 'string' || registry[kind].has(ref)) return;
    r.error(`${doc.kind} "${doc.name}": ${formatPath(path)}: ${refKey} "${ref}" names no ${kind} document`, doc.src, path, 'objective_unresolved');
  };
  const spec = obj(doc.value.spec);
  if (doc.kind === 'SLI') {
    const rm = obj(spec.ratioMetric);
    const parts: [YamlPath, unknown][] = [[['spec', 'thresholdMetric'], spec.thresholdMetric], ...['good', 'bad', 'total', 'raw'].map((k): [YamlPath, unknown] => [['spec', 'ratioMetric', k], rm[k]])];
    for (const [path, part] of parts) {
      const ms = obj(obj(part).metricSource);
      check(ms.metricSourceRef, 'DataSource', [...path, 'metricSource', 'metricSourceRef'], 'metricSourceRef');
    }
  }
  if (doc.kind === 'AlertPolicy') {
    (Array.isArray(spec.conditions) ? spec.conditions : []).forEach((c, i) => check(obj(c).conditionRef, 'AlertCondition', ['spec', 'conditions', i, 'conditionRef'], 'conditionRef'));
    (Array.isArray(spec.notificationTargets) ? spec.notificationTargets : []).forEach((t, i) =>
      check(obj(t).targetRef, 'AlertNotificationTarget', ['spec', 'notificationTargets', i, 'targetRef'], 'targetRef'),
    );
  }
  if (doc.kind === 'SLO') {
    const services = registry.Service;
    const service = spec.service;
    if (services.size > 0 && typeof service === 'string' && !services.has(service)) {
      r.add('objective_unresolved', 'warning', `SLO "${doc.name}": spec.service "${service}" names none of the Service documents (${[...services.keys()].sort().join(', ')})`, doc.src, ['spec', 'service']);
    }
  }
}

/** Objective names are ids: one per project. */
export function checkDuplicateObjectives(objectives: ObjectiveSpec[], r: { findings: ObjectiveFinding[] }): void {
  const seen = new Map<string, ObjectiveSpec>();
  for (let i = 0; i < objectives.length; i++) {
    const o = objectives[i]!;
    const first = seen.get(o.name);
    if (!first) {
      seen.set(o.name, o);
      continue;
    }
    const at = first.location;
    r.findings.push(objectiveFinding('objective_duplicate', 'error', `objective "${o.name}" is defined twice (first at ${at.file}:${at.line}:${at.column})`, o.location));
    objectives.splice(i, 1);
    i--;
  }
}
