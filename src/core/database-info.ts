/* What crm db info reports about the database file. */

export interface DatabaseInfo {
  readonly schemaVersion: number
  readonly counts: Readonly<
    Record<'customers' | 'contacts' | 'classification_runs' | 'import_batches' | 'audit_log', number>
  >
  readonly lastImport: LastImport | null
  readonly lastRun: {
    readonly id: number
    readonly scheme: string
    readonly asOf: string
    readonly at: string
    readonly customers: number
  } | null
  readonly lastAudit: LastAudit | null
  /** A SQLite file's pages. */
  readonly pageSize?: number
  readonly pages?: number
  /** A PostgreSQL book's server version and schema. */
  readonly server?: {readonly version: string; readonly schema: string}
}

/** The latest import batch: its status as it is now (a running batch whose process is gone is interrupted). */
export interface LastImport {
  readonly id: number
  readonly kind: string
  readonly file: string
  readonly at: string
  readonly read: number
  readonly status: string
  /** The importing process, while it runs. */
  readonly host: string | null
  readonly pid: number | null
}

/** The latest audit entry: who it names (--actor, else the OS user) and the OS user that ran it (null before v6). */
export interface LastAudit {
  readonly at: string
  readonly action: string
  readonly rows: number
  readonly actor: string
  readonly osUser: string | null
}
