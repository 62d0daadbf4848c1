/**
 * The `.budgetlens.yml` the editor's "Create .budgetlens.yml" writes: every key commented, the
 * defaults spelled out, so a first-time user sees what can be set (docs/config.md has the full
 * reference). It parses as-is (test/unit/project/configTemplate.test.ts) and changes nothing until a
 * line is uncommented: the bundled GitLab catalog stays in use.
 */
import { DEFAULT_CATALOG_NAME } from '../catalog/defaultCatalog';

/**
 * The template's text. `stagesPath`, when given, is written as the catalog (a stages.yml the user
 * picked); otherwise the catalog lines stay commented and the bundled snapshot applies.
 */
export function configTemplate(stagesPath?: string): string {
  const catalog =
    stagesPath === undefined
      ? [
          '# Which group and stage own each feature category. Without this section Budget Lens uses the',
          `# ${DEFAULT_CATALOG_NAME} it ships with (and, in a GitLab checkout,`,
          "# the checkout's own config/feature_categories.yml for the valid categories).",
          '# catalog:',
          '#   stages: path/to/stages.yml                        # GitLab data/stages.yml layout',
          '#   featureCategories: config/feature_categories.yml  # optional flat list',
        ]
      : [
          '# Which group and stage own each feature category (GitLab data/stages.yml layout).',
          'catalog:',
          `  stages: ${JSON.stringify(stagesPath)}`,
        ];
  return [
    '# Budget Lens project configuration (see docs/config.md of Budget Lens). Every key is optional.',
    '# Paths are relative to this file. Never put tokens here: they live in VS Code\'s secret storage.',
    '',
    ...catalog,
    '',
    '# The availability target every group gets unless it has a custom one, and the budget window.',
    'defaultTarget: "99.95"   # a decimal string: 99.95 % of 28 days = 20.16 budget-minutes',
    'window: 28d',
    '',
    '# Per-group settings (group keys as in stages.yml).',
    '# groups:',
    '#   project_management:',
    '#     ignoredComponents: [graphql_query]',
    '#     customTarget: { target: "99.80", reason: "why", reviewDate: 2026-12-31 }',
    '',
    '# How code maps to feature categories besides `feature_category :x` declarations.',
    '# mapping:',
    '#   grapeMountPrefix: /api/:version',
    '#   exclude: ["tmp/**"]',
    '#   pathRules:              # CODEOWNERS semantics: the last matching rule wins',
    '#     - { pattern: "app/assets/javascripts/boards/**", category: team_planning }',
    '',
    '# Where the budget figures come from for the CLI (the editor uses budgetLens.api.url or',
    '# budgetLens.prometheus.url).',
    '# backend:',
    '#   kind: prometheus',
    '#   url: http://127.0.0.1:9090',
    '',
  ].join('\n');
}
