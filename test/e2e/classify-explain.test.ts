import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'

// Issue 14 §4: explanations point the right way (order), break a score down, and say when a cadence is next due.
const AS_OF = '2026-11-28'
const {dir, db, cleanup} = tempDir()
const env = {CRM_DB: db}
const book = join(dir, 'book.csv')
const scored = join(dir, 'scored.yaml')

interface Move {
  tier: string
  needs: string[]
}
interface Explained {
  tier: string
  order: string
  ranked: boolean
  next: Move | null
  next_worse: Move | null
  scores: {name: string; value: string; terms: {condition: string; holds: boolean | null; points: string}[]}[]
  next_contact: {cadence_days: number; last_contact_on: string | null; due_on: string | null; status: string} | null
}

const explain = (...args: string[]) => crm(['classify', 'explain', ...args], {env})
const explainJson = (...args: string[]) => json<Explained[]>(explain(...args, '--json'))[0]

beforeAll(() => {
  writeFileSync(
    book,
    [
      'customer_id,name,type,aum,loans,overdue_days,last_txn_on,txn_count_12m,products,phone,birth_date,IsActiveMember,Age',
      // R1 has the oldest transaction and the most of them: r 1, f 5, Can't lose them.
      'R1,甲,individual,1000,,,2026-01-01,50,1,,,,',
      'R2,乙,individual,1000,,,2026-02-01,2,1,,,,',
      'R3,丙,individual,1000,,,2026-03-01,3,1,,,,',
      'R4,丁,individual,1000,,,2026-04-01,4,1,,,,',
      'R5,戊,individual,1000,,,2026-05-01,5,1,,,,',
      'L1,己,individual,,1000,30,,,,,,,',
      'L2,庚,individual,,1000,,,,,,,,',
      'G1,辛,individual,60000,,,,,3,13800138000,1950-06-15,0,45',
      'G2,壬,individual,60000,,,,,1,,,0,',
    ].join('\n'),
  )
  writeFileSync(
    scored,
    `name: scored
version: 1
order: worst-first
extras:
  Age: number
  IsActiveMember: number
define:
  inactive: IsActiveMember = 0
  older: Age >= 50
  many_products: products >= 3
  elder: age(birth_date) >= 70
  score: if(inactive, 3, 0) + if(older, 2, 0) + if(many_products, 2, 0) + if(elder, 1, 0)
tiers:
  - id: high
    label: {zh: 高风险, en: High risk}
    rule: score >= 4
    cadence_days: 14
  - id: low
    label: {zh: 低风险, en: Low risk}
`,
  )
  expect(crm(['customer', 'import', book], {env}).code).toBe(0)
  expect(crm(['classify', '-s', 'rfm', '--as-of', AS_OF], {env}).code).toBe(0)
  expect(
    crm(
      ['contact', 'log', '--customer', 'G1', '--channel', 'phone', '--purpose', 'review', '--at', '2026-11-01 10:00'],
      {env},
    ).code,
  ).toBe(0)
})
afterAll(cleanup)

describe('the direction of a move', () => {
  it("sends an RFM Can't-lose customer towards Loyal, never About to sleep (a stored run)", () => {
    const text = explain('R1')
    expect(text.code).toBe(0)
    expect(text.stdout).toContain("Can't lose them (cant-lose)")
    expect(text.stdout).toContain('to reach Loyal (loyal):\n    r would have to be in (3, 4) (now 1)')
    expect(text.stdout).not.toContain('About to sleep')
    expect(explainJson('R1')).toMatchObject({
      tier: 'cant-lose',
      order: 'best-first',
      ranked: true,
      next: {tier: 'loyal'},
      next_worse: null,
    })
  })

  it('shows a risk scheme both ways: the better tier and the worse one it would fall to', () => {
    const text = explain('L1', '-s', 'loan-risk', '--as-of', AS_OF)
    expect(text.stdout).toContain('to reach Normal (normal):\n    overdue_days would have to be <= 0 (now 30)')
    expect(text.stdout).toContain('would fall to Substandard (substandard) if:\n    overdue_days > 90 (now 30)')
    expect(explainJson('L1', '-s', 'loan-risk', '--as-of', AS_OF)).toMatchObject({
      order: 'worst-first',
      next: {tier: 'normal', needs: ['overdue_days would have to be <= 0 (now 30)']},
      next_worse: {tier: 'substandard', needs: ['overdue_days > 90 (now 30)']},
    })
  })

  it('proposes no move for a customer whose deciding input is unknown (unscored)', () => {
    expect(explain('L2', '-s', 'loan-risk', '--as-of', AS_OF).stdout).toContain("outside the scheme's order")
    expect(explainJson('L2', '-s', 'loan-risk', '--as-of', AS_OF)).toMatchObject({
      tier: 'unscored',
      ranked: false,
      next: null,
      next_worse: null,
    })
  })

  it('refuses a scheme with another order, with its line (exit 3)', () => {
    const bad = join(dir, 'bad-order.yaml')
    writeFileSync(bad, 'name: bad\nversion: 1\norder: worst first\ntiers:\n  - id: all\n')
    const result = explain('G1', '-s', bad)
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('bad-order.yaml line 3, column 8: order must be best-first or worst-first')
  })
})

describe('a score rule', () => {
  it('lists each named condition with its values and points, a null one as not holding', () => {
    const text = explain('G1', '-s', scored, '--as-of', AS_OF, '--reveal')
    expect(text.stdout).toContain('score = 6, from:')
    expect(text.stdout).toMatch(/3 {2}inactive: IsActiveMember 0 = 0 {2}holds/)
    expect(text.stdout).toMatch(/0 {2}older: Age 45 >= 50 {2}does not hold/)
    const g2 = explainJson('G2', '-s', scored, '--as-of', AS_OF, '--reveal')
    expect(g2.tier).toBe('low')
    expect(g2.scores[0].terms).toEqual([
      {condition: 'inactive: IsActiveMember 0 = 0', holds: true, points: '3'},
      {condition: 'older: Age null >= 50', holds: null, points: '0'},
      {condition: 'many_products: products 1 >= 3', holds: false, points: '0'},
      {condition: 'elder: age(birth_date) null >= 70', holds: null, points: '0'},
    ])
    expect(g2.next_worse).toEqual({tier: 'high', needs: ['score >= 4 (now 3)']})
  })

  it('masks personal values in the terms unless --reveal (a stored run)', () => {
    expect(crm(['classify', '-s', scored, '--as-of', AS_OF, '--reveal'], {env}).code).toBe(0)
    const masked = json<Explained[]>(explain('G1', '--json')).find((e) => e.scores.length > 0)!
    expect(masked.scores[0].terms[3]).toEqual({condition: 'elder: age(birth_date) *** >= 70', holds: true, points: '1'})
    const revealed = json<Explained[]>(explain('G1', '--json', '--reveal')).find((e) => e.scores.length > 0)!
    expect(revealed.scores[0].terms[3].condition).toBe('elder: age(birth_date) 76 >= 70')
  })
})

describe('a tier with a cadence', () => {
  it.each([
    [
      'G1',
      AS_OF,
      'next due 2027-04-30 (last contact 2026-11-01, every 180 days)',
      {last_contact_on: '2026-11-01', due_on: '2027-04-30', status: 'upcoming'},
    ],
    [
      'G1',
      '2027-06-01',
      'overdue since 2027-04-30 (last contact 2026-11-01, every 180 days)',
      {last_contact_on: '2026-11-01', due_on: '2027-04-30', status: 'overdue'},
    ],
    ['G2', AS_OF, 'now: never contacted (every 180 days)', {last_contact_on: null, due_on: null, status: 'never'}],
  ])('says when %s is next due on %s', (id, date, line, record) => {
    expect(explain(id, '-s', 'retail-aum', '--as-of', date).stdout).toContain(`contact  ${line}`)
    expect(explainJson(id, '-s', 'retail-aum', '--as-of', date).next_contact).toEqual({cadence_days: 180, ...record})
  })

  it('says nothing of contact for a tier without a cadence', () => {
    expect(explainJson('R2', '-s', 'retail-aum', '--as-of', AS_OF)).toMatchObject({tier: 'mass', next_contact: null})
  })
})
