/**
 * A full garbage collection, for a long-lived process that has just dropped a whole index (the
 * editor's extension host after a build replaced the previous one).
 *
 * Why: a rebuild leaves the previous index (~45 MB of a GitLab checkout's) and the build's own
 * garbage in V8's old space, and nothing in an idle extension host allocates enough to make V8
 * collect it: the host stayed at ~430 MB after Re-index Workspace for as long as it was watched,
 * for a live heap of ~86 MB (a heap snapshot; docs/benchmarks.md, bench:workbench). A full
 * collection frees those pages (its unmapper hands them back within a second or two): ~50 MB of
 * resident memory in a plain-Node rebuild of that tree, at the price of one pause (~100 ms for a
 * 130 MB heap) per full build.
 *
 * Node has no public call for it, so `gc` is taken once from a context created while
 * `--expose-gc` is set, and the flag is turned off again at once: only that one context ever saw
 * it (no `gc` global appears for other code in the process). A process started with
 * `--expose-gc` (the tests) uses its own.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** undefined: not looked up yet; null: not available. */
let collector: (() => void) | null | undefined;

function findCollector(): (() => void) | null {
  const own = (globalThis as { gc?: unknown }).gc;
  if (typeof own === 'function') return own as () => void;
  try {
    setFlagsFromString('--expose-gc');
    try {
      const gc: unknown = runInNewContext('gc');
      return typeof gc === 'function' ? (gc as () => void) : null;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  } catch {
    return null;
  }
}

/** Runs a full, synchronous garbage collection; false when the runtime offers none. */
export function collectGarbage(): boolean {
  if (collector === undefined) collector = findCollector();
  if (collector === null) return false;
  collector();
  return true;
}
