// A minimal stand-in for a Prometheus client library, so the example reads without dependencies.

export class Counter {
  private readonly values = new Map<string, number>();

  constructor(readonly name: string, readonly help: string, readonly labels: readonly string[] = []) {}

  inc(labels: Record<string, string> = {}): void {
    const key = JSON.stringify(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + 1);
  }
}

export class Histogram {
  private readonly counts: number[];
  private count = 0;

  constructor(readonly name: string, readonly help: string, readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(seconds: number): void {
    this.buckets.forEach((le, i) => {
      if (seconds <= le) this.counts[i]! += 1;
    });
    this.count += 1;
  }
}
