import Database from 'better-sqlite3'
import {en} from '../core/messages.js'
import {ExitCode, UserError} from '../errors.js'
import {openDatabase, openReadOnly} from './connection.js'
import {currentStatus} from './repositories/import-batches.js'
import {auditRepository, type AuditEntry} from './repositories/audit.js'
import {maintenanceRepository} from './repositories/maintenance.js'
import {MIGRATIONS} from './migrations.js'
import {nativeBinding} from './native-binding.js'

// --- db restore (h6): the SQLite side of putting a backup in place of the database ---

/**
 * Checks a backup (a crm database, not newer than this crm, sound by SQLite's integrity and foreign-key checks) and
 * copies it, as one consistent snapshot, to `copy` (VACUUM INTO, which also takes in a -wal beside the backup). The
 * backup is only read. Returns its schema version.
 */
export function copyCheckedBackup(backup: string, copy: string): number {
  const unusable = (problem: string) =>
    new UserError(en('backupUnusable', {file: backup, problem}), ExitCode.BadInput, en('tryOtherBackup'))
  let db: Database.Database
  try {
    db = openReadOnly(backup)
  } catch (error) {
    // Not a database, damaged, or without crm's tables: said of the backup, with what to do about a backup.
    if (error instanceof UserError && error.message.includes('newer than this crm'))
      throw new UserError(
        en('backupNewer', {file: backup, version: schemaVersion(backup), latest: MIGRATIONS.at(-1)!.version}),
        ExitCode.BadInput,
        en('backupNewerHint'),
      )
    if (error instanceof UserError) throw unusable(error.message)
    throw error
  }
  try {
    const problems = maintenanceRepository(db).check()
    if (problems.length > 0) throw unusable(problems.slice(0, 3).join('; '))
    const version = db.pragma('user_version', {simple: true}) as number
    maintenanceRepository(db).backupTo(copy)
    return version
  } catch (error) {
    const code = (error as {code?: string}).code ?? ''
    if (/^SQLITE_(CORRUPT|NOTADB|IOERR)/.test(code)) throw unusable((error as Error).message)
    throw error
  } finally {
    db.close()
  }
}

/** f4: a database file's schema version, read without anything else (openReadOnly refuses a newer one). */
function schemaVersion(file: string): number {
  const db = new Database(file, {readonly: true, fileMustExist: true, nativeBinding})
  try {
    return db.pragma('user_version', {simple: true}) as number
  } finally {
    db.close()
  }
}

/**
 * Brings the copy to this crm's schema (an older backup is migrated, as its next open would) and records the restore
 * in its audit log, so the restored database says what it was restored from. The copy is left in rollback-journal
 * mode, one self-contained file (crm turns WAL on again when it next opens it).
 */
export function recordRestore(copy: string, entry: AuditEntry): void {
  const db = openDatabase(copy)
  try {
    auditRepository(db).record(entry)
    db.pragma('journal_mode = DELETE')
  } finally {
    db.close()
  }
}

/** The database held by restore: no other connection can read or write it until release(). */
export interface HeldDatabase {
  release(): void
}

/**
 * Takes the database for itself, or refuses (exit 3) when another crm has it open: an import whose batch is still
 * running in a live process (even one waiting for input, between its commits), or any other connection (SQLite
 * cannot leave WAL mode while one is open). It checkpoints the write-ahead log into the file and leaves WAL mode,
 * so the file alone is the whole database (no -wal to lose or to misapply), and then holds an exclusive lock: any
 * crm that opens the file meanwhile is refused ("database is locked") rather than writing into the replaced file.
 * Returns undefined when the file is not a database SQLite can open (damaged): there is nothing to hold then.
 */
export function holdDatabase(file: string): HeldDatabase | undefined {
  let db: Database.Database
  try {
    db = new Database(file, {fileMustExist: true, timeout: 0, nativeBinding})
  } catch {
    return undefined
  }
  const refuse = (message: string): never => {
    db.close()
    throw new UserError(message, ExitCode.BadInput, en('waitForOthers'))
  }
  try {
    const hasBatches = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'import_batches'")
      .pluck()
      .get()
    const columns = new Set(db.prepare("SELECT name FROM pragma_table_info('import_batches')").pluck().all())
    if (hasBatches && columns.has('pid')) {
      const running = db
        .prepare<[], {id: number; status: string; host: string | null; pid: number | null}>(
          "SELECT id, status, host, pid FROM import_batches WHERE status = 'running'",
        )
        .all()
        .find((b) => currentStatus(b) === 'running')
      if (running) refuse(en('importRunningOnDb', {file, batch: running.id, pid: running.pid ?? ''}))
    }
    const mode = db.pragma('journal_mode = DELETE', {simple: true})
    if (mode !== 'delete') refuse(en('databaseInUse', {file}))
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
  } catch (error) {
    if (error instanceof UserError) throw error
    const code = (error as {code?: string}).code ?? ''
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') refuse(en('databaseInUse', {file}))
    db.close()
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return undefined
    throw error
  }
  return {
    release() {
      if (db.inTransaction) db.exec('ROLLBACK')
      db.close()
    },
  }
}
