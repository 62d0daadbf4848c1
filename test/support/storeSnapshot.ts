/** Read a store file from outside the SDK: every sum of every aggregate table, and SQLite's integrity check. */
import Database from 'better-sqlite3';

/** Rows and sums of s, w, o, e per aggregate table, and the endpoints: "nothing changed" is one deepEqual. */
export function storeSums(path: string): Record<string, unknown> {
  const db = new Database(path, { readonly: true });
  try {
    const sum = (t: string): unknown => db.prepare(`SELECT COUNT(*) AS n, SUM(s) AS s, SUM(w) AS w, SUM(o) AS o, SUM(e) AS e FROM ${t}`).get();
    return {
      endpoints: db.prepare('SELECT COUNT(*) AS n FROM endpoints').get(),
      hourly_endpoint: sum('hourly_endpoint'),
      daily_endpoint: sum('daily_endpoint'),
      hourly_category: sum('hourly_category'),
      daily_category: sum('daily_category'),
    };
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check`: 'ok', or what is wrong. */
export function integrityCheck(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}
