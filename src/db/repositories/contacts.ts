import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresContactRepository} from '../postgres/contacts.js'
import type {Database, Statement} from 'better-sqlite3'
import {
  type Contact,
  type ContactFilter,
  type ContactRow,
  type DueFollowUp,
  type NewContact,
  notesKey,
} from '../../core/contact.js'
import type {OutputOptions, WrittenRecords} from '../../core/customer.js'
import {instantForJson, wallClockOffset} from '../../core/dates.js'
import {maskedLookalike} from '../../core/masking.js'
import {jsonObjectBytesSql, maskedTextSql, type RecordColumn} from '../customer-record.js'
import {customerOrderKey} from '../customer-order.js'
import {likeContaining} from '../like.js'
import {writtenPageSql, writtenPages} from '../written-pages.js'
import {auditInsert} from './audit.js'
import {deletedCustomerError} from './customer-edits.js'
import {notFound} from '../../errors.js'

const CONTACT_COLUMNS = `k.id, k.customer_id AS customerId, k.at, k.utc_offset AS utcOffset, k.channel,
  k.direction, k.purpose, k.outcome, k.rm, k.notes,
  k.follow_up_on AS followUpOn, k.follow_up_closed_at AS followUpClosedAt, k.follow_up_closed_by AS
    followUpClosedBy, k.logged_at AS loggedAt`

/**
 * contactRecord (io/contact-views.ts) as SQL over `k` (the contact) and `c` (its customer), in its keys' order. The
 * instants are written by instantForJson itself (registered as crm_instant_json): few distinct times, many rows.
 * Outcome and notes are free text, in which personal data is masked as it is in kept columns (maskedTextSql).
 */
const contactRecordColumns = (options: OutputOptions): readonly RecordColumn[] => [
  {key: 'id', sql: 'k.id', holds: 'number'},
  {key: 'customer_id', sql: 'k.customer_id', holds: 'text'},
  {key: 'customer_name', sql: 'c.name', holds: 'text'},
  {key: 'at', sql: 'k.at', holds: 'text'},
  {key: 'utc_offset', sql: 'k.utc_offset', holds: 'text'},
  // Kept to their CHECK constraints' words: nothing for JSON to escape.
  {key: 'channel', sql: 'k.channel', holds: 'plain'},
  {key: 'direction', sql: 'k.direction', holds: 'plain'},
  {key: 'purpose', sql: 'k.purpose', holds: 'plain'},
  {key: 'outcome', sql: options.reveal ? 'k.outcome' : maskedTextSql('k.outcome'), holds: 'text'},
  {key: 'rm', sql: 'k.rm', holds: 'text'},
  {key: 'notes', sql: options.reveal ? 'k.notes' : maskedTextSql('k.notes'), holds: 'text'},
  {key: 'follow_up_on', sql: 'k.follow_up_on', holds: 'text'},
  {
    key: 'follow_up_closed_at',
    sql: "CASE WHEN k.follow_up_closed_at IS NULL THEN 'null' ELSE crm_instant_json(k.follow_up_closed_at) END",
    holds: 'json',
  },
  {key: 'follow_up_closed_by', sql: 'k.follow_up_closed_by', holds: 'number'},
  {key: 'logged_at', sql: 'crm_instant_json(k.logged_at)', holds: 'json'},
]

/** instantForJson as JSON text, remembering the few distinct instants a list holds (imports share one per batch). */
function instantJsonText(): (iso: unknown) => string {
  const seen = new Map<string, string>()
  return (iso) => {
    const text = String(iso)
    let json = seen.get(text)
    if (json === undefined) {
      if (seen.size >= 10_000) seen.clear()
      seen.set(text, (json = JSON.stringify(instantForJson(text))))
    }
    return json
  }
}

function listParams(filter: ContactFilter): Record<string, unknown> {
  return {
    customerId: filter.customerId ?? null,
    rm: filter.rm ?? null,
    branch: filter.branch ?? null,
    channel: filter.channel ?? null,
    purpose: filter.purpose ?? null,
    since: filter.since ?? null,
    until: filter.until ?? null,
    open: filter.open ? 1 : 0,
    search: filter.search ? likeContaining(filter.search.text) : null,
    revealed: filter.search?.revealed ? 1 : 0,
    limit: filter.limit ?? -1,
  }
}

/**
 * The contact that answers the follow-up of contact `f`: its customer's first later contact, unless that is an SMS or
 * e-mail we sent.
 */
export function answeringContact(f: string): string {
  return `SELECT n.id FROM contacts n WHERE n.customer_id = ${f}.customer_id AND n.at > ${f}.at AND n.deleted_at IS NULL
    AND NOT (n.channel IN ('sms', 'email') AND n.direction = 'out') ORDER BY n.at LIMIT 1`
}

/** Contacts: logged, listed, exported, due and closed (the same functions on either backend). */
export interface ContactRepository {
  /**
   * Logs one contact and closes the customer's earlier open follow-ups that it answers, in one transaction.
   * Returns the new id, or the id of the same contact logged before.
   */
  log(
    contact: NewContact,
    who: {actor: string; command: string},
    closes: boolean,
  ): {id: number; created: boolean; closed: number; utcOffset: string}
  find(id: number): Contact | undefined
  /** Closes a follow-up by hand; says whether there was one open. */
  done(id: number, who: {actor: string; command: string}): boolean
  list(filter: ContactFilter): ContactRow[]
  /** The same contacts one at a time, for exports. */
  each(filter: ContactFilter): IterableIterator<ContactRow>
  /**
   * The same contacts' records as JSON text in UTF-8: exactly JSON.stringify(contactRecord(..., options)), in pages
   * of records joined by `between`, read as of one moment. A generator, so the query starts with the first row asked
   * for.
   */
  eachWritten(filter: ContactFilter, options: OutputOptions, between: string): Generator<WrittenRecords>
  /**
   * Open follow-ups due from `from` (or any time before) to `until`, inclusive, one at a time: a page of them when
   * asked.
   */
  eachDue(
    from: string | null,
    until: string,
    filter: {rm?: string; branch?: string},
    page?: {offset?: number; limit?: number},
  ): IterableIterator<DueFollowUp>
  /** How many eachDue gives. */
  countDue(from: string | null, until: string, filter: {rm?: string; branch?: string}): number
}

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres/contacts.ts). */
export function contactRepository(db: CrmDatabase): ContactRepository {
  if (isPostgres(db)) return postgresContactRepository(db)
  return sqliteContactRepository(db)
}

function sqliteContactRepository(db: Database): ContactRepository {
  // Searches read notes and outcomes as shown: masked (by the same function the written records use).
  db.function('crm_masked_text', {deterministic: true}, (text: unknown) => maskedLookalike(String(text)))
  const insert = db.prepare(`INSERT INTO contacts (customer_id, at, utc_offset, channel, direction, purpose, outcome,
    rm, notes, follow_up_on, notes_key, import_batch_id, logged_at)
    VALUES (@customerId, @at, @utcOffset, @channel, @direction, @purpose, @outcome, @rm, @notes, @followUpOn, @notesKey,
      @batch, @now)
    ON CONFLICT DO NOTHING`)
  const byKey = db.prepare<Record<string, unknown>, {id: number}>(`SELECT id FROM contacts
    WHERE customer_id = @customerId AND at = @at AND channel = @channel
    AND direction = @direction AND purpose = @purpose AND notes_key = @notesKey`)
  const byId = db.prepare<[number], Contact>(
    `SELECT ${CONTACT_COLUMNS} FROM contacts k WHERE k.id = ? AND k.deleted_at IS NULL`,
  )
  const closeAnswered = db.prepare(`UPDATE contacts SET follow_up_closed_at = @now, follow_up_closed_by = @by
    WHERE customer_id = @customerId AND follow_up_on IS NOT NULL AND follow_up_closed_at IS NULL AND at < @at
      AND id <> @by AND deleted_at IS NULL`)
  const closeOne = db.prepare(
    'UPDATE contacts SET follow_up_closed_at = @now WHERE id = @id AND follow_up_on IS NOT NULL AND ' +
      'follow_up_closed_at IS NULL',
  )
  // A deleted contact, or a deleted customer's, leaves every list, export and the due list (issue 17 section 2).
  const listFrom = (next: boolean) => `FROM contacts k JOIN customers c ON c.customer_id = k.customer_id
    WHERE k.deleted_at IS NULL AND c.deleted_at IS NULL AND (@customerId IS NULL OR k.customer_id = @customerId)
      AND (@rm IS NULL OR coalesce(k.rm, c.rm) = @rm COLLATE NOCASE)
      AND (@branch IS NULL OR c.branch = @branch COLLATE NOCASE) AND (@channel IS NULL OR k.channel = @channel)
        AND (@purpose IS NULL
        OR k.purpose = @purpose)
      AND (@since IS NULL OR k.at >= @since) AND (@until IS NULL OR k.at < @until)
      AND (@open = 0 OR (k.follow_up_on IS NOT NULL AND k.follow_up_closed_at IS
        NULL))
      AND (@search IS NULL OR (CASE WHEN @revealed THEN k.notes ELSE ${maskedTextSql('k.notes')} END) LIKE
        @search ESCAPE
        '\\' OR (CASE WHEN @revealed THEN k.outcome ELSE ${maskedTextSql('k.outcome')} END) LIKE @search ESCAPE
          '\\')${next ? '\n      AND k.at <= @afterAt AND (k.at < @afterAt OR k.id < @afterId)' : ''}
    ORDER BY k.at DESC, k.id DESC`
  const listStmt = db.prepare<Record<string, unknown>, ContactRow>(`SELECT ${CONTACT_COLUMNS}, c.name AS customerName
    ${listFrom(false)} LIMIT @limit`)
  // Prepared when first used, once crm_instant_json is registered. A page's last contact is its earliest; of those
  // at that time, the last listed (the lowest id).
  const written = new Map<string, Statement>()
  const writtenStmt = (options: OutputOptions, next: boolean) => {
    const key = `${options.reveal} ${next}`
    let stmt = written.get(key)
    if (stmt === undefined) {
      stmt = db
        .prepare(
          writtenPageSql(
            `SELECT ${jsonObjectBytesSql(contactRecordColumns(options))} AS record, k.at, k.id
        ${listFrom(next)}`,
            "min(at), json_group_array(id) ->> '$[#-1]'",
          ),
        )
        .raw()
      written.set(key, stmt)
    }
    return stmt
  }
  const DUE_WHERE = `k.deleted_at IS NULL AND c.deleted_at IS NULL AND k.follow_up_on IS NOT NULL AND
    k.follow_up_closed_at IS NULL AND k.follow_up_on <= @until
    AND (@from IS NULL OR k.follow_up_on >= @from)
      AND (@rm IS NULL OR c.rm = @rm COLLATE NOCASE) AND (@branch IS NULL OR c.branch = @branch COLLATE NOCASE)
        AND c.status IS NOT 'closed'`
  // Ordered to the contact, so that a report can read the first rows, and the rest later from an offset.
  const dueStmt = db.prepare<Record<string, unknown>, DueFollowUp>(`
    SELECT k.id AS contactId, k.customer_id AS customerId, c.name AS customerName, c.rm, c.branch, k.follow_up_on AS
      followUpOn,
      last.channel AS lastChannel, last.at AS lastAt
    FROM contacts k JOIN customers c ON c.customer_id = k.customer_id
      LEFT JOIN contacts last ON last.id = (SELECT l.id FROM contacts l WHERE l.customer_id = k.customer_id
        AND l.deleted_at IS NULL ORDER BY l.at DESC, l.id DESC LIMIT 1)
    WHERE ${DUE_WHERE}
    ORDER BY k.follow_up_on, ${customerOrderKey('c.customer_id')}, k.id LIMIT @limit OFFSET @offset`)
  const dueCount = db
    .prepare<Record<string, unknown>, number>(`SELECT count(*) FROM contacts k JOIN customers c
    ON c.customer_id = k.customer_id WHERE ${DUE_WHERE}`)
    .pluck()
  const dueParams = (
    from: string | null,
    until: string,
    filter: {rm?: string; branch?: string},
    page: {offset?: number; limit?: number} = {},
  ) => ({
    until,
    from,
    rm: filter.rm ?? null,
    branch: filter.branch ?? null,
    offset: page.offset ?? 0,
    limit: page.limit ?? -1,
  })
  const audit = auditInsert(db)
  // contact log: the customer as it is inside the write (it may have been deleted, erased or gone while a
  // prompt was open).
  const liveCustomer = db
    .prepare<[string], number>('SELECT 1 FROM customers WHERE customer_id = ? AND deleted_at IS NULL')
    .pluck()
  return {
    /**
     * Logs one contact and closes the customer's earlier open follow-ups that it answers, in one transaction.
     * Returns the new id, or the id of the same contact logged before.
     */
    log: db.transaction(
      (
        contact: NewContact,
        who: {actor: string; command: string},
        closes: boolean,
      ): {id: number; created: boolean; closed: number; utcOffset: string} => {
        if (liveCustomer.get(contact.customerId) === undefined) {
          const deleted = deletedCustomerError(db, contact.customerId)
          if (deleted !== undefined) throw deleted
          notFound(`no customer with customer_id "${contact.customerId}"`)
        }
        const now = new Date().toISOString()
        const keyed = {
          ...contact,
          utcOffset: contact.utcOffset ?? wallClockOffset(contact.at),
          notesKey: notesKey(contact.notes),
        }
        const created = insert.run({...keyed, batch: null, now}).changes === 1
        const id = byKey.get(keyed)!.id
        const closed =
          created && closes
            ? closeAnswered.run({customerId: contact.customerId, at: contact.at, by: id, now}).changes
            : 0
        if (created)
          audit.run({
            at: now,
            actor: who.actor,
            command: who.command,
            action: 'contact.log',
            rows: 1,
            details: JSON.stringify({contact: id, customer_id: contact.customerId, closed_follow_ups: closed}),
          })
        return {id, created, closed, utcOffset: keyed.utcOffset}
      },
    ),
    find: (id: number): Contact | undefined => byId.get(id),
    /** Closes a follow-up by hand; says whether there was one open. */
    done: db.transaction((id: number, who: {actor: string; command: string}): boolean => {
      const now = new Date().toISOString()
      const changed = closeOne.run({id, now}).changes === 1
      if (changed)
        audit.run({
          at: now,
          actor: who.actor,
          command: who.command,
          action: 'contact.done',
          rows: 1,
          details: JSON.stringify({contact: id}),
        })
      return changed
    }),
    list: (filter: ContactFilter): ContactRow[] => listStmt.all(listParams(filter)),
    /** The same contacts one at a time, for exports. */
    each: (filter: ContactFilter): IterableIterator<ContactRow> => listStmt.iterate(listParams(filter)),
    /**
     * The same contacts' records written by SQLite as JSON text in UTF-8: exactly
     * JSON.stringify(contactRecord(..., options)), in pages of records joined by `between`, read in one transaction. A
     * generator, so the query starts with the first row asked for.
     */
    *eachWritten(filter: ContactFilter, options: OutputOptions, between: string): Generator<WrittenRecords> {
      db.function('crm_instant_json', {deterministic: true}, instantJsonText())
      db.function('crm_masked_text', {deterministic: true}, (text: unknown) => maskedLookalike(String(text)))
      const values = listParams(filter)
      yield* writtenPages(
        db,
        values.limit as number,
        (page, after) =>
          writtenStmt(options, after !== undefined).get({
            ...values,
            page,
            afterAt: after?.[0] ?? null,
            afterId: after?.[1] ?? null,
            between,
          }) as unknown[],
      )
    },
    /**
     * Open follow-ups due from `from` (or any time before) to `until`, inclusive, one at a time: a page of them when
     * asked.
     */
    eachDue: (
      from: string | null,
      until: string,
      filter: {rm?: string; branch?: string},
      page?: {offset?: number; limit?: number},
    ): IterableIterator<DueFollowUp> => dueStmt.iterate(dueParams(from, until, filter, page)),
    /** How many eachDue gives. */
    countDue: (from: string | null, until: string, filter: {rm?: string; branch?: string}): number =>
      dueCount.get(dueParams(from, until, filter)) as number,
  }
}
