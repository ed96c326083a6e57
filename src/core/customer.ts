import type {FieldValue} from './row-validator.js'
import {instantForJson} from './dates.js'
import {CUSTOMER_FIELDS} from './fields.js'
import {maskExtras, maskField} from './masking.js'
import {formatFen} from './money.js'

/** A stored customer: canonical field -> value (money in fen), plus the extra columns its imports kept. */
export interface Customer {
  readonly values: Readonly<Record<string, FieldValue>>
  readonly extra: Readonly<Record<string, string>>
  readonly createdAt: string
  readonly updatedAt: string
}

/**
 * The longest text a customer search takes: far longer than any name or customer number, and far below the
 * 50,000-byte LIKE pattern SQLite refuses.
 */
export const SEARCH_MAX_LENGTH = 200

export interface OutputOptions {
  readonly reveal: boolean
}

/** Records written already (by SQL: JSON text, CSV or TSV lines), `rows` of them joined in `bytes` as UTF-8. */
export interface WrittenRecords {
  readonly bytes: Uint8Array
  readonly rows: number
}

export {maskField}

/** The personal-data fields maskField masks (db/customer-record.ts masks the same in SQL). */
export const MASKED_FIELDS: readonly string[] = ['id_number', 'phone', 'email', 'birth_date']

/** A field's value as text for output: money as "1234.56", personal data masked unless revealed. */
export function fieldText(customer: Customer, field: string, options: OutputOptions, separators = false): string | null {
  const value = customer.values[field]
  if (value === null || value === undefined) return null
  const spec = CUSTOMER_FIELDS.find((f) => f.name === field)
  if (spec?.kind === 'money') return formatFen(value as number | bigint, {separators})
  const text = String(value)
  return options.reveal ? text : maskField(field, text)
}

/**
 * The JSON contract for a customer: canonical field names as keys, money as a string with exactly two
 * decimals (never a JSON number), integers as numbers, personal data masked unless revealed.
 */
export function customerRecord(customer: Customer, options: OutputOptions): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  for (const spec of CUSTOMER_FIELDS) {
    const value = customer.values[spec.name]
    record[spec.name] = spec.kind === 'integer' ? (value ?? null) : fieldText(customer, spec.name, options)
  }
  record.extra = options.reveal ? customer.extra : maskExtras(customer.extra)
  record.created_at = instantForJson(customer.createdAt)
  record.updated_at = instantForJson(customer.updatedAt)
  return record
}
