import {describe, expect, it} from 'vitest'
import {maskBirthDate, maskEmail, maskIdNumber, maskPhone} from '../../src/core/masking.js'

describe('masking', () => {
  it('keeps at most the first 6 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('110105194912310021')).toBe('110105********0021')
    expect(maskIdNumber('91350100M000100Y43')).toBe('913501********0Y43')
  })

  it('keeps less of a short ID number', () => {
    expect(maskIdNumber('E12345678')).toBe('E12****78')
    expect(maskIdNumber('1234')).toBe('****')
  })

  it('keeps the first 3 and last 4 digits of a mobile, and the area code of a landline', () => {
    expect(maskPhone('17612348055')).toBe('176****8055')
    expect(maskPhone('010-12345678')).toBe('010-****5678')
  })

  it('keeps the first letter and the domain of an e-mail address', () => {
    expect(maskEmail('wang.li@bank.com')).toBe('w******@bank.com')
  })

  it('keeps a whole first character of an e-mail address, and counts characters, not UTF-16 units', () => {
    expect(maskEmail('😀😀x@bank.com')).toBe('😀**@bank.com')
    expect(maskEmail('王小明@银行.中国')).toBe('王**@银行.中国')
  })

  it('keeps the year of a birth date', () => {
    expect(maskBirthDate('1985-07-21')).toBe('1985-**-**')
  })
})
