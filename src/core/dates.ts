import type {ParseError} from './money.js'
import {en} from './messages.js'

// 2024-01-05, 2024/1/5, 2024.1.5, 20240105, 2024年1月5日; an Excel-style midnight time may follow.
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?$/
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

export function isValidYmd(year: number, month: number, day: number): boolean {
  return year >= 1800 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/**
 * The common case, already ISO ('2024-01-05'), read digit by digit: the date itself, an error, or undefined if not
 * ISO-shaped.
 */
function isoDate(s: string): string | ParseError | undefined {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined
  const year = digitsAt(s, 0, 4)
  const month = digitsAt(s, 5, 2)
  const day = digitsAt(s, 8, 2)
  if (year < 0 || month < 0 || day < 0) return undefined
  return isValidYmd(year, month, day) ? s : {error: en('notADate', {text: s})}
}

/** The number written by `count` digits of s from `from`, or -1 if any is not a digit. */
function digitsAt(s: string, from: number, count: number): number {
  let n = 0
  for (let i = from; i < from + count; i++) {
    const digit = s.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return -1
    n = n * 10 + digit
  }
  return n
}

/** Parses the date forms analysts' files carry into ISO 'YYYY-MM-DD'; '2024-02-30' is an error, not March 1st. */
export function parseDate(text: string): string | ParseError {
  const iso = isoDate(text)
  if (iso !== undefined) return iso
  const s = text.trim()
  const m = SEPARATED.exec(s) ?? COMPACT.exec(s) ?? CHINESE.exec(s)
  if (m === null) return {error: en('notADateWritten', {text})}
  const parts = m.length === 5 ? [m[1], m[3], m[4]] : [m[1], m[2], m[3]]
  const [year, month, day] = parts.map(Number)
  if (!isValidYmd(year, month, day)) return {error: en('notADate', {text: s})}
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

// Files banks send: --date-format, two-digit years, and Excel's serial dates.
/** The date forms --date-format names: year-first dates (2024-01-05, 20240105 …) are read under each of them. */
export const DATE_FORMATS = ['YYMMDD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const
export type DateFormat = (typeof DATE_FORMATS)[number]

const YEAR_LAST = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$/
const SIX_DIGITS = /^(\d{2})(\d{2})(\d{2})$/

/**
 * The date parser of an import: parseDate's year-first forms, and, by the format given, dates with the year last
 * (DD/MM/YYYY, MM/DD/YYYY) or six digits with a two-digit year (YYMMDD: 69-99 are 1969-1999, 00-68 are 2000-2068, as
 * POSIX strptime reads them). Without a format, such cells are refused with the reason and the flag to pass.
 */
export function dateReader(format?: DateFormat): (text: string) => string | ParseError {
  return (text) => {
    const iso = isoDate(text)
    if (iso !== undefined) return iso
    const s = text.trim()
    const last = YEAR_LAST.exec(s)
    if (last !== null) {
      const [, a, , b, year] = last
      if (format !== 'DD/MM/YYYY' && format !== 'MM/DD/YYYY') return yearLastProblem(s, Number(a), Number(b))
      if (year.length === 2) return {error: en('dateTwoDigitYear', {text: s})}
      const [day, month] = format === 'DD/MM/YYYY' ? [a, b] : [b, a]
      return ymd(Number(year), Number(month), Number(day), s)
    }
    const six = SIX_DIGITS.exec(s)
    if (six !== null) {
      if (format !== 'YYMMDD') return {error: en('dateSixDigits', {text: s})}
      const yy = Number(six[1])
      return ymd(yy >= 69 ? 1900 + yy : 2000 + yy, Number(six[2]), Number(six[3]), s)
    }
    return parseDate(text)
  }
}

/**
 * Why a date with the year last is refused without --date-format. A cell such as 31/12/2024 can be read one way only,
 * but a column's dates are all written one way, and reading each cell the way it fits would read 03/04/2025 in the
 * same column by a guess: the whole column is read by the format given, so the reason says which one this cell shows.
 */
function yearLastProblem(text: string, a: number, b: number): ParseError {
  if (a > 12 && b > 12) return {error: en('notADate', {text})}
  if (a > 12 || b > 12)
    return {
      error: en('dateYearLastOneWay', {text, number: a > 12 ? a : b, format: a > 12 ? 'DD/MM/YYYY' : 'MM/DD/YYYY'}),
    }
  return {error: en('dateYearLast', {text})}
}

function ymd(year: number, month: number, day: number, text: string): string | ParseError {
  if (!isValidYmd(year, month, day)) return {error: en('notADate', {text})}
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** Excel's serial dates read as dates: 10000 (1927-05-18) to 73050 (2099-12-31), whole days only. */
const SERIAL = /^\d{5}$/
const SERIAL_FIRST = 10_000
const SERIAL_LAST = 73_050

/** Whether a cell is an Excel serial date in the range crm reads (45296). */
export function isExcelSerial(text: string): boolean {
  if (!SERIAL.test(text)) return false
  const n = Number(text)
  return n >= SERIAL_FIRST && n <= SERIAL_LAST
}

/** An Excel serial date as ISO 'YYYY-MM-DD' (day 0 is 1899-12-30, which absorbs Excel's 1900 leap-year bug). */
export function excelSerialDate(text: string): string {
  return new Date(Date.UTC(1899, 11, 30) + Number(text) * 86_400_000).toISOString().slice(0, 10)
}
// End of files banks send.

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/

/**
 * Parses a date with an optional time ('2024-01-05 14:30', '2024/1/5 9:05:10', '2024-01-05T14:30:00') into local
 * ISO 'YYYY-MM-DDTHH:MM:SS'. A date alone means midnight.
 */
export function parseDateTime(
  text: string,
  readDate: (text: string) => string | ParseError = parseDate,
): string | ParseError {
  const s = text.trim()
  const split = s.search(/[ T](?=\d{1,2}:\d{2})/)
  const datePart = split >= 0 ? s.slice(0, split) : s
  const date = readDate(datePart)
  if (typeof date !== 'string') return split >= 0 ? {error: en('notADateTime', {text})} : date
  if (split < 0) return `${date}T00:00:00`
  const m = TIME.exec(s.slice(split + 1))
  if (m === null || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59)
    return {error: en('noValidTime', {text})}
  return `${date}T${m[1].padStart(2, '0')}:${m[2]}:${(m[3] ?? '00').padStart(2, '0')}`
}

/** A local Date as 'YYYY-MM-DDTHH:MM:SS' (the form contacts are stored in). */
export function localDateTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  const day = `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`
  return `${day}T${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`
}

/** Whole days from one ISO date to another (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round(
    (Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10)) -
      Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))) /
      86_400_000,
  )
}

/** The ISO date `days` after (or before, when negative) an ISO date. */
export function addDays(date: string, days: number): string {
  const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + days))
  return d.toISOString().slice(0, 10)
}

/**
 * Times: an instant (a run, a batch, an audit entry, a follow-up closed) is stored in UTC as ISO text and shown in a
 * zone; a contact's time is the bank's wall-clock time, with its offset from UTC beside it. A zone is a function
 * from an instant to its offset east of UTC in minutes; the process's zone (TZ) unless one is passed in.
 */
export type Zone = (instant: Date) => number

export const processZone: Zone = (instant) => -instant.getTimezoneOffset()

/** Minutes east of UTC as ISO 8601 writes them: 480 -> '+08:00', -330 -> '-05:30', 0 -> '+00:00'. */
export function offsetText(minutes: number): string {
  const abs = Math.abs(minutes)
  const sign = minutes < 0 ? '-' : '+'
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

const pad = (n: number) => String(n).padStart(2, '0')

/** An instant's wall-clock date and time in a zone, and the offset there: ['2026-11-29', '18:00:04', '+08:00']. */
function inZone(instant: Date, zone: Zone): [string, string, string] {
  const offset = zone(instant)
  const d = new Date(instant.getTime() + offset * 60_000)
  return [
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    offsetText(offset),
  ]
}

/** A stored instant (ISO, UTC) as a Date; undefined for text that is not one (left as it is by the callers). */
function readInstant(iso: string): Date | undefined {
  // Stored instants end in Z; a bare 'YYYY-MM-DD HH:MM:SS' (SQLite's datetime('now')) is UTC too.
  const text = /[zZ]|[+-]\d{2}:?\d{2}$/.test(iso.slice(10)) ? iso : `${iso.replace(' ', 'T')}Z`
  const d = new Date(text)
  return Number.isNaN(d.getTime()) ? undefined : d
}

/** An instant for people: local time with the zone, '2026-11-29 18:00:04 +08:00'. */
export function instantForPeople(iso: string, zone: Zone = processZone): string {
  const d = readInstant(iso)
  return d === undefined ? iso : inZone(d, zone).join(' ')
}

/** An instant for scripts: ISO 8601 with the offset, '2026-11-29T18:00:04+08:00'; null stays null. */
export function instantForJson(iso: string | null, zone: Zone = processZone): string | null {
  if (iso === null) return null
  const d = readInstant(iso)
  if (d === undefined) return iso
  const [date, time, offset] = inZone(d, zone)
  return `${date}T${time}${offset}`
}

/**
 * The offset of a zone at a wall-clock time ('YYYY-MM-DDTHH:MM:SS'), as '+08:00': the machine's, for a contact logged
 * here.
 */
export function wallClockOffset(local: string, zone: Zone = processZone): string {
  const asUtc = Date.UTC(
    +local.slice(0, 4),
    +local.slice(5, 7) - 1,
    +local.slice(8, 10),
    +local.slice(11, 13),
    +local.slice(14, 16),
    +local.slice(17, 19),
  )
  // The instant is the wall time less the offset, which itself depends on the instant (daylight saving): look twice.
  const first = zone(new Date(asUtc))
  return offsetText(zone(new Date(asUtc - first * 60_000)))
}

const OFFSET = /\s*(Z|[+-](\d{2}):?(\d{2}))$/i
const WHOLE_OFFSET = /^(?:Z|[+-](\d{2}):?(\d{2}))$/i

/**
 * An offset from UTC as written ('+08:00', '+0800', '-05:30', 'Z') as '+08:00'; zones on Earth run from -12:00 to
 * +14:00.
 */
export function parseUtcOffset(text: string): string | ParseError {
  const m = WHOLE_OFFSET.exec(text.trim())
  if (m === null) return {error: en('notAnOffset', {text})}
  if (m[1] === undefined) return '+00:00'
  const minutes = (text.trim().startsWith('-') ? -1 : 1) * (Number(m[1]) * 60 + Number(m[2]))
  if (Number(m[2]) > 59 || minutes < -12 * 60 || minutes > 14 * 60)
    return {error: en('offsetOutOfRange', {text: text.trim()})}
  return offsetText(minutes)
}

/**
 * A time that may end in its offset from UTC ('…T14:30:00+08:00', '… 14:30 +0800', '…Z'): the rest, and the offset as
 * '+08:00' or null.
 */
export function splitOffset(text: string): {text: string; offset: string | null} | ParseError {
  const m = OFFSET.exec(text.trim())
  // A date alone ('2024-01-05') ends in digits that are no offset: an offset follows a time only.
  if (m === null || !/\d:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(text.trim().slice(0, m.index))) return {text, offset: null}
  const offset = parseUtcOffset(m[1])
  return typeof offset === 'string' ? {text: text.trim().slice(0, m.index), offset} : offset
}

/**
 * A contact's wall-clock time at an offset, as the wall-clock time of the machine's zone at that instant: what to
 * compare with the machine's now. Without an offset the time is the machine's already.
 */
export function machineWallClock(at: string, offset: string | null, zone: Zone = processZone): string {
  if (offset === null) return at
  const instant = new Date(`${at}${offset}`)
  if (Number.isNaN(instant.getTime())) return at
  const [date, time] = inZone(instant, zone)
  return `${date}T${time}`
}
