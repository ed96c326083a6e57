import {describe, expect, it} from 'vitest'
import {BUILTIN_SCHEMES} from '../../../src/core/schemes/builtin/index.js'
import {smeIndustry} from '../../../src/core/schemes/industry.js'
import {builtin, fen, fromText, tierOne, tiersOf, wan} from '../../helpers/schemes.js'

describe('the built-in schemes', () => {
  it.each(Object.keys(BUILTIN_SCHEMES))('%s loads, compiles and names its source', (name) => {
    const compiled = builtin(name)
    expect(compiled.scheme.name).toBe(name)
    expect(compiled.scheme.source.length).toBeGreaterThan(40)
    expect(compiled.scheme.tiers.every((t) => t.label.zh !== t.id && t.label.en !== '')).toBe(true)
  })
})

describe('sme-size: the 2011 SME standard with the combining rule of standards.md', () => {
  const sme = builtin('sme-size')
  const size = (industry: string, x: number | null, y: number | null, z: number | null = null) =>
    tierOne(sme, {
      type: 'corporate',
      industry,
      employees: x,
      revenue: y === null ? null : wan(y),
      total_assets: z === null ? null : wan(z),
    })

  it.each([
    ['C', 1000, 40000, null, 'large'],
    ['C', 1000, 39999, null, 'medium'],
    ['C', 999, 50000, null, 'medium'],
    ['C', 299, 50000, null, 'small'],
    ['C', 20, 300, null, 'small'],
    ['C', 19, 100000, null, 'micro'],
    ['C', 500, 299, null, 'micro'],
    ['51', 19, 50000, null, 'small'],
    ['51', 4, 100000, null, 'micro'],
    ['52', 50, 500, null, 'medium'],
    ['52', 9, 100000, null, 'micro'],
    ['E', null, 80000, 79999, 'medium'],
    ['E', null, 299, 100000, 'micro'],
    ['7010', null, 500000, 1999, 'micro'],
    ['63', 1999, 100000, null, 'medium'],
    ['702', 99, 500, null, 'micro'],
    ['A', null, 49.99, null, 'micro'],
    ['M', 300, null, null, 'large'],
  ])('the exact case %s X=%s Y=%s Z=%s is %s', (industry, x, y, z, expected) => {
    expect(size(industry as string, x as number | null, y as number | null, z as number | null)).toBe(expected)
  })

  // Every industry row at each floor, and one below it: the floor holds (≥), one below drops a tier.
  it.each([
    ['01', ['Y'], [20000, 500, 50]],
    [
      'C3011',
      ['X', 'Y'],
      [
        [1000, 40000],
        [300, 2000],
        [20, 300],
      ],
    ],
    [
      'E',
      ['Y', 'Z'],
      [
        [80000, 80000],
        [6000, 5000],
        [300, 300],
      ],
    ],
    [
      '51',
      ['X', 'Y'],
      [
        [200, 40000],
        [20, 5000],
        [5, 1000],
      ],
    ],
    [
      '52',
      ['X', 'Y'],
      [
        [300, 20000],
        [50, 500],
        [10, 100],
      ],
    ],
    [
      '54',
      ['X', 'Y'],
      [
        [1000, 30000],
        [300, 3000],
        [20, 200],
      ],
    ],
    [
      '59',
      ['X', 'Y'],
      [
        [200, 30000],
        [100, 1000],
        [20, 100],
      ],
    ],
    [
      '60',
      ['X', 'Y'],
      [
        [1000, 30000],
        [300, 2000],
        [20, 100],
      ],
    ],
    [
      '61',
      ['X', 'Y'],
      [
        [300, 10000],
        [100, 2000],
        [10, 100],
      ],
    ],
    [
      '62',
      ['X', 'Y'],
      [
        [300, 10000],
        [100, 2000],
        [10, 100],
      ],
    ],
    [
      '64',
      ['X', 'Y'],
      [
        [2000, 100000],
        [100, 1000],
        [10, 100],
      ],
    ],
    [
      '65',
      ['X', 'Y'],
      [
        [300, 10000],
        [100, 1000],
        [10, 50],
      ],
    ],
    [
      '7010',
      ['Y', 'Z'],
      [
        [200000, 10000],
        [1000, 5000],
        [100, 2000],
      ],
    ],
    [
      '7020',
      ['X', 'Y'],
      [
        [1000, 5000],
        [300, 1000],
        [100, 500],
      ],
    ],
    [
      'L',
      ['X', 'Z'],
      [
        [300, 120000],
        [100, 8000],
        [10, 100],
      ],
    ],
    ['R', ['X'], [300, 100, 10]],
  ])('industry %s: every floor holds at the bound and fails one below it', (industry, indicators, floors) => {
    const tiers = ['large', 'medium', 'small']
    const below = ['medium', 'small', 'micro']
    const rows = (floors as (number | number[])[]).map((f) => (Array.isArray(f) ? f : [f]))
    rows.forEach((bounds, t) => {
      const at: Record<string, number> = {}
      ;(indicators as string[]).forEach((ind, i) => {
        at[ind] = bounds[i]
      })
      const value = (ind: string, v: Record<string, number>) => v[ind] ?? null
      const customer = (v: Record<string, number>) =>
        size(industry as string, value('X', v), value('Y', v), value('Z', v))
      expect(customer(at)).toBe(tiers[t])
      for (const ind of indicators as string[]) {
        // One below: one person fewer, or one yuan less (the amounts are 万元 at the bound).
        const less = {...at, [ind]: ind === 'X' ? at[ind] - 1 : at[ind] - 0.0001}
        expect(customer(less)).toBe(below[t])
      }
    })
  })

  it.each([
    ['C3011', '工业'],
    ['3011', '工业'],
    ['C', '工业'],
    ['制造业', '工业'],
    ['B', '工业'],
    ['52', '零售业'],
    ['F52', '零售业'],
    ['零售业', '零售业'],
    ['51', '批发业'],
    ['7010', '房地产开发经营'],
    ['702', '物业管理'],
    ['703', '其他未列明行业'],
    ['农、林、牧、渔业', '农林牧渔业'],
    ['65', '软件和信息技术服务业'],
    ['F', null],
    ['66', null],
    ['J', null],
    ['53', null],
    ['704', null],
    ['70', null],
    ['A30', null],
    ['教育', null],
    ['', null],
  ])('reads the industry %j as %s', (written, expected) => {
    expect(smeIndustry(written)).toBe(expected)
  })

  it('does not size an industry the standard leaves out, and says when an indicator is missing', () => {
    expect(size('66', 5000, 900000)).toBe('not-sized')
    expect(size('C', null, 50000)).toBe('incomplete')
    expect(size('C', null, 100)).toBe('micro')
    expect(tierOne(sme, {type: 'individual', industry: 'C', employees: 10, revenue: wan(100)})).toBeNull()
  })
})

describe("loan-risk: the 2023 measures' floors by days overdue", () => {
  const risk = builtin('loan-risk')
  it.each([
    [0, 'normal'],
    [1, 'special-mention'],
    [90, 'special-mention'],
    [91, 'substandard'],
    [270, 'substandard'],
    [271, 'doubtful'],
    [360, 'doubtful'],
    [361, 'loss'],
  ])('%i days overdue is %s', (days, expected) => {
    expect(tierOne(risk, {loans: fen(100000), overdue_days: days})).toBe(expected)
  })

  it('takes the worse of the judgement and the floor: a floor never upgrades', () => {
    expect(tierOne(risk, {loans: fen(1000), overdue_days: 10, risk_class: '可疑'})).toBe('doubtful')
    expect(tierOne(risk, {loans: fen(1000), overdue_days: 400, risk_class: '关注'})).toBe('loss')
  })

  it('leaves out customers without loans', () => {
    expect(tierOne(risk, {loans: 0, overdue_days: 0})).toBeNull()
  })

  it('never grades a loan with unknown days overdue normal: the judgement when worse, else unscored', () => {
    expect(tierOne(risk, {loans: fen(1000), overdue_days: null})).toBe('unscored')
    expect(tierOne(risk, {loans: fen(1000), overdue_days: null, risk_class: '正常'})).toBe('unscored')
    expect(tierOne(risk, {loans: fen(1000), overdue_days: null, risk_class: '次级'})).toBe('substandard')
  })
})

describe('retail-aum', () => {
  const retail = builtin('retail-aum')
  it.each([
    [6_000_000, 'private-banking'],
    [5_999_999.99, 'diamond'],
    [2_000_000, 'diamond'],
    [500_000, 'wealth'],
    [499_999.99, 'gold'],
    [50_000, 'gold'],
    [49_999.99, 'mass'],
    [0, 'mass'],
  ])('an AUM of %d yuan is %s', (aum, expected) => {
    expect(tierOne(retail, {type: 'individual', aum: fen(aum)})).toBe(expected)
  })

  it('puts a customer with no AUM in mass, and leaves corporate customers out', () => {
    expect(tierOne(retail, {type: 'individual', aum: null})).toBe('mass')
    expect(tierOne(retail, {type: 'corporate', aum: fen(9e6)})).toBeNull()
  })
})

describe('rfm', () => {
  // The segment grid of standards.md, with R and F given directly (the scheme's rules, quintiles aside).
  const grid = fromText(
    BUILTIN_SCHEMES.rfm
      .replace('r: quintile(last_txn_on)', 'r: r_score')
      .replace('f: quintile(txn_count_12m)', 'f: f_score')
      .replace('define:', 'extras:\n  r_score: number\n  f_score: number\ndefine:'),
  )
  const patterns: [RegExp, string][] = [
    [/^[1-2][1-2]$/, 'hibernating'],
    [/^[1-2][3-4]$/, 'at-risk'],
    [/^[1-2]5$/, 'cant-lose'],
    [/^3[1-2]$/, 'about-to-sleep'],
    [/^33$/, 'need-attention'],
    [/^[3-4][4-5]$/, 'loyal'],
    [/^41$/, 'promising'],
    [/^51$/, 'new-customers'],
    [/^[4-5][2-3]$/, 'potential-loyalists'],
    [/^5[4-5]$/, 'champions'],
  ]
  const cells = [1, 2, 3, 4, 5].flatMap((r) => [1, 2, 3, 4, 5].map((f) => [r, f] as const))

  it.each(cells)('R %i F %i is the segment its pattern names', (r, f) => {
    const matching = patterns.filter(([p]) => p.test(`${r}${f}`))
    expect(matching).toHaveLength(1)
    expect(tierOne(grid, {r_score: r, f_score: f})).toBe(matching[0][1])
  })

  it('scores by equal fifths of the portfolio, recent and frequent scoring high', () => {
    const rfm = builtin('rfm')
    const customers = Array.from({length: 10}, (_, i) => ({
      customer_id: `C${i}`,
      last_txn_on: `2026-0${i < 9 ? i + 1 : 9}-15`,
      txn_count_12m: i,
    }))
    const tiers = tiersOf(rfm, customers)
    // The two most recent and most frequent are champions; the two oldest and least frequent hibernate.
    expect(tiers.slice(8)).toEqual(['champions', 'champions'])
    expect(tiers.slice(0, 2)).toEqual(['hibernating', 'hibernating'])
  })

  it('gives customers with identical R and F inputs the same segment, whatever their ids', () => {
    const rfm = builtin('rfm')
    // Half the portfolio shares one date and one count: NTILE split them across three segments by customer_id.
    const customers = Array.from({length: 20}, (_, i) =>
      i < 10
        ? {customer_id: `C${i}`, last_txn_on: '2026-06-01', txn_count_12m: 5}
        : {customer_id: `C${i}`, last_txn_on: `2026-${String(i - 9).padStart(2, '0')}-20`, txn_count_12m: i},
    )
    expect(new Set(tiersOf(rfm, customers).slice(0, 10)).size).toBe(1)
  })

  it('leaves a customer without a last transaction date or a count unscored, and scores the rest among themselves', () => {
    const rfm = builtin('rfm')
    const customers = [
      ...Array.from({length: 5}, (_, i) => ({
        customer_id: `K${i}`,
        last_txn_on: `2026-0${i + 1}-15`,
        txn_count_12m: i,
      })),
      {customer_id: 'N1', last_txn_on: null, txn_count_12m: 50},
      {customer_id: 'N2', last_txn_on: '2026-11-27', txn_count_12m: null},
    ]
    expect(tiersOf(rfm, customers)).toEqual([
      'hibernating',
      'hibernating',
      'need-attention',
      'loyal',
      'champions',
      'unscored',
      'unscored',
    ])
  })

  it('reproduces issue 14: a file without transaction dates gets no Champions (it used to give 2,000 by id order)', () => {
    const rfm = builtin('rfm')
    const customers = Array.from({length: 100}, (_, i) => ({
      customer_id: `C${String(i).padStart(3, '0')}`,
      last_txn_on: null,
      txn_count_12m: null,
    }))
    expect(new Set(tiersOf(rfm, customers))).toEqual(new Set(['unscored']))
  })
})

describe('abc', () => {
  it('classes by cumulative share of AUM: the customer that carries the share past 80% joins B', () => {
    const abc = builtin('abc')
    expect(tiersOf(abc, [{aum: fen(50)}, {aum: fen(30)}, {aum: fen(15)}, {aum: fen(5)}])).toEqual(['A', 'A', 'B', 'C'])
    expect(tiersOf(abc, [{aum: fen(85)}, {aum: fen(15)}])).toEqual(['B', 'C'])
  })

  it('leaves a customer with no AUM recorded unscored and out of the total', () => {
    expect(tiersOf(builtin('abc'), [{aum: fen(85)}, {aum: null}, {aum: fen(15)}])).toEqual(['B', 'unscored', 'C'])
    expect(tiersOf(builtin('abc'), [{aum: null}, {aum: null}])).toEqual(['unscored', 'unscored'])
  })
})

describe('value-matrix', () => {
  it('gives the worked example of standards.md exactly', () => {
    const matrix = builtin('value-matrix')
    const rows = [
      [78, 80],
      [87, 55],
      [69, 62],
      [74, 75],
    ].map(([c, p], i) => ({customer_id: 'ABCD'[i], current_value: fen(c), potential_value: fen(p)}))
    expect(tiersOf(matrix, rows)).toEqual(['value', 'current-value', 'low-value', 'potential-value'])
  })

  it('leaves customers without both values unscored', () => {
    expect(tierOne(builtin('value-matrix'), {contribution: fen(10)})).toBe('unscored')
  })
})

describe('lifecycle and churn-risk', () => {
  const life = builtin('lifecycle')
  it.each([
    [{status: 'closed', aum: fen(10), products: 2}, 'churned'],
    [{aum: 0, products: 0, last_txn_on: '2026-01-01', opened_on: '2020-01-01'}, 'churned'],
    [{aum: 0, products: 0, opened_on: '2026-11-01'}, 'prospect'],
    [{aum: fen(100), products: 1, opened_on: '2026-10-01', last_txn_on: '2026-11-20'}, 'new'],
    [{aum: fen(100), products: 3, opened_on: '2020-10-01', last_txn_on: '2026-07-01'}, 'declining'],
    [{aum: fen(100), products: 1, opened_on: '2020-10-01', last_txn_on: '2026-11-01'}, 'growing'],
    [{aum: fen(100), products: 4, opened_on: '2020-10-01', last_txn_on: '2026-11-01'}, 'mature'],
    [{aum: fen(100), products: 4}, 'unscored'],
    [{aum: null, products: null}, 'prospect'],
  ])('%j is %s', (customer, expected) => {
    expect(tierOne(life, customer)).toBe(expected)
  })

  it('flags valuable customers who have gone quiet', () => {
    const churn = builtin('churn-risk')
    const rows = [
      {customer_id: 'A', aum: fen(800_000), last_txn_on: '2026-03-01', contacts_12m: 3},
      {customer_id: 'B', aum: fen(800_000), last_txn_on: '2026-07-01', contacts_12m: 3},
      {customer_id: 'C', aum: fen(800_000), last_txn_on: '2026-11-20', contacts_12m: 0},
      {customer_id: 'D', aum: fen(800_000), last_txn_on: '2026-11-20', contacts_12m: 2},
      ...Array.from({length: 20}, (_, i) => ({customer_id: `E${i}`, aum: fen(1000 + i), last_txn_on: '2025-01-01'})),
    ]
    expect(tiersOf(churn, rows).slice(0, 5)).toEqual(['high', 'medium', 'medium', 'low', 'not-valuable'])
  })

  it('leaves customers unscored when AUM is unknown, or when a valuable one has no date', () => {
    const churn = builtin('churn-risk')
    const noData = Array.from({length: 10}, (_, i) => ({
      customer_id: `N${i}`,
      aum: null,
      last_txn_on: null,
      contacts_12m: 1,
    }))
    expect(new Set(tiersOf(churn, noData))).toEqual(new Set(['unscored']))
    const rows = [
      {customer_id: 'A', aum: fen(800_000), last_txn_on: null, contacts_12m: 2},
      {customer_id: 'B', aum: fen(800_000), last_txn_on: null, contacts_12m: 0},
      {customer_id: 'C', aum: fen(100), last_txn_on: null, contacts_12m: 2},
      ...Array.from({length: 10}, (_, i) => ({
        customer_id: `E${i}`,
        aum: fen(1000 + i),
        last_txn_on: '2026-11-01',
        contacts_12m: 1,
      })),
    ]
    // Not contacted (B) is no reason to score a customer whose dates are unknown: a file has no contacts at all.
    expect(tiersOf(churn, rows).slice(0, 3)).toEqual(['unscored', 'unscored', 'not-valuable'])
  })
})
