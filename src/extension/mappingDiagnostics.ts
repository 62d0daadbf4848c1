/**
 * The index's findings as Problems on the right file:line:col (unknown category, re-declared
 * action, per-action value under a class default, unknown urgency, parse errors, skipped files),
 * and the config's (the SDK's configFindings: a path rule's unknown category, a custom target past
 * its review date) on `.budgetlens.yml`'s lines, plus the quick fix "Change to <suggestion>" for
 * an unknown category.
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import type { Finding, OpenedWorkspace } from '../sdk';
import { configFindings } from '../sdk';
import { Disposable } from './disposable';
import { findingColumns } from './text/mappingText';
import type { MappingChange, RootIndexer } from './rootIndexer';
import type { WorkspaceIndexer } from './workspaceIndexer';

export const DIAGNOSTIC_SOURCE = 'Budget Lens';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The text of a file's lines: the open buffer if there is one, else the file on disk. */
function fileLines(uri: vscode.Uri): string[] {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText().split(/\r?\n/);
  try {
    return readFileSync(uri.fsPath, 'utf8').split(/\r?\n/);
  } catch {
    return [];
  }
}

export function toDiagnostic(finding: Finding, lines: readonly string[]): vscode.Diagnostic {
  const line = Math.max(0, finding.line - 1);
  const { start, end } = findingColumns(lines[line] ?? '', finding.column);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(line, start, line, end), finding.message, SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = finding.code;
  return diagnostic;
}

/** A file's findings: the index's, and the config's when the file is the root's `.budgetlens.yml`. */
function findingsOf(ws: OpenedWorkspace, file: string): Finding[] {
  return [...configFindings(ws).filter((f) => f.file === file), ...(ws.index.fileMapping(file)?.findings ?? [])];
}

export class MappingDiagnostics extends Disposable {
  private readonly collection = this.own(vscode.languages.createDiagnosticCollection('budgetLens'));
  /** The documents each root has problems on, so a root's rebuild or removal clears only its own. */
  private readonly shown = new Map<RootIndexer, Set<string>>();
  private enabled: boolean;

  constructor(
    private readonly indexer: WorkspaceIndexer,
    enabled: boolean,
  ) {
    super();
    this.enabled = enabled;
    this.ownAll(
      indexer.onDidChangeMapping((change) => this.refresh(change)),
      indexer.onDidChangeIndexes(({ removed }) => {
        for (const index of removed) this.clear(index);
      }),
    );
    this.refreshAll();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.refreshAll();
  }

  /** Recomputes every root's problems (after a settings change). */
  refreshAll(): void {
    this.collection.clear();
    this.shown.clear();
    for (const index of this.indexer.indexes) this.refreshRoot(index);
  }

  /** Recomputes one root's problems from scratch (after its full build). */
  private refreshRoot(index: RootIndexer): void {
    this.clear(index);
    const ws = index.current;
    if (!this.enabled || !ws) return;
    const byFile = new Map<string, Finding[]>();
    for (const f of [...configFindings(ws), ...ws.index.findings()]) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const [file, findings] of byFile) this.set(index, file, findings);
  }

  private refresh({ index, files, full }: MappingChange): void {
    if (full) {
      this.refreshRoot(index);
      return;
    }
    const ws = index.current;
    if (!this.enabled || !ws) return;
    for (const file of files) this.set(index, file, findingsOf(ws, file));
  }

  private clear(index: RootIndexer): void {
    for (const key of this.shown.get(index) ?? []) this.collection.delete(vscode.Uri.parse(key));
    this.shown.delete(index);
  }

  private set(index: RootIndexer, file: string, findings: readonly Finding[]): void {
    const uri = index.uriOf(file);
    const shown = this.shown.get(index) ?? new Set<string>();
    this.shown.set(index, shown);
    if (findings.length === 0) {
      this.collection.delete(uri);
      shown.delete(uri.toString());
      return;
    }
    const lines = fileLines(uri);
    this.collection.set(uri, findings.map((f) => toDiagnostic(f, lines)));
    shown.add(uri.toString());
  }
}

/** "Change to team_planning" on an unknown category, from the index's suggestion. */
export class CategoryQuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly indexer: WorkspaceIndexer) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const located = this.indexer.locate(document.uri);
    const ws = located?.index.current;
    const findings = located && ws ? findingsOf(ws, located.file) : [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code !== 'unknown_category') continue;
      const line = diagnostic.range.start.line;
      const finding = findings.find(
        (f) => f.code === 'unknown_category' && f.line - 1 === line && findingColumns(document.lineAt(line).text, f.column).start === diagnostic.range.start.character,
      );
      if (!finding?.suggestion) continue;
      const action = new vscode.CodeAction(`Change to ${finding.suggestion}`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, diagnostic.range, finding.suggestion);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}
