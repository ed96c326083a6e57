import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'

const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]

// What SQLite cannot run as written is run by the interpreter, and --json says so: never an internal error.
describe('schemes past what SQLite runs', () => {
  beforeAll(() => {
    const file = join(temp.dir, 'rich.csv')
    const rows = Array.from({length: 100}, (_, i) => `B${String(i).padStart(3, '0')},n,individual,1000000000000000`)
    writeFileSync(file, ['customer_id,name,type,aum', ...rows].join('\n'))
    expect(crm(['customer', 'import', file, ...db]).code).toBe(0)
  })

  const scheme = (name: string, rule: string) => {
    const file = join(temp.dir, `${name}.yaml`)
    writeFileSync(file, `name: ${name}\nversion: 1\ntiers:\n  - id: a\n    rule: ${rule}\n  - id: rest\n`)
    return file
  }

  it.each([
    ['abc, whose running sum passes 2^63 fen', 'abc'],
    ['a literal beyond 64-bit integers', scheme('huge', 'aum > 99999999999999999999999999999999999')],
    [
      'an or-chain deeper than SQLite parses',
      scheme('wide', Array.from({length: 1200}, (_, i) => `aum > ${i}`).join(' or ')),
    ],
  ])('%s', (_, name) => {
    const result = crm(['classify', '--scheme', name, ...db, '--json'])
    expect(result.code).toBe(0)
    const summary = json<any>(result)
    expect(summary.engine).toBe('interpreter')
    expect(summary.customers).toBe(100)
    const stored = json<any>(crm(['classify', 'show', String(summary.run), ...db, '--json'])).results
    expect(stored).toHaveLength(100)
  })
})

describe('a money column whose fen read like a mobile', () => {
  it('is an amount: the run needs no --reveal', () => {
    const file = join(temp.dir, 'amounts.csv')
    writeFileSync(file, 'customer_id,name,type,aum,Amt\nM1,x,individual,100,138001380.00\n')
    const own = ['--db', join(temp.dir, 'amounts.db')]
    expect(crm(['customer', 'import', file, ...own]).code).toBe(0)
    const scheme = join(temp.dir, 'amounts.yaml')
    writeFileSync(
      scheme,
      'name: amt\nversion: 1\nextras:\n  Amt: money\ntiers:\n  - id: a\n    rule: Amt > 100\n  - id: rest\n',
    )
    const result = crm(['classify', '--scheme', scheme, ...own, '--json'])
    expect(result.code).toBe(0)
    expect(json<any>(result).tiers.find((t: any) => t.tier === 'a').customers).toBe(1)
  })
})

describe('a rule naming thousands of values', () => {
  it('names each value no customer holds with the rule cut, not repeated whole', () => {
    const file = join(temp.dir, 'many.yaml')
    const values = Array.from({length: 3000}, (_, i) => `'C${String(i).padStart(5, '0')}'`).join(', ')
    writeFileSync(
      file,
      `name: many\nversion: 1\ntiers:\n  - id: a\n    rule: customer_id in (${values})\n  - id: rest\n`,
    )
    const result = crm(['classify', '--scheme', file, ...db, '--dry-run', '--json'])
    expect(result.code).toBe(0)
    const unseen = json<any>(result).unseen_values
    expect(unseen).toHaveLength(3000)
    for (const u of unseen) expect(u.rule.length).toBeLessThan(200)
  })
})
