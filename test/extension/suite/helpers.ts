/**
 * Shared by the extension-host suites: the example workspace's files, the internal state command,
 * and a poll for things the editor settles asynchronously (diagnostics, status bar).
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BudgetKeyState, TestState } from '../../../src/extension/testState';
import type { PanelData, PanelView, StateMessage } from '../../../src/shared/protocol';

export const EXTENSION_ID = 'budget-lens.budget-lens';

/** Where the extension under test is loaded from (the repo, or the packaged layout). */
export function extensionPath(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} not found`);
  return ext.extensionPath;
}

/** The example workspace the launcher opens (examples/gitlab-style). */
export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open: the launcher must open examples/gitlab-style');
  return folder.uri.fsPath;
}

export function workspaceUri(file: string): vscode.Uri {
  return vscode.Uri.file(join(workspaceRoot(), file));
}

export async function openFile(file: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(file));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Activates the extension and waits for the index (the command awaits any build in progress). */
export async function testState(options?: { picks?: boolean; tree?: boolean }): Promise<TestState> {
  await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  const state = await vscode.commands.executeCommand<TestState>('budgetLens._testState', options);
  if (!state) throw new Error('budgetLens._testState returned nothing');
  return state;
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `ms`. */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** Lens titles by 1-based line, resolved (the provider fills in titles in resolveCodeLens). */
export async function lensTitles(file: string): Promise<Array<[number, string]>> {
  // The editor's CodeLens command needs a loaded document ("Illegal argument" otherwise).
  await vscode.workspace.openTextDocument(workspaceUri(file));
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceUri(file), 1000);
  return (lenses ?? [])
    .filter((l) => l.command?.command.startsWith('budgetLens.'))
    .map((l): [number, string] => [l.range.start.line + 1, l.command?.title ?? ''])
    .sort((a, b) => a[0] - b[0]);
}

/** The hover's markdown at a 1-based line and column, joined. */
export async function hoverText(file: string, line: number, column: number): Promise<string> {
  await vscode.workspace.openTextDocument(workspaceUri(file));
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', workspaceUri(file), new vscode.Position(line - 1, column - 1));
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .filter((v) => v.includes('Budget Lens'))
    .join('\n---\n');
}

/** Backend text in a hover is backslash-escaped Markdown (text/safeText.ts): this is what a reader sees of it. */
export function unescapeMarkdown(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

// ---- the budget suites (budgetData, panelTree, report, prometheus) ----

export const ISSUES = 'app/controllers/projects/issues_controller.rb';

/** IssuesController's lenses with figures: five team_planning actions, then service_desk's. */
export function issuesLenses(teamPlanning: string, serviceDesk: string): Array<[number, string]> {
  return [
    [16, teamPlanning],
    [26, teamPlanning],
    [36, teamPlanning],
    [40, teamPlanning],
    [50, teamPlanning],
    [55, serviceDesk],
  ];
}

/**
 * IssuesController's lenses against budgetLog.ts's request log (budgetData.test.ts's header
 * computes them): each endpoint's own figures (F15).
 */
export const API_ISSUES_LENSES: Array<[number, string]> = [
  [16, "3 failures · 3.02 budget-min (50.00 % of team_planning's spend) · 99.985 % ≥ 99.95 % · #1 of 3 in team_planning"],
  [26, "1 failure · 1.01 budget-min (16.67 % of team_planning's spend) · 99.975 % ≥ 99.95 % · #3 of 3 in team_planning"],
  [36, 'team_planning · no traffic'],
  [40, "2 failures · 2.02 budget-min (33.33 % of team_planning's spend) · 99.980 % ≥ 99.95 % · #2 of 3 in team_planning"],
  [50, 'no failures · 100.000 % ≥ 99.95 %'],
  [55, 'service_desk · no traffic'],
];

export const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('budgetLens');
/** A user setting of ours (`api.url`, `group`, ...); undefined removes it. */
export const setSetting = (key: string, value: unknown): Thenable<void> => config().update(key, value, vscode.ConfigurationTarget.Global);

/** Points the editor at a Budget API as a user does: the URL setting, then the token (SecretStorage). */
export async function useBudgetApi(url: string, token: string): Promise<void> {
  await setSetting('api.url', url);
  assert.equal(await vscode.commands.executeCommand('budgetLens.setApiToken', token), true);
}

/**
 * A suite's end: no token and no URL left behind, the `settings` it changed reset, the server
 * stopped and its folder removed, so the next suite starts from an editor without budget figures.
 */
export async function leaveBudgetApi(api: { stop(): Promise<void> } | undefined, opts: { dir?: string; settings?: string[] } = {}): Promise<void> {
  if (config().get<string>('api.url')) await vscode.commands.executeCommand('budgetLens.clearApiToken');
  await setSetting('api.url', undefined);
  for (const key of opts.settings ?? []) await setSetting(key, undefined);
  await api?.stop();
  if (opts.dir) rmSync(opts.dir, { recursive: true, force: true });
}

export async function budgetState(): Promise<TestState['budget']> {
  return (await testState()).budget;
}

export function budgetKey(list: BudgetKeyState[], name: string): BudgetKeyState | undefined {
  return list.find((k) => k.key === name);
}

/** Lens titles of the issues controller (or `file`) once they match `want` (lenses re-resolve as data arrives). */
export async function lensesBecome(want: Array<[number, string]>, what: string, file = ISSUES): Promise<Array<[number, string]>> {
  let last: Array<[number, string]> = [];
  try {
    return await eventually(what, async () => {
      last = await lensTitles(file);
      return JSON.stringify(last) === JSON.stringify(want) ? last : undefined;
    }, 20_000);
  } catch (e) {
    assert.deepEqual(last, want, String(e));
    throw e;
  }
}

/** The last view the host posted to the budget panel. */
export async function lastPanelView(): Promise<PanelView | undefined> {
  const posted = (await testState()).panel.posted;
  return [...posted].reverse().find((m): m is StateMessage => m.type === 'state')?.view;
}

/** The figures of the last view posted to the panel, once it is a ready one. */
export async function lastPanelData(): Promise<PanelData | undefined> {
  const view = await lastPanelView();
  return view?.kind === 'ready' ? view.data : undefined;
}

/** A JSON answer a proxy gives in place of the server's. */
export interface ProxyAnswer {
  status: number;
  body: unknown;
}

/**
 * A proxy on 127.0.0.1 in front of a real Budget API: `answer(path)` may answer for the server
 * (what a broken deployment or a load balancer in trouble sends); everything else is forwarded,
 * Authorization included, after `delayMs` (a slow server: the server's answer, that much later).
 */
export async function startProxy(target: string, answer: (path: string) => ProxyAnswer | undefined, options: { delayMs?: number } = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const proxy: Server = createServer((req, res) => {
    const own = answer(req.url ?? '');
    if (own) {
      res.writeHead(own.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(own.body));
      return;
    }
    const forward = (): void => {
      void fetch(target + (req.url ?? ''), { headers: { authorization: req.headers.authorization ?? '' } }).then(async (r) => {
        res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' });
        res.end(await r.text());
      });
    };
    if (options.delayMs) setTimeout(forward, options.delayMs);
    else forward();
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((r) => {
        proxy.closeAllConnections();
        proxy.close(() => r());
      }),
  };
}
