/**
 * The one context object `activate` builds (rust-analyzer's ctx.ts, GitLens' container.ts): it
 * creates every adapter, owns every disposable, and reacts to settings changes. Nothing in
 * src/extension registers a listener that this object does not end up owning.
 */
import * as vscode from 'vscode';
import { ApiTokenStore } from './apiToken';
import { BudgetData } from './budgetData';
import { BudgetPanel } from './budgetPanel';
import { BudgetSession } from './budgetSession';
import { BurnAlertWatcher } from './burnAlertWatcher';
import { registerCommands } from './commands';
import { Disposable } from './disposable';
import { FirstContact } from './firstContact';
import { GroupTreeProvider } from './groupTree';
import { MappingCodeLensProvider } from './mappingCodeLens';
import { CategoryQuickFixProvider, MappingDiagnostics } from './mappingDiagnostics';
import { MappingHoverProvider } from './mappingHover';
import { CommitHistory } from './commitHistory';
import { affects, readSettings } from './settings';
import { GroupStatusBar } from './statusBar';
import { WorkspaceIndexer } from './workspaceIndexer';
import { CONFIG_FILE_NAME } from '../sdk';

/** Where an unknown category can be fixed: Ruby declarations and `.budgetlens.yml`'s path rules (configFindings). */
const QUICK_FIX: vscode.DocumentSelector = [{ scheme: 'file', language: 'ruby' }, { scheme: 'file', pattern: `**/${CONFIG_FILE_NAME}` }];
/** Lenses and hovers: annotations, path rules and `@slo` reach any file type (Ruby declares categories; the hover reads those only in Ruby). */
const ANY_FILE: vscode.DocumentSelector = [{ scheme: 'file' }];

/**
 * Set in the extension-host tests' environment (test mode only): every build waits from activation
 * until `budgetLens._testHoldIndexing(false)`, so a suite meets a root whose first build has not
 * run (its config and catalog opened, no index).
 */
const HOLD_BUILDS_ENV = 'BUDGET_LENS_TEST_HOLD_BUILDS';

export class BudgetLensContext extends Disposable {
  // Owned in creation order and disposed in reverse: adapters go before the indexer they listen to.
  readonly log = this.own(vscode.window.createOutputChannel('Budget Lens'));
  readonly indexer = this.own(new WorkspaceIndexer(this.log));
  readonly codeLens = this.own(new MappingCodeLensProvider(this.indexer, this.log));
  readonly session: BudgetSession;
  readonly budget: BudgetData;
  readonly burnAlerts: BurnAlertWatcher;
  readonly statusBar: GroupStatusBar;
  readonly tree: GroupTreeProvider;
  readonly panel: BudgetPanel;
  /** What changed (issue 14 item 5): the commits of the top offenders, as known now. */
  readonly commits: CommitHistory;
  readonly diagnostics: MappingDiagnostics;
  readonly firstContact: FirstContact;
  private codeLensRegistration: vscode.Disposable | undefined;
  private hoverRegistration: vscode.Disposable | undefined;

  constructor(version: string, secrets: vscode.SecretStorage, mode: vscode.ExtensionMode, extensionUri: vscode.Uri, workspaceState: vscode.Memento) {
    super();
    const settings = readSettings();
    const testMode = mode === vscode.ExtensionMode.Test;
    const heldBuilds = testMode && process.env[HOLD_BUILDS_ENV] === '1' ? this.indexer.holdBuilds() : undefined;
    this.session = this.own(new BudgetSession(this.indexer, new ApiTokenStore(secrets), this.log));
    this.budget = this.own(new BudgetData(this.session, this.indexer, this.log));
    this.burnAlerts = this.own(new BurnAlertWatcher(this.indexer, this.session, this.budget, workspaceState, settings.burnAlertsEnabled));
    this.statusBar = this.own(new GroupStatusBar(this.indexer, this.budget, settings.statusBarEnabled, this.burnAlerts));
    this.diagnostics = this.own(new MappingDiagnostics(this.indexer, settings.diagnosticsEnabled));
    this.tree = this.own(new GroupTreeProvider(this.indexer, this.session, this.budget));
    this.commits = this.own(new CommitHistory(this.indexer));
    this.panel = this.own(new BudgetPanel(extensionUri, this.indexer, this.session, this.budget, this.commits));
    this.firstContact = this.own(new FirstContact(this.indexer, workspaceState, this.log));
    this.ownAll(
      vscode.languages.registerCodeActionsProvider(QUICK_FIX, new CategoryQuickFixProvider(this.indexer), { providedCodeActionKinds: CategoryQuickFixProvider.kinds }),
      ...registerCommands({
        indexer: this.indexer,
        statusBar: () => this.statusBar.state,
        codeLens: this.codeLens,
        session: this.session,
        budget: this.budget,
        burnAlerts: this.burnAlerts,
        tree: this.tree,
        panel: this.panel,
        firstContact: this.firstContact,
        log: this.log,
        version,
        activatedAt: Date.now(),
        tokenArgument: testMode,
        heldBuilds,
      }),
      vscode.workspace.onDidChangeConfiguration((e) => this.onSettingsChanged(e)),
    );
    this.onDispose(() => {
      this.codeLensRegistration?.dispose();
      this.hoverRegistration?.dispose();
    });
    this.applyProviderSettings();
  }

  /** Starts the first builds (one per root) and the budget session in the background; activation does not wait for them. */
  start(): void {
    this.indexer.start();
    this.codeLens.setBudget(this.budget);
    void this.session.configure();
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
      this.hoverRegistration = vscode.languages.registerHoverProvider(ANY_FILE, new MappingHoverProvider(this.indexer, { session: this.session, data: this.budget, commits: this.commits }));
    } else if (!settings.hoverEnabled && this.hoverRegistration) {
      this.hoverRegistration.dispose();
      this.hoverRegistration = undefined;
    }
  }

  private onSettingsChanged(e: vscode.ConfigurationChangeEvent): void {
    if (affects(e, 'codeLens.enabled') || affects(e, 'hover.enabled')) this.applyProviderSettings();
    if (affects(e, 'statusBar.enabled')) this.statusBar.setEnabled(readSettings().statusBarEnabled);
    if (affects(e, 'burnAlerts.enabled')) this.burnAlerts.setEnabled(readSettings().burnAlertsEnabled);
    if (affects(e, 'diagnostics.enabled')) this.diagnostics.setEnabled(readSettings().diagnosticsEnabled);
    // The catalog setting can also make folders without a config indexable: reindex() re-matches roots.
    if (affects(e, 'catalogPath')) void this.indexer.reindex();
    // A new URL (or interval) reconfigures the client, which refreshes; the group only moves the status bar.
    if (affects(e, 'api.url') || affects(e, 'prometheus.url') || affects(e, 'refreshIntervalSeconds')) void this.session.configure();
    if (affects(e, 'group')) this.statusBar.update();
  }
}
