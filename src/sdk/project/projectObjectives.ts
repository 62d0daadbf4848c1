/**
 * The project's objectives and their findings as the CLI and the editor show them: findings with
 * workspace-relative files, like configFindings and the index's (docs/objectives.md).
 */
import { closestCategory } from '../catalog/closestCategory';
import { loadProjectObjectives } from '../config/projectObjectives';
import type { ProjectConfig } from '../config/types';
import type { ObjectiveSpec } from '../objectives/spec';
import type { Finding } from '../mapping/types';
import type { OpenedProject } from './openProject';
import { toWorkspacePath } from './openProject';

export interface ProjectObjectives {
  objectives: ObjectiveSpec[];
  /** Workspace-relative files, sorted. */
  findings: Finding[];
}

/**
 * The objectives of the project's `.budgetlens.yml` (none without one), with an
 * `unknown_objective` error for each `objectives.pathRules` name no objective has.
 */
export async function openProjectObjectives(project: Pick<OpenedProject, 'root' | 'config'>): Promise<ProjectObjectives> {
  if (!project.config) return { objectives: [], findings: [] };
  const { objectives, findings } = await loadProjectObjectives(project.config);
  const all: Finding[] = [...findings, ...unknownPathRuleObjectives(project.config, objectives)];
  return {
    objectives,
    findings: all
      .map((f) => ({ ...f, file: toWorkspacePath(project.root, f.file) }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column),
  };
}

/** `objectives.pathRules` entries naming an objective the project does not define. */
function unknownPathRuleObjectives(config: ProjectConfig, objectives: readonly ObjectiveSpec[]): Finding[] {
  const known = new Set(objectives.map((o) => o.name));
  const out: Finding[] = [];
  for (const rule of config.objectives.pathRules) {
    rule.objectives.forEach((name, i) => {
      if (known.has(name)) return;
      const suggestion = closestCategory(name, known);
      const at = rule.locations[i] ?? rule.locations[0] ?? { file: config.file, line: 1, column: 1 };
      out.push({
        code: 'unknown_objective',
        severity: 'error',
        message: `path rule "${rule.pattern}" names unknown objective "${name}"${suggestion ? `; did you mean "${suggestion}"?` : known.size === 0 ? ' (the project defines no objectives)' : ''}`,
        file: at.file,
        line: at.line,
        column: at.column,
        ...(suggestion ? { suggestion } : {}),
      });
    });
  }
  return out;
}
