import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'

const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]

// A file's header may name a column anything: the stored run, explain and check must each read that column's value.
describe('kept columns whose names hold quotes, backslashes or dots', () => {
  const names = ['a\\', 'a\\b', 'a"b', 'a.b']
  const file = join(temp.dir, 'odd.csv')
  const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`
  writeFileSync(
    file,
    `customer_id,name,type,aum,${names.map(quoted).join(',')}\nK1,x,individual,100,v0,v1,v2,v3\nK2,y,individual,100,,,,\n`,
  )

  it.each(names.map((name, i) => [name, i]))('reads %j in classify, explain and check alike', (name, i) => {
    expect(crm(['customer', 'import', file, ...db]).code).toBe(0)
    const scheme = join(temp.dir, `odd${i}.yaml`)
    const backticked = String(name)
    writeFileSync(
      scheme,
      [
        `name: odd${i}`,
        'version: 1',
        'extras:',
        `  ${JSON.stringify(name)}: text`,
        'tiers:',
        `  - id: held`,
        `    rule: ${JSON.stringify(`\`${backticked}\` = 'v${i}'`)}`,
        '  - id: rest',
      ].join('\n'),
    )
    const run = crm(['classify', '--scheme', scheme, ...db, '--json'])
    expect(run.code).toBe(0)
    const stored = json<any>(crm(['classify', 'show', String(json<any>(run).run), ...db, '--json'])).results
    expect(stored.map((r: any) => [r.customer_id, r.tier])).toEqual([
      ['K1', 'held'],
      ['K2', 'rest'],
    ])
    const explained = json<any>(crm(['classify', 'explain', 'K1', '--scheme', scheme, ...db, '--json']))
    expect(JSON.stringify(explained)).toContain('"held"')
    const checked = crm(['classify', 'check', file, '--scheme', scheme, '--format', 'csv'])
    expect(checked.stdout).toMatch(/K1,[^\n]*held/)
  })
})
