import {describe, expect, it} from 'vitest'
import type {Expr} from '../../../src/core/rules/compile.js'
import {implies, neverHolds} from '../../../src/core/rules/implies.js'
import {SchemeError} from '../../../src/core/schemes/scheme.js'
import {fromText} from '../../helpers/schemes.js'

const EXTRAS = 'extras:\n  x: text\n  n: number\n'
/** A rule compiled alone (a one-tier scheme): names mean the same in every rule compiled so. */
const rule = (text: string): Expr =>
  fromText(
    `name: t\nversion: 1\n${EXTRAS}tiers:\n  - id: hit\n    rule: "${text.replaceAll('"', '\\"')}"\n  - id: miss\n`,
  ).tiers[0].rule!
/** A condition compiled as applies_to, which no reachability check looks at. */
const condition = (text: string): Expr =>
  fromText(`name: t\nversion: 1\n${EXTRAS}applies_to: "${text}"\ntiers:\n  - id: all\n`).appliesTo!
const scheme = (...rules: string[]) =>
  `name: t\nversion: 1\n${EXTRAS}tiers:\n${rules.map((r, i) => `  - id: t${i}\n    rule: "${r}"\n`).join('')}  - id: rest\n`

describe('whether one rule holds only where another does', () => {
  it.each([
    ['aum >= 500万', 'aum >= 200万'],
    ['aum > 200万', 'aum >= 200万'],
    ['500万 <= aum', 'aum >= 200万'],
    ['aum between 10 and 20', 'aum >= 5'],
    ['aum >= 500万 and products >= 2', 'aum >= 200万'],
    ['aum >= 500万 and products >= 3', 'aum >= 200万 and products > 2'],
    ['aum >= 500万', 'aum >= 200万 or products > 5'],
    ['aum >= 500万 or aum < 0', 'aum >= 200万 or aum <= 0'],
    ["x = 'a'", "x in ('a', 'b')"],
    ["x in ('a', 'b')", "x in ('c', 'b', 'a')"],
    ['n >= 3', 'n is not null'],
    ['n >= 0.001 and n < 1', 'n > 0'],
    ['days_since(opened_on) <= 30', 'days_since(opened_on) <= 90'],
    ["opened_on >= '2025-01-01'", "opened_on > '2024-12-31'"],
  ])('%s only holds where %s holds', (a, b) => {
    expect(implies(rule(a), rule(b))).toBe(true)
  })

  it.each([
    ['aum >= 200万', 'aum >= 500万'],
    ['aum >= 200万', 'aum > 200万'],
    ['aum >= 500万 or products > 1', 'aum >= 200万'],
    ['aum >= 500万', 'aum >= 200万 and products >= 2'],
    ['aum >= 500万', 'deposits >= 200万'],
    ['not (aum < 500万)', 'aum >= 200万'],
    ["x != 'a'", "x = 'b'"],
    ['aum >= 500万', 'aum != 0'],
    ['aum is null', 'aum < 100'],
    ['n > 5', 'n >= 5 and n <= 10'],
    ["x = 'a'", "x not in ('b')"],
  ])('is not sure that %s only holds where %s holds', (a, b) => {
    expect(implies(rule(a), rule(b))).toBe(false)
  })

  it.each([
    ['aum > 5 and aum < 3', true],
    ['aum > 3 and aum < 3', true],
    ['aum >= 3 and aum <= 3', false],
    ['aum >= 5 and products < 0', false],
    ['aum > 5 or aum < 3', false],
  ])('knows whether %s can never hold (%s)', (text, never) => {
    expect(neverHolds(condition(text))).toBe(never)
  })
})

describe('tiers an earlier tier shadows', () => {
  it('refuses wealth (aum >= 500万) after diamond (aum >= 200万), naming diamond and the line of wealth', () => {
    expect(() => fromText(scheme('aum >= 200万', 'aum >= 500万'))).toThrow(SchemeError)
    expect(() => fromText(scheme('aum >= 200万', 'aum >= 500万'))).toThrow(
      /line 10, column 11: tier "t1" can never be reached: .*taken first by tier "t0" \(aum >= 200万\)/,
    )
  })

  it('refuses a tier whose thresholds no value meets', () => {
    expect(() => fromText(scheme('n > 5 and n < 3'))).toThrow(
      'tier "t0" can never be reached: no value meets all of its thresholds',
    )
  })

  it.each([
    [['aum >= 500万', 'aum >= 200万']],
    [['aum >= 200万 and products >= 3', 'aum >= 500万']],
    [["x = 'a' or n > 5", "x = 'a'"].map((r) => r.replace(' or n > 5', ' and n > 5'))],
    [['aum >= 200万 or deposits >= 100万', 'aum >= 100万']],
  ])('takes tiers in an order where each can be reached: %j', (rules) => {
    expect(() => fromText(scheme(...rules))).not.toThrow()
  })
})
