import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresImportHistoryRepository} from '../postgres/import-history.js'
import type {Database} from 'better-sqlite3'
import {currentStatus} from './import-batches.js'
import {journalledColumns} from './customer-journal.js'
import {followUpRecloser} from './contact-edits.js'

// h1: import history and undo — the batches as `import list|show` read them, and what `import undo` does in SQL.

export type BatchStatus = 'complete' | 'interrupted' | 'undone' | 'running'

export interface BatchRecord {
  readonly id: number
  readonly kind: 'customers' | 'contacts'
  readonly fileName: string
  readonly sha256: string
  readonly mode: string
  readonly status: BatchStatus
  readonly rowsRead: number
  readonly inserted: number
  readonly updated: number
  readonly unchanged: number
  readonly rejected: number
  readonly duplicates: number
  readonly actor: string
  readonly startedAt: string
  readonly finishedAt: string | null
  readonly undoneAt: string | null
}

/** A batch row as both backends read it (instants as ISO text in UTC). */
export interface BatchRow {
  id: number
  kind: 'customers' | 'contacts'
  file_name: string
  sha256: string
  mode: string
  status: string
  host: string | null
  pid: number | null
  rows_read: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  duplicates: number
  actor: string
  started_at: string
  finished_at: string | null
  undone_at: string | null
}

export function batchRecord(r: BatchRow): BatchRecord {
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    sha256: r.sha256,
    mode: r.mode,
    status: (r.undone_at !== null ? 'undone' : currentStatus(r)) as BatchStatus,
    rowsRead: r.rows_read,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejected,
    duplicates: r.duplicates,
    actor: r.actor,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    undoneAt: r.undone_at,
  }
}

/** A reject as the batch's completion entry keeps it (its reason masked when it was stored). */
export interface StoredReject {
  readonly line: number
  readonly field: string
  readonly reason: string
}

/** A customer an undo would overwrite or remove although something after the batch touched it, and what did. */
export interface LaterChange {
  readonly customerId: string
  readonly name: string
  readonly type: string
  readonly reasons: readonly string[]
}

/** What an undo removed, named in its audit entry: the first ids (at most `limit`; the counts say how many). */
export interface UndoRemoved {
  readonly removedCustomerIds: readonly string[]
  readonly removedContactIds: readonly number[]
}

export interface UndoCounts {
  readonly removedCustomers: number
  /** Customers the batch inserted that --force kept as deleted (tombstones): later records refer to them. */
  readonly keptAsDeleted: number
  readonly restoredCustomers: number
  readonly removedContacts: number
  readonly reopenedFollowUps: number
}

const COLUMNS = `id, kind, file_name, sha256, mode, status, host, pid, rows_read, inserted, updated, unchanged,
  rejected,
  duplicates, actor, started_at, finished_at, undone_at`

/** Personal fields an undo never brings back to an erased customer (kept columns may hold personal data too). */
export const ERASABLE = new Set(['name', 'id_number', 'phone', 'email', 'birth_date', 'extra'])

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function importHistoryRepository(db: CrmDatabase): ImportHistory {
  if (isPostgres(db)) return postgresImportHistoryRepository(db)
  return sqliteImportHistoryRepository(db)
}

function sqliteImportHistoryRepository(db: Database) {
  const list = db.prepare<[number], BatchRow>(`SELECT ${COLUMNS} FROM import_batches ORDER BY id DESC LIMIT ?`)
  const one = db.prepare<[number], BatchRow>(`SELECT ${COLUMNS} FROM import_batches WHERE id = ?`)
  const count = db.prepare('SELECT count(*) FROM import_batches').pluck()
  const completion = db
    .prepare<[number], string>(`SELECT details FROM audit_log WHERE action IN ('customer.import.complete',
      'contact.import.complete') AND json_extract(details, '$.batch') = ? ORDER BY id DESC LIMIT 1`)
    .pluck()
  const journalRows = db.prepare('SELECT count(*) FROM customer_changes WHERE batch_id = ?').pluck()
  const beginAudit = db
    .prepare(`SELECT coalesce(min(id), 0) FROM audit_log WHERE action IN ('customer.import', 'contact.import')
      AND json_extract(details, '$.batch') = ?`)
    .pluck()
  // The customers a batch touched: those it inserted or updated (customers), or whose contacts it added (contacts).
  const touched = `touched (ref) AS (
      SELECT id FROM customers WHERE @kind = 'customers' AND created_batch_id = @batch
      UNION SELECT customer_ref FROM customer_changes WHERE @kind = 'customers' AND batch_id = @batch
      UNION SELECT c.id FROM customers c WHERE @kind = 'contacts' AND c.customer_id IN (SELECT customer_id FROM contacts
        WHERE import_batch_id = @batch))`
  // f1: the customers of the batch's contacts that a contact edit or delete changed since the batch began.
  const contactEdited = `contact_edited (customer_id) AS (
      SELECT k.customer_id FROM audit_log a JOIN contacts k ON k.id = json_extract(a.details, '$.contact')
      WHERE @kind = 'contacts' AND a.id > @auditFrom AND a.action IN ('contact.edit', 'contact.delete')
        AND json_valid(a.details) AND k.import_batch_id = @batch)`
  // "A later change" (the day-two conventions): a later batch's or an edit's journal row, a delete or an erase, a
  // contact logged or imported since the batch began, a classification run since then that placed the customer.
  const laterChanges = db.prepare<
    Record<string, unknown>,
    {
      ref: number
      customer_id: string
      name: string
      type: string
      changed: number
      deleted: number
      erased: number
      contacts: number
      classified: number
      contact_edited: number
    }
  >(`WITH ${touched}, ${contactEdited}, marked AS (
      SELECT c.id AS ref, c.customer_id, c.name, c.type,
        EXISTS (SELECT 1 FROM customer_changes j WHERE j.customer_ref = c.id AND (j.batch_id > @batch
          OR (j.audit_id > @auditFrom AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.id = j.audit_id
            AND u.action = 'import.undo')))) AS changed,
        c.deleted_at IS NOT NULL AS deleted,
        c.erased_at IS NOT NULL AS erased,
        EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.customer_id AND k.logged_at >= @startedAt
          AND k.import_batch_id IS NOT @batch) AS contacts,
        EXISTS (SELECT 1 FROM classification_runs r JOIN classification_results x ON x.run_id = r.id
          AND x.customer_ref = c.id WHERE r.created_at >= @startedAt) AS classified,
        c.customer_id IN (SELECT customer_id FROM contact_edited) AS contact_edited
      FROM touched t JOIN customers c ON c.id = t.ref)
    SELECT * FROM marked WHERE changed OR deleted OR erased OR contacts OR classified OR contact_edited
    ORDER BY customer_id`)
  // The customers an undo under --force keeps as deleted, noted for its statements (this connection's alone).
  db.exec('CREATE TEMP TABLE IF NOT EXISTS crm_undo_kept (ref INTEGER PRIMARY KEY)')
  const clearKept = db.prepare('DELETE FROM temp.crm_undo_kept')
  const noteKept = db.prepare('INSERT OR IGNORE INTO temp.crm_undo_kept (ref) VALUES (?)')
  const restoreColumns = journalledColumns(db)
  const restore = db.prepare(`UPDATE customers SET ${restoreColumns
    .map((col) => {
      const erased = ERASABLE.has(col) ? 'customers.erased_at IS NOT NULL OR ' : ''
      return `${col} = CASE WHEN ${erased}json_type(j.old_values, '$.${col}') IS NULL THEN ${col}
        ELSE json_extract(j.old_values, '$.${col}') END`
    })
    .join(', ')}
    FROM (SELECT customer_ref, old_values FROM customer_changes WHERE batch_id = @batch) AS j
    WHERE customers.id = j.customer_ref`)
  // f1: before the undo puts a batch's old values back, the values it overwrites go to the journal under the undo's
  // audit entry (bounded however large the batch: one row per customer, in SQL); `audit list --customer` finds it.
  const journalUndo = db.prepare(`INSERT INTO customer_changes (customer_ref, batch_id, audit_id, old_values)
    SELECT j.customer_ref, NULL, @auditId, (SELECT json_group_object(e.key, CASE e.key ${restoreColumns
      .map((col) => `WHEN '${col}' THEN c.${col}`)
      .join(' ')} END) FROM json_each(j.old_values) e)
    FROM customer_changes j JOIN customers c ON c.id = j.customer_ref WHERE j.batch_id = @batch ORDER BY j.id`)
  const removedCustomerIds = db
    .prepare<Record<string, unknown>, string>(`SELECT customer_id FROM customers WHERE created_batch_id = @batch
      AND id NOT IN (SELECT ref FROM temp.crm_undo_kept) ORDER BY id LIMIT @limit`)
    .pluck()
  const removedContactIds = db
    .prepare<Record<string, unknown>, number>(
      'SELECT id FROM contacts WHERE import_batch_id = @batch ORDER BY id LIMIT @limit',
    )
    .pluck()
  const keepAsDeleted = db.prepare(`UPDATE customers SET deleted_at = coalesce(deleted_at, @now)
    WHERE created_batch_id = @batch AND id IN (SELECT ref FROM temp.crm_undo_kept)`)
  const removeCustomers = db.prepare(`DELETE FROM customers WHERE created_batch_id = @batch
    AND id NOT IN (SELECT ref FROM temp.crm_undo_kept)`)
  const dropJournal = db.prepare('DELETE FROM customer_changes WHERE batch_id = @batch')
  // The follow-ups (of other contacts) the batch's contacts closed: reopened, then closed again by the next contact
  // that answers them, if any, as contact delete does (f1).
  const answeredByBatch = db
    .prepare<Record<string, unknown>, number>(`SELECT id FROM contacts WHERE follow_up_closed_by IN
      (SELECT id FROM contacts WHERE import_batch_id = @batch) AND import_batch_id IS NOT @batch`)
    .pluck()
  const reopen = db.prepare(`UPDATE contacts SET follow_up_closed_at = NULL, follow_up_closed_by = NULL
    WHERE follow_up_closed_by IN (SELECT id FROM contacts WHERE import_batch_id = @batch)
      AND import_batch_id IS NOT @batch`)
  const reclose = followUpRecloser(db)
  const unlinkOwn = db.prepare(`UPDATE contacts SET follow_up_closed_by = NULL
    WHERE import_batch_id = @batch AND follow_up_closed_by IS NOT NULL`)
  const removeContacts = db.prepare('DELETE FROM contacts WHERE import_batch_id = @batch')
  const markUndone = db.prepare('UPDATE import_batches SET undone_at = @now WHERE id = @batch')

  const find = (id: number): BatchRecord | undefined => {
    const row = one.get(id)
    return row && batchRecord(row)
  }
  const scope = (batch: BatchRecord) => ({
    batch: batch.id,
    kind: batch.kind,
    startedAt: batch.startedAt,
    auditFrom: beginAudit.get(batch.id) as number,
  })

  return {
    /** The batches, newest first, as they are read (a statement's iterator: memory stays flat). */
    list: (limit: number | undefined): IterableIterator<BatchRecord> =>
      (function* () {
        for (const row of list.iterate(limit ?? -1)) yield batchRecord(row)
      })(),
    count: (): number => count.get() as number,
    find,
    /** The batch, for an undo: in its transaction, which on SQLite holds the write lock already (immediate). */
    lock: find,
    /**
     * The reject examples the batch's completion recorded (none for a batch cut short, or from before crm kept them).
     */
    rejectExamples: (id: number): StoredReject[] | null => {
      const details = completion.get(id)
      if (details === undefined) return null
      const examples = (JSON.parse(details) as {rejectExamples?: StoredReject[]}).rejectExamples
      return examples ?? null
    },
    /** How many customers the batch's journal holds old values for. */
    journalled: (id: number): number => journalRows.get(id) as number,

    /** The customers something changed after the batch: each with the kinds of change (changed, deleted …). */
    *laterChanges(batch: BatchRecord): Generator<LaterChange & {ref: number}> {
      for (const r of laterChanges.iterate(scope(batch))) {
        const reasons = (['changed', 'deleted', 'erased', 'contacts', 'classified', 'contact_edited'] as const).filter(
          (k) => r[k],
        )
        yield {ref: r.ref, customerId: r.customer_id, name: r.name, type: r.type, reasons}
      }
    },

    /**
     * Undoes the batch's writes (the caller holds the transaction): customers it inserted are removed, but those in
     * `kept` (later records refer to them; --force) are kept as deleted; its journal's old values are put back (never
     * an erased customer's personal fields); its contacts are removed and the follow-ups they closed reopened.
     */
    undo(
      batch: BatchRecord,
      kept: Iterable<number>,
      now: string,
      audit: {id: number | bigint; limit: number},
    ): UndoCounts & UndoRemoved {
      const params = {batch: batch.id, now, auditId: audit.id, limit: audit.limit}
      if (batch.kind === 'contacts') {
        const removedContactIdList = removedContactIds.all(params)
        const answered = answeredByBatch.all(params)
        reopen.run(params)
        unlinkOwn.run(params)
        const removedContacts = removeContacts.run(params).changes
        let reopenedFollowUps = 0
        for (const id of answered) if (!reclose(id, now)) reopenedFollowUps++
        markUndone.run(params)
        return {
          removedCustomers: 0,
          keptAsDeleted: 0,
          restoredCustomers: 0,
          removedContacts,
          reopenedFollowUps,
          removedCustomerIds: [],
          removedContactIds: removedContactIdList,
        }
      }
      clearKept.run()
      for (const ref of kept) noteKept.run(ref)
      const removedCustomerIdList = removedCustomerIds.all(params)
      const keptAsDeleted = keepAsDeleted.run(params).changes
      const removedCustomers = removeCustomers.run(params).changes
      journalUndo.run(params)
      const restoredCustomers = restore.run(params).changes
      dropJournal.run(params)
      markUndone.run(params)
      clearKept.run()
      return {
        removedCustomers,
        keptAsDeleted,
        restoredCustomers,
        removedContacts: 0,
        reopenedFollowUps: 0,
        removedCustomerIds: removedCustomerIdList,
        removedContactIds: [],
      }
    },

    /** Runs an undo: immediate, so no other writer comes between its checks and its writes. */
    transaction: <T>(body: () => T): T => db.transaction(body).immediate(),
  }
}
export type ImportHistory = ReturnType<typeof sqliteImportHistoryRepository>
