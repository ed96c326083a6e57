import {notesKey} from '../../core/contact.js'
import {type FieldChange, jsonValue} from '../../core/edits.js'
import {en} from '../../core/messages.js'
import type {FieldValue} from '../../core/row-validator.js'
import {ExitCode, UserError} from '../../errors.js'
import {
  CONTACT_EDITABLE,
  type ContactEditRepository,
  CONTACT_ANSWERING,
  type StoredContact,
} from '../repositories/contact-edits.js'
import {answeringContact} from '../repositories/contacts.js'
import type {Who} from '../repositories/customer-edits.js'
import {postgresAuditInsert} from './audit.js'
import {type PgDatabase, PgError} from './connection.js'
import {isoInstant, wallClock} from './sql.js'

/** A field's value bound as a parameter, cast to its column's type (crm's own field names only). */
const CASTS: Record<string, string> = {at: '::timestamp', follow_up_on: '::date'}

/** followUpRecloser on PostgreSQL: the same closing again, by the next contact that answers the follow-up. */
export function followUpRecloserPostgres(db: PgDatabase): (id: number, at: string) => boolean {
  return (id, at) =>
    db.value(
      `UPDATE contacts AS f SET follow_up_closed_by = (${answeringContact('f')}),
        follow_up_closed_at = CASE WHEN (${answeringContact('f')}) IS NOT NULL THEN $2::timestamptz END
      WHERE f.id = $1 RETURNING follow_up_closed_by`,
      [id, at],
    ) != null
}

/** Contact edits and deletes on PostgreSQL, as on SQLite: each one transaction, audited with the old values. */
export function postgresContactEditRepository(db: PgDatabase): ContactEditRepository {
  const reclose = followUpRecloserPostgres(db)
  const audit = postgresAuditInsert(db)
  const record = (who: Who, action: string, details: Record<string, unknown>, at: string) =>
    audit.run({at, actor: who.actor, command: who.command, action, rows: 1, details: JSON.stringify(details)})
  // The follow-ups the contact had answered (by its customer, the table's key).
  const closedBy = (contact: StoredContact) =>
    db
      .rows<[number]>(
        'SELECT id FROM contacts WHERE customer_id = $1 AND follow_up_closed_by = $2 AND deleted_at IS NULL',
        [contact.values.customer_id, contact.id],
      )
      .map(([id]) => id)
  // f4, as on SQLite: the follow-ups it had closed, and its own when a contact had closed it, are closed again by
  // the next contact that answers them; the open ones before it are closed by it when it answers them.
  const recheck = (contact: StoredContact, after: Record<string, FieldValue>, now: string): number[] => {
    const own = db
      .rows<[number]>('SELECT id FROM contacts WHERE id = $1 AND follow_up_closed_by IS NOT NULL', [contact.id])
      .map(([id]) => id)
    const again = [...new Set([...closedBy(contact), ...own])]
    for (const id of again) reclose(id, now)
    db.run(
      `UPDATE contacts SET follow_up_closed_at = $1, follow_up_closed_by = $2
      WHERE customer_id = $3 AND follow_up_on IS NOT NULL AND follow_up_closed_at IS NULL AND at < $4::timestamp
        AND id <> $2 AND deleted_at IS NULL
        AND EXISTS (SELECT 1 FROM contacts n WHERE n.customer_id = $3 AND n.id = $2
          AND NOT (n.channel IN ('sms', 'email') AND n.direction = 'out'))`,
      [now, contact.id, after.customer_id, after.at],
    )
    return again
  }

  return {
    find: (id: number): StoredContact | undefined => {
      const row = db.get<Record<string, FieldValue> & {deletedAt: string | null}>(
        `SELECT id, customer_id,
          ${CONTACT_EDITABLE.map((f) => (f === 'at' ? `${wallClock('at')} AS at` : f)).join(', ')},
          utc_offset, ${isoInstant('deleted_at')} AS "deletedAt" FROM contacts WHERE id = $1`,
        [id],
      )
      if (row === undefined) return undefined
      const {deletedAt, ...values} = row
      return {id, values, deletedAt}
    },

    edit: (contact: StoredContact, changes: readonly FieldChange[], who: Who): void =>
      db.transaction(() => {
        const after: Record<string, FieldValue> = {...contact.values}
        for (const c of changes) after[c.field] = c.new
        const key = notesKey(after.notes as string | null)
        const taken = (other: unknown) =>
          new UserError(en('contactKeyTaken', {id: contact.id, other: String(other)}), ExitCode.BadInput)
        const other = db.value(
          `SELECT id FROM contacts WHERE customer_id = $1 AND at = $2::timestamp AND channel = $3 AND direction = $4
            AND purpose = $5 AND notes_key = $6 AND id <> $7`,
          [after.customer_id, after.at, after.channel, after.direction, after.purpose, key, contact.id],
        )
        if (other !== undefined) throw taken(other)
        // Columns from crm's own list of editable fields (edits.ts checked each --set against it), values bound.
        const sets = changes.map((c, i) => {
          if (!CONTACT_EDITABLE.includes(c.field)) throw new Error(`not an editable contact field: ${c.field}`)
          return `${c.field} = $${i + 3}${CASTS[c.field] ?? ''}`
        })
        try {
          db.run(
            `UPDATE contacts SET ${[...sets, 'notes_key = $2'].join(', ')} ` +
              `WHERE customer_id = $1 AND id = $${changes.length + 3}`,
            [contact.values.customer_id, key, ...changes.map((c) => c.new), contact.id],
          )
        } catch (error) {
          // Another crm wrote the same contact meanwhile.
          if (error instanceof PgError && error.code === '23505') throw taken('?')
          throw error
        }
        const at = new Date().toISOString()
        const answering = changes.some((c) => CONTACT_ANSWERING.includes(c.field))
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

    delete: (contact: StoredContact, who: Who): {reopened: number[]; at: string} =>
      db.transaction(() => {
        const at = new Date().toISOString()
        db.run('UPDATE contacts SET deleted_at = $1 WHERE customer_id = $2 AND id = $3 AND deleted_at IS NULL', [
          at,
          contact.values.customer_id,
          contact.id,
        ])
        const reopened = closedBy(contact)
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
