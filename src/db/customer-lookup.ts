import Database from 'better-sqlite3'
import {nativeBinding} from './native-binding.js'

/** Which of the given customer ids exist in the database. */
export function existingCustomerIds(db: Database.Database): (ids: Iterable<string>) => Set<string> {
  const existing = db
    .prepare<[string], string>(
      'SELECT customer_id FROM customers WHERE customer_id IN (SELECT value FROM json_each(?))',
    )
    .pluck()
  return (ids) => new Set(existing.all(JSON.stringify([...new Set(ids)])))
}

/**
 * A read-only connection that tells which customer ids exist, for the import reader's thread: a contact file's
 * rows are checked there, beside the parsing, so the writing thread only writes.
 */
export function customerLookup(file: string) {
  const db = new Database(file, {readonly: true, fileMustExist: true, nativeBinding})
  db.pragma('busy_timeout = 10000')
  return {known: existingCustomerIds(db), close: () => db.close()}
}
