/**
 * Wires a WorkspaceIndex from what a workspace declares: the project (project/openProject.ts:
 * `.budgetlens.yml` and the catalog) and its mapping options and path rules. Shared by the CLI
 * commands and the extension so both index a workspace the same way.
 */
import { NOT_OWNED_GROUP, UNKNOWN_CATEGORY } from '../../catalog/types';
import { openProject, toWorkspacePath } from '../../project/openProject';
import type { OpenProjectOptions, OpenedProject } from '../../project/openProject';
import { openProjectObjectives } from '../../project/projectObjectives';
import type { ProjectObjectives } from '../../project/projectObjectives';
import type { ObjectiveSpec } from '../../objectives/spec';
import { scanAnnotations } from '../annotations';
import { objectiveAttachments } from '../objectiveAttachment';
import { compilePathRules } from '../pathRules';
import type { PathRuleMatcher } from '../pathRules';
import { findRipgrep } from './ripgrepPrefilter';
import { WorkspaceIndex } from './workspaceIndex';
import type { AnnotationScanner, PathCategoryLookup, WorkspaceIndexOptions } from './workspaceIndex';

export interface OpenWorkspaceOptions extends OpenProjectOptions {
  /** Workspace root (absolute). */
  root: string;
  /** Default: the comment-annotation scanner of src/sdk/mapping/annotations.ts. */
  annotations?: AnnotationScanner;
  workers?: number;
  workerScript?: string;
  /**
   * The ripgrep binary for the cold build's pre-filter; default findRipgrep() (`BUDGET_LENS_RIPGREP`,
   * else `rg` on PATH); false: none, every file is read in this process.
   */
  ripgrep?: string | false;
  /** WorkspaceIndexOptions.fullRead: the reference index of the pre-filter checks (internal). */
  fullRead?: boolean;
  /** WorkspaceIndexOptions.isolatedScan: the cold scan in a thread of its own (the extension host). */
  isolatedScan?: boolean;
}

export interface OpenedWorkspace extends OpenedProject {
  index: WorkspaceIndex;
  /** The project's objectives and their findings (none without a `.budgetlens.yml`). */
  objectives: ProjectObjectives;
}

export interface IndexProjectOptions extends Omit<OpenWorkspaceOptions, 'root' | keyof OpenProjectOptions> {
  /**
   * The project's objectives (openProjectObjectives): `@slo` names outside them are
   * unknown_objective findings, and objectivesAt answers with their categories, groups and the
   * config's objectives.pathRules. Without them `@slo` ranges are kept unchecked.
   */
  objectives?: readonly ObjectiveSpec[];
}

// Opening a project needs no index; these stay importable from here for existing callers.
export { MissingCatalogError, configFindings, findWorkspaceRoot, toWorkspacePath } from '../../project/openProject';

const annotationScanner = (knownObjectives: ReadonlySet<string> | undefined): AnnotationScanner => (file, text, knownCategories) =>
  scanAnnotations(text, file, { knownCategories, ...(knownObjectives ? { knownObjectives } : {}) });

function ruleLookup(matcher: PathRuleMatcher): PathCategoryLookup {
  return (file) => matcher.categoryFor(file);
}

/** Creates (but does not build) the index of an opened project. */
export function indexProject(project: OpenedProject, options: IndexProjectOptions = {}): WorkspaceIndex {
  const { root, config, catalog } = project;
  const known = new Set([...catalog.knownCategories, ...catalog.categories.keys(), NOT_OWNED_GROUP, UNKNOWN_CATEGORY]);
  // Objectives attach only in a project with a .budgetlens.yml (where they are defined).
  const objectives =
    config && options.objectives
      ? objectiveAttachments({
          objectives: options.objectives,
          pathRules: config.objectives.pathRules,
          groupOf: (category) => catalog.groupOf(category).key,
        })
      : undefined;
  const indexOptions: WorkspaceIndexOptions = {
    root,
    knownCategories: known,
    grapeMountPrefix: config?.mapping.grapeMountPrefix,
    exclude: config?.mapping.exclude,
    pathRules: config?.mapping.pathRules.length ? ruleLookup(compilePathRules(config.mapping.pathRules)) : undefined,
    annotations: options.annotations ?? annotationScanner(objectives?.known),
    ...(objectives ? { objectives } : {}),
    graphqlOperations:
      config?.mapping.graphqlOperationsPath !== undefined ? toWorkspacePath(root, config.mapping.graphqlOperationsPath) : undefined,
    workers: options.workers,
    workerScript: options.workerScript,
    ripgrep: options.ripgrep === false ? undefined : (options.ripgrep ?? findRipgrep()),
    ...(options.fullRead ? { fullRead: true } : {}),
    ...(options.isolatedScan ? { isolatedScan: true } : {}),
  };
  return new WorkspaceIndex(indexOptions);
}

/** Loads config and catalog (openProject) and creates (but does not build) the index. */
export async function openWorkspace(options: OpenWorkspaceOptions): Promise<OpenedWorkspace> {
  const { root, catalogDir, catalogDirSource, defaultCatalogDir, ...indexOptions } = options;
  const project = await openProject(root, { catalogDir, catalogDirSource, defaultCatalogDir });
  // Objective files that cannot be read at all leave `@slo` names unchecked here; `slo lint` and
  // `lint` report why.
  const objectives = await openProjectObjectives(project).catch(() => undefined);
  return {
    ...project,
    objectives: objectives ?? { objectives: [], findings: [] },
    index: indexProject(project, { ...indexOptions, ...(objectives ? { objectives: objectives.objectives } : {}) }),
  };
}
