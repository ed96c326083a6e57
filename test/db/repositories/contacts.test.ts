import Database from 'better-sqlite3'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {ContactFilter} from '../../../src/core/contact.js'
import type {WrittenRecords} from '../../../src/core/customer.js'
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
/**
 * Free text that holds personal data among other text: ID numbers, phones (grouped, with +86), e-mail addresses,
 * full-width digits and ＠, format characters between digits, and near-misses (a date, a decimal, 9 digits).
 */
const personal = fc.constantFrom(
  '110105198001010008',
  '11010519800101000X',
  '13800138000',
  '+86 138-0013-8000',
  '(010) 8765 4321',
  '１３８００１３８０００',
  '１１０１０５１９８００１０１０００８',
  '138\u200b0013\u200b8000',
  'wang.li@bank.com',
  'ｗａｎｇ＠ｂａｎｋ．ｃｏｍ',
  '2026-11-28',
  '12345.678901',
  '123456789',
  '①②③④⑤⑥⑦⑧⑨⑩⑪',
)
const notes = fc.oneof(
  hostile,
  fc
    .tuple(
      fc.constantFrom('', '客户身份证', '手机', 'call ', '"'),
      personal,
      fc.constantFrom('', '，', '\n', ' 回访'),
      hostile,
    )
    .map((parts) => parts.join('')),
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
  outcome: fc.option(notes, {nil: null}),
  rm: fc.option(hostile, {nil: null}),
  notes: fc.option(notes, {nil: null}),
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
  it.each([
    [',\n', false],
    ['\n', false],
    [',\n', true],
  ])('are JSON.stringify(contactRecord) byte for byte, newest first (joined by %j, reveal %s)', (between, reveal) => {
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
        const records = repo.list(filter).map((c) => JSON.stringify(contactRecord(c, {reveal})))
        expect(written(repo.eachWritten(filter, {reveal}, between), between)).toEqual(records)
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
      const records = repo.list({limit}).map((c) => JSON.stringify(contactRecord(c, {reveal: false})))
      const pages = [...repo.eachWritten({limit}, {reveal: false}, ',\n')]
      expect(pages.length).toBeGreaterThan(1)
      expect(pages.map((p) => Buffer.from(p.bytes).toString()).join(',\n')).toBe(records.join(',\n'))
      expect(pages.reduce((sum, p) => sum + p.rows, 0)).toBe(records.length)
      db.close()
    },
  )
})

describe("contact list's notes and outcome", () => {
  const note = '客户身份证110105198001010008，手机13800138000，邮箱 wang.li@bank.com'
  const contactWith = (text: string): Stored => ({
    customer: 0,
    at: '2026-11-28T09:30:00',
    utcOffset: null,
    channel: 'phone',
    direction: 'out',
    purpose: 'review',
    outcome: `回电 ${text}`,
    rm: 'RM1',
    notes: text,
    followUpOn: null,
    closedAt: null,
    closedBy: null,
    loggedAt: '2026-11-28T01:30:00.000Z',
  })

  it('have ID numbers, phones and e-mail addresses masked where they stand, in SQL and in JS alike', () => {
    const db = stored(['王小明', '李雷', '韩梅梅'], [contactWith(note)])
    const repo = contactRepository(db)
    const [record] = written(repo.eachWritten({}, {reveal: false}, '\n'), '\n').map((r) => JSON.parse(r))
    expect(record.notes).toBe('客户身份证110105********0008，手机138****8000，邮箱 w******@bank.com')
    expect(record.outcome).toBe('回电 客户身份证110105********0008，手机138****8000，邮箱 w******@bank.com')
    expect(contactRecord(repo.list({})[0], {reveal: false}).notes).toBe(record.notes)
    db.close()
  })

  it('are shown as stored when revealed, and stay stored byte for byte', () => {
    const db = stored(['王小明', '李雷', '韩梅梅'], [contactWith(note)])
    const repo = contactRepository(db)
    const [record] = written(repo.eachWritten({}, {reveal: true}, '\n'), '\n').map((r) => JSON.parse(r))
    expect(record.notes).toBe(note)
    expect(repo.list({})[0].notes).toBe(note)
    db.close()
  })
})
