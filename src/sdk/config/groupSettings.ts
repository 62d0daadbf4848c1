/**
 * Per-group settings (`groups:` of `.budgetlens.yml`, and of a `catalog.history` entry: the settings
 * in force from that entry on, issue 15 item 2): ignored components and the custom target with its
 * review date and optional traffic-share condition. Already schema-checked; what the schema cannot
 * say (a calendar date, a target's text) is an InputError at its file:line:col.
 */
import type { CustomTarget } from '../contract/budgetTypes';
import { InputError } from '../contract/errors';
import type { SourceLocation } from '../contract/errors';
import { reviewDateProblem } from '../budget/policy';
import type { GroupSettings } from './types';
import { formatPath, locatePath, scalarSource } from '../yaml/yamlSource';
import type { YamlPath, YamlSource } from '../yaml/yamlSource';

const TARGET_TEXT = /^[0-9]{1,2}(\.[0-9]+)?$/;

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A target as written ("99.80" stays "99.80"), or an error at its node. */
export function targetAt(src: YamlSource, p: YamlPath, errors: InputError[]): string | undefined {
  const text = scalarSource(src, p);
  if (text === undefined) return undefined;
  if (!TARGET_TEXT.test(text)) {
    errors.push(new InputError(`${formatPath(p)}: "${text}" is not valid: a percentage below 100 written as a decimal, e.g. "99.95"`, locatePath(src, p)));
    return undefined;
  }
  return text;
}

/** The groups mapping at `at`: settings per key as written, and where each key was written. */
export function readGroupSettings(
  src: YamlSource,
  at: YamlPath,
  value: unknown,
  errors: InputError[],
): { groups: Record<string, GroupSettings>; locations: Record<string, SourceLocation> } {
  const groups: Record<string, GroupSettings> = {};
  const locations: Record<string, SourceLocation> = {};
  for (const [key, g] of Object.entries(obj(value))) {
    const settings: GroupSettings = { ignoredComponents: strList(obj(g).ignoredComponents) };
    const ct = obj(g).customTarget;
    if (ct !== undefined) {
      const base: YamlPath = [...at, key, 'customTarget'];
      const target = targetAt(src, [...base, 'target'], errors);
      const reviewDate = String(obj(ct).reviewDate);
      if (reviewDateProblem(reviewDate) !== null) {
        const p = [...base, 'reviewDate'];
        errors.push(new InputError(`${formatPath(p)}: "${reviewDate}" is not a calendar date (YYYY-MM-DD)`, locatePath(src, p)));
      }
      const expiresWhen = obj(ct).expiresWhen;
      const shareAbove = expiresWhen === undefined ? undefined : targetAt(src, [...base, 'expiresWhen', 'trafficShareAbove'], errors);
      if (target !== undefined) {
        const custom: CustomTarget = { target, reason: String(obj(ct).reason), reviewDate };
        if (shareAbove !== undefined) custom.expiresWhen = { trafficShareAbove: shareAbove };
        settings.customTarget = custom;
      }
    }
    groups[key] = settings;
    locations[key] = locatePath(src, [...at, key], true);
  }
  return { groups, locations };
}
