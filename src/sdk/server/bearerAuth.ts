/**
 * Optional bearer-token check. Both sides are hashed to a fixed length before
 * `timingSafeEqual`, so neither the token's content nor its length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const WWW_AUTHENTICATE = 'Bearer realm="budget-lens"';

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

export class BearerAuth {
  private readonly expected: Buffer;

  constructor(token: string) {
    if (token === '') throw new Error('bearer token must not be empty');
    this.expected = digest(token);
  }

  /** True when the `Authorization` header carries exactly the configured token. */
  accepts(header: string | undefined): boolean {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
    const given = digest(m?.[1] ?? '');
    // Always compare, also for a missing header, so both paths take the same time.
    return timingSafeEqual(given, this.expected) && m !== null;
  }
}
