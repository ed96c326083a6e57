import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'
import {scratchIn} from '../helpers/scratch.js'

// Review of the import of files banks send (f3): crm's JSON exports, masked exports, ids, dates.

const temp = tempDir()
afterAll(temp.cleanup)
const {file, db} = scratchIn(temp.dir)

interface Report {
  read: number
  inserted: number
  rejected: number
  unknown_columns: string[]
  reject_examples: {line: number; field: string; reason: string}[]
}

/** An export's records parsed, without crm's own timestamps (set by each import). */
function records(path: string, format: 'json' | 'ndjson'): Record<string, unknown>[] {
  const text = readFileSync(path, 'utf8')
  const rows = (
    format === 'json'
      ? JSON.parse(text)
      : text
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l))
  ) as Record<string, unknown>[]
  return rows.map(({created_at: _c, updated_at: _u, ...rest}) => rest)
}

describe('crm JSON and NDJSON customer exports import back', () => {
  const hostile = [
    'customer_id,name,type,id_number,phone,金融资产,备注,Risk Note',
    'H1,王伟,individual,11010519491231002X,13912345678,5万,"a ""quoted"", note","line one\nline two"',
    'H2,Ｗａｎｇ,individual,,,１，２３４.５０,,\t tab',
    '',
  ].join('\n')

  it.each(['json', 'ndjson'] as const)('export --reveal --format %s round-trips exactly', (format) => {
    const [first, second] = [db(), db()]
    expect(crm(['customer', 'import', join(ROOT, 'data/customers.csv'), '--db', first]).code).toBe(0)
    expect(crm(['customer', 'import', file('hostile.csv', hostile), '--db', first]).code).toBe(0)
    const exported = join(temp.dir, `first.${format}`)
    expect(crm(['customer', 'export', '--reveal', '--format', format, '--output', exported, '--db', first]).code).toBe(
      0,
    )
    const result = crm(['customer', 'import', exported, '--json', '--db', second])
    expect(result.code).toBe(0)
    const report = json<Report>(result)
    expect(report.rejected).toBe(0)
    expect(report.unknown_columns).toEqual([])
    expect(report.inserted).toBe(2002)
    const again = join(temp.dir, `second.${format}`)
    expect(crm(['customer', 'export', '--reveal', '--format', format, '--output', again, '--db', second]).code).toBe(0)
    expect(records(again, format)).toEqual(records(exported, format))
    const h1 = records(again, format).find((r) => r.customer_id === 'H1')
    expect(h1?.extra).toEqual({备注: 'a "quoted", note', 'Risk Note': 'line one\nline two'})
  })

  it('still refuses an object under another key, naming it', () => {
    const ndjson = '{"customer_id":"J1","name":"a","type":"individual","phone":{"x":"1"}}\n'
    const result = crm(['customer', 'import', file('obj.ndjson', ndjson), '--json', '--db', db()])
    expectHandled(result, 3)
    expect(json<Report>(result).reject_examples[0].reason).toContain('"phone" is an object')
  })
})

describe('small holes in the import of files banks send', () => {
  it('refuses a masked customer_id, as masked values are refused in other fields', () => {
    const csv = 'customer_id,name,type\n138****1234,a,individual\nＭ１,b,individual\n'
    const database = db()
    const result = crm(['customer', 'import', file('masked-id.csv', csv), '--json', '--db', database])
    expectHandled(result, 3)
    const report = json<Report>(result)
    expect(report).toMatchObject({read: 2, inserted: 1, rejected: 1})
    expect(report.reject_examples[0]).toMatchObject({line: 2, field: 'customer_id'})
    expect(report.reject_examples[0].reason).toContain('customer_id is masked (138****1234)')
  })

  it.each(['a,b"c', 'UCI ', ' ', 'a b', '\u0007'])('refuses --id-prefix %j as a usage error', (prefix) => {
    const csv = 'name,type\na,individual\n'
    const database = db()
    const result = crm(['customer', 'import', file('no-id.csv', csv), '--id-prefix', prefix, '--db', database])
    if (prefix === 'UCI ') {
      // Spaces around a prefix are trimmed: UCI is letters.
      expect(result.code).toBe(0)
      return
    }
    expectHandled(result, 2)
    expect(result.stderr).toContain('letters, digits, "-" and "_"')
  })

  it('--id-from reads full-width digits as ASCII: ３０ and 30 make the same customer', () => {
    const database = db()
    const first = 'name,age,type\n王伟,30,individual\n'
    const second = 'name,age,type\n王伟,３０,individual\n'
    expect(crm(['customer', 'import', file('a.csv', first), '--id-from', 'name,age', '--db', database]).code).toBe(0)
    const again = crm([
      'customer',
      'import',
      file('b.csv', second),
      '--id-from',
      'name,age',
      '--json',
      '--db',
      database,
    ])
    expect(again.code).toBe(0)
    // The kept column age changes from 30 to ３０ as written; the customer is the same one.
    const report = json<Report & {updated: number; unchanged: number}>(again)
    expect(report.inserted).toBe(0)
    expect(report.updated + report.unchanged).toBe(1)
    expect(json<unknown[]>(crm(['customer', 'list', '--json', '--db', database]))).toHaveLength(1)
  })

  it.each([
    ['31/12/2024', '31 cannot be a month, so it reads as DD/MM/YYYY'],
    ['12/31/2024', '31 cannot be a month, so it reads as MM/DD/YYYY'],
    ['31/13/2024', '31/13/2024 is not a date'],
    ['03/04/2025', 'could be either way round'],
  ])('says what is true of %s without --date-format', (date, says) => {
    const csv = `customer_id,name,type,opened_on\nD1,a,individual,${date}\n`
    const result = crm(['customer', 'import', file('dates.csv', csv), '--json', '--db', db()])
    expectHandled(result, 3)
    const [reject] = json<Report>(result).reject_examples
    expect(reject.reason).toContain(says)
    if (!date.startsWith('03')) expect(reject.reason).not.toContain('either way round')
  })
})

describe('a masked crm export is refused whole, wherever its first masked cell is', () => {
  it('customers: the masked phones after the first block of rows refuse the file, nothing written', () => {
    const lines = ['customer_id,name,type,phone']
    for (let i = 0; i < 6000; i++) lines.push(`Q${String(i).padStart(5, '0')},公司${i},对公,`)
    for (let i = 6000; i < 6010; i++)
      lines.push(`Q${String(i).padStart(5, '0')},王小${i},个人,138${String(i).padStart(8, '0')}`)
    const [first, second] = [db(), db()]
    expect(crm(['customer', 'import', file('big.csv', `${lines.join('\n')}\n`), '--db', first]).code).toBe(0)
    const masked = join(temp.dir, 'big-masked.csv')
    expect(crm(['customer', 'export', '--output', masked, '--db', first]).code).toBe(0)
    const result = crm(['customer', 'import', masked, '--db', second])
    expectHandled(result, 3)
    expect(result.stderr).toMatch(/is a masked crm export \(phone on line 600\d is masked\)/)
    expect(result.stdout).toBe('')
    expect(json<unknown[]>(crm(['customer', 'list', '--json', '--db', second]))).toEqual([])
    expect(json<unknown[]>(crm(['import', 'list', '--json', '--db', second]))).toEqual([])
  })

  it('contacts: a masked note after the first block of rows refuses the file, nothing written', () => {
    const [first, second] = [db(), db()]
    const customers = file('k-customers.csv', 'customer_id,name,type\nK1,甲,individual\n')
    for (const database of [first, second]) crm(['customer', 'import', customers, '--db', database])
    const lines = ['customer_id,at,channel,direction,purpose,notes']
    for (let i = 0; i < 3000; i++) {
      const at = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
      lines.push(`K1,${at},phone,out,review,${i === 0 ? 'call 13912345678' : `note ${i}`}`)
    }
    expect(crm(['contact', 'import', file('k.csv', `${lines.join('\n')}\n`), '--db', first]).code).toBe(0)
    const masked = join(temp.dir, 'contacts-big-masked.csv')
    expect(crm(['contact', 'export', '--output', masked, '--db', first]).code).toBe(0)
    const rows = readFileSync(masked, 'utf8').split('\n')
    // The one masked note is the oldest contact's: last in the export (newest first), past the reader's first block.
    expect(rows.findIndex((r) => r.includes('139****5678'))).toBeGreaterThan(2500)
    const result = crm(['contact', 'import', masked, '--db', second])
    expectHandled(result, 3)
    expect(result.stderr).toMatch(/is a masked crm export \(notes on line \d+ is masked\)/)
    expect(json<unknown[]>(crm(['contact', 'list', '--json', '--db', second]))).toEqual([])
  })
})
