/**
 * The `budgetLens.*` settings (declared with descriptions and scopes in package.json), read in
 * one place so adapters never spell a key twice.
 */
import * as vscode from 'vscode';

export const SETTINGS_SECTION = 'budgetLens';

export interface BudgetLensSettings {
  codeLensEnabled: boolean;
  hoverEnabled: boolean;
  statusBarEnabled: boolean;
  diagnosticsEnabled: boolean;
  /** Directory with stages.yml (+ feature_categories.yml); empty = what .budgetlens.yml says. */
  catalogPath: string;
  /** Quiet time after the last file change before re-indexing the changed files. */
  reindexDelayMs: number;
  /** Let ripgrep rule out files without markers before a cold build (index/ripgrepPrefilter.ts). */
  useRipgrep: boolean;
}

export function readSettings(scope?: vscode.ConfigurationScope): BudgetLensSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return {
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    hoverEnabled: c.get<boolean>('hover.enabled', true),
    statusBarEnabled: c.get<boolean>('statusBar.enabled', true),
    diagnosticsEnabled: c.get<boolean>('diagnostics.enabled', true),
    catalogPath: c.get<string>('catalogPath', '').trim(),
    reindexDelayMs: Math.max(0, c.get<number>('reindexDelayMs', 300)),
    useRipgrep: c.get<boolean>('index.useRipgrep', true),
  };
}

/** True when a configuration change touches one of our keys (`budgetLens.codeLens.enabled`…). */
export function affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
  return event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`);
}
