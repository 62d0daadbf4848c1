/**
 * The "Budget Lens" commands: Show Mapping of Current File, Go to Endpoint… (navigation.ts),
 * Re-index Workspace, Cancel Indexing, Show Version, Set / Clear API Token (the budget session),
 * Refresh Budget Data, Check Budget Backend, Open Budget Panel, Choose Group…, Monthly
 * Error-Budget Report (reportCommand.ts), Set Budget API / Prometheus URL…, Create
 * .budgetlens.yml, Pick a Catalog File…, Show Commit (commitHistory.ts), and the internal ones the extension-host tests use
 * (`_testState`: testState.ts). The handler table is typed by command id, so a command missing
 * here fails to compile and the manifest check (test/unit/extension-manifest) keeps package.json
 * in step.
 */
import * as vscode from 'vscode';
import { isWebviewToHost } from '@shared/protocol';
import { backendLabel } from './budgetBackend';
import type { CommandId } from './commandIds';
import { CONTRIBUTED_COMMANDS, INTERNAL_COMMANDS } from './commandIds';
import { showCommit } from './commitHistory';
import { chooseGroup } from './developerGroup';
import { setBackendUrl } from './firstContact';
import { goToEndpoint, goToObjective, showMapping } from './navigation';
import { monthlyReport } from './reportCommand';
import type { BackendProblem } from './text/budgetText';
import { backendProblemText } from './text/budgetText';
import type { TestState, TestStateSources } from './testState';
import { testState } from './testState';

/** The adapters the commands drive: the ones the test state reads, plus the log and the version. */
export interface CommandDeps extends TestStateSources {
  log: vscode.OutputChannel;
  version: string;
  /**
   * Whether Set API Token takes the token as an argument (the extension-host tests, which cannot
   * type into the password box). Otherwise any extension could plant a token by calling the command.
   */
  tokenArgument: boolean;
  /** Releases builds held since activation (test mode only, BUDGET_LENS_TEST_HOLD_BUILDS): `_testHoldIndexing(false)` calls it. */
  heldBuilds?: () => void;
}

/** Reindex and cancel take the Uri of a file (the status bar passes the active one) to act on its root only. */
function uriArg(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : undefined;
}

/** Check Budget Backend: what failed and the buttons that fix it (returned for the tests; the message is not awaited). */
function checkBackend(deps: CommandDeps): BackendProblem {
  const { session } = deps;
  let problem: BackendProblem;
  if (!session.enabled) {
    const kind = session.configuredKind;
    const message = kind === undefined ? 'Budget Lens: no budget backend is set (budgetLens.api.url or budgetLens.prometheus.url).' : `Budget Lens: ${backendLabel(kind)} ${session.apiUrl} waits for the workspace's catalog (indexing).`;
    problem = { message, actions: ['Change URL', 'Show Log'] };
  } else {
    const { failure, lastGoodAt } = deps.budget.problem();
    problem = backendProblemText(session.label, session.apiUrl, failure, lastGoodAt);
  }
  void offerFixes(deps, problem);
  return problem;
}

async function offerFixes(deps: CommandDeps, problem: BackendProblem): Promise<void> {
  const show = problem.actions.includes('Retry') ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const picked = await show(problem.message, ...problem.actions);
  const fix = deps.session.fixCommands;
  if (picked === 'Retry') await vscode.commands.executeCommand(fix.retry);
  else if (picked === 'Change URL') await vscode.commands.executeCommand(deps.session.configuredKind === undefined ? CONTRIBUTED_COMMANDS.setApiUrl : fix.setUrl);
  else if (picked === 'Set API Token') await vscode.commands.executeCommand(fix.setToken);
  else if (picked === 'Show Log') deps.log.show(true);
}

/** `{ name: true }` in a command's options object. */
function option(options: unknown, name: string): boolean {
  return typeof options === 'object' && options !== null && (options as Record<string, unknown>)[name] === true;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { indexer, session, budget } = deps;
  let releaseBuilds: (() => void) | undefined = deps.heldBuilds;
  /** A session change starts a refresh: the command resolves once it has settled (the tests read its result). */
  const refreshed = async <T>(done: Promise<T>): Promise<T> => {
    const result = await done;
    await budget.whenRefreshed();
    return result;
  };
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    [CONTRIBUTED_COMMANDS.showVersion]: () => vscode.window.showInformationMessage(`Budget Lens ${deps.version}`),
    [CONTRIBUTED_COMMANDS.showMapping]: () => showMapping(indexer),
    [CONTRIBUTED_COMMANDS.goToEndpoint]: (id?: unknown) => goToEndpoint(indexer, typeof id === 'string' ? id : undefined),
    [CONTRIBUTED_COMMANDS.reindex]: (uri?: unknown) => indexer.reindex(uriArg(uri)),
    [CONTRIBUTED_COMMANDS.cancelIndexing]: (uri?: unknown) => indexer.cancel(uriArg(uri)),
    // A string argument sets the token without the input box (scripts and the extension-host tests).
    [CONTRIBUTED_COMMANDS.setApiToken]: (token?: unknown) => refreshed(session.setToken(deps.tokenArgument && typeof token === 'string' ? token : undefined)),
    [CONTRIBUTED_COMMANDS.clearApiToken]: () => refreshed(session.clearToken()),
    [CONTRIBUTED_COMMANDS.refreshBudget]: () => budget.refresh(),
    [CONTRIBUTED_COMMANDS.checkBackend]: () => checkBackend(deps),
    [CONTRIBUTED_COMMANDS.openBudgetPanel]: () => deps.panel.show(),
    // A string argument picks the group without the quick pick (the extension-host tests).
    [CONTRIBUTED_COMMANDS.chooseGroup]: (key?: unknown) => chooseGroup(indexer, typeof key === 'string' ? key : undefined),
    [CONTRIBUTED_COMMANDS.monthlyReport]: (month?: unknown) => monthlyReport(session, budget, month),
    // A string argument is the URL (checked like the input box's): scripts and the extension-host tests.
    [CONTRIBUTED_COMMANDS.setApiUrl]: (url?: unknown) => setBackendUrl('api.url', url),
    [CONTRIBUTED_COMMANDS.setPrometheusUrl]: (url?: unknown) => setBackendUrl('prometheus.url', url),
    [CONTRIBUTED_COMMANDS.createConfig]: (folder?: unknown) => deps.firstContact.createConfig(folder),
    // A string argument is the picked path (no file dialog); a Uri second argument names the folder.
    [CONTRIBUTED_COMMANDS.pickCatalog]: (path?: unknown, folder?: unknown) => deps.firstContact.pickCatalog(path, folder),
    // (endpoint id, sha): the hover's and the panel's links.
    [CONTRIBUTED_COMMANDS.openObjective]: (name?: unknown, root?: unknown) => goToObjective(indexer, typeof name === 'string' ? name : undefined, typeof root === 'string' ? root : undefined),
    [CONTRIBUTED_COMMANDS.showCommit]: (endpointId?: unknown, sha?: unknown) => showCommit(indexer, endpointId, sha),
    [INTERNAL_COMMANDS.testBurnAlertAction]: (index?: unknown, action?: unknown) =>
      typeof index === 'number' && typeof action === 'string' ? deps.burnAlerts.runAction(index, action) : undefined,
    [INTERNAL_COMMANDS.testPanelMessage]: (message?: unknown) => (isWebviewToHost(message) ? deps.panel.handle(message) : undefined),
    // Test mode only (deps.tokenArgument): any other caller could stall indexing with it.
    [INTERNAL_COMMANDS.testHoldIndexing]: (hold?: unknown) => {
      if (!deps.tokenArgument) return false;
      if (hold === true) releaseBuilds ??= indexer.holdBuilds();
      else {
        releaseBuilds?.();
        releaseBuilds = undefined;
      }
      return true;
    },
    // Waits for the index unless `{ noWait: true }` (a test that holds a build reads the state meanwhile).
    [INTERNAL_COMMANDS.testState]: async (options?: unknown): Promise<TestState> => {
      if (!option(options, 'noWait')) await indexer.whenIdle();
      return testState(deps, option(options, 'picks'), option(options, 'tree'));
    },
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
