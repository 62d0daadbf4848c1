/**
 * The backend's token (Budget API or Prometheus), kept in VS Code's SecretStorage per URL (never
 * in settings, never logged), and the two commands that manage it: Set API Token (a password input
 * box) and Clear API Token. BudgetData reads the token for the configured URL and sends it as a
 * Bearer header.
 */
import * as vscode from 'vscode';

const KEY_PREFIX = 'budgetLens.apiToken:';

/** The SecretStorage key of a URL's token; trailing slashes do not make another server. */
export function tokenKey(url: string): string {
  return KEY_PREFIX + url.trim().replace(/\/+$/, '');
}

export class ApiTokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(url: string): Promise<string | undefined> {
    const token = await this.secrets.get(tokenKey(url));
    return token === '' ? undefined : token;
  }

  store(url: string, token: string): Thenable<void> {
    return this.secrets.store(tokenKey(url), token);
  }

  delete(url: string): Thenable<void> {
    return this.secrets.delete(tokenKey(url));
  }

  /** Calls `listener` when any Budget Lens token changes (also when another window changed it). */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith(KEY_PREFIX)) listener();
    });
  }
}

/**
 * Asks for the token of `url` (a `backend` as backendLabel names it) in a password box. Returns
 * undefined when dismissed; an empty answer is refused in the box rather than stored.
 */
export function promptForToken(url: string, backend = 'Budget API'): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Budget Lens: Set API Token',
    prompt: `Bearer token for the ${backend} at ${url} (stored in VS Code's secret storage for this URL)`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Enter a token, or press Escape to cancel' : undefined),
  });
}
