/**
 * The budget panel (browser bundle dist/webview.js). Talks to the host only through
 * src/shared/protocol.ts: says `ready`, then draws each `state` and `stale` message; its buttons
 * post `refresh`, `chooseGroup`, `monthlyReport`, `goToEndpoint` and `openObjective`. Every string from the host is set with
 * textContent (dom.ts); the UI is @vscode-elements/elements plus VS Code's theme variables.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import type { Chart } from 'chart.js';
import type { BudgetState, HostToWebview, PanelAdjusted, PanelChanged, PanelData, PanelFix, PanelObjective, PanelStale, PanelView, WebviewToHost } from '../src/shared/protocol';
import { drawBudgetChart, drawBurnDownChart } from './budgetChart';
import { buildBudgetChartModel, buildBurnDownModel } from './chartModel';
import { el, table } from './dom';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') ?? document.body;
let view: PanelView = { kind: 'loading', groupKey: undefined };
let stale: PanelStale | null = null;
let chart: Chart | undefined;
/** One burn-down per objective tile, destroyed before the next render. */
const burnDowns: Chart[] = [];

const STATE_LABELS: Record<BudgetState, string> = {
  exhausted: 'exhausted',
  overHalf: 'over half spent',
  fine: 'fine',
  noData: 'no data',
};

function button(label: string, message: WebviewToHost, secondary = true): HTMLElement {
  const b = el('vscode-button', { secondary, 'data-action': message.type }, label);
  b.addEventListener('click', () => vscode.postMessage(message));
  return b;
}

/** `changed: a1b2c3d 2026-11-20 "Fix board list" (Jane) — … spend rose most on …`: each sha a link that asks the host to show the commit. */
function changedLine(endpointId: string, changed: PanelChanged): HTMLElement {
  const parts: Array<Node | string> = changed.commits.length > 0 ? ['changed: '] : [];
  changed.commits.forEach((c, i) => {
    const link = el('a', { 'href': '#', 'class': 'commit', 'data-sha': c.sha, 'title': `Show commit ${c.sha}` }, c.shortSha);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      vscode.postMessage({ type: 'showCommit', endpointId, sha: c.sha });
    });
    parts.push(...(i > 0 ? ['; '] : []), link, ` ${c.text}`);
  });
  parts.push(changed.text);
  // One line, cut with an ellipsis in a narrow column (panelHtml.ts .changed): the whole of it in the tooltip.
  const whole = `${changed.commits.length > 0 ? 'changed: ' : ''}${changed.commits.map((c) => `${c.shortSha} ${c.text}`).join('; ')}${changed.text}`;
  return el('div', { class: 'changed muted', title: whole }, ...parts);
}

function stateBadge(state: BudgetState): HTMLElement {
  return el('vscode-badge', { class: `state-${state}`, 'data-state': state }, STATE_LABELS[state]);
}

function figure(label: string, value: string, cls?: string): HTMLElement {
  return el('div', { class: 'figure' }, el('div', { class: cls ? `value ${cls}` : 'value' }, value), el('div', { class: 'label' }, label));
}

function staleBanner(s: PanelStale): HTMLElement {
  const status = s.status === 0 ? 'no response' : `HTTP ${s.status}`;
  return el(
    'div',
    { class: 'banner', id: 'stale-banner', role: 'alert' },
    el('strong', {}, 'Stale data'),
    el('span', { class: 'reason' }, s.reasonText),
    el('div', { class: 'muted' }, `${s.url} · ${status}${s.lastGoodText ? ` · last good data ${s.lastGoodText}` : ''}`),
  );
}

/** A part without data: why it failed (never "Loading…" for a request that is over), or the loading line. */
function missing(reason: string | undefined, loading: string): HTMLElement {
  return reason === undefined ? el('p', { class: 'muted' }, loading) : el('p', { class: 'part-error', role: 'status' }, reason);
}

const FIX_LABELS: Record<PanelFix, string> = { refresh: 'Retry', changeUrl: 'Change the backend URL…', setToken: 'Set API Token…' };

function fixButton(fix: PanelFix): HTMLElement {
  return button(FIX_LABELS[fix], fix === 'refresh' ? { type: 'refresh' } : { type: 'fix', fix }, fix !== 'refresh');
}

/** One objective (issue 13): its name (opens the definition), target, SLI, budget left, burn, and its burn-down. */
function objectiveTile(o: PanelObjective, i: number): HTMLElement {
  const name = el('a', { href: '#', class: 'objective-name', title: 'Open its definition' }, o.displayName);
  name.addEventListener('click', (e) => {
    e.preventDefault();
    vscode.postMessage({ type: 'openObjective', name: o.name });
  });
  const tile = el(
    'div',
    { class: `objective objective-${o.state}`, id: `objective-${i}`, 'data-objective': o.name },
    el('div', { class: 'objective-head' }, stateBadge(o.state), ' ', name, el('span', { class: 'muted' }, ` ${o.targetText}`)),
    el('div', { class: 'muted' }, o.sliText),
    el(
      'div',
      { class: 'figures' },
      figure('SLI vs target', o.sliVsTargetText, `state-${o.state}`),
      ...(o.budgetLeftText ? [figure('budget left', o.budgetLeftText, `state-${o.state}`)] : []),
      ...(o.burnText ? [figure('last hour', o.burnText)] : []),
    ),
  );
  if (o.alertText) tile.append(el('p', { class: 'exceeded' }, o.alertText));
  if (o.burnDown && o.burnDown.length > 0) {
    tile.append(el('div', { class: 'chart small' }, el('canvas', { id: `burndown-${i}`, class: 'burndown', role: 'img', 'aria-label': `Budget left per day of ${o.displayName}` })));
  } else if (o.burnText) tile.append(el('p', { class: 'muted' }, o.burnDown ? 'No events in the window yet.' : 'Loading the burn-down…'));
  return tile;
}

/** The group's objectives: a heading and a tile each. */
function objectiveSection(d: PanelData): HTMLElement[] {
  if (!d.objectives || d.objectives.length === 0) return [];
  return [el('h2', {}, 'Objectives'), ...d.objectives.map((o, i) => objectiveTile(o, i))];
}

function renderData(d: PanelData): HTMLElement[] {
  const g = d.group;
  const head: HTMLElement[] = [
    el('h1', { id: 'title' }, g.name),
    el('div', { class: 'muted' }, `${g.key} · stage ${g.stage} · target ${g.targetText} · traffic share ${g.trafficShareText}`),
    // Catalog history (issue 15 item 1): what moved inside the window, one text line each.
    ...(d.catalogChanges && d.catalogChanges.length > 0
      ? [el('div', { class: 'catalog-changes', id: 'catalog-changes', title: 'Each hour counts for the group that owned its category then.' }, ...d.catalogChanges.map((c) => el('div', { class: 'catalog-change' }, c)))]
      : []),
  ];
  // A group measured only by its objectives (no request or job data for its categories, as in a
  // workspace with OpenSLO files and no GitLab logs): the objectives lead, the empty availability
  // figures shrink to one line, and the categories follow.
  if (g.state === 'noData' && d.objectives && d.objectives.length > 0) {
    return [
      ...head,
      ...objectiveSection(d),
      el('h2', {}, 'Availability'),
      el('p', { class: 'policy', id: 'availability-no-data' }, stateBadge(g.state), ' ', el('span', { id: 'policy' }, `No request or job data for the group's categories in the window (budget ${g.budgetText} budget-min).`)),
      ...categorySection(d),
    ];
  }
  // Manual adjustments (issue 15 item 3): the measured figures lead, labelled so, the adjusted ones below them.
  const measured = g.adjusted ? ' (as measured)' : '';
  const out: HTMLElement[] = [
    ...head,
    el(
      'div',
      { class: 'figures', id: 'measured-figures' },
      figure(`budget-min spent${measured}`, `${g.spentText} of ${g.budgetText}`, `state-${g.state}`),
      figure(`budget-min remaining${measured}`, g.remainingText, `state-${g.state}`),
      figure(`availability${measured}`, g.availabilityText),
      figure(`of the budget spent${measured}`, g.spentShareText, `state-${g.state}`),
    ),
    ...(g.adjusted ? [adjustedFigures(g.adjusted, g.budgetText)] : []),
    el('p', { class: 'policy' }, stateBadge(g.state), ' ', el('span', { id: 'policy' }, g.policyText)),
    ...(g.adjusted ? adjustmentSection(g.adjusted) : []),
    el('h2', {}, 'Daily spend over the window'),
  ];
  if (d.daily && d.daily.days.length > 0) {
    out.push(el('div', { class: 'chart' }, el('canvas', { id: 'daily-chart', role: 'img', 'aria-label': 'Budget-min spent per day, cumulative, and the budget' })));
  } else {
    out.push(d.daily ? el('p', { class: 'muted' }, 'No failures or traffic in the window.') : missing(d.unavailable?.daily, 'Loading the daily series…'));
  }
  out.push(el('h2', {}, 'Burn rates'));
  if (d.burnRates) {
    out.push(
      table(
        ['window', 'burn rate', 'alert at', 'budget gone in'],
        ['20%', '25%', '25%', '30%'],
        d.burnRates.map((r) => [r.window, r.exceeded ? el('span', { class: 'exceeded' }, `${r.rateText} (alert)`) : r.rateText, r.thresholdText, r.exhaustionText]),
        'Burn rates',
      ),
    );
  } else out.push(missing(d.unavailable?.burnRates, 'Loading the burn rates…'));
  out.push(el('h2', {}, 'Top failing endpoints'));
  if (!d.endpoints) out.push(missing(d.unavailable?.endpoints, 'Loading the top failing endpoints…'));
  else if (d.endpoints.length === 0) out.push(el('p', { class: 'muted' }, 'No failing endpoint in the window.'));
  else {
    out.push(
      table(
        // The share names the category (F15: of its category's spend), so no category column.
        ['endpoint', 'failures', 'budget-min', 'share', 'own avail.', ''],
        ['27%', '10%', '11%', '23%', '13%', '16%'],
        d.endpoints.map((e) => [
          e.changed ? el('div', {}, el('span', { class: 'endpoint-id' }, e.endpointId), changedLine(e.endpointId, e.changed)) : el('span', { class: 'endpoint-id' }, e.endpointId),
          e.failuresText,
          e.minutesText,
          e.shareText,
          e.belowTarget ? el('span', { class: 'below-target', title: 'below the target' }, `⚠ ${e.ownAvailabilityText}`) : e.ownAvailabilityText,
          e.inWorkspace ? button('Go to code', { type: 'goToEndpoint', endpointId: e.endpointId }) : el('span', { class: 'muted' }, 'not in this workspace'),
        ]),
        'Top failing endpoints',
      ),
    );
  }
  out.push(...objectiveSection(d), ...categorySection(d));
  return out;
}

/** The group's adjusted figures, beside the measured ones: `adjusted: 0.00 of 20.16`. */
function adjustedFigures(a: PanelAdjusted, budgetText: string): HTMLElement {
  return el(
    'div',
    { class: 'figures adjusted', id: 'adjusted-figures' },
    figure('adjusted: budget-min spent', `${a.spentText} of ${budgetText}`, `state-${a.state}`),
    figure('adjusted: budget-min remaining', a.remainingText, `state-${a.state}`),
    figure('adjusted: availability', a.availabilityText),
    figure('adjusted: of the budget spent', a.spentShareText, `state-${a.state}`),
  );
}

/** Each manual adjustment that applied: range, scope, reason, link (an <a> only for an http(s) URL), what it removed. */
function adjustmentSection(a: PanelAdjusted): HTMLElement[] {
  return [
    el('h2', {}, 'Manual adjustments'),
    el('p', { class: 'muted' }, 'Spend in these ranges is left out of the adjusted figures; the figures as measured, the policy, the chart, the burn rates and the endpoints are unchanged.'),
    el(
      'ul',
      { class: 'adjustments', id: 'adjustments' },
      ...a.adjustments.map((x) =>
        el(
          'li',
          { class: 'adjustment' },
          el('span', { class: 'adjustment-range' }, x.rangeText),
          ' · ',
          el('span', { class: 'adjustment-scope' }, x.scopeText),
          ': ',
          el('span', { class: 'adjustment-reason' }, x.reason),
          ...(x.linkUrl !== undefined ? [' · ', el('a', { class: 'adjustment-link', href: x.linkUrl, title: x.linkUrl }, x.linkUrl)] : []),
          ...(x.linkText !== undefined ? [' · ', el('span', { class: 'adjustment-link-text' }, x.linkText)] : []),
          el('div', { class: 'muted adjustment-removed' }, x.removedText),
        ),
      ),
    ),
  ];
}

/** A category's spent, remaining or availability cell: the measured figure, its adjusted one on a line below. */
function withAdjusted(measured: string, adjusted: string | undefined): HTMLElement | string {
  return adjusted === undefined ? measured : el('div', {}, measured, el('div', { class: 'muted cell-adjusted' }, `adjusted ${adjusted}`));
}

/** The group's categories: a heading and a table. */
function categorySection(d: PanelData): HTMLElement[] {
  return [
    el('h2', {}, 'Categories'),
    d.categories.length === 0
      ? el('p', { class: 'muted' }, 'Loading the categories…')
      : table(
          ['category', 'spent', 'budget', 'remaining', 'availability', 'state'],
          ['26%', '14%', '14%', '14%', '16%', '16%'],
          d.categories.map((c) => [
            c.category,
            withAdjusted(c.spentText === 'no data' ? c.spentText : `${c.spentText} (${c.spentShareText})`, c.adjusted?.spentText),
            c.budgetText,
            withAdjusted(c.remainingText, c.adjusted?.remainingText),
            withAdjusted(c.availabilityText, c.adjusted?.availabilityText),
            stateBadge(c.state),
          ]),
          'Categories',
        ),
  ];
}

function render(): void {
  chart?.destroy();
  chart = undefined;
  for (const c of burnDowns.splice(0)) c.destroy();
  const nodes: HTMLElement[] = [];
  nodes.push(el('div', { class: 'toolbar' }, button('Refresh', { type: 'refresh' }, false), button('Choose Group…', { type: 'chooseGroup' }), button('Monthly Report…', { type: 'monthlyReport' })));
  if (stale) nodes.push(staleBanner(stale));
  if (view.kind === 'loading') {
    nodes.unshift(el('h1', { id: 'title' }, 'Budget Lens'));
    nodes.push(el('div', { class: 'loading', id: 'loading' }, el('vscode-progress-ring', {}), el('span', {}, view.groupKey ? `Loading the budget of ${view.groupKey}…` : 'Loading…')));
  } else if (view.kind === 'error') {
    nodes.unshift(el('h1', { id: 'title' }, 'Budget Lens'));
    const fixes = view.fixes ?? [];
    nodes.push(
      el(
        'div',
        { class: 'error', id: 'error', role: 'alert' },
        el('strong', {}, view.title),
        el('div', {}, view.message),
        ...(fixes.length > 0 ? [el('div', { class: 'fixes' }, ...fixes.map(fixButton))] : []),
      ),
    );
  } else {
    const [title, ...rest] = renderData(view.data);
    if (title) nodes.unshift(title);
    nodes.push(...rest);
  }
  app.replaceChildren(...nodes);
  if (view.kind === 'ready' && view.data.daily && view.data.daily.days.length > 0) {
    const canvas = document.getElementById('daily-chart');
    if (canvas instanceof HTMLCanvasElement) chart = drawBudgetChart(canvas, buildBudgetChartModel(view.data.daily));
  }
  if (view.kind === 'ready') {
    (view.data.objectives ?? []).forEach((o, i) => {
      const canvas = document.getElementById(`burndown-${i}`);
      if (canvas instanceof HTMLCanvasElement && o.burnDown) burnDowns.push(drawBurnDownChart(canvas, buildBurnDownModel(o.burnDown)));
    });
  }
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'state') view = message.view;
  else if (message.type === 'stale') stale = message.stale;
  else return;
  render();
});

// On a theme change VS Code swaps the body's vscode-light / vscode-dark / vscode-high-contrast class
// (and data-vscode-theme-kind) along with the --vscode-* variables; the chart reads its colours when
// drawn, so draw again (seen in the real workbench: axes kept the dark theme's grey in Light Modern).
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });

render();
vscode.postMessage({ type: 'ready' });
