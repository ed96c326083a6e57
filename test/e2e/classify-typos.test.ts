import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'

// Issue 14 §2: typos and wrong types are errors (or warnings), on both paths: a stored run and classify check.
const {dir, db, cleanup} = tempDir()
const env = {CRM_DB: db}
const book = join(dir, 'cards.csv')
const scheme = (name: string, extras: string, rules: string[]) => {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(
    file,
    `name: ${name}\nversion: 1\nextras:\n${extras}tiers:\n${rules.map((r, i) => `  - id: t${i}\n    rule: ${r}\n`).join('')}  - id: rest\n`,
  )
  return file
}
const CARDS = '  Card_Category: text\n  Months_Inactive_12_mon: number\n'
const good = scheme('cards', CARDS, [
  "Card_Category = 'Blue' and Months_Inactive_12_mon >= 3",
  'Months_Inactive_12_mon >= 3',
])
const runs = () => json<unknown[]>(crm(['classify', 'runs', '--json'], {env})).length
const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, string>)

beforeAll(() => {
  writeFileSync(
    book,
    `${[
      'customer_id,name,type,Card_Category,Months_Inactive_12_mon',
      'K1,甲,individual,Blue,3',
      'K2,乙,individual,Blue,n/a',
      'K3,丙,individual,Silver,9.3448e-05',
      'K4,丁,individual,Blue,',
      'K5,戊,individual,Gold,"0,5"',
      'K6,己,individual,,M',
      'K7,庚,individual,Blue,wang@bank.com',
      'K8,辛,individual,Blue,4',
    ].join('\n')}\n`,
  )
  expect(crm(['customer', 'import', book], {env}).code).toBe(0)
})
afterAll(cleanup)

describe('an extra column the data lacks', () => {
  const typo = scheme('typo', '  Card_Category: text\n  months_inactive_12_mon: number\n', [
    'months_inactive_12_mon >= 3',
  ])

  it('stops classify (exit 3, nothing stored) at the declaration, suggesting the kept column that differs in case', () => {
    const before = runs()
    const result = crm(['classify', '--scheme', typo], {env})
    expect(result.code).toBe(3)
    expect(result.stderr).toContain(
      'typo.yaml line 5, column 3: extra column "months_inactive_12_mon" is a kept column of no customer in the portfolio',
    )
    expect(result.stderr).toContain('did you mean "Months_Inactive_12_mon"? (names are case-sensitive)')
    expect(runs()).toBe(before)
  })

  it("stops classify check against the file's columns the same way (exit 3, no rows)", () => {
    const result = crm(['classify', 'check', book, '--scheme', typo, '--format', 'csv'])
    expect(result.code).toBe(3)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('extra column "months_inactive_12_mon" is not a column of the file')
    expect(result.stderr).toContain('did you mean "Months_Inactive_12_mon"?')
  })

  it('lets an optional column (text?) be absent, but a --where that reads it is a usage error (exit 2) on both paths', () => {
    const optional = scheme('optional', `${CARDS}  risk_class: text?\n`, ["Card_Category = 'Gold'"])
    expect(crm(['classify', '--scheme', optional, '--dry-run'], {env}).code).toBe(0)
    expect(crm(['classify', 'check', book, '--scheme', optional, '--format', 'csv']).code).toBe(0)
    const where = crm(['classify', '--scheme', optional, '--where', "risk_class = 'R1'", '--dry-run'], {env})
    expect(where.code).toBe(2)
    expect(where.stderr).toContain('--where reads extra column "risk_class", which no customer in the portfolio has')
    const loanRisk = crm(
      ['classify', '--scheme', 'loan-risk', '--where', "risk_class = '损失'", '--dry-run', '--json'],
      {env},
    )
    expect(loanRisk.code).toBe(2)
    expect(json<{error: {message: string}}>(loanRisk).error.message).toContain('"risk_class"')
  })
})

describe('text in a number extra', () => {
  const invalidReasons = {
    K2: 'invalid: Months_Inactive_12_mon: "n/a" is not a number',
    K5: 'invalid: Months_Inactive_12_mon: "0,5" is not a number',
    K6: 'invalid: Months_Inactive_12_mon: "M" is not a number',
    K7: 'invalid: Months_Inactive_12_mon: "w***@bank.com" is not a number',
  }

  it('makes the customer invalid in a stored run: counted, named with the reason, left out, exit 3', () => {
    const result = crm(['classify', '--scheme', good, '--json'], {env})
    expect(result.code).toBe(3)
    const run = json<{
      run: number
      customers: number
      invalid: number
      invalid_customers: {customer_id: string; reason: string}[]
    }>(result)
    expect(run).toMatchObject({customers: 4, invalid: 4})
    expect(Object.fromEntries(run.invalid_customers.map((c) => [c.customer_id, c.reason]))).toEqual(invalidReasons)
    const stored = ndjson(crm(['classify', 'show', String(run.run), '--format', 'ndjson'], {env}).stdout)
    // Scientific notation is a number; an empty cell is unknown (null), not invalid.
    expect(Object.fromEntries(stored.map((r) => [r.customer_id, r.tier]))).toEqual({
      K1: 't0',
      K3: 'rest',
      K4: 'rest',
      K8: 't0',
    })
    const human = crm(['classify', '--scheme', good, '--dry-run'], {env})
    expect(human.code).toBe(3)
    expect(human.stderr).toContain('4 customers were not classified')
    expect(human.stderr).toContain('  K2: invalid: Months_Inactive_12_mon: "n/a" is not a number')
  })

  it('marks the row invalid in classify check with the same reason, and the other rows get the same tiers', () => {
    const result = crm(['classify', 'check', book, '--scheme', good, '--format', 'ndjson'])
    expect(result.code).toBe(3)
    const rows = ndjson(result.stdout)
    expect(Object.fromEntries(rows.filter((r) => r.tier === '').map((r) => [r.customer_id, r.reason]))).toEqual(
      invalidReasons,
    )
    expect(Object.fromEntries(rows.filter((r) => r.tier !== '').map((r) => [r.customer_id, r.tier]))).toEqual({
      K1: 't0',
      K3: 'rest',
      K4: 'rest',
      K8: 't0',
    })
    expect(result.stderr).toContain('8 rows: 4 classified, 0 not applicable, 4 invalid')
  })

  it('shows a personal-looking value only with --reveal', () => {
    const run = json<{invalid_customers: {customer_id: string; reason: string}[]}>(
      crm(['classify', '--scheme', good, '--json', '--dry-run', '--reveal'], {env}),
    )
    expect(run.invalid_customers.find((c) => c.customer_id === 'K7')!.reason).toContain('"wang@bank.com"')
  })
})

describe('a compared value the column never holds', () => {
  const lower = scheme('lower', CARDS, ["Card_Category = 'blue'"])
  const warning =
    "warning: Card_Category is never 'blue' in this data (tier \"t0\": Card_Category = 'blue'): it holds 'Blue' (5), 'Gold' (1), 'Silver' (1); did you mean 'Blue'?"

  it('warns on stderr after a stored run, listing the values it holds, most common first', () => {
    const result = crm(['classify', '--scheme', lower, '--dry-run'], {env})
    expect(result.stderr).toContain(warning)
  })

  it('says the same in --json on both paths', () => {
    const expected = [
      {
        field: 'Card_Category',
        value: 'blue',
        rule: 'tier "t0": Card_Category = \'blue\'',
        holds: [
          {value: 'Blue', customers: 5},
          {value: 'Gold', customers: 1},
          {value: 'Silver', customers: 1},
        ],
        did_you_mean: 'Blue',
      },
    ]
    expect(
      json<{unseen_values: unknown}>(crm(['classify', '--scheme', lower, '--dry-run', '--json'], {env})).unseen_values,
    ).toEqual(expected)
    expect(
      json<{unseen_values: unknown}>(crm(['classify', 'check', book, '--scheme', lower, '--json'])).unseen_values,
    ).toEqual(expected)
    expect(crm(['classify', 'check', book, '--scheme', lower, '--format', 'csv']).stderr).toContain(warning)
  })

  it('warns for --where too, and says nothing when the value is held', () => {
    // Selecting nobody, the run is refused (exit 3), and the unseen value is the first thing the hint says.
    const result = crm(['classify', '--scheme', good, '--where', "Card_Category = 'gold'", '--dry-run'], {env})
    expect(result.code).toBe(3)
    expect(result.stderr).toContain("Card_Category is never 'gold' in this data (--where: Card_Category = 'gold')")
    expect(result.stderr).toContain("did you mean 'Gold'?")
    expect(crm(['classify', '--scheme', good, '--dry-run'], {env}).stderr).not.toContain('in this data')
    // loan-risk compares a kept risk_class this book lacks (optional): unknown, not a typo.
    expect(crm(['classify', '--scheme', 'loan-risk', '--dry-run'], {env}).stderr).not.toContain('in this data')
  })
})

describe('a tier an earlier threshold shadows', () => {
  const shadowed = scheme('shadowed', CARDS, ['aum >= 200万', 'aum >= 500万'])
  const message =
    'tier "t1" can never be reached: every customer its rule takes (aum >= 500万) is taken first by tier "t0" (aum >= 200万)'

  it.each([
    ['scheme validate', ['scheme', 'validate', shadowed]],
    ['classify', ['classify', '--scheme', shadowed, '--dry-run']],
    ['classify check', ['classify', 'check', book, '--scheme', shadowed]],
  ])('is refused by %s with the line of the shadowed tier (exit 3)', (_, args) => {
    const result = crm(args, {env})
    expect(result.code).toBe(3)
    expect(result.stderr).toContain(`shadowed.yaml line 10, column 11: ${message}`)
    expect(result.stderr).toContain('move "t1" above "t0"')
  })

  it('takes the same tiers in an order where each can be reached', () => {
    expect(crm(['scheme', 'validate', scheme('ordered', CARDS, ['aum >= 500万', 'aum >= 200万'])]).code).toBe(0)
  })
})
