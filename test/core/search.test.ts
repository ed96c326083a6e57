import {describe, expect, it} from 'vitest'
import {auditedSearch, readCustomerSearch, refuseUnsearchable} from '../../src/core/search.js'
import {UserError} from '../../src/errors.js'

describe('readCustomerSearch', () => {
  it.each([
    ['1234', '1234'],
    [' 12 34 ', '1234'],
    ['１２３４', '1234'],
  ])('reads %j as the last four digits of a phone', (text, lastFour) => {
    expect(readCustomerSearch(text).lastFour).toBe(lastFour)
  })

  it.each(['123', '12345', '12a4', '王伟'])('reads %j as no last four', (text) => {
    expect(readCustomerSearch(text).lastFour).toBeNull()
  })

  it.each([
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    ['110105 1949 1231 002x', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X'],
    ['110105491231002', '110105491231002'],
    ['110105 491231 002', '110105491231002'],
    ['91310115MA9779467F', '91310115MA9779467F'],
  ])('reads %j as a whole ID number', (text, idNumber) => {
    expect(readCustomerSearch(text).idNumber).toBe(idNumber)
  })

  it.each([
    '110105194912',
    '110105194912310',
    '11010519491231002',
    '11010519491231002XY',
    'ABCDEFGHIJKLMNOPQR',
    'C100140903',
  ])('does not read the part or the shape %j as an ID number', (text) => {
    expect(readCustomerSearch(text).idNumber).toBeNull()
  })

  it('keeps the text as typed for names and reads the key as import reads one', () => {
    expect(readCustomerSearch('Ｃ００１ ')).toMatchObject({text: 'Ｃ００１ ', key: 'C001'})
  })
})

describe('refuseUnsearchable', () => {
  it.each(['110105********002X', '138****1234', '3.1E+17', '１．１E＋１７'])('refuses %j as a usage error', (text) => {
    expect(() => refuseUnsearchable(text)).toThrow(UserError)
  })

  it.each(['王伟', '1234', '50%', 'a*b'])('takes %j', (text) => {
    expect(() => refuseUnsearchable(text)).not.toThrow()
  })
})

describe('auditedSearch', () => {
  it('masks a whole ID number and leaves other searches as typed', () => {
    expect(auditedSearch(' 11010519491231002x')).toBe('110105********002X')
    expect(auditedSearch('王伟')).toBe('王伟')
    expect(auditedSearch(undefined)).toBeUndefined()
  })
})
