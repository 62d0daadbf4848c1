/**
 * A project's objectives (docs/objectives.md): the native ones of `.budgetlens.yml`'s
 * `objectives.list` (built with the config) and those of the OpenSLO files `objectives.files`
 * names, read together. Names are ids across both: a second objective of one name is refused.
 */
import { readObjectiveFiles } from '../objectives/objectiveFiles';
import type { ObjectivesResult } from '../objectives/openslo';
import { checkDuplicateObjectives } from '../objectives/openslo';
import { sortFindings } from '../objectives/findings';
import type { ProjectConfig } from './types';

/** Every objective of the project and every finding about them (OpenSLO files; native errors fail the config itself). */
export async function loadProjectObjectives(config: ProjectConfig): Promise<ObjectivesResult> {
  const files = await readObjectiveFiles(config.root, config.objectives.files, { defaultWindow: config.window });
  const objectives = [...config.objectives.list, ...files.objectives];
  const result = { objectives, findings: [...files.findings] };
  checkDuplicateObjectives(result.objectives, result);
  return { objectives: result.objectives, findings: sortFindings(result.findings) };
}
