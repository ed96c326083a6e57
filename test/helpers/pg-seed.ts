import {join} from 'node:path'
import Database from 'better-sqlite3'
import {openPostgres} from '../../src/db/connection.js'
import {nativeBinding} from '../../src/db/native-binding.js'
import {dbTarget} from '../../src/db/target.js'
import type {Book} from './backends.js'
import {type CliResult, crm} from './cli.js'

const ROWS_PER_INSERT = 2000

/**
 * Customers into a book from a file, by `crm customer import`. A PostgreSQL book cannot import yet (another part of
 * issue 18): the file is imported into a SQLite book beside it, and its customers copied over with plain INSERTs,
 * as they are stored (ids, fen, dates, kept columns).
 */
export function importCustomers(book: Book, file: string, args: readonly string[] = []): CliResult {
  if (!book.db.startsWith('postgres')) return crm(['customer', 'import', file, ...args], {env: {CRM_DB: book.db}})
  const staging = join(book.dir, 'staging.db')
  const result = crm(['customer', 'import', file, ...args], {env: {CRM_DB: staging}})
  if (result.code === 0) copyCustomers(staging, book.db)
  return result
}

/** A SQLite book's customers copied into a PostgreSQL book's (created and migrated when new). */
export function copyCustomers(sqliteFile: string, url: string): void {
  const target = dbTarget(url)
  if (target.kind !== 'postgres') throw new Error(`not a PostgreSQL URL: ${url}`)
  const from = new Database(sqliteFile, {readonly: true, nativeBinding})
  const to = openPostgres(target)
  try {
    const rows = from.prepare('SELECT * FROM customers ORDER BY id').all() as ({customer_id: string} & Record<
      string,
      unknown
    >)[]
    for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
      const page = rows
        .slice(at, at + ROWS_PER_INSERT)
        .map((r) => ({...r, extra: JSON.parse((r.extra as string | null) ?? '{}') as unknown}))
      // A file imported again updates its customers: they are replaced here (no contact refers to them yet).
      to.run('DELETE FROM customers WHERE customer_id = ANY($1::text[])', [page.map((r) => r.customer_id)])
      to.run('INSERT INTO customers SELECT * FROM jsonb_populate_recordset(NULL::customers, $1::jsonb)', [
        JSON.stringify(page),
      ])
    }
    to.exec(
      "SELECT setval(pg_get_serial_sequence('customers', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM customers))",
    )
  } finally {
    from.close()
    to.close()
  }
}
