import Database from 'better-sqlite3'

/**
 * A read-only connection that tells which customer ids exist, for the import reader's thread: a contact file's
 * rows are checked there, beside the parsing, so the writing thread only writes.
 */
export function customerLookup(file: string) {
  const db = new Database(file, {readonly: true, fileMustExist: true})
  db.pragma('busy_timeout = 10000')
  const known = db.prepare<[string], string>('SELECT customer_id FROM customers WHERE customer_id IN (SELECT value FROM json_each(?))').pluck()
  return {
    /** Which of these customer ids exist. */
    known: (ids: Iterable<string>): Set<string> => new Set(known.all(JSON.stringify([...new Set(ids)]))),
    close: () => db.close(),
  }
}
