/**
 * The catalog in force at each moment (issue 15 item 1, docs/domain.md "Catalog history"): a list
 * of epochs, each a catalog in force from its `from` until the next one's. GitLab's handbook: "Updates
 * to feature categories only change how future events are mapped to stage groups", so a source
 * attributes each hour to the group that owned the category at that hour, never with today's
 * catalog for the whole window.
 *
 * Where the epochs come from: an explicit `catalog.history` list in `.budgetlens.yml`
 * (config/catalogHistoryConfig.ts, loaded by loadConfiguredCatalogHistory below) or the git history
 * of the catalog files (project/catalogGitHistory.ts). Pure: no I/O here but the loader.
 *
 * Before the first epoch's `from` the first catalog is used: it is the earliest one known.
 */
import type { CatalogChange } from '../contract/budgetSource';
import { NOT_OWNED_GROUP } from './types';
import type { Catalog, GroupInfo } from './types';

export interface CatalogEpoch {
  /** Epoch ms the catalog came in force. */
  from: number;
  catalog: Catalog;
  /** Where it came from, for messages: `.budgetlens.yml:12`, `commit 1a2b3c4`. */
  label: string;
}

/** A part of a time range during which one catalog was in force: [start, end). */
export interface EpochSegment {
  start: number;
  end: number;
  catalog: Catalog;
  label: string;
}

export class CatalogHistory {
  readonly epochs: readonly CatalogEpoch[];

  /** `epochs` in any order; strictly increasing `from` after sorting (duplicates are refused by the readers). */
  constructor(epochs: readonly CatalogEpoch[]) {
    if (epochs.length === 0) throw new RangeError('a catalog history needs at least one catalog');
    this.epochs = [...epochs].sort((a, b) => a.from - b.from);
    for (let i = 1; i < this.epochs.length; i++) {
      if (this.epochs[i]!.from === this.epochs[i - 1]!.from) throw new RangeError(`two catalogs from the same instant ${new Date(this.epochs[i]!.from).toISOString()}`);
    }
  }

  /** The history of one catalog that never changed. */
  static single(catalog: Catalog, label = 'catalog'): CatalogHistory {
    return new CatalogHistory([{ from: Number.NEGATIVE_INFINITY, catalog, label }]);
  }

  /** The epoch in force at `at` (the first one before its `from`). */
  private indexAt(at: number): number {
    let i = 0;
    while (i + 1 < this.epochs.length && this.epochs[i + 1]!.from <= at) i++;
    return i;
  }

  catalogAt(at: Date | number): Catalog {
    return this.epochs[this.indexAt(typeof at === 'number' ? at : at.getTime())]!.catalog;
  }

  /** The group that owned `category` at `at` (not_owned for a category no group listed then). */
  groupOf(category: string, at: Date | number): GroupInfo {
    return this.catalogAt(at).groupOf(category);
  }

  /** The newest catalog (in force from the last epoch on). */
  get latest(): Catalog {
    return this.epochs[this.epochs.length - 1]!.catalog;
  }

  /** True when the catalog changes inside (start, end): a source must split the range. */
  spansChange(start: number, end: number): boolean {
    return this.epochs.some((e, i) => i > 0 && e.from > start && e.from < end);
  }

  /**
   * [start, end) cut at every epoch boundary inside it, oldest first. `align` moves each boundary
   * (the store: up to the next whole hour, since an hour bucket goes to the catalog in force at its start).
   */
  segments(start: number, end: number, align: (ms: number) => number = (ms) => ms): EpochSegment[] {
    const out: EpochSegment[] = [];
    let i = 0;
    while (i + 1 < this.epochs.length && align(this.epochs[i + 1]!.from) <= start) i++;
    let s = start;
    while (s < end) {
      const next = this.epochs[i + 1];
      const cut = next === undefined ? end : Math.min(end, Math.max(s, align(next.from)));
      if (cut > s) out.push({ start: s, end: cut, catalog: this.epochs[i]!.catalog, label: this.epochs[i]!.label });
      s = Math.max(s, cut);
      if (next === undefined) break;
      i++;
    }
    return out;
  }

  /**
   * What moved inside (start, end]: each change of the catalog in force, at its instant, oldest
   * first. A group whose categories all went to one new key that did not exist before (and the old
   * key is gone) is a `group_renamed`, its categories not listed one by one.
   */
  changesWithin(start: Date | number, end: Date | number): CatalogChange[] {
    const s = typeof start === 'number' ? start : start.getTime();
    const e = typeof end === 'number' ? end : end.getTime();
    const out: CatalogChange[] = [];
    for (let i = 1; i < this.epochs.length; i++) {
      const epoch = this.epochs[i]!;
      if (!(epoch.from > s && epoch.from <= e)) continue;
      out.push(...catalogDiff(this.epochs[i - 1]!.catalog, epoch.catalog, new Date(epoch.from).toISOString()));
    }
    return out;
  }
}

/** The changes from catalog `a` to catalog `b` at `at` (see changesWithin). */
export function catalogDiff(a: Catalog, b: Catalog, at: string): CatalogChange[] {
  const ownerA = (c: string): string | undefined => a.categories.get(c)?.group;
  const ownerB = (c: string): string | undefined => b.categories.get(c)?.group;
  // Renames: an old key gone in b whose categories (at least one) all went to one key new in b.
  const renamed = new Map<string, string>();
  for (const [key, info] of a.groups) {
    if (b.groups.has(key) || info.categories.length === 0) continue;
    const targets = new Set(info.categories.map((c) => ownerB(c)));
    const [to] = [...targets];
    if (targets.size === 1 && to !== undefined && !a.groups.has(to)) renamed.set(key, to);
  }
  const out: CatalogChange[] = [...renamed].sort(([x], [y]) => x.localeCompare(y)).map(([from, to]) => ({ at, kind: 'group_renamed', from, to }));
  const categories = [...new Set([...a.categories.keys(), ...b.categories.keys()])].sort();
  for (const category of categories) {
    const from = ownerA(category);
    const to = ownerB(category);
    if (from === to || (from !== undefined && to !== undefined && renamed.get(from) === to)) continue;
    if (from === undefined && to !== undefined && to !== NOT_OWNED_GROUP) out.push({ at, kind: 'category_added', category, to });
    else if (to === undefined && from !== undefined && from !== NOT_OWNED_GROUP) out.push({ at, kind: 'category_removed', category, from });
    else if (from !== undefined && to !== undefined) out.push({ at, kind: 'category_moved', category, from, to });
  }
  return out;
}

/** One line per change: `2026-11-15T00:00:00.000Z: team_planning moved from project_management to knowledge`. */
export function describeCatalogChange(c: CatalogChange): string {
  switch (c.kind) {
    case 'group_renamed':
      return `${c.at}: group ${c.from} renamed to ${c.to}`;
    case 'category_moved':
      return `${c.at}: ${c.category} moved from ${c.from} to ${c.to}`;
    case 'category_added':
      return `${c.at}: ${c.category} added to ${c.to}`;
    case 'category_removed':
      return `${c.at}: ${c.category} removed from ${c.from}`;
  }
}
