import {spawnSync} from 'node:child_process'
import type {DatabaseInfo, LastAudit, LastImport} from '../../core/database-info.js'
import {ExitCode, UserError} from '../../errors.js'
import {currentStatus} from '../repositories/import-batches.js'
import type {sqliteMaintenanceRepository} from '../repositories/maintenance.js'
import type {PgDatabase} from './connection.js'
import {schemaVersionPostgres} from './migrate.js'
import {isoDate, isoInstant} from './sql.js'

/** The counts of db info; deleted customers and contacts (and a deleted customer's contacts) are counted out. */
const COUNTS = `SELECT
  (SELECT count(*) FROM customers WHERE deleted_at IS NULL) AS customers,
  (SELECT count(*) FROM contacts WHERE deleted_at IS NULL AND customer_id NOT IN
    (SELECT customer_id FROM customers WHERE deleted_at IS NOT NULL)) AS contacts,
  (SELECT count(*) FROM classification_runs) AS classification_runs,
  (SELECT count(*) FROM import_batches) AS import_batches,
  (SELECT count(*) FROM audit_log) AS audit_log`

/**
 * What can be wrong in a PostgreSQL book that its constraints do not rule out: each query gives the problems it
 * finds, at most 101 (as the SQLite check). Kept columns are jsonb, so always JSON, but not always an object; results
 * and undo-journal rows have no foreign key to their customer (Citus-ready), nor customers to their batches.
 */
const CHECKS = [
  `SELECT 'customers: the kept columns (extra) of customer ' || customer_id || ' are not a JSON object'
    FROM customers WHERE jsonb_typeof(extra) <> 'object'`,
  `SELECT 'customers: customer ' || c.customer_id || ' names a missing import batch'
    FROM customers c WHERE NOT EXISTS (SELECT FROM import_batches b WHERE b.id = c.created_batch_id)
      OR NOT EXISTS (SELECT FROM import_batches b WHERE b.id = c.updated_batch_id)`,
  `SELECT 'contacts: contact ' || x.id || ' belongs to a missing customer ' || x.customer_id
    FROM contacts x WHERE NOT EXISTS (SELECT FROM customers c WHERE c.customer_id = x.customer_id)`,
  `SELECT 'classification_results: run ' || r.run_id || ' has a result for a missing customer ' || r.customer_id
    FROM classification_results r WHERE NOT EXISTS (SELECT FROM customers c WHERE c.customer_id = r.customer_id)`,
  `SELECT 'customer_changes: change ' || j.id || ' belongs to a missing customer ' || j.customer_id
    FROM customer_changes j WHERE NOT EXISTS (SELECT FROM customers c WHERE c.customer_id = j.customer_id)`,
]

/** maintenanceRepository on a PostgreSQL book: what its schema holds, its checks, and a pg_dump of it. */
export function postgresMaintenanceRepository(db: PgDatabase): ReturnType<typeof sqliteMaintenanceRepository> {
  return {
    info: (): DatabaseInfo => {
      const counts = db.all<DatabaseInfo['counts']>(COUNTS)[0]
      const last = db.get<LastImport>(`SELECT id, kind, file_name AS file,
          ${isoInstant('coalesce(finished_at, started_at)')} AS at, rows_read AS read, status, host, pid
        FROM import_batches ORDER BY id DESC LIMIT 1`)
      const status = last && currentStatus(last)
      const running = status === 'running'
      const lastRun = db.get<NonNullable<DatabaseInfo['lastRun']>>(`SELECT id, scheme, ${isoDate('as_of')} AS "asOf",
          ${isoInstant('created_at')} AS at, customers FROM classification_runs ORDER BY id DESC LIMIT 1`)
      const lastAudit = db.get<LastAudit>(`SELECT ${isoInstant('at')} AS at, action, rows, actor, os_user AS "osUser"
        FROM audit_log ORDER BY id DESC LIMIT 1`)
      return {
        schemaVersion: schemaVersionPostgres(db) ?? 0,
        counts,
        lastImport: last
          ? {...last, status: status!, host: running ? last.host : null, pid: running ? last.pid : null}
          : null,
        lastRun: lastRun ?? null,
        lastAudit: lastAudit ?? null,
        server: {version: String(db.value('SHOW server_version')), schema: db.target.schema},
      }
    },
    check: (): string[] =>
      CHECKS.flatMap((sql) => db.rows<[string]>(`${sql} LIMIT 101`).map(([problem]) => problem)).slice(0, 101),
    /**
     * The book's schema dumped by pg_dump (custom format, for pg_restore): one consistent snapshot while others write.
     * The password goes by PGPASSWORD, not on a command line others can read.
     */
    backupTo: (file: string): void => {
      const url = new URL(db.target.url)
      const password = decodeURIComponent(url.password)
      url.password = ''
      const dump = spawnSync(
        'pg_dump',
        [`--schema=${db.target.schema}`, '--format=custom', '--file', file, `--dbname=${url.href}`],
        {env: {...process.env, ...(password === '' ? {} : {PGPASSWORD: password})}, encoding: 'utf8'},
      )
      if ((dump.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
        throw new UserError(
          'crm db backup needs pg_dump for a PostgreSQL book, and pg_dump is not on PATH',
          ExitCode.Usage,
          `install the PostgreSQL client tools, or run pg_dump --schema=${db.target.schema} --format=custom yourself`,
        )
      if (dump.error !== undefined || dump.status !== 0)
        throw new UserError(
          `pg_dump could not back up ${db.target.shown}: ${(dump.stderr || dump.error?.message || '').trim()}`,
          ExitCode.BadInput,
          'pg_dump must be as new as the server; check that this user may read the schema',
        )
    },
  }
}
