import {describe, expect, it} from 'vitest'
import {displayWidth, padDisplay} from '../../src/core/display-width.js'

describe('displayWidth', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['王五', 4],
    ['私人银行 VIP', 12],
    ['ＡＢ', 4],
    ['한국', 4],
    ['𠀀', 2],
    ['…', 1],
  ])('%j takes %i terminal columns', (text, width) => {
    expect(displayWidth(text)).toBe(width)
  })

  it('pads by columns, so Chinese and Latin names end in the same column', () => {
    expect(padDisplay('王五', 6)).toBe('王五  ')
    expect(padDisplay('Li', 6)).toBe('Li    ')
    expect(padDisplay('王五六七', 6)).toBe('王五六七')
  })
})
