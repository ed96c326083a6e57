import {describe, expect, it} from 'vitest'
import {terminalSafe, visible, visibleLines} from '../../src/core/visible.js'

describe('visible', () => {
  it.each([
    ['\u001b[31mred', '\\e[31mred'],
    ['title\u001b]0;pwned\u0007', 'title\\e]0;pwned\\x07'],
    ['\u001b[2J', '\\e[2J'],
    ['a\tb\nc\rd', 'a\\tb\\nc\\rd'],
    ['del\u007f', 'del\\x7f'],
    ['csi\u009b1m', 'csi\\x9b1m'],
    ['abc\u202edcba', 'abc\\u202edcba'],
    ['zero\u200bwidth', 'zero\\u200bwidth'],
    ['\ufeffbom', '\\ufeffbom'],
    ['word\u2060joiner', 'word\\u2060joiner'],
    ['soft\u00adhyphen', 'soft\\xadhyphen'],
    ['\u2066isolate\u2069', '\\u2066isolate\\u2069'],
    ['x\u200dy', 'x\\u200dy'],
    ['tag\u{e0001}', 'tag\\u{e0001}'],
  ])('shows %j as %j', (text, shown) => {
    expect(visible(text)).toBe(shown)
  })

  it.each(['王伟', 'plain text', '金融资产 1,234.56', '😀 emoji', '', '👨\u200d👩\u200d👧 family', '❤\ufe0f\u200d🔥'])(
    'leaves %j as it is',
    (text) => {
      expect(visible(text)).toBe(text)
    },
  )

  it('keeps the line breaks of a message of several lines, and escapes the rest', () => {
    expect(visibleLines('line 14\n  14 | rule: \u001b[2J')).toBe('line 14\n  14 | rule: \\e[2J')
  })
})

describe('terminalSafe', () => {
  it('keeps the tabs and line breaks of CSV and TSV, and shows the rest as visible does', () => {
    expect(terminalSafe('a\tb,\u001b]0;t\u0007\u009b\u202e\n')).toBe('a\tb,\\e]0;t\\x07\\x9b\\u202e\n')
  })

  it('writes JSON escapes in JSON, so that the document reads back as the same text', () => {
    const value = {note: 'x\u009b\u202ey\u001b[2J', list: ['\u0085', 'a\u200bb\u{e0001}']}
    const shown = terminalSafe(JSON.stringify(value, null, 2), true)
    expect(shown).not.toMatch(/[\u0080-\u009f\p{Cf}]/u)
    expect(JSON.parse(shown)).toEqual(value)
  })
})
