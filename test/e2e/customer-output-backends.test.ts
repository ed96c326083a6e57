import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {createRequire} from 'node:module'
import type ExcelJS from 'exceljs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {describePostgres, postgresBook} from '../helpers/backends.js'
import {crm, ROOT, tempDir} from '../helpers/cli.js'
import {copySqliteBook} from '../helpers/pg-seed.js'

const Excel = createRequire(import.meta.url)('exceljs') as typeof ExcelJS

/** A workbook's cells in order: where, of what type, holding what. */
async function cells(file: string): Promise<string[]> {
  const book = new Excel.Workbook()
  await book.xlsx.readFile(file)
  const all: string[] = []
  book.worksheets[0].eachRow({includeEmpty: true}, (row) =>
    row.eachCell({includeEmpty: true}, (cell) => {
      all.push(`${cell.address} ${cell.type} ${JSON.stringify(cell.value)}`)
    }),
  )
  return all
}

// The same book on SQLite and on PostgreSQL prints the same bytes: customer list and export in every format, masked
// and revealed, filtered, and a workbook. SQLite writes its records in SQL, PostgreSQL's rows are written in JS.
describePostgres('customer list and export print the same bytes on both books', () => {
  const sqlite = tempDir()
  const pg = postgresBook()
  afterAll(() => {
    sqlite.cleanup()
    pg.cleanup()
  })

  beforeAll(() => {
    // Cells a spreadsheet would run, quotes, separators, a backslash, the largest amount, kept columns.
    const tricky = join(sqlite.dir, 'tricky.csv')
    writeFileSync(
      tricky,
      [
        '客户号,客户名称,客户类型,证件号码,手机号码,电子邮箱,所属网点,客户经理,金融资产,贷款余额,zeta,alpha,备注',
        'X1,"=1+2, ""quoted""",个人,11010519491231002X,13800138000,a@b.cn,"-支行\\tab",rm01,12.5,"999,999,999,999,999.99",z,a,+86 138 0013 8000',
        '007,\'-apostrophe,对公,91350100M000100Y43,021-12345678,x@y.cn,浦东支行,RM01,0.01,1,,,"line one"',
      ].join('\n'),
    )
    // PostgreSQL keeps the kept columns as jsonb, which orders an object's keys by length, then by their bytes:
    // the sample's two kept columns would come in the other order. The sample keeps one; the tricky file's are in
    // jsonb's order.
    const sample = join(sqlite.dir, 'customers.csv')
    const lines = readFileSync(join(ROOT, 'data/customers.csv'), 'utf8').trimEnd().split('\n')
    const riskColumn = lines[0].split(',').indexOf('风险偏好')
    writeFileSync(
      sample,
      lines
        .map((line) =>
          line
            .split(',')
            .filter((_, i) => i !== riskColumn)
            .join(','),
        )
        .join('\n'),
    )
    expect(crm(['customer', 'import', sample, '--db', sqlite.db]).code).toBe(0)
    expect(crm(['customer', 'import', tricky, '--db', sqlite.db]).code).toBe(0)
    copySqliteBook(sqlite.db, pg.db)
  })

  const both = (args: string[]) => [sqlite.db, pg.db].map((db) => crm([...args, '--db', db]))

  describe.each([[], ['--reveal']])('customer list %j', (...reveal: string[]) => {
    it.each([['csv'], ['tsv'], ['json'], ['ndjson'], ['table']])('as %s', (format) => {
      const [a, b] = both(['customer', 'list', '--format', format, ...reveal])
      expect(a.code).toBe(0)
      expect(b.stdout).toBe(a.stdout)
      expect(b.stdout.length).toBeGreaterThan(1000)
    })
  })

  it.each([
    ['--branch', '浦东支行'],
    ['--rm', 'rm01'],
    ['--type', 'corporate', '--limit', '7'],
    ['--search', '建筑'],
    ['--search', '8000'],
    ['--search', 'x1'],
  ])('filtered by %s %s', (...filter) => {
    const [a, b] = both(['customer', 'list', '--format', 'csv', ...filter])
    expect(a.code).toBe(0)
    expect(a.stdout.split('\n').length).toBeGreaterThan(2)
    expect(b.stdout).toBe(a.stdout)
  })

  it.each([['csv'], ['tsv'], ['json'], ['ndjson']])('customer export as %s', (format) => {
    const [a, b] = both(['customer', 'export', '--format', format])
    expect(a.code).toBe(0)
    expect(b.stdout).toBe(a.stdout)
  })

  it('customer export as a workbook', async () => {
    const files = [join(sqlite.dir, 'a.xlsx'), join(sqlite.dir, 'b.xlsx')]
    const [a, b] = [sqlite.db, pg.db].map((db, i) =>
      crm(['customer', 'export', '--format', 'xlsx', '--output', files[i], '--reveal', '--db', db]),
    )
    expect([a.code, b.code]).toEqual([0, 0])
    // Cell by cell, with each cell's type (the file's own creation time differs).
    const [x, y] = await Promise.all(files.map(cells))
    expect(x.length).toBe(2003 * 28)
    expect(y).toEqual(x)
  })
})
