/**
 * `catalog.history` of `.budgetlens.yml` (issue 15 item 1, docs/config.md "Catalog history"): the
 * catalogs in force over time, either `git` (the git history of `catalog.stages` and
 * `catalog.featureCategories`, project/catalogGitHistory.ts) or a list of
 * `{ from, stages, featureCategories?, groups? }`, each in force from `from` until the next one's (`groups`:
 * the per-group settings in force from then on, custom targets included; else the top-level ones). Refused at
 * the entry's file:line:col: a `from` that is neither a date (YYYY-MM-DD, midnight UTC) nor an ISO
 * instant with a zone, dates out of order or repeated, a file that does not exist, `git` without
 * `catalog.stages`; unknown keys are the schema's.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../contract/errors';
import { parseAdjustmentInstant } from '../budget/adjustments';
import { reviewDateProblem } from '../budget/policy';
import type { CatalogHistoryEntry, CatalogHistorySetting } from './types';
import { readGroupSettings } from './groupSettings';
import { formatPath, locatePath } from '../yaml/yamlSource';
import type { YamlPath, YamlSource } from '../yaml/yamlSource';

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});

/** A date (midnight UTC) or an ISO instant with a zone, as ms; an error message otherwise. */
export function parseHistoryFrom(text: string): { ms: number } | { error: string } {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const problem = reviewDateProblem(text);
    return problem === null ? { ms: Date.parse(`${text}T00:00:00Z`) } : { error: `"${text}" is not a calendar date (YYYY-MM-DD)` };
  }
  const r = parseAdjustmentInstant(text);
  return 'error' in r ? { error: `${r.error}, nor a date YYYY-MM-DD` } : r;
}

export interface CatalogHistoryRead {
  history?: CatalogHistorySetting;
  errors: InputError[];
}

/** Reads `catalog.history` (already schema-checked); `stagesConfigured`: `catalog.stages` is set. */
export function readCatalogHistory(src: YamlSource, at: YamlPath, value: unknown, root: string, stagesConfigured: boolean): CatalogHistoryRead {
  if (value === undefined || value === null) return { errors: [] };
  if (value === 'git') {
    if (stagesConfigured) return { history: { kind: 'git' }, errors: [] };
    return {
      errors: [new InputError(`${formatPath(at)}: "git" reads the git history of catalog.stages (and catalog.featureCategories): set catalog.stages`, locatePath(src, at))],
    };
  }
  const list = Array.isArray(value) ? value : [];
  const errors: InputError[] = [];
  const entries: CatalogHistoryEntry[] = [];
  let previous: { ms: number; line: number; text: string } | undefined;
  list.forEach((entry, i) => {
    const p: YamlPath = [...at, i];
    const e = obj(entry);
    const fromText = String(e.from);
    const from = parseHistoryFrom(fromText);
    const location = locatePath(src, p);
    if ('error' in from) {
      errors.push(new InputError(`${formatPath([...p, 'from'])}: ${from.error}`, locatePath(src, [...p, 'from'])));
    } else if (previous !== undefined && from.ms <= previous.ms) {
      const what = from.ms === previous.ms ? 'the same instant as' : 'before';
      errors.push(
        new InputError(
          `${formatPath([...p, 'from'])}: ${fromText} is ${what} the entry at line ${previous.line} (${previous.text}): list the catalogs oldest first, one per instant`,
          locatePath(src, [...p, 'from']),
        ),
      );
    }
    const file = (key: 'stages' | 'featureCategories'): string | undefined => {
      if (typeof e[key] !== 'string') return undefined;
      const abs = path.resolve(root, e[key] as string);
      if (!existsSync(abs)) errors.push(new InputError(`${formatPath([...p, key])}: ${e[key] as string} does not exist (${abs})`, locatePath(src, [...p, key])));
      return abs;
    };
    const stagesPath = file('stages');
    const featureCategoriesPath = file('featureCategories');
    if ('ms' in from) {
      if (previous === undefined || from.ms > previous.ms) previous = { ms: from.ms, line: location.line, text: fromText };
      // The group settings in force from this entry on (custom targets with their history).
      const groups = e.groups === undefined ? undefined : readGroupSettings(src, [...p, 'groups'], e.groups, errors);
      if (stagesPath !== undefined) {
        entries.push({
          from: new Date(from.ms).toISOString(),
          stagesPath,
          ...(featureCategoriesPath ? { featureCategoriesPath } : {}),
          ...(groups ? { groups: groups.groups, groupLocations: groups.locations } : {}),
          location,
        });
      }
    }
  });
  return errors.length > 0 ? { errors } : { history: { kind: 'list', entries }, errors: [] };
}
