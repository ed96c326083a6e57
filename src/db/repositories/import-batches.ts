import type {Database} from 'better-sqlite3'
import type {ImportMode} from '../../core/column-plan.js'
import {auditRepository} from './audit.js'

export interface MergeCounts {
  inserted: number
  updated: number
  unchanged: number
}
export interface BatchInfo {
  readonly fileName: string
  readonly mode: ImportMode
  readonly actor: string
  readonly command: string
}
export interface BatchTotals extends MergeCounts {
  readonly rowsRead: number
  readonly rejected: number
  readonly duplicates: number
  readonly aumRead: bigint | null
  readonly aumStored: bigint | null
}

/** The record of an import (import_batches) and its audit entries, shared by customer and contact imports. */
export function importBatchRepository(db: Database, kind: 'customers' | 'contacts') {
  const action = kind === 'customers' ? 'customer.import' : 'contact.import'
  const createBatch = db.prepare(`INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, status)
    VALUES (@kind, @fileName, '', @mode, @actor, @now, 'running')`)
  const updateBatch = db.prepare(`UPDATE import_batches SET rows_read = @rowsRead, inserted = @inserted, updated = @updated, unchanged = @unchanged,
    rejected = @rejected, duplicates = @duplicates, aum_read_fen = @aumRead, aum_stored_fen = @aumStored WHERE id = @batch`)
  const finishBatch = db.prepare(`UPDATE import_batches SET status = 'complete', finished_at = ?, sha256 = ? WHERE id = ?`)
  const previous = db.prepare<[string, string, number], {id: number; finished_at: string}>(
    `SELECT id, finished_at FROM import_batches WHERE kind = ? AND sha256 = ? AND id < ? AND status = 'complete' ORDER BY id DESC LIMIT 1`)
  const audit = auditRepository(db)
  const writeTotals = (batch: number, t: BatchTotals) => updateBatch.run({...t, aumRead: storable(t.aumRead), aumStored: storable(t.aumStored), batch})
  return {
    /** Starts a batch record (status running) and its audit entry; returns the batch id. */
    beginBatch(info: BatchInfo): number {
      const id = Number(createBatch.run({...info, kind, now: new Date().toISOString()}).lastInsertRowid)
      audit.record({actor: info.actor, command: info.command, action, details: {batch: id, file: info.fileName, mode: info.mode}})
      return id
    },

    saveTotals: (batch: number, totals: BatchTotals): void => { writeTotals(batch, totals) },

    /** Marks the batch complete, with the sha256 of the file (known once it has all been read). */
    completeBatch(batch: number, totals: BatchTotals, sha256: string, actor: string, command: string): void {
      writeTotals(batch, totals)
      finishBatch.run(new Date().toISOString(), sha256, batch)
      audit.record({actor, command, action: `${action}.complete`, rows: totals.inserted + totals.updated,
        details: {batch, sha256, read: totals.rowsRead, inserted: totals.inserted, updated: totals.updated, unchanged: totals.unchanged, rejected: totals.rejected, duplicates: totals.duplicates}})
    },

    /** The last complete import of a file with this content, if any. */
    previousImport: (sha256: string, before: number) => previous.get(kind, sha256, before),

    /** Runs fn in a transaction (a savepoint inside an outer one). */
    transaction: <R>(fn: () => R): R => db.transaction(fn).immediate(),
    /** An outer transaction for --dry-run and --strict, which end in a rollback or a commit. */
    begin: () => db.exec('BEGIN IMMEDIATE'),
    commit: () => db.exec('COMMIT'),
    rollback: () => { if (db.inTransaction) db.exec('ROLLBACK') },
    inTransaction: () => db.inTransaction,
  }
}

const INT64_MAX = 2n ** 63n - 1n

/** A sum of fen as an INTEGER column holds it: a file's aum can add up past 2^63 - 1, left unrecorded (null), never wrong. */
function storable(fen: bigint | null): bigint | null {
  return fen !== null && fen <= INT64_MAX && fen >= -INT64_MAX ? fen : null
}
