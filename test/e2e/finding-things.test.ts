import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Issue 17 §3: contact list --search, customer list --search by a phone's last four, a customer number or a whole
// ID number (audited, never a part of one), code filters without case, and numeric customer numbers by value.
const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]
const ID = '11010519491231002X'

beforeAll(() => {
  const file = join(temp.dir, 'book.csv')
  writeFileSync(
    file,
    [
      'customer_id,name,type,id_number,phone,branch,rm',
      `107,王伟,individual,${ID},17612348055,SH01 浦东,RM0028`,
      '10,李娜,individual,,13800001234,SH02 徐汇,rm0028',
      '2,张三,individual,,13900005678,SH01 浦东,RM0031',
      'C7,赵六,individual,,,SH01 浦东,RM0031',
      '1,钱七,individual,,,SH02 徐汇,RM0031',
      'A1,孙八,individual,,,SH02 徐汇,RM0031',
    ].join('\n'),
  )
  expect(crm(['customer', 'import', file, ...db]).code).toBe(0)
  const log = (customer: string, at: string, note: string, outcome: string) =>
    expect(
      crm([
        'contact',
        'log',
        ...db,
        '--customer',
        customer,
        '--channel',
        'phone',
        '--purpose',
        'review',
        '--at',
        at,
        '--note',
        note,
        '--outcome',
        outcome,
      ]).code,
    ).toBe(0)
  log('107', '2026-10-12 10:00', '客户想了解大额存单，利率 2.5%，下月再联系', 'call_back')
  log('10', '2026-10-20 15:00', 'Asked for the Fixed Deposit rate; phone 13812345678', 'reached')
  log('2', '2026-11-02 09:00', '投诉网点排队', '已接通 a_b')
})

const ids = (result: ReturnType<typeof crm>) => json<any[]>(result).map((r) => r.customer_id)
const auditText = () => {
  const sqlite = new Database(temp.db, {readonly: true})
  try {
    return sqlite.prepare('SELECT action, command, details FROM audit_log ORDER BY id').all() as {
      action: string
      command: string
      details: string
    }[]
  } finally {
    sqlite.close()
  }
}

describe('contact list --search', () => {
  it.each([
    ['大额存单', ['107']],
    ['fixed deposit', ['10']],
    ['已接通', ['2']],
    ['call_back', ['107']],
    ['2.5%', ['107']],
    ['%', ['107']],
    ['a_b', ['2']],
    ['_', ['2', '107']],
    ['没有这句话', []],
  ])('finds %j in notes and outcomes (Chinese, any case, %% and _ as themselves)', (text, customers) => {
    expect(ids(crm(['contact', 'list', ...db, '--search', text, '--json']))).toEqual(customers)
  })

  it('searches the notes as shown: masked digits are found only with --reveal', () => {
    expect(ids(crm(['contact', 'list', ...db, '--search', '1381234', '--json']))).toEqual([])
    expect(ids(crm(['contact', 'list', ...db, '--search', '138****5678', '--json']))).toEqual(['10'])
    expect(ids(crm(['contact', 'list', ...db, '--search', '1381234', '--json', '--reveal']))).toEqual(['10'])
  })

  it('combines with the other filters and works in every format and in contact export', () => {
    expect(ids(crm(['contact', 'list', ...db, '--search', '2', '--customer', '107', '--json']))).toEqual(['107'])
    const csv = crm(['contact', 'list', ...db, '--search', '排队', '--format', 'csv'])
    expect(csv.stdout.trim().split('\n')).toHaveLength(2)
    const exported = crm(['contact', 'export', ...db, '--search', '排队', '--format', 'ndjson'])
    expect(
      exported.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).customer_id),
    ).toEqual(['2'])
  })

  it.each(['\u0007', '\u202e', '\x1b[31m', "'; DROP TABLE contacts;--", 'x'.repeat(200)])(
    'takes a hostile text %j as text to look for',
    (text) => {
      const result = crm(['contact', 'list', ...db, '--search', text, '--json'])
      expectHandled(result, 0)
      expect(json<any[]>(result)).toEqual([])
    },
  )
})

describe('customer list --search', () => {
  it.each([
    ['1234', ['10']],
    ['１２３４', ['10']],
    [' 80 55', ['107']],
    ['107', ['107']],
    ['Ｃ７', ['C7']],
    ['c7', ['C7']],
    ['王', ['107']],
  ])('finds %j by a phone’s last four, a customer number or a name', (text, customers) => {
    expect(ids(crm(['customer', 'list', ...db, '--search', text, '--json']))).toEqual(customers)
  })

  it.each([ID, '11010519491231002x', '110105 19491231 002x', '１１０１０５１９４９１２３１００２Ｘ'])(
    'finds a whole ID number written %j, and audits the search with the number masked',
    (text) => {
      const before = auditText().length
      expect(ids(crm(['customer', 'list', ...db, '--search', text, '--json']))).toEqual(['107'])
      const added = auditText().slice(before)
      expect(added).toEqual([
        expect.objectContaining({action: 'customer.search_id_number', details: '{"id_number":"110105********002X"}'}),
      ])
      expect(JSON.stringify(auditText())).not.toContain(ID)
    },
  )

  it('keeps an ID number search out of the audit log in clear under --reveal and in customer export', () => {
    crm(['customer', 'list', ...db, '--search', ID.toLowerCase(), '--reveal', '--json'])
    crm(['customer', 'export', ...db, '--search', ID, '--reveal', '--format', 'csv'])
    const audit = JSON.stringify(auditText())
    expect(audit).toContain('customer.reveal')
    expect(audit).toContain('customer.export.reveal')
    expect(audit.toUpperCase()).not.toContain(ID)
  })

  it.each(['110105194912', '11010519491231002', '1949123100'])('does not match a part of an ID number (%j)', (text) => {
    expect(ids(crm(['customer', 'list', ...db, '--search', text, '--json']))).toEqual([])
  })

  it.each([
    ['110105********002X', 'masked'],
    ['176****8055', 'masked'],
    ['1.10105E+17', 'Excel'],
  ])('refuses %j with what to search for instead (exit 2)', (text, word) => {
    const result = crm(['customer', 'list', ...db, '--search', text])
    expectHandled(result, 2)
    expect(result.stderr).toContain(word)
    expect(result.stderr).toContain("a phone's last four digits")
  })
})

describe('filters on codes take any case', () => {
  it.each([
    [
      ['--rm', 'rm0028'],
      ['10', '107'],
    ],
    [
      ['--rm', 'Rm0028'],
      ['10', '107'],
    ],
    [
      ['--rm', 'RM0028'],
      ['10', '107'],
    ],
    [
      ['--branch', 'sh01 浦东'],
      ['2', '107', 'C7'],
    ],
  ])('customer list %j', (flags, customers) => {
    const result = crm(['customer', 'list', ...db, ...flags, '--json'])
    expectHandled(result, 0)
    expect(ids(result)).toEqual(customers)
  })

  it('contact list and contact due compare managers and branches without case', () => {
    expect(ids(crm(['contact', 'list', ...db, '--rm', 'rm0028', '--json'])).sort()).toEqual(['10', '107'])
    expect(ids(crm(['contact', 'list', ...db, '--branch', 'sh02 徐汇', '--json']))).toEqual(['10'])
    expect(crm(['contact', 'due', ...db, '--rm', 'rm0031']).code).toBe(0)
  })
})

describe('numeric customer numbers sort by value', () => {
  it.each(['json', 'csv', 'tsv', 'table'])('in customer list --format %s: 1, 2, 10, 107, then A1, C7', (format) => {
    const result = crm(['customer', 'list', ...db, '--format', format])
    expectHandled(result, 0)
    const lines = result.stdout.trim().split('\n')
    const shown =
      format === 'json'
        ? json<any[]>(result).map((r) => r.customer_id)
        : format === 'table'
          ? lines.map((l) => /^\W*([0-9A-Z]\w*)\s/u.exec(l)?.[1]).filter((id) => id !== undefined && id !== 'Customer')
          : lines.slice(1).map((l) => l.split(/[,\t]/)[0])
    expect(shown).toEqual(['1', '2', '10', '107', 'A1', 'C7'])
  })

  it('in customer export and with --limit', () => {
    const csv = crm(['customer', 'export', ...db, '--format', 'csv']).stdout
    expect(
      csv
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(['1', '2', '10', '107', 'A1', 'C7'])
    expect(ids(crm(['customer', 'list', ...db, '--limit', '3', '--json']))).toEqual(['1', '2', '10'])
  })

  it('across pages of a larger book, each customer once, in order', () => {
    const big = join(temp.dir, 'big.csv')
    const numbers = Array.from({length: 1500}, (_, i) => String(((i * 7919) % 1500) + 1))
    writeFileSync(big, ['customer_id,name,type', ...numbers.map((n) => `${n},客户${n},individual`)].join('\n'))
    const bigDb = ['--db', join(temp.dir, 'big.db')]
    expect(crm(['customer', 'import', big, ...bigDb]).code).toBe(0)
    const expected = Array.from({length: 1500}, (_, i) => String(i + 1))
    expect(ids(crm(['customer', 'list', ...bigDb, '--json']))).toEqual(expected)
    const lines = crm(['customer', 'list', ...bigDb, '--format', 'ndjson'])
      .stdout.trim()
      .split('\n')
    expect(lines.map((l) => JSON.parse(l).customer_id)).toEqual(expected)
  })
})
