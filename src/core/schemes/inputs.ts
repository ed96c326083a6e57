import {parseDate} from '../dates.js'
import {canonicalFen, parseFen} from '../money.js'
import type {InputSpec, Value} from '../rules/compile.js'

const NUMBER = /^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$/

/**
 * A kept column's text as the type its scheme declares (number, money in fen, ISO date or text). Text that is
 * not of that type reads as null, as an empty cell does: the rule then does not hold for that customer.
 */
export function inputValue(input: InputSpec, raw: string | null): Value {
  if (raw === null) return null
  const text = raw.trim()
  if (text === '') return null
  switch (input.type) {
    case 'number': return NUMBER.test(text) && /\d/.test(text) ? Number(text.replaceAll(',', '')) : null
    case 'money': {
      const fen = parseFen(text)
      return typeof fen === 'object' ? null : canonicalFen(fen)
    }
    case 'date': {
      const date = parseDate(text.slice(0, 10))
      return typeof date === 'string' ? date : null
    }
    default: return text
  }
}

/**
 * The values a scheme reads from a row of a file (`classify check`): canonical fields as the import validator
 * parsed them, kept columns by name, and contact measures from columns of the same name when the file has them
 * (a file has no contacts logged in crm: contacts_12m is then 0 and last_contact_on null).
 */
export function rowValues(inputs: readonly InputSpec[], field: (name: string) => Value | undefined, column: (name: string) => string | undefined): Value[] {
  return inputs.map((input) => {
    if (input.source === 'field') {
      const v = field(input.name) ?? null
      return typeof v === 'bigint' ? canonicalFen(v) : v
    }
    const raw = column(input.name)
    if (input.source === 'contact' && raw === undefined) return input.name === 'contacts_12m' ? 0 : null
    return inputValue(input, raw ?? null)
  })
}
