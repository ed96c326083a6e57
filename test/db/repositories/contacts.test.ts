import Database from 'better-sqlite3'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {WrittenRecords} from '../../../src/core/customer.js'
import type {ContactFilter} from '../../../src/core/contact.js'
import {migrate} from '../../../src/db/migrations.js'
import {contactRepository} from '../../../src/db/repositories/contacts.js'
import {contactRecord} from '../../../src/io/contact-views.js'

// contact list's JSON records as SQLite writes them (eachWritten) against JSON.stringify(contactRecord(...)), for
// random stored contacts: the same bytes, in the same order (newest first, ties by id).

/** Any text: quotes, backslashes, line breaks, tabs, control characters, Chinese, emoji. */
const anyText = fc
  .string({unit: 'binary', maxLength: 10})
  .filter((t) => !/[\ud800-\udfff]/u.test(t.replace(/[\ud800-\udbff][\udc00-\udfff]/gu, '')))
const hostile = fc.oneof(
  anyText,
  fc
    .tuple(
      fc.constantFrom('=', '+', '-', '@', '"', '\\', '\n', '\t', '\u2028', '</script>', '王小明', '\u0000', '\u007f'),
      anyText,
    )
    .map(([head, rest]) => head + rest),
)
const instant = fc
  .date({min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true})
  .map((d) => d.toISOString())
/** Few distinct times, so that contacts share one (ordered then by id). */
const at = fc.oneof(
  fc.constantFrom('2026-11-28T09:30:00', '2026-11-28T09:30', '2026-11-27T18:00:00', '2025-01-01T00:00:00'),
  hostile,
)
const contact = fc.record({
  customer: fc.nat({max: 2}),
  at,
  utcOffset: fc.option(fc.constantFrom('+08:00', '-05:00', '+00:00'), {nil: null}),
  channel: fc.constantFrom('branch', 'phone', 'wechat', 'email'),
  direction: fc.constantFrom('in', 'out'),
  purpose: fc.constantFrom('service', 'review', 'other'),
  outcome: fc.option(hostile, {nil: null}),
  rm: fc.option(hostile, {nil: null}),
  notes: fc.option(hostile, {nil: null}),
  followUpOn: fc.option(fc.oneof(fc.constant('2026-12-01'), hostile), {nil: null}),
  closedAt: fc.option(fc.oneof(instant, hostile), {nil: null}),
  closedBy: fc.option(fc.nat({max: 30}), {nil: null}),
  loggedAt: fc.oneof(instant, instant, hostile),
})
type Stored = typeof contact extends fc.Arbitrary<infer T> ? T : never
const names = fc.array(hostile, {minLength: 3, maxLength: 3})

function stored(customerNames: readonly string[], contacts: readonly Stored[]): Database.Database {
  const db = new Database(':memory:')
  migrate(db)
  db.prepare(
    `INSERT INTO import_batches (id, kind, file_name, sha256, mode, actor, started_at, status) VALUES (1, 'customers', 'a.csv', '', 'upsert', 't', '2026-11-28T00:00:00Z', 'complete')`,
  ).run()
  const insertCustomer = db.prepare(
    "INSERT INTO customers (customer_id, name, type, rm, extra, created_batch_id, updated_batch_id) VALUES (?, ?, 'individual', 'RM1', '{}', 1, 1)",
  )
  customerNames.forEach((name, i) => {
    insertCustomer.run(`C${i}`, name)
  })
  const insert =
    db.prepare(`INSERT INTO contacts (id, customer_id, at, utc_offset, channel, direction, purpose, outcome, rm, notes, follow_up_on, follow_up_closed_at,
    follow_up_closed_by, notes_key, logged_at) VALUES (@id, @customerId, @at, @utcOffset, @channel, @direction, @purpose, @outcome, @rm, @notes, @followUpOn, @closedAt, @closedBy, @key, @loggedAt)`)
  // Ids not in time order, as contacts logged late have them.
  const id = (i: number) => ((i * 7) % (contacts.length + 1 + ((contacts.length + 1) % 7 === 0 ? 1 : 0))) + 1
  contacts.forEach((c, i) => {
    insert.run({
      ...c,
      id: id(i),
      customerId: `C${c.customer}`,
      closedBy: c.closedBy === null ? null : id(i),
      key: `${i}`,
    })
  })
  return db
}

/** The pages' records, one a line (JSON text holds no line break), each page `rows` of them. */
function written(pages: Iterable<WrittenRecords>, between: string): string[] {
  return [...pages].flatMap((page) => {
    const records = Buffer.from(page.bytes).toString().split(between)
    expect(records).toHaveLength(page.rows)
    return records
  })
}

describe("contact list's records written by SQL", () => {
  it.each([',\n', '\n'])('are JSON.stringify(contactRecord) byte for byte, newest first (joined by %j)', (between) => {
    const filters = fc.constantFrom<ContactFilter>(
      {},
      {limit: 3},
      {open: true},
      {customerId: 'C1'},
      {rm: 'RM1'},
      {since: '2026-11-28'},
    )
    fc.assert(
      fc.property(names, fc.array(contact, {maxLength: 12}), filters, (customerNames, contacts, filter) => {
        const db = stored(customerNames, contacts)
        const repo = contactRepository(db)
        const records = repo.list(filter).map((c) => JSON.stringify(contactRecord(c)))
        expect(written(repo.eachWritten(filter, between), between)).toEqual(records)
        db.close()
      }),
      {numRuns: 200},
    )
  })

  it.each([undefined, 300, 512, 513])(
    'comes in pages of the whole list in order, ties in time across pages, the limit (%s) kept',
    (limit) => {
      const contacts = fc.sample(contact, {numRuns: 800, seed: 11})
      const db = stored(fc.sample(names, {numRuns: 1, seed: 3})[0], contacts)
      const repo = contactRepository(db)
      const records = repo.list({limit}).map((c) => JSON.stringify(contactRecord(c)))
      const pages = [...repo.eachWritten({limit}, ',\n')]
      expect(pages.length).toBeGreaterThan(1)
      expect(pages.map((p) => Buffer.from(p.bytes).toString()).join(',\n')).toBe(records.join(',\n'))
      expect(pages.reduce((sum, p) => sum + p.rows, 0)).toBe(records.length)
      db.close()
    },
  )
})
