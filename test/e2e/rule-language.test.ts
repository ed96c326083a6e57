import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Issue 14 §5: the rule language an analyst reaches for, on both paths (a stored run and classify check), nulls
// included.
const AS_OF = '2026-11-28'
const {dir, db, cleanup} = tempDir()
const env = {CRM_DB: db}
const book = join(dir, 'book.csv')
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text)
  return join(dir, name)
}

// Card_Category and Score are kept columns; empty cells are unknown values.
const BOOK = `customer_id,name,type,aum,loans,email,Card_Category,Score
C1,Alpha Trading,individual,1200000,0,wang@x.com,Blue,3.675
C2,beta co,individual,300000,5000,li@Y.com,Gold,
C3,Gamma,individual,,100,,blue,1.2
C4,Delta_1,individual,50000,,zhao@x.com,,7
C5,Epsilon,individual,100000,0,sun@z.com,Silver,2.5
C6,Zeta,individual,,,,Gold,
`

const SCHEME = `name: lang
version: 1
extras:
  Card_Category: text
  Score: number
define:
  points: count_true(aum > 50万, loans > 0, Score >= 3)
tiers:
  - id: unscored
    ranked: false
    rule: count_unknown(aum > 50万, loans > 0, Score >= 3) >= 2
  - id: top
    rule: aum > percentile(0.75, aum) and name not ilike '%co'
  - id: card
    rule: case when lower(Card_Category) like 'b%' then points >= 1 else (aum > median(aum)) + (loans > 0) >= 1 end
  - id: rounded
    rule: round(Score, 2) = 7 or nullif(trim(upper(Card_Category)), '') = 'SILVER'
  - id: rest
`

// Known aum: 50000 100000 300000 1200000, so median(aum) is 200000 and percentile(0.75, aum) 525000.
const EXPECTED = {
  C1: ['top', "aum 1200000.00 > percentile(0.75, aum) 525000.00; name 'Alpha Trading' not ilike '%co'"],
  C2: ['card', "no when held: lower(Card_Category) 'gold' like 'b%'; (aum > median(aum)) + (loans > 0) 2 >= 1"],
  C3: ['card', "lower(Card_Category) 'blue' like 'b%'; points 1 >= 1"],
  C4: ['rounded', 'round(Score, 2) 7 = 7'],
  C5: ['rounded', "nullif(trim(upper(Card_Category)), '') 'SILVER' = 'SILVER'"],
  C6: ['unscored', 'count_unknown(aum > 50万, loans > 0, Score >= 3) 3 >= 2'],
}

const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, string>)
const byCustomer = (rows: Record<string, string>[]) =>
  Object.fromEntries(rows.map((r) => [r.customer_id, [r.tier, r.reason]]))

beforeAll(() => {
  writeFileSync(book, BOOK)
  expect(crm(['customer', 'import', book], {env}).code).toBe(0)
})
afterAll(cleanup)

describe('the rule language an analyst reaches for', () => {
  it('gives every customer the same tier and reason in a stored run and in classify check, unknown values included', () => {
    const scheme = file('lang.yaml', SCHEME)
    const run = json<{run: number; customers: number}>(
      crm(['classify', '-s', scheme, '--as-of', AS_OF, '--json'], {env}),
    )
    expect(run.customers).toBe(6)
    const stored = byCustomer(ndjson(crm(['classify', 'show', String(run.run), '--format', 'ndjson'], {env}).stdout))
    expect(stored).toEqual(EXPECTED)
    const checked = crm(['classify', 'check', book, '-s', scheme, '--as-of', AS_OF, '--format', 'ndjson'])
    expect(checked.code).toBe(0)
    expect(byCustomer(ndjson(checked.stdout))).toEqual(EXPECTED)
  })

  it('explains a case by the when that held, and what would move the customer up', () => {
    const scheme = file('lang.yaml', SCHEME)
    const result = crm(['classify', 'explain', 'C2', '--scheme', scheme, '--as-of', AS_OF], {env})
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("because  no when held: lower(Card_Category) 'gold' like 'b%'")
    expect(result.stdout).toContain("name would have to be not ilike '%co' (now 'beta co')")
  })

  it('counts a rule that reads email through lower() and like as reading email: --reveal on both paths, masked in what a run stored', () => {
    const scheme = file(
      'mail.yaml',
      "name: mail\nversion: 1\ntiers:\n  - id: x-mail\n    rule: lower(email) like '%@x.com'\n  - id: rest\n",
    )
    expectHandled(crm(['classify', '-s', scheme, '--dry-run'], {env}), 2)
    const refused = crm(['classify', 'check', book, '-s', scheme])
    expectHandled(refused, 2)
    expect(refused.stderr).toContain('reads email')
    const run = json<{run: number}>(crm(['classify', '-s', scheme, '--reveal', '--json'], {env}))
    const masked = byCustomer(ndjson(crm(['classify', 'show', String(run.run), '--format', 'ndjson'], {env}).stdout))
    expect(masked.C1).toEqual(['x-mail', "lower(email) '***' like '***'"])
    expect(masked.C3).toEqual(['rest', 'no rule above held: lower(email) null'])
    const revealed = byCustomer(
      ndjson(crm(['classify', 'show', String(run.run), '--format', 'ndjson', '--reveal'], {env}).stdout),
    )
    expect(revealed.C1).toEqual(['x-mail', "lower(email) 'wang@x.com' like '%@x.com'"])
    const checked = byCustomer(
      ndjson(crm(['classify', 'check', book, '-s', scheme, '--reveal', '--format', 'ndjson']).stdout),
    )
    expect(checked.C4).toEqual(['x-mail', "lower(email) 'zhao@x.com' like '%@x.com'"])
    expect(checked.C2).toEqual(['rest', "no rule above held: lower(email) 'li@y.com'"])
  })

  it('refuses a chained comparison with the rule to write instead: in a scheme file (exit 3) and in --where (exit 2)', () => {
    const scheme = file(
      'chained.yaml',
      'name: c\nversion: 1\ntiers:\n  - id: mid\n    rule: 1万 < aum <= 50万\n  - id: rest\n',
    )
    for (const result of [
      crm(['scheme', 'validate', scheme]),
      crm(['classify', 'check', book, '-s', scheme]),
      crm(['classify', '-s', scheme], {env}),
    ]) {
      expectHandled(result, 3)
      expect(result.stderr).toContain('line 5, column 11: comparisons cannot be chained')
      expect(result.stderr).toContain('write 1万 < aum and aum <= 50万')
    }
    const where = crm(['classify', '-s', 'retail-aum', '--where', '1 < aum < 5', '--dry-run'], {env})
    expectHandled(where, 2)
    expect(where.stderr).toContain('write 1 < aum and aum < 5')
  })

  it.each([
    ["case when aum > 1 then 'a' = 'a'", 'expected when, else or end'],
    ['percentile(90, aum) > 1', 'percentile(0.9, x)'],
    ['Card_Category like 1', 'like needs text'],
    ['round(aum, aum) > 1', 'the decimal places of round() must be a written whole number'],
  ])('refuses %j in a scheme with a clear error (exit 3), on both paths', (rule, message) => {
    const scheme = file(
      'bad.yaml',
      `name: b\nversion: 1\nextras:\n  Card_Category: text\ntiers:\n  - id: a\n    rule: "${rule.replaceAll('"', '\\"')}"\n  - id: rest\n`,
    )
    for (const result of [crm(['classify', 'check', book, '-s', scheme]), crm(['classify', '-s', scheme], {env})]) {
      expectHandled(result, 3)
      expect(result.stderr).toContain(message)
    }
  })
})
