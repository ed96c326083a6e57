import {existsSync, rmSync, writeFileSync} from 'node:fs'
import type {Database} from 'better-sqlite3'

// f5: an erase's file rewrite cut short (Ctrl-C, kill -9) is finished by the next crm that opens the database.

/** The marker beside the database saying an erase's rewrite has not finished (none for a database with no file). */
function markerOf(db: Database): string | undefined {
  return db.name === '' || db.name === ':memory:' || db.memory ? undefined : `${db.name}-erase-rewrite`
}

/** Marks the rewrite as owed, before the erase commits: whatever stops the process after, the next open finishes it. */
export function markRewritePending(db: Database): void {
  const marker = markerOf(db)
  if (marker !== undefined) writeFileSync(marker, '', {mode: 0o600})
}

/** Forgets the owed rewrite: done, or the erase it was for did not commit. */
export function clearRewritePending(db: Database): void {
  const marker = markerOf(db)
  if (marker !== undefined) rmSync(marker, {force: true})
}

/**
 * Leaves no copy of erased values in the files: VACUUM rewrites every page (the free space inside pages keeps old
 * versions of rows an import or edit rewrote before), and the checkpoint writes the WAL back and empties it.
 */
export function scrubFiles(db: Database): void {
  db.exec('VACUUM')
  db.pragma('wal_checkpoint(TRUNCATE)')
  clearRewritePending(db)
}

/** Finishes a rewrite an erase owes (cut short before): on a busy database it stays owed, for the next open. */
export function finishPendingRewrite(db: Database): void {
  const marker = markerOf(db)
  if (marker === undefined || !existsSync(marker)) return
  try {
    scrubFiles(db)
  } catch {
    // Another crm has the database open: the marker stays, and a later command finishes the rewrite.
  }
}
