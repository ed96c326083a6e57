import {describe, expect, it} from 'vitest'
import {MAX_DEFINE_CHAIN, SchemeError} from '../../../src/core/schemes/scheme.js'
import {fromText, tierOne} from '../../helpers/schemes.js'

/** A scheme whose tier reads d{length-1}, defined through d{length-2} … down to d0 = aum + 1. */
function chain(length: number): string {
  const defines = Array.from({length}, (_, i) => `  d${i}: ${i === 0 ? 'aum' : `d${i - 1}`} + 1`).reverse()
  return `name: chain\nversion: 1\ndefine:\n${defines.join('\n')}\ntiers:\n  - id: top\n    rule: d${length - 1} > 0\n  - id: rest\n`
}

describe('definitions', () => {
  it(`may chain ${MAX_DEFINE_CHAIN} deep`, () => {
    expect(tierOne(fromText(chain(MAX_DEFINE_CHAIN)), {aum: 0})).toBe('top')
  })

  it('refuses a chain of 3,000 with the line of the step too far, not a stack overflow', () => {
    const error = (() => {
      try {
        fromText(chain(3000))
      } catch (thrown) {
        return thrown
      }
    })()
    expect(error).toBeInstanceOf(SchemeError)
    expect((error as Error).message).toMatch(new RegExp(`line \\d+, column \\d+: "d\\d+" is more than ${MAX_DEFINE_CHAIN} definitions deep`))
  })
})
