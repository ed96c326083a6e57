/** SQL pieces that make PostgreSQL give what SQLite gives: its stored text, its comparisons. */

/**
 * An instant (timestamptz) as the SQLite book stores it: ISO 8601 in UTC with milliseconds,
 * '2026-11-29T10:00:04.123Z'.
 */
export function isoInstant(x: string): string {
  return `to_char(${x} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}

/** A day (date) as the SQLite book stores it, whatever the server's DateStyle: 'YYYY-MM-DD'. */
export function isoDate(x: string): string {
  return `to_char(${x}, 'YYYY-MM-DD')`
}

/**
 * Text with only A-Z lowered, as SQLite's NOCASE and LIKE fold case (PostgreSQL's lower() and ILIKE fold every
 * letter, by the server's locale): the same rows match on both books.
 */
export function asciiLower(x: string): string {
  return `translate(${x}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`
}

/** A timestamp (a contact's wall-clock time) as 'YYYY-MM-DDTHH:MM:SS', as contact log and import store it. */
export function wallClock(x: string): string {
  return `to_char(${x}, 'YYYY-MM-DD"T"HH24:MI:SS')`
}

/** JS's side of SQLite's LIKE '%text%' (likeContaining): contains `text`, A-Z matching a-z. */
export function containsLike(haystack: string | null, text: string): boolean {
  if (haystack === null) return false
  const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
  return fold(haystack).includes(fold(text))
}
