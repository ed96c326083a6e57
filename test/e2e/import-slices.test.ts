import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'

// An import writes a slice of rows with a plain INSERT while every key is new, and the careful way (upsert, repeats
// looked up) once one is not: these files cross blocks and slices so that both ways, and the switch between them,
// are taken, and the counts and the aum reconciliation must still be exact.
let temp: ReturnType<typeof tempDir>
beforeEach(() => {
  temp = tempDir()
})
afterEach(() => temp.cleanup())

const HEADER = '客户号,客户名称,客户类型,证件号码,开户日期,金融资产,备注'
const customer = (id: number, aum: number, note = '') => `C${id},王伟,个人,,,${aum},${note}`
const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i)

function importCustomers(name: string, lines: string[]) {
  const path = join(temp.dir, name)
  writeFileSync(path, `${[HEADER, ...lines].join('\n')}\n`)
  const result = crm(['customer', 'import', path, '--db', temp.db, '--json'])
  const r = json<Record<string, any>>(result)
  return {
    code: result.code,
    counts: {read: r.read, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, duplicates: r.duplicates},
    aum: [r.aum_read, r.aum_stored],
  }
}
const aumOf = (id: string) => json<any>(crm(['customer', 'show', id, '--db', temp.db, '--json'])).aum

describe('customer import, new rows and repeats across blocks', () => {
  it('counts a customer repeated blocks later as a duplicate in a first import, the later row winning', () => {
    const ids = range(1, 6000)
    const {code, counts, aum} = importCustomers('first.csv', [...ids.map((i) => customer(i, i)), customer(5, 999)])
    expect(code).toBe(0)
    expect(counts).toEqual({read: 6001, inserted: 6000, updated: 0, unchanged: 0, duplicates: 1})
    const sum = (6000 * 6001) / 2 - 5 + 999
    expect(aum).toEqual([`${sum}.00`, `${sum}.00`])
    expect(aumOf('C5')).toBe('999.00')
  })

  it('inserts new customers, then updates known ones and tells a repeat of a new one, in one file', () => {
    importCustomers(
      'known.csv',
      range(1, 1000).map((i) => customer(i, 1)),
    )
    const lines = [
      ...range(10001, 13000).map((i) => customer(i, 2)),
      ...range(1, 500).map((i) => customer(i, 3)),
      ...range(501, 600).map((i) => customer(i, 1)),
      customer(10001, 4),
    ]
    const {code, counts, aum} = importCustomers('mixed.csv', lines)
    expect(code).toBe(0)
    expect(counts).toEqual({read: 3601, inserted: 3000, updated: 500, unchanged: 100, duplicates: 1})
    const sum = 3000 * 2 - 2 + 4 + 500 * 3 + 100
    expect(aum).toEqual([`${sum}.00`, `${sum}.00`])
    expect([aumOf('C10001'), aumOf('C1'), aumOf('C13000'), aumOf('C600')]).toEqual(['4.00', '3.00', '2.00', '1.00'])
    // Again: every row is known now, and the repeat is still a duplicate. C10001's earlier row (aum 2) changes the
    // stored 4, which the later row puts back: the customer ends as it was, so the file counts as unchanged.
    expect(importCustomers('mixed.csv', lines).counts).toEqual({
      read: 3601,
      inserted: 0,
      updated: 0,
      unchanged: 3600,
      duplicates: 1,
    })
    expect(aumOf('C10001')).toBe('4.00')
  })
})

describe('contact import, new contacts and repeats across blocks', () => {
  it('counts a contact repeated blocks later as a duplicate, in a first import and again', () => {
    importCustomers(
      'customers.csv',
      range(1, 50).map((i) => customer(i, 1)),
    )
    const contact = (i: number, outcome: string) =>
      `C${(i % 50) + 1},2026-01-${String(1 + (i % 28)).padStart(2, '0')} ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},电话,呼出,回访,${outcome},note ${i}`
    const lines = [...range(0, 5999).map((i) => contact(i, '接通')), contact(7, '未接通')]
    const path = join(temp.dir, 'calls.csv')
    writeFileSync(path, `客户号,联系时间,渠道,方向,目的,结果,备注\n${lines.join('\n')}\n`)
    const run = () => {
      const r = json<any>(crm(['contact', 'import', path, '--db', temp.db, '--json']))
      return {read: r.read, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, duplicates: r.duplicates}
    }
    expect(run()).toEqual({read: 6001, inserted: 6000, updated: 0, unchanged: 0, duplicates: 1})
    const outcome = json<any[]>(
      crm(['contact', 'list', '--customer', 'C8', '--db', temp.db, '--json', '--limit', '1000']),
    )
      .filter((c) => c.notes === 'note 7')
      .map((c) => c.outcome)
    expect(outcome).toEqual(['未接通'])
    // Again: the earlier row changes the outcome back (an update), and the later row is the duplicate.
    expect(run()).toEqual({read: 6001, inserted: 0, updated: 1, unchanged: 5999, duplicates: 1})
  })
})
