import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresCustomerRepository} from '../postgres/customers.js'
import type {Database, Statement} from 'better-sqlite3'
import {
  type Customer,
  type CustomerFilter,
  type OutputOptions,
  SEARCH_MAX_LENGTH,
  type WrittenRecords,
} from '../../core/customer.js'
import {FIELD_NAMES, MONEY_FIELDS} from '../../core/fields.js'
import {maskedExtrasJson} from '../../core/masking.js'
import type {FieldValue} from '../../core/row-validator.js'
import {unknownCustomerHint} from '../../core/suggest.js'
import {ExitCode, notFound, UserError} from '../../errors.js'
import {readColumn, readFen} from '../columns.js'
import {
  batchTimesSql,
  RECORD_FROM,
  RECORD_JOINS,
  recordCheckedSql,
  recordJsonBytesSql,
  recordLineSql,
} from '../customer-record.js'
import {writtenPageOverSql, writtenPageSql, writtenPages} from '../written-pages.js'
import {customerOrderKey} from '../customer-order.js'
import {likeContaining} from '../like.js'
import {readCustomerSearch} from '../../core/search.js'
import {deletedCustomerError} from './customer-edits.js'

type CustomerRow = Record<string, FieldValue> & {extra: string; created_at: string; updated_at: string}

// A customer's created and updated times are those of the import batches that created and last changed it.
const FROM_CUSTOMERS =
  'FROM customers c LEFT JOIN import_batches cb ON cb.id = c.created_batch_id LEFT JOIN import_batches ub ON ' +
  'ub.id = c.updated_batch_id'

const SELECT_CUSTOMER = `SELECT ${FIELD_NAMES.map((f) => `${readColumn(f)} AS ${f}`).join(', ')}, c.extra,
    cb.started_at AS created_at, ub.started_at AS updated_at
  ${FROM_CUSTOMERS}`
// A deleted customer (deleted_at) leaves every list, count and export (issue 17 section 2).
const FILTER = `c.deleted_at IS NULL AND (@branch IS NULL OR c.branch = @branch COLLATE NOCASE) AND (@rm IS NULL
  OR c.rm = @rm COLLATE NOCASE) AND (@type IS NULL
  OR c.type = @type)
  AND (@search IS NULL OR c.name LIKE @search ESCAPE '\\' OR c.customer_id LIKE @search ESCAPE '\\'
    OR c.customer_id = @searchKey OR substr(c.phone, -4) = @lastFour OR c.id_number = @idNumber)
  AND (@runs IS NULL OR (SELECT x.tier FROM classification_results x WHERE x.customer_ref = c.id
    AND x.run_id IN (SELECT value FROM json_each(@runs))
    ORDER BY x.run_id DESC LIMIT 1) = @tier)`

// Numeric customer numbers by value, then the others as text (customer-order.ts); the key of each page's last one.
const ORDER_KEY = customerOrderKey('c.customer_id')

function toCustomer(row: CustomerRow): Customer {
  const values: Record<string, FieldValue> = {}
  for (const f of FIELD_NAMES) values[f] = row[f]
  for (const f of MONEY_FIELDS) values[f] = readFen(row[f])
  return {
    values,
    extra: keptColumns(row.extra, String(row.customer_id)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/**
 * A customer's kept columns, as crm stores them: a JSON object. Anything else was written by another program, and
 * is the database's fault, not the output's: said so, with the customer.
 */
export function keptColumns(text: string, customerId?: string): Record<string, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {}
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, string>
  throw new UserError(
    `the database holds ${customerId === undefined ? 'a customer' : `customer ${customerId}`} whose kept columns ` +
      `are damaged (not a JSON object): it was changed by another program`,
    ExitCode.BadInput,
    'crm db check lists every such customer; restore a backup, or import the customer again',
  )
}

/** --search: inside a name or customer number; exactly a customer number, a phone's last four or a whole ID number. */
export function searchParams(text: string | undefined) {
  if (!text) return {search: null, searchKey: null, lastFour: null, idNumber: null}
  const search = readCustomerSearch(text)
  return {search: likeContaining(text), searchKey: search.key, lastFour: search.lastFour, idNumber: search.idNumber}
}

/** "Did you mean": LIKE patterns for ids that start like `text` (all but its last 3) and names that contain it. */
export function similarPatterns(text: string): {text: string; prefix: string} {
  return {
    text: likeContaining(text),
    prefix: `${text.slice(0, Math.max(text.length - 3, 1)).replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
  }
}

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function customerRepository(db: CrmDatabase) {
  if (isPostgres(db)) return postgresCustomerRepository(db)
  return sqliteCustomerRepository(db)
}

export function sqliteCustomerRepository(db: Database) {
  const byId = db.prepare<[string], CustomerRow>(`${SELECT_CUSTOMER} WHERE c.customer_id = ? AND c.deleted_at IS NULL`)
  const listStmt = db.prepare<Record<string, unknown>, CustomerRow>(`${SELECT_CUSTOMER} WHERE ${FILTER}
    ORDER BY ${ORDER_KEY} LIMIT @limit`)
  // The records written by SQLite (customer-record.ts), prepared when first used: masked and revealed differ. They
  // come a page at a time, the page's records joined by SQLite: a row crossing into JS costs more than its record.
  const written = new Map<string, Statement>()
  const writtenStmt = (as: 'json' | 'csv' | 'tsv', options: OutputOptions, next: boolean) => {
    const key = `${as} ${options.reveal} ${next}`
    let stmt = written.get(key)
    if (stmt === undefined) {
      const where = `WHERE ${FILTER}${next ? ` AND ${ORDER_KEY} > @after` : ''} ORDER BY ${ORDER_KEY}`
      // A line tests its stored text once (delimitedLineSql): selected by the page's rows, under the line.
      const sql =
        as === 'json'
          ? writtenPageSql(
              `SELECT ${recordJsonBytesSql(options)} AS record, ${ORDER_KEY} AS k ${RECORD_FROM} ${where}`,
              'max(k)',
            )
          : writtenPageOverSql(
              recordLineSql(options, {format: as, cellFunction: `crm_${as}_cell`}, 'c.checked'),
              `SELECT c.*, ${recordCheckedSql()} AS checked, ${ORDER_KEY} AS k FROM customers c ${where}`,
              'c',
              RECORD_JOINS,
              'max(c.k)',
            )
      stmt = db.prepare(`${batchTimesSql()} ${sql}`).raw()
      written.set(key, stmt)
    }
    return stmt
  }
  const countStmt = db.prepare<Record<string, unknown>>(`SELECT count(*) FROM customers c WHERE ${FILTER}`).pluck()
  const similar = db.prepare<{text: string; prefix: string}, {customer_id: string; name: string}>(`
    SELECT customer_id, name FROM customers WHERE deleted_at IS NULL AND (customer_id LIKE @prefix ESCAPE '\\'
      OR name LIKE @text ESCAPE '\\')
      ORDER BY customer_id LIMIT 200`)
  const params = (filter: CustomerFilter) => ({
    branch: filter.branch ?? null,
    rm: filter.rm ?? null,
    type: filter.type ?? null,
    ...searchParams(filter.search),
    runs: filter.tier ? JSON.stringify(filter.tier.runs) : null,
    tier: filter.tier?.tier ?? null,
    limit: filter.limit ?? -1,
  })
  /** Customers whose id starts like `text` or whose name contains it: candidates for "did you mean". */
  const similarCustomers = (text: string): {customerId: string; name: string}[] =>
    text.length > SEARCH_MAX_LENGTH
      ? []
      : similar.all(similarPatterns(text)).map((r) => ({customerId: r.customer_id, name: r.name}))
  return {
    find: (customerId: string): Customer | undefined => {
      const row = byId.get(customerId)
      return row && toCustomer(row)
    },
    /** The customer, or not found with the nearest customer numbers as the hint. */
    findOrFail: (customerId: string): Customer => {
      const row = byId.get(customerId)
      if (row === undefined) {
        const deleted = deletedCustomerError(db, customerId)
        if (deleted !== undefined) throw deleted
      }
      return row
        ? toCustomer(row)
        : notFound(
            `no customer with customer_id "${customerId}"`,
            unknownCustomerHint(customerId, similarCustomers(customerId)),
          )
    },
    list: (filter: CustomerFilter = {}): Customer[] => listStmt.all(params(filter)).map(toCustomer),
    /**
     * The same customers one at a time, for exports of a whole book (nothing else may use the connection meanwhile).
     */
    *each(filter: CustomerFilter = {}): Generator<Customer> {
      for (const row of listStmt.iterate(params(filter))) yield toCustomer(row)
    },
    /**
     * The same customers' records written by SQLite, in UTF-8: as JSON text (exactly
     * JSON.stringify(customerRecord(...))) for json and ndjson, else as CSV or TSV lines without line ends, in the
     * order of RECORD_KEYS; `cell` is how the writer writes a cell, called for those that could start a formula. They
     * come in pages of records joined by `between`, read in one transaction, so that the pages are of the same book.
     */
    *eachWritten(
      filter: CustomerFilter,
      options: OutputOptions,
      format: 'json' | 'ndjson' | 'csv' | 'tsv',
      cell: (text: string) => string,
      between: string,
    ): Generator<WrittenRecords> {
      // A generator, so the query starts with the first row asked for: an output that cannot be opened leaves the
      // connection free.
      const as = format === 'ndjson' ? 'json' : format
      if (as !== 'json') db.function(`crm_${as}_cell`, {deterministic: true}, (text: unknown) => cell(String(text)))
      db.function('crm_masked_extras', {deterministic: true}, (text: unknown, customerId: unknown) =>
        maskedExtrasJson(String(text), (json) => keptColumns(json, String(customerId))),
      )
      const values = params(filter)
      yield* writtenPages(
        db,
        values.limit,
        (page, after) =>
          writtenStmt(as, options, after !== undefined).get({
            ...values,
            page,
            after: after?.[0] ?? null,
            between,
          }) as unknown[],
      )
    },
    count: (filter: CustomerFilter = {}): number => countStmt.get(params(filter)) as number,
  }
}
