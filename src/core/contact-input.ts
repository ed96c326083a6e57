import {machineWallClock, parseDate, parseDateTime, splitOffset} from './dates.js'
import {CHANNEL_VALUES, DIRECTION_VALUES, PURPOSE_VALUES} from './fields.js'
import type {Channel, Purpose} from './contact.js'
import {en} from './messages.js'

/** Reads a channel, direction or purpose as typed on the command line: canonical names or Chinese aliases. */
export function readEnum<T extends string>(
  kind: 'channel' | 'direction' | 'purpose',
  text: string,
): T | {error: string} {
  const table: Record<string, string> =
    kind === 'channel' ? CHANNEL_VALUES : kind === 'direction' ? DIRECTION_VALUES : PURPOSE_VALUES
  const value = table[text.trim().toLowerCase()]
  if (value !== undefined) return value as T
  const canonical = [...new Set(Object.values(table))]
  return {
    error: en('notAChoice', {
      text,
      kind,
      values: canonical.join(', '),
      example: Object.keys(table).find((k) => /[^\x00-\x7F]/.test(k)) ?? '',
    }),
  }
}

export const readChannel = (text: string) => readEnum<Channel>('channel', text)
export const readPurpose = (text: string) => readEnum<Purpose>('purpose', text)
export const readDirection = (text: string) => readEnum<'in' | 'out'>('direction', text)

/** A follow-up date: a real date, today or later. */
export function readFollowUp(text: string, today: string): string | {error: string} {
  const date = parseDate(text)
  if (typeof date !== 'string') return date
  if (date < today) return {error: en('followUpPast', {date, today})}
  return date
}

/**
 * When the contact happened: a date and optional time, not in the future, and the offset from UTC when the text
 * ends in one (null: the machine's zone). The time stays as written: the bank's wall-clock time.
 */
export function readContactTime(text: string, now: string): {at: string; utcOffset: string | null} | {error: string} {
  const split = splitOffset(text)
  if ('error' in split) return split
  const at = parseDateTime(split.text)
  if (typeof at !== 'string') return at
  const future = contactTimeProblem(at, now, split.offset)
  return future === undefined ? {at, utcOffset: split.offset} : {error: future}
}

/**
 * Why a contact's time ('YYYY-MM-DDTHH:MM:SS' at `offset`, or in the machine's zone) cannot be right, or undefined:
 * only the future is refused. `now` is the machine's wall-clock time.
 */
export function contactTimeProblem(at: string, now: string, offset: string | null = null): string | undefined {
  if (machineWallClock(at, offset) <= now) return undefined
  const times = {at: at.replace('T', ' '), now: now.replace('T', ' ')}
  return offset === null ? en('contactInFuture', times) : en('contactInFutureHere', {...times, offset})
}

/**
 * Why an imported contact's follow-up date cannot be right, or undefined. A date already past is normal history
 * (the follow-up was due then); one before the contact itself is a mistake.
 */
export function followUpProblem(followUpOn: string, at: string): string | undefined {
  const day = at.slice(0, 10)
  return followUpOn < day
    ? `the follow-up date ${followUpOn} is before the contact itself (${day}): check both dates`
    : undefined
}
