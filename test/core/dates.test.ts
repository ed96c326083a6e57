import {describe, expect, it} from 'vitest'
import {parseDate} from '../../src/core/dates.js'

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

  it.each(['05/01/2024', '2024-01', 'yesterday', '2024-01-05 13:45', ''])('refuses %j and names the accepted forms', (text) => {
    expect(parseDate(text)).toEqual({error: expect.stringContaining('2024年1月5日')})
  })
})
