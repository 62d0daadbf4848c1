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
 * `--expose-gc` (the tests) uses its own. (v8.setFlagsFromString after start-up needs flags that
 * are not frozen: Node, and Electron's hosts, initialise V8 with `--no-freeze-flags-after-init`
 * for that call. v8.queryObjects, the one public call that collects, was tried: 2.9 s and more
 * resident memory than it freed.)
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

/**
 * Runs a full, synchronous garbage collection; false when the runtime offers none. `compact`:
 * evacuates every fragmented page too (`--compact-on-every-full-gc` for this one collection),
 * so the pages the old index shared with what lives on are handed back as well: about twice the
 * pause, ~17 MB less resident memory after a GitLab rebuild in plain Node (211 -> 194 MB).
 */
export function collectGarbage(options: { compact?: boolean } = {}): boolean {
  if (collector === undefined) collector = findCollector();
  if (collector === null) return false;
  if (!options.compact) {
    collector();
    return true;
  }
  setFlagsFromString('--compact-on-every-full-gc');
  try {
    collector();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc');
  }
  return true;
}
