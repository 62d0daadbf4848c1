/**
 * The manifest and the code agree (vscode-pull-request-github's scripts/check-commands.js): every
 * command package.json contributes is registered in src/extension, every registered command is
 * contributed unless it is an internal one, and every contributed command is titled under the
 * "Budget Lens" category. Plain Node: reads package.json and the extension's sources as text.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRIBUTED_COMMANDS, INTERNAL_COMMANDS } from '../../../src/extension/commandIds';
import { packagedFiles } from '../../../scripts/packaged-layout.mjs';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

interface WalkthroughStep {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}

interface Manifest {
  engines: { vscode: string };
  icon: string;
  license: string;
  repository?: { url?: string };
  categories?: string[];
  keywords?: string[];
  activationEvents: string[];
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  devDependencies: Record<string, string>;
  contributes: {
    commands: ContributedCommand[];
    menus?: Record<string, Array<{ command: string }>>;
    viewsWelcome?: Array<{ contents: string }>;
    views?: Record<string, Array<{ id: string }>>;
    walkthroughs?: Array<{ id: string; title: string; steps: WalkthroughStep[] }>;
    configuration: { properties: Record<string, { description?: string; markdownDescription?: string; scope?: string }> };
  };
}

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const declared: string[] = manifest.contributes.commands.map((c) => c.command).sort();
const contributedIds = Object.values(CONTRIBUTED_COMMANDS).sort();
const internalIds = Object.values(INTERNAL_COMMANDS).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Command ids passed as literals to registerCommand/executeCommand anywhere in src/extension. */
function literalCommandIds(): string[] {
  const ids = new Set<string>();
  for (const file of sources(join(root, 'src', 'extension'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:registerCommand|executeCommand)\(\s*['"`](budgetLens\.[\w.]+)['"`]/g)) ids.add(m[1]!);
  }
  return [...ids].sort();
}

describe('extension manifest', () => {
  test('package.json contributes exactly the commands the extension registers as contributed', () => {
    assert.deepEqual(declared, contributedIds);
  });

  test('internal commands are registered but never contributed', () => {
    assert.ok(internalIds.length > 0);
    for (const id of internalIds) assert.ok(!declared.includes(id), `${id} must not be in package.json`);
  });

  test('the registration table covers every id (registerCommands maps over all of them)', () => {
    const text = readFileSync(join(root, 'src', 'extension', 'commands.ts'), 'utf8');
    for (const [key, id] of Object.entries(CONTRIBUTED_COMMANDS)) assert.match(text, new RegExp(`\\[CONTRIBUTED_COMMANDS\\.${key}\\]:`), `${id} has no handler`);
    for (const [key, id] of Object.entries(INTERNAL_COMMANDS)) assert.match(text, new RegExp(`\\[INTERNAL_COMMANDS\\.${key}\\]:`), `${id} has no handler`);
  });

  test('commands called or registered by a literal id are declared in commandIds.ts', () => {
    const known = new Set<string>([...contributedIds, ...internalIds]);
    assert.deepEqual(literalCommandIds().filter((id) => !known.has(id)), []);
  });

  test('every contributed command has a title and the "Budget Lens" category', () => {
    for (const c of manifest.contributes.commands) {
      assert.ok(c.title.length > 0, `${c.command} has no title`);
      assert.equal(c.category, 'Budget Lens', `${c.command} category`);
    }
  });

  test('menus only name contributed commands', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus ?? {})) {
      for (const item of items) assert.ok(declared.includes(item.command), `${menu} names unknown command ${item.command}`);
    }
  });

  test('activation: the panel serializer\'s view type is an activation event; none that VS Code infers from contributions', () => {
    // A restored panel only reaches registerWebviewPanelSerializer if the extension activates for it;
    // VS Code infers onCommand:/onView: from contributes (since 1.74) but not onWebviewPanel:.
    const panelSource = readFileSync(join(root, 'src', 'extension', 'budgetPanel.ts'), 'utf8');
    const viewType = /BUDGET_PANEL_VIEW_TYPE = '([\w.]+)'/.exec(panelSource)?.[1];
    assert.equal(viewType, 'budgetLens.budgetPanel');
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${viewType}`), manifest.activationEvents.join(', '));
    assert.deepEqual(manifest.activationEvents.filter((e) => e.startsWith('onCommand:') || e.startsWith('onView:')), []);
  });

  test('every budgetLens setting has a description and a scope', () => {
    const props = Object.entries(manifest.contributes.configuration.properties).filter(([k]) => k.startsWith('budgetLens.'));
    assert.ok(props.length >= 2);
    for (const [key, p] of props) {
      assert.ok((p.description ?? p.markdownDescription ?? '').length > 10, `${key} has no description`);
      assert.ok(p.scope !== undefined, `${key} has no scope`);
    }
  });

  test('engines.vscode is the API the code is typed against: @types/vscode pinned to the same minor', () => {
    const engine = /^\^(\d+\.\d+)\.\d+$/.exec(manifest.engines.vscode)?.[1];
    assert.ok(engine, `engines.vscode ${manifest.engines.vscode} is not ^x.y.z`);
    assert.equal(manifest.devDependencies['@types/vscode'], `~${engine}.0`, 'a newer @types/vscode would let code use API the engine does not have');
    const installed = (JSON.parse(readFileSync(join(root, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')) as { version: string }).version;
    assert.ok(installed.startsWith(`${engine}.`), `installed @types/vscode ${installed}`);
  });

  test('marketplace fields: repository, keywords, categories, MIT LICENSE, CHANGELOG, a PNG icon of at least 128 px', () => {
    assert.match(manifest.repository?.url ?? '', /^https:\/\//);
    assert.ok((manifest.keywords ?? []).length >= 3 && (manifest.keywords ?? []).length <= 30);
    assert.ok((manifest.categories ?? []).length > 0);
    assert.equal(manifest.license, 'MIT');
    assert.match(readFileSync(join(root, 'LICENSE'), 'utf8'), /^MIT License\n/);
    assert.match(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), /^# Changelog\n/);
    const png = readFileSync(join(root, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.ok(width >= 128 && width === height, `icon is ${width}x${height}`);
  });

  test('Restricted Mode: every setting that names a server or a file is restricted, and the description says what is limited', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    const restricted = untrusted?.restrictedConfigurations ?? [];
    const props = manifest.contributes.configuration.properties;
    // A URL or a path a workspace could set: the extension would talk to that server or read that file.
    const risky = Object.keys(props).filter((k) => /url$|path$/i.test(k) && props[k]!.scope !== 'application' && props[k]!.scope !== 'machine');
    assert.deepEqual([...risky].sort(), [...restricted].sort());
    for (const key of restricted) assert.ok(untrusted?.description?.includes(key), `the description does not name ${key}`);
  });

  test('the walkthrough: every step has media that exists and ships, completes on a real event, and links only declared commands', () => {
    const walkthroughs = manifest.contributes.walkthroughs ?? [];
    assert.equal(walkthroughs.length, 1);
    const shipped = new Set(packagedFiles());
    const views = Object.values(manifest.contributes.views ?? {}).flat().map((v) => v.id);
    const settings = Object.keys(manifest.contributes.configuration.properties);
    // Built-in commands a step may link; anything else must be ours and declared.
    const builtIn = new Set(['workbench.action.openSettings']);
    const steps = walkthroughs[0]!.steps;
    assert.deepEqual(steps.map((s) => s.id), ['pickBackend', 'setToken', 'chooseGroup', 'openPanel']);
    for (const step of steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media, `${step.id} has no media`);
      assert.ok(existsSync(join(root, media)), `${step.id}: ${media} does not exist`);
      assert.ok(shipped.has(media), `${step.id}: ${media} is not in the package (.vscodeignore)`);
      if (step.media.image) assert.ok((step.media.altText ?? '').length > 10, `${step.id} image has no alt text`);
      for (const link of step.description.matchAll(/\(command:([\w.]+)/g)) {
        const id = link[1]!;
        assert.ok(builtIn.has(id) || declared.includes(id), `${step.id} links ${id}, which is not a declared command`);
      }
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} never completes`);
      for (const event of step.completionEvents ?? []) {
        const [kind, arg = ''] = event.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(declared.includes(arg), `${step.id}: ${event} names no declared command`);
        else if (kind === 'onSettingChanged') assert.ok(settings.includes(arg), `${step.id}: ${event} names no setting`);
        else if (kind === 'onView') assert.ok(views.includes(arg), `${step.id}: ${event} names no view`);
        else if (kind === 'onContext') assert.match(arg, /^budgetLens\.\w+$/, `${step.id}: ${event}`);
        else assert.fail(`${step.id}: completion event ${event} is not checked here`);
      }
    }
    // A context key a step waits for must be one the extension sets (a string literal in src/extension).
    const contextKeys = steps.flatMap((s) => (s.completionEvents ?? []).filter((e) => e.startsWith('onContext:')).map((e) => e.slice('onContext:'.length)));
    const sources = readdirSync(join(root, 'src', 'extension'), { recursive: true }).filter((f) => String(f).endsWith('.ts')).map((f) => readFileSync(join(root, 'src', 'extension', String(f)), 'utf8')).join('\n');
    for (const key of contextKeys) assert.ok(sources.includes(`'${key}'`), `onContext:${key} is never set by the extension`);
  });

  test('every media file the manifest names ships in the package', () => {
    const shipped = new Set(packagedFiles());
    const text = JSON.stringify(manifest.contributes) + manifest.icon;
    const named = [...new Set([...text.matchAll(/media\/[\w./-]+\.(?:png|svg|md)/g)].map((m) => m[0]))];
    assert.ok(named.length >= 5, named.join(', '));
    for (const file of named) assert.ok(shipped.has(file), `${file} is named in package.json but not packaged`);
  });
});
