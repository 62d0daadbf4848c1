/**
 * Hover on `feature_category :x` and `urgency :y` (class, per-action and Grape route option forms):
 * category -> group -> stage, the urgency's apdex threshold, and the endpoints the line covers,
 * all from the local index and catalog. With a budget backend configured, a category's hover adds
 * its budget as BudgetData knows it now (never awaited): spent, remaining, availability, the
 * group's remaining minutes and the top 3 failing endpoints, each a link that jumps to its code
 * when this workspace defines it; "loading" while the first answer is on its way (asking starts
 * the fetch, the next hover has it); what failed, with the links that fix it. Backend text is escaped.
 * Under each failing endpoint this workspace defines: the commits that touched its code in the
 * window and the day the category's spend rose (commitHistory.ts: git's answer as known now).
 */
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { BudgetData } from './budgetData';
import type { BudgetSession } from './budgetSession';
import type { CommitHistory } from './commitHistory';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import { budgetFailureHoverLines, budgetHoverLines, budgetLoadingHoverLines, endpointHoverLines } from './text/budgetText';
import { categoryHoverLines, declarationAt, endpointsCovered, urgencyHoverLines } from './text/mappingText';
import { attributionText, localObjective, objectiveHoverLines } from './text/objectiveText';
import type { LocalObjective } from './text/objectiveText';
import type { RootIndexer } from './rootIndexer';
import type { WorkspaceIndexer } from './workspaceIndexer';

export class MappingHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly indexer: WorkspaceIndexer,
    private readonly budget?: { session: BudgetSession; data: BudgetData; commits?: CommitHistory },
  ) {}

  /** The hover's budget section for a category, from what is known now; undefined without a backend. */
  private budgetLines(category: string, groupName: string): string[] | undefined {
    const data = this.budget?.data;
    const entry = data?.category(category);
    if (!data || !entry || !this.budget) return undefined;
    // Asked together with the category, so one hover starts all three requests.
    const top = data.topEndpoints(category);
    const daily = data.categoryDaily(category);
    if (entry.value === undefined) return entry.failure ? budgetFailureHoverLines(category, entry.failure, this.budget.session.fixCommands) : budgetLoadingHoverLines(category);
    const group = data.group(entry.value.group);
    // Any root that defines an endpoint id makes it a link (Go to Endpoint searches them all).
    const inWorkspace = (id: string): boolean => this.indexer.indexes.some((i) => i.current?.index.endpoint(id) !== undefined);
    return budgetHoverLines({
      figures: entry.value,
      groupName,
      group: group?.value,
      topEndpoints: top?.value,
      topEndpointsLoading: top?.loading === true,
      inWorkspace,
      failure: entry.failure ?? top?.failure,
      lastGoodAt: entry.fetchedAt,
      // How the figures are computed: the answer's window and query, the daily sparkline (asked with the hover).
      explain: { meta: data.meta('category', category), daily: daily?.value, dailyLoading: daily?.loading === true },
      // What changed (issue 14 item 5): git's answer as known now, over the answer's window (asking starts `git log`).
      changed: (id) => this.budget?.commits?.commits(id, data.meta('category', category)?.window)?.value,
    });
  }

  /**
   * On an endpoint's definition line (where its lens sits): its own figures (F15) and how they are
   * computed, from what is known now; nothing without a backend or off such a line.
   */
  private endpointHover(file: string, index: RootIndexer, position: vscode.Position): vscode.Hover | undefined {
    const data = this.budget?.data;
    const ws = index.current;
    if (!data || !ws) return undefined;
    const endpoint = ws.index.fileMapping(file)?.endpoints.find((e) => e.line === position.line + 1);
    if (!endpoint || !ws.catalog.isValidCategory(endpoint.category)) return undefined;
    const lines = endpointHoverLines({ endpointId: endpoint.id, category: endpoint.category, entry: data.endpoint(endpoint.id), meta: data.meta('endpoint', endpoint.id) });
    if (lines.length === 0) return undefined;
    const markdown = new vscode.MarkdownString(['**Budget Lens**', ...lines].join('\n'));
    markdown.isTrusted = { enabledCommands: [] };
    return new vscode.Hover(markdown, new vscode.Range(position.line, 0, position.line, Number.MAX_SAFE_INTEGER));
  }

  /**
   * On a `@slo` tag line, or the first line of the function or class it annotates (where the
   * objective lenses sit): each objective's figures and how they are computed (issue 13 item 6),
   * from what is known now.
   */
  private objectiveHover(file: string, index: RootIndexer, position: vscode.Position): vscode.Hover | undefined {
    const ws = index.current;
    const ranges = ws?.index.fileMapping(file)?.objectives ?? [];
    const line = position.line + 1;
    const range = ranges.find((r) => r.line === line) ?? ranges.find((r) => r.startLine === line && r.scope !== 'file');
    if (!ws || !range) return undefined;
    const why = attributionText({ attribution: 'annotation', range });
    const local = (name: string): LocalObjective | undefined => {
      const spec = ws.objectives.objectives.find((o) => o.name === name);
      return spec ? localObjective(spec, relative(index.root, spec.location.file).split(sep).join('/')) : undefined;
    };
    const sections = range.objectives.flatMap((name, i) => [...(i > 0 ? ['', '---', ''] : []), ...objectiveHoverLines(name, this.budget?.data.objective(name), why, local(name))]);
    const markdown = new vscode.MarkdownString(['**Budget Lens**', '', ...sections].join('\n'));
    markdown.isTrusted = { enabledCommands: [] };
    markdown.supportThemeIcons = true;
    return new vscode.Hover(markdown, new vscode.Range(position.line, 0, position.line, Number.MAX_SAFE_INTEGER));
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const located = this.indexer.locate(document.uri);
    if (located === undefined || token.isCancellationRequested) return undefined;
    const { file, index } = located;
    const lineText = document.lineAt(position.line).text;
    // `feature_category :x` / `urgency :y` are Ruby; endpoints (annotated ones too) and `@slo` lines are any language.
    const decl = document.languageId === 'ruby' ? declarationAt(lineText, position.character) : undefined;
    if (!decl) return this.endpointHover(file, index, position) ?? this.objectiveHover(file, index, position);
    // Before the folder's first build ends: the file read on its own (as its lenses are).
    const preview = index.current === undefined ? await index.preview(file, document.getText()) : undefined;
    const ws = index.current ?? preview?.ws;
    if (!ws || token.isCancellationRequested) return undefined;
    const mapping = preview ? preview.mapping : ws.index.fileMapping(file);
    const fileEndpoints = mapping?.endpoints ?? [];
    const covered = endpointsCovered(decl, position.line + 1, fileEndpoints);
    const suggestion = mapping?.findings.find((f) => f.code === 'unknown_category' && f.line === position.line + 1)?.suggestion;
    const budget = decl.attribute === 'feature_category' && ws.catalog.isValidCategory(decl.value) ? this.budgetLines(decl.value, ws.catalog.groupOf(decl.value).name) : undefined;
    const lines =
      decl.attribute === 'feature_category'
        ? categoryHoverLines(decl.value, ws.catalog, covered, suggestion, budget, ws.catalogOrigin.label)
        : urgencyHoverLines(decl.value, covered, fileEndpoints);
    const markdown = new vscode.MarkdownString(lines.join('\n'));
    // The endpoint lines link to Go to Endpoint, a failing backend's lines to its fixes; trust those commands and no other.
    markdown.isTrusted = {
      enabledCommands: [CONTRIBUTED_COMMANDS.goToEndpoint, CONTRIBUTED_COMMANDS.showCommit, CONTRIBUTED_COMMANDS.refreshBudget, CONTRIBUTED_COMMANDS.setApiUrl, CONTRIBUTED_COMMANDS.setPrometheusUrl, CONTRIBUTED_COMMANDS.setApiToken],
    };
    return new vscode.Hover(markdown, new vscode.Range(position.line, decl.start, position.line, decl.end));
  }
}
