import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {openPostgres} from '../../src/db/connection.js'
import {dbTarget} from '../../src/db/target.js'
import type {Book} from './backends.js'
import {crm} from './cli.js'

/**
 * Customers put into a test's book from CSV lines (a header of customers' text columns, then rows): imported by crm
 * on a SQLite book; on a PostgreSQL one written with plain INSERTs under one import batch, as an import leaves them
 * (until customer import runs there). Empty cells are NULL.
 */
export function seedCustomers(book: Book, lines: readonly string[]): void {
  const target = dbTarget(book.db)
  if (target.kind === 'sqlite') {
    const file = join(book.dir, 'seed.csv')
    writeFileSync(file, lines.join('\n'))
    const result = crm(['customer', 'import', file, '--db', book.db])
    if (result.code !== 0) throw new Error(`seeding failed: ${result.stderr}`)
    return
  }
  const [header, ...rows] = lines.map((line) => line.split(','))
  const db = openPostgres(target)
  try {
    db.transaction(() => {
      const batch = db.value<number>(
        `INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, finished_at, status)
          VALUES ('customers', 'seed.csv', '', 'upsert', 'test', now(), now(), 'complete') RETURNING id`,
      )
      for (const row of rows)
        db.run(
          `INSERT INTO customers (${header.join(', ')}, created_batch_id, updated_batch_id)
            VALUES (${header.map((_, i) => `$${i + 1}`).join(', ')}, $${header.length + 1}, $${header.length + 1})`,
          [...row.map((cell) => (cell === '' ? null : cell)), batch],
        )
    })
  } finally {
    db.close()
  }
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
