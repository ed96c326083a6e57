import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {ID_RANGE, readWholeNumber, withThousands} from '../../src/core/whole-number.js'

describe('whole numbers on the command line', () => {
  it.each([
    ['1', 1],
    ['42', 42],
    [' 7 ', 7],
    ['+3', 3],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %j as %s', (text, value) => {
    expect(readWholeNumber(text, ID_RANGE)).toBe(value)
  })

  it.each(['abc', '1.5', '1e3', '0x10', '', '1 OR 1=1', '0', '-1', '9007199254740992', '99999999999999999999'])(
    'refuses %j, saying the range',
    (text) => {
      expect(readWholeNumber(text, ID_RANGE)).toEqual({
        error: expect.stringContaining('must be a whole number from 1 to 9,007,199,254,740,991'),
      })
    },
  )

  it('reads 0 where the range starts at 0, as 0 (not -0)', () => {
    expect(Object.is(readWholeNumber('-0', {min: 0, max: 10}), 0)).toBe(true)
  })

  it('cuts a very long value in its message', () => {
    const error = readWholeNumber('9'.repeat(100_000), {min: 1, max: 10}) as {error: string}
    expect(error.error.length).toBeLessThan(200)
  })
})

describe('withThousands', () => {
  it("writes a whole number as toLocaleString('en-US') does", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.maxSafeInteger(),
          // -0 is left out: a count of none is written 0, where toLocaleString writes -0.
          fc.maxSafeNat().map((n) => (n === 0 ? 0 : -n)),
        ),
        (n) => {
          expect(withThousands(n)).toBe(n.toLocaleString('en-US'))
        },
      ),
    )
    expect(withThousands(1234567)).toBe('1,234,567')
    expect(withThousands(-1000)).toBe('-1,000')
    expect(withThousands(999)).toBe('999')
  })
})
