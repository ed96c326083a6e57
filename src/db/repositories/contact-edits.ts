import {type CrmDatabase, isPostgres} from '../connection.js'
import {followUpRecloserPostgres, postgresContactEditRepository} from '../postgres/contact-edits.js'
import type {Database} from 'better-sqlite3'
import {notesKey} from '../../core/contact.js'
import {type FieldChange, jsonValue} from '../../core/edits.js'
import {en} from '../../core/messages.js'
import type {FieldValue} from '../../core/row-validator.js'
import {ExitCode, UserError} from '../../errors.js'
import {auditInsert} from './audit.js'
import type {Who} from './customer-edits.js'

/** The fields of a contact an edit may change, as stored (the columns have the fields' names). */
const EDITABLE = ['at', 'channel', 'direction', 'purpose', 'outcome', 'rm', 'notes', 'follow_up_on'] as const

/** f4: the fields that decide whether a contact answers a follow-up (and which ones: those before it). */
export const CONTACT_ANSWERING: readonly string[] = ['at', 'channel', 'direction']
const ANSWERING = CONTACT_ANSWERING

/** A stored contact as an edit or delete sees it: deleted ones too. */
export interface StoredContact {
  readonly id: number
  readonly values: Record<string, FieldValue>
  readonly deletedAt: string | null
}

/** Contact edits and deletes (the same functions on either backend). */
export interface ContactEditRepository {
  find(id: number): StoredContact | undefined
  /**
   * Writes the changes (a new notes key when the notes change) and the audit entry with old and new values. A
   * change that would make it the same contact as another is refused.
   */
  edit(contact: StoredContact, changes: readonly FieldChange[], who: Who): void
  /**
   * Marks the contact deleted (its row stays) and reopens the follow-ups it had answered: each is closed again by
   * the next contact that answers it, if there is one. Returns those reopened.
   */
  delete(contact: StoredContact, who: Who): {reopened: number[]; at: string}
}

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres/contact-edits.ts). */
export function contactEditRepository(db: CrmDatabase): ContactEditRepository {
  if (isPostgres(db)) return postgresContactEditRepository(db)
  return sqliteContactEditRepository(db)
}

/** Contact edits and deletes: each one transaction, audited with the old values. */
function sqliteContactEditRepository(db: Database): ContactEditRepository {
  const byId = db.prepare<[number], Record<string, FieldValue> & {deletedAt: string | null}>(
    `SELECT id, customer_id, ${EDITABLE.join(', ')}, utc_offset, deleted_at AS deletedAt FROM contacts WHERE id = ?`,
  )
  const sameKey = db
    .prepare<Record<string, unknown>, number>(`SELECT id FROM contacts WHERE at = @at AND customer_id = @customer_id
      AND channel = @channel AND direction = @direction AND purpose = @purpose AND notes_key = @notesKey AND id <> @id`)
    .pluck()
  const markDeleted = db.prepare('UPDATE contacts SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
  // The follow-ups the contact had answered: reopened, then closed by the next contact that answers them, if any.
  const closedBy = db
    .prepare<[number], number>('SELECT id FROM contacts WHERE follow_up_closed_by = ? AND deleted_at IS NULL')
    .pluck()
  const reclose = followUpRecloser(db)
  // f4: an edit of what decides whether a contact answers a follow-up (its time, channel or direction) checks the
  // closures again, as a delete does: the follow-ups it had closed are closed again by the next contact that answers
  // them (perhaps itself), its own follow-up too when a contact had closed it, and the open ones before it are closed
  // by it when it answers them, as contact log closes them.
  const ownClosed = db
    .prepare<[number], number>('SELECT id FROM contacts WHERE id = ? AND follow_up_closed_by IS NOT NULL')
    .pluck()
  const closeAnswered = db.prepare(`UPDATE contacts SET follow_up_closed_at = @now, follow_up_closed_by = @by
    WHERE customer_id = @customerId AND follow_up_on IS NOT NULL AND follow_up_closed_at IS NULL AND at < @at
      AND id <> @by AND deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM contacts n WHERE n.id = @by AND NOT (n.channel IN ('sms', 'email') AND
        n.direction = 'out'))`)
  const recheck = (contact: StoredContact, after: Record<string, FieldValue>, now: string): number[] => {
    const again = [...new Set([...closedBy.all(contact.id), ...ownClosed.all(contact.id)])]
    for (const id of again) reclose(id, now)
    closeAnswered.run({customerId: after.customer_id, at: after.at, by: contact.id, now})
    return again
  }
  const audit = auditInsert(db)
  const record = (who: Who, action: string, details: Record<string, unknown>, at: string) =>
    audit.run({at, actor: who.actor, command: who.command, action, rows: 1, details: JSON.stringify(details)})

  return {
    find: (id: number): StoredContact | undefined => {
      const row = byId.get(id)
      if (row === undefined) return undefined
      const {deletedAt, ...values} = row
      return {id, values, deletedAt}
    },

    /**
     * Writes the changes (a new notes key when the notes change) and the audit entry with old and new values. A
     * change that would make it the same contact as another is refused.
     */
    edit: db.transaction((contact: StoredContact, changes: readonly FieldChange[], who: Who): void => {
      const after: Record<string, FieldValue> = {...contact.values}
      for (const c of changes) after[c.field] = c.new
      const key = notesKey(after.notes as string | null)
      const other = sameKey.get({...after, notesKey: key, id: contact.id})
      if (other !== undefined) throw new UserError(en('contactKeyTaken', {id: contact.id, other}), ExitCode.BadInput)
      const columns = [...changes.map((c) => `${c.field} = ?`), 'notes_key = ?'].join(', ')
      db.prepare(`UPDATE contacts SET ${columns} WHERE id = ?`).run(...changes.map((c) => c.new), key, contact.id)
      const at = new Date().toISOString()
      const answering = changes.some((c) => ANSWERING.includes(c.field))
      const rechecked = answering ? recheck(contact, after, at) : []
      record(
        who,
        'contact.edit',
        {
          contact: contact.id,
          customer_id: contact.values.customer_id,
          changes: changes.map((c) => ({field: c.field, old: jsonValue(c.old), new: jsonValue(c.new)})),
          ...(answering ? {rechecked_follow_ups: rechecked} : {}),
        },
        at,
      )
    }),

    /**
     * Marks the contact deleted (its row stays) and reopens the follow-ups it had answered: each is closed again by
     * the next contact that answers it, if there is one. Returns those reopened.
     */
    delete: db.transaction((contact: StoredContact, who: Who): {reopened: number[]; at: string} => {
      const at = new Date().toISOString()
      markDeleted.run(at, contact.id)
      const reopened = closedBy.all(contact.id)
      for (const id of reopened) reclose(id, at)
      record(
        who,
        'contact.delete',
        {contact: contact.id, customer_id: contact.values.customer_id, reopened_follow_ups: reopened},
        at,
      )
      return {reopened, at}
    }),
  }
}

export const CONTACT_EDITABLE: readonly string[] = EDITABLE

/**
 * Closes a reopened follow-up again by the next contact that answers it, if there is one (its customer's first later
 * contact that is not deleted nor an outgoing SMS or email). Returns whether one did. Shared by contact delete and
 * import undo.
 */
export function followUpRecloser(db: CrmDatabase): (id: number, at: string) => boolean {
  if (isPostgres(db)) return followUpRecloserPostgres(db)
  const reclose = db.prepare(`UPDATE contacts AS f SET follow_up_closed_by = (SELECT n.id FROM contacts n
      WHERE n.customer_id = f.customer_id AND n.at > f.at AND n.deleted_at IS NULL
        AND NOT (n.channel IN ('sms', 'email') AND n.direction = 'out') ORDER BY n.at LIMIT 1),
      follow_up_closed_at = CASE WHEN EXISTS (SELECT 1 FROM contacts n WHERE n.customer_id = f.customer_id
        AND n.at > f.at AND n.deleted_at IS NULL AND NOT (n.channel IN ('sms', 'email') AND n.direction = 'out'))
        THEN @at END
    WHERE f.id = @id RETURNING follow_up_closed_by AS closedBy`)
  return (id, at) => {
    const row = reclose.get({id, at}) as {closedBy: number | null} | undefined
    return row?.closedBy != null
  }
}
