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
})
