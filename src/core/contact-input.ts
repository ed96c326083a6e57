import {parseDate, parseDateTime} from './dates.js'
import {CHANNEL_VALUES, DIRECTION_VALUES, PURPOSE_VALUES} from './fields.js'
import type {Channel, Purpose} from './contact.js'

/** Reads a channel, direction or purpose as typed on the command line: canonical names or Chinese aliases. */
export function readEnum<T extends string>(kind: 'channel' | 'direction' | 'purpose', text: string): T | {error: string} {
  const table: Record<string, string> = kind === 'channel' ? CHANNEL_VALUES : kind === 'direction' ? DIRECTION_VALUES : PURPOSE_VALUES
  const value = table[text.trim().toLowerCase()]
  if (value !== undefined) return value as T
  const canonical = [...new Set(Object.values(table))]
  return {error: `"${text}" is not a ${kind}: use ${canonical.join(', ')} (or a Chinese name such as ${Object.keys(table).find((k) => /[^\x00-\x7F]/.test(k))})`}
}

export const readChannel = (text: string) => readEnum<Channel>('channel', text)
export const readPurpose = (text: string) => readEnum<Purpose>('purpose', text)
export const readDirection = (text: string) => readEnum<'in' | 'out'>('direction', text)

/** A follow-up date: a real date, today or later. */
export function readFollowUp(text: string, today: string): string | {error: string} {
  const date = parseDate(text)
  if (typeof date !== 'string') return date
  if (date < today) return {error: `the follow-up date ${date} is in the past (today is ${today})`}
  return date
}

/** When the contact happened: a date and optional time, not in the future (a minute's grace for clocks). */
export function readContactTime(text: string, now: string): string | {error: string} {
  const at = parseDateTime(text)
  if (typeof at !== 'string') return at
  if (at > now) return {error: `${at.replace('T', ' ')} is in the future`}
  return at
}
