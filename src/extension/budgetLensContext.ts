/**
 * The one context object `activate` builds (rust-analyzer's ctx.ts, GitLens' container.ts): it
 * creates every adapter, owns every disposable, and reacts to settings changes. Nothing in
 * src/extension registers a listener that this object does not end up owning.
 */
import * as vscode from 'vscode';
import { ApiTokenStore } from './apiToken';
import { BudgetData } from './budgetData';
import { BudgetPanel } from './budgetPanel';
import { FirstContact } from './firstContact';
import { GroupTreeProvider } from './groupTree';
import { registerMappingCommands } from './mappingCommands';
import { MappingCodeLensProvider } from './mappingCodeLens';
import { CategoryQuickFixProvider, MappingDiagnostics } from './mappingDiagnostics';
import { MappingHoverProvider } from './mappingHover';
import { affects, readSettings } from './settings';
import { GroupStatusBar } from './statusBar';
import { WorkspaceIndexer } from './workspaceIndexer';

/** Ruby is what declares categories; annotations and path rules reach any file type. */
const RUBY: vscode.DocumentSelector = [{ scheme: 'file', language: 'ruby' }];
const ANY_FILE: vscode.DocumentSelector = [{ scheme: 'file' }];

export class BudgetLensContext implements vscode.Disposable {
  readonly log = vscode.window.createOutputChannel('Budget Lens');
  readonly indexer = new WorkspaceIndexer(this.log);
  readonly codeLens = new MappingCodeLensProvider(this.indexer);
  readonly budget: BudgetData;
  readonly statusBar: GroupStatusBar;
  readonly tree: GroupTreeProvider;
  readonly panel: BudgetPanel;
  readonly diagnostics: MappingDiagnostics;
  readonly firstContact: FirstContact;
  private readonly disposables: vscode.Disposable[] = [];
  private codeLensRegistration: vscode.Disposable | undefined;
  private hoverRegistration: vscode.Disposable | undefined;

  constructor(version: string, secrets: vscode.SecretStorage, mode: vscode.ExtensionMode, extensionUri: vscode.Uri, workspaceState: vscode.Memento) {
    const settings = readSettings();
    this.budget = new BudgetData(this.indexer, new ApiTokenStore(secrets), this.log);
    this.statusBar = new GroupStatusBar(this.indexer, this.budget, settings.statusBarEnabled);
    this.diagnostics = new MappingDiagnostics(this.indexer, settings.diagnosticsEnabled);
    this.tree = new GroupTreeProvider(this.indexer, this.budget);
    this.panel = new BudgetPanel(extensionUri, this.indexer, this.budget);
    this.firstContact = new FirstContact(this.indexer, workspaceState, this.log);
    this.disposables.push(
      this.log,
      this.indexer,
      this.budget,
      this.codeLens,
      this.statusBar,
      this.diagnostics,
      this.tree,
      this.panel,
      this.firstContact,
      vscode.languages.registerCodeActionsProvider(RUBY, new CategoryQuickFixProvider(this.indexer), { providedCodeActionKinds: CategoryQuickFixProvider.kinds }),
      ...registerMappingCommands({ indexer: this.indexer, statusBar: () => this.statusBar.state, budget: this.budget, tree: this.tree, panel: this.panel, firstContact: this.firstContact, version, activatedAt: Date.now(), tokenArgument: mode === vscode.ExtensionMode.Test }),
      vscode.workspace.onDidChangeConfiguration((e) => this.onSettingsChanged(e)),
    );
    this.applyProviderSettings();
  }

  /** Starts the first builds (one per root) and the budget data in the background; activation does not wait for them. */
  start(): void {
    this.indexer.start();
    this.codeLens.setFigures(this.budget);
    void this.budget.configure();
  }

  /** CodeLens and hover are registered only while enabled (GitLens registers lazily too). */
  private applyProviderSettings(): void {
    const settings = readSettings();
    if (settings.codeLensEnabled && !this.codeLensRegistration) {
      this.codeLensRegistration = vscode.languages.registerCodeLensProvider(ANY_FILE, this.codeLens);
    } else if (!settings.codeLensEnabled && this.codeLensRegistration) {
      this.codeLensRegistration.dispose();
      this.codeLensRegistration = undefined;
    }
    if (settings.hoverEnabled && !this.hoverRegistration) {
      this.hoverRegistration = vscode.languages.registerHoverProvider(RUBY, new MappingHoverProvider(this.indexer, this.budget));
    } else if (!settings.hoverEnabled && this.hoverRegistration) {
      this.hoverRegistration.dispose();
      this.hoverRegistration = undefined;
    }
  }

  private onSettingsChanged(e: vscode.ConfigurationChangeEvent): void {
    if (affects(e, 'codeLens.enabled') || affects(e, 'hover.enabled')) this.applyProviderSettings();
    if (affects(e, 'statusBar.enabled')) this.statusBar.setEnabled(readSettings().statusBarEnabled);
    if (affects(e, 'diagnostics.enabled')) this.diagnostics.setEnabled(readSettings().diagnosticsEnabled);
    // The catalog setting can also make folders without a config indexable: reindex() re-matches roots.
    if (affects(e, 'catalogPath')) void this.indexer.reindex();
    // A new URL (or interval) reconfigures the client and refreshes; the group only moves the status bar.
    if (affects(e, 'api.url') || affects(e, 'prometheus.url') || affects(e, 'refreshIntervalSeconds')) void this.budget.configure();
    if (affects(e, 'group')) this.statusBar.update();
  }

  dispose(): void {
    this.codeLensRegistration?.dispose();
    this.hoverRegistration?.dispose();
    // Reverse order: adapters go before the indexer they listen to.
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
