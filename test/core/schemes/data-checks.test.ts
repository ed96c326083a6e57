import {describe, expect, it} from 'vitest'
import {checkKeptColumns, keptColumnsRead, ValueCensus} from '../../../src/core/schemes/data-checks.js'
import {compileScheme, loadScheme, SchemeError} from '../../../src/core/schemes/scheme.js'
import {ExitCode, type UserError} from '../../../src/errors.js'
import {AS_OF} from '../../helpers/schemes.js'

const TEXT = `name: churn
version: 1
extras:
  months_inactive_12_mon: number
  Card_Category: text
  potential_value: money?
tiers:
  - id: idle-blue
    rule: months_inactive_12_mon >= 3 and Card_Category = 'blue'
  - id: rest
`
const compiled = (where?: string) => compileScheme(loadScheme(TEXT, 'churn.yaml'), AS_OF, where)
const caught = (f: () => void): Error => {
  try {
    f()
  } catch (error) {
    return error as Error
  }
  throw new Error('nothing was thrown')
}

describe('kept columns the data lacks', () => {
  it('looks for every declared column but the optional ones, which only --where must find', () => {
    expect(keptColumnsRead(compiled())).toEqual(['months_inactive_12_mon', 'Card_Category'])
    expect(keptColumnsRead(compiled('potential_value > 0'))).toEqual([
      'months_inactive_12_mon',
      'Card_Category',
      'potential_value',
    ])
  })

  it('refuses a declared column no customer has, pointing at it, with the kept name that differs only in case', () => {
    const error = caught(() =>
      checkKeptColumns(compiled(), ['months_inactive_12_mon'], ['Months_Inactive_12_mon', 'Card_Category'], false),
    )
    expect(error).toBeInstanceOf(SchemeError)
    expect((error as UserError).exitCode).toBe(ExitCode.BadInput)
    expect(error.message).toContain(
      'churn.yaml line 4, column 3: extra column "months_inactive_12_mon" is a kept column of no customer in the portfolio',
    )
    expect((error as UserError).hint).toBe('did you mean "Months_Inactive_12_mon"? (names are case-sensitive)')
  })

  it('says what the file lacks, and lists the kept columns when none is close', () => {
    const error = caught(() => checkKeptColumns(compiled(), ['Card_Category'], ['Gender', 'Income'], true)) as UserError
    expect(error.message).toContain('extra column "Card_Category" is not a column of the file')
    expect(error.hint).toBe(
      'the kept columns are "Gender", "Income"; if the column may be absent, end its type with ? (money?)',
    )
  })

  it('lets an optional column (money?) be absent, unless --where reads it: a usage error', () => {
    expect(() => checkKeptColumns(compiled(), ['potential_value'], [], false)).not.toThrow()
    const error = caught(() =>
      checkKeptColumns(compiled('potential_value > 0'), ['potential_value'], ['potentail_value'], false),
    ) as UserError
    expect(error).not.toBeInstanceOf(SchemeError)
    expect(error.exitCode).toBe(ExitCode.Usage)
    expect(error.message).toBe('--where reads extra column "potential_value", which no customer in the portfolio has')
    expect(error.hint).toBe('did you mean "potentail_value"?')
  })
})

describe('written values no customer holds', () => {
  const counted = (values: (string | null)[], where?: string) => {
    const c = compiled(where)
    const census = new ValueCensus(c)
    const slot = c.inputs.findIndex((i) => i.name === 'Card_Category')
    for (const v of values) census.add(c.inputs.map((_, i) => (i === slot ? v : null)))
    return census.unseen(false)
  }

  it('lists the values the column holds, most common first, and suggests the closest', () => {
    expect(counted(['Blue', 'Silver', 'Blue', 'Gold', null, 'Blue', 'Silver'])).toEqual([
      {
        field: 'Card_Category',
        value: 'blue',
        rule: 'tier "idle-blue": Card_Category = \'blue\'',
        holds: [
          {value: 'Blue', customers: 3},
          {value: 'Silver', customers: 2},
          {value: 'Gold', customers: 1},
        ],
        did_you_mean: 'Blue',
      },
    ])
  })

  it('says nothing when some customer holds the value', () => {
    expect(counted(['Gold', 'blue'])).toEqual([])
  })

  it('reports a value --where compares, each written value once', () => {
    const unseen = counted(['Blue'], "Card_Category in ('Gold', 'Blue', 'Platinum') or Card_Category = 'Gold'")
    expect(unseen.map((u) => [u.value, u.rule])).toEqual([
      ['Gold', "--where: Card_Category in ('Gold', 'Blue', 'Platinum')"],
      ['Platinum', "--where: Card_Category in ('Gold', 'Blue', 'Platinum')"],
      ['blue', 'tier "idle-blue": Card_Category = \'blue\''],
    ])
  })

  it('says nothing of a column that holds no value at all (an optional column the data lacks is unknown, not a typo)', () => {
    expect(counted([null, null])).toEqual([])
  })

  it('watches nothing in a scheme that compares no text column with text', () => {
    expect(
      new ValueCensus(
        compileScheme(
          loadScheme('name: a\nversion: 1\ntiers:\n  - id: a\n    rule: aum > 0\n  - id: b\n', 'a.yaml'),
          AS_OF,
        ),
      ).empty,
    ).toBe(true)
  })
})
