import type {ParseError} from './money.js'

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

/** The common case, already ISO ('2024-01-05'), read digit by digit: the date itself, an error, or undefined if not ISO-shaped. */
function isoDate(s: string): string | ParseError | undefined {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined
  const year = digitsAt(s, 0, 4)
  const month = digitsAt(s, 5, 2)
  const day = digitsAt(s, 8, 2)
  if (year < 0 || month < 0 || day < 0) return undefined
  return isValidYmd(year, month, day) ? s : {error: `${s} is not a date`}
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
  if (m === null) return {error: `"${text}" is not a date (write 2024-01-05, 2024/1/5, 20240105 or 2024年1月5日)`}
  const parts = m.length === 5 ? [m[1], m[3], m[4]] : [m[1], m[2], m[3]]
  const [year, month, day] = parts.map(Number)
  if (!isValidYmd(year, month, day)) return {error: `${s} is not a date`}
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/

/**
 * Parses a date with an optional time ('2024-01-05 14:30', '2024/1/5 9:05:10', '2024-01-05T14:30:00') into local
 * ISO 'YYYY-MM-DDTHH:MM:SS'. A date alone means midnight.
 */
export function parseDateTime(text: string): string | ParseError {
  const s = text.trim()
  const split = s.search(/[ T](?=\d{1,2}:\d{2})/)
  const datePart = split >= 0 ? s.slice(0, split) : s
  const date = parseDate(datePart)
  if (typeof date !== 'string') return split >= 0 ? {error: `"${text}" is not a date and time (write 2024-01-05 14:30)`} : date
  if (split < 0) return `${date}T00:00:00`
  const m = TIME.exec(s.slice(split + 1))
  if (m === null || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) return {error: `"${text}" has no valid time (write 14:30 or 14:30:05)`}
  return `${date}T${m[1].padStart(2, '0')}:${m[2]}:${(m[3] ?? '00').padStart(2, '0')}`
}

/** A local Date as 'YYYY-MM-DDTHH:MM:SS' (the form contacts are stored in). */
export function localDateTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`
}

/** Whole days from one ISO date to another (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10)) - Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10))) / 86_400_000)
}

/** The ISO date `days` after (or before, when negative) an ISO date. */
export function addDays(date: string, days: number): string {
  const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + days))
  return d.toISOString().slice(0, 10)
}
