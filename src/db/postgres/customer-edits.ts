import {instantForPeople} from '../../core/dates.js'
import {
  ERASED_CONTACT_FIELDS,
  ERASED_CUSTOMER_FIELDS,
  ERASED_EXTRA,
  erasedDetails,
  erasedQuotes,
  erasedReason,
  erasedValues,
  type FieldChange,
  jsonValue,
  oldValues,
  personalTexts,
} from '../../core/edits.js'
import {FIELD_NAMES, MONEY_FIELDS} from '../../core/fields.js'
import {en} from '../../core/messages.js'
import type {FieldValue} from '../../core/row-validator.js'
import {ExitCode, UserError} from '../../errors.js'
import {columnFor, readFen} from '../columns.js'
import type {CustomerEditRepository, Deletion, EraseDone, StoredCustomer, Who} from '../repositories/customer-edits.js'
import {postgresAuditInsert} from './audit.js'
import type {PgDatabase} from './connection.js'
import {isoInstant} from './sql.js'

type Row = Record<string, FieldValue> & {ref: number; deletedAt: string | null; erasedAt: string | null}

/** A value bound as a parameter: fen beyond 2^53 (a bigint) as its digits. */
const bound = (value: FieldValue): unknown => (typeof value === 'bigint' ? value.toString() : value)

/** The audit entry of a customer's (or contact's) delete: when and by whom (deletionOf on SQLite). */
export function deletionOfPostgres(db: PgDatabase, action: string, key: string, value: string | number): Deletion {
  return (
    db.get<Deletion>(
      `SELECT ${isoInstant('at')} AS at, actor FROM audit_log WHERE action = $1 AND (details -> $2)::jsonb = $3::jsonb
        ORDER BY id DESC LIMIT 1`,
      [action, key, JSON.stringify(value)],
    ) ?? {at: '?', actor: '?'}
  )
}

/** The error for a deleted customer's id (named as deleted or erased, when and by whom), or undefined. */
export function deletedCustomerErrorPostgres(db: PgDatabase, customerId: string): Error | undefined {
  const row = db.get<{deleted: string; erased: string | null}>(
    `SELECT ${isoInstant('deleted_at')} AS deleted, ${isoInstant('erased_at')} AS erased FROM customers
      WHERE customer_id = $1 AND deleted_at IS NOT NULL`,
    [customerId],
  )
  if (row === undefined) return undefined
  if (row.erased !== null) {
    const by = deletionOfPostgres(db, 'customer.erase', 'customer_id', customerId)
    return new UserError(
      en('customerWasErased', {id: customerId, at: instantForPeople(row.erased), actor: by.actor}),
      ExitCode.NotFound,
    )
  }
  const by = deletionOfPostgres(db, 'customer.delete', 'customer_id', customerId)
  return new UserError(
    en('customerWasDeleted', {id: customerId, at: instantForPeople(row.deleted), actor: by.actor}),
    ExitCode.NotFound,
  )
}

/**
 * Customer edits, deletes and erases on PostgreSQL, as on SQLite: each one transaction, audited, the edits journalled
 * for undo (customer_changes, keyed by customer_id). An erase leaves no VACUUM to run here: the server keeps dead row
 * versions until its own vacuum reclaims them (the README, under Erase, says what the DBA runs).
 */
export function postgresCustomerEditRepository(db: PgDatabase): CustomerEditRepository {
  const audit = postgresAuditInsert(db)
  const record = (who: Who, action: string, details: Record<string, unknown>, at = new Date().toISOString()) =>
    Number(
      audit.run({at, actor: who.actor, command: who.command, action, rows: 1, details: JSON.stringify(details)})
        .lastInsertRowid,
    )
  const customerId = (customer: StoredCustomer) => String(customer.values.customer_id)

  return {
    find: (id: string): StoredCustomer | undefined => {
      const row = db.get<Row>(
        `SELECT c.id AS ref, ${FIELD_NAMES.map((f) => `c.${columnFor(f)} AS "${f}"`).join(', ')},
          ${isoInstant('c.deleted_at')} AS "deletedAt", ${isoInstant('c.erased_at')} AS "erasedAt"
        FROM customers c WHERE c.customer_id = $1`,
        [id],
      )
      if (row === undefined) return undefined
      const values: Record<string, FieldValue> = {}
      for (const f of FIELD_NAMES) values[f] = MONEY_FIELDS.includes(f) ? readFen(row[f]) : row[f]
      return {ref: row.ref, values, deletedAt: row.deletedAt, erasedAt: row.erasedAt}
    },
    deletion: (id: string): Deletion => deletionOfPostgres(db, 'customer.delete', 'customer_id', id),

    history: (customer: StoredCustomer) => ({
      contacts: db.value<number>('SELECT count(*) FROM contacts WHERE customer_id = $1 AND deleted_at IS NULL', [
        customerId(customer),
      ])!,
      results: db.value<number>('SELECT count(*) FROM classification_results WHERE customer_id = $1', [
        customerId(customer),
      ])!,
    }),

    edit: (customer: StoredCustomer, changes: readonly FieldChange[], who: Who): number =>
      db.transaction(() => {
        // Column names from crm's own field list (columnFor), values bound.
        const columns = changes.map((c, i) => `${columnFor(c.field)} = $${i + 2}`).join(', ')
        db.run(`UPDATE customers SET ${columns} WHERE customer_id = $1`, [
          customerId(customer),
          ...changes.map((c) => bound(c.new)),
        ])
        const auditId = record(who, 'customer.edit', {
          customer_id: customer.values.customer_id,
          changes: changes.map((c) => ({field: c.field, old: jsonValue(c.old), new: jsonValue(c.new)})),
        })
        db.run(
          'INSERT INTO customer_changes (customer_id, batch_id, audit_id, old_values) VALUES ($1, NULL, $2, $3::jsonb)',
          [customerId(customer), auditId, JSON.stringify(oldValues(changes))],
        )
        return auditId
      }),

    delete: (customer: StoredCustomer, history: {contacts: number; results: number}, forced: boolean, who: Who) =>
      db.transaction(() => {
        const at = new Date().toISOString()
        db.run('UPDATE customers SET deleted_at = $1 WHERE customer_id = $2 AND deleted_at IS NULL', [
          at,
          customerId(customer),
        ])
        record(
          who,
          'customer.delete',
          {customer_id: customer.values.customer_id, contacts: history.contacts, tier_results: history.results, forced},
          at,
        )
        return at
      }),

    erase: (customer: StoredCustomer, who: Who): EraseDone => db.transaction(() => eraseAll(customer, who)),
  }

  /** The SQLite path's eraseAll, statement for statement; JSON compared as values (jsonb keeps its own spacing). */
  function eraseAll(customer: StoredCustomer, who: Who): EraseDone {
    const at = new Date().toISOString()
    const id = customerId(customer)
    // The row held until the erase commits: a concurrent edit waits, and then finds it erased.
    const extra = db.value<string>('SELECT extra::text FROM customers WHERE customer_id = $1 FOR UPDATE', [id]) ?? null
    const journalled = db.all<{id: number; old: string}>(
      'SELECT id, old_values::text AS old FROM customer_changes WHERE customer_id = $1',
      [id],
    )
    const texts = erasedTexts([
      {...customer.values, extra},
      ...journalled.map((j) => JSON.parse(j.old) as Record<string, unknown>),
    ])
    db.run(
      `UPDATE customers SET ${ERASED_CUSTOMER_FIELDS.map((f) => `${f} = ${f === 'name' ? "''" : 'NULL'}`).join(', ')},
        extra = $1::jsonb, erased_at = coalesce(erased_at, $2), deleted_at = coalesce(deleted_at, $2)
      WHERE customer_id = $3`,
      [ERASED_EXTRA, at, id],
    )
    const contacts = db.run(
      `UPDATE contacts SET ${ERASED_CONTACT_FIELDS.map((f) => `${f} = NULL`).join(', ')},
        notes_key = 'erased:' || id WHERE customer_id = $1`,
      [id],
    ).changes
    let results = 0
    for (const r of db.all<{run: number; reason: string}>(
      'SELECT run_id AS run, reason FROM classification_results WHERE customer_id = $1',
      [id],
    )) {
      const blank = texts.reduce((reason, text) => reason.replaceAll(text, ''), erasedReason(r.reason))
      if (blank !== r.reason)
        results += db.run('UPDATE classification_results SET reason = $1 WHERE customer_id = $2 AND run_id = $3', [
          blank,
          id,
          r.run,
        ]).changes
    }
    let journalRows = 0
    for (const j of journalled)
      journalRows += setJson(
        'customer_changes',
        'old_values',
        {customer_id: id, id: j.id},
        erasedValues(JSON.parse(j.old)),
      )
    const entries = eraseFromAudit(id, texts)
    const runs = eraseFromRuns(texts)
    const again = customer.erasedAt !== null
    record(
      who,
      'customer.erase',
      {
        customer_id: id,
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
  }

  /**
   * Sets a JSON column (jsonb, or the audit log's json) of one row to `value` where it differs; 1 if it did. Table,
   * column and keys are crm's own.
   */
  function setJson(table: string, column: string, keys: Record<string, unknown>, value: unknown): number {
    const names = Object.keys(keys)
    return db.run(
      `UPDATE ${table} SET ${column} = $1::jsonb WHERE ${names.map((k, i) => `${k} = $${i + 2}`).join(' AND ')}
        AND ${column}::jsonb IS DISTINCT FROM $1::jsonb`,
      [JSON.stringify(value), ...Object.values(keys)],
    ).changes
  }

  function erasedTexts(records: readonly Record<string, unknown>[]): string[] {
    return [...new Set(records.flatMap((r) => personalTexts(r)))].sort((a, b) => b.length - a.length)
  }

  /**
   * The SQLite path's eraseFromAudit: the customer's edits' personal values, then its values wherever quoted; counted
   * as it counts them (each update that changed an entry).
   */
  function eraseFromAudit(id: string, texts: readonly string[]): number {
    let changed = 0
    for (const e of db.all<{id: number; details: string}>(
      `SELECT id, details::text AS details FROM audit_log WHERE details ->> 'customer_id' = $1`,
      [id],
    )) {
      const details = JSON.parse(e.details) as {changes?: {field: string; old: unknown; new: unknown}[]}
      if (!Array.isArray(details.changes)) continue
      details.changes = details.changes.map((c) =>
        ERASED_CUSTOMER_FIELDS.includes(c.field) || ERASED_CONTACT_FIELDS.includes(c.field)
          ? {...c, old: null, new: null}
          : c,
      )
      changed += setJson('audit_log', 'details', {id: e.id}, details)
    }
    for (const text of texts)
      for (const e of db.all<{id: number; details: string}>(
        'SELECT id, details::text AS details FROM audit_log WHERE strpos(details::text, $1) > 0',
        [JSON.stringify(text).slice(1, -1)],
      ))
        changed += setJson('audit_log', 'details', {id: e.id}, erasedDetails(JSON.parse(e.details), texts))
    return changed
  }

  /** The SQLite path's eraseFromRuns: a quote of the customer's values in a run's --where or scheme text. */
  function eraseFromRuns(texts: readonly string[]): number {
    let changed = 0
    for (const text of texts)
      for (const r of db.all<{id: number; filter: string; scheme: string}>(
        `SELECT id, filter::text AS filter, scheme_text AS scheme FROM classification_runs
          WHERE strpos(filter::text, $1) > 0 OR strpos(scheme_text, $2) > 0`,
        [JSON.stringify(text).slice(1, -1), text],
      )) {
        const scheme = erasedQuotes(r.scheme, texts)
        changed += db.run(
          `UPDATE classification_runs SET filter = $1::jsonb, scheme_text = $2 WHERE id = $3
            AND (filter IS DISTINCT FROM $1::jsonb OR scheme_text IS DISTINCT FROM $2)`,
          [JSON.stringify(erasedDetails(JSON.parse(r.filter), texts)), scheme, r.id],
        ).changes
      }
    return changed
  }
}
