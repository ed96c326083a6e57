import {closeSync, existsSync, openSync} from 'node:fs'
import {dirname} from 'node:path'
import Database from 'better-sqlite3'
import {en} from '../core/messages.js'
import {ExitCode, restoreHint, sqliteProblem, UserError} from '../errors.js'
import {makeFolders} from '../folders.js'
import {finishPendingRewrite} from './erase-rewrite.js'
import {MIGRATIONS, migrate, newerSchema} from './migrations.js'
import {nativeBinding} from './native-binding.js'

import {PgDatabase} from './postgres/connection.js'
import {migratePostgres, schemaVersionPostgres} from './postgres/migrate.js'
import type {DbTarget} from './target.js'

export type {Database} from 'better-sqlite3'

/** A crm book: a SQLite file (better-sqlite3's connection) or a PostgreSQL schema (postgres/connection.ts). */
export type CrmDatabase = Database.Database | PgDatabase

export function isPostgres(db: CrmDatabase): db is PgDatabase {
  return db instanceof PgDatabase
}

export function isOpen(db: CrmDatabase): boolean {
  return isPostgres(db) ? db.isOpen : db.open
}

/** Opens and migrates a crm book on PostgreSQL (its schema created when the role may). */
export function openPostgres(target: Extract<DbTarget, {kind: 'postgres'}>): PgDatabase {
  const db = new PgDatabase(target)
  try {
    migratePostgres(db)
  } catch (error) {
    db.close()
    throw error
  }
  return db
}

/** Opens a crm book on PostgreSQL that must already be one: nothing is created or migrated (db info, db check). */
export function openPostgresReadOnly(target: Extract<DbTarget, {kind: 'postgres'}>): PgDatabase {
  const db = new PgDatabase(target)
  try {
    const version = schemaVersionPostgres(db)
    const latest = MIGRATIONS.at(-1)!.version
    if (version === undefined)
      throw new UserError(
        `${target.shown} is not a crm database: it has no crm tables`,
        ExitCode.NotFound,
        en('giveDbPath'),
      )
    if (version > latest) throw newerSchema(version, latest)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/** Opens (creating, readable by its owner only) and migrates a crm database. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:' && file !== '' && !existsSync(file)) {
    try {
      makeFolders(dirname(file))
      closeSync(openSync(file, 'wx', 0o600))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EEXIST')
        throw new UserError(
          `cannot create the database ${file}: ${(error as Error).message}`,
          ExitCode.BadInput,
          en('chooseWritableDb'),
        )
    }
  }
  let db: Database.Database
  try {
    db = new Database(file, {nativeBinding})
    // 16 KiB pages suit wide customer rows: a million-row import writes about 7% faster than with 4 KiB.
    // (It only takes effect on a new, empty file.)
    db.pragma('page_size = 16384')
    db.pragma('journal_mode = WAL')
  } catch (error) {
    // A read-only file, a full disk … have their own hint; anything else here means the file is not a database.
    const problem = sqliteProblem((error as {code?: string}).code, file)
    const hint =
      problem === undefined || problem.what.includes('not a crm database') ? en('isItACrmDatabase') : problem.hint
    throw new UserError(
      `cannot open the database ${file}: ${problem?.what ?? (error as Error).message}`,
      ExitCode.BadInput,
      hint,
    )
  }
  db.pragma('busy_timeout = 10000')
  db.pragma('foreign_keys = ON')
  db.pragma('synchronous = NORMAL')
  db.pragma('temp_store = FILE')
  try {
    migrate(db)
  } catch (error) {
    db.close()
    throw error
  }
  finishPendingRewrite(db)
  return db
}

/**
 * Runs `work` with foreign keys unchecked: for writes whose every row satisfies them by construction, where checking
 * each of a million rows costs time and proves nothing. SQLite changes the setting only outside a transaction, so
 * within one `work` runs checked, as before; the setting is put back however `work` ends.
 */
export function withoutForeignKeyChecks<T>(db: Database.Database, work: () => T): T {
  if (db.inTransaction || db.pragma('foreign_keys', {simple: true}) !== 1) return work()
  db.pragma('foreign_keys = OFF')
  try {
    return work()
  } finally {
    db.pragma('foreign_keys = ON')
  }
}

/**
 * The database a dry run works in: the file when it exists; else an empty one with crm's schema, so a dry run
 * creates no file (and, like a new database, holds nothing yet: every customer is new). That one is SQLite's private
 * temporary database (an empty name): it keeps to its page cache and spills to an unnamed temporary file, deleted
 * when it closes, where one in memory would hold a whole large import in RAM.
 */
export function openForDryRun(file: string): Database.Database {
  return openDatabase(existsSync(file) ? file : '')
}

/**
 * Opens an existing crm database read-only, for commands that only look (db info, db check): nothing is created,
 * migrated or written, so a half-written backup stays exactly as it is. A file without crm's schema, or from a newer
 * crm, is refused (exit 3). In WAL mode SQLite still needs the -shm file beside the database; where no crm has the
 * database open it creates it (with an empty -wal), which any other crm command on it removes again.
 */
export function openReadOnly(file: string): Database.Database {
  let db: Database.Database | undefined
  try {
    db = new Database(file, {readonly: true, fileMustExist: true, nativeBinding})
    db.pragma('busy_timeout = 10000')
    const version = db.pragma('user_version', {simple: true}) as number
    const latest = MIGRATIONS.at(-1)!.version
    if (version === 0)
      throw new UserError(
        `${file} is not a crm database: it has no crm tables`,
        ExitCode.BadInput,
        en('giveTheCrmDatabase'),
      )
    if (version > latest) throw newerSchema(version, latest)
    return db
  } catch (error) {
    db?.close()
    const code = (error as {code?: string}).code ?? ''
    if (code.startsWith('SQLITE_CORRUPT')) {
      throw new UserError(`${file} is damaged: ${(error as Error).message}`, ExitCode.BadInput, restoreHint(file))
    }
    if (code === 'SQLITE_NOTADB') {
      throw new UserError(
        `${file} is not a database (or its first page is damaged)`,
        ExitCode.BadInput,
        `give the crm database with --db or CRM_DB; if this is it, ${restoreHint(file)}`,
      )
    }
    if (code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_CANTOPEN') {
      throw new UserError(
        `cannot read ${file}: ${(error as Error).message}`,
        ExitCode.BadInput,

        'a database in WAL mode needs its -shm file beside it: copy it into a folder you may write to, or ' +
          'run crm where it is writable',
      )
    }
    throw error
  }
}
