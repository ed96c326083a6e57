import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import Database from 'better-sqlite3'
import {afterAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'
import {scratchIn} from '../helpers/scratch.js'

// f5: what a hostile review found erase leaving behind (runs' filters) or taking away (other entries' facts).
const temp = tempDir()
afterAll(temp.cleanup)
const scratch = scratchIn(temp.dir)
const run = (db: string, ...args: string[]) => crm([...args, '--db', db])
const rows = <T = Record<string, unknown>>(db: string, sql: string): T[] => {
  const d = new Database(db, {readonly: true})
  try {
    return d.prepare(sql).all() as T[]
  } finally {
    d.close()
  }
}

describe('crm customer erase scrubs the quoted values, and only them', () => {
  it("replaces a --where's quoted name and phone by '[erased]' in the runs and the audit log, leaving none in the file", () => {
    const db = scratch.db()
    const csv = scratch.file('c.csv', 'customer_id,name,type,phone,aum\nE1,欧阳娜娜,individual,13912345678,100\n')
    expect(run(db, 'customer', 'import', csv).code).toBe(0)
    expect(run(db, 'classify', '--scheme', 'retail-aum', '--where', "name = '欧阳娜娜'").code).toBe(0)
    expect(run(db, 'classify', '--scheme', 'retail-aum', '--where', "phone = '13912345678'", '--reveal').code).toBe(0)
    const erased = run(db, 'customer', 'erase', 'E1', '--json')
    expect(erased.code).toBe(0)
    expect(json(erased)).toMatchObject({runs: 2})
    expect(rows(db, 'SELECT filter FROM classification_runs ORDER BY id')).toEqual([
      {filter: JSON.stringify({where: "name = '[erased]'"})},
      {filter: JSON.stringify({where: "phone = '[erased]'"})},
    ])
    expect(run(db, 'classify', 'runs').stdout).toContain("name = '[erased]'")
    const file = readFileSync(db)
    expect(file.includes('13912345678')).toBe(false)
    expect(file.includes('欧阳娜娜')).toBe(false)
  })

  it("keeps other entries' facts (an import's mode, a run's branch) equal to an erased customer's name", () => {
    const db = scratch.db()
    const csv = scratch.file(
      'k.csv',
      'customer_id,name,type,branch\nK1,upsert,individual,浦东支行\nK3,浦东支行,individual,浦东支行\nK4,赵敏,individual,浦东支行\n',
    )
    expect(run(db, 'customer', 'import', csv).code).toBe(0)
    expect(run(db, 'classify', '--scheme', 'retail-aum', '--branch', '浦东支行').code).toBe(0)
    expect(run(db, 'customer', 'erase', 'K1').code).toBe(0)
    expect(run(db, 'customer', 'erase', 'K3').code).toBe(0)
    const details = rows<{action: string; details: string}>(db, 'SELECT action, details FROM audit_log ORDER BY id')
    const of = (action: string) => JSON.parse(details.find((d) => d.action === action)!.details)
    expect(of('customer.import')).toMatchObject({mode: 'upsert'})
    expect(of('classify.run')).toMatchObject({filter: {branch: '浦东支行'}})
    expect(rows(db, 'SELECT filter FROM classification_runs')).toEqual([{filter: JSON.stringify({branch: '浦东支行'})}])
  })
})

describe('crm customer show on an erased customer', () => {
  it('says it was erased, when and by whom, in English, Chinese and --json', () => {
    const db = scratch.db()
    const csv = scratch.file('s.csv', 'customer_id,name,type\nS1,赵敏,individual\n')
    expect(run(db, 'customer', 'import', csv).code).toBe(0)
    expect(run(db, 'customer', 'erase', 'S1', '--actor', 'dpo').code).toBe(0)
    const shown = run(db, 'customer', 'show', 'S1')
    expect(shown.code).toBe(4)
    expect(shown.stderr).toMatch(/customer S1 was erased \(\d{4}-\d\d-\d\d [\d:]+ [+-]\d\d:\d\d, by dpo\)/)
    expect(run(db, 'customer', 'show', 'S1', '--lang', 'zh').stderr).toContain('客户 S1 已清除')
    const asJson = run(db, 'customer', 'show', 'S1', '--json')
    expect(asJson.code).toBe(4)
    expect(json<{error: {message: string}}>(asJson).error.message).toMatch(/was erased .*by dpo/)
  })
})

describe('an erase whose file rewrite was cut short (Ctrl-C, kill -9 during VACUUM)', () => {
  it('says before the rewrite that the erase is committed and how to finish, and the next crm command finishes it', () => {
    const db = scratch.db()
    const csv = scratch.file('r.csv', 'customer_id,name,type\nR1,赵敏,individual\n')
    expect(run(db, 'customer', 'import', csv).code).toBe(0)
    const erased = run(db, 'customer', 'erase', 'R1')
    expect(erased.code).toBe(0)
    expect(erased.stderr.replace(/\s*›\s*/g, ' ')).toContain('the next crm command finishes the rewrite')
    expect(existsSync(`${db}-erase-rewrite`)).toBe(false)
    // The state a rewrite cut short leaves: the erase committed, a value still in the file's free space, and the
    // rewrite owed (made by hand, so the test does not depend on when a signal lands).
    const d = new Database(db)
    d.pragma('secure_delete = OFF')
    d.exec("CREATE TABLE leftover (v TEXT); INSERT INTO leftover VALUES ('18800001111'); DROP TABLE leftover")
    d.close()
    expect(readFileSync(db).includes('18800001111')).toBe(true)
    writeFileSync(`${db}-erase-rewrite`, '')
    expect(run(db, 'customer', 'list').code).toBe(0)
    expect(readFileSync(db).includes('18800001111')).toBe(false)
    expect(existsSync(`${db}-erase-rewrite`)).toBe(false)
  })
})
