import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'

// What a reviewer found trying classification on real data (issue 14), on both paths where both apply.
const {dir, db, cleanup} = tempDir()
const env = {CRM_DB: db}
const book = join(dir, 'book.csv')
const write = (name: string, text: string) => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
const genderNumber = write(
  'gender.yaml',
  'name: g\nversion: 1\nextras:\n  Gender: number\ntiers:\n  - id: one\n    rule: Gender = 1\n  - id: rest\n',
)
const ROWS = [
  'customer_id,name,type,status,aum,Gender,Age',
  'R1,甲,individual,active,100,Female,３５',
  'R2,乙,individual,closed,200,Male,40',
  'R3,丙,individual,active,300,Female,１２３４.５０',
]

beforeAll(() => {
  writeFileSync(book, `${ROWS.join('\n')}\n`)
  expect(crm(['customer', 'import', book], {env}).code).toBe(0)
})
afterAll(cleanup)

describe('a run where every selected customer is invalid', () => {
  it('says all of them were invalid, with the first reasons and what to do (exit 3), not that there is no customer', () => {
    const result = crm(['classify', '--scheme', genderNumber], {env})
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('all 3 customers read were invalid')
    expect(result.stderr).toContain('R1: invalid: Gender: "Female" is not a number')
    expect(result.stderr).toContain('declare the column as text')
    expect(result.stderr).not.toContain('holds no customer')
  })

  it('says so with --where too, and under --json (the reasons as its hint)', () => {
    const result = crm(['classify', '--scheme', genderNumber, '--where', "status = 'active'", '--json'], {env})
    expect(result.code).toBe(3)
    const {message, hint} = json<{error: {message: string; hint: string}}>(result).error
    // Customers are checked for invalid values before --where is applied, as classify check does.
    expect(message).toContain('all 3 customers read were invalid')
    expect(hint).toContain('R1: invalid: Gender: "Female" is not a number')
    expect(message).not.toContain('selects no customer')
  })
})

describe('classify explain of a customer the run marks invalid', () => {
  it('gives the same invalid reason and no tier, in text', () => {
    const result = crm(['classify', 'explain', 'R1', '--scheme', genderNumber], {env})
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('invalid: Gender: "Female" is not a number')
    expect(result.stdout).toMatch(/tier\s+no tier/)
  })

  it('gives the same invalid reason and no tier under --json', () => {
    const [record] = json<Record<string, unknown>[]>(
      crm(['classify', 'explain', 'R1', '--scheme', genderNumber, '--json'], {env}),
    )
    expect(record).toMatchObject({
      tier: null,
      invalid: true,
      reason: 'invalid: Gender: "Female" is not a number',
      next_contact: null,
    })
  })
})

describe('full-width digits in number and money extras', () => {
  const typed = write(
    'typed.yaml',
    'name: typed\nversion: 1\nextras:\n  Age: number\ntiers:\n  - id: grown\n    rule: Age >= 30\n  - id: rest\n',
  )
  const money = write(
    'money.yaml',
    'name: money\nversion: 1\nextras:\n  Age: money\ntiers:\n  - id: big\n    rule: Age >= 1000\n  - id: rest\n',
  )

  it('reads ３５ and １２３４.５０ as numbers in a stored run', () => {
    const run = json<{run: number; invalid: number}>(crm(['classify', '--scheme', typed, '--json'], {env}))
    expect(run.invalid).toBe(0)
    const rows = crm(['classify', 'show', String(run.run), '--format', 'ndjson'], {env})
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>)
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.tier]))).toEqual({
      R1: 'grown',
      R2: 'grown',
      R3: 'grown',
    })
  })

  it('reads them the same way in classify check, as numbers and as amounts', () => {
    const checked = crm(['classify', 'check', book, '--scheme', typed, '--format', 'csv'])
    expect(checked.code).toBe(0)
    expect(checked.stdout).not.toContain('invalid')
    const amounts = crm(['classify', 'check', book, '--scheme', money, '--format', 'csv'])
    expect(amounts.code).toBe(0)
    expect(amounts.stdout).toContain('R3,')
    expect(amounts.stdout.split('\n').find((l) => l.startsWith('R3,'))).toContain(',big,')
  })
})

describe('explain of a closed customer', () => {
  it('gives no next contact, and says why, as contact due never lists closed customers', () => {
    const cadence = write('cadence.yaml', 'name: cadence\nversion: 1\ntiers:\n  - id: all\n    cadence_days: 30\n')
    const text = crm(['classify', 'explain', 'R2', '--scheme', cadence], {env})
    expect(text.stdout).toContain('none: the customer is closed')
    expect(text.stdout).not.toContain('never contacted')
    const [record] = json<{next_contact: {status: string; due_on: string | null}}[]>(
      crm(['classify', 'explain', 'R2', '--scheme', cadence, '--json'], {env}),
    )
    expect(record.next_contact).toMatchObject({status: 'closed', due_on: null})
    expect(crm(['classify', 'explain', 'R1', '--scheme', cadence], {env}).stdout).toContain('now: never contacted')
  })
})

describe('churn-risk with a valuable customer who has no dates and no contacts', () => {
  it('is unscored on both paths', () => {
    const file = write('churn.csv', 'customer_id,name,type,aum\nV1,甲,individual,800000\nV2,乙,individual,100\n')
    const churnEnv = {CRM_DB: join(dir, 'churn.db')}
    expect(crm(['customer', 'import', file], {env: churnEnv}).code).toBe(0)
    const run = json<{run: number}>(crm(['classify', '--scheme', 'churn-risk', '--json'], {env: churnEnv}))
    const stored = crm(['classify', 'show', String(run.run), '--format', 'ndjson'], {env: churnEnv})
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>)
    expect(stored.find((r) => r.customer_id === 'V1')?.tier).toBe('unscored')
    const checked = crm(['classify', 'check', file, '--scheme', 'churn-risk', '--format', 'csv'])
    expect(checked.stdout.split('\n').find((l) => l.startsWith('V1,'))).toContain(',unscored,')
  })
})

describe('classify explain of a score written as conditions used as numbers', () => {
  it.each([
    ['(inactive)*3 + (older)*2', '3'],
    ['count_true(inactive, older)', '1'],
  ])('lists each condition of %s with whether it holds and its points', (score, points) => {
    const file = write(
      'score.yaml',
      `name: score\nversion: 1\nextras:\n  Age: number\ndefine:\n  inactive: aum < 150\n  older: Age >= 50\n  score: ${score}\ntiers:\n  - id: high\n    rule: score >= 1\n  - id: low\n`,
    )
    const [record] = json<
      {scores: {name: string; terms: {condition: string; holds: boolean | null; points: string}[]}[]}[]
    >(crm(['classify', 'explain', 'R1', '--scheme', file, '--json'], {env}))
    expect(record.scores[0].terms).toEqual([
      {condition: 'inactive: aum 100.00 < 150', holds: true, points},
      {condition: 'older: Age 35 >= 50', holds: false, points: '0'},
    ])
  })
})

describe('summary over runs of different scheme versions', () => {
  it('says so above the table and in --json', () => {
    const sEnv = {CRM_DB: join(dir, 'versions.db')}
    expect(crm(['customer', 'import', book], {env: sEnv}).code).toBe(0)
    const v1 = write('vs1.yaml', 'name: vs\nversion: 1\ntiers:\n  - id: big\n    rule: aum >= 150\n  - id: rest\n')
    const v2 = write('vs2.yaml', 'name: vs\nversion: 2\ntiers:\n  - id: big\n    rule: aum >= 250\n  - id: rest\n')
    expect(crm(['classify', '--scheme', v1], {env: sEnv}).code).toBe(0)
    expect(
      json<{scheme_changed: boolean}>(crm(['summary', '--scheme', 'vs', '--json'], {env: sEnv})).scheme_changed,
    ).toBe(false)
    expect(crm(['summary', '--scheme', 'vs', '--format', 'csv'], {env: sEnv}).stderr).not.toContain(
      'different versions',
    )
    expect(crm(['classify', '--scheme', v2, '--where', "status = 'active'"], {env: sEnv}).code).toBe(0)
    const doc = json<{scheme_changed: boolean; run_versions: {run: number; version: string}[]}>(
      crm(['summary', '--scheme', 'vs', '--json'], {env: sEnv}),
    )
    expect(doc.scheme_changed).toBe(true)
    expect(doc.run_versions.map((r) => r.version)).toEqual(['2', '1'])
    const csv = crm(['summary', '--scheme', 'vs', '--format', 'csv'], {env: sEnv})
    expect(csv.stderr).toContain('the runs this summary stands on used different versions of vs: run 2 v2')
  })
})

describe('classify check counts', () => {
  it('says "1 row", not "1 rows"', () => {
    const result = crm(['classify', 'check', '--scheme', 'retail-aum', '--format', 'csv'], {
      input: 'aum,type\n100,individual\n',
    })
    expect(result.stderr).toContain('1 row: 1 classified')
  })
})
