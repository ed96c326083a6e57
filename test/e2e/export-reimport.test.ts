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
    const report = json<{read: number; inserted: number; updated: number; unchanged: number; rejected: number; unknown_columns: string[]}>(result)
    expect(report.read).toBeGreaterThan(0)
    expect({inserted: report.inserted, updated: report.updated, rejected: report.rejected, unchanged: report.unchanged}).toEqual({inserted: 0, updated: 0, rejected: 0, unchanged: report.read})
    expect(report.unknown_columns).toContain('id')
  })

  it('customer export --reveal → customer import: every customer unchanged, kept columns kept as they were', () => {
    const book = join(temp.dir, 'book.csv')
    writeFileSync(book, 'customer_id,name,type,aum,risk_class,备注\nK1,甲,individual,100.50,R2,"a ""quoted"", note"\nK2,乙,corporate,0,,\n')
    expect(crm(['customer', 'import', book, ...db]).code).toBe(0)
    const file = join(temp.dir, 'customers-export.csv')
    expect(crm(['customer', 'export', '--reveal', '--output', file, ...db]).code).toBe(0)
    const result = crm(['customer', 'import', file, '--json', ...db])
    expect(result.code).toBe(0)
    const report = json<{read: number; inserted: number; updated: number; unchanged: number; rejected: number; unknown_columns: string[]}>(result)
    expect(report.read).toBe(2002)
    expect({inserted: report.inserted, updated: report.updated, rejected: report.rejected, unchanged: report.unchanged}).toEqual({inserted: 0, updated: 0, rejected: 0, unchanged: 2002})
    expect(report.unknown_columns).toEqual([])
    // Into a new database, the kept columns come back as columns, not as one "extra" text.
    const fresh = ['--db', join(temp.dir, 'fresh.db')]
    expect(crm(['customer', 'import', file, ...fresh]).code).toBe(0)
    expect(json<{extra: unknown}>(crm(['customer', 'show', 'K1', '--json', ...fresh])).extra).toEqual({risk_class: 'R2', 备注: 'a "quoted", note'})
  })
})
