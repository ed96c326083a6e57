/**
 * How PostgreSQL's typed values are read back as the text the SQLite path stores and prints (the SQLite book keeps
 * them as text): an instant as JavaScript's toISOString writes it, a contact's wall-clock time as logged.
 */

/** A timestamptz as '2026-11-30T04:57:02.123Z' (what new Date().toISOString() wrote into a SQLite book). */
export function instantSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}

/** A timestamp (a contact's wall-clock time) as 'YYYY-MM-DDTHH:MM:SS', as contact log and import store it. */
export function wallClockSql(column: string): string {
  return `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS')`
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** Text compared as SQLite's COLLATE NOCASE compares it: A-Z folded to a-z, nothing else. */
export function nocaseSql(sql: string): string {
  return `translate(${sql}, '${UPPER}', '${UPPER.toLowerCase()}')`
}

/** JS's side of SQLite's LIKE '%text%' (likeContaining): contains `text`, A-Z matching a-z. */
export function containsLike(haystack: string | null, text: string): boolean {
  if (haystack === null) return false
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
  return fold(haystack).includes(fold(text))
}
