import {en} from './messages.js'

/**
 * Money is integer fen (1/100 yuan), parsed from decimal text with integer arithmetic only.
 * A value fits a JS number while it is a safe integer (±90 trillion yuan); beyond that it is a bigint,
 * so no amount is ever rounded.
 */
export type Fen = number | bigint
export type ParseError = {error: string}

const MONEY = /^([-+])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/
const DECORATION = /^[¥￥]|^CNY|^RMB|元$/gi
const SAFE_WHOLE_DIGITS = 13 // 13 digits of yuan + 2 of fen < 2^53

/** Parses '1,234.5', '-12', '¥1,000.00' or '12.500' into fen. Refuses anything not exact to the fen. */
export function parseFen(text: string): Fen | ParseError {
  const plain = plainFen(text)
  if (plain !== undefined) return plain
  let s = text.trim()
  if (s.length > 0 && (s.charCodeAt(0) > 57 || s.endsWith('元'))) s = s.replace(DECORATION, '').trim()
  if (UNIT_SHIFTS[s.at(-1) ?? ''] !== undefined) return unitFen(s, text)
  const m = MONEY.exec(s)
  if (m === null) return {error: en('notAnAmount', {text})}
  const [, sign, wholeText, fracText = ''] = m
  if (fracText.length > 2 && !/^0*$/.test(fracText.slice(2))) {
    return {error: en('tooManyDecimals', {text})}
  }
  const whole = wholeText.includes(',') ? wholeText.replaceAll(',', '') : wholeText
  const frac = fracText.length >= 2 ? fracText.slice(0, 2) : fracText.padEnd(2, '0')
  const negative = sign === '-'
  if (whole.length <= SAFE_WHOLE_DIGITS) {
    const fen = Number(whole) * 100 + Number(frac)
    return negative && fen !== 0 ? -fen : fen
  }
  const fen = BigInt(whole) * 100n + BigInt(frac)
  return negative ? -fen : fen
}

// Files banks send: amounts written with a unit, as the rule language writes them.
/** Powers of ten a unit after a number stands for (5千, 5万, 1.2亿); the rule language takes 万 and 亿. */
export const UNIT_SHIFTS: Readonly<Record<string, number>> = {千: 3, 万: 4, 亿: 8}

/** A written number of yuan (with an optional unit) as fen, exactly: decimal digits are shifted, never multiplied. */
export function literalFen(text: string): Fen {
  let body = text
  let shift = 2
  const unit = body.at(-1)!
  if (UNIT_SHIFTS[unit] !== undefined) {
    shift += UNIT_SHIFTS[unit]
    body = body.slice(0, -1)
  }
  const negative = body.startsWith('-')
  if (negative) body = body.slice(1)
  const [whole, frac = ''] = body.split('.')
  const digits = BigInt(`${whole || '0'}${frac.padEnd(shift, '0').slice(0, shift)}`)
  const rest = frac.slice(shift)
  // A fraction of a fen (0.001 yuan) makes a JS number, as arithmetic on amounts can.
  if (/[1-9]/.test(rest)) return (negative ? -1 : 1) * (Number(digits) + Number(`0.${rest}`))
  return canonicalFen(negative ? -digits : digits)
}

const WITH_UNIT = /^([-+])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*$/

/** An amount with a unit ('5万', '-1.2亿', '1,200万'): read as literalFen reads it, refused unless exact to the fen. */
function unitFen(s: string, text: string): Fen | ParseError {
  const m = WITH_UNIT.exec(s.slice(0, -1))
  if (m === null) return {error: en('notAnAmount', {text})}
  const [, sign, whole, frac] = m
  const fen = literalFen(`${sign === '-' ? '-' : ''}${whole.replaceAll(',', '')}${frac ? `.${frac}` : ''}${s.at(-1)}`)
  if (typeof fen === 'number' && !Number.isInteger(fen)) return {error: en('tooManyDecimals', {text})}
  return fen
}
// End of files banks send.

/**
 * The common case without a regex or a slice: digits (at most 13) and at most two decimals, as '1234.5' or
 * '0.00'. Anything else (a sign, separators, spaces, more digits) is left to the full parser.
 */
function plainFen(s: string): number | undefined {
  const n = s.length
  let whole = 0
  let i = 0
  for (; i < n; i++) {
    const digit = s.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) break
    whole = whole * 10 + digit
  }
  if (i === 0 || i > SAFE_WHOLE_DIGITS) return undefined
  if (i === n) return whole * 100
  if (s.charCodeAt(i) !== 46 || n - i > 3) return undefined
  let fen = whole * 100
  for (let k = i + 1, scale = 10; k < n; k++, scale /= 10) {
    const digit = s.charCodeAt(k) - 48
    if (digit < 0 || digit > 9) return undefined
    fen += digit * scale
  }
  return fen
}

/**
 * Fen in the one form each amount has: a number while it is a safe integer, else a bigint. Amounts in this form
 * compare exactly with === (and with < or > across the two types), as the rules of a scheme compare them.
 */
export function canonicalFen(fen: Fen): Fen {
  if (typeof fen === 'number') return fen
  return fen >= -MAX_SAFE && fen <= MAX_SAFE ? Number(fen) : fen
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** Formats fen as yuan with exactly two decimals: 123456 -> "1,234.56" (or "1234.56" without separators). */
export function formatFen(fen: Fen, options: {separators?: boolean} = {}): string {
  // Almost every amount is a safe integer: plain number arithmetic is exact there, and far cheaper than BigInt
  // in a list of a million customers (bench: npm run bench -- --only output).
  if (typeof fen === 'number' && Number.isSafeInteger(fen) && !options.separators) {
    const abs = fen < 0 ? -fen : fen
    const cents = abs % 100
    return `${fen < 0 ? '-' : ''}${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`
  }
  const big = BigInt(fen)
  const negative = big < 0n
  const abs = negative ? -big : big
  let whole = (abs / 100n).toString()
  const frac = (abs % 100n).toString().padStart(2, '0')
  if (options.separators) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${whole}.${frac}`
}

/** Adds fen amounts exactly, whatever mix of number and bigint they are. */
export function sumFen(values: Iterable<Fen | null | undefined>): bigint {
  let total = 0n
  for (const v of values) if (v !== null && v !== undefined) total += BigInt(v)
  return total
}
