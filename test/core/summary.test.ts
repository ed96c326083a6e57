import {describe, expect, it} from 'vitest'
import {cellKey, divideFen, formatUnits, migrationMatrix, numberUnits, summarize} from '../../src/core/summary.js'

describe('divideFen', () => {
  it.each([
    [10n, 4n, 3n],
    [10n, 3n, 3n],
    [11n, 2n, 6n],
    [-11n, 2n, -6n],
    [0n, 5n, 0n],
    [7n, 0n, 0n],
    [123_456_789_012_345_678n, 7n, 17_636_684_144_620_811n],
  ])('%s / %s is %s fen (half away from zero)', (a, b, q) => {
    expect(divideFen(a, b)).toBe(q)
  })
})

describe('summarize', () => {
  const totals = (
    tier: string,
    customers: number,
    aum: bigint,
    contacted: number | null = null,
    groups: (string | null)[] = [],
  ) => ({
    tier,
    groups,
    customers,
    aum,
    aumCount: customers,
    deposits: aum / 2n,
    depositsCount: customers,
    loans: 0n,
    loansCount: customers,
    contacted: contacted ?? 0,
    cadence: contacted !== null,
  })

  it('lists every tier in order, empty ones too, and a total that adds up exactly', () => {
    const rows = summarize(['a', 'b', 'c'], [totals('c', 3, 300n), totals('a', 1, 9_007_199_254_740_993n)])
    expect(rows.map((r) => [r.kind, r.tier, r.customers])).toEqual([
      ['tier', 'a', 1],
      ['tier', 'b', 0],
      ['tier', 'c', 3],
      ['total', '', 4],
    ])
    expect(rows.at(-1)!.aum).toEqual({total: 9_007_199_254_740_993n + 300n, count: 4})
    expect(rows[1]).toMatchObject({
      aum: {total: 0n, count: 0},
      aumAverage: null,
      customerShare: 0,
      aumShare: 0,
      contacted: 0,
    })
    expect(rows[2].customerShare).toBe(0.75)
  })

  it('gives an empty portfolio a row per tier and a zero total', () => {
    const rows = summarize(['a', 'b'], [])
    expect(rows.map((r) => [r.kind, r.customers, r.aum.total])).toEqual([
      ['tier', 0, 0n],
      ['tier', 0, 0n],
      ['total', 0, 0n],
    ])
  })

  it('computes coverage over the tiers that have a cadence', () => {
    const rows = summarize(['a', 'b'], [totals('a', 4, 100n, 1), totals('b', 6, 100n, null)])
    expect(rows.map((r) => r.coverage)).toEqual([0.25, null, 0.25])
  })

  it('counts contacts in a tier without a cadence (0, not unknown) but leaves its coverage unknown', () => {
    const rows = summarize(
      ['a', 'b'],
      [totals('a', 4, 100n, 1), {...totals('b', 6, 100n, 0), contacted: 2, cadence: false}],
    )
    expect(rows.map((r) => [r.contacted, r.coverage])).toEqual([
      [1, 0.25],
      [2, null],
      [3, 0.25],
    ])
    expect(summarize(['a', 'b'], [{...totals('b', 6, 100n), contacted: 0}])[1].contacted).toBe(0)
  })

  it('keeps a sum none of whose customers has a value unknown, not 0, and says how many a partly known sum covers', () => {
    const none = {...totals('a', 3, 0n), deposits: 0n, depositsCount: 0}
    const part = {...totals('b', 4, 400n), aumCount: 2, deposits: 50n, depositsCount: 1}
    const rows = summarize(['a', 'b'], [none, part])
    expect(rows[0]).toMatchObject({deposits: {total: null, count: 0}, aum: {total: 0n, count: 3}})
    expect(rows[1]).toMatchObject({aum: {total: 400n, count: 2}, aumAverage: 200n, deposits: {total: 50n, count: 1}})
    expect(rows[2]).toMatchObject({customers: 7, aum: {total: 400n, count: 5}, deposits: {total: 50n, count: 1}})
    const unknown = summarize(['a'], [{...totals('a', 2, 0n), aumCount: 0}])
    expect(unknown[0]).toMatchObject({aum: {total: null, count: 0}, aumAverage: null, aumShare: null})
  })

  it('breaks down by group with a subtotal per group and shares within it', () => {
    const rows = summarize(
      ['a', 'b'],
      [totals('a', 1, 100n, null, ['x']), totals('b', 3, 300n, null, ['x']), totals('a', 2, 50n, null, ['y'])],
    )
    expect(rows.map((r) => [r.kind, r.groups[0] ?? null, r.tier, r.customers, r.aumShare])).toEqual([
      ['tier', 'x', 'a', 1, 0.25],
      ['tier', 'x', 'b', 3, 0.75],
      ['subtotal', 'x', '', 4, 1],
      ['tier', 'y', 'a', 2, 1],
      ['tier', 'y', 'b', 0, 0],
      ['subtotal', 'y', '', 2, 1],
      ['total', null, '', 6, 1],
    ])
  })
})

describe('migrationMatrix', () => {
  it('counts moves up and down against the tier order, and new and gone customers', () => {
    const m = migrationMatrix(
      ['top', 'mid', 'low'],
      [
        {from: 'top', to: 'top', customers: 5},
        {from: 'mid', to: 'top', customers: 2},
        {from: 'top', to: 'low', customers: 1},
        {from: 'low', to: null, customers: 3},
        {from: null, to: 'mid', customers: 4},
      ],
    )
    expect([m.up, m.down, m.unchanged, m.added, m.gone]).toEqual([2, 1, 5, 4, 3])
    expect(m.counts.get(cellKey('mid', 'top'))).toBe(2)
    expect(m.counts.get(cellKey(null, 'mid'))).toBe(4)
  })
})

describe('--sum totals', () => {
  const totals = (tier: string, customers: number, sum: bigint, sumCount: number) => ({
    tier,
    groups: [],
    customers,
    aum: 0n,
    aumCount: 0,
    deposits: 0n,
    depositsCount: 0,
    loans: 0n,
    loansCount: 0,
    contacted: 0,
    cadence: false,
    sum,
    sumCount,
  })

  it("adds a field's totals exactly, unknown when none of a tier's customers has a value, with shares of the known total", () => {
    const big = 9_007_199_254_740_993n
    const rows = summarize(['a', 'b', 'c'], [totals('a', 2, big, 2), totals('b', 3, 0n, 0), totals('c', 1, big, 1)])
    expect(rows.map((r) => r.sum)).toEqual([
      {total: big, count: 2},
      {total: null, count: 0},
      {total: big, count: 1},
      {total: 2n * big, count: 3},
    ])
    expect(rows.map((r) => r.sumShare)).toEqual([0.5, null, 0.5, 1])
  })

  it('counts nothing without --sum', () => {
    const rows = summarize(['a'], [{...totals('a', 2, 0n, 0), sum: undefined, sumCount: undefined}])
    expect(rows[0].sum).toEqual({total: null, count: 0})
  })
})

describe('numberUnits and formatUnits', () => {
  it.each([
    ['12', 12_000_000n],
    ['-1,234.5', -1_234_500_000n],
    ['0.0000005', 1n],
    ['0.00000049', 0n],
    ['.25', 250_000n],
    [' 7 ', 7_000_000n],
    ['12345678901234567890', 12_345_678_901_234_567_890_000_000n],
  ])('reads %j as %s millionths, exactly', (text, units) => {
    expect(numberUnits(text)).toBe(units)
  })

  it.each(['', 'abc', '1e5', '1,23', '--1', '.'])('reads %j as no number', (text) => {
    expect(numberUnits(text)).toBeNull()
  })

  it('prints units without trailing zeros, with separators when asked', () => {
    expect(formatUnits(1_234_500_000n, 6)).toBe('1234.5')
    expect(formatUnits(-1_234_000_000n, 6, {separators: true})).toBe('-1,234')
    expect(formatUnits(42n, 0)).toBe('42')
    expect(formatUnits(1n, 6)).toBe('0.000001')
  })
})
