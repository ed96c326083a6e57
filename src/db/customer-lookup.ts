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
      'SELECT customer_id FROM customers WHERE customer_id IN (SELECT value FROM json_each(?)) AND deleted_at IS ' +
        'NOT NULL',
    )
    .pluck()
  return (ids) => new Set(deleted.all(JSON.stringify([...new Set(ids)])))
}

/** The look-up connection's page cache, in KiB. */
const LOOKUP_CACHE_KIB = 2_000

/**
 * A read-only connection that tells which customer ids exist, for the import reader's thread: a contact file's
 * rows are checked there, beside the parsing, so the writing thread only writes.
 */
export function customerLookup(file: string) {
  const db = new Database(file, {readonly: true, fileMustExist: true, nativeBinding})
  db.pragma('busy_timeout = 10000')
  // SQLite's own default page cache (better-sqlite3's is 16 MB): the look-ups are spread over the whole customer index,
  // which a 16 MB cache did not hold either, and the writer's connection keeps a cache of its own.
  db.pragma(`cache_size = ${-LOOKUP_CACHE_KIB}`)
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
