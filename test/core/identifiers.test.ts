import {describe, expect, it} from 'vitest'
import {
  checkResidentId,
  checkUscc,
  inferIdType,
  luhnValid,
  normalizePhone,
  orgCodeCheckChar,
} from '../../src/core/identifiers.js'

describe('resident ID (GB 11643-1999)', () => {
  it.each(['11010519491231002X', '11010519491231002x', '440524188001010014', '110101199003074477'])(
    'accepts %s',
    (id) => {
      expect(checkResidentId(id)).toEqual({ok: true})
    },
  )

  it('names the right check digit for 110105194912310021', () => {
    expect(checkResidentId('110105194912310021')).toEqual({ok: false, reason: 'check digit should be X, not 1'})
  })

  it.each([
    ['11010519491331002X', 'the birth date in the ID (characters 7 to 14) is not a date'],
    ['1101051949123100', 'a resident ID has 18 characters: 17 digits and a digit or X'],
  ])('refuses %s', (id, reason) => {
    expect(checkResidentId(id)).toEqual({ok: false, reason})
  })

  it('accepts a legacy 15-digit ID with a real birth date and refuses one without', () => {
    expect(checkResidentId('110105491231002')).toEqual({ok: true})
    expect(checkResidentId('110105491331002').ok).toBe(false)
  })
})

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(['91350100M000100Y43', '91130600738737199K'])('accepts %s', (code) => {
    expect(checkUscc(code)).toEqual({ok: true})
  })

  it('accepts 91510100MA0000000H with a warning about its organisation code', () => {
    expect(checkUscc('91510100MA0000000H')).toEqual({ok: true, warning: expect.stringContaining('should be 7, not 0')})
  })

  it('names the right check character for 911100001000013428', () => {
    expect(checkUscc('911100001000013428')).toEqual({ok: false, reason: 'check character should be C, not 8'})
  })

  it.each([
    ['91350100M000100Y4', '18 characters'],
    ['91350100I000100Y43', '"I" cannot appear'],
  ])('refuses %s', (code, reason) => {
    expect(checkUscc(code)).toEqual({ok: false, reason: expect.stringContaining(reason)})
  })

  it('computes the GB 11714 organisation check character', () => {
    expect(orgCodeCheckChar('M000100Y')).toBe('4')
    expect(orgCodeCheckChar('MA000000')).toBe('7')
  })
})

describe('bank card numbers (Luhn)', () => {
  it.each([
    ['79927398713', true],
    ['79927398710', false],
    ['6212345678901232', true],
    ['6212345678901231', false],
    ['622202123456789012', true],
  ])('%s is valid: %s', (card, valid) => {
    expect(luhnValid(card)).toBe(valid)
  })
})

describe('phone numbers', () => {
  it.each([
    ['13912345678', '13912345678'],
    ['+86 139 1234 5678', '13912345678'],
    ['0086-13912345678', '13912345678'],
    ['8613912345678', '13912345678'],
    ['010-12345678', '010-12345678'],
    ['0755-1234567', '0755-1234567'],
    ['(010)12345678', '01012345678'],
  ])('reads %j as %s', (raw, stored) => {
    expect(normalizePhone(raw)).toBe(stored)
  })

  it.each(['12912345678', '1391234567', '139123456789', 'call me', '110'])('refuses %j', (raw) => {
    expect(normalizePhone(raw)).toHaveProperty('reason')
  })
})

describe('inferIdType', () => {
  it.each([
    ['11010519491231002X', 'individual', 'resident_id'],
    ['91350100M000100Y43', 'corporate', 'uscc'],
    ['91350100M000100Y43', null, 'uscc'],
    ['E12345678', 'individual', 'passport'],
    ['ABC-1', 'individual', 'other'],
  ])('takes %s (%s) for a %s', (id, type, expected) => {
    expect(inferIdType(id, type)).toBe(expected)
  })
})
