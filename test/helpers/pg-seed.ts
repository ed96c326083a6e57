import {join} from 'node:path'
import Database from 'better-sqlite3'
import {openPostgres} from '../../src/db/connection.js'
import {dbTarget} from '../../src/db/target.js'
import type {Book} from './backends.js'
import {type CliResult, crm} from './cli.js'

// Tables in the order their references need; results and the undo journal name their customer by customer_id on
// PostgreSQL, by its row (customer_ref) on SQLite.
const TABLES = [
  'import_batches',
  'customers',
  'audit_log',
  'contacts',
  'classification_runs',
  'classification_results',
  'customer_changes',
]
const BY_CUSTOMER_REF = new Set(['classification_results', 'customer_changes'])

/**
 * A book made on SQLite copied into a PostgreSQL book, row for row (ids, times, kept columns), so that what reads a
 * PostgreSQL book is tested on the same data before the commands that write one are built. JSON columns are copied as
 * the values they hold; identities continue after the copied ids.
 */
export function copySqliteBook(file: string, url: string): void {
  const target = dbTarget(url)
  if (target.kind !== 'postgres') throw new Error(`not a PostgreSQL URL: ${url}`)
  const source = new Database(file, {readonly: true})
  const pg = openPostgres(target)
  try {
    pg.transaction(() => {
      for (const table of TABLES) {
        // The columns both books have (a PostgreSQL column SQLite lacks, such as db_role, keeps its default).
        const own = new Set([
          ...(source.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]),
          ...(BY_CUSTOMER_REF.has(table) ? ['customer_id'] : []),
        ])
        const columns = pg
          .all<{name: string; type: string; identity: string}>(
            `SELECT column_name AS name, data_type AS type, is_identity AS identity FROM information_schema.columns
              WHERE table_schema = $1 AND table_name = $2`,
            [target.schema, table],
          )
          .filter((c) => own.has(c.name))
        const json = new Set(columns.filter((c) => c.type === 'json' || c.type === 'jsonb').map((c) => c.name))
        const select = BY_CUSTOMER_REF.has(table)
          ? `SELECT t.*, c.customer_id FROM ${table} t JOIN customers c ON c.id = t.customer_ref`
          : `SELECT * FROM ${table}`
        // Integers as bigints, so that amounts past 2^53 fen keep every digit (written as text, which PostgreSQL casts).
        const rows = (source.prepare(select).safeIntegers().all() as Record<string, unknown>[]).map((row) => {
          const copy: Record<string, unknown> = {}
          for (const {name} of columns) {
            const value = row[name]
            copy[name] = json.has(name) && typeof value === 'string' ? parsedOr(value) : value
          }
          return copy
        })
        if (rows.length === 0) continue
        const names = columns.map((c) => `"${c.name}"`).join(', ')
        pg.run(`INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, $1)`, [
          JSON.stringify(rows, (_, value) => (typeof value === 'bigint' ? String(value) : value)),
        ])
        if (columns.some((c) => c.name === 'id' && c.identity === 'YES'))
          pg.value(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`)
      }
    })
  } finally {
    pg.close()
    source.close()
  }
}

/** A JSON text as its value; text that is not JSON stays a JSON string. */
function parsedOr(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/**
 * A book of `backend` made by `make` (crm commands on a SQLite file): on SQLite that file itself, on PostgreSQL the
 * same data copied into the PostgreSQL book.
 */
export function seededBook(book: Book, postgres: boolean, make: (sqliteFile: string) => void): void {
  if (!postgres) {
    make(book.db)
    return
  }
  const file = join(book.dir, 'seed.db')
  make(file)
  copySqliteBook(file, book.db)
}

/** Customers into a book (either backend) from a file, by `crm customer import`. */
export function importCustomers(book: Book, file: string, args: readonly string[] = []): CliResult {
  return crm(['customer', 'import', file, ...args], {env: {CRM_DB: book.db}})
}
