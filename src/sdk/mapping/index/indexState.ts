/**
 * The data behind a WorkspaceIndex: per-file scan results, the class registry used to resolve
 * inheritance across files, the reverse dependency map that makes incremental updates cheap, and
 * the lookup tables (endpoint id, category). A cold build fills a fresh state and swaps it in, so a
 * cancelled build never leaves a half-built index behind.
 */
import type { RubyClassFacts, RubyFileFacts } from '../ruby/index';
import { composeRailsRoutes, viewTemplate } from '../ruby/railsRoutes';
import type { RailsRoutes, RailsRoutesFacts } from '../ruby/railsRoutes';
import type { Endpoint, FileMapping, Finding } from '../types';
import type { AnnotationScan } from './mappingMerge';

/** What the index keeps per file once the text is gone. */
export interface FileRecord {
  file: string;
  /**
   * Undefined for a file the cold build never opened (ripgrep found none of the index's markers
   * in it) until a path rule needs the length of its whole-file range.
   */
  lineCount?: number;
  ruby?: RubyFileFacts;
  /** GraphQL operations mapping (needs no cross-file resolution). */
  graphql?: FileMapping;
  annotations?: AnnotationScan;
  scanFindings: Finding[];
}

interface ClassEntry {
  file: string;
  facts: RubyClassFacts;
}

/** The names a class's mounts and includes may mean, each once. */
function mountNames(cls: RubyClassFacts): Set<string> {
  const names = new Set<string>();
  for (const m of cls.mounts) for (const name of m.candidates) names.add(name);
  return names;
}

function byFile(a: { file: string }, b: { file: string }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

export class IndexState {
  readonly records = new Map<string, FileRecord>();
  readonly mappings = new Map<string, FileMapping>();
  /** Findings about entries the walk skipped before any file was read (symlinks, FIFOs). */
  walkFindings: Finding[] = [];
  private readonly classes = new Map<string, ClassEntry[]>();
  /** Class/module name -> files whose facts depend on it. */
  private readonly dependents = new Map<string, Set<string>>();
  /** Class/module name -> the classes and modules with a `mount`/`include` naming it (a candidate of). */
  private readonly mounters = new Map<string, RubyClassFacts[]>();
  private readonly endpointsById = new Map<string, Endpoint>();
  /** Endpoint id -> how many endpoints (across files) carry it. */
  private readonly definitions = new Map<string, number>();
  private readonly filesByCategory = new Map<string, Set<string>>();
  /** Routes files' facts; `routes` is composed from them when first asked for after a change. */
  private readonly routesFiles = new Map<string, RailsRoutesFacts>();
  private routes: RailsRoutes | undefined | null = null;
  /** Controller path -> action -> how many template files (CE and EE may both have one). */
  private readonly templates = new Map<string, Map<string, number>>();

  /** The workspace's Rails routes (RubyResolveContext.railsRoutes). */
  railsRoutes(): RailsRoutes | undefined {
    if (this.routes === null) this.routes = composeRailsRoutes(this.routesFiles);
    return this.routes;
  }

  /** Actions with a template, by controller path (RubyResolveContext.templatesOf). */
  templatesOf(path: string): ReadonlySet<string> | undefined {
    const actions = this.templates.get(path);
    return actions === undefined ? undefined : new Set(actions.keys());
  }

  /** Adds (or, with `present` false, removes) a view template; returns its controller path, or undefined when `file` is none. */
  setView(file: string, present: boolean): string | undefined {
    const view = viewTemplate(file);
    if (view === undefined) return undefined;
    let actions = this.templates.get(view.dir);
    if (actions === undefined) this.templates.set(view.dir, (actions = new Map()));
    const count = (actions.get(view.action) ?? 0) + (present ? 1 : -1);
    if (count > 0) actions.set(view.action, count);
    else actions.delete(view.action);
    return view.dir;
  }

  /** A class by fully qualified name: a definition with a superclass beats a bare reopening. */
  lookupClass(name: string): RubyClassFacts | undefined {
    const entries = this.classes.get(name);
    if (!entries) return undefined;
    return (entries.find((e) => e.facts.superclass !== undefined) ?? entries[0])?.facts;
  }

  /** Classes and modules that mount or include `name` (RubyResolveContext.mountersOf). */
  mountersOf(name: string): readonly RubyClassFacts[] {
    return this.mounters.get(name) ?? [];
  }

  /**
   * Files to re-resolve when the mounts and includes of `classes` changed: the mounted classes'
   * and included modules' files (their routes run where they are mounted), and theirs in turn.
   */
  mountedFilesOf(classes: Iterable<RubyClassFacts>): Set<string> {
    const files = new Set<string>();
    const seen = new Set<string>();
    const queue = [...classes];
    while (queue.length > 0) {
      const cls = queue.pop() as RubyClassFacts;
      for (const m of cls.mounts) {
        for (const name of m.candidates) {
          if (seen.has(name)) continue;
          seen.add(name);
          for (const entry of this.classes.get(name) ?? []) {
            files.add(entry.file);
            queue.push(entry.facts);
          }
        }
      }
    }
    return files;
  }

  classCount(): number {
    return this.classes.size;
  }

  /**
   * Installs or replaces a file's record, keeping the class registry and dependency map in step.
   * The file's resolved mapping stays until the caller resolves it again (setMapping), so an edit
   * that keeps the file's endpoint ids updates the lookup tables in place.
   */
  putRecord(record: FileRecord): void {
    this.forgetRecord(record.file);
    this.records.set(record.file, record);
    const ruby = record.ruby;
    if (!ruby) return; // most records: no classes, no dependencies (and no empty lists to allocate)
    if (ruby.railsRoutes) {
      this.routesFiles.set(record.file, ruby.railsRoutes);
      this.routes = null;
    }
    for (const cls of ruby.classes) {
      const entries = this.classes.get(cls.name);
      const entry = { file: record.file, facts: cls };
      if (!entries) {
        this.classes.set(cls.name, [entry]);
        continue;
      }
      entries.push(entry);
      // A cold build adds files in path order, so the list is usually still sorted (a stable sort
      // of a sorted list changes nothing).
      const before = entries[entries.length - 2] as ClassEntry;
      if (byFile(before, entry) > 0) entries.sort(byFile);
    }
    for (const cls of ruby.classes) {
      for (const name of mountNames(cls)) {
        const list = this.mounters.get(name);
        if (list) list.push(cls);
        else this.mounters.set(name, [cls]);
      }
    }
    for (const dep of ruby.dependsOn) {
      let set = this.dependents.get(dep);
      if (!set) this.dependents.set(dep, (set = new Set()));
      set.add(record.file);
    }
  }

  /** Forgets a file: its record, its classes, its dependencies and its mapping. */
  dropRecord(file: string): void {
    this.forgetRecord(file);
    this.setMapping(file, undefined);
  }

  private forgetRecord(file: string): void {
    const old = this.records.get(file);
    if (!old) return;
    this.records.delete(file);
    if (this.routesFiles.delete(file)) this.routes = null;
    for (const cls of old.ruby?.classes ?? []) {
      const entries = this.classes.get(cls.name)?.filter((e) => e.file !== file);
      if (entries?.length) this.classes.set(cls.name, entries);
      else this.classes.delete(cls.name);
    }
    for (const dep of old.ruby?.dependsOn ?? []) this.dependents.get(dep)?.delete(file);
    for (const cls of old.ruby?.classes ?? []) {
      for (const name of mountNames(cls)) {
        const list = this.mounters.get(name)?.filter((c) => c !== cls);
        if (list?.length) this.mounters.set(name, list);
        else this.mounters.delete(name);
      }
    }
  }

  /** Class names a record defines. */
  static definedNames(record: FileRecord | undefined): string[] {
    return record?.ruby?.classes.map((c) => c.name) ?? [];
  }

  /**
   * Files to re-resolve when classes named `names` changed: their dependents, and transitively
   * the dependents of classes those files define (A < B < C: a change to C reaches A).
   */
  dependentsOf(names: Iterable<string>): Set<string> {
    const affected = new Set<string>();
    const queue = [...names];
    const seenNames = new Set(queue);
    while (queue.length > 0) {
      const name = queue.pop() as string;
      for (const file of this.dependents.get(name) ?? []) {
        if (affected.has(file)) continue;
        affected.add(file);
        for (const defined of IndexState.definedNames(this.records.get(file))) {
          if (!seenNames.has(defined)) {
            seenNames.add(defined);
            queue.push(defined);
          }
        }
      }
    }
    return affected;
  }

  /** Replaces a file's resolved mapping and its contributions to the lookup tables. */
  setMapping(file: string, mapping: FileMapping | undefined): void {
    const old = this.mappings.get(file);
    if (old && mapping && isKept(mapping) && sameEndpointIds(old.endpoints, mapping.endpoints)) {
      this.replaceMapping(file, old, mapping);
      return;
    }
    if (old) {
      for (const ep of old.endpoints) {
        const left = (this.definitions.get(ep.id) ?? 1) - 1;
        if (left > 0) this.definitions.set(ep.id, left);
        else this.definitions.delete(ep.id);
        if (this.endpointsById.get(ep.id)?.file !== file) continue;
        this.endpointsById.delete(ep.id);
        // The same id defined in another file (a copy, a reopened class) takes over the lookup;
        // the definition count keeps this scan to the rare ids that really are duplicated.
        const other = left > 0 ? this.duplicateOwner(ep.id, file) : undefined;
        if (other) this.endpointsById.set(ep.id, other);
      }
      for (const cat of categoriesIn(old)) this.filesByCategory.get(cat)?.delete(file);
    }
    if (!mapping || !isKept(mapping)) {
      this.mappings.delete(file);
      return;
    }
    this.mappings.set(file, mapping);
    // The first file (by path) to define an endpoint id owns it, so lookups are stable; a
    // GraphQL operation's `.graphql` source beats the generated known-operations yml (ownsBefore).
    for (const ep of mapping.endpoints) {
      this.definitions.set(ep.id, (this.definitions.get(ep.id) ?? 0) + 1);
      const current = this.endpointsById.get(ep.id);
      if (!current || current.file === file || ownsBefore(ep, current)) this.endpointsById.set(ep.id, ep);
    }
    for (const cat of categoriesIn(mapping)) {
      let set = this.filesByCategory.get(cat);
      if (!set) this.filesByCategory.set(cat, (set = new Set()));
      set.add(file);
    }
  }

  /**
   * The common edit (a category or urgency changed, a body edited): the same endpoint ids in the
   * same order, so the id -> definition counts stand and each id keeps its owner file; only the
   * objects and the category index change. A quarter of the map operations of drop-and-add,
   * which on a 3,000-line controller's 182 endpoints is most of the lookup-table cost.
   */
  private replaceMapping(file: string, old: FileMapping, mapping: FileMapping): void {
    this.mappings.set(file, mapping);
    for (let i = 0; i < mapping.endpoints.length; i++) {
      const ep = mapping.endpoints[i] as Endpoint;
      if (this.endpointsById.get(ep.id) === old.endpoints[i]) this.endpointsById.set(ep.id, ep);
    }
    const before = categoriesIn(old);
    const after = categoriesIn(mapping);
    for (const cat of before) if (!after.has(cat)) this.filesByCategory.get(cat)?.delete(file);
    for (const cat of after) {
      if (before.has(cat)) continue;
      let set = this.filesByCategory.get(cat);
      if (!set) this.filesByCategory.set(cat, (set = new Set()));
      set.add(file);
    }
  }

  /** Rare path (duplicate endpoint ids): the first other file, by path, defining `id`. */
  private duplicateOwner(id: string, except: string): Endpoint | undefined {
    let best: Endpoint | undefined;
    for (const [file, mapping] of this.mappings) {
      if (file === except) continue;
      const ep = mapping.endpoints.find((e) => e.id === id);
      if (ep && (!best || ownsBefore(ep, best))) best = ep;
    }
    return best;
  }

  /** allEndpoints().length without building and sorting the list. */
  endpointCount(): number {
    return this.endpointsById.size;
  }

  endpoint(id: string): Endpoint | undefined {
    return this.endpointsById.get(id);
  }

  allEndpoints(): Endpoint[] {
    return [...this.endpointsById.values()].sort((a, b) => byFile(a, b) || a.line - b.line || (a.id < b.id ? -1 : 1));
  }

  filesOfCategory(category: string): string[] {
    return [...(this.filesByCategory.get(category) ?? [])].sort();
  }

  categories(): string[] {
    return [...this.filesByCategory.entries()].filter(([, files]) => files.size > 0).map(([c]) => c).sort();
  }
}

/**
 * Which of two definitions of one endpoint id the lookup shows: a GraphQL operation defined in a
 * `.graphql` document beats the same operation in graphql_known_operations.yml (the yml is
 * generated from the documents, and may be stale; the document is the code you edit and has the
 * operation's own line); otherwise the first file by path.
 */
function ownsBefore(a: Endpoint, b: Endpoint): boolean {
  const generatedA = a.kind === 'graphql' && !a.file.endsWith('.graphql');
  const generatedB = b.kind === 'graphql' && !b.file.endsWith('.graphql');
  if (generatedA !== generatedB) return generatedB;
  return a.file < b.file;
}

/** A mapping worth keeping: anything to show, look up or report. */
function isKept(mapping: FileMapping): boolean {
  return mapping.categories.length > 0 || mapping.endpoints.length > 0 || mapping.findings.length > 0 || (mapping.objectives?.length ?? 0) > 0;
}

function sameEndpointIds(a: readonly Endpoint[], b: readonly Endpoint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if ((a[i] as Endpoint).id !== (b[i] as Endpoint).id) return false;
  return true;
}

function categoriesIn(mapping: FileMapping): Set<string> {
  const cats = new Set<string>();
  for (const r of mapping.categories) cats.add(r.category);
  for (const ep of mapping.endpoints) cats.add(ep.category);
  return cats;
}
