import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import {afterAll, describe, expect, it} from 'vitest'
import {BIN, crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'
import {rejectsOf, scratchIn} from '../helpers/scratch.js'

// Issue 17 §5, the import side: crm's own exports, dates, files without an id column, 5万, rejects in the file's words.

const REAL = join(ROOT, '..', 'shared', 'data', 'real')
const temp = tempDir()
afterAll(temp.cleanup)
const {file, db} = scratchIn(temp.dir)

interface Report {
  read: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  unknown_columns: string[]
  reject_examples: {line: number; field: string; reason: string}[]
}

/** An export's rows without the columns crm sets itself on import (timestamps, a contact's own id and closing). */
function exportRows(path: string, without: readonly string[]): string[][] {
  const rows = parse(readFileSync(path, 'utf8'), {bom: true}) as string[][]
  const keep = rows[0].map((h, i) => (without.includes(h) ? -1 : i)).filter((i) => i >= 0)
  return rows.map((r) => keep.map((i) => r[i]))
}

/** The customer of that exact id, as customer list --reveal --json gives it (a list of none or one). */
const customerRows = (database: string, id: string) =>
  json<Record<string, unknown>[]>(
    crm(['customer', 'list', '--search', id, '--reveal', '--json', '--db', database]),
  ).filter((c) => c.customer_id === id)

describe('round trip: customer export, then customer import into a new database', () => {
  const hostile = [
    'customer_id,name,type,id_number,phone,金融资产,opened_on,备注,Risk Note',
    'H1,王伟,individual,11010519491231002X,13912345678,5万,2024-01-05,"a ""quoted"", note","line one\nline two"',
    'H2,Ｗａｎｇ,individual,,,１，２３４.５０,２０２４－０１－０５,＝1+2,\t tab',
    'H3,"O\'Brien",individual,,,0.01,,=HYPERLINK("x"),全角１２３',
    '',
  ].join('\n')

  it.each([
    ['data/customers.csv', join(ROOT, 'data/customers.csv')],
    ['a hostile file', file('hostile.csv', hostile)],
  ])(
    'export --reveal of a book imported from %s imports into a new database and exports the same bytes',
    (_, source) => {
      const [first, second] = [db(), db()]
      expect(crm(['customer', 'import', source, '--db', first]).code).toBe(0)
      const exported = join(temp.dir, `first-${first.split('/').pop()}.csv`)
      expect(crm(['customer', 'export', '--reveal', '--output', exported, '--db', first]).code).toBe(0)
      const result = crm(['customer', 'import', exported, '--json', '--db', second])
      expect(result.code).toBe(0)
      const report = json<Report>(result)
      expect(report.unknown_columns).toEqual([])
      expect(report.inserted).toBe(report.read)
      const again = join(temp.dir, `second-${second.split('/').pop()}.csv`)
      expect(crm(['customer', 'export', '--reveal', '--output', again, '--db', second]).code).toBe(0)
      const timestamps = ['created_at', 'updated_at']
      expect(exportRows(again, timestamps)).toEqual(exportRows(exported, timestamps))
      // Byte for byte, once crm's own timestamps (set by each import) are cut out of both files.
      const strip = (path: string) => readFileSync(path, 'utf8').replace(/,\d{4}-\d\d-\d\dT[\d:]+\+00:00/g, '')
      expect(strip(again)).toBe(strip(exported))
    },
  )

  it('keeps the extra column as the kept columns under their own names, and ignores crm timestamps', () => {
    const [first, second] = [db(), db()]
    crm(['customer', 'import', file('kept.csv', hostile), '--db', first])
    const exported = join(temp.dir, 'kept-export.csv')
    crm(['customer', 'export', '--reveal', '--output', exported, '--db', first])
    crm(['customer', 'import', exported, '--db', second])
    const [row] = customerRows(second, 'H1')
    expect(row.extra).toEqual({备注: 'a "quoted", note', 'Risk Note': 'line one\nline two'})
    expect(JSON.stringify(row.extra)).not.toMatch(/created_at|updated_at/)
  })

  it('refuses a masked customer export with one message, writing nothing and no reject file', () => {
    const [first, second] = [db(), db()]
    crm(['customer', 'import', join(ROOT, 'data/customers.csv'), '--db', first])
    const masked = join(temp.dir, 'masked-customers.csv')
    expect(crm(['customer', 'export', '--output', masked, '--db', first]).code).toBe(0)
    const result = crm(['customer', 'import', masked, '--db', second])
    expectHandled(result, 3)
    expect(result.stderr).toMatch(/is a masked crm export \(id_number on line 2 is masked\)/)
    expect(result.stderr).toContain('--reveal')
    expect(result.stderr.split('\n').filter((l) => l.includes('masked')).length).toBe(1)
    expect(result.stdout).toBe('')
    expect(existsSync(masked.replace(/\.csv$/, '.rejects.csv'))).toBe(false)
    expect(json<unknown[]>(crm(['customer', 'list', '--json', '--db', second]))).toEqual([])
  })
})

describe('round trip: contact export, then contact import into a new database', () => {
  const customers = 'customer_id,name,type\nK1,甲,individual\nK2,乙,corporate\n'
  const contacts = [
    'customer_id,at,channel,direction,purpose,outcome,notes,follow_up_on',
    'K1,2026-01-05 10:00,phone,out,review,reached,"call back on 13912345678, ""urgent""",2026-02-01',
    'K2,2026-01-06 11:30,visit,in,complaint,,"多行\n备注",',
    '',
  ].join('\n')

  function book(): string {
    const path = db()
    crm(['customer', 'import', file('c.csv', customers), '--db', path])
    expect(crm(['contact', 'import', file('k.csv', contacts), '--db', path]).code).toBe(0)
    return path
  }

  it('export --reveal imports into a new database and exports the same contacts', () => {
    const [first, second] = [book(), db()]
    crm(['customer', 'import', file('c.csv', customers), '--db', second])
    const exported = join(temp.dir, 'contacts-revealed.csv')
    expect(crm(['contact', 'export', '--reveal', '--output', exported, '--db', first]).code).toBe(0)
    const result = crm(['contact', 'import', exported, '--json', '--db', second])
    expect(result.code).toBe(0)
    expect(json<Report>(result)).toMatchObject({read: 2, inserted: 2, rejected: 0})
    const again = join(temp.dir, 'contacts-again.csv')
    crm(['contact', 'export', '--reveal', '--output', again, '--db', second])
    const own = ['id', 'logged_at', 'follow_up_closed_at', 'follow_up_closed_by']
    expect(exportRows(again, own)).toEqual(exportRows(exported, own))
    expect(readFileSync(again, 'utf8')).toContain('13912345678')
  })

  it('refuses a masked contact export with one message, writing nothing', () => {
    const [first, second] = [book(), db()]
    crm(['customer', 'import', file('c.csv', customers), '--db', second])
    const masked = join(temp.dir, 'contacts-masked.csv')
    crm(['contact', 'export', '--output', masked, '--db', first])
    expect(readFileSync(masked, 'utf8')).toContain('139****5678')
    const result = crm(['contact', 'import', masked, '--db', second])
    expectHandled(result, 3)
    expect(result.stderr).toMatch(/is a masked crm export \(notes on line \d is masked\).*--reveal/s)
    expect(json<unknown[]>(crm(['contact', 'list', '--json', '--db', second]))).toEqual([])
  })
})

describe('date formats', () => {
  const berka = join(REAL, 'berka/account.asc')
  const accounts = ['--map', 'account_id=customer_id', '--map', 'date=opened_on', '--map', 'frequency=name']
  const withType = file('berka.json', JSON.stringify({columns: {}, defaults: {type: 'individual'}}))

  it('reads the Berka dataset dates (YYMMDD) with --date-format YYMMDD', () => {
    const database = db()
    const args = ['customer', 'import', berka, ...accounts, '--mapping', withType, '--db', database, '--json']
    const result = crm([...args, '--date-format', 'YYMMDD'])
    expect(result.code).toBe(0)
    expect(json<Report>(result)).toMatchObject({read: 4500, inserted: 4500, rejected: 0})
    // 576;55;"POPLATEK MESICNE";930101 and the last line, 3276;1;"POPLATEK MESICNE";971229
    expect(customerRows(database, '576')[0].opened_on).toBe('1993-01-01')
    expect(customerRows(database, '3276')[0].opened_on).toBe('1997-12-29')
  })

  it('refuses six-digit dates without --date-format, saying what to pass', () => {
    const result = crm(['customer', 'import', berka, ...accounts, '--mapping', withType, '--db', db(), '--json'])
    expectHandled(result, 3)
    const report = json<Report>(result)
    expect(report.rejected).toBe(4500)
    expect(report.reject_examples[0]).toEqual({
      line: 2,
      field: 'date [opened_on]',
      reason: '"930101" is six digits: if it is a date with a two-digit year (YYMMDD), pass --date-format YYMMDD',
    })
  })

  const yearLast = 'customer_id,name,type,opened_on\nD1,a,individual,03/04/2025\nD2,b,individual,25/12/2024\n'

  it.each([
    ['DD/MM/YYYY', '2025-04-03', '2024-12-25'],
    ['MM/DD/YYYY', '2025-03-04', null],
  ])('reads 03/04/2025 by --date-format %s', (format, d1, d2) => {
    const database = db()
    const result = crm(['customer', 'import', file('dmy.csv', yearLast), '--date-format', format, '--db', database])
    expectHandled(result, d2 === null ? 3 : 0)
    expect(customerRows(database, 'D1')[0].opened_on).toBe(d1)
    expect(customerRows(database, 'D2').map((c) => c.opened_on)).toEqual(d2 === null ? [] : [d2])
  })

  it('refuses a date with the year last without --date-format, naming both flags', () => {
    const result = crm(['customer', 'import', file('dmy.csv', yearLast), '--db', db(), '--json'])
    expectHandled(result, 3)
    expect(json<Report>(result).reject_examples[0].reason).toBe(
      '"03/04/2025" has its year last, so its day and month could be either way round: pass --date-format ' +
        'DD/MM/YYYY (day first) or --date-format MM/DD/YYYY (month first)',
    )
  })

  it('refuses a two-digit year even with --date-format DD/MM/YYYY', () => {
    const csv = 'customer_id,name,type,opened_on\nD1,a,individual,03/04/25\n'
    const result = crm([
      'customer',
      'import',
      file('yy.csv', csv),
      '--date-format',
      'DD/MM/YYYY',
      '--db',
      db(),
      '--json',
    ])
    expectHandled(result, 3)
    expect(json<Report>(result).reject_examples[0].reason).toContain('has a two-digit year')
  })

  it('reads a column of Excel serial dates, and refuses a serial among written dates', () => {
    const database = db()
    const serials = 'customer_id,name,type,开户日期\nS1,a,individual,45296\nS2,b,individual,45000\n'
    expect(crm(['customer', 'import', file('serial.csv', serials), '--db', database]).code).toBe(0)
    expect(customerRows(database, 'S1')[0].opened_on).toBe('2024-01-05')
    expect(customerRows(database, 'S2')[0].opened_on).toBe('2023-03-15')
    const mixed = 'customer_id,name,type,开户日期\nS3,a,individual,2024-01-05\nS4,b,individual,45296\n'
    const result = crm(['customer', 'import', file('mixed.csv', mixed), '--db', database, '--json'])
    expectHandled(result, 3)
    expect(json<Report>(result).reject_examples).toEqual([
      {line: 3, field: '开户日期 [opened_on]', reason: expect.stringContaining('Excel wrote as its serial number')},
    ])
  })
})

describe('a file without an id column (UCI bank marketing)', () => {
  const bank = join(REAL, 'uci-bank-marketing/bank.csv')
  const mapping = file(
    'uci.json',
    JSON.stringify({columns: {balance: 'aum'}, defaults: {type: 'individual', name: 'UCI'}}),
  )
  const idFrom = ['--id-from', 'age,job,marital,education,balance,day,month,duration']

  it('is refused with the choice of --id-from and --id-prefix', () => {
    const result = crm(['customer', 'import', bank, '--mapping', mapping, '--db', db()])
    expectHandled(result, 3)
    expect(result.stderr).toContain('the file has no column for customer_id')
    expect(result.stderr).toMatch(/--id-from COLUMNS.*--id-prefix P.*not idempotent/s)
  })

  it('--id-from makes the same ids on a second import: every customer unchanged', () => {
    const database = db()
    const first = json<Report>(
      crm(['customer', 'import', bank, '--mapping', mapping, ...idFrom, '--db', database, '--json']),
    )
    // bank.csv has negative balances, which aum refuses: the rest are customers.
    expect(first.inserted + first.rejected).toBe(4521)
    expect(first.inserted).toBeGreaterThan(4000)
    const second = json<Report>(
      crm(['customer', 'import', bank, '--mapping', mapping, ...idFrom, '--db', database, '--json']),
    )
    expect(second).toMatchObject({inserted: 0, updated: 0, unchanged: first.inserted})
  })

  it('--id-from gives the same ids from a slow pipe on standard input as from the file', () => {
    const [fromFile, fromPipe] = [db(), db()]
    crm(['customer', 'import', bank, '--mapping', mapping, ...idFrom, '--db', fromFile])
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script's ${@:5}
    const script = '"$1" "$2" "$3" | "$1" "$4" "${@:5}"'
    const args = ['customer', 'import', '-', '--mapping', mapping, ...idFrom, '--db', fromPipe, '--json']
    const slow = join(ROOT, 'test/helpers/slow-writer.mjs')
    const piped = spawnSync('bash', ['-c', script, 'bash', process.execPath, slow, bank, BIN, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {...process.env, NO_COLOR: '1'},
    })
    expect(piped.status).toBe(3) // the negative balances
    const ids = (database: string) =>
      json<{customer_id: string}[]>(crm(['customer', 'list', '--json', '--db', database]))
        .map((c) => c.customer_id)
        .sort()
    const fileIds = ids(fromFile)
    expect(fileIds.length).toBeGreaterThan(4000)
    expect(ids(fromPipe)).toEqual(fileIds)
  })

  it('--id-prefix makes the prefix and the line number, and keeps the made id in the reject file', () => {
    const database = db()
    const rejects = join(temp.dir, 'uci.rejects.csv')
    const args = ['customer', 'import', bank, '--mapping', mapping, '--id-prefix', 'U', '--rejects', rejects]
    expectHandled(crm([...args, '--db', database]), 3)
    expect(customerRows(database, 'U2')[0]).toMatchObject({customer_id: 'U2', aum: '1787.00'})
    // The reject file is written as the input is: semicolon-separated.
    const [header, first] = parse(readFileSync(rejects, 'utf8'), {bom: true, delimiter: ';'}) as string[][]
    expect(header.slice(0, 5)).toEqual(['reject_line', 'reject_field', 'reject_reason', 'customer_id', 'age'])
    expect(first.slice(0, 2)).toEqual(['11', 'balance [aum]'])
    expect(first[3]).toBe('U11')
  })

  it.each([
    [['--id-from', 'agee'], 'did you mean "age"'],
    [['--id-from', ' , '], '--id-from names no column'],
    [['--id-prefix', '\u0007'], '--id-prefix is empty or holds other characters'],
    [['--id-from', 'age', '--id-prefix', 'U'], 'cannot also be provided'],
  ])('refuses %j as a usage error', (flags, message) => {
    const result = crm(['customer', 'import', bank, '--mapping', mapping, ...flags, '--db', db()])
    expectHandled(result, 2)
    expect(result.stderr).toContain(message)
  })

  it('refuses --id-prefix for a file that has an id column', () => {
    const result = crm(['customer', 'import', join(ROOT, 'data/customers.csv'), '--id-prefix', 'X', '--db', db()])
    expectHandled(result, 2)
    expect(result.stderr).toMatch(/--id-prefix makes customer ids for a file without an id column, but column/)
  })
})

describe('money written as 5万 and rejects in the file’s words', () => {
  const amounts = [
    'customer_id,name,type,金融资产,存款',
    'M1,a,individual,5万,1.2亿',
    'M2,b,individual,５千,１２.５万',
    'M3,c,individual,"1,200万",0.01万',
    'M4,d,individual,1.2345678万,0',
    'M5,e,individual,3.1E+17,0',
    '3.1E+17,f,individual,1,0',
    'M7,g,individual,***,0',
    'M8,h\u0007,individual,1,0',
    '',
  ].join('\n')

  it('reads 5万, 1.2亿, 5千 and full-width digits exactly to the fen', () => {
    const database = db()
    crm(['customer', 'import', file('money.csv', amounts), '--db', database])
    const stored = (id: string) => customerRows(database, id)[0]
    expect(stored('M1')).toMatchObject({aum: '50000.00', deposits: '120000000.00'})
    expect(stored('M2')).toMatchObject({aum: '5000.00', deposits: '125000.00'})
    expect(stored('M3')).toMatchObject({aum: '12000000.00', deposits: '100.00'})
  })

  it('names the column as the file does, with the field in brackets, in the reject file and the report', () => {
    const rejects = join(temp.dir, 'money.rejects.csv')
    const result = crm(['customer', 'import', file('money.csv', amounts), '--rejects', rejects, '--db', db(), '--json'])
    expectHandled(result, 3)
    const rows = rejectsOf(rejects).slice(1)
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['5', '金融资产 [aum]'],
      ['6', '金融资产 [aum]'],
      ['7', 'customer_id'],
      ['8', '金融资产 [aum]'],
      ['9', 'name'],
    ])
    expect(rows[0][2]).toBe('"1.2345678万" has more than 2 decimals: amounts must be exact to the fen')
    expect(rows[1][2]).toContain('金融资产 [aum] is in scientific notation (3.1E+17)')
    expect(rows[2][2]).toContain('customer_id is in scientific notation (3.1E+17)')
    expect(rows[3][2]).toContain('金融资产 [aum] is masked')
    expect(rows[4][2]).toContain('invisible or broken character (U+0007)')
    expect(json<Report>(result).reject_examples[0].field).toBe('金融资产 [aum]')
  })
})
