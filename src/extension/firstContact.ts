/**
 * What a new user meets first, and the fixes offered there:
 *
 * - A folder without `.budgetlens.yml` is indexed with the bundled GitLab catalog
 *   (workspaceIndexer.ts); when that finds nothing to map (no declaration, no endpoint), one
 *   non-modal message says so and offers "Create .budgetlens.yml" and "Pick a catalog file…",
 *   once per workspace (workspaceState), never again after that.
 * - Create .budgetlens.yml: the commented template (src/sdk/project/configTemplate.ts) written at
 *   the folder's root and opened; an existing one is just opened.
 * - Pick a Catalog File…: a file dialog for a stages.yml (or a folder holding one), written to
 *   `budgetLens.catalogPath` for the workspace (the folder in a multi-root workspace); a stages.yml
 *   under another name goes into a new `.budgetlens.yml` as `catalog.stages`.
 * - Set Budget API URL… / Set Prometheus URL…: an input box that checks the URL and writes the
 *   setting. Opening the Settings editor on the key showed "No Settings Found" in a remote or
 *   browser window (the machine-overridable keys live under the Remote tab there). The value is
 *   written where it takes effect: the workspace when the workspace already sets the key (a
 *   user value would be shadowed by it), else the user level (ConfigurationTarget.Global), which
 *   VS Code routes to the remote machine's settings in a remote window for these
 *   machine-overridable keys, the level the extension host reads.
 */
import * as vscode from 'vscode';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CONFIG_FILE_NAME, configTemplate } from '../sdk';
import { Disposable } from './disposable';
import type { RootIndexer } from './rootIndexer';
import { SETTINGS_SECTION } from './settings';
import { CREATE_CONFIG_ACTION, PICK_CATALOG_ACTION, normaliseUrl, nothingMappedMessage, urlProblem } from './text/firstContactText';
import { notificationSafe } from './text/safeText';
import type { WorkspaceIndexer } from './workspaceIndexer';

/** The workspaceState key that remembers the message was shown. */
const SHOWN_KEY = 'budgetLens.firstContact.nothingMappedShown';

/** What `_testState` reports (tests only). */
export interface FirstContactTestState {
  /** Messages shown in this session. */
  shown: string[];
}

/** True when nothing in the root declares a category or defines an endpoint. */
function nothingMapped(index: RootIndexer): boolean {
  const ws = index.current;
  if (!ws) return false;
  if (ws.index.endpoints().length > 0) return false;
  return !ws.index.files().some((f) => (ws.index.fileMapping(f)?.categories.length ?? 0) > 0);
}

/** The workspace folder a command acts on: the argument, the active file's, else the first. */
function targetFolder(arg: unknown): vscode.WorkspaceFolder | undefined {
  if (arg instanceof vscode.Uri) return vscode.workspace.getWorkspaceFolder(arg) ?? vscode.workspace.workspaceFolders?.[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
}

export class FirstContact extends Disposable {
  private readonly shown: string[] = [];

  constructor(
    private readonly indexer: WorkspaceIndexer,
    private readonly workspaceState: vscode.Memento,
    private readonly log: vscode.OutputChannel,
  ) {
    super();
    this.own(indexer.onDidChangeState((index) => this.check(index)));
  }

  get state(): FirstContactTestState {
    return { shown: [...this.shown] };
  }

  private check(index: RootIndexer): void {
    if (index.state.phase !== 'ready') return;
    const ws = index.current;
    // Only where nobody configured anything: a config or a catalog of one's own is a choice.
    if (!ws || ws.config !== undefined || ws.catalogOrigin.kind !== 'bundled' || !nothingMapped(index)) return;
    if (this.workspaceState.get<boolean>(SHOWN_KEY) === true) return;
    void this.workspaceState.update(SHOWN_KEY, true);
    const message = nothingMappedMessage(index.name, ws.index.files().length, ws.catalogOrigin.label);
    this.shown.push(message);
    this.log.appendLine(message);
    const folder = index.folders[0]?.uri;
    void vscode.window.showInformationMessage(message, CREATE_CONFIG_ACTION, PICK_CATALOG_ACTION).then((picked) => {
      if (picked === CREATE_CONFIG_ACTION) void this.createConfig(folder);
      if (picked === PICK_CATALOG_ACTION) void this.pickCatalog(undefined, folder);
    });
  }

  /** Create .budgetlens.yml: the template at the folder's root (or the existing file), opened. Returns its path. */
  async createConfig(folderArg?: unknown, stagesPath?: string): Promise<string | undefined> {
    const folder = targetFolder(folderArg);
    if (!folder || folder.uri.scheme !== 'file') {
      void vscode.window.showWarningMessage('Budget Lens: open a folder first; .budgetlens.yml goes at its root.');
      return undefined;
    }
    const file = join(folder.uri.fsPath, CONFIG_FILE_NAME);
    if (!existsSync(file)) {
      writeFileSync(file, configTemplate(stagesPath), { flag: 'wx' });
      this.log.appendLine(`created ${file} from the template`);
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    return file;
  }

  /**
   * Pick a Catalog File…: a stages.yml (or a folder holding one) from a file dialog, or `pathArg`
   * (scripts and the extension-host tests). Returns where it was written, or undefined.
   */
  async pickCatalog(pathArg?: unknown, folderArg?: unknown): Promise<{ setting?: string; config?: string } | undefined> {
    const folder = targetFolder(folderArg);
    let picked = typeof pathArg === 'string' ? pathArg : undefined;
    if (picked === undefined) {
      const uris = await vscode.window.showOpenDialog({
        title: 'Budget Lens: the stages.yml of your catalog (GitLab data/stages.yml layout), or its folder',
        openLabel: 'Use this catalog',
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: false,
        filters: { YAML: ['yml', 'yaml'] },
        defaultUri: folder?.uri,
      });
      picked = uris?.[0]?.fsPath;
    }
    if (picked === undefined) return undefined;
    const isDir = existsSync(picked) && statSync(picked).isDirectory();
    const dir = isDir ? picked : dirname(picked);
    if (isDir ? existsSync(join(picked, 'stages.yml')) : basename(picked) === 'stages.yml') {
      // budgetLens.catalogPath names a folder with stages.yml (+ feature_categories.yml).
      const multi = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 && folder !== undefined;
      const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, multi ? folder.uri : undefined);
      await config.update('catalogPath', dir, multi ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace);
      this.log.appendLine(`budgetLens.catalogPath set to ${dir}`);
      return { setting: dir };
    }
    if (isDir) {
      void vscode.window.showErrorMessage(`Budget Lens: ${picked} holds no stages.yml; pick the stages.yml file or a folder holding one.`);
      return undefined;
    }
    // Another file name: it can only be named in .budgetlens.yml.
    if (folder && !existsSync(join(folder.uri.fsPath, CONFIG_FILE_NAME))) {
      const file = await this.createConfig(folder.uri, picked);
      return file ? { config: file } : undefined;
    }
    void vscode.window.showWarningMessage(`Budget Lens: set catalog.stages: ${picked} in ${CONFIG_FILE_NAME} (it exists already, so it was opened and left as it is).`);
    if (folder) await vscode.window.showTextDocument(vscode.Uri.file(join(folder.uri.fsPath, CONFIG_FILE_NAME)), { preview: false });
    return undefined;
  }
}

/** Which backend URL setting a command sets. */
export type UrlSetting = 'api.url' | 'prometheus.url';

const URL_PROMPTS: Record<UrlSetting, { title: string; prompt: string; placeHolder: string }> = {
  'api.url': {
    title: 'Budget Lens: Budget API URL',
    prompt: 'Base URL of `budget-lens serve` (npm start serves http://127.0.0.1:7464). Empty clears it.',
    placeHolder: 'http://127.0.0.1:7464',
  },
  'prometheus.url': {
    title: 'Budget Lens: Prometheus URL',
    prompt: 'Base URL of a Prometheus-compatible server with GitLab\'s recording rules. Empty clears it.',
    placeHolder: 'http://127.0.0.1:9090',
  },
};

/**
 * Set Budget API URL… / Set Prometheus URL…: an input box (or `valueArg`, checked the same way)
 * writes the setting at the level described at the top of this file. Returns the level written
 * ('user' or 'workspace'), or undefined when cancelled or refused.
 */
export async function setBackendUrl(key: UrlSetting, valueArg?: unknown): Promise<'user' | 'workspace' | undefined> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const inspected = config.inspect<string>(key);
  let value: string | undefined;
  if (typeof valueArg === 'string') {
    const problem = urlProblem(valueArg);
    if (problem !== undefined) {
      void vscode.window.showErrorMessage(notificationSafe(`Budget Lens: ${problem}`));
      return undefined;
    }
    value = valueArg;
  } else {
    const p = URL_PROMPTS[key];
    value = await vscode.window.showInputBox({
      title: p.title,
      prompt: p.prompt,
      placeHolder: p.placeHolder,
      value: config.get<string>(key, ''),
      ignoreFocusOut: true,
      validateInput: urlProblem,
    });
  }
  if (value === undefined) return undefined;
  const workspaceSets = inspected?.workspaceValue !== undefined;
  const target = workspaceSets ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const normalised = normaliseUrl(value);
  await config.update(key, normalised === '' ? undefined : normalised, target);
  return workspaceSets ? 'workspace' : 'user';
}
