import {afterAll, beforeAll, expect, it} from 'vitest'
import {type Book, describePostgres, POSTGRES} from '../helpers/backends.js'
import {crmLater} from '../helpers/cli-async.js'
import {queryBook, seedCustomers, seedRecords} from '../helpers/seed.js'

// Issue 18: several crm processes logging contacts on one PostgreSQL schema at once lose nothing.
describePostgres('contact log from several processes at once', () => {
  let book: Book
  beforeAll(() => {
    book = POSTGRES.book()
    seedCustomers(book, seedRecords(['customer_id,name,type,rm', 'C1,王伟,individual,RM01', 'C2,李娜,individual,RM02']))
  })
  afterAll(() => book?.cleanup())

  const log = (customer: string, at: string) =>
    crmLater([
      ...['contact', 'log', '--db', book.db, '--customer', customer, '--channel', 'phone', '--purpose', 'review'],
      ...['--at', at, '--follow-up', '2099-01-01', '--json'],
    ])
  const count = (sql: string) => Number(queryBook<{n: number}>(book, `SELECT count(*) AS n FROM ${sql}`)[0].n)

  it('4 processes × 25 logs: every contact stored and audited once, each follow-up closed at most once', async () => {
    // Each worker logs its 25 one after another; the times interleave, so each log may close the others' follow-ups.
    const worker = async (w: number) => {
      const results = []
      for (let i = 0; i < 25; i++) {
        const minute = String(i).padStart(2, '0')
        results.push(await log(i % 2 === 0 ? 'C1' : 'C2', `2026-01-0${w + 1} 10:${minute}`))
      }
      return results
    }
    const results = (await Promise.all([0, 1, 2, 3].map(worker))).flat()
    for (const r of results) expect(r.code, r.stderr).toBe(0)
    const logged = results.map((r) => JSON.parse(r.stdout) as {id: number; created: boolean; closed_follow_ups: number})
    expect(logged.every((l) => l.created)).toBe(true)
    expect(new Set(logged.map((l) => l.id)).size).toBe(100)
    expect(count('contacts')).toBe(100)
    expect(count("audit_log WHERE action = 'contact.log'")).toBe(100)
    // What the logs said they closed is what is closed: no follow-up closed twice, none closed and not said.
    const closed = logged.reduce((sum, l) => sum + l.closed_follow_ups, 0)
    expect(count('contacts WHERE follow_up_closed_at IS NOT NULL')).toBe(closed)
    // Each by a later contact of its own customer.
    expect(
      count(`contacts f JOIN contacts n ON n.customer_id = f.customer_id AND n.id = f.follow_up_closed_by
        WHERE n.at <= f.at`),
    ).toBe(0)
  }, 600_000)

  it('the same contact logged by 4 processes at once is stored once: one created, the others find it', async () => {
    const results = await Promise.all([0, 1, 2, 3].map(() => log('C2', '2026-02-01 09:00')))
    for (const r of results) expect(r.code, r.stderr).toBe(0)
    const logged = results.map((r) => JSON.parse(r.stdout) as {id: number; created: boolean})
    expect(logged.filter((l) => l.created)).toHaveLength(1)
    expect(new Set(logged.map((l) => l.id)).size).toBe(1)
    expect(count("contacts WHERE at = '2026-02-01 09:00:00'")).toBe(1)
  }, 120_000)
})
