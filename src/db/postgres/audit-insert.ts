import {osUser} from '../../processes.js'
import type {AuditRecord} from '../repositories/audit.js'
import type {PgDatabase} from './connection.js'

/**
 * The audit log's one insert on PostgreSQL (audit.ts auditInsert on SQLite): the OS user is added to every entry,
 * and the column's default records the database role. Returns the entry's id.
 */
export function postgresAuditInsert(db: PgDatabase): {run: (entry: AuditRecord) => {lastInsertRowid: number}} {
  const user = osUser()
  return {
    run: (entry) => {
      const id = db.value<number>(
        `INSERT INTO audit_log (at, actor, os_user, command, action, rows, details)
          VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id`,
        [entry.at, entry.actor, user, entry.command, entry.action, entry.rows, entry.details],
      )
      return {lastInsertRowid: id!}
    },
  }
}
