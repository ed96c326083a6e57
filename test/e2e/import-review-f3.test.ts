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
