import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {neutralise, unneutraliseCells} from '../../src/core/formula-cells.js'

describe('neutralise', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+86 138', "'+86 138"],
    ['-x', "'-x"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rx', "'\rx"],
    ['-12.50', '-12.50'],
    ['+3', '+3'],
    ['王伟', '王伟'],
    ["'=1", "''=1"],
    ["'abc", "'abc"],
    ['', ''],
  ])('writes %j as %j', (text, written) => {
    expect(neutralise(text)).toBe(written)
  })
})

describe('unneutraliseCells', () => {
  it.each([
    '=1+2',
    '+86 138',
    '-x',
    '@SUM(A1)',
    '\tcmd',
    '\rx',
    '-12.50',
    "'-12.50",
    "'abc",
    "'=1",
    "''=1",
    "'",
    '',
    'plain',
  ])('reads back %j as it was before neutralise', (text) => {
    expect(unneutraliseCells([neutralise(text)])).toEqual([text])
  })

  it('reads back any text exactly as it was before neutralise', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '1', '.', 'a', ' ')})),
        (cells) => {
          expect(unneutraliseCells(cells.map(neutralise))).toEqual(cells)
        },
      ),
    )
  })

  it('returns the same array when no cell starts with an apostrophe', () => {
    const cells = ['C1', '=1', 'x']
    expect(unneutraliseCells(cells)).toBe(cells)
  })
})
