/**
 * The OpenAPI 3.1 document served at `/api/v1/openapi.json`, generated from the route table and
 * the shared response schemas (src/sdk/contract/apiSchemas.ts) that the client validates with.
 */
import { responseSchemas } from '../contract/apiSchemas';
import type { RouteSpec } from './routes';
import { API_PREFIX, QUERY_PARAM_DOCS, routes } from './routes';

export const OPENAPI_PATH = '/openapi.json';

function ref(name: string): Record<string, unknown> {
  return { $ref: `#/components/schemas/${name}` };
}

function jsonResponse(description: string, schema: string): Record<string, unknown> {
  return { description, content: { 'application/json': { schema: ref(schema) } } };
}

function operation(route: RouteSpec, withAuth: boolean): Record<string, unknown> {
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    description:
      m[1] === 'key'
        ? 'Normalised group key, e.g. project_management.'
        : route.path.startsWith('/objectives/')
          ? 'Objective name (metadata.name, or <slo>/<objective> for an SLO with several), e.g. workspace-starts.'
          : 'Feature category, e.g. team_planning.',
    schema: { type: 'string' },
  }));
  const queryParams = route.query.map((name) => ({
    name,
    in: 'query',
    required: (route.requiredQuery ?? []).includes(name),
    description: QUERY_PARAM_DOCS[name].description,
    schema: QUERY_PARAM_DOCS[name].schema,
  }));
  const responses: Record<string, unknown> = { '200': jsonResponse('OK', route.schema) };
  // Every route: a Host header naming a host that is not allowed (DNS rebinding guard).
  responses['421'] = jsonResponse('The Host header names a host this server does not answer for (`budget-lens serve --allow-host`).', 'Error');
  if (route.data) {
    responses['304'] = { description: 'Not modified: If-None-Match matched the ETag of the cached answer.' };
    responses['400'] = jsonResponse('Invalid parameter; `error.field` names it.', 'Error');
    if (withAuth) responses['401'] = jsonResponse('Missing or wrong bearer token.', 'Error');
    if (route.path.includes('{') || route.path === '/objectives') {
      const what = route.path.startsWith('/objectives') ? "Unknown objective (`unknown_objective`; the message suggests the closest name: \"did you mean\")." : 'Unknown group or category.';
      responses['404'] = jsonResponse(what, 'Error');
    }
    responses['502'] = jsonResponse(
      'The backend failed: `backend_error` (it answered badly), `backend_too_large` (its answer went over the byte limit, `budget-lens serve --max-backend-bytes`; the message names the limit and the URL).',
      'Error',
    );
    responses['503'] = jsonResponse('The backend timed out or is unavailable.', 'Error');
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    parameters: [...pathParams, ...queryParams],
    responses,
    ...(route.data && withAuth ? { security: [{ bearer: [] }] } : {}),
  };
}

/** `withAuth`: the server requires a bearer token on data routes. */
export function buildOpenApiDocument(opts: { withAuth: boolean; version?: string }): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const route of routes) paths[API_PREFIX + route.path] = { get: operation(route, opts.withAuth) };
  paths[API_PREFIX + OPENAPI_PATH] = {
    get: {
      operationId: 'openapi',
      summary: 'This document.',
      responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Budget Lens API',
      version: opts.version ?? '1',
      description: 'Error budgets per feature category, group and stage (GitLab model). Numbers follow docs/domain.md F1-F14.',
    },
    paths,
    components: {
      schemas: responseSchemas,
      ...(opts.withAuth ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {}),
    },
  };
}
