/**
 * Every command id the extension registers, in one place. No `vscode` import: the manifest check
 * (test/unit/extension-manifest) compares these lists with package.json's `contributes.commands`.
 */

/** Commands users see: each one is contributed in package.json with category "Budget Lens". */
export const CONTRIBUTED_COMMANDS = {
  showVersion: 'budgetLens.showVersion',
  showMapping: 'budgetLens.showMapping',
  goToEndpoint: 'budgetLens.goToEndpoint',
  reindex: 'budgetLens.reindex',
  cancelIndexing: 'budgetLens.cancelIndexing',
  setApiToken: 'budgetLens.setApiToken',
  clearApiToken: 'budgetLens.clearApiToken',
  refreshBudget: 'budgetLens.refreshBudget',
  checkBackend: 'budgetLens.checkBackend',
  openBudgetPanel: 'budgetLens.openBudgetPanel',
  chooseGroup: 'budgetLens.chooseGroup',
  monthlyReport: 'budgetLens.monthlyReport',
  setApiUrl: 'budgetLens.setApiUrl',
  setPrometheusUrl: 'budgetLens.setPrometheusUrl',
  createConfig: 'budgetLens.createConfig',
  pickCatalog: 'budgetLens.pickCatalog',
  /** Opens a commit that touched an endpoint's code (hover and panel links; hidden from the palette: it needs its arguments). */
  showCommit: 'budgetLens.showCommit',
  /** Opens an objective's definition (issue 13): by name from lenses, tree and panel, else a QuickPick of them all. */
  openObjective: 'budgetLens.openObjective',
} as const;

/**
 * Registered but deliberately not contributed: the extension-host tests read state through it.
 * The leading underscore keeps it out of the command palette's fuzzy matches too.
 */
export const INTERNAL_COMMANDS = {
  testState: 'budgetLens._testState',
  /** Hands a WebviewToHost message to the budget panel's host as if its webview had posted it. */
  testPanelMessage: 'budgetLens._testPanelMessage',
  /** `true` holds builds that have not started (WorkspaceIndexer.holdBuilds), `false` lets them run; test mode only. */
  testHoldIndexing: 'budgetLens._testHoldIndexing',
  /** Runs an action of a burn-alert notification (index, negative from the newest; the action's title) as if clicked. */
  testBurnAlertAction: 'budgetLens._testBurnAlertAction',
} as const;

export type ContributedCommandId = (typeof CONTRIBUTED_COMMANDS)[keyof typeof CONTRIBUTED_COMMANDS];
export type InternalCommandId = (typeof INTERNAL_COMMANDS)[keyof typeof INTERNAL_COMMANDS];
export type CommandId = ContributedCommandId | InternalCommandId;

/** The context key that is true while a workspace index is being built (gates Cancel Indexing). */
export const INDEXING_CONTEXT_KEY = 'budgetLens.indexing';
