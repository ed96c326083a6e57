import type {Customer, CustomerFilter, OutputOptions, WrittenRecords} from '../../core/customer.js'
import {customerRecord, SEARCH_MAX_LENGTH} from '../../core/customer.js'
import {CUSTOMER_FIELDS, FIELD_NAMES} from '../../core/fields.js'
import type {FieldValue} from '../../core/row-validator.js'
import {unknownCustomerHint} from '../../core/suggest.js'
import {notFound} from '../../errors.js'
import {cellText} from '../../core/cell-text.js'
import {columnFor} from '../columns.js'
import {RECORD_KEYS} from '../customer-record.js'
import {customerOrderKeyPostgres} from '../customer-order.js'
import {deletedCustomer} from '../repositories/customer-edits.js'
import {keptColumns, searchParams, similarPatterns, type sqliteCustomerRepository} from '../repositories/customers.js'
import type {PgDatabase} from './connection.js'
import {asciiLower, isoDate, isoInstant} from './sql.js'

/** Rows a page of a listing or an export holds: memory stays flat at any size of book. */
const PAGE = 1000

// The fields as the SQLite book stores them (days as YYYY-MM-DD text, money as fen), then the kept columns and the
// times of the batches that created and last changed the customer. Columns only from the field specs.
const SELECT_CUSTOMER = `SELECT ${CUSTOMER_FIELDS.map((f) =>
  f.kind === 'date' ? isoDate(`c.${f.name}`) : `c.${columnFor(f.name)}`,
).join(', ')}, c.extra::text, ${isoInstant('cb.started_at')}, ${isoInstant('ub.started_at')}
  FROM customers c LEFT JOIN import_batches cb ON cb.id = c.created_batch_id
    LEFT JOIN import_batches ub ON ub.id = c.updated_batch_id`

const ORDER_KEY = customerOrderKeyPostgres('c.customer_id')

// The filter of the SQLite path (repositories/customers.ts), its parameters by position: $1 branch, $2 rm, $3 type,
// $4 the search as a LIKE pattern, $5 a customer number, $6 a phone's last four, $7 an ID number, $8 the runs and $9
// the tier of --tier. Case is folded as SQLite's NOCASE and LIKE fold it.
const FILTER = `c.deleted_at IS NULL
  AND ($1::text IS NULL OR ${asciiLower('c.branch')} = ${asciiLower('$1')})
  AND ($2::text IS NULL OR ${asciiLower('c.rm')} = ${asciiLower('$2')})
  AND ($3::text IS NULL OR c.type = $3)
  AND ($4::text IS NULL OR ${asciiLower('c.name')} LIKE ${asciiLower('$4')} ESCAPE '\\'
    OR ${asciiLower('c.customer_id')} LIKE ${asciiLower('$4')} ESCAPE '\\'
    OR c.customer_id = $5::text OR right(c.phone, 4) = $6::text OR c.id_number = $7::text)
  AND ($8::bigint[] IS NULL OR (SELECT x.tier FROM classification_results x WHERE x.customer_id = c.customer_id
    AND x.run_id = ANY ($8::bigint[]) ORDER BY x.run_id DESC LIMIT 1) = $9::text)`

function filterParams(filter: CustomerFilter): unknown[] {
  const search = searchParams(filter.search)
  return [
    filter.branch ?? null,
    filter.rm ?? null,
    filter.type ?? null,
    search.search,
    search.searchKey,
    search.lastFour,
    search.idNumber,
    filter.tier ? [...filter.tier.runs] : null,
    filter.tier?.tier ?? null,
  ]
}

/** A limit as LIMIT's parameter: none (all rows) when not given or negative. */
const limitOf = (filter: CustomerFilter) => (filter.limit === undefined || filter.limit < 0 ? null : filter.limit)

const LIST = `${SELECT_CUSTOMER} WHERE ${FILTER} ORDER BY ${ORDER_KEY} LIMIT $10`

function toCustomer(row: unknown[]): Customer {
  const values: Record<string, FieldValue> = {}
  for (const [i, f] of FIELD_NAMES.entries()) values[f] = row[i] as FieldValue
  const n = FIELD_NAMES.length
  return {
    values,
    extra: keptColumns(row[n] as string, String(row[0])),
    createdAt: row[n + 1] as string,
    updatedAt: row[n + 2] as string,
  }
}

/**
 * The customers of a PostgreSQL book, as repositories/customers.ts reads a SQLite one. Rows come raw, through a
 * cursor a page at a time, and JS writes their records with the same functions as the SQLite path's JS (customerRecord
 * and the row writer's cell), so that both books give the same bytes.
 */
export function postgresCustomerRepository(db: PgDatabase): ReturnType<typeof sqliteCustomerRepository> {
  const byId = (customerId: string) =>
    db.rows(`${SELECT_CUSTOMER} WHERE c.customer_id = $1 AND c.deleted_at IS NULL`, [customerId])[0]
  const deletedError = (customerId: string): Error | undefined => {
    const row = db.get<{deleted: string; erased: string | null}>(
      `SELECT ${isoInstant('deleted_at')} AS deleted, ${isoInstant('erased_at')} AS erased FROM customers
        WHERE customer_id = $1 AND deleted_at IS NOT NULL`,
      [customerId],
    )
    if (row === undefined) return undefined
    const by = db.get<{at: string; actor: string}>(
      `SELECT ${isoInstant('at')} AS at, actor FROM audit_log WHERE action = $1 AND details->>'customer_id' = $2
        ORDER BY id DESC LIMIT 1`,
      [row.erased === null ? 'customer.delete' : 'customer.erase', customerId],
    )
    return deletedCustomer(customerId, row, by ?? {at: '?', actor: '?'})
  }
  const similarCustomers = (text: string): {customerId: string; name: string}[] => {
    if (text.length > SEARCH_MAX_LENGTH) return []
    const {text: contains, prefix} = similarPatterns(text)
    return db
      .all<{customer_id: string; name: string}>(
        `SELECT customer_id, name FROM customers WHERE deleted_at IS NULL
          AND (${asciiLower('customer_id')} LIKE ${asciiLower('$1')} ESCAPE '\\'
            OR ${asciiLower('name')} LIKE ${asciiLower('$2')} ESCAPE '\\')
          ORDER BY customer_id COLLATE "C" LIMIT 200`,
        [prefix, contains],
      )
      .map((r) => ({customerId: r.customer_id, name: r.name}))
  }
  /** The rows of a filter, a page at a time (nothing else may use the connection meanwhile). */
  const pages = (filter: CustomerFilter) =>
    db.pages<unknown[]>(LIST, [...filterParams(filter), limitOf(filter)], {size: PAGE, array: true})
  return {
    find: (customerId: string): Customer | undefined => {
      const row = byId(customerId)
      return row && toCustomer(row)
    },
    findOrFail: (customerId: string): Customer => {
      const row = byId(customerId)
      if (row !== undefined) return toCustomer(row)
      const deleted = deletedError(customerId)
      if (deleted !== undefined) throw deleted
      return notFound(
        `no customer with customer_id "${customerId}"`,
        unknownCustomerHint(customerId, similarCustomers(customerId)),
      )
    },
    list: (filter: CustomerFilter = {}): Customer[] =>
      db.rows(LIST, [...filterParams(filter), limitOf(filter)]).map(toCustomer),
    *each(filter: CustomerFilter = {}): Generator<Customer> {
      for (const page of pages(filter)) yield* page.map(toCustomer)
    },
    /** Each page's records written by JS as the SQLite path's SQL writes them (test/db/customer-record.test.ts). */
    *eachWritten(
      filter: CustomerFilter,
      options: OutputOptions,
      format: 'json' | 'ndjson' | 'csv' | 'tsv',
      cell: (text: string) => string,
      between: string,
    ): Generator<WrittenRecords> {
      const separator = format === 'csv' ? ',' : '\t'
      const write =
        format === 'json' || format === 'ndjson'
          ? (customer: Customer) => JSON.stringify(customerRecord(customer, options))
          : (customer: Customer) => {
              const record = customerRecord(customer, options) as Record<string, unknown>
              return RECORD_KEYS.map((key) => cell(cellText(record[key]))).join(separator)
            }
      for (const page of pages(filter)) {
        yield {bytes: Buffer.from(page.map((row) => write(toCustomer(row))).join(between)), rows: page.length}
      }
    },
    count: (filter: CustomerFilter = {}): number =>
      Number(db.value(`SELECT count(*) FROM customers c WHERE ${FILTER}`, filterParams(filter))),
  }
}
