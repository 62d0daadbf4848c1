/**
 * A mergeable quantile sketch (DDSketch, Masson, Rim & Lee, VLDB 2019) for the store's per-slice
 * percentiles (docs/objectives.md "The embedded store"). A value v > 0 goes to the log bucket
 * i = ceil(ln v / ln γ), γ = (1 + α) / (1 − α), α = 0.01; the bucket's representative value is
 * 2γ^i / (γ + 1). Every value in bucket i lies in (γ^(i−1), γ^i], so the representative is within
 * α = 1 % (relative) of it. A quantile q of n values is the representative of the bucket holding
 * the value of 0-based rank ⌊q · (n − 1)⌋ in sorted order: within 1 % of that exact value.
 * Merging two sketches adds their bucket counts, so a slice's sketch is the sum of its minutes'
 * and the bound holds after any number of merges. Values below MIN_VALUE (and 0) are counted in
 * a zero bucket whose representative is 0.
 *
 * Stored as a blob (encode/decode): varints of [zero count, zigzag(first index), bucket count,
 * counts of the buckets first..last, dense]. A minute of durations spans a few hundred buckets
 * at most (a factor of 1,000 in duration is ln 1000 / ln γ ≈ 346 buckets).
 */
export const SKETCH_RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
/** Values below this (and 0) are counted in the zero bucket. */
export const SKETCH_MIN_VALUE = 1e-9;

/** Reused by DDSketch.quantileOf: bucket counts of the sketches being merged. */
let scratch = new Float64Array(1024);

export class DDSketch {
  /** Counts of buckets offset..offset + counts.length − 1. */
  private counts: number[] = [];
  private offset = 0;
  zeroCount = 0;
  count = 0;

  static indexOf(value: number): number {
    return Math.ceil(Math.log(value) / LN_GAMMA);
  }

  static valueOf(index: number): number {
    return (2 * Math.pow(GAMMA, index)) / (GAMMA + 1);
  }

  add(value: number, n = 1): void {
    this.count += n;
    if (!(value >= SKETCH_MIN_VALUE)) {
      this.zeroCount += n;
      return;
    }
    this.addAt(DDSketch.indexOf(value), n);
  }

  private addAt(index: number, n: number): void {
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts.push(n);
      return;
    }
    if (index < this.offset) {
      const grow = this.offset - index;
      this.counts = [...new Array<number>(grow).fill(0), ...this.counts];
      this.offset = index;
    }
    const at = index - this.offset;
    while (this.counts.length <= at) this.counts.push(0);
    this.counts[at] = (this.counts[at] as number) + n;
  }

  merge(other: DDSketch): void {
    this.count += other.count;
    this.zeroCount += other.zeroCount;
    for (let i = 0; i < other.counts.length; i++) {
      const c = other.counts[i] as number;
      if (c > 0) this.addAt(other.offset + i, c);
    }
  }

  /** The q-quantile (0 <= q <= 1), within 1 % of the exact value at rank ⌊q(n − 1)⌋; null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.floor(q * (this.count - 1));
    let seen = this.zeroCount;
    if (seen > rank) return 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] as number;
      if (seen > rank) return DDSketch.valueOf(this.offset + i);
    }
    return DDSketch.valueOf(this.offset + this.counts.length - 1);
  }

  /**
   * The q-quantile of the sketches merged, without building the merge (a slice's minutes): the
   * same answer as merging them into one sketch and asking it.
   */
  static quantileOf(sketches: readonly DDSketch[], q: number): number | null {
    let count = 0;
    let zero = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of sketches) {
      count += s.count;
      zero += s.zeroCount;
      if (s.counts.length > 0) {
        lo = Math.min(lo, s.offset);
        hi = Math.max(hi, s.offset + s.counts.length - 1);
      }
    }
    if (count === 0) return null;
    const rank = Math.floor(q * (count - 1));
    if (zero > rank) return 0;
    const width = hi - lo + 1;
    if (scratch.length < width) scratch = new Float64Array(width * 2);
    scratch.fill(0, 0, width);
    for (const s of sketches) {
      const base = s.offset - lo;
      const c = s.counts;
      for (let i = 0; i < c.length; i++) scratch[base + i] = (scratch[base + i] as number) + (c[i] as number);
    }
    let seen = zero;
    for (let i = 0; i < width; i++) {
      seen += scratch[i] as number;
      if (seen > rank) return DDSketch.valueOf(lo + i);
    }
    return DDSketch.valueOf(hi);
  }

  /**
   * The q-quantile of encoded sketches merged, read straight from their blobs into one buffer (no
   * sketch objects): the same answer as decoding, merging and asking. Throws on a damaged blob.
   */
  static quantileOfBlobs(blobs: readonly Uint8Array[], q: number): number | null {
    let count = 0;
    let zero = 0;
    let lo = Infinity;
    let hi = -Infinity;
    const heads: number[] = [];
    for (const b of blobs) {
      const r = new VarintReader(b);
      const z = r.next();
      const o = r.next();
      const offset = o % 2 === 0 ? o / 2 : -(o + 1) / 2;
      const k = r.next();
      zero += z;
      count += z;
      heads.push(offset, k, r.pos);
      if (k > 0) {
        lo = Math.min(lo, offset);
        hi = Math.max(hi, offset + k - 1);
      }
    }
    const width = hi >= lo ? hi - lo + 1 : 0;
    if (scratch.length < width) scratch = new Float64Array(width * 2);
    scratch.fill(0, 0, width);
    blobs.forEach((b, j) => {
      const offset = heads[3 * j] as number;
      const k = heads[3 * j + 1] as number;
      const r = new VarintReader(b, heads[3 * j + 2] as number);
      const base = offset - lo;
      for (let i = 0; i < k; i++) {
        const c = r.next();
        count += c;
        scratch[base + i] = (scratch[base + i] as number) + c;
      }
      if (r.pos !== b.length) throw new Error('sketch blob has trailing bytes');
    });
    if (count === 0) return null;
    const rank = Math.floor(q * (count - 1));
    if (zero > rank) return 0;
    let seen = zero;
    for (let i = 0; i < width; i++) {
      seen += scratch[i] as number;
      if (seen > rank) return DDSketch.valueOf(lo + i);
    }
    return DDSketch.valueOf(hi);
  }

  encode(): Uint8Array {
    const out: number[] = [];
    const varint = (v: number): void => {
      while (v >= 0x80) {
        out.push((v % 0x80) | 0x80);
        v = Math.floor(v / 0x80);
      }
      out.push(v);
    };
    varint(this.zeroCount);
    varint(this.offset >= 0 ? this.offset * 2 : -this.offset * 2 - 1);
    varint(this.counts.length);
    for (const c of this.counts) varint(c);
    return Uint8Array.from(out);
  }

  /** Decodes a blob written by encode(); throws on a truncated or overlong blob. */
  static decode(bytes: Uint8Array): DDSketch {
    let pos = 0;
    const varint = (): number => {
      let v = 0;
      let mul = 1;
      for (;;) {
        if (pos >= bytes.length) throw new Error('sketch blob truncated');
        const b = bytes[pos++] as number;
        v += (b & 0x7f) * mul;
        if (b < 0x80) return v;
        mul *= 0x80;
      }
    };
    const s = new DDSketch();
    s.zeroCount = varint();
    const z = varint();
    s.offset = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    const k = varint();
    s.counts = new Array<number>(k);
    let total = s.zeroCount;
    for (let i = 0; i < k; i++) {
      const c = varint();
      s.counts[i] = c;
      total += c;
    }
    if (pos !== bytes.length) throw new Error('sketch blob has trailing bytes');
    s.count = total;
    return s;
  }
}

class VarintReader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  next(): number {
    const bytes = this.bytes;
    let v = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= bytes.length) throw new Error('sketch blob truncated');
      const b = bytes[this.pos++] as number;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
  }
}

/** The checksum modulus of storeSchema.ts (2^31 − 1). */
const CK_MOD = 2147483647;

/**
 * A sketch row's checksum, in JavaScript (SQL cannot walk a blob's bytes): the blob as a base-256
 * number mod 2^31 − 1, mixed with the row's series and minute. One changed byte changes it by
 * δ · 256^k mod P, never 0 for the prime P, so any single damaged byte is caught.
 */
export function sketchChecksum(series: number, minute: number, bytes: Uint8Array): number {
  let h = (1234567 + (series % CK_MOD) * 48271 + (minute % CK_MOD) * 69621) % CK_MOD;
  // Two bytes per step (h × 65,536 + x < 2^47 stays exact in a double): the same polynomial in base 256.
  const even = bytes.length - (bytes.length % 2);
  for (let i = 0; i < even; i += 2) h = (h * 65536 + (bytes[i] as number) * 256 + (bytes[i + 1] as number)) % CK_MOD;
  if (even < bytes.length) h = (h * 256 + (bytes[even] as number)) % CK_MOD;
  return h;
}
