import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import type ExcelJS from 'exceljs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, crm, crmAsync, json, ROOT, tempDir} from '../helpers/cli.js'

// --format xlsx: a workbook read back with exceljs's own reader, cell by cell: text stays text (every digit, the
// leading zeros, never a formula), amounts are numbers with two decimals, personal data masked unless --reveal.

const Excel = createRequire(import.meta.url)('exceljs') as typeof ExcelJS
const temp = tempDir()
const db = ['--db', temp.db]
const ID = '110105198509101381'
const LANDLINE = '010-12345678'
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1-2', '-2+3', '@SUM(A1)']
let made = 0
const out = (name = 'book.xlsx') => join(temp.dir, `${++made}-${name}`)

beforeAll(() => {
  const book = join(temp.dir, 'customers.csv')
  writeFileSync(
    book,
    [
      'customer_id,name,type,id_number,phone,aum,deposits,birth_date,风险偏好',
      `007,${JSON.stringify(FORMULAS[0]).replaceAll('\\"', '""')},individual,${ID},${LANDLINE},12345678.91,0.01,1985-09-10,稳健型`,
      `0100,${FORMULAS[1]},individual,11010519491231002X,13800138000,0,,,`,
      `C3,${FORMULAS[2]},individual,,,1,,,`,
      `C4,${FORMULAS[3]},individual,,,,,,`,
    ].join('\n'),
  )
  succeeded(crm(['customer', 'import', book, ...db]))
  const note = `first line\u0007 bell, then =1+2 and ${ID}`
  const logged = crm([
    'contact',
    'log',
    '--customer',
    '007',
    '--channel',
    'phone',
    '--purpose',
    'review',
    '--note',
    note,
    ...db,
  ])
  succeeded(logged)
})
afterAll(temp.cleanup)

async function sheetOf(file: string): Promise<ExcelJS.Worksheet> {
  const book = new Excel.Workbook()
  await book.xlsx.readFile(file)
  return book.worksheets[0]
}

/** A sheet's rows as records keyed by the header row's cells. */
function rowsOf(sheet: ExcelJS.Worksheet): Map<string, ExcelJS.Cell>[] {
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String)
  const rows: Map<string, ExcelJS.Cell>[] = []
  for (let r = 2; r <= sheet.rowCount; r++)
    rows.push(new Map(header.map((key, i) => [key, sheet.getRow(r).getCell(i + 1)])))
  return rows
}

const exportCustomers = (file: string, ...more: string[]) =>
  crm(['customer', 'export', '--format', 'xlsx', '--output', file, ...more, ...db])

/** Expects a run to succeed, showing what it said on stderr when it did not. */
function succeeded(result: {code: number; stderr: string}): void {
  expect(result.code, result.stderr).toBe(0)
}

describe('customer export --format xlsx', () => {
  const file = out()
  let rows: Map<string, ExcelJS.Cell>[]
  let byId: (id: string) => Map<string, ExcelJS.Cell>
  beforeAll(async () => {
    succeeded(exportCustomers(file, '--reveal'))
    rows = rowsOf(await sheetOf(file))
    byId = (id) => rows.find((r) => r.get('customer_id')!.value === id)!
  })

  it('writes the customer ids 007 and 0100 as text cells, leading zeros kept', () => {
    expect(rows.map((r) => [r.get('customer_id')!.value, r.get('customer_id')!.type])).toEqual([
      ['007', Excel.ValueType.String],
      ['0100', Excel.ValueType.String],
      ['C3', Excel.ValueType.String],
      ['C4', Excel.ValueType.String],
    ])
  })

  it('writes an 18-digit ID number as text with every digit', () => {
    const cell = byId('007').get('id_number')!
    expect([cell.value, cell.type]).toEqual([ID, Excel.ValueType.String])
  })

  it('writes a phone with a leading zero as text', () => {
    const cell = byId('007').get('phone')!
    expect([cell.value, cell.type]).toEqual([LANDLINE, Excel.ValueType.String])
  })

  it('writes amounts as numbers in yuan with a two-decimal format', () => {
    const aum = byId('007').get('aum')!
    const deposits = byId('007').get('deposits')!
    expect([aum.value, aum.type, aum.numFmt]).toEqual([12345678.91, Excel.ValueType.Number, '#,##0.00'])
    expect([deposits.value, deposits.type]).toEqual([0.01, Excel.ValueType.Number])
    expect(byId('0100').get('aum')!.value).toBe(0)
  })

  it('leaves a missing amount empty, not 0', () => {
    expect(byId('C4').get('aum')!.type).toBe(Excel.ValueType.Null)
  })

  it('writes dates as ISO text', () => {
    const cell = byId('007').get('birth_date')!
    expect([cell.value, cell.type]).toEqual(['1985-09-10', Excel.ValueType.String])
  })

  it('writes formula-looking names as plain text cells, never formulas', () => {
    const names = rows.map((r) => r.get('name')!)
    expect(names.map((c) => [c.value, c.type, c.formula])).toEqual(
      FORMULAS.map((f) => [f, Excel.ValueType.String, undefined]),
    )
  })

  it('holds no formula element in the sheet XML itself', () => {
    const xml = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], {encoding: 'utf8'})
    expect(xml).toContain('=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)')
    expect(xml).not.toMatch(/<f[ >]/)
  })

  it('keeps the kept columns as one JSON text cell, as the CSV does', () => {
    expect(byId('007').get('extra')!.value).toBe('{"风险偏好":"稳健型"}')
  })

  it('holds the same rows and values as the JSON export', () => {
    const records = json<Record<string, unknown>[]>(crm(['customer', 'export', '--format', 'json', '--reveal', ...db]))
    const fromBook = rows.map((r) =>
      Object.fromEntries([...r].map(([key, cell]) => [key, cell.type === Excel.ValueType.Null ? null : cell.value])),
    )
    const money = new Set(['aum', 'deposits', 'loans', 'contribution', 'revenue', 'total_assets'])
    const expected = records.map((record) =>
      Object.fromEntries(
        Object.entries(record).map(([key, value]) => [
          key,
          value === null
            ? null
            : money.has(key)
              ? Number(value)
              : typeof value === 'object'
                ? JSON.stringify(value)
                : value,
        ]),
      ),
    )
    expect(fromBook).toEqual(expected)
  })

  it('is private to its owner, as every export', () => {
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })
})

describe('masking in a workbook', () => {
  it('masks ID numbers and phones unless --reveal, exactly as the CSV export', async () => {
    const file = out()
    succeeded(exportCustomers(file))
    const row = rowsOf(await sheetOf(file)).find((r) => r.get('customer_id')!.value === '007')!
    const csv = crm(['customer', 'export', '--format', 'csv', ...db]).stdout
    const masked = [row.get('id_number')!.value, row.get('phone')!.value, row.get('birth_date')!.value]
    expect(masked).toEqual(['110105********1381', '010-****5678', '1985-**-**'])
    for (const text of masked) expect(csv).toContain(String(text))
    expect(readFileSync(file).includes(Buffer.from(ID))).toBe(false)
  })

  it('records a --reveal in the audit log with the rows exported', () => {
    const file = out()
    succeeded(exportCustomers(file, '--reveal', '--actor', 'auditor-x'))
    const sql = new Database(temp.db, {readonly: true})
    const entry = sql
      .prepare("SELECT rows, details FROM audit_log WHERE action = 'customer.export.reveal' AND actor = 'auditor-x'")
      .get() as {rows: number; details: string}
    sql.close()
    expect(entry.rows).toBe(4)
    expect(JSON.parse(entry.details)).toMatchObject({output: file, status: 'complete'})
  })
})

describe('contact export --format xlsx', () => {
  it('masks an ID number in a note, writes a control character as an escape and says so', async () => {
    const file = out()
    const result = crm(['contact', 'export', '--format', 'xlsx', '--output', file, ...db])
    succeeded(result)
    expect(result.stderr).toContain('1 cells held control characters a workbook cannot hold: written as \\xHH escapes')
    const [row] = rowsOf(await sheetOf(file))
    expect(row.get('notes')!.value).toBe('first line\\x07 bell, then =1+2 and 110105********1381')
    expect(row.get('customer_id')!.value).toBe('007')
  })

  it('shows the note whole with --reveal', async () => {
    const file = out()
    succeeded(crm(['contact', 'export', '--format', 'xlsx', '--reveal', '--output', file, ...db]))
    const [row] = rowsOf(await sheetOf(file))
    expect(row.get('notes')!.value).toBe(`first line\\x07 bell, then =1+2 and ${ID}`)
  })
})

describe('classify show --format xlsx', () => {
  it('writes a run customer by customer to a workbook', async () => {
    succeeded(crm(['classify', '--scheme', 'retail-aum', '--as-of', '2026-11-30', ...db]))
    const file = out()
    const result = crm(['classify', 'show', '1', '--format', 'xlsx', '--output', file, '--json', ...db])
    succeeded(result)
    expect(json(result)).toMatchObject({run: 1, exported: 4, output: file})
    const sheet = await sheetOf(file)
    expect(sheet.name).toBe('run 1')
    expect(rowsOf(sheet).map((r) => r.get('customer_id')!.value)).toEqual(['007', '0100', 'C3', 'C4'])
  })
})

describe('where a workbook may go', () => {
  it('is refused on a terminal, with a usage error', () => {
    const result = spawnSync(
      'python3',
      [
        join(ROOT, 'test/helpers/pty-run.py'),
        '[]',
        '--',
        process.execPath,
        BIN,
        'customer',
        'export',
        '--format',
        'xlsx',
        ...db,
      ],
      {cwd: ROOT, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8'}},
    )
    expect(result.status).toBe(2)
    expect(result.stdout).toContain('an xlsx workbook is binary: it is not written to a terminal')
    expect(result.stdout).not.toContain('PK')
  })

  it('goes to a pipe as a whole workbook', async () => {
    const result = spawnSync(process.execPath, [BIN, 'customer', 'export', '--format', 'xlsx', ...db], {cwd: ROOT})
    expect(result.status).toBe(0)
    const file = out()
    writeFileSync(file, result.stdout)
    expect(rowsOf(await sheetOf(file))).toHaveLength(4)
  })

  it.each([
    ['the database', () => temp.db],
    ['the database through another path', () => join(temp.dir, '.', 'crm.db')],
  ])('is never written over %s', (_, target) => {
    const before = readFileSync(temp.db)
    const result = crm(['customer', 'export', '--format', 'xlsx', '--output', target(), '--force', ...db])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('will not write over')
    expect(readFileSync(temp.db).equals(before)).toBe(true)
  })

  it('does not replace an existing file without --force', () => {
    const file = out()
    writeFileSync(file, 'mine')
    expect(exportCustomers(file).code).toBe(2)
    expect(readFileSync(file, 'utf8')).toBe('mine')
  })

  it.each([
    ['customer list', ['customer', 'list']],
    ['contact list', ['contact', 'list']],
    ['summary', ['summary', '--scheme', 'retail-aum']],
  ])('is refused by %s, which prints rows', (_, args) => {
    const result = crm([...args, '--format', 'xlsx', ...db])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--format xlsx writes a workbook file: only exports take it')
    expect(result.stdout).toBe('')
  })

  it('refuses --encoding gbk, which a workbook has no use for', () => {
    const result = crm(['customer', 'export', '--format', 'xlsx', '--encoding', 'gbk', '--output', out(), ...db])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--encoding gbk is for csv and tsv')
  })
})

describe('killed while writing (kill -9)', () => {
  const big = join(temp.dir, 'big.db')
  beforeAll(() => {
    writeFileSync(join(temp.dir, 'one.csv'), 'customer_id,name,type\nA0,王伟,individual\n')
    succeeded(crm(['customer', 'import', join(temp.dir, 'one.csv'), '--db', big]))
    const sql = new Database(big)
    sql
      .prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
      INSERT INTO customers (customer_id, name, type, id_number, phone, aum_fen, created_batch_id, updated_batch_id)
      SELECT printf('C%09d', i), '客户' || i, 'individual', printf('1101051985%08d', i), printf('139%08d', i), i * 12345,
        1, 1 FROM n`)
      .run()
    sql.close()
  })

  /** Starts an export of the big book to `name`, and resolves once its temporary file holds some of the workbook. */
  async function startedExport(name: string) {
    const child = crmAsync(['customer', 'export', '--format', 'xlsx', '--output', join(temp.dir, name), '--db', big])
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const temporary = () => readdirSync(temp.dir).filter((file) => file.startsWith(`.${name}.`))
    let started = false
    for (let i = 0; i < 2000 && !started; i++) {
      await new Promise((r) => setTimeout(r, 20))
      started = temporary().some((file) => statSync(join(temp.dir, file)).size > 0)
    }
    expect(started).toBe(true)
    return {child, exited, temporary}
  }

  it('on Ctrl-C (SIGINT) leaves no file at the target and removes its temporary file', async () => {
    const {child, exited, temporary} = await startedExport('interrupted.xlsx')
    child.kill('SIGINT')
    await exited
    expect(existsSync(join(temp.dir, 'interrupted.xlsx'))).toBe(false)
    expect(temporary()).toEqual([])
  })

  it('leaves no file at the target, and the next export replaces what it left', async () => {
    const target = join(temp.dir, 'killed.xlsx')
    const {child, exited, temporary} = await startedExport('killed.xlsx')
    child.kill('SIGKILL')
    await exited
    expect(existsSync(target)).toBe(false)
    expect(temporary()).toHaveLength(1)
    // The next export to the same file writes it whole and removes what the killed one left.
    expect(
      crm(['customer', 'export', '--format', 'xlsx', '--output', target, '--search', 'C0000000', '--db', big]).code,
    ).toBe(0)
    expect(temporary()).toEqual([])
    expect(rowsOf(await sheetOf(target))).toHaveLength(99)
  })
})
