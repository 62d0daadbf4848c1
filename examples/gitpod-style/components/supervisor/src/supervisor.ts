// Runs inside every workspace and keeps its IDE and terminals alive. mapping.pathRules puts this
// folder in workspace_runtime, whose group's objective (workspace-keeps-working) applies.

export interface Process {
  name: string;
  restart(): Promise<void>;
  alive(): boolean;
}

export async function superviseOnce(processes: readonly Process[]): Promise<number> {
  let restarted = 0;
  for (const p of processes) {
    if (p.alive()) continue;
    await p.restart();
    restarted++;
  }
  return restarted;
}
