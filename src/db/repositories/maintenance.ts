import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresMaintenanceRepository} from '../postgres/maintenance.js'
import type {Database} from 'better-sqlite3'
import type {DatabaseInfo, LastAudit, LastImport} from '../../core/database-info.js'
import {currentStatus} from './import-batches.js'

/** A deleted customer's contacts leave the counts with it. */
const DELETED_CUSTOMERS_CONTACTS =
  ' AND customer_id NOT IN (SELECT customer_id FROM customers WHERE deleted_at IS NOT NULL)'

const TABLES = ['customers', 'contacts', 'classification_runs', 'import_batches', 'audit_log'] as const

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function maintenanceRepository(db: CrmDatabase) {
  if (isPostgres(db)) return postgresMaintenanceRepository(db)
  return sqliteMaintenanceRepository(db)
}

/** Facts about the database file itself: what it holds, its integrity, and a consistent copy. */
export function sqliteMaintenanceRepository(db: Database) {
  return {
    info: (): DatabaseInfo => {
      // A database from an older crm lacks the later tables and columns: it is read as it is, not migrated.
      const present = new Set(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
      )
      // Deleted customers and contacts (schema v7) are counted out, as every list leaves them out.
      const tombstones = (t: string) =>
        (t === 'customers' || t === 'contacts') &&
        db.prepare(`SELECT 1 FROM pragma_table_info('${t}') WHERE name = 'deleted_at'`).get() !== undefined
      const count = (t: string) =>
        present.has(t)
          ? (db
              .prepare(`SELECT count(*)
        FROM ${t}${
          tombstones(t) ? ` WHERE deleted_at IS NULL${t === 'contacts' ? DELETED_CUSTOMERS_CONTACTS : ''}` : ''
        }`)
              .pluck()
              .get() as number)
          : 0
      const counts = Object.fromEntries(TABLES.map((t) => [t, count(t)])) as DatabaseInfo['counts']
      const batchColumns = new Set(
        db.prepare("SELECT name FROM pragma_table_info('import_batches')").pluck().all() as string[],
      )
      const last = present.has('import_batches')
        ? (db
            .prepare(`SELECT id, kind, file_name AS file, coalesce(finished_at, started_at) AS at, rows_read AS read,
          status,
            ${batchColumns.has('pid') ? 'host, pid' : 'NULL AS host, NULL AS pid'} FROM import_batches ORDER BY id DESC
              LIMIT 1`)
            .get() as LastImport | undefined)
        : undefined
      const status = last && currentStatus(last)
      const lastImport = last && {
        ...last,
        status: status!,
        host: status === 'running' ? last.host : null,
        pid: status === 'running' ? last.pid : null,
      }
      const lastRun = present.has('classification_runs')
        ? (db
            .prepare(`SELECT id, scheme, as_of AS asOf, created_at AS at, customers FROM classification_runs
          ORDER BY id DESC LIMIT 1`)
            .get() as DatabaseInfo['lastRun'] | undefined)
        : undefined
      const auditColumns = new Set(
        db.prepare("SELECT name FROM pragma_table_info('audit_log')").pluck().all() as string[],
      )
      const lastAudit = present.has('audit_log')
        ? (db
            .prepare(`SELECT at, action, rows, actor, ${auditColumns.has('os_user') ? 'os_user' : 'NULL'} AS osUser
          FROM audit_log ORDER BY id DESC LIMIT 1`)
            .get() as LastAudit | undefined)
        : undefined
      return {
        schemaVersion: db.pragma('user_version', {simple: true}) as number,
        counts,
        lastImport: lastImport ?? null,
        lastRun: lastRun ?? null,
        lastAudit: lastAudit ?? null,
        pageSize: db.pragma('page_size', {simple: true}) as number,
        pages: db.pragma('page_count', {simple: true}) as number,
      }
    },
    /** SQLite's integrity check and foreign-key check: the problems found (none when the file is sound). */
    check: (): string[] => {
      try {
        const integrity = (db.pragma('integrity_check') as {integrity_check: string}[])
          .map((r) => r.integrity_check)
          .filter((m) => m !== 'ok')
        const foreign = (db.pragma('foreign_key_check') as {table: string; rowid: number; parent: string}[]).map(
          (r) => `${r.table} row ${r.rowid} refers to a missing ${r.parent} row`,
        )
        // Kept columns are a JSON object crm wrote; another program may have written anything there.
        const kept = (
          db
            .prepare(
              "SELECT customer_id FROM customers WHERE NOT json_valid(extra) OR json_type(extra) <> 'object' LIMIT 101",
            )
            .pluck()
            .all() as string[]
        ).map((id) => `customers: the kept columns (extra) of customer ${id} are not a JSON object`)
        return [...integrity, ...foreign, ...kept]
      } catch (error) {
        // A file damaged badly enough (a half-written copy) stops the check itself: that is its finding.
        if (/^SQLITE_(CORRUPT|NOTADB|IOERR)/.test((error as {code?: string}).code ?? ''))
          return [(error as Error).message]
        throw error
      }
    },
    /**
     * A copy of the database as of one moment, taken in a single read transaction (VACUUM INTO): consistent while
     * other processes write, and never restarted by their writes as the page-by-page backup API would be.
     */
    backupTo: (file: string): void => {
      db.prepare('VACUUM INTO ?').run(file)
    },
  }
}
