import {describe, expect, it} from 'vitest'
import {closestMatch, editDistance} from '../../src/core/suggest.js'

describe('closestMatch', () => {
  it('finds a likely typo and ignores far-off words', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(closestMatch('custmer_id', ['customer_id', 'name'])).toBe('customer_id')
    expect(closestMatch('zzz', ['customer_id', 'name'])).toBeUndefined()
  })
})
