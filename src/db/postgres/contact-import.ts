import {wallClockOffset} from '../../core/dates.js'
import type {ImportRow, WriteCounts} from '../multi-row.js'
import {KEY_FIELDS, type SqliteContactWriter} from '../repositories/contact-import.js'
import {answeringContact} from '../repositories/contacts.js'
import {importBatchRepository, type MergeCounts} from '../repositories/import-batches.js'
import {type PgDatabase, PgError} from './connection.js'
import {copyText} from './copy-text.js'

/** This connection's staging table of a slice's contacts, and its note of the contacts this import has written. */
const STAGE = 'crm_contact_stage'
const WRITTEN = 'crm_written_contacts'
const KEY = ['customer_id', 'at', 'channel', 'direction', 'purpose', 'notes_key']

/**
 * contact-import.ts's writer on PostgreSQL: a slice is copied into a TEMP staging table and written with one
 * set-based upsert on the same-contact key, counted from its RETURNING (xmax = 0: inserted). A new contact without an
 * offset gets its wall-clock offset in the machine's zone, worked out here (the function SQLite registers) and
 * staged beside it.
 */
export function postgresContactWriter(db: PgDatabase, fields: readonly string[]): SqliteContactWriter {
  const updatable = fields.filter((f) => !KEY_FIELDS.includes(f))
  const list = [...fields, 'notes_key'].join(', ')
  const atAt = fields.indexOf('at')
  const offsetAt = fields.indexOf('utc_offset')
  const set = (f: string) => (f === 'utc_offset' ? `${f} = coalesce(excluded.${f}, k.${f})` : `${f} = excluded.${f}`)
  const differs = (f: string) =>
    f === 'utc_offset'
      ? `(excluded.${f} IS NOT NULL AND k.${f} IS DISTINCT FROM excluded.${f})`
      : `k.${f} IS DISTINCT FROM excluded.${f}`
  const conflict =
    updatable.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${updatable.map(set).join(', ')} WHERE ${updatable.map(differs).join(' OR ')}`
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${WRITTEN} (key text PRIMARY KEY);
    TRUNCATE ${WRITTEN};
    DROP TABLE IF EXISTS ${STAGE};
    CREATE TEMP TABLE ${STAGE} AS SELECT ${list}, utc_offset AS local_offset FROM contacts WITH NO DATA`)
  const stage = (rows: readonly ImportRow[]) => {
    db.exec(`TRUNCATE ${STAGE}`)
    const staged = rows.map((row) => {
      const offset = offsetAt >= 0 ? row[offsetAt] : null
      return [...row, offset === null ? wallClockOffset(String(row[atAt])) : null]
    })
    db.copyFrom(`COPY ${STAGE} (${list}, local_offset) FROM STDIN`, copyText(staged))
  }
  const insert = `INSERT INTO contacts AS k (${list}, import_batch_id, logged_at)
    SELECT ${list}, $1, $2 FROM ${STAGE} ORDER BY customer_id`
  const counted = (written: string) => `WITH w AS (${written} RETURNING xmax = 0 AS inserted)
    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated FROM w`
  const upsertSql = counted(`${insert} ON CONFLICT (${KEY.join(', ')}) ${conflict}`)
  const insertSql = counted(insert)
  // The contacts this batch inserted without an offset take the one worked out for their wall-clock time.
  const recordOffsets = `UPDATE contacts k SET utc_offset = s.local_offset FROM ${STAGE} s
    WHERE ${KEY.map((c) => `k.${c} = s.${c}`).join(' AND ')} AND k.import_batch_id = $1 AND k.utc_offset IS NULL
      AND s.local_offset IS NOT NULL`
  let writes = 0
  const run = (sql: string, batch: number, rows: number): WriteCounts => {
    const r = db.get<{inserted: number; updated: number}>(sql, [batch, new Date().toISOString()])!
    const inserted = Number(r.inserted)
    const updated = Number(r.updated)
    if (inserted > 0) db.run(recordOffsets, [batch])
    return {inserted, updated, unchanged: rows - inserted - updated, newIdsAfter: ++writes}
  }
  const keyAt = KEY_FIELDS.filter((f) => f !== 'notes').map((f) => fields.indexOf(f))
  const keyOf = (row: ImportRow) =>
    JSON.stringify([...keyAt.map((at) => (at < 0 ? null : row[at])), row[fields.length]])
  const customerIdAt = fields.indexOf('customer_id')
  return {
    ...importBatchRepository(db, 'contacts'),
    rowsPerSlice: 2_500,

    customerOf: (row: ImportRow): string => row[customerIdAt] as string,

    writtenBefore: (batch: number, rows: readonly ImportRow[]): Set<number> => {
      const keys = rows.map(keyOf)
      const repeats = new Set<number>()
      if (keys.length === 0) return repeats
      const before = new Set(
        db
          .rows<[string]>(
            `SELECT k FROM unnest($1::text[]) k WHERE EXISTS (SELECT FROM ${WRITTEN} w WHERE w.key = k)
              OR EXISTS (SELECT FROM contacts c
              WHERE ${KEY.map((c, i) => `c.${c} = (k::jsonb ->> ${i})${c === 'at' ? '::timestamp' : ''}`).join(' AND ')}
              AND c.import_batch_id = $2)`,
            [keys, batch],
          )
          .map(([k]) => k),
      )
      keys.forEach((key, i) => {
        if (before.has(key)) repeats.add(i)
      })
      return repeats
    },

    customersWithOpenFollowUps: (): IterableIterator<string> =>
      db
        .rows<[string]>(
          'SELECT DISTINCT customer_id FROM contacts WHERE follow_up_on IS NOT NULL AND follow_up_closed_at IS NULL',
        )
        .map(([id]) => id)
        .values(),

    write: (batch: number, rows: readonly ImportRow[]): MergeCounts => {
      if (rows.length === 0) return {inserted: 0, updated: 0, unchanged: 0}
      stage(rows)
      const counts = run(upsertSql, batch, rows.length)
      db.run(`INSERT INTO ${WRITTEN} (key) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [rows.map(keyOf)])
      return counts
    },

    // A contact logged meanwhile by `contact log` may take a key: the insert is tried in a savepoint.
    insertNew: (batch: number, rows: readonly ImportRow[]): WriteCounts | undefined => {
      if (rows.length === 0) return {inserted: 0, updated: 0, unchanged: 0, newIdsAfter: ++writes}
      stage(rows)
      try {
        return db.transaction(() => run(insertSql, batch, rows.length))
      } catch (error) {
        if (error instanceof PgError && error.code === '23505') return undefined
        throw error
      }
    },

    closeAnswered: (customerIds: readonly string[]): number =>
      db.run(
        `WITH answered AS (
          SELECT f.customer_id, f.id, (${answeringContact('f')}) AS closer FROM contacts f
          WHERE f.customer_id = ANY($2::text[]) AND f.follow_up_on IS NOT NULL AND f.follow_up_closed_at IS NULL
            AND f.deleted_at IS NULL)
        UPDATE contacts SET follow_up_closed_at = $1, follow_up_closed_by = answered.closer
        FROM answered WHERE contacts.customer_id = answered.customer_id AND contacts.id = answered.id
          AND answered.closer IS NOT NULL`,
        [new Date().toISOString(), [...new Set(customerIds)]],
      ).changes,
  }
}
