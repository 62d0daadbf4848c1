/**
 * Burn alerts in the editor (domain.md F16): watches the burn-rates answers BudgetData holds for
 * the developer's group (developerGroup.ts) and the categories of the visible editors, keeps the
 * episodes (burnAlerts.ts) in workspaceState, and shows one notification per episode with
 * Open Budget Panel and Go to Top Offender. Episodes step once every scope's answer of a refresh
 * is in, and a category whose group fires at the same tier or above is left to the group's
 * notification (one burn, one message). The status bar reads `firing` for its tier.
 * `budgetLens.burnAlerts.enabled: false` stops the fetching, the notifications and the tier.
 * Never awaits a figure: it evaluates what is known now whenever BudgetData changes.
 */
import * as vscode from 'vscode';
import type { BurnAlertTier, BurnTierEvaluation, Scope } from '../sdk';
import type { BudgetData } from './budgetData';
import { scopeKey } from './budgetData';
import type { BudgetSession } from './budgetSession';
import { EPISODE_QUIET_MS, EPISODE_STATE_KEY, observe, readBook } from './burnAlerts';
import type { Episode, EpisodeBook, Observation } from './burnAlerts';
import { CONTRIBUTED_COMMANDS } from './commandIds';
import { definesEndpoint, developerGroup, localCatalog } from './developerGroup';
import { Disposable } from './disposable';
import type { JumpTarget } from './navigation';
import { goToEndpoint } from './navigation';
import type { BurnScopeLabel } from './text/burnAlertText';
import { BURN_ALERT_ACTIONS, OPEN_PANEL_ACTION, TOP_OFFENDER_ACTION, burnAlertMessage } from './text/burnAlertText';
import { notificationSafe } from './text/safeText';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** A scope that fires now: what the status bar shows. */
export interface FiringScope {
  scope: Scope;
  label: BurnScopeLabel;
  evaluation: BurnTierEvaluation;
}

/** A notification as shown (the tests read them through `_testState`). */
export interface BurnNotification {
  scope: string;
  tier: BurnAlertTier;
  message: string;
  actions: string[];
  at: number;
}

/** What `_testState` reports about burn alerts (tests only). */
export interface BurnAlertTestState {
  enabled: boolean;
  episodes: Record<string, Episode>;
  notifications: BurnNotification[];
  firing?: { scope: string; tier: BurnAlertTier; text: string };
}

const SEVERITY: Readonly<Record<BurnAlertTier, number>> = { ticket: 1, page: 2 };

export class BurnAlertWatcher extends Disposable {
  private readonly changeEmitter = this.own(new vscode.EventEmitter<void>());
  /** The firing scope changed (the status bar redraws). */
  readonly onDidChange = this.changeEmitter.event;
  private book: EpisodeBook;
  private enabled: boolean;
  private current: FiringScope | undefined;
  private readonly shown: BurnNotification[] = [];
  /** The scope and tier each notification is about, for its actions. */
  private readonly subjects: Array<{ scope: Scope; window: string }> = [];

  constructor(
    private readonly indexer: WorkspaceIndexer,
    private readonly session: BudgetSession,
    private readonly budget: BudgetData,
    private readonly memento: vscode.Memento,
    enabled: boolean,
  ) {
    super();
    this.enabled = enabled;
    this.book = readBook(memento.get(EPISODE_STATE_KEY));
    budget.setAlertScopes(() => (this.enabled ? this.scopes() : []));
    this.ownAll(
      budget.onDidChange(() => this.evaluate()),
      vscode.window.onDidChangeActiveTextEditor(() => this.evaluate()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.evaluate()),
      indexer.onDidChangeIndexes(() => this.evaluate()),
    );
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.evaluate();
  }

  /** The most severe scope firing now (the developer's group first on a tie); undefined when none or disabled. */
  get firing(): FiringScope | undefined {
    return this.current;
  }

  get testState(): BurnAlertTestState {
    const f = this.current;
    return {
      enabled: this.enabled,
      episodes: structuredClone(this.book.episodes),
      notifications: this.shown.map((n) => ({ ...n, actions: [...n.actions] })),
      ...(f ? { firing: { scope: scopeKey(f.scope), tier: f.evaluation.tier, text: `${f.label.kind} ${f.label.name}` } } : {}),
    };
  }

  /** The developer's group, then the visible editors' categories. */
  private scopes(): Scope[] {
    const group = developerGroup(this.indexer);
    return [...(group ? [{ group }] : []), ...this.budget.visibleCategories().map((category) => ({ category }))];
  }

  private label(scope: Scope): BurnScopeLabel {
    if ('category' in scope) return { kind: 'category', name: scope.category };
    return { kind: 'group', name: localCatalog(this.indexer)?.group(scope.group)?.name ?? scope.group };
  }

  /** Episodes are per backend: the same group on another server is another burn. */
  private episodeKey(scope: Scope): string {
    return `${this.session.apiUrl} ${scopeKey(scope)}`;
  }

  /** Reads what is known now for every scope, steps the episodes, notifies, and updates `firing`. */
  private evaluate(): void {
    if (this.isDisposed) return;
    const now = Date.now();
    let firing: FiringScope | undefined;
    const observations: Observation[] = [];
    const byKey = new Map<string, { scope: Scope; evaluation: BurnTierEvaluation | undefined }>();
    if (this.enabled && this.session.client) {
      let loading = false;
      for (const scope of this.scopes()) {
        const known = this.budget.burnAlert(scope);
        if (known?.loading) loading = true;
        const alert = known?.value;
        if (!alert || known.fetchedAt === undefined) continue;
        const key = this.episodeKey(scope);
        const evaluation = alert.tiers.find((t) => t.tier === alert.tier);
        observations.push({ scope: key, tier: alert.tier, fetchedAt: known.fetchedAt });
        byKey.set(key, { scope, evaluation });
        // The tier lasts while the newest answer fires (a failing backend's old answer stops counting after the quiet time).
        if (evaluation && now - known.fetchedAt < EPISODE_QUIET_MS && (!firing || SEVERITY[evaluation.tier] > SEVERITY[firing.evaluation.tier])) {
          firing = { scope, label: this.label(scope), evaluation };
        }
      }
      // Episodes step once every scope's answer is in: a category and its group answered by one
      // refresh are judged together (the group's notification covers its category's).
      if (!loading) this.step(observations, byKey, now);
    }
    const before = this.current;
    this.current = firing;
    if (before?.evaluation !== firing?.evaluation) this.changeEmitter.fire();
  }

  private step(observations: Observation[], byKey: Map<string, { scope: Scope; evaluation: BurnTierEvaluation | undefined }>, now: number): void {
    const step = observe(this.book, observations, now);
    if (step.changed) {
      this.book = step.book;
      void this.memento.update(EPISODE_STATE_KEY, this.book);
    }
    // The tier each group fires at now, to leave out a category whose group already says it.
    const groupTier = new Map<string, BurnAlertTier>();
    for (const { scope, evaluation } of byKey.values()) if ('group' in scope && evaluation) groupTier.set(scope.group, evaluation.tier);
    const catalog = localCatalog(this.indexer);
    for (const notice of step.notices) {
      const subject = byKey.get(notice.scope);
      if (!subject?.evaluation) continue;
      if ('category' in subject.scope && catalog?.isValidCategory(subject.scope.category)) {
        const covering = groupTier.get(catalog.groupOf(subject.scope.category).key);
        if (covering && SEVERITY[covering] >= SEVERITY[notice.tier]) continue;
      }
      this.notify(subject.scope, subject.evaluation, notice.escalated);
    }
  }

  private notify(scope: Scope, evaluation: BurnTierEvaluation, escalated: boolean): void {
    const message = burnAlertMessage(this.label(scope), evaluation, escalated);
    const index = this.shown.length;
    this.shown.push({ scope: this.episodeKey(scope), tier: evaluation.tier, message, actions: [...BURN_ALERT_ACTIONS], at: Date.now() });
    this.subjects.push({ scope, window: evaluation.long.window });
    void Promise.resolve(vscode.window.showWarningMessage(message, ...BURN_ALERT_ACTIONS)).then((picked) => (picked ? this.runAction(index, picked) : undefined));
  }

  /**
   * A notification's action (also what `_testBurnAlertAction` runs): Open Budget Panel, or Go to
   * Top Offender, the scope's top failing endpoint over the burning (long) window that this
   * workspace defines.
   */
  async runAction(index: number, action: string): Promise<JumpTarget | boolean | undefined> {
    const subject = this.subjects[index < 0 ? this.subjects.length + index : index];
    if (!subject) return undefined;
    if (action === OPEN_PANEL_ACTION) {
      await vscode.commands.executeCommand(CONTRIBUTED_COMMANDS.openBudgetPanel);
      return true;
    }
    if (action !== TOP_OFFENDER_ACTION) return undefined;
    let rows;
    try {
      rows = await this.budget.topOffenders(subject.scope, subject.window);
    } catch (e) {
      void vscode.window.showWarningMessage(notificationSafe(`Budget Lens: could not read the top failing endpoints: ${e instanceof Error ? e.message : String(e)}`));
      return undefined;
    }
    const top = rows.find((r) => r.failures > 0 && definesEndpoint(this.indexer, r.endpointId));
    if (!top) {
      void vscode.window.showInformationMessage('Budget Lens: none of the top failing endpoints is defined in this workspace.');
      return undefined;
    }
    return goToEndpoint(this.indexer, top.endpointId);
  }
}
