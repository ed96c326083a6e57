import type {BatchRecord, ImportHistory, LaterChange, StoredReject} from '../repositories/import-history.js'
import {batchRecord, ERASABLE} from '../repositories/import-history.js'
import type {PgDatabase} from './connection.js'
import {isoInstant} from './sql.js'
import {journalledColumnsPostgres, oldValue} from './undo-journal.js'

// h1 on PostgreSQL: import list/show and import undo, as importHistoryRepository does them on SQLite. Customers,
// contacts and the journal are keyed by customer_id here; customers.id still numbers customers (a LaterChange's ref).

const COLUMNS = `id, kind, file_name, sha256, mode, status, host, pid, rows_read, inserted, updated, unchanged,
  rejected,
  duplicates, actor, ${isoInstant('started_at')} AS started_at, ${isoInstant('finished_at')} AS finished_at,
  ${isoInstant('undone_at')} AS undone_at`

/** An audit entry's details naming the batch ($1); as text, which reads details whether json or jsonb. */
const NAMES_BATCH = `details ->> 'batch' = $1::bigint::text`

type Flags = {changed: boolean; deleted: boolean; erased: boolean; contacts: boolean; classified: boolean}
type Marked = Flags & {ref: number; customer_id: string; name: string; type: string; contact_edited: boolean}

export function postgresImportHistoryRepository(db: PgDatabase): ImportHistory {
  const find = (id: number, lock: boolean) => {
    const row = db.get<Parameters<typeof batchRecord>[0]>(
      `SELECT ${COLUMNS} FROM import_batches WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    )
    return row && batchRecord(row)
  }
  const scope = (batch: BatchRecord) => ({
    batch: batch.id,
    kind: batch.kind,
    startedAt: batch.startedAt,
    auditFrom: Number(
      db.value(
        `SELECT coalesce(min(id), 0) FROM audit_log WHERE action IN ('customer.import', 'contact.import')
        AND ${NAMES_BATCH}`,
        [batch.id],
      ),
    ),
  })
  return {
    list: (limit: number | undefined): IterableIterator<BatchRecord> =>
      (function* () {
        for (const page of db.pages<Parameters<typeof batchRecord>[0]>(
          `SELECT ${COLUMNS} FROM import_batches ORDER BY id DESC LIMIT $1`,
          [limit ?? null],
        ))
          for (const row of page) yield batchRecord(row)
      })(),
    count: (): number => Number(db.value('SELECT count(*) FROM import_batches')),
    find: (id: number) => find(id, false),
    lock: (id: number) => find(id, true),
    rejectExamples: (id: number): StoredReject[] | null => {
      const details = db.value<string>(
        `SELECT details FROM audit_log WHERE action IN ('customer.import.complete', 'contact.import.complete')
          AND ${NAMES_BATCH} ORDER BY id DESC LIMIT 1`,
        [id],
      )
      if (details === undefined) return null
      return (JSON.parse(details) as {rejectExamples?: StoredReject[]}).rejectExamples ?? null
    },
    journalled: (id: number): number =>
      Number(db.value('SELECT count(*) FROM customer_changes WHERE batch_id = $1', [id])),

    *laterChanges(batch: BatchRecord): Generator<LaterChange & {ref: number}> {
      const s = scope(batch)
      // As on SQLite (the day-two conventions): a later batch's or an edit's journal row, a delete or an erase, a
      // contact logged or imported since the batch began, a run since then that placed the customer, or an edit or a
      // delete of one of the batch's contacts.
      const sql = `WITH touched (customer_id) AS (
          SELECT customer_id FROM customers WHERE $2::text = 'customers' AND created_batch_id = $1
          UNION SELECT customer_id FROM customer_changes WHERE $2::text = 'customers' AND batch_id = $1
          UNION SELECT customer_id FROM contacts WHERE $2::text = 'contacts' AND import_batch_id = $1),
        contact_edited (customer_id) AS (
          SELECT k.customer_id FROM audit_log a JOIN contacts k
            ON a.details ->> 'contact' ~ '^[0-9]{1,18}$' AND k.id = (a.details ->> 'contact')::bigint
          WHERE $2::text = 'contacts' AND a.id > $4 AND a.action IN ('contact.edit', 'contact.delete')
            AND k.import_batch_id = $1),
        marked AS (
          SELECT c.id AS ref, c.customer_id, c.name, c.type,
            EXISTS (SELECT 1 FROM customer_changes j WHERE j.customer_id = c.customer_id AND (j.batch_id > $1
              OR (j.audit_id > $4 AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.id = j.audit_id
                AND u.action = 'import.undo')))) AS changed,
            c.deleted_at IS NOT NULL AS deleted,
            c.erased_at IS NOT NULL AS erased,
            EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.customer_id AND k.logged_at >= $3::timestamptz
              AND k.import_batch_id IS DISTINCT FROM $1) AS contacts,
            EXISTS (SELECT 1 FROM classification_results x WHERE x.customer_id = c.customer_id AND x.run_id = ANY (
              ARRAY(SELECT id FROM classification_runs WHERE created_at >= $3::timestamptz))) AS classified,
            c.customer_id IN (SELECT customer_id FROM contact_edited) AS contact_edited
          FROM touched t JOIN customers c ON c.customer_id = t.customer_id)
        SELECT * FROM marked WHERE changed OR deleted OR erased OR contacts OR classified OR contact_edited
        ORDER BY customer_id COLLATE "C"`
      for (const page of db.pages<Marked>(sql, [s.batch, s.kind, s.startedAt, s.auditFrom]))
        for (const r of page) {
          const reasons = (
            ['changed', 'deleted', 'erased', 'contacts', 'classified', 'contact_edited'] as const
          ).filter((k) => r[k])
          yield {ref: Number(r.ref), customerId: r.customer_id, name: r.name, type: r.type, reasons}
        }
    },

    // Set-based, as on SQLite: every statement covers the whole batch, however large, in the caller's transaction.
    undo(batch, kept, now, audit) {
      const id = batch.id
      if (batch.kind === 'contacts') {
        const removedContactIds = db
          .rows<[number]>('SELECT id FROM contacts WHERE import_batch_id = $1 ORDER BY id LIMIT $2', [id, audit.limit])
          .map(([n]) => Number(n))
        // The follow-ups (of other contacts) the batch's contacts closed are reopened, noted in a table of this
        // transaction's own, and closed again below by the next contact that answers them, if any (as contact delete).
        db.exec(`CREATE TEMP TABLE crm_undo_reopened (customer_id text, id bigint, PRIMARY KEY (customer_id, id))
          ON COMMIT DROP`)
        const reopened = db.run(
          `WITH reopened AS (UPDATE contacts SET follow_up_closed_at = NULL, follow_up_closed_by = NULL
            WHERE (customer_id, follow_up_closed_by)
              IN (SELECT customer_id, id FROM contacts WHERE import_batch_id = $1)
              AND import_batch_id IS DISTINCT FROM $1 RETURNING customer_id, id)
          INSERT INTO pg_temp.crm_undo_reopened SELECT customer_id, id FROM reopened`,
          [id],
        ).changes
        db.run(
          'UPDATE contacts SET follow_up_closed_by = NULL WHERE import_batch_id = $1 ' +
            'AND follow_up_closed_by IS NOT NULL',
          [id],
        )
        const removedContacts = db.run('DELETE FROM contacts WHERE import_batch_id = $1', [id]).changes
        const reclosed = db.run(
          `UPDATE contacts f SET follow_up_closed_by = n.id, follow_up_closed_at = $1::timestamptz
          FROM pg_temp.crm_undo_reopened r CROSS JOIN LATERAL (SELECT n.id FROM contacts n, contacts o
            WHERE o.customer_id = r.customer_id AND o.id = r.id AND n.customer_id = o.customer_id AND n.at > o.at
              AND n.deleted_at IS NULL AND NOT (n.channel IN ('sms', 'email') AND n.direction = 'out')
            ORDER BY n.at LIMIT 1) n
          WHERE f.customer_id = r.customer_id AND f.id = r.id`,
          [now],
        ).changes
        db.exec('DROP TABLE pg_temp.crm_undo_reopened')
        markUndone(db, id, now)
        return {
          removedCustomers: 0,
          keptAsDeleted: 0,
          restoredCustomers: 0,
          removedContacts,
          reopenedFollowUps: reopened - reclosed,
          removedCustomerIds: [],
          removedContactIds,
        }
      }
      const columns = journalledColumnsPostgres(db)
      const keptRefs = [...kept]
      const removedCustomerIds = db
        .rows<[string]>(
          `SELECT customer_id FROM customers WHERE created_batch_id = $1 AND NOT (id = ANY ($2::bigint[]))
          ORDER BY id LIMIT $3`,
          [id, keptRefs, audit.limit],
        )
        .map(([c]) => c)
      const keptAsDeleted = db.run(
        `UPDATE customers SET deleted_at = coalesce(deleted_at, $3::timestamptz)
        WHERE created_batch_id = $1 AND id = ANY ($2::bigint[])`,
        [id, keptRefs, now],
      ).changes
      const removedCustomers = db.run(
        'DELETE FROM customers WHERE created_batch_id = $1 AND NOT (id = ANY ($2::bigint[]))',
        [id, keptRefs],
      ).changes
      // f1: the values the undo overwrites go to the journal under its audit entry first (one row per customer).
      db.run(
        `INSERT INTO customer_changes (customer_id, batch_id, audit_id, old_values)
        SELECT j.customer_id, NULL, $2, (SELECT jsonb_object_agg(e.key, CASE e.key ${columns
          .map((c) => `WHEN '${c.name}' THEN to_jsonb(c.${c.name})`)
          .join(' ')} END) FROM jsonb_each(j.old_values) e)
        FROM customer_changes j JOIN customers c ON c.customer_id = j.customer_id WHERE j.batch_id = $1 ORDER BY j.id`,
        [id, audit.id],
      )
      const restoredCustomers = db.run(
        `UPDATE customers c SET ${columns
          .map((col) => {
            const erased = ERASABLE.has(col.name) ? 'c.erased_at IS NOT NULL OR ' : ''
            return `${col.name} = CASE WHEN ${erased}NOT (j.old_values ? '${col.name}') THEN c.${col.name}
              ELSE ${oldValue(`j.old_values -> '${col.name}'`, col)} END`
          })
          .join(', ')}
        FROM (SELECT customer_id, old_values FROM customer_changes WHERE batch_id = $1) j
        WHERE c.customer_id = j.customer_id`,
        [id],
      ).changes
      db.run('DELETE FROM customer_changes WHERE batch_id = $1', [id])
      markUndone(db, id, now)
      return {
        removedCustomers,
        keptAsDeleted,
        restoredCustomers,
        removedContacts: 0,
        reopenedFollowUps: 0,
        removedCustomerIds,
        removedContactIds: [],
      }
    },

    // Repeatable read: a customer another crm changes while the undo runs makes PostgreSQL fail one of the two
    // (a serialization failure), and the undo is run again from the start: it then sees that change (and refuses).
    transaction: <T>(body: () => T): T => db.transaction(body, {isolation: 'repeatable read'}),
  }
}

function markUndone(db: PgDatabase, batch: number, now: string): void {
  db.run('UPDATE import_batches SET undone_at = $2::timestamptz WHERE id = $1', [batch, now])
}
