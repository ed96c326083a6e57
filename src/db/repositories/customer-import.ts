import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresCustomerWriter} from '../postgres/customer-import.js'
import type {Database} from 'better-sqlite3'
import {columnFor, joinSum, splitSum} from '../columns.js'
import {deletedCustomerIds, existingCustomerIds} from '../customer-lookup.js'
import {
  type ImportRow,
  multiRowWriter,
  ROWS_PER_SLICE,
  unlessKeyTaken,
  type WriteCounts,
  writtenKeys,
} from '../multi-row.js'
import {importBatchRepository} from './import-batches.js'
import {journalImportUpdates, journalSettler} from './customer-journal.js'

export type {BatchInfo, BatchTotals, MergeCounts} from './import-batches.js'

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function customerWriter(db: CrmDatabase, fields: readonly string[], updateOnly = false) {
  if (isPostgres(db)) return postgresCustomerWriter(db, fields, updateOnly)
  return sqliteCustomerWriter(db, fields, updateOnly)
}

/**
 * Writes validated customer rows: a multi-row upsert that updates only the fields the file carries and only
 * when something differs, so unchanged rows cost no write. Callers group calls into transactions.
 */
function sqliteCustomerWriter(db: Database, fields: readonly string[], updateOnly = false) {
  const columns = fields.map(columnFor)
  const customerIdAt = fields.indexOf('customer_id')
  const aumAt = fields.indexOf('aum')
  const carried = columns.filter((c) => c !== 'customer_id')
  const width = columns.length + 1
  const differs = [
    ...carried.map(
      (c) => `c.${c} IS NOT
    excluded.${c}`,
    ),
    'json_patch(c.extra, excluded.extra) IS NOT c.extra',
  ].join(' OR ')
  const updates = [
    ...carried.map((c) => `${c} = excluded.${c}`),
    'extra = json_patch(c.extra, excluded.extra)',
    'updated_batch_id = excluded.updated_batch_id',
  ].join(', ')
  // Each row binds its values and, last, its extra columns (minified JSON text, strings escaped as JSON.stringify
  // does, which is what SQLite's json() would make of it, so json_patch results compare equal); @batch is shared.
  const tuple = `(${Array(width).fill('?').join(',')}, @batch, @batch)`
  const insertSql = (rows: number) => `INSERT INTO customers (${columns.join(', ')}, extra, created_batch_id,
    updated_batch_id) VALUES ${Array(rows).fill(tuple).join(',')}`
  const upsertSql = (rows: number) => `INSERT INTO customers AS c (${columns.join(', ')}, extra, created_batch_id,
    updated_batch_id)
    VALUES ${Array(rows).fill(tuple).join(',')}
    ON CONFLICT (customer_id) DO UPDATE SET ${updates} WHERE ${differs}`
  // Updating only (--mode update-only): an upsert would check NOT NULL on the rows it never inserts.
  const updateSql = (rows: number) => `WITH v (${columns.join(', ')}, extra) AS (VALUES
    ${Array(rows)
      .fill(`(${Array(width).fill('?').join(',')})`)
      .join(',')})
    UPDATE customers AS c SET ${[
      ...carried.map(
        (col) => `${col} =
      v.${col}`,
      ),
      'extra = json_patch(c.extra, v.extra)',
      'updated_batch_id = @batch',
    ].join(', ')}
    FROM v WHERE c.customer_id = v.customer_id AND (${[
      ...carried.map(
        (col) => `c.${col} IS NOT
      v.${col}`,
      ),
      'json_patch(c.extra, v.extra) IS NOT c.extra',
    ].join(' OR ')})`
  // h1: each customer an update changes gets an undo-journal row with its old values (customer-journal.ts).
  journalImportUpdates(db)
  const writeRows = multiRowWriter(db, 'customers', (rows) => (updateOnly ? updateSql(rows) : upsertSql(rows)))
  const insertRows = multiRowWriter(db, 'customers', insertSql)
  const existing = existingCustomerIds(db)
  type AumSum = {aum_high: bigint | null; aum_low: bigint | null}
  const storedAumAfter = db
    .prepare<[number], AumSum>(`SELECT ${splitSum('aum_fen', 'aum')} FROM customers
    WHERE id > ?`)
    .safeIntegers()
  const storedAum = db
    .prepare<[string], AumSum>(`SELECT ${splitSum('aum_fen', 'aum')} FROM customers
    WHERE customer_id IN (SELECT value FROM json_each(?))`)
    .safeIntegers()
  const total = (sum: AumSum | undefined) => joinSum(sum?.aum_high ?? null, sum?.aum_low ?? null)
  // Which customers this import has written: those it inserted (created_batch_id), and those that existed before it,
  // whose ids the TEMP table keeps.
  const written = writtenKeys(db, 'imported_customer_ids')
  const insertedBy = db
    .prepare<[string, number], string>(`SELECT c.customer_id FROM json_each(?) j
    JOIN customers c ON c.customer_id = j.value WHERE c.created_batch_id = ?`)
    .pluck()
  const idOf = (row: ImportRow) => row[customerIdAt] as string
  const prior = db
    .prepare<[number, string], {aum: bigint | null; changedHere: number}>(
      'SELECT aum_fen AS aum, updated_batch_id IS ? AS changedHere FROM customers WHERE customer_id = ?',
    )
    .safeIntegers()

  const settle = journalSettler(db)

  return {
    ...importBatchRepository(db, 'customers'),
    customerIdAt,
    aumAt,
    rowsPerSlice: ROWS_PER_SLICE,

    /** A row's customer_id. */
    idOf,

    /**
     * Upserts rows (each row's tail is its extra columns) and notes their ids as written; returns what happened to
     * them.
     */
    write: (batch: number, rows: readonly ImportRow[]): WriteCounts => {
      const counts = writeRows(rows, {batch})
      written.add(rows.map(idOf))
      return counts
    },

    /**
     * Inserts rows whose customer_ids are all new (to the table and to this import); undefined, with nothing
     * written, when one is not. Their ids need no note: the rows say which batch created them.
     */
    insertNew: (batch: number, rows: readonly ImportRow[]): WriteCounts | undefined =>
      updateOnly ? undefined : unlessKeyTaken(db, () => insertRows(rows, {batch})),

    /** Which of the rows repeat a customer_id this import has written already (exactly, from SQLite). */
    writtenBefore: (batch: number, rows: readonly ImportRow[]): Set<string> => {
      if (rows.length === 0) return new Set()
      const ids = rows.map(idOf)
      const before = written.writtenBefore(ids)
      for (const id of insertedBy.all(JSON.stringify(ids), batch)) before.add(id)
      return before
    },

    /** The stored aum of a customer and whether this import (batch) has already changed it; undefined if unknown. */
    priorState: (batch: number, customerId: string) => {
      const row = prior.get(batch, customerId)
      return row && {aum: row.aum, changedHere: Boolean(row.changedHere)}
    },

    /**
     * f1: after a repeated id's later row, whether the customer is back as it was before the batch (its journal row
     * dropped, its updated_batch_id put back).
     */
    unchangedAfterRepeat: (batch: number, customerId: string): boolean => settle(batch, customerId),

    existingIds: existing,
    /** Which of the ids belonged to deleted customers. */
    deletedIds: deletedCustomerIds(db),
    storedAum: (ids: readonly string[]): bigint => total(storedAum.get(JSON.stringify(ids))),
    /**
     * The stored aum of the customers with rowids after `id` (those a write inserted): a range, not a look-up per id.
     */
    storedAumAfter: (id: number): bigint => total(storedAumAfter.get(id)),
  }
}
export type SqliteCustomerWriter = ReturnType<typeof sqliteCustomerWriter>
export type CustomerWriter = ReturnType<typeof customerWriter>
