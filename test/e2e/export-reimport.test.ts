import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, ROOT, tempDir} from '../helpers/cli.js'

// What crm exports, crm imports back: into the same database, every row is unchanged.

const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]

beforeAll(() => {
  expect(crm(['customer', 'import', join(ROOT, 'data/customers.csv'), ...db]).code).toBe(0)
  expect(crm(['contact', 'import', join(ROOT, 'data/contacts.csv'), ...db]).code).toBe(0)
})

describe('export, then import into the same database', () => {
  it('contact export → contact import: every contact unchanged, its "id" column beside customer_id not a clash', () => {
    const file = join(temp.dir, 'contacts-export.csv')
    expect(crm(['contact', 'export', '--output', file, ...db]).code).toBe(0)
    const result = crm(['contact', 'import', file, '--json', ...db])
    expect(result.code).toBe(0)
    const report = json<{
      read: number
      inserted: number
      updated: number
      unchanged: number
      rejected: number
      unknown_columns: string[]
    }>(result)
    expect(report.read).toBeGreaterThan(0)
    expect({
      inserted: report.inserted,
      updated: report.updated,
      rejected: report.rejected,
      unchanged: report.unchanged,
    }).toEqual({inserted: 0, updated: 0, rejected: 0, unchanged: report.read})
    expect(report.unknown_columns).toContain('id')
  })

  it('customer export --reveal → customer import: every customer unchanged, kept columns kept as they were', () => {
    const book = join(temp.dir, 'book.csv')
    writeFileSync(
      book,
      'customer_id,name,type,aum,risk_class,备注\nK1,甲,individual,100.50,R2,"a ""quoted"", note"\nK2,乙,corporate,0,,\n',
    )
    expect(crm(['customer', 'import', book, ...db]).code).toBe(0)
    const file = join(temp.dir, 'customers-export.csv')
    expect(crm(['customer', 'export', '--reveal', '--output', file, ...db]).code).toBe(0)
    const result = crm(['customer', 'import', file, '--json', ...db])
    expect(result.code).toBe(0)
    const report = json<{
      read: number
      inserted: number
      updated: number
      unchanged: number
      rejected: number
      unknown_columns: string[]
    }>(result)
    expect(report.read).toBe(2002)
    expect({
      inserted: report.inserted,
      updated: report.updated,
      rejected: report.rejected,
      unchanged: report.unchanged,
    }).toEqual({inserted: 0, updated: 0, rejected: 0, unchanged: 2002})
    expect(report.unknown_columns).toEqual([])
    // Into a new database, the kept columns come back as columns, not as one "extra" text.
    const fresh = ['--db', join(temp.dir, 'fresh.db')]
    expect(crm(['customer', 'import', file, ...fresh]).code).toBe(0)
    expect(json<{extra: unknown}>(crm(['customer', 'show', 'K1', '--json', ...fresh])).extra).toEqual({
      risk_class: 'R2',
      备注: 'a "quoted", note',
    })
  })
})

describe('TSV export, then import into a new database', () => {
  // The TSV writer escapes \, tab, LF and CR in cells (tsvCell): the import reads them back.
  const text = 'line one\nline two\twith a tab, C:\\new and a written \\n\r\nend'
  const fresh = ['--db', join(temp.dir, 'tsv.db')]

  it('customer export --format tsv → customer import: kept values with line breaks, tabs and backslashes as they were', () => {
    const book = join(temp.dir, 'tsv-book.json')
    writeFileSync(book, JSON.stringify([{customer_id: 'T1', name: '丙', type: 'individual', aum: '1', 备注: text}]))
    expect(crm(['customer', 'import', book, ...db]).code).toBe(0)
    const file = join(temp.dir, 'customers.tsv')
    expect(crm(['customer', 'export', '--reveal', '--format', 'tsv', '--output', file, ...db]).code).toBe(0)
    expect(crm(['customer', 'import', file, ...fresh]).code).toBe(0)
    expect(json<{extra: unknown}>(crm(['customer', 'show', 'T1', '--json', ...fresh])).extra).toEqual({备注: text})
  })

  it('contact export --format tsv → contact import: a note with line breaks, tabs and backslashes as it was', () => {
    expect(
      crm([
        'contact',
        'log',
        '--customer',
        'T1',
        '--channel',
        'phone',
        '--purpose',
        'service',
        '--at',
        '2026-11-20 15:30',
        '--note',
        text,
        ...db,
      ]).code,
    ).toBe(0)
    const file = join(temp.dir, 'contacts.tsv')
    expect(crm(['contact', 'export', '--customer', 'T1', '--format', 'tsv', '--output', file, ...db]).code).toBe(0)
    expect(crm(['contact', 'import', file, ...fresh]).code).toBe(0)
    expect(
      json<{notes: string}[]>(crm(['contact', 'list', '--customer', 'T1', '--json', ...fresh])).map((c) => c.notes),
    ).toEqual([text])
  })

  it('a backslash before anything but \\, t, n or r stays as written', () => {
    const file = join(temp.dir, 'hand.tsv')
    writeFileSync(file, 'customer_id\tname\ttype\tpath\nH1\t丁\tindividual\tC:\\data\\x\\\\y\\n\n')
    expect(crm(['customer', 'import', file, ...fresh]).code).toBe(0)
    expect(json<{extra: unknown}>(crm(['customer', 'show', 'H1', '--json', ...fresh])).extra).toEqual({
      path: 'C:\\data\\x\\y\n',
    })
  })
})
