// The ws-manager's Prometheus metrics the workspace objectives are computed from (slo/*.yaml).
// objectives.pathRules in .budgetlens.yml attaches this file to the three start objectives.
import { Counter, Histogram } from './prometheus';

export const workspaceStartsTotal = new Counter('gitpod_ws_manager_workspace_starts_total', 'Workspace starts');
export const workspaceStartsFailureTotal = new Counter('gitpod_ws_manager_workspace_starts_failure_total', 'Workspace starts that failed');
export const workspaceStopsTotal = new Counter('gitpod_ws_manager_workspace_stops_total', 'Workspace stops, by reason', ['reason']);

/**
 * Seconds from the start request to a running workspace. The objectives read two bounds:
 * 16 s (the 15-second objective) and 128 s (the 2-minute one).
 */
export const workspaceStartupSeconds = new Histogram('gitpod_ws_manager_workspace_startup_seconds', 'Workspace startup time', [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);
