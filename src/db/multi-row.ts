import type {Database, Statement} from 'better-sqlite3'
import type {RowBlock} from '../core/packed-rows.js'
import type {FieldValue} from '../core/row-validator.js'
import type {MergeCounts} from './repositories/import-batches.js'

const ROWS_PER_STATEMENT = 200

/** What a write did to its rows; the rows it inserted took the rowids after `newIdsAfter`. */
export interface WriteCounts extends MergeCounts {
  readonly newIdsAfter: number
}

/**
 * Writes rows of a block with multi-row statements of up to ROWS_PER_STATEMENT rows (one statement per size,
 * prepared once): each row binds its values, its tail last, and every statement the shared `named` values.
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
  return (block: RowBlock, rows: readonly number[], named: Record<string, unknown>): WriteCounts => {
    const before = maxId.get() as number
    const {values} = block
    let changes = 0
    for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
      const count = Math.min(ROWS_PER_STATEMENT, rows.length - from)
      params.length = 0
      values.pushRows(rows, from, from + count, params)
      // Values as arguments, not one array: better-sqlite3 reads an array element by element through a generic
      // property look-up. Binding alone ran about 20% faster this way, a million-customer import about 5%.
      changes += statement(count).run(...params, named).changes
    }
    const inserted = (maxId.get() as number) - before
    return {inserted, updated: changes - inserted, unchanged: rows.length - changes, newIdsAfter: before}
  }
}
