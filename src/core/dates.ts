import type {ParseError} from './money.js'

// 2024-01-05, 2024/1/5, 2024.1.5, 20240105, 2024年1月5日; an Excel-style midnight time may follow.
const SEPARATED = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?$/
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/
const CHINESE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/
const ISO = /^\d{4}-\d{2}-\d{2}$/

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

export function isValidYmd(year: number, month: number, day: number): boolean {
  return year >= 1800 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

/** Parses the date forms analysts' files carry into ISO 'YYYY-MM-DD'; '2024-02-30' is an error, not March 1st. */
export function parseDate(text: string): string | ParseError {
  const s = text.trim()
  if (s.length === 10 && ISO.test(s)) {
    // Fast path for the common case: already ISO.
    if (isValidYmd(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)))) return s
    return {error: `${s} is not a date`}
  }
  const m = SEPARATED.exec(s) ?? COMPACT.exec(s) ?? CHINESE.exec(s)
  if (m === null) return {error: `"${text}" is not a date (write 2024-01-05, 2024/1/5, 20240105 or 2024年1月5日)`}
  const parts = m.length === 5 ? [m[1], m[3], m[4]] : [m[1], m[2], m[3]]
  const [year, month, day] = parts.map(Number)
  if (!isValidYmd(year, month, day)) return {error: `${s} is not a date`}
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
