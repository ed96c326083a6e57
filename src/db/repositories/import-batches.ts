import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresImportBatchRepository} from '../postgres/import-batches.js'
import {hostname} from 'node:os'
import type {Database} from 'better-sqlite3'
import type {ImportMode} from '../../core/column-plan.js'
import {processExists} from '../../processes.js'
import {auditRepository} from './audit.js'

export interface MergeCounts {
  inserted: number
  updated: number
  unchanged: number
}
export interface BatchInfo {
  readonly fileName: string
  /** null for standard input. */
  readonly fileSize: number | null
  readonly mode: ImportMode
  readonly actor: string
  readonly command: string
  /** The interrupted batch of the same file that this import completes. */
  readonly completesBatch: number | null
}

/** An earlier import of the same file that was cut short, as the import that completes it names it. */
export interface InterruptedBatch {
  readonly id: number
  readonly rowsRead: number
}

/** What a batch's stored status means now: 'running' with no process left on this host is interrupted. */
export function currentStatus(batch: {
  readonly status: string
  readonly host: string | null
  readonly pid: number | null
}): string {
  if (batch.status !== 'running' || batch.host !== hostname() || batch.pid === null) return batch.status
  return processExists(batch.pid) ? 'running' : 'interrupted'
}

/** A rejected row as the batch record keeps it (h1: import show). */
export interface RejectExample {
  readonly line: number
  readonly field: string
  readonly reason: string
}

export interface BatchTotals extends MergeCounts {
  readonly rowsRead: number
  readonly rejected: number
  readonly duplicates: number
  readonly aumRead: bigint | null
  readonly aumStored: bigint | null
}

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function importBatchRepository(db: CrmDatabase, kind: 'customers' | 'contacts') {
  if (isPostgres(db)) return postgresImportBatchRepository(db, kind)
  return sqliteImportBatchRepository(db, kind)
}
export type ImportBatchRepository = ReturnType<typeof sqliteImportBatchRepository>

/** The record of an import (import_batches) and its audit entries, shared by customer and contact imports. */
export function sqliteImportBatchRepository(db: Database, kind: 'customers' | 'contacts') {
  const action = kind === 'customers' ? 'customer.import' : 'contact.import'
  const createBatch = db.prepare(`INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, status,
    host, pid, file_size, completes_batch)
    VALUES (@kind, @fileName, '', @mode, @actor, @now, 'running', @host, @pid, @fileSize, @completesBatch)`)
  const updateBatch = db.prepare(`UPDATE import_batches SET rows_read = @rowsRead, inserted = @inserted, updated =
    @updated, unchanged = @unchanged,
    rejected = @rejected, duplicates = @duplicates, aum_read_fen = @aumRead, aum_stored_fen = @aumStored
      WHERE id = @batch`)
  const finishBatch = db.prepare(`UPDATE import_batches SET status = 'complete', finished_at = ?, sha256 = ?
    WHERE id = ?`)
  const previous = db.prepare<[string, string, number], {id: number; finished_at: string}>(
    `SELECT id, finished_at FROM import_batches WHERE kind = ? AND sha256 = ? AND id < ? AND status = 'complete'
      AND undone_at IS NULL ORDER BY id LIMIT 1`,
  )
  const running = db.prepare<[string], {id: number; status: string; host: string | null; pid: number | null}>(
    `SELECT id, status, host, pid FROM import_batches WHERE status = 'running' AND host = ?`,
  )
  const interrupt = db.prepare(`UPDATE import_batches SET status = 'interrupted' WHERE id = ? AND status = 'running'`)
  const lastOfFile = db.prepare<
    [string, string],
    {
      id: number
      status: string
      host: string | null
      pid: number | null
      file_size: number | null
      rows_read: number
      undone_at: string | null
    }
  >(
    `SELECT id, status, host, pid, file_size, rows_read, undone_at FROM import_batches WHERE kind = ? AND file_name = ?
      ORDER BY id DESC LIMIT 1`,
  )
  const audit = auditRepository(db)
  const writeTotals = (batch: number, t: BatchTotals) =>
    updateBatch.run({...t, aumRead: storable(t.aumRead), aumStored: storable(t.aumStored), batch})
  return {
    /** Starts a batch record (status running) and its audit entry; returns the batch id. */
    beginBatch(info: BatchInfo): number {
      const id = Number(
        createBatch.run({...info, kind, now: new Date().toISOString(), host: hostname(), pid: process.pid})
          .lastInsertRowid,
      )
      audit.record({
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

    /**
     * Marks the batch complete, with the sha256 of the file (known once it has all been read); its audit entry keeps
     * the first reject examples (masked as the report shows them) for crm import show.
     */
    completeBatch(
      batch: number,
      totals: BatchTotals,
      sha256: string,
      who: {actor: string; command: string},
      rejectExamples: readonly RejectExample[] = [],
    ): void {
      const {actor, command} = who
      writeTotals(batch, totals)
      finishBatch.run(new Date().toISOString(), sha256, batch)
      audit.record({
        actor,
        command,
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

    /**
     * Stores as interrupted the running batches of this host whose process is gone (killed, crashed, Ctrl-C): their
     * rows are those of their last commit. Cheap: it reads the few running batches, and writes only when one is stale.
     */
    markInterrupted(): void {
      const stale = running.all(hostname()).filter((b) => currentStatus(b) === 'interrupted')
      if (stale.length > 0)
        db.transaction(() => {
          for (const b of stale) interrupt.run(b.id)
        }).immediate()
    },

    /**
     * The last import of a file of this name and size, when it was interrupted: the next import of the file completes
     * it. An undone batch is never completed (f1): its rows are gone, so the next import is a new one.
     */
    interruptedImportOf(fileName: string, fileSize: number | null): InterruptedBatch | undefined {
      const last = fileSize === null ? undefined : lastOfFile.get(kind, fileName)
      if (last === undefined || last.undone_at !== null || last.file_size !== fileSize) return undefined
      if (currentStatus(last) !== 'interrupted') return undefined
      return {id: last.id, rowsRead: last.rows_read}
    },

    /**
     * The first complete import of a file with this content, if any (not a later re-run that changed nothing, nor an
     * undone one).
     */
    previousImport: (sha256: string, before: number) => previous.get(kind, sha256, before),

    /**
     * The import's transactions; `whole` (--dry-run, --strict): one transaction that ends in a commit or a rollback.
     */
    transactions: (whole: boolean) => importTransactions(db, whole),
  }
}

/**
 * Blocks are committed together until this many rows have been read: every commit writes back each index page the
 * rows touched, and a contact file's rows touch customers all over the (customer_id, at) index, so fewer, larger
 * commits make a contact import faster. Customers are unaffected either way. An interrupted import keeps every
 * commit before it.
 */
export const ROWS_PER_COMMIT = 50_000

/**
 * How an import commits: each block in a savepoint of an open transaction, committed every ROWS_PER_COMMIT rows read
 * (and whenever the reader waits for input, so other crm commands can write meanwhile); under `whole`, everything in
 * one transaction that finish() commits or rolls back.
 */
function importTransactions(db: Database, whole: boolean) {
  let uncommitted = 0
  let committedRead = 0
  const open = () => {
    if (!db.inTransaction) db.exec('BEGIN IMMEDIATE')
  }
  const commit = () => {
    if (db.inTransaction) db.exec('COMMIT')
    committedRead += uncommitted
    uncommitted = 0
  }
  const rollback = () => {
    if (db.inTransaction) db.exec('ROLLBACK')
  }
  return {
    /** Runs fn, which writes a block of `rowsRead` rows, in a savepoint: a failure undoes the block alone. */
    writeBlock<R>(rowsRead: number, fn: () => R): R {
      open()
      const result = db.transaction(fn)()
      uncommitted += rowsRead
      if (!whole && uncommitted >= ROWS_PER_COMMIT) commit()
      return result
    },
    /** Commits what is written so far (not under `whole`): the import waits for input and holds no lock meanwhile. */
    pause(): void {
      if (!whole) commit()
    },
    /**
     * Runs fn (which completes the batch record) and ends the import: commits, or, unless `keep`, rolls everything
     * back.
     */
    finish(keep: boolean, fn: () => void): void {
      open()
      db.transaction(fn)()
      if (keep) commit()
      else rollback()
    },
    /** The rows read up to the last commit: what an import stopped now keeps. */
    get committedRead(): number {
      return committedRead
    },
    /** Rolls back what is not committed (an import that failed or was stopped). */
    abandon: rollback,
  }
}
export type ImportTransactions = ReturnType<typeof importTransactions>

const INT64_MAX = 2n ** 63n - 1n

/**
 * A sum of fen as an INTEGER column holds it: a file's aum can add up past 2^63 - 1, left unrecorded (null), never
 * wrong.
 */
export function storable(fen: bigint | null): bigint | null {
  return fen !== null && fen <= INT64_MAX && fen >= -INT64_MAX ? fen : null
}
