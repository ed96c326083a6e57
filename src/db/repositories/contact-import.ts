import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresContactWriter} from '../postgres/contact-import.js'
import type {Database} from 'better-sqlite3'
import {wallClockOffset} from '../../core/dates.js'
import {
  type ImportRow,
  multiRowWriter,
  ROWS_PER_SLICE,
  unlessKeyTaken,
  type WriteCounts,
  writtenKeys,
} from '../multi-row.js'
import {answeringContact} from './contacts.js'
import {importBatchRepository, type MergeCounts} from './import-batches.js'

/** The fields that make a contact what it is: a row that differs in these is another contact. */
export const KEY_FIELDS = ['customer_id', 'at', 'channel', 'direction', 'purpose', 'notes']

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function contactWriter(db: CrmDatabase, fields: readonly string[]) {
  if (isPostgres(db)) return postgresContactWriter(db, fields)
  return sqliteContactWriter(db, fields)
}

/**
 * Writes imported contacts: a multi-row insert keyed on the same-contact key, which updates a known contact's
 * outcome, manager or follow-up date when they differ. Callers group calls into transactions.
 */
function sqliteContactWriter(db: Database, fields: readonly string[]) {
  const updatable = fields.filter((f) => !KEY_FIELDS.includes(f))
  const tuple = `(${Array(fields.length + 1)
    .fill('?')
    .join(',')}, @batch, @now)`
  const key = 'at, customer_id, channel, direction, purpose, notes_key'
  // A row without an offset (a file that has none) leaves a known contact's offset as it is.
  const set = (f: string) => (f === 'utc_offset' ? `${f} = coalesce(excluded.${f}, k.${f})` : `${f} = excluded.${f}`)
  const differs = (f: string) =>
    f === 'utc_offset'
      ? `(excluded.${f} IS NOT NULL
    AND k.${f} IS NOT excluded.${f})`
      : `k.${f} IS NOT excluded.${f}`
  const conflict =
    updatable.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updatable.map(set).join(', ')} WHERE ${updatable.map(differs).join(' OR ')}`
  const insertSql = (rows: number) => `INSERT INTO contacts AS k (${fields.join(', ')},
    notes_key, import_batch_id, logged_at)
    VALUES ${Array(rows).fill(tuple).join(',')}`
  const writeRows = multiRowWriter(db, 'contacts', (rows) => `${insertSql(rows)} ON CONFLICT (${key}) ${conflict}`)
  const insertRows = multiRowWriter(db, 'contacts', insertSql)
  // The follow-ups are found from this block's customers (through contacts_customer_at), not by scanning every open
  // one. Any later contact answers, whichever import stored it: a re-run that completes an interrupted import
  // (finding its later contacts stored already) closes what one uninterrupted import would.
  const closeAnswered = db.prepare(`
    WITH answered (id, closer) AS (
      SELECT f.id, (${answeringContact('f')}) FROM (SELECT DISTINCT value AS customer_id FROM json_each(@ids)) j
        JOIN contacts f ON f.customer_id = j.customer_id
      WHERE f.follow_up_on IS NOT NULL AND f.follow_up_closed_at IS NULL AND f.deleted_at IS NULL)
    UPDATE contacts SET follow_up_closed_at = @now, follow_up_closed_by = answered.closer
    FROM answered WHERE contacts.id = answered.id AND answered.closer IS NOT NULL`)
  // Imported contacts without an offset are in the machine's zone: each new one records the offset there at its
  // wall-clock time.
  db.function('crm_wall_clock_offset', {deterministic: true}, (at: unknown) => wallClockOffset(String(at)))
  const recordOffsets = db.prepare(
    'UPDATE contacts SET utc_offset = crm_wall_clock_offset(at) WHERE id > ? AND utc_offset IS NULL',
  )
  const withOpenFollowUps = db
    .prepare<[], string>(
      'SELECT DISTINCT customer_id FROM contacts WHERE follow_up_on IS NOT NULL AND follow_up_closed_at IS NULL',
    )
    .pluck()
  // A contact's identity for telling repeats apart: its key fields and, from the row's tail, its notes key.
  const keyAt = KEY_FIELDS.filter((f) => f !== 'notes').map((f) => fields.indexOf(f))
  const keyOf = (row: ImportRow) =>
    JSON.stringify([...keyAt.map((at) => (at < 0 ? null : row[at])), row[fields.length]])
  // Which contacts this import has written: those it inserted (import_batch_id), and those that existed before it,
  // whose keys the TEMP table keeps.
  const written = writtenKeys(db, 'imported_contact_keys')
  const keyColumns = ['customer_id', 'at', 'channel', 'direction', 'purpose', 'notes_key']
  const insertedBy = db
    .prepare<[string, number], string>(`SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM contacts c
    WHERE ${keyColumns.map((c, i) => `c.${c} = j.value ->> ${i}`).join(' AND ')} AND c.import_batch_id = ?)`)
    .pluck()
  const customerIdAt = fields.indexOf('customer_id')
  return {
    ...importBatchRepository(db, 'contacts'),
    rowsPerSlice: ROWS_PER_SLICE,

    /** A row's customer_id. */
    customerOf: (row: ImportRow): string => row[customerIdAt] as string,

    /** Which of the rows repeat a contact this import has written already (exactly, from SQLite). */
    writtenBefore: (batch: number, rows: readonly ImportRow[]): Set<number> => {
      const keys = rows.map(keyOf)
      const before = written.writtenBefore(keys)
      if (keys.length > 0) for (const key of insertedBy.all(JSON.stringify(keys), batch)) before.add(key)
      const repeats = new Set<number>()
      if (before.size > 0)
        keys.forEach((key, i) => {
          if (before.has(key)) repeats.add(i)
        })
      return repeats
    },

    /** The customers with an open follow-up, one at a time. */
    customersWithOpenFollowUps: (): IterableIterator<string> => withOpenFollowUps.iterate(),

    /** Writes rows (each row's tail is its notes key) and notes them as written; returns what happened to them. */
    write: (batch: number, rows: readonly ImportRow[]): MergeCounts => {
      const counts = writeRows(rows, {batch, now: new Date().toISOString()})
      if (counts.inserted > 0) recordOffsets.run(counts.newIdsAfter)
      written.add(rows.map(keyOf))
      return counts
    },

    /**
     * Inserts contacts that are all new (to the table and to this import); undefined, with nothing written, when one
     * is not. Their keys need no note: the rows say which batch inserted them.
     */
    insertNew: (batch: number, rows: readonly ImportRow[]): WriteCounts | undefined =>
      unlessKeyTaken(db, () => {
        const counts = insertRows(rows, {batch, now: new Date().toISOString()})
        if (counts.inserted > 0) recordOffsets.run(counts.newIdsAfter)
        return counts
      }),

    /** Closes the open follow-ups of these customers that a later contact answers; returns how many. */
    closeAnswered: (customerIds: readonly string[]): number =>
      closeAnswered.run({now: new Date().toISOString(), ids: JSON.stringify([...new Set(customerIds)])}).changes,
  }
}
export type SqliteContactWriter = ReturnType<typeof sqliteContactWriter>
export type ContactWriter = ReturnType<typeof contactWriter>
