import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {PgDatabase} from '../../src/db/postgres/connection.js'
import {customerRepository} from '../../src/db/repositories/customers.js'
import {dbTarget} from '../../src/db/target.js'
import {describePostgres, postgresBook} from '../helpers/backends.js'
import {crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {copySqliteBook} from '../helpers/pg-seed.js'

// The PostgreSQL customer repository against the SQLite one on the same classified book: --tier (each customer's
// tier in the newest of the runs that classified it), counts, and a customer by id.
describePostgres('customers on a PostgreSQL book read as on SQLite', () => {
  const sqlite = tempDir()
  const pg = postgresBook()
  let runs: number[] = []
  let lite: Database.Database
  let book: PgDatabase
  beforeAll(() => {
    expect(crm(['customer', 'import', join(ROOT, 'data/customers.csv'), '--db', sqlite.db]).code).toBe(0)
    const classify = (asOf: string) =>
      json<{run: number}>(crm(['classify', '--scheme', 'retail-aum', '--as-of', asOf, '--json', '--db', sqlite.db])).run
    runs = [classify('2026-11-01'), classify('2026-11-28')]
    copySqliteBook(sqlite.db, pg.db)
    lite = new Database(sqlite.db, {readonly: true})
    const target = dbTarget(pg.db)
    if (target.kind !== 'postgres') throw new Error('not postgres')
    book = new PgDatabase(target)
  })
  afterAll(() => {
    book?.close()
    lite?.close()
    sqlite.cleanup()
    pg.cleanup()
  })

  it('selects each tier of the newest run as SQLite does, and counts the same', () => {
    const tiers = lite
      .prepare('SELECT DISTINCT tier FROM classification_results ORDER BY tier')
      .pluck()
      .all() as string[]
    expect(tiers.length).toBeGreaterThan(1)
    let listed = 0
    for (const tier of tiers) {
      const filter = {tier: {runs, tier}, branch: '上海分行浦东支行'}
      const ids = (db: Database.Database | PgDatabase) =>
        customerRepository(db)
          .list(filter)
          .map((c) => c.values.customer_id)
      expect(ids(book)).toEqual(ids(lite))
      listed += ids(book).length
      expect(customerRepository(book).count(filter)).toBe(customerRepository(lite).count(filter))
    }
    expect(listed).toBeGreaterThan(10)
  })

  it('reads a customer whole: every field, the kept columns and the times', () => {
    expect(customerRepository(book).find('C100000001')).toEqual(customerRepository(lite).find('C100000001'))
    expect(customerRepository(book).find('nobody')).toBeUndefined()
  })
})
