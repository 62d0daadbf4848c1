/**
 * The manifest and the code agree (vscode-pull-request-github's scripts/check-commands.js): every
 * command package.json contributes is registered in src/extension, every registered command is
 * contributed unless it is an internal one, and every contributed command is titled under the
 * "Budget Lens" category. Plain Node: reads package.json and the extension's sources as text.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRIBUTED_COMMANDS, INTERNAL_COMMANDS } from '../../../src/extension/commandIds';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: ContributedCommand[];
    menus?: Record<string, Array<{ command: string }>>;
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

  test('the registration table covers every id (registerMappingCommands maps over all of them)', () => {
    const text = readFileSync(join(root, 'src', 'extension', 'mappingCommands.ts'), 'utf8');
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
});
