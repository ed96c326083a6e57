import {parseDate} from '../dates.js'
import {KEPT, looksPersonal, markPersonal} from '../masking.js'
import {canonicalFen, parseFen} from '../money.js'
import {NON_ASCII} from '../row-validator.js'
import type {InputSpec, Value} from '../rules/compile.js'

// Thousands separators only in groups of three (0,5 is a European decimal, not a number here); 9.3448e-05 is a number.
const NUMBER = /^[-+]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?$/

/**
 * A kept column's text as the type its scheme declares (number, money in fen, ISO date or text). An empty cell is
 * null (unknown); text that is not of the type is null here too, and inputProblem says why the customer is invalid.
 * A typed cell that fails as written and holds characters beyond ASCII is read again after NFKC normalisation, as
 * the import's row validator reads canonical amounts and counts: full-width ３５ and １２３４.５０ are numbers.
 */
export function inputValue(input: InputSpec, raw: string | null): Value {
  if (raw === null) return null
  const text = raw.trim()
  if (text === '') return null
  if (input.type !== 'number' && input.type !== 'money' && input.type !== 'date') return text
  const value = typedValue(input.type, text)
  if (value !== null || !NON_ASCII.test(text)) return value
  const normalized = text.normalize('NFKC').trim()
  return normalized === text ? null : typedValue(input.type, normalized)
}

function typedValue(type: 'number' | 'money' | 'date', text: string): Value {
  switch (type) {
    case 'number': {
      const n = NUMBER.test(text) ? Number(text.replaceAll(',', '')) : Number.NaN
      return Number.isFinite(n) ? n : null
    }
    case 'money': {
      const fen = parseFen(text)
      return typeof fen === 'object' ? null : canonicalFen(fen)
    }
    default: {
      const date = parseDate(text.slice(0, 10))
      return typeof date === 'string' ? date : null
    }
  }
}

/**
 * Why a kept column's text is not of its declared type (`Months_Inactive: "n/a" is not a number`), or null when it
 * is, or is empty. A value that looks like personal data is marked, so output masks it (personalText).
 */
export function inputProblem(input: InputSpec, raw: string | null): string | null {
  if (input.source !== 'extra' || raw === null || raw.trim() === '' || inputValue(input, raw) !== null) return null
  const shown = `"${looksPersonal(raw.trim()) ? markPersonal(KEPT, raw.trim()) : raw.trim()}"`
  const what = input.type === 'number' ? 'a number' : input.type === 'money' ? 'an amount' : 'a date'
  return `${input.name}: ${shown} is not ${what}`
}

/**
 * The values a scheme reads from a row of a file (`classify check`): canonical fields as the import validator
 * parsed them, kept columns by name, and contact measures from columns of the same name when the file has them
 * (a file has no contacts logged in crm: contacts_12m is then 0 and last_contact_on null).
 */
export function rowValues(
  inputs: readonly InputSpec[],
  field: (name: string) => Value | undefined,
  column: (name: string) => string | undefined,
): {values: Value[]; problem: string | null} {
  let problem: string | null = null
  const values = inputs.map((input) => {
    if (input.source === 'field') {
      const v = field(input.name) ?? null
      return typeof v === 'bigint' ? canonicalFen(v) : v
    }
    const raw = column(input.name)
    if (input.source === 'contact' && raw === undefined) return input.name === 'contacts_12m' ? 0 : null
    const value = inputValue(input, raw ?? null)
    const wrong = value === null ? inputProblem(input, raw ?? null) : null
    if (wrong !== null) problem = problem === null ? wrong : `${problem}; ${wrong}`
    return value
  })
  return {values, problem}
}
