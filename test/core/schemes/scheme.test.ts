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
    expect((error as Error).message).toMatch(
      new RegExp(`line \\d+, column \\d+: "d\\d+" is more than ${MAX_DEFINE_CHAIN} definitions deep`),
    )
  })
})

describe('the caret under a mistake', () => {
  const caretLine = (text: string): {source: string; caret: string} => {
    try {
      fromText(text)
    } catch (thrown) {
      const [, source, caret] = (thrown as Error).message.split('\n')
      return {source: source.replace(/^ {2}\d+ \| /, ''), caret: caret.replace(/^ +\| /, '')}
    }
    throw new Error('the scheme was accepted')
  }

  it('stands under the word after Chinese text, each Chinese character counted as two columns', () => {
    const {source, caret} = caretLine(
      'name: t\nversion: 1\ntiers:\n  - {id: a, label: {zh: 私人银行}, rule: aumx >= 1}\n',
    )
    expect(source).toBe('  - {id: a, label: {zh: 私人银行}, rule: aumx >= 1}')
    // 私人银行 takes 8 columns: the caret starts 4 columns further right than its 4 characters would put it.
    expect(caret).toBe(`${' '.repeat('  - {id: a, label: {zh: '.length + 8 + '}, rule: '.length)}^^^^`)
  })

  it('is as wide as the Chinese word it marks', () => {
    const {caret} = caretLine('name: t\nversion: 1\ntiers:\n  - id: b\n    rule: 资产总计 >= 1\n')
    expect(caret).toBe(`${' '.repeat('    rule: '.length)}${'^'.repeat(8)}`)
  })

  it('keeps a tab before the place as a tab, so a terminal lines it up the same way', () => {
    const {caret} = caretLine('name: t\nversion: 1\ntiers:\n  - {id: a, label: "甲\tb", rule: aumx >= 1}\n')
    expect(caret).toBe(`${' '.repeat('  - {id: a, label: "'.length)}  \t${' '.repeat('b", rule: '.length)}^^^^`)
  })
})

describe('which way the tiers run', () => {
  const scheme = (head: string, tier = '') =>
    `name: o\nversion: 1\n${head}tiers:\n  - id: top\n    rule: aum > 0\n${tier}  - id: rest\n`

  it.each([
    ['order: worst-first\n', 'worst-first'],
    ['order: best-first\n', 'best-first'],
    ['', 'best-first'],
  ])('reads %j as %s (best-first when not said)', (head, order) => {
    expect(fromText(scheme(head)).scheme.order).toBe(order)
  })

  it('refuses another order with its place and a did-you-mean', () => {
    expect(() => fromText(scheme('order: worst_first\n'))).toThrow(
      /test\.yaml line 3, column 8: order must be best-first or worst-first/,
    )
    expect(() => fromText(scheme('order: worst_first\n'))).toThrow(SchemeError)
  })

  it('keeps a tier out of the order with ranked: false, and refuses a ranked that is not true or false', () => {
    expect(fromText(scheme('', '    ranked: false\n')).scheme.tiers.map((t) => t.ranked)).toEqual([false, true])
    expect(() => fromText(scheme('', '    ranked: no way\n'))).toThrow(/ranked must be true or false/)
  })
})
