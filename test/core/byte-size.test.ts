import {describe, expect, it} from 'vitest'
import {formatBytes, formatSizes, parseByteSize} from '../../src/core/byte-size.js'

describe('parseByteSize', () => {
  it.each([
    ['1MB', 1_000_000],
    ['1mb', 1_000_000],
    ['500KB', 500_000],
    ['2.5 MB', 2_500_000],
    ['1M', 1_000_000],
    ['1GB', 1e9],
    ['2000', 2000],
    ['12b', 12],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes)
  })

  it.each(['', 'big', '1TB', '-1MB', '0', '1 M B', '1e6'])('refuses %j with a message', (text) => {
    expect(parseByteSize(text)).toHaveProperty('error')
  })
})

describe('formatBytes', () => {
  it.each([
    [1, '1 byte'],
    [812, '812 bytes'],
    [2500, '2.5 KB'],
    [1_000_000, '1 MB'],
    [3_200_000, '3.2 MB'],
    [52_428_800, '52.4 MB'],
    [2e9, '2 GB'],
  ])('writes %d as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })

  it('gives bytes when a size and its limit would round to the same text', () => {
    expect(formatSizes(3_200_000, 1_000_000)).toEqual(['3.2 MB', '1 MB'])
    expect(formatSizes(1_000_001, 1_000_000)).toEqual(['1,000,001 bytes', '1,000,000-byte'])
  })
})
