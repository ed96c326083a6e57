import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type ExcelJS from 'exceljs'
import {afterAll, describe, expect, it} from 'vitest'
import {createAtomic} from '../../src/io/files.js'
import {type View, writeRows} from '../../src/io/row-writer.js'
import {writeWorkbook} from '../../src/io/xlsx-writer.js'

const Excel = createRequire(import.meta.url)('exceljs') as typeof ExcelJS
const dir = mkdtempSync(join(tmpdir(), 'crm-xlsx-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

type Row = {id: string; amount: string}
const VIEW: View<Row> = {columns: [], keys: ['id', 'amount'], record: (r) => r, money: ['amount']}
const rows = (n: number): Row[] =>
  Array.from({length: n}, (_, i) => ({id: String(i + 1).padStart(3, '0'), amount: `${i}.05`}))
const rules = {protect: [], force: false, another: 'choose another file'}

async function read(file: string): Promise<ExcelJS.Workbook> {
  const book = new Excel.Workbook()
  await book.xlsx.readFile(file)
  return book
}

describe('writeWorkbook', () => {
  it('goes on to another sheet, with its own header, when a sheet is full', async () => {
    const path = join(dir, 'sheets.xlsx')
    const file = createAtomic(path, rules)
    const written = await writeWorkbook(rows(25), VIEW, {file, sheet: 'customers', sheetRows: 10})
    file.commit()
    const book = await read(path)
    expect(book.worksheets.map((s) => [s.name, s.rowCount])).toEqual([
      ['customers', 10],
      ['customers (2)', 10],
      ['customers (3)', 8],
    ])
    expect(book.worksheets[1].getRow(1).values).toEqual([undefined, 'id', 'amount'])
    expect(book.worksheets[2].getRow(8).values).toEqual([undefined, '025', 24.05])
    expect(written).toMatchObject({rows: 25, workbook: {sheets: 3, cut: 0, escaped: 0}})
  })

  it('holds every row in one sheet while they fit', async () => {
    const path = join(dir, 'one-sheet.xlsx')
    const file = createAtomic(path, rules)
    await writeWorkbook(rows(9), VIEW, {file, sheet: 'customers', sheetRows: 10})
    file.commit()
    expect((await read(path)).worksheets.map((s) => s.rowCount)).toEqual([10])
  })
})

describe('writeRows --format xlsx', () => {
  it('leaves no file, and no temporary one, when reading the rows fails part-way', async () => {
    const path = join(dir, 'failed.xlsx')
    function* failing() {
      yield* rows(2000)
      throw new Error('the database went away')
    }
    const export_ = {format: 'xlsx' as const, encoding: 'utf-8' as const, output: path, force: false, protect: []}
    await expect(writeRows(failing(), VIEW, {format: 'xlsx', export: export_})).rejects.toThrow('went away')
    expect(existsSync(path)).toBe(false)
    expect(readdirSync(dir).filter((name) => name.startsWith('.failed.xlsx'))).toEqual([])
  })
})
