import type {Database} from 'better-sqlite3'

export interface AuditEntry {
  readonly actor: string
  readonly command: string
  readonly action: string
  readonly rows?: number
  readonly details?: Record<string, unknown>
}

export function auditRepository(db: Database) {
  const insert = db.prepare('INSERT INTO audit_log (at, actor, command, action, rows, details) VALUES (@at, @actor, @command, @action, @rows, @details)')
  const recent = db.prepare<[number], {at: string; actor: string; command: string; action: string; rows: number; details: string}>(
    'SELECT at, actor, command, action, rows, details FROM audit_log ORDER BY id DESC LIMIT ?')
  const update = db.prepare('UPDATE audit_log SET rows = @rows, details = @details WHERE id = @id')
  return {
    record: (entry: AuditEntry): void => {
      insert.run({at: new Date().toISOString(), actor: entry.actor, command: entry.command, action: entry.action, rows: entry.rows ?? 0, details: JSON.stringify(entry.details ?? {})})
    },
    /**
     * Records an entry whose row count is known only later (a streamed --reveal) as `status: started`, and returns
     * its id for `end`, which sets the rows and `complete` or `interrupted`. A process killed part-way leaves `started`.
     */
    begin: (entry: AuditEntry): number | bigint =>
      insert.run({at: new Date().toISOString(), actor: entry.actor, command: entry.command, action: entry.action, rows: 0, details: JSON.stringify({...entry.details, status: 'started'})}).lastInsertRowid,
    end: (id: number | bigint, entry: AuditEntry, rows: number, complete: boolean): void => {
      update.run({id, rows, details: JSON.stringify({...entry.details, status: complete ? 'complete' : 'interrupted'})})
    },
    recent: (limit: number) => recent.all(limit).map((r) => ({...r, details: JSON.parse(r.details) as Record<string, unknown>})),
  }
}
export type AuditRepository = ReturnType<typeof auditRepository>
