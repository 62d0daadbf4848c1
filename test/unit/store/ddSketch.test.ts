/**
 * The store's per-slice percentile sketch (ddSketch.ts): its error bound against the exact value,
 * merging, and its blob.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DDSketch, SKETCH_RELATIVE_ACCURACY, sketchChecksum } from '../../../src/sdk/store/ddSketch';
import { seededRandom } from '../../../src/sdk/store/seededRandom';

describe('DDSketch', () => {
  test('every quantile is within 1 % of the exact value at rank floor(q (n - 1)), merged or not', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rand = seededRandom(seed);
      const n = 1 + Math.floor(rand() * 3000);
      // Durations over six orders of magnitude (1 ms .. 1,000 s), some exactly repeated, some 0.
      const values = Array.from({ length: n }, () => (rand() < 0.01 ? 0 : rand() < 0.1 ? 16 : Math.exp(Math.log(0.001) + rand() * Math.log(1e6))));
      const whole = new DDSketch();
      const parts = [new DDSketch(), new DDSketch(), new DDSketch()];
      values.forEach((v, i) => {
        whole.add(v);
        parts[i % 3]!.add(v);
      });
      const merged = new DDSketch();
      for (const p of parts) merged.merge(p);
      const sorted = Float64Array.from(values).sort();
      for (const q of [0, 0.5, 0.9, 0.95, 0.99, 1]) {
        const exact = sorted[Math.floor(q * (n - 1))]!;
        for (const s of [whole, merged]) {
          const got = s.quantile(q)!;
          if (exact === 0) assert.equal(got, 0);
          else assert.ok(Math.abs(got - exact) / exact <= SKETCH_RELATIVE_ACCURACY + 1e-12, `seed ${seed} q ${q}: ${got} vs ${exact}`);
        }
      }
      assert.equal(merged.quantile(0.95), whole.quantile(0.95));
      // Read straight from the blobs (what the store does per slice): the same answers.
      for (const q of [0, 0.5, 0.95, 1]) assert.equal(DDSketch.quantileOfBlobs(parts.map((p) => p.encode()), q), whole.quantile(q));
      assert.equal(DDSketch.quantileOf(parts, 0.95), whole.quantile(0.95));
    }
  });

  test('an empty sketch has no quantile; the blob round-trips; a changed byte changes the checksum', () => {
    assert.equal(new DDSketch().quantile(0.95), null);
    assert.equal(DDSketch.quantileOfBlobs([], 0.95), null);
    assert.equal(DDSketch.quantileOfBlobs([new DDSketch().encode()], 0.95), null);
    const s = new DDSketch();
    for (const v of [0, 0.5, 3, 3, 10, 20, 1e-12, 600]) s.add(v);
    const blob = s.encode();
    const back = DDSketch.decode(blob);
    assert.equal(back.count, 8);
    assert.equal(back.zeroCount, 2); // 0 and 1e-12 (below the smallest tracked value)
    for (const q of [0, 0.25, 0.5, 0.95, 1]) assert.equal(back.quantile(q), s.quantile(q));
    const ck = sketchChecksum(3, 29_000_000, blob);
    for (let i = 0; i < blob.length; i++) {
      const damaged = Uint8Array.from(blob);
      damaged[i] = (damaged[i]! + 1) % 256;
      assert.notEqual(sketchChecksum(3, 29_000_000, damaged), ck, `byte ${i}`);
    }
    assert.throws(() => DDSketch.decode(blob.subarray(0, blob.length - 1)), /truncated/);
  });
});
