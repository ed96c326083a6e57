import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {FIELD_NAMES, MONEY_FIELDS} from '../../src/core/fields.js'
import {parseFen} from '../../src/core/money.js'
import {columnFor} from '../../src/db/columns.js'
import {openPostgres} from '../../src/db/connection.js'
import {dbTarget} from '../../src/db/target.js'
import type {Book} from './backends.js'
import {crm} from './cli.js'

/** A customer to seed: crm's field names (money as yuan text, type as individual or corporate); others are kept. */
export type SeedCustomer = Record<string, string>

/**
 * Customers put into a test's book: imported by crm on a SQLite book; on a PostgreSQL one written with plain INSERTs
 * under one import batch, as an import leaves them (until customer import runs there). Empty values are NULL.
 */
export function seedCustomers(book: Book, customers: readonly SeedCustomer[]): void {
  const target = dbTarget(book.db)
  const keys = [...new Set(customers.flatMap((c) => Object.keys(c)))]
  if (target.kind === 'sqlite') {
    const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`
    const lines = [keys, ...customers.map((c) => keys.map((k) => c[k] ?? ''))].map((r) => r.map(quoted).join(','))
    const file = join(book.dir, 'seed.csv')
    writeFileSync(file, lines.join('\n'))
    const result = crm(['customer', 'import', file, '--db', book.db])
    if (result.code !== 0) throw new Error(`seeding failed: ${result.stderr}`)
    return
  }
  const fields = keys.filter((k) => FIELD_NAMES.includes(k))
  const columns = fields.map(columnFor)
  const db = openPostgres(target)
  try {
    db.transaction(() => {
      const batch = db.value<number>(
        `INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, finished_at, status)
          VALUES ('customers', 'seed.csv', '', 'upsert', 'test', now(), now(), 'complete') RETURNING id`,
      )
      const at = (i: number) => `$${i + 1}`
      for (const c of customers) {
        const values = fields.map((f) => {
          const text = c[f] ?? ''
          if (text === '') return null
          return MONEY_FIELDS.includes(f) ? String(parseFen(text)) : text
        })
        const extra = Object.fromEntries(keys.filter((k) => !fields.includes(k) && c[k]).map((k) => [k, c[k]]))
        db.run(
          `INSERT INTO customers (${columns.join(', ')}, extra, created_batch_id, updated_batch_id)
            VALUES (${fields.map((_, i) => at(i)).join(', ')}, ${at(fields.length)}::jsonb, ${at(fields.length + 1)},
              ${at(fields.length + 1)})`,
          [...values, JSON.stringify(extra), batch],
        )
      }
    })
  } finally {
    db.close()
  }
}

/** SeedCustomers from CSV lines without quotes (a header, then rows). */
export function seedRecords(lines: readonly string[]): SeedCustomer[] {
  const [header, ...rows] = lines.map((line) => line.split(','))
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] ?? ''])))
}

/** Rows a query gives on the book (SQLite or PostgreSQL: the SQL must suit both), for checks beside the CLI's. */
export function queryBook<R = Record<string, unknown>>(book: Book, sql: string): R[] {
  const target = dbTarget(book.db)
  if (target.kind === 'sqlite') {
    const db = new Database(target.file, {readonly: true})
    try {
      return db.prepare(sql).all() as R[]
    } finally {
      db.close()
    }
  }
  const db = openPostgres(target)
  try {
    return db.all<R>(sql)
  } finally {
    db.close()
  }
}
