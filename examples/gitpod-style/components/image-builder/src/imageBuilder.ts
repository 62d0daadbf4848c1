// @feature_category workspace_start
//
// Builds a workspace image before the workspace starts. No path rule or `@slo` names objectives
// here, so the objectives of its category apply: those attached to workspace_start.

export interface ImageSpec {
  baseImage: string;
  dockerfile?: string;
}

export async function resolveImage(spec: ImageSpec, build: (dockerfile: string) => Promise<string>): Promise<string> {
  if (spec.dockerfile === undefined) return spec.baseImage;
  return build(spec.dockerfile);
}
