import {isValidYmd} from './dates.js'
import {maskIdNumber, maskPhone} from './masking.js'
import {en} from './messages.js'

/** The result of checking an identifier: ok, or the reason it is wrong (and an optional warning). */
export type IdCheck = {ok: true; warning?: string} | {ok: false; reason: string}

const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const RESIDENT_CHECK = '10X98765432'

/** The GB 11643-1999 check character (ISO 7064 MOD 11-2) for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * RESIDENT_WEIGHTS[i]
  return RESIDENT_CHECK[sum % 11]
}

/**
 * The first two digits of a resident ID's address code (GB/T 2260): a province, autonomous region or municipality,
 * or 71 (Taiwan), 81 (Hong Kong), 82 (Macao), 83 (residence permits for people from Taiwan).
 */
const PROVINCE = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])/

/**
 * 18-digit resident ID (region, birth date and check digit) or a legacy 15-digit one (region and birth date). With
 * `today` ('YYYY-MM-DD'), a birth date after it is wrong too.
 */
export function checkResidentId(raw: string, today?: string): IdCheck {
  const id = raw.toUpperCase()
  if (/^\d{15}$/.test(id)) {
    const birth = `19${id.slice(6, 12)}`
    if (!PROVINCE.test(id)) return {ok: false, reason: en('residentIdRegion')}
    // The birth date is what a masked ID hides, so the reason names where it is, not what it is.
    return validBirth(birth) ? {ok: true} : {ok: false, reason: en('residentId15Birth')}
  }
  if (!/^\d{17}[\dX]$/.test(id)) return {ok: false, reason: en('residentIdLength')}
  if (!PROVINCE.test(id)) return {ok: false, reason: en('residentIdRegion')}
  if (!validBirth(id.slice(6, 14))) return {ok: false, reason: en('residentIdBirth')}
  if (today !== undefined && residentIdBirthDate(id)! > today) return {ok: false, reason: en('residentIdBirthFuture')}
  const expected = residentIdCheckChar(id)
  if (expected !== id[17]) return {ok: false, reason: en('residentIdCheck', {expected, actual: id[17]})}
  return {ok: true}
}

/** The birth date a resident ID of 18 or 15 digits holds, as 'YYYY-MM-DD' (undefined for another shape). */
export function residentIdBirthDate(id: string): string | undefined {
  const ymd = /^\d{17}[\dXx]$/.test(id) ? id.slice(6, 14) : /^\d{15}$/.test(id) ? `19${id.slice(6, 12)}` : undefined
  return ymd === undefined ? undefined : `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`
}

function validBirth(yyyymmdd: string): boolean {
  return isValidYmd(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8)))
}

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

/** The GB 32100-2015 check character for the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i]
  return USCC_CHARSET[(31 - (sum % 31)) % 31]
}

/** The GB 11714-1997 check character for an 8-character organisation code. */
export function orgCodeCheckChar(first8: string): string {
  let sum = 0
  for (let i = 0; i < 8; i++) sum += Number.parseInt(first8[i], 36) * ORG_WEIGHTS[i]
  const c = 11 - (sum % 11)
  return c === 10 ? 'X' : c === 11 ? '0' : String(c)
}

/** Unified social credit code; a failing embedded organisation code is only a warning (standards.md §5). */
export function checkUscc(raw: string): IdCheck {
  const code = raw.toUpperCase()
  if (code.length !== 18) return {ok: false, reason: en('usccLength', {length: code.length})}
  for (const ch of code) {
    if (!USCC_CHARSET.includes(ch)) return {ok: false, reason: en('usccCharacter', {char: ch})}
  }
  const expected = usccCheckChar(code)
  if (expected !== code[17]) return {ok: false, reason: en('usccCheck', {expected, actual: code[17]})}
  const org = code.slice(8, 17)
  if (/^[0-9A-Z]{8}[0-9X]$/.test(org) && orgCodeCheckChar(org) !== org[8]) {
    return {ok: true, warning: en('orgCodeCheck', {expected: orgCodeCheckChar(org), actual: org[8]})}
  }
  return {ok: true}
}

/** Luhn (ISO 7812 mod 10) for bank card numbers. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

const MOBILE = /^1[3-9]\d{9}$/
const LANDLINE = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/

/**
 * A mainland mobile (stored as 11 digits, +86/0086 dropped) or landline number (stored as written, without spaces); the
 * reason shows it masked.
 */
export function normalizePhone(raw: string): string | {reason: string} {
  let p = raw.replace(/[\s()]/g, '')
  if (MOBILE.test(p)) return p
  const digits = p.replace(/-/g, '')
  const national = digits.replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, '')
  if (MOBILE.test(national)) return national
  p = p.replace(/^(?:\+86|0086)-?/, '0').replace(/^00/, '0')
  if (LANDLINE.test(p)) return p
  return {reason: en('badPhone', {text: maskPhone(raw)})}
}

export type IdType = 'resident_id' | 'uscc' | 'passport' | 'other'

/** Guesses the kind of an ID number that came without an id_type. */
export function inferIdType(idNumber: string, customerType: string | null): IdType {
  const id = idNumber.toUpperCase()
  const usccShaped = /^[0-9A-HJ-NP-RTUWXY]{18}$/.test(id)
  if (customerType === 'corporate' && usccShaped) return 'uscc'
  if (/^\d{17}[\dX]$/.test(id) || /^\d{15}$/.test(id)) return 'resident_id'
  if (usccShaped) return 'uscc'
  if (/^[A-Z]{1,2}\d{7,8}$/.test(id)) return 'passport'
  return 'other'
}

/** The characters an ID number may hold (a Hong Kong ID writes its check digit in parentheses: A123456(7)). */
export const ID_NUMBER = /^[0-9A-Za-z()-]{1,40}$/

const EXCEL_NUMBER = /^[+-]?\d+(?:\.\d+)?E[+-]?\d+$/i
const HAN = /\p{Script=Han}+/u

/**
 * Why a cell is not an ID number, said so that the analyst knows how to fix the file. The cell is never repeated
 * whole (it may be most of a real ID number): at most a masked form, or the characters that do not belong.
 */
export function idNumberProblem(text: string): string {
  if (text.length > 40) return en('idTooLong', {length: text.length})
  if (EXCEL_NUMBER.test(text)) {
    return en('idFromExcel', {text})
  }
  if (text.includes('*')) return en('idNumberMasked', {masked: maskIdNumber(text)})
  const han = HAN.exec(text)
  if (han !== null) return en('idHoldsChinese', {text: [...han[0]].slice(0, 8).join('')})
  if (/\s/.test(text)) return en('idHasSpaces')
  const strays = [...new Set([...text].filter((ch) => !/[0-9A-Za-z()-]/.test(ch)))]
  return en('idStrayCharacters', {chars: strays.slice(0, 3).map(characterName).join(', ')})
}

/** A character as a reason can show it: printable ones quoted, anything else by its code point. */
export function characterName(ch: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)
    ? `"${ch}"`
    : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * A number of 17 or 19 digits (the last may be X) is a resident ID with a digit missing or one too many, not
 * some other kind of ID: the reason to give for a person's, or undefined.
 */
export function mistypedResidentId(id: string): string | undefined {
  if (!/^\d{16}[\dX]$|^\d{18}[\dX]$/i.test(id)) return undefined
  return en('residentIdDigits', {length: id.length})
}
