import {columnFor} from '../columns.js'
import type {ImportRow, WriteCounts} from '../multi-row.js'
import type {SqliteCustomerWriter} from '../repositories/customer-import.js'
import {importBatchRepository} from '../repositories/import-batches.js'
import {ExitCode, UserError} from '../../errors.js'
import {type PgDatabase, PgError} from './connection.js'
import {copyText} from './copy-text.js'

/** This connection's staging table of a slice's rows, and its note of the customer_ids this import has written. */
const STAGE = 'crm_customer_stage'
const WRITTEN = 'crm_written_customers'

/** A sum of fen as PostgreSQL's exact numeric, read as text. */
const fenSum = (text: unknown): bigint => (text === null || text === undefined ? 0n : BigInt(text as string))

/**
 * customer-import.ts's writer on PostgreSQL (issue 18): each slice is copied (COPY … FROM STDIN) into a TEMP staging
 * table, then written with one set-based statement. The counts come from the statement itself (RETURNING xmax = 0
 * tells an insert from an update; a row neither returned was unchanged), never from max(id), so they hold beside
 * other writers. Rows are written in customer_id order, so two writers lock shared customers in the same order.
 * The undo journal (customer_changes: the old values of the fields a batch changed) is written by a statement before
 * the update, from the rows as they were, where SQLite uses TEMP triggers.
 */
export function postgresCustomerWriter(
  db: PgDatabase,
  fields: readonly string[],
  updateOnly = false,
): SqliteCustomerWriter {
  const columns = fields.map(columnFor)
  const customerIdAt = fields.indexOf('customer_id')
  const aumAt = fields.indexOf('aum')
  const carried = columns.filter((c) => c !== 'customer_id')
  const list = columns.join(', ')
  const differs = (s: string) =>
    [...carried.map((c) => `c.${c} IS DISTINCT FROM ${s}.${c}`), `c.extra || ${s}.extra IS DISTINCT FROM c.extra`].join(
      ' OR ',
    )
  // The old value of each field the row changes, and the batch that last changed the customer (always).
  const oldValues = [
    `jsonb_build_object('updated_batch_id', c.updated_batch_id)`,
    ...carried.map(
      (c) => `CASE WHEN c.${c} IS DISTINCT FROM s.${c} THEN jsonb_build_object('${c}', c.${c}) ELSE '{}' END`,
    ),
    `CASE WHEN c.extra || s.extra IS DISTINCT FROM c.extra THEN jsonb_build_object('extra', c.extra) ELSE '{}' END`,
  ].join(' || ')

  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${WRITTEN} (key text PRIMARY KEY);
    TRUNCATE ${WRITTEN};
    DROP TABLE IF EXISTS ${STAGE};
    CREATE TEMP TABLE ${STAGE} AS SELECT ${list}, extra FROM customers WITH NO DATA`)
  const copySql = `COPY ${STAGE} (${list}, extra) FROM STDIN`
  const stage = (rows: readonly ImportRow[]) => {
    db.exec(`TRUNCATE ${STAGE}`)
    try {
      db.copyFrom(copySql, copyText(rows))
    } catch (error) {
      // A kept column's NUL character (\u0000), which SQLite keeps and jsonb refuses: said, not an internal error.
      if (error instanceof PgError && (error.code === '22P05' || error.code === '22021'))
        throw new UserError(
          `a row holds a character a PostgreSQL book cannot store: ${error.message}`,
          ExitCode.BadInput,
          'remove the NUL characters from the file (or import it into a SQLite book); ' +
            'blocks committed before it are kept',
        )
      throw error
    }
  }

  // h1: a customer this batch changes for the first time gets a journal row of its old values; one it changes again
  // (a repeated id) gets the fields not yet in its row. Customers the batch inserted get none (an undo removes them).
  // The rows are locked here, in customer_id order, before anything is changed.
  const journalSql = `WITH j AS (
      SELECT c.customer_id, c.updated_batch_id = $1 AS again, ${oldValues} AS old
      FROM ${STAGE} s JOIN customers c ON c.customer_id = s.customer_id
      WHERE c.created_batch_id <> $1 AND (${differs('s')})
      ORDER BY c.customer_id FOR UPDATE OF c
    ), merged AS (
      UPDATE customer_changes x SET old_values = j.old || x.old_values FROM j
      WHERE j.again AND x.customer_id = j.customer_id AND x.batch_id = $1
    )
    INSERT INTO customer_changes (customer_id, batch_id, old_values) SELECT customer_id, $1, old FROM j WHERE NOT again`
  const counted = (written: string) => `WITH w AS (${written})
    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated,
      (sum(aum_fen) FILTER (WHERE inserted))::text AS aum FROM w`
  const upsertSql = counted(`INSERT INTO customers AS c (${list}, extra, created_batch_id, updated_batch_id)
    SELECT ${list}, extra, $1, $1 FROM ${STAGE} ORDER BY customer_id
    ON CONFLICT (customer_id) DO UPDATE SET ${[
      ...carried.map((c) => `${c} = excluded.${c}`),
      'extra = c.extra || excluded.extra',
      'updated_batch_id = excluded.updated_batch_id',
    ].join(', ')}
    WHERE ${differs('excluded')}
    RETURNING xmax = 0 AS inserted, aum_fen`)
  // Updating only (--mode update-only): an upsert would check NOT NULL on the rows it never inserts.
  const updateSql = counted(`UPDATE customers AS c SET ${[
    ...carried.map((c) => `${c} = s.${c}`),
    'extra = c.extra || s.extra',
    'updated_batch_id = $1',
  ].join(', ')}
    FROM ${STAGE} s WHERE c.customer_id = s.customer_id AND (${differs('s')})
    RETURNING false AS inserted, c.aum_fen`)
  // Rows that are all new, or nothing: only imports add customers, and they take turns (import-batches.ts), so none
  // can be added between the look and the insert.
  const insertSql = counted(`INSERT INTO customers (${list}, extra, created_batch_id, updated_batch_id)
    SELECT ${list}, extra, $1, $1 FROM ${STAGE}
    WHERE NOT EXISTS (SELECT FROM ${STAGE} s JOIN customers c ON c.customer_id = s.customer_id)
    ORDER BY customer_id RETURNING true AS inserted, aum_fen`)

  // What the last write inserted, for storedAumAfter: its token is the write's newIdsAfter.
  let writes = 0
  let insertedAum = 0n
  const run = (sql: string, batch: number, rows: number): WriteCounts => {
    const r = db.get<{inserted: number; updated: number; aum: string | null}>(sql, [batch])!
    insertedAum = fenSum(r.aum)
    const inserted = Number(r.inserted)
    const updated = Number(r.updated)
    return {inserted, updated, unchanged: rows - inserted - updated, newIdsAfter: ++writes}
  }
  const none = (): WriteCounts => {
    insertedAum = 0n
    return {inserted: 0, updated: 0, unchanged: 0, newIdsAfter: ++writes}
  }
  const idOf = (row: ImportRow) => row[customerIdAt] as string
  const ids = (found: {customer_id: string}[]) => new Set(found.map((r) => r.customer_id))
  const journalColumns = [...carried, 'extra']
  const current = `CASE e.key ${journalColumns.map((c) => `WHEN '${c}' THEN to_jsonb(c.${c})`).join(' ')} END`

  return {
    ...importBatchRepository(db, 'customers'),
    customerIdAt,
    aumAt,
    idOf,
    /** A round trip costs more than a larger slice's memory: a whole block (2,500 rows) goes at once. */
    rowsPerSlice: 2_500,

    write: (batch: number, rows: readonly ImportRow[]): WriteCounts => {
      if (rows.length === 0) return none()
      stage(rows)
      db.run(journalSql, [batch])
      const counts = run(updateOnly ? updateSql : upsertSql, batch, rows.length)
      db.run(`INSERT INTO ${WRITTEN} (key) SELECT customer_id FROM ${STAGE} ON CONFLICT DO NOTHING`)
      return counts
    },

    insertNew: (batch: number, rows: readonly ImportRow[]): WriteCounts | undefined => {
      if (updateOnly) return undefined
      if (rows.length === 0) return none()
      stage(rows)
      const counts = run(insertSql, batch, rows.length)
      return counts.inserted === 0 ? undefined : counts
    },

    writtenBefore: (batch: number, rows: readonly ImportRow[]): Set<string> => {
      if (rows.length === 0) return new Set()
      return ids(
        db.all(
          // Two look-ups by key per id (an IN over the whole note would read all of it for every block).
          `SELECT k AS customer_id FROM unnest($1::text[]) k WHERE EXISTS (SELECT FROM ${WRITTEN} w WHERE w.key = k)
            OR EXISTS (SELECT FROM customers c WHERE c.customer_id = k AND c.created_batch_id = $2)`,
          [rows.map(idOf), batch],
        ),
      )
    },

    priorState: (batch: number, customerId: string) => {
      const row = db.get<{aum: number | bigint | null; changed_here: boolean}>(
        'SELECT aum_fen AS aum, updated_batch_id = $1 AS changed_here FROM customers WHERE customer_id = $2',
        [batch, customerId],
      )
      return row && {aum: row.aum === null ? null : BigInt(row.aum), changedHere: row.changed_here}
    },

    unchangedAfterRepeat: (batch: number, customerId: string): boolean => {
      // f1: the journal forgets the fields the later row put back; with none left the customer is as it was.
      db.run(
        `UPDATE customer_changes j SET old_values = (SELECT jsonb_object_agg(e.key, e.value)
            FROM jsonb_each(j.old_values) e WHERE e.key = 'updated_batch_id' OR ${current} IS DISTINCT FROM e.value)
          FROM customers c WHERE c.customer_id = j.customer_id AND j.customer_id = $1 AND j.batch_id = $2`,
        [customerId, batch],
      )
      return (
        db.run(
          `WITH gone AS (DELETE FROM customer_changes WHERE customer_id = $1 AND batch_id = $2
              AND NOT EXISTS (SELECT FROM jsonb_object_keys(old_values) k WHERE k <> 'updated_batch_id')
              RETURNING (old_values ->> 'updated_batch_id')::bigint AS old)
            UPDATE customers SET updated_batch_id = gone.old FROM gone WHERE customer_id = $1`,
          [customerId, batch],
        ).changes > 0
      )
    },

    existingIds: (wanted: Iterable<string>) =>
      ids(db.all('SELECT customer_id FROM customers WHERE customer_id = ANY($1::text[])', [[...new Set(wanted)]])),
    deletedIds: (wanted: Iterable<string>) =>
      ids(
        db.all('SELECT customer_id FROM customers WHERE customer_id = ANY($1::text[]) AND deleted_at IS NOT NULL', [
          [...new Set(wanted)],
        ]),
      ),
    storedAum: (wanted: readonly string[]): bigint =>
      fenSum(db.value('SELECT sum(aum_fen)::text FROM customers WHERE customer_id = ANY($1::text[])', [wanted])),
    /** The stored aum of the rows the write `token` (its newIdsAfter) inserted, as its RETURNING summed them. */
    storedAumAfter: (token: number): bigint => {
      if (token !== writes) throw new Error(`storedAumAfter(${token}) after write ${writes}`)
      return insertedAum
    },
  }
}
