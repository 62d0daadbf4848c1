/**
 * The budget data's memory, without `vscode`: the last good answer per key, whether it is stale
 * and why, and the rule that a 401 offers "Set API Token" once rather than on every refresh.
 * BudgetData (budgetData.ts) drives it; test/unit/extension/budgetCache.test.ts tests it in Node.
 *
 * Staleness rules:
 * - a key is fresh after a successful fetch, and stale when a later fetch failed: the last good
 *   value stays and the failure (URL, status, message, time) says why;
 * - a failure before any success leaves no value, only the failure;
 * - a new API URL clears everything (figures of another server are not stale, they are wrong);
 *   a new token keeps the values (same server) until the next fetch decides.
 */
import { BackendError, BudgetApiError, PrometheusError, UnauthorizedError, apiErrorAnswer } from '../sdk';

/** Why the last fetch of a key failed. */
export interface Failure {
  /** The request URL (the client's; never carries the token). */
  url: string;
  /** HTTP status, 0 when no response arrived (server gone, timeout). */
  status: number;
  /** The client's message: it names the status and the URL. */
  message: string;
  unauthorized: boolean;
  /** Epoch ms. */
  at: number;
}

export interface CacheEntry<T> {
  value?: T;
  /** Epoch ms of the last good value. */
  fetchedAt?: number;
  /** Set while the last fetch failed. */
  failure?: Failure;
}

/** An entry as readers see it now: what is cached, and whether a request for it is on its way. */
export interface Known<T> extends CacheEntry<T> {
  loading: boolean;
}

/**
 * A failure from whatever a fetch threw; `url` is the fallback when the error names none.
 * Budget API client errors carry URL and status. BudgetService over Prometheus (budgetBackend.ts)
 * throws BackendError wrapping the source's PrometheusError, which names the query URL and, when
 * an answer came, its HTTP status; its own request errors (a scope the catalog lacks, a bad
 * parameter) get the status the Budget API answers them with (the SDK's apiErrorAnswer), so both
 * backends fail the same way here.
 */
export function failureOf(e: unknown, url: string, at: number): Failure {
  if (BudgetApiError.is(e)) return { url: e.url, status: e.status, message: e.message, unauthorized: UnauthorizedError.is(e), at };
  const cause = BackendError.is(e) ? e.cause : e;
  if (PrometheusError.is(cause)) {
    const status = cause.details.status ?? 0;
    // Prometheus' messages name the URL, and the status whenever one arrived.
    return { url: cause.url, status, message: `Prometheus: ${cause.message}${status === 0 ? ' (no response)' : ''}`, unauthorized: status === 401, at };
  }
  const answer = apiErrorAnswer(e);
  if (answer.fault === 'request') return { url, status: answer.status, message: answer.message, unauthorized: false, at };
  const message = e instanceof Error ? e.message : String(e);
  return { url, status: 0, message, unauthorized: false, at };
}

export class BudgetCache<T> {
  private readonly entries = new Map<string, CacheEntry<T>>();

  get(key: string): CacheEntry<T> | undefined {
    return this.entries.get(key);
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Stores a good value; returns true when what a reader sees changed. */
  succeed(key: string, value: T, at: number): boolean {
    const old = this.entries.get(key);
    this.entries.set(key, { value, fetchedAt: at });
    return old?.failure !== undefined || old?.value === undefined || JSON.stringify(old.value) !== JSON.stringify(value);
  }

  /** Records a failure, keeping the last good value; returns true when it was not already failing the same way. */
  fail(key: string, failure: Failure): boolean {
    const old = this.entries.get(key);
    this.entries.set(key, { ...(old?.value !== undefined ? { value: old.value, fetchedAt: old.fetchedAt } : {}), failure });
    return old?.failure?.status !== failure.status || old.failure.message !== failure.message;
  }

  isStale(key: string): boolean {
    const e = this.entries.get(key);
    return e?.value !== undefined && e.failure !== undefined;
  }

  /**
   * True when the key was never fetched, or its last attempt (good or failed) is `maxAgeMs` old:
   * a failing server is asked again on the next refresh, not on every lens that asks meanwhile.
   */
  needsFetch(key: string, now: number, maxAgeMs: number): boolean {
    const e = this.entries.get(key);
    if (e === undefined) return true;
    const last = Math.max(e.fetchedAt ?? 0, e.failure?.at ?? 0);
    return now - last >= maxAgeMs;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Offers "Set API Token" once per server and token: a 401 on every refresh (or on every lens of
 * a file) must not become a notification storm. A new URL or token re-arms it.
 */
export class UnauthorizedOffer {
  private offeredFor: string | undefined;
  /** How many offers were made (the extension-host tests read it). */
  count = 0;

  /** True when this 401 should be offered; `credential` identifies the URL and token in use. */
  shouldOffer(credential: string): boolean {
    if (this.offeredFor === credential) return false;
    this.offeredFor = credential;
    this.count++;
    return true;
  }

  rearm(): void {
    this.offeredFor = undefined;
  }
}
