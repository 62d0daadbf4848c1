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
  /** Budget API base URL (`budget-lens serve`); empty = no budget figures from a Budget API. */
  apiUrl: string;
  /** Prometheus-compatible base URL, used when `apiUrl` is empty (budgetBackend.ts). */
  prometheusUrl: string;
  /** The developer's group key for the status bar; empty = the active file's group. */
  group: string;
  /** Seconds between budget refreshes, at least MIN_REFRESH_SECONDS. */
  refreshIntervalSeconds: number;
  /** Burn alerts (burnAlertWatcher.ts): fetch the F16 evaluation, notify once per episode, the status bar's tier. */
  burnAlertsEnabled: boolean;
}

export const MIN_REFRESH_SECONDS = 30;

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
    apiUrl: c.get<string>('api.url', '').trim().replace(/\/+$/, ''),
    prometheusUrl: c.get<string>('prometheus.url', '').trim().replace(/\/+$/, ''),
    group: c.get<string>('group', '').trim(),
    refreshIntervalSeconds: Math.max(MIN_REFRESH_SECONDS, c.get<number>('refreshIntervalSeconds', 300)),
    burnAlertsEnabled: c.get<boolean>('burnAlerts.enabled', true),
  };
}

/** True when a configuration change touches one of our keys (`budgetLens.codeLens.enabled`…). */
export function affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
  return event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`);
}
