import {describe, expect, it} from 'vitest'
import {hash53, SeenIds} from '../../src/core/seen-ids.js'

describe('SeenIds', () => {
  it('remembers every id across growth and tells new ids apart', () => {
    const seen = new SeenIds()
    const added = Array.from({length: 200_000}, (_, i) => seen.add(`C${i}`))
    expect(added.some(Boolean)).toBe(false)
    expect(seen.size).toBe(200_000)
    for (let i = 0; i < 200_000; i += 997) expect(seen.has(`C${i}`)).toBe(true)
    expect(seen.add('C42')).toBe(true)
    expect(seen.has('C200000')).toBe(false)
    expect(seen.has('c42')).toBe(false)
  })

  it('never hashes to 0, the empty-slot mark', () => {
    for (const text of ['', 'a', '0', '客户']) expect(hash53(text)).toBeGreaterThan(0)
  })
})
