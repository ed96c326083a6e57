import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresAuditListRepository, postgresAuditRepository} from '../postgres/audit.js'
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

/** The entries a command writes, through a book's insert (auditInsert, or postgresAuditInsert). */
export function auditWrites(insert: ReturnType<typeof auditInsert>) {
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
  }
}

/** The details an ended entry keeps: its own, and whether it completed. */
export const endedDetails = (entry: AuditEntry, complete: boolean): string =>
  JSON.stringify({...entry.details, status: complete ? 'complete' : 'interrupted'})

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function auditRepository(db: CrmDatabase) {
  if (isPostgres(db)) return postgresAuditRepository(db)
  return sqliteAuditRepository(db)
}

export function sqliteAuditRepository(db: Database) {
  const update = db.prepare('UPDATE audit_log SET rows = @rows, details = @details WHERE id = @id')
  const recent = db.prepare<[number], Omit<AuditLine, 'details'> & {details: string}>(
    'SELECT at, actor, os_user AS osUser, command, action, rows, details FROM audit_log ORDER BY id DESC LIMIT ?',
  )
  return {
    ...auditWrites(auditInsert(db)),
    end: (id: number | bigint, entry: AuditEntry, rows: number, complete: boolean): void => {
      update.run({id, rows, details: endedDetails(entry, complete)})
    },
    recent: (limit: number): AuditLine[] =>
      recent.all(limit).map((r) => ({...r, details: JSON.parse(r.details) as Record<string, unknown>})),
  }
}

// --- audit list (h6): the audit log read back, filtered, one entry at a time ---

/** Which entries `audit list` shows: all when nothing is set. since/until are instants (ISO, UTC), until exclusive. */
export interface AuditFilter {
  readonly actor?: string
  /** An action or the start of one, as auditActionOf makes it (customer.import matches customer.import.complete). */
  readonly action?: string
  readonly since?: string
  readonly until?: string
  /** The customer (customer_id) whose entries are wanted: see touching(). */
  readonly customerId?: string
  readonly limit?: number
}

/** An audit entry as listed: details as stored (JSON text). */
export interface AuditListRow {
  readonly id: number
  readonly at: string
  readonly actor: string
  readonly osUser: string | null
  readonly command: string
  readonly action: string
  readonly rows: number
  readonly details: string
}

// The details of an entry as JSON, or null when they are not (a file written by something else): json_extract on
// text that is not JSON would stop the whole listing.
const DETAILS = 'CASE WHEN json_valid(a.details) THEN a.details END'

/**
 * The entries that touched a customer: its customer_id in the details (contact log, customer show --reveal, and the
 * edits, deletes and erases of day two); an entry whose undo-journal rows are the customer's
 * (customer_changes.audit_id);
 * an entry naming an import batch (its start, completion or undo: batch ids are one series for both kinds) that created
 * the customer, last updated it, journalled old values of it, or added one of its contacts; and an entry naming one
 * of its contacts (contact done, and contact edits and deletes). Not touching: classification runs and list reveals,
 * which name a filter, not customers.
 */
const TOUCHING = `(
  json_extract(${DETAILS}, '$.customer_id') = @customerId
  OR a.id IN (SELECT audit_id FROM customer_changes WHERE customer_ref = @ref AND audit_id IS NOT NULL)
  OR json_extract(${DETAILS}, '$.batch') IN (
    SELECT @created UNION SELECT @updated
    UNION SELECT batch_id FROM customer_changes WHERE customer_ref = @ref AND batch_id IS NOT NULL
    UNION SELECT import_batch_id FROM contacts WHERE customer_id = @customerId AND import_batch_id IS NOT NULL)
  OR json_extract(${DETAILS}, '$.contact') IN (SELECT id FROM contacts WHERE customer_id = @customerId)
)`
/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function auditListRepository(db: CrmDatabase) {
  if (isPostgres(db)) return postgresAuditListRepository(db)
  return sqliteAuditListRepository(db)
}

export function sqliteAuditListRepository(db: Database) {
  const where = (customer: boolean) => `
    WHERE (@actor IS NULL OR a.actor = @actor COLLATE NOCASE OR a.os_user = @actor COLLATE NOCASE)
      AND (@action IS NULL OR lower(a.action) = @action OR substr(lower(a.action), 1, length(@action) + 1) =
        @action || '.')
      AND (@since IS NULL OR a.at >= @since) AND (@until IS NULL OR a.at < @until)
      ${customer ? `AND ${TOUCHING}` : ''}`
  const select = (customer: boolean) =>
    db.prepare<Record<string, unknown>, AuditListRow>(`SELECT a.id, a.at, a.actor, a.os_user AS osUser, a.command,
      a.action, a.rows, a.details FROM audit_log a ${where(customer)} ORDER BY a.id DESC LIMIT @limit`)
  const all = select(false)
  const ofCustomer = select(true)
  const customer = db.prepare<[string], {ref: number; created: number; updated: number}>(
    'SELECT id AS ref, created_batch_id AS created, updated_batch_id AS updated FROM customers WHERE customer_id = ?',
  )
  return {
    /** Whether a customer with this customer_id is or was in the book (deleted and erased ones too). */
    customerKnown: (customerId: string): boolean => customer.get(customerId) !== undefined,
    /** The entries, newest first, one at a time. */
    each(filter: AuditFilter): IterableIterator<AuditListRow> {
      const params = {
        actor: filter.actor ?? null,
        action: filter.action ?? null,
        since: filter.since ?? null,
        until: filter.until ?? null,
        limit: filter.limit ?? -1,
      }
      if (filter.customerId === undefined) return all.iterate(params)
      const known = customer.get(filter.customerId) ?? {ref: null, created: null, updated: null}
      return ofCustomer.iterate({...params, ...known, customerId: filter.customerId})
    },
  }
}
