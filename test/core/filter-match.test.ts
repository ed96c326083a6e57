import {describe, expect, it} from 'vitest'
import {matchFilterValue, pickValue, unmatchedHint} from '../../src/core/filter-match.js'
import {UserError} from '../../src/errors.js'

const BRANCHES = ['上海分行浦东支行', '上海分行徐汇支行', '北京分行西城支行'].map((value) => ({value}))
const RMS = ['RM0001', 'RM0002', 'rm0002'].map((value) => ({value}))
const TIERS = [
  {value: 'wealth', names: ['财富客户', 'Wealth']},
  {value: 'gold', names: ['金卡客户', 'Gold']},
]

describe('matchFilterValue', () => {
  it.each([
    ['an exact value', BRANCHES, '上海分行徐汇支行', {kind: 'value', value: '上海分行徐汇支行'}],
    [
      'the only value containing the text, with a note',
      BRANCHES,
      '浦东支行',
      {kind: 'value', value: '上海分行浦东支行', note: '--f 浦东支行 matched 上海分行浦东支行'},
    ],
    [
      'several containing it',
      BRANCHES,
      '上海分行',
      {kind: 'several', values: ['上海分行浦东支行', '上海分行徐汇支行']},
    ],
    [
      'a value equal but for case',
      RMS.slice(0, 1),
      'rm0001',
      {kind: 'value', value: 'RM0001', note: '--f rm0001 matched RM0001'},
    ],
    ['the exact casing before another casing', RMS, 'rm0002', {kind: 'value', value: 'rm0002'}],
    ['a tier by its label', TIERS, '财富客户', {kind: 'value', value: 'wealth'}],
    [
      'a tier by its English label in any case',
      TIERS,
      'GOLD',
      {kind: 'value', value: 'gold', note: '--f GOLD matched gold'},
    ],
  ] as const)('finds %s', (_, candidates, text, expected) => {
    expect(matchFilterValue('f', text, candidates)).toEqual(expected)
  })

  it('finds none for text no value holds, with the nearest', () => {
    const match = matchFilterValue('f', '北京分行东城支行', BRANCHES)
    expect(match.kind).toBe('none')
    expect(match.kind === 'none' && match.nearest[0]).toBe('北京分行西城支行')
  })

  it('takes empty text as no value, never as contained in all', () => {
    expect(matchFilterValue('f', '', BRANCHES.slice(0, 1)).kind).toBe('none')
  })

  it('finds none among no values', () => {
    expect(matchFilterValue('f', 'x', [])).toEqual({kind: 'none', nearest: []})
  })
})

describe('pickValue', () => {
  it('is a usage error listing the values when several contain the text', () => {
    expect(() =>
      pickValue(
        'branch',
        '上海',
        () => BRANCHES,
        () => {},
      ),
    ).toThrow(UserError)
  })

  it('hands back an unmatched value whose hint names the nearest', () => {
    const picked = pickValue(
      'branch',
      '浦西支行',
      () => BRANCHES,
      () => {},
    )
    expect(picked.unmatched).toBeDefined()
    expect(unmatchedHint([picked.unmatched!])).toMatch(/^--branch 浦西支行: did you mean 上海分行浦东支行/)
  })
})
