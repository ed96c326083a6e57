import {osUser} from '../../processes.js'
import {
  type AuditFilter,
  type AuditListRow,
  type AuditRecord,
  type auditInsert,
  auditWrites,
  endedDetails,
  type sqliteAuditListRepository,
  type sqliteAuditRepository,
} from '../repositories/audit.js'
import type {PgDatabase} from './connection.js'
import {asciiLower, isoInstant} from './sql.js'

/**
 * The audit log's one insert on a PostgreSQL book, as auditInsert on SQLite: the OS user is added to every entry, and
 * the database role (db_role) by its column's default, current_user: several people share one server.
 */
export function postgresAuditInsert(db: PgDatabase): ReturnType<typeof auditInsert> {
  const user = osUser()
  return {
    run: (entry: AuditRecord) => {
      const [row] = db.run<{id: number}>(
        `INSERT INTO audit_log (at, actor, os_user, command, action, rows, details)
          VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [entry.at, entry.actor, user, entry.command, entry.action, entry.rows, entry.details],
      ).rows
      return {lastInsertRowid: row.id}
    },
  }
}

/** An entry's columns as the SQLite book stores them: the time as ISO text in UTC, the details as written. */
const ENTRY = `${isoInstant('a.at')} AS at, a.actor, a.os_user AS "osUser", a.command, a.action, a.rows,
  a.details::text AS details`

/** auditRepository on a PostgreSQL book. */
export function postgresAuditRepository(db: PgDatabase): ReturnType<typeof sqliteAuditRepository> {
  return {
    ...auditWrites(postgresAuditInsert(db)),
    end: (id, entry, rows, complete) => {
      db.run('UPDATE audit_log SET rows = $1, details = $2 WHERE id = $3', [rows, endedDetails(entry, complete), id])
    },
    recent: (limit) =>
      db
        .all<AuditListRow>(`SELECT ${ENTRY} FROM audit_log a ORDER BY a.id DESC LIMIT $1`, [limit])
        .map((r) => ({...r, details: JSON.parse(r.details) as Record<string, unknown>})),
  }
}

/**
 * The entries that touched a customer ($6, with $7 and $8 the batches that created and last updated it), as TOUCHING
 * of repositories/audit.ts: named in the details, journalled by the entry, or naming a batch or contact of the
 * customer. Details are json (as written), so ->> reads them; ids are compared as the text ->> gives.
 */
const TOUCHING = `(
  a.details->>'customer_id' = $6
  OR a.id IN (SELECT audit_id FROM customer_changes WHERE customer_id = $6 AND audit_id IS NOT NULL)
  OR a.details->>'batch' IN (
    SELECT $7::bigint::text UNION SELECT $8::bigint::text
    UNION SELECT batch_id::text FROM customer_changes WHERE customer_id = $6 AND batch_id IS NOT NULL
    UNION SELECT import_batch_id::text FROM contacts WHERE customer_id = $6 AND import_batch_id IS NOT NULL)
  OR a.details->>'contact' IN (SELECT id::text FROM contacts WHERE customer_id = $6)
)`

/** auditListRepository on a PostgreSQL book: the same filters, case folded as SQLite's NOCASE and lower() fold it. */
export function postgresAuditListRepository(db: PgDatabase): ReturnType<typeof sqliteAuditListRepository> {
  const select = (customer: boolean) => `SELECT a.id, ${ENTRY} FROM audit_log a
    WHERE ($1::text IS NULL OR ${asciiLower('a.actor')} = ${asciiLower('$1')}
        OR ${asciiLower('a.os_user')} = ${asciiLower('$1')})
      AND ($2::text IS NULL OR ${asciiLower('a.action')} = $2
        OR substr(${asciiLower('a.action')}, 1, length($2) + 1) = $2 || '.')
      AND ($3::timestamptz IS NULL OR a.at >= $3) AND ($4::timestamptz IS NULL OR a.at < $4)
      ${customer ? `AND ${TOUCHING}` : ''}
    ORDER BY a.id DESC LIMIT $5`
  const customer = (customerId: string) =>
    db.rows<[number, number]>('SELECT created_batch_id, updated_batch_id FROM customers WHERE customer_id = $1', [
      customerId,
    ])[0]
  return {
    customerKnown: (customerId: string): boolean => customer(customerId) !== undefined,
    /** The entries, newest first, a page at a time through a cursor (nothing else may use the connection meanwhile). */
    *each(filter: AuditFilter): Generator<AuditListRow> {
      const params = [
        filter.actor ?? null,
        filter.action ?? null,
        filter.since ?? null,
        filter.until ?? null,
        filter.limit === undefined || filter.limit < 0 ? null : filter.limit,
      ]
      const sql = select(filter.customerId !== undefined)
      const all =
        filter.customerId === undefined
          ? params
          : [...params, filter.customerId, ...(customer(filter.customerId) ?? [null, null])]
      for (const page of db.pages<AuditListRow>(sql, all)) yield* page
    },
  }
}
