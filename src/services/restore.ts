import {resolve} from 'node:path'
import {en} from '../core/messages.js'
import {copyCheckedBackup, holdDatabase, recordRestore} from '../db/restore.js'
import {checkSource, createAtomic, databaseFiles, moveAside, openForCopy, present, takeSignals} from '../io/files.js'

export interface RestoreRequest {
  readonly db: string
  readonly backup: string
  readonly actor: string
  readonly command: string
  /** Now, for the replaced file's name. */
  readonly now: Date
}

export interface Restored {
  readonly database: string
  readonly backup: string
  /** Where the database it replaced is kept; null when there was none. */
  readonly replaced: string | null
  /** The backup's schema version (an older one was migrated). */
  readonly backupSchemaVersion: number
}

/** `crm.db.replaced-20261130T013718Z`, or with -2, -3 … when that name is taken. */
function replacedName(db: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  let name = `${db}.replaced-${stamp}`
  for (let n = 2; present(name); n++) name = `${db}.replaced-${stamp}-${n}`
  return name
}

/**
 * Puts a backup in place of the database. In order: the backup is checked and copied (migrated, with the audit entry
 * of this restore) to a temporary file beside the database; the database is held (refused while another crm has it
 * open), its log checkpointed into it, and a copy of it kept as `replaced`; then one rename puts the new file in
 * place. Killed at any moment, the database is the old one or the new one, whole: the old file is complete (no -wal)
 * before the rename, and the new one was complete before it got its name. A database SQLite cannot open (damaged) is
 * kept as it is, its -wal beside it under the replaced name (left where it was, it would be replayed into the new
 * database).
 */
export async function restoreDatabase(request: RestoreRequest): Promise<Restored> {
  const {db, backup} = request
  const protect = databaseFiles(db)
  checkSource(backup, protect)
  const hadDatabase = present(db)
  const replaced = hadDatabase ? replacedName(db, request.now) : null
  const rules = {protect: [], force: true, another: en('giveOtherBackup')}
  const copy = createAtomic(db, rules)
  let version: number
  try {
    version = copyCheckedBackup(backup, copy.temp)
    recordRestore(copy.temp, {
      actor: request.actor,
      command: request.command,
      action: 'db.restore',
      details: {backup: resolve(backup), replaced: replaced && resolve(replaced), backup_schema_version: version},
    })
    await takeSignals()
  } catch (error) {
    copy.abort()
    throw error
  }
  if (!hadDatabase) {
    // A log or shared-memory file with no database is left from one removed: it must not be replayed into this one.
    moveAside(`${db}-wal`, undefined)
    moveAside(`${db}-shm`, undefined)
    copy.commit()
    return {database: db, backup, replaced: null, backupSchemaVersion: version}
  }
  const old = openForCopy(db)
  let held: ReturnType<typeof holdDatabase>
  try {
    held = holdDatabase(db)
  } catch (error) {
    old.close()
    copy.abort()
    throw error
  }
  try {
    old.copyTo(replaced!, {protect, force: false, another: en('giveOtherBackup')})
    if (held === undefined && present(`${db}-wal`)) moveAside(`${db}-wal`, `${replaced}-wal`)
    moveAside(`${db}-shm`, undefined)
    await takeSignals()
    copy.commit()
  } catch (error) {
    copy.abort()
    throw error
  } finally {
    held?.release()
    old.close()
  }
  return {database: db, backup, replaced, backupSchemaVersion: version}
}
