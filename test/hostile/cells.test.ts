import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {CONTACT_FIELDS, CUSTOMER_FIELDS} from '../../src/core/fields.js'
import {type CliResult, crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

/**
 * One dirty cell never aborts a file: whatever a cell of any field holds, the row is imported or rejected with its
 * line, field and a reason, the rest of the file is imported, and the reconciliation adds up.
 */

const temp = tempDir()
afterAll(temp.cleanup)
let files = 0

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const path = join(temp.dir, `file-${++files}.csv`)
  writeFileSync(path, `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`)
  return path
}
function freshDb(): string {
  return join(temp.dir, `db-${++files}.db`)
}

/** An import under --json: its exit, report, and the reject file's rows by line (field and reason). */
function importJson(
  kind: 'customer' | 'contact',
  path: string,
  db: string,
): {result: CliResult; report: Record<string, any>; rejects: Map<number, {field: string; reason: string}>} {
  const result = crm([kind, 'import', path, '--db', db, '--json'])
  const report = json<Record<string, any>>(result)
  const rejects = new Map<number, {field: string; reason: string}>()
  if (report.rejects_file) {
    const [, ...rows] = parse(readFileSync(report.rejects_file, 'utf8'), {
      bom: true,
      relax_column_count: true,
    }) as string[][]
    for (const [line, field, reason] of rows) rejects.set(Number(line), {field, reason})
  }
  return {result, report, rejects}
}

function expectReconciled(report: Record<string, any>): void {
  expect(report.read).toBe(report.inserted + report.updated + report.unchanged + report.duplicates + report.rejected)
  expect(report.aum_read ?? null).toBe(report.aum_stored ?? null)
}

/** A valid value for every customer field, and one row of them. */
const GOOD: Record<string, string> = {
  customer_id: 'C0',
  name: '王伟',
  type: 'individual',
  id_type: 'resident_id',
  id_number: '11010519491231002X',
  phone: '13912345678',
  email: 'wang.wei@bank.com',
  branch: '浦东支行',
  rm: 'RM01',
  opened_on: '2024-01-05',
  birth_date: '1949-12-31',
  aum: '1234.50',
  deposits: '100',
  loans: '0',
  overdue_days: '0',
  products: '2',
  contribution: '-5.50',
  last_txn_on: '2026-01-01',
  txn_count_12m: '12',
  industry: 'C3011',
  employees: '10',
  revenue: '1000',
  total_assets: '2000',
  credit_rating: 'AA',
  status: 'active',
}
const CUSTOMER_HEADER = CUSTOMER_FIELDS.map((f) => f.name)
const TEXT_FIELDS = new Set(CUSTOMER_FIELDS.filter((f) => f.kind === 'text').map((f) => f.name))

/** One row per customer field, each with that field's cell replaced (customer ids kept distinct). */
function onePerField(dirty: (field: string) => string): string[][] {
  return CUSTOMER_HEADER.map((field, i) =>
    CUSTOMER_HEADER.map((f) => (f === field ? dirty(field) : f === 'customer_id' ? `C${i + 1}` : GOOD[f])),
  )
}

describe('customer import: a dirty ID number', () => {
  const cases: [string, string][] = [
    ['110105 19491231 002X', 'has spaces in it'],
    [
      '3.10104E+17',
      'Excel turned this ID number into a number (3.10104E+17) and lost its last digits: format the column as text',
    ],
    ['110105********0021', 'masked ID numbers cannot be imported'],
    ['护照12345', 'holds Chinese text ("护照"): put the kind of ID in the id_type column'],
    ['91310000.MA1FL0007', 'holds ".", which no ID number has'],
    ['11010519491231002', 'a resident ID has 18 characters, and this one has 17'],
    ['1101051949123100211', 'this one has 19'],
    ['110105\u00071949123100', 'invisible or broken character (U+0007)'],
  ]

  it('rejects each row with its line and a reason that says what to do, imports the rest and exits 3', () => {
    const rows = [
      ['C0', '王伟', '个人', '11010519491231002X'],
      ...cases.map(([id], i) => [`C${i + 1}`, `客户${i + 1}`, '个人', id]),
      ['C99', '李娜', '个人', ''],
    ]
    const {result, report, rejects} = importJson(
      'customer',
      csv(['客户号', '客户名称', '客户类型', '证件号码'], rows),
      freshDb(),
    )
    expectHandled(result, 3)
    expectReconciled(report)
    expect({inserted: report.inserted, rejected: report.rejected}).toEqual({inserted: 2, rejected: cases.length})
    cases.forEach(([, reason], i) => {
      expect(rejects.get(i + 3)).toEqual({field: '证件号码 [id_number]', reason: expect.stringContaining(reason)})
    })
    for (const {reason} of rejects.values()) expect(reason).not.toMatch(/11010519491231002X|\d{15}/)
  })

  it('gets the same reasons from classify check, which exits 3 and still classifies the clean rows', () => {
    const rows = [
      ['C0', '个人', '11010519491231002X', '7000000'],
      ...cases.map(([id], i) => [`C${i + 1}`, '个人', id, '100']),
    ]
    const result = crm([
      'classify',
      'check',
      csv(['customer_id', 'type', 'id_number', 'aum'], rows),
      '--scheme',
      'retail-aum',
      '--format',
      'csv',
    ])
    expectHandled(result, 3)
    const out = parse(result.stdout, {columns: true}) as Record<string, string>[]
    expect(out[0]).toMatchObject({customer_id: 'C0', tier: 'private-banking'})
    cases.forEach(([, reason], i) => {
      expect(out[i + 1]).toMatchObject({tier: '', reason: expect.stringContaining(reason)})
    })
  })
})

describe('customer import: a dirty cell in every field', () => {
  it('rejects a control character in any field, naming the field and the character', () => {
    const {result, report, rejects} = importJson(
      'customer',
      csv(CUSTOMER_HEADER, [...onePerField(() => 'a\u001b[2Jb'), CUSTOMER_HEADER.map((f) => GOOD[f])]),
      freshDb(),
    )
    expectHandled(result, 3)
    expectReconciled(report)
    expect({inserted: report.inserted, rejected: report.rejected}).toEqual({
      inserted: 1,
      rejected: CUSTOMER_HEADER.length,
    })
    CUSTOMER_HEADER.forEach((field, i) => {
      expect(rejects.get(i + 2)).toEqual({
        field,
        reason: expect.stringContaining('invisible or broken character (U+001B)'),
      })
    })
  })

  it.each([
    ["Excel's scientific notation", '3.1E+17'],
    ['a masked value', '110105********0021'],
    ['spaces inside', '1 2 3'],
    ['full-width punctuation', '＊＋．１'],
  ])('keeps %s in a text field as written and rejects it in every other field with a reason', (_, dirt) => {
    const {result, report, rejects} = importJson(
      'customer',
      csv(
        CUSTOMER_HEADER,
        onePerField(() => dirt),
      ),
      freshDb(),
    )
    expectHandled(result, 3)
    expectReconciled(report)
    // A customer id in scientific notation lost its last digits (customers would merge), and a masked one hides
    // them: both refused, as in a number.
    const kept = (field: string) =>
      TEXT_FIELDS.has(field) && !(field === 'customer_id' && (/E\+/.test(dirt) || /[*＊]{2,}/.test(dirt)))
    CUSTOMER_HEADER.forEach((field, i) => {
      if (kept(field)) expect(rejects.has(i + 2), field).toBe(false)
      else expect(rejects.get(i + 2), field).toEqual({field, reason: expect.any(String)})
    })
    expect(report.inserted).toBe(CUSTOMER_HEADER.filter(kept).length)
  })

  it('says why a masked phone, an Excel amount and an Excel date serial are refused', () => {
    const header = ['customer_id', 'name', 'type', 'phone', 'aum', 'opened_on']
    const rows = [
      ['C1', 'A', '个人', '139****5678', '1', '2024-01-05'],
      ['C2', 'B', '个人', '', '1.23457E+11', ''],
      // A serial among written dates (a column of serials alone is read as dates: test/e2e/files-banks-send.test.ts).
      ['C3', 'C', '个人', '', '', '45296'],
    ]
    const {result, rejects} = importJson('customer', csv(header, rows), freshDb())
    expectHandled(result, 3)
    expect(rejects.get(2)).toEqual({
      field: 'phone',
      reason: expect.stringContaining('phone is masked (139****5678): masked values cannot be imported'),
    })
    expect(rejects.get(3)).toEqual({
      field: 'aum',
      reason: expect.stringContaining('aum is in scientific notation (1.23457E+11), as Excel writes long numbers'),
    })
    expect(rejects.get(4)).toEqual({
      field: 'opened_on',
      reason: expect.stringContaining('a date Excel wrote as its serial number'),
    })
  })

  it('reads full-width digits and letters in customer ids, IDs, phones, amounts, counts, dates and choices as ASCII', () => {
    const wide = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))
    const db = freshDb()
    // The customer_id row's id is Ｃ１, which is C1.
    const rows = [
      CUSTOMER_HEADER.map((f) => GOOD[f]),
      ...onePerField((field) => wide(field === 'customer_id' ? 'C1' : GOOD[field])),
    ]
    const {result, report} = importJson('customer', csv(CUSTOMER_HEADER, rows), db)
    expectHandled(result, 0)
    expectReconciled(report)
    expect(report.inserted).toBe(CUSTOMER_HEADER.length + 1)
    const stored = new Map(
      json<Record<string, unknown>[]>(crm(['customer', 'list', '--db', db, '--format', 'json', '--reveal'])).map(
        (c) => [c.customer_id, c],
      ),
    )
    const plain = stored.get('C0')!
    CUSTOMER_HEADER.forEach((field, i) => {
      if (!TEXT_FIELDS.has(field)) expect(stored.get(`C${i + 1}`)![field], field).toEqual(plain[field])
    })
    expect(stored.has('Ｃ１')).toBe(false)
    // Other text is kept as written: a manager code in full-width stays so.
    expect(stored.get(`C${CUSTOMER_HEADER.indexOf('rm') + 1}`)!.rm).toBe('ＲＭ０１')
    expect(plain).toMatchObject({id_number: '11010519491231002X', aum: '1234.50', opened_on: '2024-01-05', products: 2})
  })

  it('rejects a broken character (a lone surrogate) that JSON input can carry', () => {
    const path = join(temp.dir, 'surrogate.ndjson')
    writeFileSync(
      path,
      '{"customer_id": "C1", "name": "王\\ud800伟", "type": "个人"}\n{"customer_id": "C2", "name": "李娜", "type": "个人"}\n',
    )
    const {result, report, rejects} = importJson('customer', path, freshDb())
    expectHandled(result, 3)
    expectReconciled(report)
    expect(rejects.get(1)).toEqual({field: 'name', reason: expect.stringContaining('(U+D800)')})
  })
})

describe('contact import: a dirty cell in every field', () => {
  const db = freshDb()
  beforeAll(() => {
    expect(
      crm([
        'customer',
        'import',
        csv(
          ['customer_id', 'name', 'type'],
          [
            ['C1', '王伟', '个人'],
            ['C2', '李娜', '个人'],
          ],
        ),
        '--db',
        db,
      ]).code,
    ).toBe(0)
  })
  const header = CONTACT_FIELDS.map((f) => f.name)
  const good: Record<string, string> = {
    customer_id: 'C1',
    at: '2026-01-05 10:00',
    channel: 'phone',
    direction: 'out',
    purpose: 'review',
    outcome: 'reached',
    rm: 'RM01',
    notes: 'asked about rates',
    follow_up_on: '',
    utc_offset: '',
  }
  const kept = new Set(['outcome', 'notes'])

  it('rejects a control character in any field but the notes and outcome, which keep it byte for byte', () => {
    // Each row a different time, so that no two rows are the same contact.
    const rows = header.map((field, i) =>
      header.map((f) =>
        f === field ? `x\u0007y` : f === 'at' ? `2026-01-${String(i + 1).padStart(2, '0')} 10:00` : good[f],
      ),
    )
    const {result, report, rejects} = importJson('contact', csv(header, rows), db)
    expectHandled(result, 3)
    expectReconciled(report)
    header.forEach((field, i) => {
      if (kept.has(field)) expect(rejects.has(i + 2), field).toBe(false)
      else expect(rejects.get(i + 2), field).toEqual({field, reason: expect.stringContaining('(U+0007)')})
    })
    const notes = json<Record<string, unknown>[]>(crm(['contact', 'list', '--db', db, '--format', 'json'])).map(
      (c) => c.notes,
    )
    expect(notes).toContain('x\u0007y')
  })

  it('reads full-width digits in contact times and follow-up dates', () => {
    const rows = [['C2', '２０２６－０２－０３ １０:１５', '电话', '', '回访', '', '', '', '２０９９－０１－０１', '']]
    const {result, report} = importJson('contact', csv(header, rows), db)
    expectHandled(result, 0)
    expect(report.inserted).toBe(1)
    const [contact] = json<Record<string, unknown>[]>(
      crm(['contact', 'list', '--customer', 'C2', '--db', db, '--format', 'json']),
    )
    expect(contact).toMatchObject({at: '2026-02-03T10:15:00', follow_up_on: '2099-01-01'})
  })

  it("applies contact log's date rules: a contact in the future is rejected and closes nothing; a past follow-up is history", () => {
    const own = freshDb()
    expect(
      crm(['customer', 'import', csv(['customer_id', 'name', 'type'], [['C1', '王伟', '个人']]), '--db', own]).code,
    ).toBe(0)
    expect(
      crm([
        'contact',
        'log',
        '--db',
        own,
        '--customer',
        'C1',
        '--channel',
        'phone',
        '--purpose',
        'review',
        '--at',
        '2026-03-01 10:00',
        '--follow-up',
        '2099-01-01',
      ]).code,
    ).toBe(0)
    const rows = [
      ['C1', '2099-01-01', 'phone', 'in', 'service', '', '', '', '', ''],
      ['C1', '2024-03-05 10:00', 'phone', 'out', 'review', '', '', '', '2024-03-01', ''],
      ['C1', '2024-03-05 11:00', 'phone', 'out', 'review', '', '', '', '2024-04-01', ''],
    ]
    const {result, report, rejects} = importJson('contact', csv(header, rows), own)
    expectHandled(result, 3)
    expectReconciled(report)
    expect(rejects.get(2)).toEqual({
      field: 'at',
      reason: expect.stringContaining('2099-01-01 00:00:00 is in the future'),
    })
    expect(rejects.get(3)).toEqual({
      field: 'follow_up_on',
      reason: 'the follow-up date 2024-03-01 is before the contact itself (2024-03-05): check both dates',
    })
    // The contact logged in 2026 came after the imported one of 2024: it answered that follow-up.
    expect({inserted: report.inserted, closed: report.closed_follow_ups}).toEqual({inserted: 1, closed: 1})
    const open = json<Record<string, unknown>[]>(crm(['contact', 'list', '--open', '--db', own, '--format', 'json']))
    expect(open.map((c) => c.follow_up_on).sort()).toEqual(['2099-01-01'])
  })
})

describe('amounts: exact, or refused', () => {
  const big = '90071992547409.93' // 2^53 + 1 fen: a JS number would print it as …92

  it('shows an amount beyond 2^53 fen to the fen in show, list, export, classify and summary', () => {
    const db = freshDb()
    const {result} = importJson(
      'customer',
      csv(['customer_id', 'name', 'type', 'aum', 'deposits'], [['C1', '王伟', '个人', big, big]]),
      db,
    )
    expectHandled(result, 0)
    const show = crm(['customer', 'show', 'C1', '--db', db])
    expectHandled(show, 0)
    expect(show.stdout).toContain('90,071,992,547,409.93')
    expect(json(crm(['customer', 'show', 'C1', '--db', db, '--json']))).toMatchObject({aum: big, deposits: big})
    expect(crm(['customer', 'list', '--db', db, '--format', 'csv']).stdout).toContain(`${big},${big}`)
    const exported = crm(['customer', 'export', '--db', db, '--format', 'ndjson'])
    expectHandled(exported, 0)
    expect(exported.stdout).toContain(`"aum":"${big}"`)
    expectHandled(crm(['classify', '--scheme', 'retail-aum', '--db', db]), 0)
    expect(crm(['classify', 'show', '1', '--db', db, '--format', 'csv']).stdout).toContain(`aum ${big} >= 600万`)
    expect(crm(['classify', 'explain', 'C1', '--db', db]).stdout).toContain(`aum ${big} >= 600万`)
    const summary = crm(['summary', '--db', db, '--format', 'csv', '--top', '1'])
    expectHandled(summary, 0)
    expect(summary.stdout).toContain(`${big},${big},${big}`)
  })

  it('takes one amount up to 10^15 yuan and rejects a larger one as a row', () => {
    const rows = [
      ['C1', 'A', '个人', '1,000,000,000,000,000.00'],
      ['C2', 'B', '个人', '1000000000000000.01'],
      ['C3', 'C', '个人', '92233720368547758.07'],
    ]
    const {result, report, rejects} = importJson(
      'customer',
      csv(['customer_id', 'name', 'type', 'aum'], rows),
      freshDb(),
    )
    expectHandled(result, 3)
    expectReconciled(report)
    expect(report.aum_stored).toBe('1000000000000000.00')
    expect(rejects.get(3)).toEqual({
      field: 'aum',
      reason: expect.stringContaining('one amount may be at most 1,000,000,000,000,000.00 yuan'),
    })
    expect(rejects.get(4)?.field).toBe('aum')
  })

  it('adds up past the 64-bit range exactly: the reconciliation, summary and summary --by branch', () => {
    const db = freshDb()
    const max = '1000000000000000.00'
    const rows = Array.from({length: 100}, (_, i) => [
      `C${i}`,
      `客户${i}`,
      '个人',
      i % 2 === 0 ? 'A' : 'B',
      i === 0 ? big : max,
    ])
    const {result, report} = importJson('customer', csv(['customer_id', 'name', 'type', 'branch', 'aum'], rows), db)
    expectHandled(result, 0)
    expect(report.aum_read).toBe('99090071992547409.93')
    expectReconciled(report)
    expectHandled(crm(['classify', '--scheme', 'retail-aum', '--db', db]), 0)
    const total = crm(['summary', '--db', db, '--format', 'csv'])
    expectHandled(total, 0)
    expect(total.stdout).toMatch(/^total,,Total,100,1,99090071992547409\.93,/m)
    const byBranch = crm(['summary', '--db', db, '--by', 'branch', '--format', 'csv'])
    expectHandled(byBranch, 0)
    expect(byBranch.stdout).toMatch(/^A,subtotal,,Subtotal,50,1,49090071992547409\.93,/m)
    expect(byBranch.stdout).toMatch(/^B,subtotal,,Subtotal,50,1,50000000000000000\.00,/m)
    expect(byBranch.stdout).toMatch(/^,total,,Total,100,1,99090071992547409\.93,/m)
  })
})
