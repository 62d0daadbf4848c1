/**
 * The composition root: `activate` builds everything and registers every disposable on the
 * extension context. Adapters in src/extension stay thin; the logic lives in src/sdk.
 */
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('budgetLens.showVersion', () => {
      const version = (context.extension.packageJSON as { version?: string }).version ?? 'unknown';
      void vscode.window.showInformationMessage(`Budget Lens ${version}`);
    }),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
