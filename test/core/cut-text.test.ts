import {describe, expect, it} from 'vitest'
import {cutList, cutText} from '../../src/core/cut-text.js'

describe('cutText', () => {
  it('keeps short text and cuts long text with an ellipsis and its length', () => {
    expect(cutText('客户号')).toBe('客户号')
    expect(cutText('x'.repeat(2_000_000), 10)).toBe('xxxxxxxxxx… (2,000,000 characters)')
  })
})

describe('cutList', () => {
  it('joins a short list whole', () => {
    expect(cutList(['a', 'b', 'c'])).toBe('a, b, c')
  })

  it('cuts each item and counts the items that do not fit', () => {
    const columns = Array.from({length: 100_000}, (_, i) => `column_${i}`)
    const text = cutList(['y'.repeat(500_000), ...columns])
    expect(text.length).toBeLessThan(400)
    expect(text).toMatch(/^y{60}… \(500,000 characters\), column_0, column_1, .*, … and 99,9\d\d more$/)
  })

  it('says "more" as it is told', () => {
    expect(cutList(['甲', '乙', '丙'], '、', (count) => `…等 ${count} 列`, 2)).toBe('甲、…等 2 列')
  })
})
