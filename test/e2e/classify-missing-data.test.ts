import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'

// Issue 14 §1: missing data is never a confident tier, on both paths (a stored run and classify check).
const AS_OF = '2026-11-28'
const {dir, db, cleanup} = tempDir()
const env = {CRM_DB: db}
const dataset = join(import.meta.dirname, '../fixtures/Churn_Modelling.csv')
const mapping = join(import.meta.dirname, '../../data/mappings/churn-modelling.json')

interface Missing {
  field: string
  unknown: number
  share: number
}
interface RunJson {
  run: number
  customers: number
  tiers: {tier: string; customers: number}[]
  missing_inputs: Missing[]
}
interface CheckJson {
  rows: Record<string, string>[]
  classified: number
  missing_inputs: Missing[]
}

const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, string>)
const counts = (run: RunJson) =>
  Object.fromEntries(run.tiers.filter((t) => t.customers > 0).map((t) => [t.tier, t.customers]))
const tally = (tiers: readonly string[]) =>
  tiers.reduce<Record<string, number>>((acc, t) => {
    acc[t] = (acc[t] ?? 0) + 1
    return acc
  }, {})

/** A run's tier per customer_id, and classify check's for the same file. */
function bothPaths(
  file: string,
  scheme: string,
  envDb: Record<string, string>,
  map: string[] = [],
): {stored: Map<string, string>; checked: Map<string, string>} {
  const run = json<RunJson>(crm(['classify', '-s', scheme, '--as-of', AS_OF, '--json'], {env: envDb}))
  const stored = new Map(
    ndjson(crm(['classify', 'show', String(run.run), '--format', 'ndjson'], {env: envDb}).stdout).map((r) => [
      r.customer_id,
      r.tier,
    ]),
  )
  const checked = new Map(
    ndjson(crm(['classify', 'check', file, '-s', scheme, '--as-of', AS_OF, '--format', 'ndjson', ...map]).stdout).map(
      (r) => [r.customer_id ?? r.CustomerId, r.tier],
    ),
  )
  return {stored, checked}
}

beforeAll(() => {
  expect(crm(['customer', 'import', dataset, '--mapping', mapping], {env}).code).toBe(0)
})
afterAll(cleanup)

describe('rfm on a file without transaction dates (the churn dataset)', () => {
  it('stores no Champions, Loyal or Hibernating by id order: every customer is unscored, and the run says why', () => {
    const run = json<RunJson>(crm(['classify', '-s', 'rfm', '--as-of', AS_OF, '--json'], {env}))
    expect(counts(run)).toEqual({unscored: 10_000})
    expect(run.missing_inputs).toEqual([
      {field: 'last_txn_on', unknown: 10_000, share: 1},
      {field: 'txn_count_12m', unknown: 10_000, share: 1},
    ])
    const explain = crm(['classify', 'explain', '15634602', '--scheme', 'rfm', '--as-of', AS_OF], {env})
    expect(explain.stdout).toContain('r is null')
    expect(explain.stdout).not.toContain('r 5 = 5')
  })

  it('warns on stderr, naming the field and the share', () => {
    const result = crm(['classify', '-s', 'rfm', '--as-of', AS_OF, '--dry-run'], {env})
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('warning: last_txn_on is unknown for 10,000 of 10,000 customers (100.0%)')
    expect(result.stderr).toContain('warning: txn_count_12m is unknown for 10,000 of 10,000 customers (100.0%)')
  })

  it('gives the same in classify check, with the same numbers under --json', () => {
    const result = crm(['classify', 'check', dataset, '-s', 'rfm', '--mapping', mapping, '--as-of', AS_OF, '--json'])
    expect(result.code).toBe(0)
    const out = JSON.parse(result.stdout) as CheckJson
    expect(tally(out.rows.map((r) => r.tier))).toEqual({unscored: 10_000})
    expect(out.missing_inputs).toEqual([
      {field: 'last_txn_on', unknown: 10_000, share: 1},
      {field: 'txn_count_12m', unknown: 10_000, share: 1},
    ])
    const human = crm([
      'classify',
      'check',
      dataset,
      '-s',
      'rfm',
      '--mapping',
      mapping,
      '--as-of',
      AS_OF,
      '--format',
      'csv',
    ])
    expect(human.stderr).toContain('warning: last_txn_on is unknown for 10,000 of 10,000 customers (100.0%)')
  })
})

describe('churn-risk on a file without aum or dates', () => {
  const small = tempDir()
  const file = join(small.dir, 'churn-head.csv')
  const drop = ['--map', 'Balance=-']
  beforeAll(() => {
    writeFileSync(file, readFileSync(dataset, 'utf8').split('\r\n').slice(0, 301).join('\r\n'))
    expect(crm(['customer', 'import', file, '--mapping', mapping, ...drop], {env: {CRM_DB: small.db}}).code).toBe(0)
  })
  afterAll(small.cleanup)

  it('puts nobody in not-valuable: every customer is unscored on both paths, with aum named in the warning', () => {
    const {stored, checked} = bothPaths(file, 'churn-risk', {CRM_DB: small.db}, ['--mapping', mapping, ...drop])
    expect(stored.size).toBe(300)
    expect(new Set(stored.values())).toEqual(new Set(['unscored']))
    expect(checked).toEqual(stored)
    const run = json<RunJson>(
      crm(['classify', '-s', 'churn-risk', '--as-of', AS_OF, '--dry-run', '--json'], {env: {CRM_DB: small.db}}),
    )
    expect(run.missing_inputs).toContainEqual({field: 'aum', unknown: 300, share: 1})
  })
})

describe('loan-risk with unknown days overdue', () => {
  const loans = tempDir()
  const file = join(loans.dir, 'loans.csv')
  beforeAll(() => {
    writeFileSync(
      file,
      [
        'customer_id,name,type,loans,overdue_days,risk_class',
        'L1,甲,individual,1000,,',
        'L2,乙,individual,1000,0,',
        'L3,丙,individual,1000,,次级',
        'L4,丁,individual,1000,100,',
        'L5,戊,individual,1000,,正常',
      ].join('\n'),
    )
    expect(crm(['customer', 'import', file], {env: {CRM_DB: loans.db}}).code).toBe(0)
  })
  afterAll(loans.cleanup)

  it('grades no such loan normal: the judgement when it is worse, else unscored, on both paths', () => {
    const {stored, checked} = bothPaths(file, 'loan-risk', {CRM_DB: loans.db})
    expect(Object.fromEntries(stored)).toEqual({
      L1: 'unscored',
      L2: 'normal',
      L3: 'substandard',
      L4: 'substandard',
      L5: 'unscored',
    })
    expect(checked).toEqual(stored)
  })

  it('reports overdue_days unknown for 3 of 5 loans in the run and in check, and not the loans every row has', () => {
    const run = json<RunJson>(
      crm(['classify', '-s', 'loan-risk', '--as-of', AS_OF, '--dry-run', '--json'], {env: {CRM_DB: loans.db}}),
    )
    expect(run.missing_inputs).toContainEqual({field: 'overdue_days', unknown: 3, share: 0.6})
    expect(run.missing_inputs.map((m) => m.field)).not.toContain('loans')
    const check = JSON.parse(
      crm(['classify', 'check', file, '-s', 'loan-risk', '--as-of', AS_OF, '--json']).stdout,
    ) as CheckJson
    expect(check.missing_inputs).toEqual(run.missing_inputs)
  })
})

describe('portfolio measures over tied and unknown values', () => {
  const ties = tempDir()
  const file = join(ties.dir, 'ties.csv')
  beforeAll(() => {
    // Twelve customers share one last transaction date and one count; eight differ; two have no date.
    const rows = [
      ...Array.from({length: 12}, (_, i) => `T${String(i).padStart(2, '0')},同${i},individual,2026-06-01,5`),
      ...Array.from(
        {length: 8},
        (_, i) => `D${i},异${i},individual,2026-${String(i + 3).padStart(2, '0')}-10,${i * 3}`,
      ),
      'N0,无0,individual,,40',
      'N1,无1,individual,,0',
    ]
    writeFileSync(file, ['customer_id,name,type,last_txn_on,txn_count_12m', ...rows].join('\n'))
    expect(crm(['customer', 'import', file], {env: {CRM_DB: ties.db}}).code).toBe(0)
  })
  afterAll(ties.cleanup)

  it('give identical customers the same rfm segment, and those without a date none, on both paths', () => {
    const {stored, checked} = bothPaths(file, 'rfm', {CRM_DB: ties.db})
    const tied = [...stored].filter(([id]) => id.startsWith('T')).map(([, tier]) => tier)
    expect(tied).toHaveLength(12)
    expect(new Set(tied).size).toBe(1)
    expect(stored.get('N0')).toBe('unscored')
    expect(stored.get('N1')).toBe('unscored')
    expect(checked).toEqual(stored)
  })

  it('give a rule quintile(x) = ceil(5 × cume_dist) over the known values, and null for an unknown one', () => {
    const scheme = join(dir, 'q.yaml')
    writeFileSync(
      scheme,
      `name: q\nversion: 1\ndefine:\n  q: quintile(txn_count_12m)\ntiers:\n  - id: unknown\n    rule: q is null\n${[5, 4, 3, 2, 1].map((n) => `  - id: q${n}\n    rule: q = ${n}\n`).join('')}`,
    )
    writeFileSync(
      join(ties.dir, 'counts.csv'),
      [
        'customer_id,name,type,txn_count_12m',
        'A,a,individual,1',
        'B,b,individual,1',
        'C,c,individual,1',
        'D,d,individual,2',
        'E,e,individual,',
        'F,f,individual,9',
      ].join('\n'),
    )
    const out = ndjson(
      crm(['classify', 'check', join(ties.dir, 'counts.csv'), '-s', scheme, '--format', 'ndjson']).stdout,
    )
    // Five known values: the three 1s have cume_dist 3/5 (quintile 3), the 2 4/5 (4), the 9 5/5 (5).
    expect(out.map((r) => r.tier)).toEqual(['q3', 'q3', 'q3', 'q4', 'unknown', 'q5'])
  })
})

describe('a measure that separates no one', () => {
  // Every customer with the same product count: quintile(products) puts them all in group 5 (ties share a group),
  // which is no information at all. Both paths say so; a measure over varied values says nothing.
  const scheme = join(dir, 'flat.yaml')
  const book = join(dir, 'flat.csv')
  const flatDb = {CRM_DB: join(dir, 'flat.db')}
  beforeAll(() => {
    writeFileSync(
      scheme,
      'name: flat\nversion: 1\ntiers:\n  - id: top\n    rule: quintile(products) = 5 and quintile(aum) >= 4\n  - id: rest\n',
    )
    writeFileSync(
      book,
      `customer_id,name,type,aum,products\n${Array.from({length: 8}, (_, i) => `F${i},客户${i},individual,${(i + 1) * 1000},3`).join('\n')}\n`,
    )
    expect(crm(['customer', 'import', book], {env: flatDb}).code).toBe(0)
  })

  it('is named in a warning and in --json, on a stored run and in classify check', () => {
    const run = crm(['classify', '-s', scheme, '--as-of', AS_OF, '--json'], {env: flatDb})
    expect(json<{flat_measures: string[]}>(run).flat_measures).toEqual(['quintile(products)'])
    const told = crm(['classify', '-s', scheme, '--as-of', AS_OF, '--dry-run'], {env: flatDb})
    expect(told.stderr).toContain('warning: quintile(products) separates no one')
    expect(told.stderr).not.toContain('quintile(aum)')
    const checked = crm(['classify', 'check', book, '-s', scheme, '--as-of', AS_OF, '--json'])
    expect(json<{flat_measures: string[]}>(checked).flat_measures).toEqual(['quintile(products)'])
    expect(crm(['classify', 'check', book, '-s', scheme, '--as-of', AS_OF, '--format', 'csv']).stderr).toContain(
      'warning: quintile(products) separates no one',
    )
  })
})
