import {ExitCode, UserError} from '../errors.js'
import {checkResidentId} from './identifiers.js'
import {maskIdNumber} from './masking.js'
import {en} from './messages.js'

/**
 * What `customer list --search TEXT` looks for, besides the text inside names and customer numbers: the text read
 * as import reads a key (full-width letters and digits as ASCII, spaces dropped, letters upper-cased for an ID
 * number) and matched exactly against a customer number, a phone's last four digits, or a whole ID number. A part of
 * an ID number is never matched: it would tell the masked digits.
 */
export interface CustomerSearch {
  /** As typed: contained in a name or a customer number. */
  readonly text: string
  /** An exact customer number. */
  readonly key: string
  /** Exactly four digits: a phone's last four. */
  readonly lastFour: string | null
  /** A whole ID number (15 or 18 characters): matched exactly, and audited. */
  readonly idNumber: string | null
}

/**
 * 18 characters with digits (a resident ID or a USCC, even mistyped), or a legacy 15-digit resident ID that is one
 * (its birth date real): the first 15 digits of an 18-digit ID, typed on the way to the whole, never are.
 */
function wholeIdNumber(text: string): boolean {
  if (/^\d{15}$/.test(text)) return checkResidentId(text).ok
  return /^[0-9A-Z]{18}$/.test(text) && /\d{6}/.test(text)
}
const EXCEL_NUMBER = /^[+-]?\d+(?:\.\d+)?E\+?\d+$/i

/** Reads a search text (never refused: a masked value matches no customer number, phone or ID number). */
export function readCustomerSearch(text: string): CustomerSearch {
  const key = text.normalize('NFKC').replace(/\s+/g, '')
  const upper = key.toUpperCase()
  return {
    text,
    key,
    lastFour: /^\d{4}$/.test(key) ? key : null,
    idNumber: wholeIdNumber(upper) ? upper : null,
  }
}

/**
 * Why a --search text cannot find what it looks like: a masked value (its hidden digits cannot be searched for) or a
 * number Excel shortened; refused, with what to search for instead.
 */
export function refuseUnsearchable(text: string): void {
  const key = text.normalize('NFKC').replace(/\s+/g, '')
  if (key.includes('**')) throw new UserError(en('searchMasked'), ExitCode.Usage, en('searchMaskedHint'))
  if (EXCEL_NUMBER.test(key))
    throw new UserError(en('searchFromExcel', {text: key}), ExitCode.Usage, en('searchMaskedHint'))
}

/** A search as the audit log may keep it: a whole ID number masked. */
export function auditedSearch(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  const {idNumber} = readCustomerSearch(text)
  return idNumber === null ? text : maskIdNumber(idNumber)
}
