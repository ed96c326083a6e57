import Database from 'better-sqlite3'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {customerRecord, type WrittenRecords} from '../../src/core/customer.js'
import {parseDate} from '../../src/core/dates.js'
import {CUSTOMER_FIELDS, FIELD_NAMES} from '../../src/core/fields.js'
import {ID_NUMBER, normalizePhone} from '../../src/core/identifiers.js'
import {RECORD_KEYS} from '../../src/db/customer-record.js'
import {migrate} from '../../src/db/migrations.js'
import {customerRepository} from '../../src/db/repositories/customers.js'
import {CUSTOMER_KEYS} from '../../src/io/customer-views.js'
import {cellText, cellWriter} from '../../src/io/row-writer.js'

// The SQL rendering of a customer's record (db/customer-record.ts) against customerRecord in JS, for random customers
// as they can be stored: the two must give the same bytes, masked and revealed, in JSON, CSV and TSV.

/** Any text without the control characters and broken UTF-16 the import refuses in a field. */
const text = (minLength = 0) =>
  fc
    .string({unit: 'binary', minLength, maxLength: 12})
    .filter((t) => !/[\u0000-\u001f\u007f-\u009f]|[\ud800-\udfff]/u.test(t))
/** Text that may start like a formula or hold what CSV quotes and TSV escapes. */
const tricky = fc.oneof(
  text(),
  fc
    .tuple(fc.constantFrom('=', '+', '-', '@', "'", "''=", '"', ',', '\\', '-12.5', '+3', '.5', '-'), text())
    .map(([head, rest]) => head + rest),
)
const date = fc
  .date({min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true})
  .map((d) => d.toISOString().slice(0, 10))
const fen = fc.oneof(
  fc.integer({min: -1_000_000, max: 1_000_000}),
  fc.constantFrom(0, -1, -99, -100, 1, 99, 100, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
  fc.bigInt({min: -(10n ** 17n), max: 10n ** 17n}),
  fc.constantFrom(
    10n ** 17n,
    -(10n ** 17n),
    2n ** 53n,
    -(2n ** 53n) - 1n,
    9_223_372_036_854_775_807n,
    -9_223_372_036_854_775_808n,
  ),
)
const whole = fc.oneof(fc.nat({max: 1000}), fc.constantFrom(0, Number.MAX_SAFE_INTEGER))
const idNumber = fc.stringMatching(/^[0-9A-Za-z()-]{1,40}$/)
// Phones as the import can store them, and more: digits and dashes, a digit first (see the last test).
const phone = fc.oneof(
  fc.stringMatching(/^1[3-9]\d{9}$/),
  fc.stringMatching(/^0\d{2,3}-\d{5,8}$/),
  fc.stringMatching(/^0\d{9,11}$/),
  fc.stringMatching(/^\d{1,9}$/),
  fc.stringMatching(/^\d[0-9-]{0,13}$/),
)
const email = fc.oneof(
  fc.emailAddress(),
  fc.tuple(text(1), text(1)).map(([box, domain]) => `${box.replaceAll('@', '')}@${domain}.cn`),
  fc.constantFrom('😀x@bank.com', '😀@bank.com', 'a@b.c', '@bank.com', 'a@b@c.com', 'no-at', '@', '王小明@银行.中国'),
  fc.string({unit: 'binary', maxLength: 12}).filter((t) => !/[\u0000-\u001f\u007f-\u009f]|[\ud800-\udfff]/u.test(t)),
)
// Kept values include what maskKept masks: ID numbers, landlines, mobiles with separators (138-0013-8000, +86 138 0013
// 8000), dates under names that say birth date (and under names that do not).
const keptPhone = fc
  .tuple(
    fc.constantFrom('', '+86 ', '+86-', '86', '+86'),
    fc.stringMatching(/^1\d{2}$/),
    fc.constantFrom('-', ' ', ''),
    fc.stringMatching(/^\d{4}$/),
    fc.constantFrom('-', ' ', ''),
    fc.stringMatching(/^\d{4}$/),
  )
  .map((parts) => parts.join(''))
const keptLookalike = fc.oneof(
  keptPhone,
  fc.stringMatching(/^0\d{2,3}-\d{7,8}$/),
  fc.stringMatching(/^\d{15}$|^\d{17}[\dX]$/),
  fc.constant('a@b.cn'),
  // However an export writes them: a label before, groups apart, full-width, a format character inside, (+86), 0086.
  fc
    .tuple(
      fc.constantFrom('', 'ID:', '身份证：', 'tel ', '(+86) ', '0086-', '\u202e'),
      fc.stringMatching(/^\d{6}$/),
      fc.constantFrom(' ', '-', '\u200b', '\u3000', ''),
      fc.stringMatching(/^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|1\d)\d{3}[\dX]$/),
      fc.boolean(),
    )
    .map(([label, area, sep, rest, wide]) => {
      const text = `${label}${area}${sep}${rest}`
      return wide ? text.replace(/\d/g, (d) => String.fromCodePoint(0xff10 + Number(d))) : text
    }),
  fc.constantFrom('x＠y.cn', '(+86) 138-1234-5678', '+86 138 1234 5678', '0086-138-1234-5678', 'ID:110105194912310021'),
)
const keptDate = fc.oneof(
  date,
  date.map((d) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8))}日`),
)
const keptKey = fc.oneof(
  fc.string({unit: 'binary', maxLength: 6}),
  fc.constantFrom('生日', '出生年月', 'Birthday', 'DOB', 'spouse_dob', 'opened', 'note'),
)
const extra = fc
  .dictionary(
    keptKey,
    fc.oneof(
      fc.string({unit: 'binary', maxLength: 8}),
      fc.jsonValue({maxDepth: 2}).map((v) => JSON.stringify(v)),
      fc.string({maxLength: 4}),
      keptLookalike,
      keptDate,
    ),
    {maxKeys: 4},
  )
  .map((e) => JSON.stringify(e))

const byKind = (name: string, kind: string): fc.Arbitrary<unknown> => {
  switch (kind) {
    case 'money':
      return fen
    case 'integer':
      return whole
    case 'date':
      return date
    case 'id_number':
      return idNumber
    case 'phone':
      return phone
    case 'email':
      return email
    case 'enum':
      return fc.constantFrom(...new Set(Object.values(CUSTOMER_FIELDS.find((f) => f.name === name)!.values!)))
    default:
      return tricky
  }
}
const customer = fc.record({
  ...Object.fromEntries(
    CUSTOMER_FIELDS.map((f) => [
      f.name,
      f.required ? byKind(f.name, f.kind) : fc.option(byKind(f.name, f.kind), {nil: null}),
    ]),
  ),
  extra,
}) as fc.Arbitrary<Record<string, unknown>>

const COLUMNS = CUSTOMER_FIELDS.map((f) => (f.kind === 'money' ? `${f.name}_fen` : f.name))

function book(customers: readonly Record<string, unknown>[]): Database.Database {
  const db = new Database(':memory:')
  migrate(db)
  db.prepare(
    `INSERT INTO import_batches (id, kind, file_name, sha256, mode, actor, started_at, status) VALUES (1, 'customers', 'a.csv', '', 'upsert', 't', '2026-11-28T00:00:00Z', 'complete')`,
  ).run()
  const insert = db.prepare(
    `INSERT INTO customers (${COLUMNS.join(', ')}, extra, created_batch_id, updated_batch_id) VALUES (${COLUMNS.map(() => '?').join(', ')}, ?, 1, 1)`,
  )
  customers.forEach((c, i) => {
    insert.run(...FIELD_NAMES.map((f) => (f === 'customer_id' ? `${i}`.padStart(4, '0') : c[f])), c.extra)
  })
  return db
}

/** Pages of written records as one record a line (the records of these books hold no line break). */
function written(pages: Iterable<WrittenRecords>): string[] {
  const records = [...pages].flatMap((page) => {
    const lines = Buffer.from(page.bytes).toString().split('\n')
    expect(lines).toHaveLength(page.rows)
    return lines
  })
  return records
}

describe('a customer record written by SQL', () => {
  it('has the keys of the record, in its order', () => {
    expect(RECORD_KEYS).toEqual(CUSTOMER_KEYS)
  })

  it.each([false, true])(
    "is JSON.stringify(customerRecord) byte for byte, and its CSV and TSV lines are the writer's (reveal %s)",
    (reveal) => {
      fc.assert(
        fc.property(fc.array(customer, {minLength: 1, maxLength: 8}), (customers) => {
          const db = book(customers)
          const repo = customerRepository(db)
          const options = {reveal}
          const records = repo.list().map((c) => customerRecord(c, options))
          expect(written(repo.eachWritten({}, options, 'json', cellWriter('json'), '\n'))).toEqual(
            records.map((r) => JSON.stringify(r)),
          )
          for (const format of ['csv', 'tsv'] as const) {
            const write = cellWriter(format)
            const lines = records.map((r) =>
              CUSTOMER_KEYS.map((k) => write(cellText(r[k]))).join(format === 'csv' ? ',' : '\t'),
            )
            expect(written(repo.eachWritten({}, options, format, write, '\n'))).toEqual(lines)
          }
          db.close()
        }),
        {numRuns: 150},
      )
    },
  )

  it.each([undefined, 300, 512, 513])('comes in pages of a whole book in order, the limit (%s) kept', (limit) => {
    const customers = fc.sample(customer, {numRuns: 600, seed: 7})
    const db = book(customers)
    const repo = customerRepository(db)
    const write = cellWriter('csv')
    const records = repo.list({limit}).map((c) => customerRecord(c, {reveal: false}))
    const pages = [...repo.eachWritten({limit}, {reveal: false}, 'csv', write, '\r\n')]
    expect(pages.length).toBeGreaterThan(1)
    expect(pages.map((p) => Buffer.from(p.bytes).toString()).join('\r\n')).toBe(
      records.map((r) => CUSTOMER_KEYS.map((k) => write(cellText(r[k]))).join(',')).join('\r\n'),
    )
    expect(pages.reduce((sum, p) => sum + p.rows, 0)).toBe(records.length)
    db.close()
  })

  // The SQL writes dates, phones and ID numbers without the escaping and formula tests of free text (customer-record's
  // ValueClass): it relies on the import storing nothing else in them.
  it('relies on the import storing dates and phones as digits and dashes, a digit first, and ID numbers as letters, digits, ( ) and -', () => {
    const stored = (value: unknown) => (typeof value === 'string' ? [value] : [])
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.stringMatching(/^[0-9+ ()-]{1,20}$/),
          fc.stringMatching(/^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$/),
        ),
        (t) => {
          for (const value of [...stored(parseDate(t)), ...stored(normalizePhone(t))])
            expect(value).toMatch(/^[0-9][0-9-]*$/)
        },
      ),
      {numRuns: 2000},
    )
    expect(ID_NUMBER.source).toBe('^[0-9A-Za-z()-]{1,40}$')
  })
})
