import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'

// A run's --where that reads personal data needs --reveal to run, and no one listing runs afterwards may read the
// values it compared with.
describe("a stored --where's personal values", () => {
  const {dir, db, cleanup} = tempDir()
  const env = {CRM_DB: db}
  const where = "phone != '13912345678' and starts_with(id_number, '310104')"
  beforeAll(() => {
    const file = join(dir, 'book.csv')
    writeFileSync(
      file,
      'customer_id,name,type,aum,phone,id_number\nA1,张三,individual,100.00,13800138000,310104198509101382\n',
    )
    expect(crm(['customer', 'import', file], {env}).code).toBe(0)
    expect(crm(['classify', '--scheme', 'retail-aum', '--where', where, '--reveal'], {env}).code).toBe(0)
  })
  afterAll(cleanup)

  it('are hidden in classify runs, in every format', () => {
    for (const args of [['--json'], ['--format', 'csv'], ['--format', 'table']]) {
      const out = crm(['classify', 'runs', ...args], {env}).stdout
      expect(out).not.toContain('13912345678')
      expect(out).not.toContain("'310104'")
    }
    const runs = json<{filter: {where: string}}[]>(crm(['classify', 'runs', '--json'], {env}))
    expect(runs[0].filter.where).toBe("phone != '***********' and starts_with(id_number, '******')")
  })

  it('are hidden in the summary that stands on the run', () => {
    for (const args of [['--json'], ['--format', 'csv'], []]) {
      const result = crm(['summary', '--scheme', 'retail-aum', ...args], {env})
      expect(`${result.stdout}${result.stderr}`).not.toContain('13912345678')
    }
  })
})
