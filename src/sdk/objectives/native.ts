/**
 * The native objective form, `objectives.list` in .budgetlens.yml (docs/objectives.md, "Native
 * form"): the common case in a few lines, a ratio of good (or bad) over total events, counted
 * over a rolling window, target in percent like `defaultTarget`:
 *
 *   objectives:
 *     list:
 *       - name: workspace-starts
 *         target: 99.8
 *         window: 28d
 *         category: workspace_start
 *         good: sum(gitpod_ws_manager_workspace_starts_total{outcome="ok"})
 *         total: sum(gitpod_ws_manager_workspace_starts_total)
 *
 * The config's JSON Schema checks keys and types (config/projectConfigSchema.ts); this file the
 * rest (one of good/bad, the target's range, the window) and builds the ObjectiveSpec. Anything
 * else (thresholds, time slices, calendar windows, alerts) is written in OpenSLO.
 */
import { InputError } from '../contract/errors';
import { ExactDecimal } from '../budget/exactDecimal';
import { targetProblem } from '../budget/target';
import { parseWindow } from '../budget/window';
import type { YamlPath, YamlSource } from '../yaml/yamlSource';
import { formatPath, locatePath, scalarSource } from '../yaml/yamlSource';
import type { MetricQuery, ObjectiveSpec } from './spec';

/** The data source type of native queries when `source` is not given. */
export const DEFAULT_NATIVE_SOURCE = 'prometheus';

export interface NativeObjectivesResult {
  objectives: ObjectiveSpec[];
  errors: InputError[];
}

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The entries of the list at `listPath` in `src` (already shape-checked by the config's schema) as
 * ObjectiveSpecs. `defaultWindow` is the project's `window:`.
 */
export function readNativeObjectives(src: YamlSource, listPath: YamlPath, list: unknown, defaultWindow: { label: string; minutes: number }): NativeObjectivesResult {
  const errors: InputError[] = [];
  const objectives: ObjectiveSpec[] = [];
  const entries = Array.isArray(list) ? list : [];
  entries.forEach((raw, i) => {
    const e = obj(raw);
    const p: YamlPath = [...listPath, i];
    const fail = (message: string, path: YamlPath, key = false): void => {
      errors.push(new InputError(`${formatPath(path)}: ${message}`, locatePath(src, path, key)));
    };
    const before = errors.length;
    if (e.good !== undefined && e.bad !== undefined) fail('give either good or bad over total, not both', [...p, 'bad'], true);
    if (e.good === undefined && e.bad === undefined) fail('give good (or bad): the query of good (bad) events, over total', p);
    const targetText = scalarSource(src, [...p, 'target']) ?? '';
    const problem = targetProblem(targetText);
    if (problem !== null) fail(`${problem}${/^1\d\d/.test(targetText) || targetText === '100' ? ': a target of 100 % or more leaves no error budget' : ''}`, [...p, 'target']);
    let window = defaultWindow;
    if (typeof e.window === 'string') {
      try {
        window = parseWindow(e.window);
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err), [...p, 'window']);
      }
    }
    if (errors.length > before) return;
    const source = str(e.source) ?? DEFAULT_NATIVE_SOURCE;
    const q = (query: unknown): MetricQuery => ({ sourceType: source.toLowerCase(), spec: { query: String(query) } });
    const counter = e.counter !== false;
    const form = e.good !== undefined ? 'good' : 'bad';
    const spec: ObjectiveSpec = {
      name: String(e.name),
      target: new ExactDecimal(targetText).div(100).toFixed(),
      budgetingMethod: 'Occurrences',
      window: { kind: 'rolling', minutes: window.minutes, label: window.label },
      sli: form === 'good' ? { kind: 'ratio', form, good: q(e.good), total: q(e.total), counter } : { kind: 'ratio', form, bad: q(e.bad), total: q(e.total), counter },
      location: locatePath(src, p),
    };
    for (const k of ['displayName', 'description', 'service', 'category', 'group'] as const) {
      const v = str(e[k]);
      if (v !== undefined) spec[k] = v;
    }
    objectives.push(spec);
  });
  return { objectives, errors };
}
