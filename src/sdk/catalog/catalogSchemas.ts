/**
 * JSON Schemas of GitLab's catalog files, as far as Budget Lens reads them. Unknown keys are
 * errors so a misplaced `categories:` (e.g. under a stage instead of a group) is caught with its
 * line and column instead of silently dropping a group's categories.
 */

const categoryName = {
  type: 'string',
  pattern: '^[a-z][a-z0-9_-]*$',
  description: 'a feature category name: lower case letters, digits, "_" and "-"',
} as const;

export const stagesSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://budget-lens.dev/schemas/stages.schema.json',
  title: 'GitLab stages.yml (stages.<stage>.groups.<group>.{name, categories})',
  type: 'object',
  additionalProperties: false,
  required: ['stages'],
  properties: {
    stages: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          display_name: { type: 'string' },
          groups: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              required: ['name'],
              properties: {
                name: { type: 'string' },
                // GitLab leaves `categories:` empty (null) for groups that own none yet.
                categories: { type: ['array', 'null'], items: categoryName },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const featureCategoriesSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://budget-lens.dev/schemas/feature_categories.schema.json',
  title: 'GitLab feature_categories.yml (a flat list of category names)',
  type: 'array',
  items: categoryName,
} as const;
