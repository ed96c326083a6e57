import {describe, expect, it} from 'vitest'
import {MAX_RULE_DEPTH, parseRule, RuleError} from '../../../src/core/rules/parse.js'
import {fromText, tiersOf} from '../../helpers/schemes.js'

const deep = MAX_RULE_DEPTH + 1

describe('how deep a rule may nest', () => {
  it.each([
    ['parentheses', `${'('.repeat(2000)}aum > 0${')'.repeat(2000)}`],
    ['not', `${'not '.repeat(3000)}aum > 0`],
    ['minus', `aum > ${'-'.repeat(3000)}1`],
    ['function calls', `${'abs('.repeat(3000)}aum${')'.repeat(3000)} > 0`],
    ['a chain of +', `aum${' + 1'.repeat(3000)} > 0`],
    ['just past the limit', `${'('.repeat(deep)}aum > 0${')'.repeat(deep)}`],
  ])('refuses %s past the limit with a RuleError, not a stack overflow', (_, text) => {
    expect(() => parseRule(text)).toThrow(RuleError)
    expect(() => parseRule(text)).toThrow(`nests more than ${MAX_RULE_DEPTH} levels deep`)
  })

  it('takes a rule nested just within the limit', () => {
    const within = MAX_RULE_DEPTH - 3
    expect(() => parseRule(`${'('.repeat(within)}aum > 0${')'.repeat(within)}`)).not.toThrow()
  })

  it('takes a flat chain of 5,000 ors and evaluates it, in SQL three-valued logic', () => {
    const rule = Array.from({length: 5000}, (_, i) => `aum = ${i}`).join(' or ')
    const scheme = fromText(`name: t\nversion: 1\ntiers:\n  - id: hit\n    rule: ${rule}\n  - id: miss\n`)
    expect(tiersOf(scheme, [{aum: 499_900}, {aum: 500_000}, {aum: null}])).toEqual(['hit', 'miss', 'miss'])
  })

  it('takes a flat chain of 5,000 ands', () => {
    const rule = Array.from({length: 5000}, (_, i) => `aum != ${i}`).join(' and ')
    const scheme = fromText(`name: t\nversion: 1\ntiers:\n  - id: hit\n    rule: ${rule}\n  - id: miss\n`)
    expect(tiersOf(scheme, [{aum: 500_000}, {aum: 100}])).toEqual(['hit', 'miss'])
  })
})

describe('case, like and chained comparisons', () => {
  it('reads case when … then … else … end, and like, not like and ilike', () => {
    const tree = parseRule("case when name not ilike 'a%' then 1 when aum > 1 then 2 else 3 end = 1")
    expect(tree.kind === 'binary' && tree.left.kind).toBe('case')
    const inner = tree.kind === 'binary' && tree.left.kind === 'case' ? tree.left.whens[0].when : undefined
    expect(inner).toMatchObject({kind: 'like', negated: true, insensitive: true})
  })

  it('quotes a side in parentheses whole, from ( to )', () => {
    const text = '(aum > 100) + (loans > 0) >= 2'
    const tree = parseRule(text)
    const left = tree.kind === 'binary' ? tree.left : tree
    expect(text.slice(left.span.start, left.span.end)).toBe('(aum > 100) + (loans > 0)')
  })

  it('refuses a chained comparison with the rule to write instead', () => {
    try {
      parseRule('1 < x <= 5')
      expect.unreachable()
    } catch (error) {
      expect((error as RuleError).message).toBe('comparisons cannot be chained')
      expect((error as RuleError).hint).toBe('write 1 < x and x <= 5')
    }
  })
})
