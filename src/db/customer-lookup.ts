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

/** Which of the given customer ids belonged to customers now deleted (their ids are never reused). */
export function deletedCustomerIds(db: Database.Database): (ids: Iterable<string>) => Set<string> {
  const deleted = db
    .prepare<[string], string>(
      'SELECT customer_id FROM customers WHERE customer_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NOT NULL',
    )
    .pluck()
  return (ids) => new Set(deleted.all(JSON.stringify([...new Set(ids)])))
}

/**
 * A read-only connection that tells which customer ids exist, for the import reader's thread: a contact file's
 * rows are checked there, beside the parsing, so the writing thread only writes.
 */
export function customerLookup(file: string) {
  const db = new Database(file, {readonly: true, fileMustExist: true, nativeBinding})
  db.pragma('busy_timeout = 10000')
  // A deleted customer is not known: no contact is added for it (deleted says why).
  const existing = existingCustomerIds(db)
  const deleted = deletedCustomerIds(db)
  const known = (ids: Iterable<string>) => {
    const found = existing(ids)
    for (const id of deleted(found)) found.delete(id)
    return found
  }
  return {known, deleted, close: () => db.close()}
}
