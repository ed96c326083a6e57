import {type CrmDatabase, type Database, isPostgres} from '../db/connection.js'
import {instantForJson, instantForPeople, localDateTime} from '../core/dates.js'
import {
  CONTACT_EDIT_LOCKED,
  CUSTOMER_EDIT_LOCKED,
  contactEdit,
  customerEdit,
  type EditResult,
  ERASED_CUSTOMER_FIELDS,
  parseSets,
  shownChanges,
} from '../core/edits.js'
import {CONTACT_FIELDS, CUSTOMER_FIELDS} from '../core/fields.js'
import {en} from '../core/messages.js'
import {ExitCode, notFound, UserError} from '../errors.js'
import {contactEditRepository, type StoredContact} from '../db/repositories/contact-edits.js'
import {
  customerEditRepository,
  type EraseDone,
  type StoredCustomer,
  type Who,
} from '../db/repositories/customer-edits.js'
import {clearRewritePending, markRewritePending, scrubFiles} from '../db/erase-rewrite.js'
import {customerRepository} from '../db/repositories/customers.js'

/** What an edit did, as --json prints it: each changed field's old and new value, masked unless revealed. */
export interface EditOutcome {
  readonly changed: boolean
  readonly changes: {field: string; old: string | null; new: string | null}[]
}

function setsOf(sets: readonly string[], fields: typeof CUSTOMER_FIELDS, locked: readonly string[]) {
  if (sets.length === 0) throw new UserError(en('setNeeded'), ExitCode.Usage)
  const parsed = parseSets(sets, fields, locked)
  if ('error' in parsed) throw new UserError(parsed.error, ExitCode.Usage)
  return parsed
}

function checked(result: EditResult) {
  if ('issues' in result)
    throw new UserError(
      result.issues.map((i) => en('editRefused', {field: i.field, reason: i.reason})).join('; '),
      ExitCode.BadInput,
    )
  return result.changes
}

/** The customer, deleted or not; not found with the nearest customer numbers when there is none. */
function storedCustomer(db: CrmDatabase, customerId: string): StoredCustomer {
  const customer = customerEditRepository(db).find(customerId)
  if (customer === undefined) customerRepository(db).findOrFail(customerId)
  return customer!
}

/** The customer, which must not be deleted: a deleted one is named as deleted, when and by whom. */
function liveCustomer(db: CrmDatabase, customerId: string): StoredCustomer {
  const customer = storedCustomer(db, customerId)
  if (customer.deletedAt !== null) customerRepository(db).findOrFail(customerId)
  return customer
}

/** Checks the values as an import would and writes what differs, audited and journalled for undo. */
export function editCustomer(
  db: CrmDatabase,
  customerId: string,
  sets: readonly string[],
  who: Who,
  reveal: boolean,
): EditOutcome {
  const parsed = setsOf(sets, CUSTOMER_FIELDS, CUSTOMER_EDIT_LOCKED)
  const customer = liveCustomer(db, customerId)
  const changes = checked(customerEdit(customer.values, parsed))
  if (changes.length > 0) customerEditRepository(db).edit(customer, changes, who)
  const individual = (changes.find((c) => c.field === 'type')?.new ?? customer.values.type) === 'individual'
  return {changed: changes.length > 0, changes: shownChanges(changes, {reveal, individual})}
}

export interface DeleteOutcome {
  readonly deleted: boolean
  readonly already_deleted: boolean
  readonly deleted_at: string
  readonly deleted_by: string
  readonly contacts: number
  readonly tier_results: number
}

/** Deletes a customer: refused while it has contacts or tier results, unless forced. Twice is said, not refused. */
export function deleteCustomer(db: CrmDatabase, customerId: string, force: boolean, who: Who): DeleteOutcome {
  const edits = customerEditRepository(db)
  const customer = storedCustomer(db, customerId)
  const history = edits.history(customer)
  if (customer.deletedAt !== null) {
    const by = edits.deletion(customerId).actor
    return {
      deleted: false,
      already_deleted: true,
      deleted_at: instantForJson(customer.deletedAt)!,
      deleted_by: by,
      ...counts(history),
    }
  }
  if (!force && (history.contacts > 0 || history.results > 0))
    throw new UserError(en('deleteHasHistory', {id: customerId, ...history}), ExitCode.BadInput, en('addForceToDelete'))
  const at = edits.delete(customer, history, force, who)
  return {
    deleted: true,
    already_deleted: false,
    deleted_at: instantForJson(at)!,
    deleted_by: who.actor,
    ...counts(history),
  }
}

const counts = (h: {contacts: number; results: number}) => ({contacts: h.contacts, tier_results: h.results})

export interface EraseOutcome {
  readonly erased_at: string
  readonly again: boolean
  readonly fields: string[]
  readonly contacts: number
  readonly audit_entries: number
  readonly journal_rows: number
  readonly tier_reasons: number
  /** Classification runs whose --where or scheme quoted one of its values (now '[erased]'). */
  readonly runs: number
}

/**
 * Erases a customer's personal data everywhere crm keeps it. A SQLite file is then written back so none stays in it
 * (`committed` is told first); on PostgreSQL the server's vacuum reclaims the old row versions (the README says what
 * the DBA runs).
 */
export function eraseCustomer(db: CrmDatabase, customerId: string, who: Who, committed: () => void): EraseOutcome {
  const customer = storedCustomer(db, customerId)
  const done = isPostgres(db)
    ? customerEditRepository(db).erase(customer, who)
    : eraseRewritten(db, customer, who, committed)
  return {
    erased_at: instantForJson(customer.erasedAt ?? done.at)!,
    again: done.again,
    fields: [...ERASED_CUSTOMER_FIELDS, 'extra'],
    contacts: done.contacts,
    audit_entries: done.entries,
    journal_rows: done.journalRows,
    tier_reasons: done.results,
    runs: done.runs,
  }
}

/** The erase of a SQLite book, then its file rewritten (owed from before the commit, finished by the next crm). */
function eraseRewritten(db: Database, customer: StoredCustomer, who: Who, committed: () => void): EraseDone {
  markRewritePending(db)
  let done: EraseDone
  try {
    done = customerEditRepository(db).erase(customer, who)
  } catch (error) {
    clearRewritePending(db)
    throw error
  }
  committed()
  scrubFiles(db)
  return done
}

function storedContact(db: CrmDatabase, id: number): StoredContact {
  return contactEditRepository(db).find(id) ?? notFound(en('noContact', {id}), en('listOpenContacts'))
}

/** Checks a contact edit as a contact import would and writes what differs, audited. */
export function editContact(
  db: CrmDatabase,
  id: number,
  sets: readonly string[],
  who: Who,
  reveal: boolean,
): EditOutcome {
  const parsed = setsOf(sets, CONTACT_FIELDS, CONTACT_EDIT_LOCKED)
  const contact = storedContact(db, id)
  if (contact.deletedAt !== null) notFound(en('contactWasDeleted', {id, at: instantForPeople(contact.deletedAt)}))
  // A deleted customer's contacts are left as they are.
  customerRepository(db).findOrFail(String(contact.values.customer_id))
  const changes = checked(contactEdit(contact.values, parsed, localDateTime(new Date())))
  if (changes.length > 0) contactEditRepository(db).edit(contact, changes, who)
  return {changed: changes.length > 0, changes: shownChanges(changes, {reveal})}
}

export interface ContactDeleteOutcome {
  readonly deleted: boolean
  readonly already_deleted: boolean
  readonly deleted_at: string
  readonly reopened_follow_ups: number[]
}

/** Deletes a contact; the follow-ups it had answered are reopened (or closed by the next that answers them). */
export function deleteContact(db: CrmDatabase, id: number, who: Who): ContactDeleteOutcome {
  const contact = storedContact(db, id)
  if (contact.deletedAt !== null)
    return {
      deleted: false,
      already_deleted: true,
      deleted_at: instantForJson(contact.deletedAt)!,
      reopened_follow_ups: [],
    }
  const done = contactEditRepository(db).delete(contact, who)
  return {
    deleted: true,
    already_deleted: false,
    deleted_at: instantForJson(done.at)!,
    reopened_follow_ups: done.reopened,
  }
}
