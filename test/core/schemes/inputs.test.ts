import {describe, expect, it} from 'vitest'
import {personalText} from '../../../src/core/masking.js'
import type {InputSpec} from '../../../src/core/rules/compile.js'
import {inputProblem, inputValue, rowValues} from '../../../src/core/schemes/inputs.js'

const number: InputSpec = {name: 'Months_Inactive', type: 'number', source: 'extra'}
const money: InputSpec = {name: 'potential_value', type: 'money', source: 'extra'}
const date: InputSpec = {name: 'since', type: 'date', source: 'extra'}

describe('a kept column read as its declared type', () => {
  it.each([
    ['3', 3],
    ['-2.5', -2.5],
    ['1,234.5', 1234.5],
    ['9.3448e-05', 9.3448e-5],
    ['1E3', 1000],
    ['.5', 0.5],
    ['+7', 7],
    ['', null],
    ['  ', null],
    [null, null],
  ])('reads %j in a number column as %j', (raw, value) => {
    expect(inputValue(number, raw)).toBe(value)
    expect(inputProblem(number, raw)).toBeNull()
  })

  it.each(['n/a', '0,5', 'M', 'e5', '1e', '1e999', '12,34', 'NaN', 'Infinity', '1.2.3'])(
    'makes %j in a number column a problem, not a null',
    (raw) => {
      expect(inputValue(number, raw)).toBeNull()
      expect(inputProblem(number, raw)).toBe(`Months_Inactive: "${raw}" is not a number`)
    },
  )

  it('says an amount or a date is wrong in its own words', () => {
    expect(inputProblem(money, 'lots')).toBe('potential_value: "lots" is not an amount')
    expect(inputProblem(date, '2024-13-45')).toBe('since: "2024-13-45" is not a date')
    expect(inputProblem(money, '1,234.50')).toBeNull()
  })

  it('marks a value that looks like personal data, so output masks it unless revealed', () => {
    const problem = inputProblem(number, 'wang@bank.com')!
    expect(personalText(problem, false)).toBe('Months_Inactive: "w***@bank.com" is not a number')
    expect(personalText(problem, true)).toBe('Months_Inactive: "wang@bank.com" is not a number')
  })

  it('gives a row of a file its values and every problem in it', () => {
    const cells: Record<string, string> = {Months_Inactive: 'n/a', potential_value: 'x', since: '2024-01-05'}
    const {values, problem} = rowValues(
      [number, money, date],
      () => undefined,
      (name) => cells[name],
    )
    expect(values).toEqual([null, null, '2024-01-05'])
    expect(problem).toBe('Months_Inactive: "n/a" is not a number; potential_value: "x" is not an amount')
  })
})
