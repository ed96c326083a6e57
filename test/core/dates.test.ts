import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {addDays, daysBetween, parseDate, parseDateTime} from '../../src/core/dates.js'

describe('parseDate', () => {
  it.each([
    ['2024-01-05', '2024-01-05'], ['2024/1/5', '2024-01-05'], ['20240105', '2024-01-05'], ['2024年1月5日', '2024-01-05'],
    ['2024.01.05', '2024-01-05'], ['2024-1-5', '2024-01-05'], ['2024/01/05 00:00:00', '2024-01-05'], ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'], [' 2024年12月31日 ', '2024-12-31'], ['2024年1月5', '2024-01-05'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso)
  })

  it.each(['2024-02-30', '2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '20240231', '2024/4/31', '2024年2月30日'])('refuses %j, which is not a date', (text) => {
    expect(parseDate(text)).toEqual({error: expect.stringContaining('is not a date')})
  })

  it('takes an ISO date exactly when the calendar has that day (checked against Date)', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    fc.assert(fc.property(fc.integer({min: 1700, max: 2300}), fc.integer({min: 0, max: 13}), fc.integer({min: 0, max: 32}), (y, m, d) => {
      const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`
      const real = new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === text && y >= 1800 && y <= 2200
      expect(parseDate(text)).toEqual(real ? text : {error: `${text} is not a date`})
    }), {numRuns: 3000})
  })

  it.each(['05/01/2024', '2024-01', 'yesterday', '2024-01-05 13:45', ''])('refuses %j and names the accepted forms', (text) => {
    expect(parseDate(text)).toEqual({error: expect.stringContaining('2024年1月5日')})
  })
})

describe('parseDateTime', () => {
  it.each([
    ['2024-01-05', '2024-01-05T00:00:00'], ['2024-01-05 14:30', '2024-01-05T14:30:00'], ['2024/1/5 9:05:07', '2024-01-05T09:05:07'],
    ['2024-01-05T14:30:00', '2024-01-05T14:30:00'], ['2024年1月5日 08:00', '2024-01-05T08:00:00'],
  ])('reads %j as %s', (text, iso) => {
    expect(parseDateTime(text)).toBe(iso)
  })

  it.each(['2024-01-05 25:00', '2024-01-05 10:61', '2024-02-30 10:00', 'now'])('refuses %j', (text) => {
    expect(parseDateTime(text)).toHaveProperty('error')
  })
})

describe('day arithmetic', () => {
  it('counts days across months and leap years, and adds them', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2)
    expect(daysBetween('2026-11-30', '2026-11-28')).toBe(-2)
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
  })
})
