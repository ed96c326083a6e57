import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Issue 14 §3: a filtered run is not everybody's latest; empty runs; filter values matched by part; closed customers.
const AS_OF = '2026-11-28'
const {dir, db, cleanup} = tempDir()
const env = {CRM_DB: db}
const run = (...args: string[]) => crm(args, {env})

const BOOK = `customer_id,name,type,branch,rm,aum,status,last_txn_on,txn_count_12m
P1,王一,individual,上海分行浦东支行,RM0001,800000,active,2026-11-01,30
P2,王二,individual,上海分行浦东支行,RM0001,60000,active,2026-10-01,12
X1,李一,individual,上海分行徐汇支行,RM0002,900000,active,2026-11-02,40
X2,李二,individual,上海分行徐汇支行,RM0002,70000,,2026-09-01,5
B1,赵一,individual,北京分行西城支行,RM0003,950000,active,2026-11-03,50
Z1,钱一,individual,北京分行西城支行,RM0003,2000000,closed,2025-01-01,0
`
// Z1 (closed) has an open follow-up; P1 one too: only P1 is due.
const CONTACTS = `customer_id,at,channel,direction,purpose,outcome,rm,notes,follow_up_on
Z1,2026-01-05 10:00:00,phone,out,review,call back,RM0003,,2026-11-20
P1,2026-01-05 11:00:00,phone,out,review,call back,RM0001,,2026-11-20
`

beforeAll(() => {
  writeFileSync(join(dir, 'book.csv'), BOOK)
  writeFileSync(join(dir, 'contacts.csv'), CONTACTS)
  expect(run('customer', 'import', join(dir, 'book.csv')).code).toBe(0)
  expect(run('contact', 'import', join(dir, 'contacts.csv')).code).toBe(0)
  expect(run('classify', '--scheme', 'retail-aum', '--as-of', AS_OF).code).toBe(0)
})
afterAll(cleanup)

type Summary = {run: number; runs: number[]; rows: {kind: string; tier: string; customers: number}[]}
const tierOf = (s: Summary, tier: string) => s.rows.find((r) => r.kind === 'tier' && r.tier === tier)?.customers
const lapsedIds = () =>
  json<{lapsed_cadence: {customer_id: string}[]}>(run('contact', 'due', '--date', AS_OF, '--json'))
    .lapsed_cadence.map((r) => r.customer_id)
    .sort()

describe('closed customers', () => {
  it('retail-aum leaves a closed customer out, and lifecycle keeps it', () => {
    const aum = json<{customers: number; skipped: number}>(
      run('classify', '--scheme', 'retail-aum', '--as-of', AS_OF, '--dry-run', '--json'),
    )
    expect(aum).toMatchObject({customers: 5, skipped: 1})
    const life = json<{customers: number}>(
      run('classify', '--scheme', 'lifecycle', '--as-of', AS_OF, '--dry-run', '--json'),
    )
    expect(life.customers).toBe(6)
  })

  it.each(['rfm', 'abc', 'value-matrix', 'churn-risk'])('%s leaves closed customers out', (scheme) => {
    expect(
      json<{customers: number; skipped: number}>(
        run('classify', '--scheme', scheme, '--as-of', AS_OF, '--dry-run', '--json'),
      ),
    ).toMatchObject({customers: 5, skipped: 1})
  })

  it('classify check leaves a closed row out of retail-aum, and keeps a row with no status', () => {
    const rows = 'customer_id,name,type,aum,status\nA,甲,individual,800000,closed\nB,乙,individual,800000,\n'
    const out = crm(['classify', 'check', '-', '--scheme', 'retail-aum', '--format', 'csv'], {
      input: rows,
    }).stdout.split('\n')
    expect(out[1]).toMatch(/^A,.*,,"not applicable: .*'closed' does not hold"$/)
    expect(out[2]).toMatch(/^B,.*,wealth,/)
  })

  it('contact due lists no closed customer, neither its follow-up nor a lapsed cadence', () => {
    const due = json<{overdue: {customer_id: string}[]}>(run('contact', 'due', '--date', AS_OF, '--json'))
    expect(due.overdue.map((r) => r.customer_id)).toEqual(['P1'])
    expect(lapsedIds()).not.toContain('Z1')
  })
})

describe("a filtered run is not everybody's latest", () => {
  let whole: Summary
  let lapsedBefore: string[]
  beforeAll(() => {
    whole = json<Summary>(run('summary', '--scheme', 'retail-aum', '--json'))
    lapsedBefore = lapsedIds()
    expect(run('classify', '--scheme', 'retail-aum', '--branch', '上海分行徐汇支行', '--as-of', AS_OF).code).toBe(0)
  })

  it('summary still counts every customer, and names the runs it stands on', () => {
    const after = json<Summary>(run('summary', '--scheme', 'retail-aum', '--json'))
    expect(after.runs).toEqual([after.run, whole.run])
    expect(after.rows.find((r) => r.kind === 'total')?.customers).toBe(5)
    expect(tierOf(after, 'wealth')).toBe(tierOf(whole, 'wealth'))
    const table = run('summary', '--scheme', 'retail-aum', '--format', 'table')
    expect(table.stdout).toContain(`runs ${after.run}, ${whole.run} (each customer's newest run that classified it)`)
  })

  it('summary --run is that run alone', () => {
    const runs = json<{id: number}[]>(run('classify', 'runs', '--json'))
    const one = json<Summary>(run('summary', '--run', String(runs[0].id), '--json'))
    expect(one.runs).toEqual([runs[0].id])
    expect(one.rows.find((r) => r.kind === 'total')?.customers).toBe(2)
  })

  it('customer list --tier finds customers of other branches', () => {
    const ids = run('customer', 'list', '--scheme', 'retail-aum', '--tier', 'wealth', '--format', 'csv')
      .stdout.trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0])
    expect(ids.sort()).toEqual(['B1', 'P1', 'X1'])
  })

  it('customer show gives a customer of another branch its tier from the whole run', () => {
    const shown = json<{tiers: {scheme: string; tier: string; run: number}[]}>(run('customer', 'show', 'B1', '--json'))
    expect(shown.tiers).toEqual([expect.objectContaining({scheme: 'retail-aum', tier: 'wealth', run: whole.run})])
  })

  it("contact due keeps every branch's lapsed cadences", () => {
    expect(lapsedIds()).toEqual(lapsedBefore)
    expect(lapsedBefore).toEqual(expect.arrayContaining(['B1', 'P2', 'X1']))
  })

  it('a later whole-book run stands alone again', () => {
    expect(run('classify', '--scheme', 'retail-aum', '--as-of', AS_OF).code).toBe(0)
    const after = json<Summary>(run('summary', '--scheme', 'retail-aum', '--json'))
    expect(after.runs).toEqual([after.run])
  })
})

describe('a run of nobody is not stored', () => {
  const runCount = () => json<unknown[]>(run('classify', 'runs', '--json')).length

  it('--branch that no customer has: exit 3 with the nearest branches, nothing stored', () => {
    const before = runCount()
    const result = run('classify', '--scheme', 'retail-aum', '--branch', '浦西支行', '--as-of', AS_OF)
    expectHandled(result, 3)
    expect(result.stderr).toContain('no run was stored')
    expect(result.stderr).toMatch(/did you mean .*上海分行浦东支行/)
    expect(runCount()).toBe(before)
  })

  it('a filter that selects nobody the scheme applies to: exit 3, nothing stored, also as a dry run', () => {
    const before = runCount()
    for (const extra of [[], ['--dry-run']]) {
      const result = run(
        'classify',
        '--scheme',
        'retail-aum',
        '--where',
        'aum > 100000000',
        '--as-of',
        AS_OF,
        ...extra,
        '--json',
      )
      expectHandled(result, 3)
      expect(result.stdout).toContain('selects no customer')
    }
    expect(runCount()).toBe(before)
  })

  it('a --tier that the scheme does not have suggests the nearest (exit 4)', () => {
    const result = run('customer', 'list', '--scheme', 'retail-aum', '--tier', 'welth')
    expectHandled(result, 4)
    expect(result.stderr).toContain('did you mean wealth')
  })
})

describe('matching filter values', () => {
  it('--branch by part: uses the one branch that contains it, and says so', () => {
    const result = run(
      'classify',
      '--scheme',
      'retail-aum',
      '--branch',
      '浦东支行',
      '--as-of',
      AS_OF,
      '--dry-run',
      '--json',
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('--branch 浦东支行 matched 上海分行浦东支行')
    expect(json<{filter: {branch: string}; customers: number}>(result)).toMatchObject({
      filter: {branch: '上海分行浦东支行'},
      customers: 2,
    })
  })

  it('--branch contained in several: exit 2, listing them', () => {
    const result = run('customer', 'list', '--branch', '上海分行')
    expectHandled(result, 2)
    expect(result.stderr).toMatch(
      /matches 2 values: (上海分行浦东支行, 上海分行徐汇支行|上海分行徐汇支行, 上海分行浦东支行)/,
    )
  })

  it('--rm ignores case', () => {
    const result = run('customer', 'list', '--rm', 'rm0002', '--format', 'csv')
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(3)
    expect(result.stderr).toContain('--rm rm0002 matched RM0002')
  })

  it('--tier takes the label', () => {
    const result = run('customer', 'list', '--scheme', 'retail-aum', '--tier', '财富客户', '--format', 'csv')
    expect(result.code).toBe(0)
    expect(result.stdout.trim().split('\n')).toHaveLength(4)
  })

  it.each([
    ['classify', '--scheme', 'retail-aum', '--as-of', AS_OF, '--dry-run', '--json'],
    ['customer', 'list', '--json'],
  ])('--type 个人 works in %s', (...args) => {
    const result = run(...args, '--type', '个人')
    expect(result.code).toBe(0)
  })

  it('--type that is no type is a usage error', () => {
    expectHandled(run('customer', 'list', '--type', '外星'), 2)
  })

  it('contact due and contact list match --branch by part too', () => {
    const due = run('contact', 'due', '--date', AS_OF, '--branch', '浦东', '--json')
    expect(due.stderr).toContain('matched 上海分行浦东支行')
    expect(json<{overdue: unknown[]}>(due).overdue).toHaveLength(1)
    const list = run('contact', 'list', '--branch', '浦东', '--format', 'csv')
    expect(list.code).toBe(0)
    expect(list.stdout.trim().split('\n')).toHaveLength(2)
  })

  it('a branch no customer has is warned of in a list, with the nearest', () => {
    const result = run('customer', 'list', '--branch', '浦西支行', '--format', 'csv')
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/no customer has --branch 浦西支行: did you mean/)
  })
})
