/**
 * The project's objectives and their findings as the CLI and the editor show them: findings with
 * workspace-relative files, like configFindings and the index's (docs/objectives.md).
 */
import { loadProjectObjectives } from '../config/projectObjectives';
import type { ObjectiveSpec } from '../objectives/spec';
import type { Finding } from '../mapping/types';
import type { OpenedProject } from './openProject';
import { toWorkspacePath } from './openProject';

export interface ProjectObjectives {
  objectives: ObjectiveSpec[];
  /** Workspace-relative files, sorted. */
  findings: Finding[];
}

/** The objectives of the project's `.budgetlens.yml` (none without one). */
export async function openProjectObjectives(project: Pick<OpenedProject, 'root' | 'config'>): Promise<ProjectObjectives> {
  if (!project.config) return { objectives: [], findings: [] };
  const { objectives, findings } = await loadProjectObjectives(project.config);
  return { objectives, findings: findings.map((f) => ({ ...f, file: toWorkspacePath(project.root, f.file) })) };
}
