import type {Database, Statement} from 'better-sqlite3'
import type {FieldValue} from '../core/row-validator.js'
import type {MergeCounts} from './repositories/import-batches.js'

const ROWS_PER_STATEMENT = 200

/**
 * Rows decoded at a time from a block as it is written (two multi-row statements): only one slice's rows are alive on
 * the writer's thread, where a whole block's grew its young generation by tens of MB.
 */
export const ROWS_PER_SLICE = 2 * ROWS_PER_STATEMENT

/** The page cache of the TEMP tables of written keys, in KiB (SQLite's own default size). */
const TEMP_CACHE_KIB = 2_000

/** A row as a writer takes it: the plan's field values in order, and one more value, its tail, last. */
export type ImportRow = readonly FieldValue[]

/** What a write did to its rows; the rows it inserted took the rowids after `newIdsAfter`. */
export interface WriteCounts extends MergeCounts {
  readonly newIdsAfter: number
}

/**
 * Writes rows with multi-row statements of up to ROWS_PER_STATEMENT rows (one statement per size, prepared once):
 * each row binds its values, its tail last, and every statement the shared `named` values.
 * New rows take the next rowids, so the rise of max(id) counts the inserts (the caller holds the write lock).
 */
export function multiRowWriter(db: Database, table: string, sqlFor: (rows: number) => string) {
  const statements = new Map<number, Statement>()
  const statement = (rows: number) => {
    let stmt = statements.get(rows)
    if (stmt === undefined) statements.set(rows, (stmt = db.prepare(sqlFor(rows))))
    return stmt
  }
  const maxId = db.prepare(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck()
  const params: FieldValue[] = []
  return (rows: readonly ImportRow[], named: Record<string, unknown>): WriteCounts => {
    const before = maxId.get() as number
    let changes = 0
    for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
      const to = Math.min(from + ROWS_PER_STATEMENT, rows.length)
      params.length = 0
      for (let r = from; r < to; r++) for (const value of rows[r]) params.push(value)
      // Values as arguments, not one array: better-sqlite3 reads an array element by element through a generic
      // property look-up, which made binding slower.
      changes += statement(to - from).run(...params, named).changes
    }
    const inserted = (maxId.get() as number) - before
    return {inserted, updated: changes - inserted, unchanged: rows.length - changes, newIdsAfter: before}
  }
}

/**
 * Runs `write` in a savepoint and returns its result; or, when a row's unique key is taken already (the statement
 * fails whole), undoes it and returns undefined. A plain INSERT of rows that are all new does less work than an
 * upsert, and needs no look-up to know they were new.
 */
export function unlessKeyTaken<T>(db: Database, write: () => T): T | undefined {
  try {
    return db.transaction(write)()
  } catch (error) {
    if ((error as {code?: unknown}).code === 'SQLITE_CONSTRAINT_UNIQUE') return undefined
    throw error
  }
}

/**
 * The keys of the records this import has written, in a TEMP table of this connection: which rows of a block repeat
 * a record written earlier in the same file is then an exact look-up, and memory stays that of SQLite's page cache.
 */
export function writtenKeys(db: Database, name: string) {
  const table = `temp.${name}`
  // The temp database's page cache is its own and, left alone, grew with the table (by tens of MB on a large
  // contact file); capped, the rest of the table waits in its temporary file, in the OS's cache.
  db.pragma(`temp.cache_size = ${-TEMP_CACHE_KIB}`)
  db.exec(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (key TEXT PRIMARY KEY) WITHOUT ROWID`)
  const written = db
    .prepare<[string], string>(`SELECT value FROM json_each(?) WHERE value IN (SELECT key
    FROM ${table})`)
    .pluck()
  const add = db.prepare<[string]>(`INSERT OR IGNORE INTO ${table} (key) SELECT value FROM json_each(?)`)
  return {
    /** Those of the keys that this import has written already. */
    writtenBefore: (keys: readonly string[]): Set<string> =>
      new Set(keys.length === 0 ? [] : written.all(JSON.stringify(keys))),
    /** Notes the keys as written (inside the transaction that writes their rows, so a rollback forgets them too). */
    add: (keys: readonly string[]): void => {
      if (keys.length > 0) add.run(JSON.stringify(keys))
    },
  }
}
