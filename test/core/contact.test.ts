import {describe, expect, it} from 'vitest'
import {answersFollowUps, contactKey, notesKey} from '../../src/core/contact.js'
import {readChannel, readContactTime, readDirection, readFollowUp, readPurpose} from '../../src/core/contact-input.js'

describe('contact values', () => {
  it.each([
    ['电话', 'phone'],
    ['微信', 'wechat'],
    ['网点', 'branch'],
    ['上门', 'visit'],
    ['Phone', 'phone'],
    ['手机银行', 'online'],
  ])('reads the channel %s as %s', (text, channel) => {
    expect(readChannel(text)).toBe(channel)
  })

  it('names the accepted values when a channel, purpose or direction is unknown', () => {
    expect(readChannel('fax')).toEqual({
      error: expect.stringContaining('branch, phone, wechat, sms, email, video, visit, online, event'),
    })
    expect(readPurpose('回访')).toBe('review')
    expect(readPurpose('gossip')).toHaveProperty('error')
    expect(readDirection('呼入')).toBe('in')
  })

  it('refuses a follow-up date in the past but takes today', () => {
    expect(readFollowUp('2026-11-27', '2026-11-28')).toEqual({
      error: 'the follow-up date 2026-11-27 is in the past (today is 2026-11-28)',
    })
    expect(readFollowUp('2026/11/28', '2026-11-28')).toBe('2026-11-28')
  })

  it('refuses a contact time in the future', () => {
    expect(readContactTime('2026-11-28 10:00', '2026-11-28T09:00:00')).toHaveProperty('error')
    expect(readContactTime('2026-11-28 08:00', '2026-11-28T09:00:00')).toEqual({
      at: '2026-11-28T08:00:00',
      utcOffset: null,
    })
  })
})

describe('the same contact', () => {
  const base = {
    customerId: 'C1',
    at: '2026-01-01T10:00:00',
    channel: 'phone',
    direction: 'out',
    purpose: 'review',
  } as const
  it('is the same customer, time, channel, direction, purpose and notes', () => {
    expect(contactKey(base, notesKey('hello'))).toBe(contactKey({...base}, notesKey('hello')))
    expect(contactKey(base, notesKey('hello'))).not.toBe(contactKey(base, notesKey('hello ')))
    expect(contactKey(base, notesKey(null))).not.toBe(contactKey({...base, direction: 'in'}, notesKey(null)))
    expect(notesKey(null)).toBe('')
  })

  it('is answered by any later contact except an SMS or e-mail we sent', () => {
    expect(answersFollowUps({channel: 'sms', direction: 'out'})).toBe(false)
    expect(answersFollowUps({channel: 'email', direction: 'out'})).toBe(false)
    expect(answersFollowUps({channel: 'email', direction: 'in'})).toBe(true)
    expect(answersFollowUps({channel: 'phone', direction: 'out'})).toBe(true)
  })
})
