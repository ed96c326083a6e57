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

/** A stored contact as an edit or delete sees it: deleted ones too. */
export interface StoredContact {
  readonly id: number
  readonly values: Record<string, FieldValue>
  readonly deletedAt: string | null
}

/** Contact edits and deletes: each one transaction, audited with the old values. */
export function contactEditRepository(db: Database) {
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
      record(
        who,
        'contact.edit',
        {
          contact: contact.id,
          customer_id: contact.values.customer_id,
          changes: changes.map((c) => ({field: c.field, old: jsonValue(c.old), new: jsonValue(c.new)})),
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
export function followUpRecloser(db: Database): (id: number, at: string) => boolean {
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
