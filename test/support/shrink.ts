/**
 * A small property-testing shrinker: drops lines (one, then pairs, so a `def x` / `end` pair goes
 * as a whole), then single characters of a short input, while the property still fails, so a
 * failure is reported on the smallest input that shows it. Inputs are text; a generated tree is
 * shrunk as one text (test/support/indexSnapshot.ts: treeFromText / treeToText).
 *
 * shrinkSteps yields the candidates and receives whether each still fails, so the same sequence
 * serves a synchronous property (shrink) and one that has to await (shrinkAsync: an index build).
 */
export interface ShrinkOptions {
  /** Also drop single characters of an input of 400 characters or less (default true). */
  characters?: boolean;
}

export function* shrinkSteps(source: string, options: ShrinkOptions = {}): Generator<string, string, boolean> {
  let current = source;
  for (let changed = true; changed; ) {
    changed = false;
    const lines = current.split('\n');
    for (const width of [1, 2]) {
      for (let i = 0; i + width <= lines.length && lines.length > width; i++) {
        const candidate = [...lines.slice(0, i), ...lines.slice(i + width)].join('\n');
        if (yield candidate) {
          current = candidate;
          lines.splice(i, width);
          i--;
          changed = true;
        }
      }
    }
  }
  if (options.characters !== false && current.length <= 400) {
    for (let i = 0; i < current.length; i++) {
      const candidate = current.slice(0, i) + current.slice(i + 1);
      if (yield candidate) {
        current = candidate;
        i--;
      }
    }
  }
  return current;
}

/** The smallest input shrinkSteps finds on which `stillFails` holds. */
export function shrink(source: string, stillFails: (s: string) => boolean, options?: ShrinkOptions): string {
  const steps = shrinkSteps(source, options);
  let step = steps.next(false);
  while (!step.done) step = steps.next(stillFails(step.value));
  return step.value;
}

/** shrink for a property that has to be awaited. */
export async function shrinkAsync(source: string, stillFails: (s: string) => Promise<boolean>, options?: ShrinkOptions): Promise<string> {
  const steps = shrinkSteps(source, options);
  let step = steps.next(false);
  while (!step.done) step = steps.next(await stillFails(step.value));
  return step.value;
}
