import {describe, expect, it} from 'vitest'
import {classifyPortfolio, explainRow, nextContact, nullTally} from '../../src/core/classify.js'
import {personalText} from '../../src/core/masking.js'
import type {Value} from '../../src/core/rules/compile.js'
import {missing} from '../../src/core/rules/trace.js'
import type {CompiledScheme} from '../../src/core/schemes/scheme.js'
import {builtin, fen, fromText} from '../helpers/schemes.js'

const measures = fromText(`name: m
version: 1
define:
  q: quintile(aum)
  d: ntile(7, aum)
  p: percent_rank(aum)
tiers:
  - id: all
    rule: q >= 1 and d >= 1 and p >= 0
`)

describe('portfolio measures', () => {
  // Agreement with SQL's window functions over random portfolios is the engines' contract: test/db/rule-sql.test.ts.
  it('give identical values the same quintile, however many there are', () => {
    // 10 customers: six tied at 0 (cume_dist 0.6, quintile 3), then 1, 2, 3, 4 (quintiles 4, 4, 5, 5); NTILE would
    // split the six 1, 1, 2, 2, 3, 3.
    const rows = [0, 0, 0, 0, 0, 0, 1, 2, 3, 4].map((v, i) => ({key: `K${i}`, values: [v]}))
    classifyPortfolio(measures, rows)
    expect(Array.from(measures.windows[0].values)).toEqual([3, 3, 3, 3, 3, 3, 4, 4, 5, 5])
    expect(Array.from(measures.windows[1].values)).toEqual([5, 5, 5, 5, 5, 5, 5, 6, 7, 7])
  })

  it('leave unknown values unknown, ranking the known ones among themselves', () => {
    const rows = [null, 10, null, 20, 30, 40, 50].map((v, i) => ({key: `K${i}`, values: [v]}))
    classifyPortfolio(measures, rows)
    // a group of 0 is none (null in rules)
    expect(Array.from(measures.windows[0].values)).toEqual([0, 1, 0, 2, 3, 4, 5])
    expect(Array.from(measures.windows[2].values)).toEqual([NaN, 0, NaN, 0.25, 0.5, 0.75, 1])
  })

  it('rank amounts beyond 2^53 fen among ordinary ones', () => {
    const huge = 10n ** 17n
    const rows = [
      {key: 'A', values: [huge]},
      {key: 'B', values: [huge - 1n]},
      {key: 'C', values: [500]},
      {key: 'D', values: [null]},
    ]
    classifyPortfolio(measures, rows)
    expect(Array.from(measures.windows[2].values)).toEqual([1, 0.5, 0, NaN])
    const abcScheme = builtin('abc')
    const abc = classifyPortfolio(
      abcScheme,
      rows.map((r) => ({...r, values: abcScheme.inputs.map((i) => (i.name === 'status' ? 'active' : r.values[0]))})),
    )
    expect(Array.from(abc.tiers, (t) => builtin('abc').tiers[t].tier.id)).toEqual(['A', 'C', 'C', 'unscored'])
  })

  it('do not depend on the order the rows come in', () => {
    const abc = builtin('abc')
    const rows = Array.from({length: 50}, (_, i) => ({
      key: `C${String(i).padStart(2, '0')}`,
      values: [fen((i * 37) % 11)],
    }))
    const tiersByKey = (input: typeof rows) => {
      const result = classifyPortfolio(abc, input)
      return Object.fromEntries(Array.from(result.members, (at, m) => [input[at].key, result.tiers[m]]))
    }
    expect(tiersByKey([...rows].reverse())).toEqual(tiersByKey(rows))
  })
})

describe('reasons and explanations', () => {
  const retail = builtin('retail-aum')
  const row = (aum: number) => ({
    values: retail.inputs.map((i) => (i.name === 'type' ? 'individual' : fen(aum))),
    index: 0,
  })

  it('say which rule held, with the value that decided it', () => {
    const result = classifyPortfolio(retail, [{key: 'A', values: row(815_869.98).values}])
    expect(result.reasons[0]).toBe('aum 815869.98 >= 50万')
  })

  it('say what would have to change to reach the tier above', () => {
    const explanation = explainRow(retail, row(815_869.98))
    expect(explanation.tier?.id).toBe('wealth')
    expect(explanation.better?.tier.id).toBe('diamond')
    expect(explanation.better?.needs).toEqual(['aum would have to be >= 200万 (now 815869.98)'])
  })

  it('write an amount beyond 2^53 fen to the fen', () => {
    const values = retail.inputs.map((i) => (i.name === 'type' ? 'individual' : 9_007_199_254_740_993n))
    expect(classifyPortfolio(retail, [{key: 'A', values}]).reasons[0]).toBe('aum 90071992547409.93 >= 600万')
  })

  it('give the values read for a default tier', () => {
    const result = classifyPortfolio(retail, [{key: 'A', values: row(100).values}])
    expect(result.reasons[0]).toBe('no rule above held: aum 100.00')
    expect(explainRow(retail, row(100)).better?.needs).toEqual(['aum would have to be >= 5万 (now 100.00)'])
  })
})

describe('literals that stand for personal data', () => {
  // A literal compared with a personal field is that person's data as surely as the value: masked the same way.
  const personal = fromText(`name: p
version: 1
define:
  mobile: phone
  called: "mobile = '13912345678'"
tiers:
  - id: vip
    rule: phone = '13912345678' or called
  - id: known
    rule: mobile in ('13912345678', '13800138000')
  - id: prefix
    rule: starts_with(id_number, '11010519491231') and not (email = 'x@y.cn')
  - id: born
    rule: birth_date between '1949-01-01' and '1949-12-31'
  - id: elder
    rule: age(birth_date) >= 60
  - id: rest
`)
  const row = (values: Record<string, string>) => ({
    values: personal.inputs.map((i) => values[i.name] ?? null),
    index: 0,
  })
  const reason = (values: Record<string, string>, reveal: boolean) =>
    personalText(classifyPortfolio(personal, [{key: 'A', values: row(values).values}]).reasons[0], reveal)

  it('are masked in reasons as the field is, directly or through a defined name, and whole with --reveal', () => {
    expect(reason({phone: '13912345678'}, false)).toBe("phone '139****5678' = '139****5678'")
    expect(reason({phone: '13912345678'}, true)).toBe("phone '13912345678' = '13912345678'")
    expect(reason({phone: '13800138000'}, false)).toBe("mobile '138****8000' in ('139****5678', '138****8000')")
    expect(reason({id_number: '110105194912310021', email: 'a@b.cn'}, false)).toBe(
      "starts_with(id_number, '110105****1231'); not (email = 'x*@y.cn')",
    )
    expect(reason({birth_date: '1949-05-01'}, false)).toBe(
      "birth_date 1949-**-** between '1949-**-**' and '1949-**-**'",
    )
  })

  it('leave a threshold compared with a value computed from personal data (age(birth_date) >= 60)', () => {
    expect(reason({birth_date: '1950-05-01'}, false)).toBe('age(birth_date) *** >= 60')
  })

  it('are masked in what would move a customer up', () => {
    const needs = (values: Record<string, string>) =>
      explainRow(personal, row(values)).better!.needs.map((n) => personalText(n, false))
    expect(needs({phone: '13700000000', id_number: '110105194912310021', email: 'a@b.cn'})).toEqual([
      "mobile would have to be in ('139****5678', '138****8000') (now '137****0000')",
    ])
    expect(needs({phone: '13800138000'})).toEqual(["phone would have to be = '139****5678' (now '138****8000')"])
    // The nearest better tier needing the fewest changes is "known"; what "prefix" would need is masked too.
    const prefix = missing(personal.tiers[2].rule!, row({birth_date: '1949-05-01', email: 'x@y.cn'})).map((n) =>
      personalText(n, false),
    )
    expect(prefix).toEqual([
      "starts_with(id_number, '110105****1231') would have to hold",
      "email = 'x*@y.cn' would have to be false",
    ])
  })
})

describe('unknown inputs', () => {
  const rfm = builtin('rfm')
  const at = (name: string) => rfm.inputs.findIndex((i) => i.name === name)
  const values = (date: string | null, count: number | null) => {
    const v: (string | number | null)[] = rfm.inputs.map(() => null)
    v[at('last_txn_on')] = date
    v[at('txn_count_12m')] = count
    return v
  }

  it.each([
    [1, 5, true],
    [1, 4, true],
    [1, 6, false],
    [0, 3, false],
  ])('%i unknown of %i customers is listed: %s (from a fifth)', (unknown, total, listed) => {
    const tally = nullTally(rfm)
    for (let i = 0; i < total; i++) tally.add(values('2026-01-01', i < unknown ? null : 3))
    expect(tally.missing()).toEqual(listed ? [{field: 'txn_count_12m', unknown, share: unknown / total}] : [])
  })

  it('lists the most missing input first', () => {
    const tally = nullTally(rfm)
    tally.add(values(null, null))
    tally.add(values(null, 1))
    expect(tally.missing().map((m) => [m.field, m.share])).toEqual([
      ['last_txn_on', 1],
      ['txn_count_12m', 0.5],
    ])
  })
})

/** Explains customer `at` of a portfolio given by input name, after the portfolio measures are computed. */
function explainIn(compiled: CompiledScheme, customers: readonly Record<string, Value>[], at = 0) {
  const rows = customers.map((c, i) => ({
    key: `k${i}`,
    values: compiled.inputs.map((input) => c[input.name] ?? (input.name === 'contacts_12m' ? 0 : null)),
  }))
  const result = classifyPortfolio(compiled, rows)
  return explainRow(compiled, {values: rows[at].values, index: result.members.indexOf(at)})
}

describe('explanations that point the right way', () => {
  it("send an RFM Can't-lose customer (r 1, f 5) towards Loyal, never About to sleep", () => {
    const rfm = builtin('rfm')
    // Five customers: the first has the oldest transaction (r 1) and the most transactions (f 5).
    const customers = [1, 2, 3, 4, 5].map((i) => ({last_txn_on: `2026-0${i}-01`, txn_count_12m: i === 1 ? 50 : i}))
    const explained = explainIn(rfm, customers)
    expect(explained.tier?.id).toBe('cant-lose')
    expect(explained.better?.tier.id).toBe('loyal')
    expect(explained.better?.needs).toEqual(['r would have to be in (3, 4) (now 1)'])
    expect(explained.worse).toBeNull()
  })

  it.each([
    [
      30,
      'special-mention',
      'normal',
      ['overdue_days would have to be <= 0 (now 30)'],
      'substandard',
      ['overdue_days > 90 (now 30)'],
    ],
    [
      300,
      'doubtful',
      'substandard',
      ['overdue_days would have to be <= 270 (now 300)'],
      'loss',
      ['overdue_days > 360 (now 300)'],
    ],
    [0, 'normal', null, [], 'special-mention', ['overdue_days > 0 (now 0)']],
    [400, 'loss', 'doubtful', ['overdue_days would have to be <= 360 (now 400)'], null, []],
  ])(
    'in loan-risk (worst-first), %i days overdue (%s): better %s, worse %s',
    (days, tier, better, betterNeeds, worse, worseNeeds) => {
      const explained = explainRow(builtin('loan-risk'), {
        values: builtin('loan-risk').inputs.map((i) =>
          i.name === 'overdue_days' ? days : i.name === 'loans' ? fen(1000) : null,
        ),
        index: 0,
      })
      expect(explained.tier?.id).toBe(tier)
      expect(explained.order).toBe('worst-first')
      expect(explained.better?.tier.id ?? null).toBe(better)
      expect(explained.better?.needs ?? []).toEqual(betterNeeds)
      expect(explained.worse?.tier.id ?? null).toBe(worse)
      expect(explained.worse?.needs ?? []).toEqual(worseNeeds)
    },
  )

  it('propose no move from, or to, a tier outside the order (unscored)', () => {
    const loan = builtin('loan-risk')
    const unknown = explainRow(loan, {
      values: loan.inputs.map((i) => (i.name === 'loans' ? fen(1000) : null)),
      index: 0,
    })
    expect(unknown.tier?.id).toBe('unscored')
    expect([unknown.ranked, unknown.better, unknown.worse]).toEqual([false, null, null])
    // From normal, the next worse is special-mention, never unscored (listed between them).
    const normal = explainRow(loan, {values: loan.inputs.map((i) => (i.name === 'overdue_days' ? 0 : null)), index: 0})
    expect(normal.worse?.tier.id).toBe('special-mention')
  })

  it('show only the better move in a best-first scheme', () => {
    const explained = explainRow(retail(), {
      values: retail().inputs.map((i) => (i.name === 'type' ? 'individual' : fen(60_000))),
      index: 0,
    })
    expect([explained.tier?.id, explained.better?.tier.id, explained.worse]).toEqual(['gold', 'wealth', null])
  })
})

function retail() {
  return builtin('retail-aum')
}

describe('a score rule', () => {
  const scored = fromText(`name: s
version: 1
order: worst-first
extras:
  Age: number
  IsActiveMember: number
define:
  inactive: IsActiveMember = 0
  older: Age >= 50
  many_products: products >= 3
  score: if(inactive, 3, 0) + if(older, 2, 0) + if(many_products, 2, 0)
tiers:
  - id: high
    rule: score >= 4
  - id: low
`)
  const row = (values: Record<string, Value>) => ({values: scored.inputs.map((i) => values[i.name] ?? null), index: 0})

  it('lists each named condition with its values and points, not only the total', () => {
    const explained = explainRow(scored, row({IsActiveMember: 0, Age: 45, products: 3}))
    expect(explained.reason).toBe('score 5 >= 4')
    expect(explained.scores).toEqual([
      {
        name: 'score',
        value: '5',
        terms: [
          {condition: 'inactive: IsActiveMember 0 = 0', holds: true, points: '3'},
          {condition: 'older: Age 45 >= 50', holds: false, points: '0'},
          {condition: 'many_products: products 3 >= 3', holds: true, points: '2'},
        ],
      },
    ])
  })

  it('counts an unknown condition as not holding, and says it is unknown', () => {
    const explained = explainRow(scored, row({IsActiveMember: 0, products: 1}))
    expect(explained.tier?.id).toBe('low')
    expect(explained.scores[0].terms.map((t) => t.holds)).toEqual([true, null, false])
    expect(explained.worse?.needs).toEqual(['score >= 4 (now 3)'])
    const high = explainRow(scored, row({IsActiveMember: 0, products: 5}))
    expect(high.scores[0].terms[1]).toEqual({condition: 'older: Age null >= 50', holds: null, points: '0'})
  })

  const forms = (score: string) =>
    fromText(`name: s
version: 1
order: worst-first
extras:
  Age: number
  IsActiveMember: number
define:
  inactive: IsActiveMember = 0
  older: Age >= 50
  score: ${score}
tiers:
  - id: high
    rule: score >= 2
  - id: low
`)
  const formRow = (compiled: ReturnType<typeof forms>, values: Record<string, Value>) => ({
    values: compiled.inputs.map((i) => values[i.name] ?? null),
    index: 0,
  })

  it.each([
    ['(inactive)*3 + (older)*2', ['3', '0']],
    ['3*(inactive) + 2*(older)', ['3', '0']],
    ['(IsActiveMember = 0) + (Age >= 50)', ['1', '0']],
    ['count_true(inactive, older)', ['1', '0']],
  ])('lists each condition of %s with whether it holds and its points', (score, points) => {
    const compiled = forms(score)
    const terms = explainRow(compiled, formRow(compiled, {IsActiveMember: 0, Age: 45})).scores[0].terms
    expect(terms.map((t) => t.holds)).toEqual([true, false])
    expect(terms.map((t) => t.points)).toEqual(points)
    expect(terms[1].condition).toMatch(/Age 45 >= 50$/)
  })

  it('counts an unknown condition of count_true as 0 points, and says it is unknown', () => {
    const compiled = forms('count_true(inactive, older)')
    const terms = explainRow(compiled, formRow(compiled, {IsActiveMember: 0})).scores[0].terms
    expect(terms).toEqual([
      {condition: 'inactive: IsActiveMember 0 = 0', holds: true, points: '1'},
      {condition: 'older: Age null >= 50', holds: null, points: '0'},
    ])
  })

  it('gives no score breakdown for a sum of amounts', () => {
    expect(explainRow(retail(), {values: retail().inputs.map(() => null), index: 0}).scores).toEqual([])
  })
})

describe('the next contact of a tier with a cadence', () => {
  it.each([
    [null, 'never', null],
    ['2026-11-01', 'upcoming', '2026-12-01'],
    ['2026-10-29', 'today', '2026-11-28'],
    ['2026-10-01', 'overdue', '2026-10-31'],
  ])('last contact %s: %s, due %s', (last, status, dueOn) => {
    expect(nextContact(30, last, '2026-11-28')).toEqual({cadenceDays: 30, lastContactOn: last, dueOn, status})
  })
})
