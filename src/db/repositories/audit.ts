import type {Database} from 'better-sqlite3'
import {osUser} from '../../processes.js'

export interface AuditEntry {
  readonly actor: string
  readonly command: string
  readonly action: string
  readonly rows?: number
  readonly details?: Record<string, unknown>
}

/** An audit entry as written: the time (ISO, UTC) and details as JSON text. */
export interface AuditRecord {
  readonly at: string
  readonly actor: string
  readonly command: string
  readonly action: string
  readonly rows: number
  readonly details: string
}

/** An audit entry as read back; osUser is null for entries written before crm recorded it. */
export interface AuditLine {
  readonly at: string
  readonly actor: string
  readonly osUser: string | null
  readonly command: string
  readonly action: string
  readonly rows: number
  readonly details: Record<string, unknown>
}

/**
 * The audit log's one insert: the OS user is added to every entry, so --actor names someone but cannot hide who ran
 * crm.
 */
export function auditInsert(db: Database): {run: (entry: AuditRecord) => {lastInsertRowid: number | bigint}} {
  const insert = db.prepare(
    'INSERT INTO audit_log (at, actor, os_user, command, action, rows, details) VALUES (@at, @actor, ' +
      '@osUser, @command, @action, @rows, @details)',
  )
  const user = osUser()
  return {run: (entry) => insert.run({...entry, osUser: user})}
}

export function auditRepository(db: Database) {
  const insert = auditInsert(db)
  const recent = db.prepare<[number], Omit<AuditLine, 'details'> & {details: string}>(
    'SELECT at, actor, os_user AS osUser, command, action, rows, details FROM audit_log ORDER BY id DESC LIMIT ?',
  )
  const update = db.prepare('UPDATE audit_log SET rows = @rows, details = @details WHERE id = @id')
  return {
    record: (entry: AuditEntry): void => {
      insert.run({
        at: new Date().toISOString(),
        actor: entry.actor,
        command: entry.command,
        action: entry.action,
        rows: entry.rows ?? 0,
        details: JSON.stringify(entry.details ?? {}),
      })
    },
    /**
     * Records an entry whose row count is known only later (a streamed --reveal) as `status: started`, and returns its
     * id for `end`, which sets the rows and `complete` or `interrupted`. A process killed part-way leaves `started`.
     */
    begin: (entry: AuditEntry): number | bigint =>
      insert.run({
        at: new Date().toISOString(),
        actor: entry.actor,
        command: entry.command,
        action: entry.action,
        rows: 0,
        details: JSON.stringify({...entry.details, status: 'started'}),
      }).lastInsertRowid,
    end: (id: number | bigint, entry: AuditEntry, rows: number, complete: boolean): void => {
      update.run({id, rows, details: JSON.stringify({...entry.details, status: complete ? 'complete' : 'interrupted'})})
    },
    recent: (limit: number): AuditLine[] =>
      recent.all(limit).map((r) => ({...r, details: JSON.parse(r.details) as Record<string, unknown>})),
  }
}
