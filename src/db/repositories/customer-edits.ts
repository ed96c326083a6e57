import {type CrmDatabase, isPostgres} from '../connection.js'
import {deletedCustomerErrorPostgres, postgresCustomerEditRepository} from '../postgres/customer-edits.js'
import type {Database} from 'better-sqlite3'
import {
  ERASED_CONTACT_FIELDS,
  ERASED_CUSTOMER_FIELDS,
  erasedDetails,
  erasedQuotes,
  ERASED_EXTRA,
  erasedReason,
  erasedValues,
  type FieldChange,
  jsonValue,
  oldValues,
  personalTexts,
} from '../../core/edits.js'
import {instantForPeople} from '../../core/dates.js'
import {FIELD_NAMES} from '../../core/fields.js'
import {en} from '../../core/messages.js'
import type {FieldValue} from '../../core/row-validator.js'
import {ExitCode, UserError} from '../../errors.js'
import {columnFor, readColumn, readFen} from '../columns.js'
import {MONEY_FIELDS} from '../../core/fields.js'
import {auditInsert} from './audit.js'

/** Who is writing: the audit log's actor and command line. */
export interface Who {
  readonly actor: string
  readonly command: string
}

/** A stored customer as an edit, delete or erase sees it: deleted and erased ones too. */
export interface StoredCustomer {
  readonly ref: number
  readonly values: Record<string, FieldValue>
  readonly deletedAt: string | null
  readonly erasedAt: string | null
}

/** When a customer or contact was deleted, and by whom (the audit entry of its delete). */
export interface Deletion {
  readonly at: string
  readonly actor: string
}

type Row = Record<string, FieldValue> & {ref: number; deletedAt: string | null; erasedAt: string | null}

const changesJson = (changes: readonly FieldChange[]) =>
  changes.map((c) => ({field: c.field, old: jsonValue(c.old), new: jsonValue(c.new)}))

/** The audit entry of a customer's (or contact's) delete: when and by whom. */
export function deletionOf(db: Database): (action: string, key: string, value: string | number) => Deletion {
  const stmt = db.prepare<{action: string; path: string; value: string | number}, Deletion>(
    `SELECT at, actor FROM audit_log WHERE action = @action AND json_extract(details, @path) = @value
      ORDER BY id DESC LIMIT 1`,
  )
  return (action, key, value) => stmt.get({action, path: `$.${key}`, value}) ?? {at: '?', actor: '?'}
}

/** The error for a deleted customer's id (named as deleted, when and by whom), or undefined when it is not one. */
export function deletedCustomerError(db: CrmDatabase, customerId: string): Error | undefined {
  if (isPostgres(db)) return deletedCustomerErrorPostgres(db, customerId)
  const row = db
    .prepare<[string], {deleted: string; erased: string | null}>(
      'SELECT deleted_at AS deleted, erased_at AS erased FROM customers WHERE customer_id = ? AND deleted_at IS ' +
        'NOT NULL',
    )
    .get(customerId)
  if (row === undefined) return undefined
  // An erased customer is named as erased, when and by whom (its erase's audit entry), not as merely deleted.
  const by = deletionOf(db)(row.erased === null ? 'customer.delete' : 'customer.erase', 'customer_id', customerId)
  return deletedCustomer(customerId, row, by)
}

/** A deleted customer's id named as deleted (or erased), when and by whom: on either book. */
export function deletedCustomer(
  customerId: string,
  row: {readonly deleted: string; readonly erased: string | null},
  by: Deletion,
): Error {
  return row.erased === null
    ? new UserError(
        en('customerWasDeleted', {id: customerId, at: instantForPeople(row.deleted), actor: by.actor}),
        ExitCode.NotFound,
      )
    : new UserError(
        en('customerWasErased', {id: customerId, at: instantForPeople(row.erased), actor: by.actor}),
        ExitCode.NotFound,
      )
}

/** What an erase changed (customer erase reports it). */
export interface EraseDone {
  readonly at: string
  readonly contacts: number
  readonly entries: number
  readonly journalRows: number
  readonly results: number
  readonly runs: number
  readonly again: boolean
}

/** Customer edits, deletes and erases (the same functions on either backend). */
export interface CustomerEditRepository {
  find(customerId: string): StoredCustomer | undefined
  deletion(customerId: string): Deletion
  /** Its contacts (not deleted) and tier results: what a delete without --force refuses to hide. */
  history(customer: StoredCustomer): {contacts: number; results: number}
  /** Writes the changes, the audit entry with old and new values, and the undo journal's row; returns the entry. */
  edit(customer: StoredCustomer, changes: readonly FieldChange[], who: Who): number
  /** Marks the customer deleted (its row stays as a tombstone) and audits what it had; returns when. */
  delete(customer: StoredCustomer, history: {contacts: number; results: number}, forced: boolean, who: Who): string
  /**
   * Blanks the customer's personal fields and kept columns, its contacts' notes and outcomes, the personal values in
   * its tier reasons, in the audit log, the runs' filters and scheme texts, and the undo journal; deletes it if it was
   * not.
   */
  erase(customer: StoredCustomer, who: Who): EraseDone
}

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres/customer-edits.ts). */
export function customerEditRepository(db: CrmDatabase): CustomerEditRepository {
  if (isPostgres(db)) return postgresCustomerEditRepository(db)
  return sqliteCustomerEditRepository(db)
}

/** Customer edits, deletes and erases: each one transaction, audited, and the edits journalled for undo. */
function sqliteCustomerEditRepository(db: Database): CustomerEditRepository {
  const byId = db.prepare<
    [string],
    Row
  >(`SELECT c.id AS ref, ${FIELD_NAMES.map((f) => `${readColumn(f)} AS ${f}`).join(', ')},
    c.deleted_at AS deletedAt, c.erased_at AS erasedAt FROM customers c WHERE c.customer_id = ?`)
  const audit = auditInsert(db)
  const journal = db.prepare(
    'INSERT INTO customer_changes (customer_ref, batch_id, audit_id, old_values) VALUES (?, NULL, ?, ?)',
  )
  const contactCount = db
    .prepare<[string], number>('SELECT count(*) FROM contacts WHERE customer_id = ? AND deleted_at IS NULL')
    .pluck()
  const resultCount = db
    .prepare<[number], number>('SELECT count(*) FROM classification_results WHERE customer_ref = ?')
    .pluck()
  const markDeleted = db.prepare('UPDATE customers SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL')
  const record = (who: Who, action: string, details: Record<string, unknown>, at = new Date().toISOString()) =>
    Number(
      audit.run({at, actor: who.actor, command: who.command, action, rows: 1, details: JSON.stringify(details)})
        .lastInsertRowid,
    )

  return {
    find: (customerId: string): StoredCustomer | undefined => {
      const row = byId.get(customerId)
      if (row === undefined) return undefined
      const values: Record<string, FieldValue> = {}
      for (const f of FIELD_NAMES) values[f] = MONEY_FIELDS.includes(f) ? readFen(row[f]) : row[f]
      return {ref: row.ref, values, deletedAt: row.deletedAt, erasedAt: row.erasedAt}
    },
    deletion: (customerId: string): Deletion => deletionOf(db)('customer.delete', 'customer_id', customerId),

    /** Its contacts (not deleted) and tier results: what a delete without --force refuses to hide. */
    history: (customer: StoredCustomer): {contacts: number; results: number} => ({
      contacts: contactCount.get(String(customer.values.customer_id)) as number,
      results: resultCount.get(customer.ref) as number,
    }),

    /** Writes the changes, the audit entry with old and new values, and the undo journal's row; returns the entry. */
    edit: db.transaction((customer: StoredCustomer, changes: readonly FieldChange[], who: Who): number => {
      const columns = changes.map((c) => `${columnFor(c.field)} = ?`).join(', ')
      db.prepare(`UPDATE customers SET ${columns} WHERE id = ?`).run(...changes.map((c) => c.new), customer.ref)
      const auditId = record(who, 'customer.edit', {
        customer_id: customer.values.customer_id,
        changes: changesJson(changes),
      })
      journal.run(customer.ref, auditId, JSON.stringify(oldValues(changes)))
      return auditId
    }),

    /** Marks the customer deleted (its row stays as a tombstone) and audits what it had. */
    delete: db.transaction(
      (customer: StoredCustomer, history: {contacts: number; results: number}, forced: boolean, who: Who) => {
        const at = new Date().toISOString()
        markDeleted.run(at, customer.ref)
        record(
          who,
          'customer.delete',
          {customer_id: customer.values.customer_id, contacts: history.contacts, tier_results: history.results, forced},
          at,
        )
        return at
      },
    ),

    /**
     * Blanks the customer's personal fields and kept columns, its contacts' notes and outcomes, the personal values in
     * its tier reasons, in the audit log (its entries' old and new values, and its values wherever else they are
     * quoted) and in the undo journal; deletes it if it was not. secure_delete makes SQLite overwrite what it frees.
     */
    erase: (customer: StoredCustomer, who: Who) => {
      db.pragma('secure_delete = ON')
      return eraseAll(customer, who)
    },
  }

  function eraseAll(customer: StoredCustomer, who: Who): EraseDone {
    return db.transaction(() => {
      const at = new Date().toISOString()
      const customerId = String(customer.values.customer_id)
      const extra = db.prepare<[number], string | null>('SELECT extra FROM customers WHERE id = ?').pluck()
      const journalled = db
        .prepare<[number], {id: number; old: string}>(
          'SELECT id, old_values AS old FROM customer_changes WHERE customer_ref = ?',
        )
        .all(customer.ref)
      // Its values now and those the journal keeps from before (a kept column an import changed): all are erased.
      const texts = erasedTexts([
        {...customer.values, extra: extra.get(customer.ref) ?? null},
        ...journalled.map((j) => JSON.parse(j.old) as Record<string, unknown>),
      ])
      db.prepare(
        `UPDATE customers SET ${ERASED_CUSTOMER_FIELDS.map((f) => `${f} = ${f === 'name' ? "''" : 'NULL'}`).join(', ')},
          extra = @extra, erased_at = coalesce(erased_at, @at), deleted_at = coalesce(deleted_at, @at) WHERE id = @ref`,
      ).run({at, ref: customer.ref, extra: ERASED_EXTRA})
      const contacts = db
        .prepare(
          `UPDATE contacts SET ${ERASED_CONTACT_FIELDS.map((f) => `${f} = NULL`).join(', ')},
            notes_key = 'erased:' || id WHERE customer_id = ?`,
        )
        .run(customerId).changes
      let results = 0
      const update = db.prepare('UPDATE classification_results SET reason = ? WHERE run_id = ? AND customer_ref = ?')
      for (const r of db
        .prepare<[number], {run: number; reason: string}>(
          'SELECT run_id AS run, reason FROM classification_results WHERE customer_ref = ?',
        )
        .all(customer.ref)) {
        const blank = texts.reduce((reason, text) => reason.replaceAll(text, ''), erasedReason(r.reason))
        if (blank !== r.reason) results += update.run(blank, r.run, customer.ref).changes
      }
      let journalRows = 0
      const setOld = db.prepare('UPDATE customer_changes SET old_values = ? WHERE id = ?')
      for (const j of journalled) {
        const blank = JSON.stringify(erasedValues(JSON.parse(j.old) as Record<string, unknown>))
        if (blank !== j.old) journalRows += setOld.run(blank, j.id).changes
      }
      const entries = eraseFromAudit(customerId, texts)
      const runs = eraseFromRuns(texts)
      const again = customer.erasedAt !== null
      record(
        who,
        'customer.erase',
        {
          customer_id: customerId,
          fields: [...ERASED_CUSTOMER_FIELDS, 'extra'],
          contacts,
          audit_entries: entries,
          journal_rows: journalRows,
          tier_reasons: results,
          runs,
          again,
        },
        at,
      )
      return {at, contacts, entries, journalRows, results, runs, again}
    })()
  }

  /** The personal values (fields and kept columns) of these records, each once, the longest first. */
  function erasedTexts(records: readonly Record<string, unknown>[]): string[] {
    return [...new Set(records.flatMap((r) => personalTexts(r)))].sort((a, b) => b.length - a.length)
  }

  /**
   * Blanks the customer's values in the audit log: the old and new values of personal fields in its edits (and its
   * contacts' notes and outcomes), and its personal values wherever else an entry holds them under a personal key or
   * quotes them (a --where); an entry's other facts (an import's mode, a branch) are kept. Returns the entries changed.
   */
  function eraseFromAudit(customerId: string, texts: readonly string[]): number {
    const set = db.prepare('UPDATE audit_log SET details = ? WHERE id = ?')
    let changed = 0
    for (const e of db
      .prepare<[string], {id: number; details: string}>(
        "SELECT id, details FROM audit_log WHERE json_valid(details) AND json_extract(details, '$.customer_id') = ?",
      )
      .all(customerId)) {
      const details = JSON.parse(e.details) as {changes?: {field: string; old: unknown; new: unknown}[]}
      if (!Array.isArray(details.changes)) continue
      details.changes = details.changes.map((c) =>
        ERASED_CUSTOMER_FIELDS.includes(c.field) || ERASED_CONTACT_FIELDS.includes(c.field)
          ? {...c, old: null, new: null}
          : c,
      )
      const blank = JSON.stringify(details)
      if (blank !== e.details) changed += set.run(blank, e.id).changes
    }
    const quoting = db.prepare<[string], {id: number; details: string}>(
      'SELECT id, details FROM audit_log WHERE json_valid(details) AND instr(details, ?) > 0',
    )
    for (const text of texts)
      for (const e of quoting.all(JSON.stringify(text).slice(1, -1))) {
        const blank = JSON.stringify(erasedDetails(JSON.parse(e.details), texts))
        if (blank !== e.details) changed += set.run(blank, e.id).changes
      }
    return changed
  }

  /**
   * f5: the classification runs whose stored filter (a --where) or scheme text (a custom rule) quotes one of the
   * customer's values: the quote becomes '[erased]'. Returns the runs changed.
   */
  function eraseFromRuns(texts: readonly string[]): number {
    const set = db.prepare('UPDATE classification_runs SET filter = ?, scheme_text = ? WHERE id = ?')
    const quoting = db.prepare<[string, string], {id: number; filter: string; scheme: string}>(
      `SELECT id, filter, scheme_text AS scheme FROM classification_runs
        WHERE instr(filter, ?) > 0 OR instr(scheme_text, ?) > 0`,
    )
    let changed = 0
    for (const text of texts)
      for (const r of quoting.all(JSON.stringify(text).slice(1, -1), text)) {
        const filter = JSON.stringify(erasedDetails(JSON.parse(r.filter), texts))
        const scheme = erasedQuotes(r.scheme, texts)
        if (filter !== r.filter || scheme !== r.scheme) changed += set.run(filter, scheme, r.id).changes
      }
    return changed
  }
}
