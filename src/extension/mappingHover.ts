/**
 * Hover on `feature_category :x` and `urgency :y` (class, per-action and Grape route option forms):
 * category -> group -> stage, the urgency's apdex threshold, and the endpoints the line covers,
 * all from the local index and catalog. With a Budget API configured, a category's hover adds its
 * budget (BudgetData): spent, remaining, availability, and the top 3 failing endpoints, each a
 * link that jumps to its code when this workspace defines it. Backend text is escaped.
 */
import * as vscode from 'vscode';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import { categoryHoverLines, declarationAt, endpointsCovered, urgencyHoverLines } from './text/mappingText';
import type { BudgetData } from './budgetData';
import type { WorkspaceIndexer } from './workspaceIndexer';

export class MappingHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly indexer: WorkspaceIndexer,
    private readonly budget?: BudgetData,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const located = this.indexer.locate(document.uri);
    if (located === undefined || token.isCancellationRequested) return undefined;
    const { file, index } = located;
    const lineText = document.lineAt(position.line).text;
    const decl = declarationAt(lineText, position.character);
    if (!decl) return undefined;
    // Before the folder's first build ends: the file read on its own (as its lenses are).
    const preview = index.current === undefined ? await index.preview(file, document.getText()) : undefined;
    const ws = index.current ?? preview?.ws;
    if (!ws || token.isCancellationRequested) return undefined;
    const mapping = preview ? preview.mapping : ws.index.fileMapping(file);
    const fileEndpoints = mapping?.endpoints ?? [];
    const covered = endpointsCovered(decl, position.line + 1, fileEndpoints);
    const suggestion = mapping?.findings.find((f) => f.code === 'unknown_category' && f.line === position.line + 1)?.suggestion;
    let budget: string[] | undefined;
    if (decl.attribute === 'feature_category' && ws.catalog.isValidCategory(decl.value) && this.budget?.enabled) {
      // Any root that defines an endpoint id makes it a link (Go to Endpoint searches them all).
      const inWorkspace = (id: string): boolean => this.indexer.indexes.some((i) => i.current?.index.endpoint(id) !== undefined);
      budget = await this.budget.hoverLines(decl.value, ws.catalog.groupOf(decl.value).name, inWorkspace, token);
      if (token.isCancellationRequested) return undefined;
    }
    const lines =
      decl.attribute === 'feature_category'
        ? categoryHoverLines(decl.value, ws.catalog, covered, suggestion, budget, ws.catalogOrigin.label)
        : urgencyHoverLines(decl.value, covered, fileEndpoints);
    const markdown = new vscode.MarkdownString(lines.join('\n'));
    // The endpoint lines link to Go to Endpoint, a failing backend's lines to its fixes; trust those commands and no other.
    markdown.isTrusted = {
      enabledCommands: [CONTRIBUTED_COMMANDS.goToEndpoint, CONTRIBUTED_COMMANDS.refreshBudget, CONTRIBUTED_COMMANDS.setApiUrl, CONTRIBUTED_COMMANDS.setPrometheusUrl, CONTRIBUTED_COMMANDS.setApiToken],
    };
    return new vscode.Hover(markdown, new vscode.Range(position.line, decl.start, position.line, decl.end));
  }
}
