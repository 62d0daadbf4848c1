/**
 * The index's findings as Problems on the right file:line:col (unknown category, re-declared
 * action, per-action value under a class default, unknown urgency, parse errors, skipped files),
 * plus the quick fix "Change to <suggestion>" for an unknown category.
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import type { Finding } from '../sdk/mapping/types';
import { findingColumns } from './text/mappingText';
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

export class MappingDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('budgetLens');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private enabled: boolean;

  constructor(
    private readonly indexer: WorkspaceIndexer,
    enabled: boolean,
  ) {
    this.enabled = enabled;
    this.disposables.push(indexer.onDidChangeMapping((files) => this.refresh(files)));
    this.refreshAll();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.refreshAll();
  }

  /** Recomputes every file's problems (after a full build or a settings change). */
  refreshAll(): void {
    this.collection.clear();
    const ws = this.indexer.current;
    if (!this.enabled || !ws) return;
    const byFile = new Map<string, Finding[]>();
    for (const f of ws.index.findings()) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const [file, findings] of byFile) this.set(file, findings);
  }

  private refresh(files: readonly string[]): void {
    const ws = this.indexer.current;
    if (!this.enabled || !ws) return;
    // A full build reports every file: recompute from scratch rather than file by file.
    if (files.length > 1 && files.length >= ws.index.files().length) {
      this.refreshAll();
      return;
    }
    for (const file of files) this.set(file, ws.index.fileMapping(file)?.findings ?? []);
  }

  private set(file: string, findings: readonly Finding[]): void {
    const uri = this.indexer.uriOf(file);
    if (!uri) return;
    if (findings.length === 0) {
      this.collection.delete(uri);
      return;
    }
    const lines = fileLines(uri);
    this.collection.set(uri, findings.map((f) => toDiagnostic(f, lines)));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** "Change to team_planning" on an unknown category, from the index's suggestion. */
export class CategoryQuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly indexer: WorkspaceIndexer) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const file = this.indexer.relativePath(document.uri);
    const findings = file !== undefined ? (this.indexer.current?.index.fileMapping(file)?.findings ?? []) : [];
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
