import {describe, expect, it} from 'vitest'
import {CELL_CHARACTERS, type CellChanges, sheetName, xlsxCell, xlsxText} from '../../src/core/xlsx-cells.js'

const fresh = (): CellChanges => ({cut: 0, escaped: 0})

describe('xlsxCell', () => {
  it.each([
    ['an 18-digit ID number', '110105198509101381', false, '110105198509101381'],
    ['an ID number ending in X', '11010519491231002X', false, '11010519491231002X'],
    ['a phone with its leading zero', '010-12345678', false, '010-12345678'],
    ['customer 007', '007', false, '007'],
    ['a formula-looking name', '=HYPERLINK("http://x")', false, '=HYPERLINK("http://x")'],
    ['text starting with + - @', '+86 138', false, '+86 138'],
    ['digits in a text column', '12345678.91', false, '12345678.91'],
    ['a masked ID number', '110105********002X', false, '110105********002X'],
    ['a full-width number', '１２３', false, '１２３'],
    ['3.1E+17 as typed', '3.1E+17', false, '3.1E+17'],
    ['an ISO date', '2026-11-30', false, '2026-11-30'],
  ])('keeps %s as text', (_, value, money, cell) => {
    expect(xlsxCell(value, money, fresh())).toBe(cell)
  })

  it.each([
    ['12345678.91', 12345678.91],
    ['0.01', 0.01],
    ['-500.00', -500],
    ['9999999999999.99', 9999999999999.99],
  ])('writes the amount %s as the number %s', (text, yuan) => {
    expect(xlsxCell(text, true, fresh())).toBe(yuan)
  })

  it('writes every amount below 10^13 yuan so that Excel shows its fen (15 significant digits)', () => {
    for (const text of ['9999999999999.99', '1234567890123.45', '0.07', '70368744177.63']) {
      const yuan = xlsxCell(text, true, fresh()) as number
      expect(yuan.toPrecision(15).replace(/^0+(?=\d)/, '')).toContain(text.replace(/^0+(?=\d)/, ''))
    }
  })

  it.each(['10000000000000.00', '-92233720368547758.08'])(
    'writes the amount %s, past 15 digits, as its exact text',
    (text) => {
      expect(xlsxCell(text, true, fresh())).toBe(text)
    },
  )

  it('writes an amount column value that is no amount as text', () => {
    expect(xlsxCell('5万', true, fresh())).toBe('5万')
  })

  it.each([
    [null, null],
    [undefined, null],
    [0, 0],
    [42, 42],
    [-7, -7],
    [1e16, '10000000000000000'],
    [{风险偏好: '稳健型'}, '{"风险偏好":"稳健型"}'],
  ])('writes %j as %j', (value, cell) => {
    expect(xlsxCell(value, false, fresh())).toEqual(cell)
  })
})

describe('xlsxText', () => {
  it('writes control characters XML cannot hold as escapes, and counts the cell', () => {
    const changes = fresh()
    expect(xlsxText('a\u0001b\u001bc\u007fd', changes)).toBe('a\\x01b\\x1bc\\x7fd')
    expect(changes).toEqual({cut: 0, escaped: 1})
  })

  it('keeps tabs and line breaks', () => {
    const changes = fresh()
    expect(xlsxText('one\ttwo\r\nthree', changes)).toBe('one\ttwo\r\nthree')
    expect(changes).toEqual({cut: 0, escaped: 0})
  })

  it('cuts a text longer than Excel keeps at its limit, ending in …, and counts it', () => {
    const changes = fresh()
    const cell = xlsxText('备'.repeat(CELL_CHARACTERS + 10), changes)
    expect(cell).toHaveLength(CELL_CHARACTERS)
    expect(cell.endsWith('备…')).toBe(true)
    expect(changes).toEqual({cut: 1, escaped: 0})
  })

  it('keeps a text of exactly the limit whole', () => {
    const changes = fresh()
    expect(xlsxText('x'.repeat(CELL_CHARACTERS), changes)).toHaveLength(CELL_CHARACTERS)
    expect(changes.cut).toBe(0)
  })

  it('never cuts through a character of two UTF-16 units', () => {
    const cell = xlsxText('😀'.repeat(CELL_CHARACTERS), fresh())
    expect(cell.length).toBeLessThanOrEqual(CELL_CHARACTERS)
    expect(cell.at(-2)).toMatch(/[\udc00-\udfff]/)
  })
})

describe('sheetName', () => {
  it.each([
    ['customers', 1, 'customers'],
    ['customers', 2, 'customers (2)'],
    ['run 12', 1, 'run 12'],
    ['a/b:c?[d]*', 1, 'a_b_c__d__'],
    ['', 1, 'Sheet'],
  ])('names sheet %j number %d %j', (name, index, sheet) => {
    expect(sheetName(name, index)).toBe(sheet)
  })
})
