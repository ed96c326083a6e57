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
import {maskLookalike} from '../../core/masking.js'
import {notFound} from '../../errors.js'
import {customerOrderKeyPostgres} from '../customer-order.js'
import type {ContactRepository} from '../repositories/contacts.js'
import {postgresAuditInsert} from './audit.js'
import type {PgDatabase} from './connection.js'
import {deletedCustomerErrorPostgres} from './customer-edits.js'
import {asciiLower, containsLike, isoInstant, wallClock} from './sql.js'

/** Rows a page of a stream holds; a written page joins as many records. */
const PAGE = 256

const CONTACT_COLUMNS_PG = `k.id, k.customer_id AS "customerId", ${wallClock('k.at')} AS at,
  k.utc_offset AS "utcOffset",
  k.channel, k.direction, k.purpose, k.outcome, k.rm, k.notes, k.follow_up_on AS "followUpOn",
  ${isoInstant('k.follow_up_closed_at')} AS "followUpClosedAt", k.follow_up_closed_by AS "followUpClosedBy",
  ${isoInstant('k.logged_at')} AS "loggedAt"`

/** Text as a contact's outcome or notes are shown: personal data masked unless revealed (io's contactText). */
const shown = (text: string | null, options: OutputOptions) =>
  text === null || options.reveal ? text : maskLookalike(text)

/**
 * A contact's record as JSON text, exactly as the SQLite path writes it (contacts.ts contactRecordColumns, in its
 * keys' order): the masking and the instants are crm's own JS functions, applied to each row as it streams.
 */
function contactRecordJson(c: ContactRow, options: OutputOptions): string {
  return JSON.stringify({
    id: c.id,
    customer_id: c.customerId,
    customer_name: c.customerName,
    at: c.at,
    utc_offset: c.utcOffset,
    channel: c.channel,
    direction: c.direction,
    purpose: c.purpose,
    outcome: shown(c.outcome, options),
    rm: c.rm,
    notes: shown(c.notes, options),
    follow_up_on: c.followUpOn,
    follow_up_closed_at: instantForJson(c.followUpClosedAt),
    follow_up_closed_by: c.followUpClosedBy,
    logged_at: instantForJson(c.loggedAt),
  })
}

/**
 * The list's query: the filters as bound parameters. --search reads notes and outcomes as shown (masked by crm's JS
 * function unless revealed), so it is tested on each row as it streams (searchMatches), and the limit after it.
 */
function listQuery(filter: ContactFilter): {sql: string; params: unknown[]} {
  const params: unknown[] = []
  const bind = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  // A deleted contact, or a deleted customer's, leaves every list, export and the due list (issue 17 section 2).
  const where = ['k.deleted_at IS NULL', 'c.deleted_at IS NULL']
  if (filter.customerId !== undefined) where.push(`k.customer_id = ${bind(filter.customerId)}`)
  if (filter.rm !== undefined) where.push(`${asciiLower('coalesce(k.rm, c.rm)')} = ${asciiLower(bind(filter.rm))}`)
  if (filter.branch !== undefined) where.push(`${asciiLower('c.branch')} = ${asciiLower(bind(filter.branch))}`)
  if (filter.channel !== undefined) where.push(`k.channel = ${bind(filter.channel)}`)
  if (filter.purpose !== undefined) where.push(`k.purpose = ${bind(filter.purpose)}`)
  if (filter.since !== undefined) where.push(`k.at >= ${bind(filter.since)}::timestamp`)
  if (filter.until !== undefined) where.push(`k.at < ${bind(filter.until)}::timestamp`)
  if (filter.open) where.push('k.follow_up_on IS NOT NULL AND k.follow_up_closed_at IS NULL')
  const limit = filter.search === undefined && filter.limit !== undefined && filter.limit >= 0 ? filter.limit : null
  const sql = `SELECT ${CONTACT_COLUMNS_PG}, c.name AS "customerName"
    FROM contacts k JOIN customers c ON c.customer_id = k.customer_id
    WHERE ${where.join(' AND ')}
    ORDER BY k.at DESC, k.id DESC${limit === null ? '' : ` LIMIT ${bind(limit)}`}`
  return {sql, params}
}

function searchMatches(filter: ContactFilter): (c: ContactRow) => boolean {
  const search = filter.search
  if (search === undefined) return () => true
  const options = {reveal: search.revealed}
  return (c) =>
    containsLike(shown(c.notes, options), search.text) || containsLike(shown(c.outcome, options), search.text)
}

/** The open follow-ups due from `from` (or any time before) to `until`, with the filters, as bound parameters. */
function dueWhere(from: string | null, until: string, filter: {rm?: string; branch?: string}, params: unknown[]) {
  const bind = (value: unknown) => {
    params.push(value)
    return `$${params.length}`
  }
  const where = [
    'k.deleted_at IS NULL',
    'c.deleted_at IS NULL',
    'k.follow_up_on IS NOT NULL',
    'k.follow_up_closed_at IS NULL',
    `k.follow_up_on <= ${bind(until)}::date`,
    "c.status IS DISTINCT FROM 'closed'",
  ]
  if (from !== null) where.push(`k.follow_up_on >= ${bind(from)}::date`)
  if (filter.rm !== undefined) where.push(`${asciiLower('c.rm')} = ${asciiLower(bind(filter.rm))}`)
  if (filter.branch !== undefined) where.push(`${asciiLower('c.branch')} = ${asciiLower(bind(filter.branch))}`)
  return where.join(' AND ')
}

/** contactRepository on a PostgreSQL book: the same functions, the same results as on SQLite. */
export function postgresContactRepository(db: PgDatabase): ContactRepository {
  const audit = postgresAuditInsert(db)
  function* listed(filter: ContactFilter): Generator<ContactRow> {
    const {sql, params} = listQuery(filter)
    const matches = searchMatches(filter)
    let left = filter.search !== undefined && filter.limit !== undefined && filter.limit >= 0 ? filter.limit : Infinity
    if (left === 0) return
    for (const page of db.pages<ContactRow>(sql, params, {size: PAGE}))
      for (const row of page) {
        if (!matches(row)) continue
        yield row
        if (--left === 0) return
      }
  }
  return {
    log: (contact: NewContact, who: {actor: string; command: string}, closes: boolean) =>
      db.transaction(() => {
        // The customer as it is inside the write, held (FOR SHARE) so that no delete or erase slips in before the
        // contact is written.
        const live = db.value('SELECT 1 FROM customers WHERE customer_id = $1 AND deleted_at IS NULL FOR SHARE', [
          contact.customerId,
        ])
        if (live === undefined) {
          const deleted = deletedCustomerErrorPostgres(db, contact.customerId)
          if (deleted !== undefined) throw deleted
          notFound(`no customer with customer_id "${contact.customerId}"`)
        }
        const now = new Date().toISOString()
        const utcOffset = contact.utcOffset ?? wallClockOffset(contact.at)
        const key = notesKey(contact.notes)
        // Another crm logging the same contact at once: ON CONFLICT waits for it, and the contact is then found.
        const inserted = db.value<number>(
          `INSERT INTO contacts (customer_id, at, utc_offset, channel, direction, purpose, outcome, rm, notes,
            follow_up_on, notes_key, import_batch_id, logged_at)
          VALUES ($1, $2::timestamp, $3, $4, $5, $6, $7, $8, $9, $10::date, $11, NULL, $12)
          ON CONFLICT DO NOTHING RETURNING id`,
          [
            contact.customerId,
            contact.at,
            utcOffset,
            contact.channel,
            contact.direction,
            contact.purpose,
            contact.outcome,
            contact.rm,
            contact.notes,
            contact.followUpOn,
            key,
            now,
          ],
        )
        const created = inserted !== undefined
        const id =
          inserted ??
          db.value<number>(
            `SELECT id FROM contacts WHERE customer_id = $1 AND at = $2::timestamp AND channel = $3
              AND direction = $4 AND purpose = $5 AND notes_key = $6`,
            [contact.customerId, contact.at, contact.channel, contact.direction, contact.purpose, key],
          )!
        // An UPDATE re-reads a row another crm changed meanwhile: a follow-up two logs answer is closed once.
        const closed =
          created && closes
            ? db.run(
                `UPDATE contacts SET follow_up_closed_at = $1, follow_up_closed_by = $2
                WHERE customer_id = $3 AND follow_up_on IS NOT NULL AND follow_up_closed_at IS NULL
                  AND at < $4::timestamp AND id <> $2 AND deleted_at IS NULL`,
                [now, id, contact.customerId, contact.at],
              ).changes
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
        return {id, created, closed, utcOffset}
      }),
    find: (id: number): Contact | undefined =>
      db.get<Contact>(`SELECT ${CONTACT_COLUMNS_PG} FROM contacts k WHERE k.id = $1 AND k.deleted_at IS NULL`, [id]),
    done: (id: number, who: {actor: string; command: string}): boolean =>
      db.transaction(() => {
        const now = new Date().toISOString()
        const changed =
          db.run(
            `UPDATE contacts SET follow_up_closed_at = $1 WHERE id = $2 AND follow_up_on IS NOT NULL
              AND follow_up_closed_at IS NULL`,
            [now, id],
          ).changes === 1
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
    list: (filter: ContactFilter): ContactRow[] => [...listed(filter)],
    each: (filter: ContactFilter): IterableIterator<ContactRow> => listed(filter),
    *eachWritten(filter: ContactFilter, options: OutputOptions, between: string): Generator<WrittenRecords> {
      // One query, so the pages are of the same book; each page's records joined as the SQLite path joins them.
      let texts: string[] = []
      const page = (): WrittenRecords => {
        const bytes = Buffer.from(texts.join(between))
        const rows = texts.length
        texts = []
        return {bytes, rows}
      }
      for (const row of listed(filter)) {
        texts.push(contactRecordJson(row, options))
        if (texts.length === PAGE) yield page()
      }
      if (texts.length > 0) yield page()
    },
    *eachDue(
      from: string | null,
      until: string,
      filter: {rm?: string; branch?: string},
      page: {offset?: number; limit?: number} = {},
    ): Generator<DueFollowUp> {
      const params: unknown[] = []
      const where = dueWhere(from, until, filter, params)
      params.push(page.offset ?? 0)
      const offset = `$${params.length}`
      let limit = ''
      if (page.limit !== undefined && page.limit >= 0) {
        params.push(page.limit)
        limit = ` LIMIT $${params.length}`
      }
      // Ordered to the contact, so that a report can read the first rows, and the rest later from an offset.
      const sql = `SELECT k.id AS "contactId", k.customer_id AS "customerId", c.name AS "customerName", c.rm, c.branch,
          k.follow_up_on AS "followUpOn", last.channel AS "lastChannel", ${wallClock('last.at')} AS "lastAt"
        FROM contacts k JOIN customers c ON c.customer_id = k.customer_id
          LEFT JOIN LATERAL (SELECT l.channel, l.at FROM contacts l WHERE l.customer_id = k.customer_id
            AND l.deleted_at IS NULL ORDER BY l.at DESC, l.id DESC LIMIT 1) last ON true
        WHERE ${where}
        ORDER BY k.follow_up_on, ${customerOrderKeyPostgres('c.customer_id')}, k.id OFFSET ${offset}${limit}`
      for (const rows of db.pages<DueFollowUp>(sql, params, {size: PAGE})) yield* rows
    },
    countDue: (from: string | null, until: string, filter: {rm?: string; branch?: string}): number => {
      const params: unknown[] = []
      const where = dueWhere(from, until, filter, params)
      return db.value<number>(
        `SELECT count(*) FROM contacts k JOIN customers c ON c.customer_id = k.customer_id WHERE ${where}`,
        params,
      )!
    },
  }
}
