/**
 * Grape route origins: namespaces, resources and route paths joined the way Grape builds
 * `route.origin` (GitLab logs it as `route` and `meta.caller_id`), without the `(.:format)` suffix.
 */

/**
 * Joins path parts with single slashes: `('/projects', ':id/repository/tags')` ->
 * `/projects/:id/repository/tags`. Leading/trailing slashes of parts are normalised; empty parts
 * (`get do`, `namespace '' do`) add nothing. The result starts with '/' unless it is empty.
 */
export function joinRoutePath(...parts: string[]): string {
  const segments: string[] = [];
  for (const part of parts) {
    for (const segment of part.split('/')) if (segment !== '') segments.push(segment);
  }
  return segments.length === 0 ? '' : `/${segments.join('/')}`;
}

/** `GET /api/:version/projects/:id/repository/tags`: the endpoint id GitLab reports for a Grape route. */
export function grapeEndpointId(method: string, mountPrefix: string, path: string): string {
  return `${method} ${joinRoutePath(mountPrefix, path) || '/'}`;
}
