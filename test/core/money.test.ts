import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {formatFen, literalFen, parseFen, sumFen} from '../../src/core/money.js'

describe('parseFen', () => {
  it.each([
    ['1,234.56', 123456],
    ['0.5', 50],
    ['-12', -1200],
    ['12', 1200],
    ['1234.5', 123450],
    ['0', 0],
    ['-0', 0],
    ['12.500', 1250],
    ['¥1,000.00', 100000],
    ['￥88', 8800],
    ['100元', 10000],
    ['  7.07 ', 707],
    ['+3.10', 310],
    ['79084.1', 7908410],
    ['0.01', 1],
    ['0.29', 29],
    ['1.13', 113],
  ])('parses %j as %d fen', (text, fen) => {
    expect(parseFen(text)).toBe(fen)
  })

  it('keeps amounts beyond 2^53 fen exact as bigint', () => {
    expect(parseFen('123,456,789,012,345,678.91')).toBe(12345678901234567891n)
    expect(formatFen(parseFen('99999999999999999.99') as bigint)).toBe('99999999999999999.99')
  })

  it.each(['1.234', '12,34.5', '1e5', '', 'abc', '1,2345', '--1', '1.2.3', '12,34', 'NaN', '0x10'])(
    'refuses %j with a message',
    (text) => {
      expect(parseFen(text)).toHaveProperty('error')
    },
  )

  it('agrees with exact decimal arithmetic on any text of digits, points, commas and signs', () => {
    // The definition, written independently: optional sign, digits (or groups of three), at most two
    // significant decimals; the value in fen as a bigint.
    const expected = (text: string): bigint | 'error' => {
      const m = /^([-+])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(text.trim())
      if (m === null || /[1-9]/.test((m[3] ?? '').slice(2))) return 'error'
      const fen = BigInt(m[2].replaceAll(',', '')) * 100n + BigInt(`${m[3] ?? ''}00`.slice(0, 2))
      return m[1] === '-' ? -fen : fen
    }
    fc.assert(
      fc.property(fc.stringMatching(/^[-+ ]?[0-9,.]{0,22}$/), (text) => {
        const parsed = parseFen(text)
        const want = expected(text)
        if (want === 'error') expect(parsed).toHaveProperty('error')
        else expect(BigInt(parsed as number | bigint)).toBe(want)
      }),
      {numRuns: 5000},
    )
  })

  it('says why a third decimal is refused', () => {
    expect(parseFen('12.345')).toEqual({error: '"12.345" has more than 2 decimals: amounts must be exact to the fen'})
  })
})

describe('formatFen', () => {
  it.each([
    [123456, '1234.56', '1,234.56'],
    [-5, '-0.05', '-0.05'],
    [0, '0.00', '0.00'],
    [100000000000, '1000000000.00', '1,000,000,000.00'],
  ])('formats %d fen', (fen, plain, separated) => {
    expect(formatFen(fen)).toBe(plain)
    expect(formatFen(fen, {separators: true})).toBe(separated)
  })

  it('formats a number of fen exactly as the same amount as a bigint', () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer({min: -100_000, max: 100_000})), (fen) => {
        expect(formatFen(fen)).toBe(formatFen(BigInt(fen)))
      }),
      {numRuns: 2000},
    )
  })
})

describe('sumFen', () => {
  it('adds numbers and bigints exactly, skipping nulls', () => {
    expect(sumFen([10, 20n, null, undefined, 9007199254740991])).toBe(9007199254741021n)
  })

  it('adds what floating point would round: 0.1 + 0.2 yuan is 0.30', () => {
    expect(formatFen(sumFen([parseFen('0.1') as number, parseFen('0.2') as number]))).toBe('0.30')
  })
})

// Files banks send: amounts written with a unit, read as the rule language reads them.
describe('parseFen with a unit', () => {
  it.each([
    ['5万', 5_000_000],
    ['1.2亿', 12_000_000_000],
    ['5千', 500_000],
    ['-3.5万', -3_500_000],
    ['1,200万', 1_200_000_000],
    ['5万元', 5_000_000],
    ['¥0.01万', 10_000],
    ['1.234567万', 1_234_567],
  ])('reads %s as %s fen', (text, fen) => {
    expect(parseFen(text)).toBe(fen)
  })

  it('reads a unit exactly as the rule language does (literalFen)', () => {
    for (const text of ['600万', '49.99万', '1.5亿', '0.3万']) expect(parseFen(text)).toBe(literalFen(text))
  })

  it.each(['1.2345678万', '万', '5万万', '5 千 元 x', '1e3万'])('refuses %j', (text) => {
    expect(parseFen(text)).toHaveProperty('error')
  })
})
