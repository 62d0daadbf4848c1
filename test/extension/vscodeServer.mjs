// Starts the cached VS Code server (scripts/install-vscode-server.sh) and opens its workbench in
// Debian's headless Chromium through playwright-core, following docs/testing.md.
// Used by scripts/test-extension.mjs (the suites) and test/extension/screenshots.mjs (the pictures).
// The caller must always call `close()`: it kills the server's whole process group and the browser.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const SERVER_DIR = join(REPO, '.vscode-test', 'server');
export const SERVER_MAIN = join(SERVER_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');

/**
 * Installs a .vsix into `extensionsDir` with the server's own CLI (`server-main.js
 * --install-extension`), as a user's "Install from VSIX…" would; returns its output.
 */
export function installVsix(vsix, extensionsDir) {
  const r = spawnSync(process.execPath, [SERVER_MAIN, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--accept-server-license-terms'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`installing ${vsix} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`.trim();
}

/** Settings for a quiet, predictable workbench (no welcome page, no tips, no telemetry). */
export const MACHINE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'editor.minimap.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.colorTheme': 'Default Dark Modern',
  'git.openRepositoryInParentFolders': 'never',
  'git.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
};

export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitForHttp(url, ms, server) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the VS Code server exited early with code ${server.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the VS Code server did not answer ${url} within ${ms} ms`);
}

/**
 * `workspace` is a folder, or a `.code-workspace` file (opened as a multi-root workspace).
 * `settings` are added to the machine settings (e.g. `budgetLens.api.url` for the budget screenshot).
 * `linkExtension` loads the extension through a symlink outside the repo, so the workbench applies
 * `workbench.colorTheme` (the screenshots): the server lives in the repo (.vscode-test/), so every
 * built-in theme's file is under the extension development path, and with exactly one such path
 * the workbench takes the first theme "of the extension under development" matching the current
 * type instead of the setting (web starts light: Default Light+). The suites keep the repo path,
 * which they resolve the shared fixtures from (`extensionPath/..`).
 * `extensionPath` runs another copy of the extension than the repo (the packaged layout of
 * scripts/packaged-layout.mjs, or a test-runner extension when Budget Lens is installed).
 * `extensionsDir` is the server's extensions folder (one a .vsix was installed into with
 * installVsix); default an empty one in the temp folder.
 * @param {{ workspace: string, extensionTestsPath?: string, env?: Record<string,string>, settings?: Record<string,unknown>, viewport?: {width:number,height:number}, linkExtension?: boolean, extensionPath?: string, extensionsDir?: string, log?: (line: string) => void }} options
 */
export async function launchWorkbench(options) {
  const tmp = mkdtempSync(join(tmpdir(), 'budget-lens-vscode-'));
  const dataDir = join(tmp, 'data');
  const userDir = join(tmp, 'user');
  // The remote's machine settings live under --user-data-dir (Machine/settings.json).
  mkdirSync(join(userDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDir, 'Machine', 'settings.json'), JSON.stringify({ ...MACHINE_SETTINGS, ...options.settings }, null, 2));
  const port = await freePort();
  const log = options.log ?? (() => {});
  const serverOutput = [];
  const server = spawn(
    process.execPath,
    [
      SERVER_MAIN,
      '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
      '--disable-telemetry', '--disable-workspace-trust',
      '--server-data-dir', dataDir, '--user-data-dir', userDir, '--extensions-dir', options.extensionsDir ?? join(tmp, 'ext'),
    ],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  for (const stream of [server.stdout, server.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      for (const line of chunk.split('\n')) if (line.trim()) { serverOutput.push(line); log(`[server] ${line}`); }
    });
  }
  let browser;
  const close = async () => {
    await browser?.close().catch(() => {});
    if (server.exitCode === null && server.pid !== undefined) {
      // The server forks an extension host and more: end the whole group we started.
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise((r) => setTimeout(r, 300));
      try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/version`, 30_000, server);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    let extensionPath = options.extensionPath ?? REPO;
    if (options.linkExtension) {
      // Removed with `tmp` in close(): rmSync unlinks a symlink, it does not follow it.
      extensionPath = join(tmp, 'budget-lens');
      symlinkSync(REPO, extensionPath);
    }
    const payload = [['extensionDevelopmentPath', remote(extensionPath)]];
    if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
    // A `.code-workspace` file opens as a (multi-root) workspace, anything else as a folder.
    const kind = options.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder';
    const url = `${base}/?${kind}=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    return { page, url, port, serverOutput, close, pid: server.pid };
  } catch (e) {
    await close();
    throw e;
  }
}
