// A workspace manager in the style of Gitpod's ws-manager: starts and stops workspaces and
// probes whether a running one still works. The `// @slo` annotations say which objectives
// (slo/*.yaml) each function serves; the rest of the file falls under objectives.pathRules.
import { workspaceStartsFailureTotal, workspaceStartsTotal, workspaceStartupSeconds, workspaceStopsTotal } from './metrics';

export interface Workspace {
  id: string;
  image: string;
  phase: 'pending' | 'running' | 'stopped';
  startedAt?: number;
}

export interface Cluster {
  createPod(id: string, image: string): Promise<void>;
  deletePod(id: string): Promise<void>;
  podReady(id: string): Promise<boolean>;
}

const workspaces = new Map<string, Workspace>();

// @slo workspace-starts, workspace-start-under-15s, workspace-start-under-2m
export async function startWorkspace(cluster: Cluster, id: string, image: string): Promise<Workspace> {
  const started = Date.now();
  workspaceStartsTotal.inc();
  const workspace: Workspace = { id, image, phase: 'pending' };
  workspaces.set(id, workspace);
  try {
    await cluster.createPod(id, image);
    while (!(await cluster.podReady(id))) await new Promise((r) => setTimeout(r, 500));
  } catch (e) {
    workspaceStartsFailureTotal.inc();
    workspace.phase = 'stopped';
    throw e;
  }
  workspace.phase = 'running';
  workspace.startedAt = Date.now();
  workspaceStartupSeconds.observe((workspace.startedAt - started) / 1000);
  return workspace;
}

export async function stopWorkspace(cluster: Cluster, id: string, reason: 'user' | 'timeout' | 'failed'): Promise<void> {
  const workspace = workspaces.get(id);
  if (!workspace || workspace.phase === 'stopped') return;
  await cluster.deletePod(id);
  workspace.phase = 'stopped';
  workspaceStopsTotal.inc({ reason });
}

/** The liveness probe: a running workspace whose pod is no longer ready is stopped as failed. */
// @slo workspace-keeps-working
export async function checkLiveness(cluster: Cluster, id: string): Promise<boolean> {
  const workspace = workspaces.get(id);
  if (workspace?.phase !== 'running') return false;
  if (await cluster.podReady(id)) return true;
  await stopWorkspace(cluster, id, 'failed');
  return false;
}
