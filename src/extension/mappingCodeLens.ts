/**
 * CodeLens above each endpoint definition and each class (or file) that declares a feature
 * category: `team_planning · Project Management · plan`.
 *
 * GitLens' recipe (docs/style.md): ranges come from the local index only, never the network; a
 * CodeLens subclass carries what its title needs (computed at once: it never waits); onDidChangeCodeLenses fires only when a
 * file's mapping actually changed or budget data arrived; while the index is rebuilt the last good
 * lenses are returned so the code does not jump.
 *
 * Budget figures come from what BudgetData knows now (the `LensBudget` seam), never awaited: with
 * figures a lens reads `team_planning · 4.03 of 20.16 budget-min (20 %) · 28 d` (group and stage
 * move to the tooltip); while the first answer is on its way, `team_planning · loading budget…`,
 * and BudgetData's onDidChange redraws the lenses when it arrives. Categories outside the catalog
 * are not asked for. The wording is text/budgetText.ts's lensFigure; which lines and titles,
 * text/lensText.ts (no vscode import: `npm run bench:extension` drives it).
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import type { FileMapping, ObjectiveBudget } from '../sdk';
import type { Known } from './budgetCache';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import { Disposable } from './disposable';
import { documentLensSubjects, lensTitleOf } from './text/lensText';
import type { LensFigures } from './text/lensText';
import { objectiveLensFigure, objectiveLensSubjects, objectiveLensTooltip } from './text/objectiveText';
import type { ObjectiveLensSubject } from './text/objectiveText';
import { catalogNote, categoryLensTitle } from './text/mappingText';
import type { LensSubject } from './text/mappingText';
import type { RootIndexer } from './rootIndexer';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** What the lenses read of the budget data (BudgetData): a category's figures as known now. */
export interface LensBudget extends LensFigures {
  /** An objective's status (issue 13) as known now; asking batches the names on screen into one request. */
  objective(name: string): Known<ObjectiveBudget> | undefined;
  /** Fires when what is known changed (an answer arrived), so lenses re-resolve. */
  readonly onDidChange: vscode.Event<void>;
}

/** A lens that knows its subject; its command is filled in by resolveCodeLens. */
export class CategoryCodeLens extends vscode.CodeLens {
  constructor(
    readonly subject: LensSubject,
    readonly file: string,
    /** The root the file belongs to (its catalog titles the lens). */
    readonly index: RootIndexer,
  ) {
    super(new vscode.Range(subject.line - 1, 0, subject.line - 1, 0));
  }
}

/** A lens above code an objective is attached to (issue 13): `SLO workspace-starts · 99.93 % ≥ 99.8 % · 62 % left`. */
export class ObjectiveCodeLens extends vscode.CodeLens {
  constructor(
    readonly objective: ObjectiveLensSubject,
    readonly file: string,
    readonly index: RootIndexer,
  ) {
    super(new vscode.Range(objective.line - 1, 0, objective.line - 1, 0));
  }
}

export type BudgetCodeLens = CategoryCodeLens | ObjectiveCodeLens;

/** New lenses for the same subjects: a lens handed out before keeps its resolved title, and VS Code resolves only lenses without one. */
function unresolved(lenses: readonly BudgetCodeLens[]): BudgetCodeLens[] {
  return lenses.map((l) => (l instanceof ObjectiveCodeLens ? new ObjectiveCodeLens(l.objective, l.file, l.index) : new CategoryCodeLens(l.subject, l.file, l.index)));
}

export class MappingCodeLensProvider extends Disposable implements vscode.CodeLensProvider<BudgetCodeLens> {
  private readonly changeEmitter = this.own(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changeEmitter.event;
  /** Last lenses handed out per absolute path, returned again while the file's root is rebuilding. */
  private readonly lastGood = new Map<string, BudgetCodeLens[]>();
  private budget: LensBudget | undefined;
  private budgetListener: vscode.Disposable | undefined;
  private budgetRefreshes = 0;

  /** The first resolve is logged: with the preview's line, where the first lens's time went. */
  private resolvedOnce = false;

  constructor(
    private readonly indexer: WorkspaceIndexer,
    private readonly log: vscode.OutputChannel,
  ) {
    super();
    this.onDispose(() => {
      this.budgetListener?.dispose();
      this.lastGood.clear();
    });
    this.ownAll(
      indexer.onDidChangeMapping(({ index, files }) => {
        // Only files whose lenses were asked for can be on screen; others are computed on demand.
        const changed = files.map((f) => join(index.root, f)).filter((abs) => this.lastGood.has(abs));
        for (const abs of changed) this.lastGood.delete(abs);
        if (changed.length > 0 || files.length === 0) this.changeEmitter.fire();
      }),
      indexer.onDidChangeState((index) => {
        // A root's first build ends: editors opened before it finished have no lenses yet.
        if (index.state.phase === 'ready' && ![...this.lastGood.keys()].some((abs) => index.contains(abs))) this.changeEmitter.fire();
      }),
      indexer.onDidChangeIndexes(({ removed }) => {
        // A closed root's files have no lenses any more (or those of a root they now fall under).
        for (const abs of [...this.lastGood.keys()]) if (removed.some((i) => i.contains(abs))) this.lastGood.delete(abs);
        this.changeEmitter.fire();
      }),
    );
  }

  /** Installs the budget seam (BudgetData): lenses show its figures and redraw when they change. */
  setBudget(budget: LensBudget | undefined): void {
    this.budgetListener?.dispose();
    this.budget = budget;
    this.budgetListener = budget?.onDidChange(() => {
      this.budgetRefreshes++;
      this.changeEmitter.fire();
    });
    this.changeEmitter.fire();
  }

  /** How many times budget data made the lenses redraw (onDidChangeCodeLenses): the extension-host tests read it. */
  get refreshesForBudget(): number {
    return this.budgetRefreshes;
  }

  /**
   * Lenses come with their titles: a title is what BudgetData knows now (well under a millisecond
   * a lens), and a lens without one costs VS Code a second round trip, resolveCodeLens, after its
   * own debounce. While the first build keeps the extension host busy that round trip was most of
   * the first lens's wait (measured on a GitLab checkout: 1.2 s of 4.9 s).
   */
  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): BudgetCodeLens[] | Promise<BudgetCodeLens[]> {
    const lenses = this.lensesOf(document, token);
    return Array.isArray(lenses) ? this.titled(lenses) : lenses.then((l) => this.titled(l));
  }

  private titled(lenses: BudgetCodeLens[]): BudgetCodeLens[] {
    for (const lens of lenses) this.resolveCodeLens(lens);
    return lenses;
  }

  private lensesOf(document: vscode.TextDocument, token: vscode.CancellationToken): BudgetCodeLens[] | Promise<BudgetCodeLens[]> {
    const located = this.indexer.locate(document.uri);
    if (located === undefined || token.isCancellationRequested) return [];
    const { index, file } = located;
    const abs = document.uri.fsPath;
    const last = this.lastGood.get(abs);
    if (index.state.phase === 'indexing' && last) return unresolved(last);
    const mapping = index.current?.index.fileMapping(file);
    if (mapping) return this.remember(abs, document, file, index, mapping);
    // A root's first build is still reading the tree: the file read on its own gives its lenses
    // now (tens of ms) instead of after the build; the build's mapping replaces them when it ends.
    if (index.current === undefined && index.state.phase === 'indexing' && last === undefined) return this.preview(document, file, index, token);
    return unresolved(last ?? []);
  }

  private async preview(document: vscode.TextDocument, file: string, index: RootIndexer, token: vscode.CancellationToken): Promise<BudgetCodeLens[]> {
    const preview = await index.preview(file, document.getText());
    if (preview === undefined || token.isCancellationRequested) return [];
    return this.remember(document.uri.fsPath, document, file, index, preview.mapping);
  }

  private remember(abs: string, document: vscode.TextDocument, file: string, index: RootIndexer, mapping: FileMapping): BudgetCodeLens[] {
    const lenses: BudgetCodeLens[] = documentLensSubjects(mapping, document.lineCount).map((s) => new CategoryCodeLens(s, file, index));
    // Objectives need the built index (its path rules and categories); a preview has none yet.
    const segments = index.current?.index.objectiveSegments(file) ?? [];
    for (const o of objectiveLensSubjects(segments, document.lineCount)) lenses.push(new ObjectiveCodeLens(o, file, index));
    this.lastGood.set(abs, lenses);
    return lenses;
  }

  /**
   * Never waits: the figures are what BudgetData knows now ("loading" while the answer is on its
   * way). provideCodeLenses titles every lens with it; VS Code calls it only for a lens without one.
   */
  resolveCodeLens(lens: BudgetCodeLens): BudgetCodeLens {
    if (!this.resolvedOnce) {
      this.resolvedOnce = true;
      this.log.appendLine(`first lens titled (extension host up ${process.uptime().toFixed(1)} s)`);
    }
    if (lens instanceof ObjectiveCodeLens) return this.resolveObjective(lens);
    // During a first build the catalog is the one that build opened (its lenses are previews).
    const ws = lens.index.catalogWorkspace;
    const catalog = ws?.catalog;
    const mappingTitle = catalog ? categoryLensTitle(lens.subject.category, catalog) : lens.subject.category;
    const { title, figures } = lensTitleOf(lens.subject, catalog, this.budget);
    const subject = lens.subject.kind === 'endpoint' ? `Endpoint ${lens.subject.endpoint.id}` : `${lens.subject.range.scope} ${lens.subject.range.name}`;
    // The tooltip says which catalog named the group (the bundled snapshot and its date, or the user's).
    const note = ws ? `\n${catalogNote(ws.catalogOrigin.label)}` : '';
    const problem = figures?.problem === undefined ? '' : `\n\n${figures.problem}\nClick to check the budget backend.`;
    const tooltip = `${figures ? `${subject}\n${mappingTitle}` : subject}${note}${problem}`;
    // Stale or missing figures: the click says what failed and offers the fix.
    const command = figures?.problem === undefined ? CONTRIBUTED_COMMANDS.showMapping : CONTRIBUTED_COMMANDS.checkBackend;
    lens.command = { title, tooltip, command, arguments: [] };
    return lens;
  }

  /** An objective's lens: its figures as known now; a click opens its definition (or, stale or failing, checks the backend). */
  private resolveObjective(lens: ObjectiveCodeLens): ObjectiveCodeLens {
    const name = lens.objective.name;
    const entry = this.budget?.objective(name);
    const figure = objectiveLensFigure(name, entry);
    const tooltip = objectiveLensTooltip(name, entry, lens.objective.why, figure.problem);
    lens.command =
      figure.problem === undefined
        ? { title: figure.title, tooltip, command: CONTRIBUTED_COMMANDS.openObjective, arguments: [name, lens.index.root] }
        : { title: figure.title, tooltip, command: CONTRIBUTED_COMMANDS.checkBackend, arguments: [] };
    return lens;
  }
}
