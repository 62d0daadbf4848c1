/**
 * Short-TTL in-memory cache of serialised 200 responses keyed by route + normalised query, with
 * in-flight coalescing: N identical concurrent requests cost one backend query. The only state
 * the server keeps, so replicas behind a load balancer stay interchangeable.
 */
import { createHash } from 'node:crypto';

export interface CachedBody {
  /** Encoded once, so a hit costs no JSON or UTF-8 work. */
  body: Buffer;
  /** Strong validator of the body, for If-None-Match (polling clients get 304s). */
  etag: string;
  storedAt: number;
}

function cachedBody(body: string, storedAt: number): CachedBody {
  const buffer = Buffer.from(body);
  return { body: buffer, etag: `"${createHash('sha1').update(buffer).digest('base64url')}"`, storedAt };
}

interface Entry {
  value: CachedBody;
  expiresAt: number;
}

export interface ResponseCacheOptions {
  /** TTL of queries relative to "now"; 0 disables caching. Default 15 s. */
  ttlMs?: number;
  /** TTL of queries pinned with `at=` (their answer only changes with late data). Default 5 min. */
  pinnedTtlMs?: number;
  /** Bound on entries; the oldest are evicted first. Default 1000. */
  maxEntries?: number;
  now?: () => number;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<CachedBody>>();
  private readonly ttlMs: number;
  private readonly pinnedTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(opts: ResponseCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 15_000;
    this.pinnedTtlMs = opts.pinnedTtlMs ?? 300_000;
    this.maxEntries = opts.maxEntries ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** Cache key: path plus the query parameters sorted, so `?a=1&b=2` and `?b=2&a=1` share. */
  static key(path: string, search: URLSearchParams): string {
    const pairs = [...search.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return pairs.length ? `${path}?${new URLSearchParams(pairs).toString()}` : path;
  }

  /**
   * The cached body, or the result of `produce` (shared by concurrent callers of the same key).
   * Failures are never cached. `hit` tells whether the backend was spared.
   */
  async getOrProduce(key: string, pinned: boolean, produce: () => Promise<string>): Promise<{ value: CachedBody; hit: boolean }> {
    if (!this.enabled) {
      this.misses++;
      return { value: cachedBody(await produce(), this.now()), hit: false };
    }
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) {
      this.hits++;
      return { value: entry.value, hit: true };
    }
    if (entry) this.entries.delete(key);
    const pending = this.inFlight.get(key);
    if (pending) {
      this.hits++;
      return { value: await pending, hit: true };
    }
    this.misses++;
    const promise = produce().then((body) => {
      const value = cachedBody(body, this.now());
      this.store(key, value, pinned);
      return value;
    });
    this.inFlight.set(key, promise);
    try {
      return { value: await promise, hit: false };
    } finally {
      this.inFlight.delete(key);
    }
  }

  private store(key: string, value: CachedBody, pinned: boolean): void {
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.now() + (pinned ? this.pinnedTtlMs : this.ttlMs) });
  }

  clear(): void {
    this.entries.clear();
  }
}
