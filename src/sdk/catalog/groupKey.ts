/**
 * Group key normalisation, as GitLab does it for stage groups: `key.downcase` with every
 * character outside [a-z0-9_-] replaced by '-'. "Project Management!" -> "project-management-".
 */
export function normaliseGroupKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
}
