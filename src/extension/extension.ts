/**
 * The composition root: `activate` builds the one BudgetLensContext, which owns every disposable,
 * and hands it to the extension context. Adapters in src/extension stay thin; the logic lives in
 * src/sdk.
 */
import type * as vscode from 'vscode';
import { BudgetLensContext } from './budgetLensContext';

/** When VS Code loaded this bundle, on the clock of the log lines (the extension host's uptime). */
const loadedAt = process.uptime();

export function activate(context: vscode.ExtensionContext): void {
  const version = (context.extension.packageJSON as { version?: string }).version ?? 'unknown';
  const ctx = new BudgetLensContext(version, context.secrets, context.extensionMode, context.extensionUri, context.workspaceState);
  context.subscriptions.push(ctx);
  ctx.start();
  ctx.log.appendLine(`Budget Lens ${version} activated (extension host up ${process.uptime().toFixed(1)} s; bundle loaded at ${loadedAt.toFixed(1)} s)`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (the BudgetLensContext).
}
