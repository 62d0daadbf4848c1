/**
 * `adjustments:` of `.budgetlens.yml` (issue 15 item 3, docs/config.md "Adjustments"): inline, or
 * `{ file: path }` naming a YAML file with the same list. Every refusal is an InputError at the
 * entry's file:line:col: a time that is no ISO instant with a zone, `to` not after `from`, not
 * exactly one of `scope: all` / `groups` / `categories`, a missing reason (the schema), and two
 * adjustments whose ranges overlap for a scope they share (the spend would be removed twice).
 * Names the catalog does not know are checked against it later (catalog/adjustmentScopes.ts).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AdjustmentScope } from '../contract/budgetTypes';
import { InputError } from '../contract/errors';
import { parseAdjustmentInstant, rangesOverlap, sharedScope } from '../budget/adjustments';
import { adjustmentsFileSchema } from './projectConfigSchema';
import type { ConfiguredAdjustment } from './types';
import { validateYamlSource } from '../yaml/schemaErrors';
import { formatPath, locatePath, parseYamlSource } from '../yaml/yamlSource';
import type { YamlPath, YamlSource } from '../yaml/yamlSource';

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});

export interface AdjustmentsRead {
  adjustments: ConfiguredAdjustment[];
  errors: InputError[];
  /** Absolute path of the file `adjustments: { file }` names (undefined for a list in the config). */
  file?: string;
}

/**
 * Reads `adjustments` (already schema-checked as part of the config): a list at `at` in `src`, or
 * the list in the file it names (read, parsed and checked here, its errors at its own lines).
 */
export function readAdjustments(src: YamlSource, at: YamlPath, value: unknown, root: string): AdjustmentsRead {
  if (value === undefined || value === null) return { adjustments: [], errors: [] };
  if (Array.isArray(value)) return buildAdjustments(src, at, value);
  const file = String(obj(value).file);
  const abs = path.resolve(root, file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { adjustments: [], errors: [new InputError(`${formatPath([...at, 'file'])}: cannot read the adjustments file: ${reason}`, locatePath(src, [...at, 'file']))], file: abs };
  }
  let fileSrc: YamlSource;
  try {
    fileSrc = parseYamlSource(text, abs);
  } catch (e) {
    if (InputError.is(e)) return { adjustments: [], errors: [e], file: abs };
    throw e;
  }
  const list = fileSrc.value ?? [];
  const schemaErrors = validateYamlSource(fileSrc, adjustmentsFileSchema, list);
  if (schemaErrors.length > 0) return { adjustments: [], errors: schemaErrors, file: abs };
  return { ...buildAdjustments(fileSrc, [], list as unknown[]), file: abs };
}

function buildAdjustments(src: YamlSource, at: YamlPath, list: readonly unknown[]): AdjustmentsRead {
  const errors: InputError[] = [];
  const adjustments: ConfiguredAdjustment[] = [];
  list.forEach((entry, i) => {
    const p: YamlPath = [...at, i];
    const e = obj(entry);
    const where = (key?: string): ReturnType<typeof locatePath> => locatePath(src, key === undefined ? p : [...p, key]);
    const instant = (key: 'from' | 'to'): number | undefined => {
      const r = parseAdjustmentInstant(String(e[key]));
      if ('error' in r) {
        errors.push(new InputError(`${formatPath([...p, key])}: ${r.error}`, where(key)));
        return undefined;
      }
      return r.ms;
    };
    const from = instant('from');
    const to = instant('to');
    if (from !== undefined && to !== undefined && to <= from) {
      errors.push(new InputError(`${formatPath([...p, 'to'])}: ${String(e.to)} is not after from (${String(e.from)}): an adjustment is a range [from, to)`, where('to')));
    }
    const given = (['scope', 'groups', 'categories'] as const).filter((k) => e[k] !== undefined);
    if (given.length !== 1) {
      const what = given.length === 0 ? 'no scope' : `${given.join(' and ')} together`;
      errors.push(new InputError(`${formatPath(p)}: ${what}: give exactly one of "scope: all", "groups: [...]" or "categories: [...]"`, where(given[1])));
    }
    if (from === undefined || to === undefined || to <= from || given.length !== 1) return;
    const scope: AdjustmentScope = given[0] === 'scope' ? { all: true } : given[0] === 'groups' ? { groups: (e.groups as unknown[]).map(String) } : { categories: (e.categories as unknown[]).map(String) };
    if (Array.isArray(e.components)) scope.components = e.components.map(String);
    adjustments.push({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      scope,
      reason: String(e.reason),
      ...(typeof e.link === 'string' ? { link: e.link } : {}),
      location: where(),
    });
  });
  errors.push(...overlapErrors(adjustments));
  return { adjustments: errors.length > 0 ? [] : adjustments, errors };
}

/** Two adjustments overlapping in time for a scope they share, each pair once, at the later one. */
export function overlapErrors(adjustments: readonly ConfiguredAdjustment[], shared: (a: AdjustmentScope, b: AdjustmentScope) => string | undefined = sharedScope): InputError[] {
  const out: InputError[] = [];
  adjustments.forEach((b, j) => {
    for (let i = 0; i < j; i++) {
      const a = adjustments[i]!;
      const what = rangesOverlap(a, b) ? shared(a.scope, b.scope) : undefined;
      if (what === undefined) continue;
      out.push(
        new InputError(
          `adjustment ${b.from} - ${b.to} overlaps the one at line ${a.location.line} (${a.from} - ${a.to}) for ${what}: its spend would be removed twice; merge them or make the ranges meet`,
          b.location,
        ),
      );
    }
  });
  return out;
}
