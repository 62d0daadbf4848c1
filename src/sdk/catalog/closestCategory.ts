/**
 * "Did you mean ...?" for misspelt feature categories: the known name with the smallest
 * optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so
 * `team_plannign` is one edit from `team_planning`).
 */

/** Edit distance counting insertions, deletions, substitutions and adjacent swaps as 1 each. */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows are enough for the transposition look-back.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_v, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * The closest known name, or undefined when nothing is plausibly meant: the distance must be at
 * most a third of the longer name (at least 2). Ties go to the alphabetically first name so the
 * suggestion is stable.
 */
export function closestCategory(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    if (candidate === name) return candidate;
    const limit = Math.max(2, Math.floor(Math.max(name.length, candidate.length) / 3));
    // Cheap reject: the length difference alone already exceeds the limit.
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const d = editDistance(name, candidate);
    if (d > limit) continue;
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
