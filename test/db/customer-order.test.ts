import Database from 'better-sqlite3'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {customerOrderKey} from '../../src/db/customer-order.js'
import {migrate} from '../../src/db/migrations.js'
import {customerRepository} from '../../src/db/repositories/customers.js'

// Tables list customer numbers of digits by value (1, 2, 10), then the others as text; pages of written records
// continue after the last key. Checked against an order computed in JS, on random customer numbers.

function book(ids: readonly string[]): Database.Database {
  const db = new Database(':memory:')
  migrate(db)
  db.exec(`INSERT INTO import_batches (id, kind, file_name, sha256, mode, actor, started_at, status)
    VALUES (1, 'customers', 'book.csv', '', 'upsert', 'test', '2026-11-30T00:00:00Z', 'complete')`)
  const insert = db.prepare(
    "INSERT INTO customers (customer_id, name, type, extra, created_batch_id, updated_batch_id) VALUES (?, 'x', 'individual', '{}', 1, 1)",
  )
  for (const id of ids) insert.run(id)
  return db
}

/** The expected order: numbers by value (then as written: 007 before 7), then texts by their UTF-8 bytes. */
function expected(ids: readonly string[]): string[] {
  const numeric = (id: string) => /^[0-9]+$/.test(id)
  return [...ids].sort((a, b) => {
    if (numeric(a) !== numeric(b)) return numeric(a) ? -1 : 1
    if (numeric(a)) {
      const [x, y] = [BigInt(a), BigInt(b)]
      if (x !== y) return x < y ? -1 : 1
    }
    return Buffer.compare(Buffer.from(a), Buffer.from(b))
  })
}

const listed = (db: Database.Database) =>
  customerRepository(db)
    .list()
    .map((c) => String(c.values.customer_id))

/** The customer numbers of the JSON records written a page at a time. */
function written(db: Database.Database): string[] {
  const ids: string[] = []
  for (const page of customerRepository(db).eachWritten({}, {reveal: false}, 'ndjson', (t) => t, '\n'))
    for (const line of Buffer.from(page.bytes).toString('utf8').split('\n')) ids.push(JSON.parse(line).customer_id)
  return ids
}

describe('the order customers are listed in', () => {
  it('lists numbers by value, then texts: 1, 2, 10, 107, then C7', () => {
    const db = book(['107', '10', 'C7', '2', '1', '007', '7', 'A1', '0', '99999999999999999999'])
    expect(listed(db)).toEqual(['0', '1', '2', '007', '7', '10', '107', '99999999999999999999', 'A1', 'C7'])
  })

  it('lists any customer numbers in the expected order, in a table and in pages of written records', () => {
    const id = fc.oneof(
      fc.stringMatching(/^[0-9]{1,12}$/),
      fc.stringMatching(/^[0-9A-Za-z]{1,6}$/),
      fc.constantFrom('王伟', 'Ｃ７', '-1', '1.5', ' 1'),
    )
    fc.assert(
      fc.property(fc.uniqueArray(id, {minLength: 1, maxLength: 700}), (ids) => {
        const db = book(ids)
        expect(listed(db)).toEqual(expected(ids))
        expect(written(db)).toEqual(expected(ids))
      }),
      {numRuns: 25},
    )
  })

  it('reads the index in order for a list and for each next page, without sorting', () => {
    const db = book([])
    const plan = (sql: string) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all({after: '0'})
        .map((r: any) => r.detail)
        .join('; ')
    const key = customerOrderKey('c.customer_id')
    expect(plan(`SELECT c.name FROM customers c ORDER BY ${key} LIMIT 10`)).toContain('customers_id_order')
    const next = plan(`SELECT c.name FROM customers c WHERE ${key} > @after ORDER BY ${key} LIMIT 10`)
    expect(next).toMatch(/SEARCH c USING INDEX customers_id_order/)
    expect(next).not.toContain('TEMP B-TREE')
  })
})
