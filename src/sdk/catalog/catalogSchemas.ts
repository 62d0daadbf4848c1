/**
 * JSON Schemas of GitLab's catalog files, as far as Budget Lens reads them. GitLab's current
 * `data/stages.yml` carries many more fields per stage and group (display fields, people, Slack
 * channels, labels...): keys the schema does not name are allowed here and ignored by the parser,
 * which notes them once (catalogParser.ts `ignoredFields`). The keys it does read must have the
 * right type, with their line and column when they do not.
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
  required: ['stages'],
  properties: {
    stages: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          display_name: { type: 'string' },
          // A stage whose groups are not filled in yet has `groups:` empty (null).
          groups: {
            type: ['object', 'null'],
            additionalProperties: {
              type: 'object',
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
