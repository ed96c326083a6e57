import {hostname} from 'node:os'
import {
  type BatchInfo,
  type BatchTotals,
  currentStatus,
  type ImportBatchRepository,
  type ImportTransactions,
  type InterruptedBatch,
  type RejectExample,
  ROWS_PER_COMMIT,
  storable,
} from '../repositories/import-batches.js'
import {postgresAuditRepository} from './audit.js'
import type {PgDatabase} from './connection.js'
import {isoInstant} from './sql.js'

/** The record of an import (import_batches) and its audit entries on a PostgreSQL book: import-batches.ts's twin. */
export function postgresImportBatchRepository(db: PgDatabase, kind: 'customers' | 'contacts'): ImportBatchRepository {
  const action = kind === 'customers' ? 'customer.import' : 'contact.import'
  const writeTotals = (batch: number, t: BatchTotals) =>
    db.run(
      `UPDATE import_batches SET rows_read = $1, inserted = $2, updated = $3, unchanged = $4, rejected = $5,
        duplicates = $6, aum_read_fen = $7, aum_stored_fen = $8 WHERE id = $9`,
      [
        t.rowsRead,
        t.inserted,
        t.updated,
        t.unchanged,
        t.rejected,
        t.duplicates,
        storable(t.aumRead)?.toString() ?? null,
        storable(t.aumStored)?.toString() ?? null,
        batch,
      ],
    )
  return {
    beginBatch(info: BatchInfo): number {
      const row = db.run<{id: number}>(
        `INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, status, host, pid, file_size,
          completes_batch) VALUES ($1, $2, '', $3, $4, $5, 'running', $6, $7, $8, $9) RETURNING id`,
        [
          kind,
          info.fileName,
          info.mode,
          info.actor,
          new Date().toISOString(),
          hostname(),
          process.pid,
          info.fileSize,
          info.completesBatch,
        ],
      ).rows[0]
      const id = Number(row.id)
      postgresAuditRepository(db).record({
        actor: info.actor,
        command: info.command,
        action,
        details: {batch: id, file: info.fileName, mode: info.mode},
      })
      return id
    },

    saveTotals: (batch: number, totals: BatchTotals): void => {
      writeTotals(batch, totals)
    },

    completeBatch(
      batch: number,
      totals: BatchTotals,
      sha256: string,
      who: {actor: string; command: string},
      rejectExamples: readonly RejectExample[] = [],
    ): void {
      writeTotals(batch, totals)
      db.run(`UPDATE import_batches SET status = 'complete', finished_at = $1, sha256 = $2 WHERE id = $3`, [
        new Date().toISOString(),
        sha256,
        batch,
      ])
      postgresAuditRepository(db).record({
        ...who,
        action: `${action}.complete`,
        rows: totals.inserted + totals.updated,
        details: {
          batch,
          sha256,
          read: totals.rowsRead,
          inserted: totals.inserted,
          updated: totals.updated,
          unchanged: totals.unchanged,
          rejected: totals.rejected,
          duplicates: totals.duplicates,
          rejectExamples,
        },
      })
    },

    markInterrupted(): void {
      const running = db.all<{id: number; status: string; host: string | null; pid: number | null}>(
        `SELECT id, status, host, pid FROM import_batches WHERE status = 'running' AND host = $1`,
        [hostname()],
      )
      const stale = running.filter((b) => currentStatus(b) === 'interrupted').map((b) => b.id)
      if (stale.length > 0)
        db.run(`UPDATE import_batches SET status = 'interrupted' WHERE id = ANY($1::bigint[]) AND status = 'running'`, [
          stale,
        ])
    },

    interruptedImportOf(fileName: string, fileSize: number | null): InterruptedBatch | undefined {
      if (fileSize === null) return undefined
      const last = db.get<{
        id: number
        status: string
        host: string | null
        pid: number | null
        file_size: number | null
        rows_read: number
        undone: boolean
      }>(
        `SELECT id, status, host, pid, file_size, rows_read, undone_at IS NOT NULL AS undone FROM import_batches
          WHERE kind = $1 AND file_name = $2 ORDER BY id DESC LIMIT 1`,
        [kind, fileName],
      )
      if (last === undefined || last.undone || last.file_size !== fileSize) return undefined
      if (currentStatus(last) !== 'interrupted') return undefined
      return {id: last.id, rowsRead: last.rows_read}
    },

    previousImport: (sha256: string, before: number) =>
      db.get<{id: number; finished_at: string}>(
        `SELECT id, ${isoInstant('finished_at')} AS finished_at FROM import_batches
          WHERE kind = $1 AND sha256 = $2 AND id < $3 AND status = 'complete' AND undone_at IS NULL
          ORDER BY id LIMIT 1`,
        [kind, sha256, before],
      ),

    transactions: (whole: boolean) => postgresImportTransactions(db, whole, `crm ${kind} import ${db.target.schema}`),
  }
}

/**
 * import-batches.ts's importTransactions on PostgreSQL: blocks in savepoints of a transaction committed every
 * ROWS_PER_COMMIT rows read (or when the reader waits), or the whole import in one under `whole`. Each transaction
 * first takes an advisory lock of this kind of import in this schema, as SQLite's BEGIN IMMEDIATE takes its write
 * lock: two imports of overlapping files then take turns a commit at a time, so neither can deadlock the other, no
 * block needs running again, and each import's counts are exactly what it did.
 */
function postgresImportTransactions(db: PgDatabase, whole: boolean, lock: string): ImportTransactions {
  let uncommitted = 0
  let committedRead = 0
  const open = () => {
    if (db.inTransaction) return
    db.begin()
    db.value('SELECT pg_advisory_xact_lock(hashtext($1))', [lock])
  }
  const commit = () => {
    db.end(true)
    committedRead += uncommitted
    uncommitted = 0
  }
  const rollback = () => {
    if (db.isOpen) db.end(false)
  }
  return {
    writeBlock<R>(rowsRead: number, fn: () => R): R {
      open()
      const result = db.transaction(fn)
      uncommitted += rowsRead
      if (!whole && uncommitted >= ROWS_PER_COMMIT) commit()
      return result
    },
    pause(): void {
      if (!whole) commit()
    },
    finish(keep: boolean, fn: () => void): void {
      open()
      db.transaction(fn)
      if (keep) commit()
      else rollback()
    },
    get committedRead(): number {
      return committedRead
    },
    abandon: rollback,
  }
}
