import Database from 'better-sqlite3'
import {type CrmDatabase, isPostgres} from './connection.js'
import {nativeBinding} from './native-binding.js'
import {PgDatabase} from './postgres/connection.js'
import {dbTarget, isPostgresUrl} from './target.js'

/**
 * Where the import reader's thread looks customers up (customerLookup): the SQLite file, or the PostgreSQL URL with
 * its schema; null for a dry run's private temporary database, which no other connection can open.
 */
export function lookupSource(db: CrmDatabase): string | null {
  if (!isPostgres(db)) return db.memory || db.name === '' ? null : db.name
  const url = new URL(db.target.url)
  url.searchParams.set('schema', db.target.schema)
  return url.href
}

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
  if (isPostgresUrl(file)) return postgresCustomerLookup(file)
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

/** customerLookup on PostgreSQL: a connection of the reader's own (committed customers only, as on SQLite). */
function postgresCustomerLookup(url: string) {
  const target = dbTarget(url)
  if (target.kind !== 'postgres') throw new Error(`not a PostgreSQL URL: ${target.file}`)
  const db = new PgDatabase(target)
  const found = (ids: Iterable<string>, deletedOnly: boolean) =>
    new Set(
      db
        .rows<[string]>(
          'SELECT customer_id FROM customers WHERE customer_id = ANY($1::text[]) ' +
            `AND deleted_at IS ${deletedOnly ? 'NOT ' : ''}NULL`,
          [[...new Set(ids)]],
        )
        .map(([id]) => id),
    )
  // A deleted customer is not known: no contact is added for it (deleted says why).
  return {
    known: (ids: Iterable<string>) => found(ids, false),
    deleted: (ids: Iterable<string>) => found(ids, true),
    close: () => db.close(),
  }
}
