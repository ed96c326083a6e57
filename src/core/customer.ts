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
export function fieldText(
  customer: Customer,
  field: string,
  options: OutputOptions,
  separators = false,
): string | null {
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
export function customerRecord(customer: Customer, options: OutputOptions): CustomerRecord {
  const fields: Record<string, FieldValue> = {}
  for (const spec of CUSTOMER_FIELDS) {
    const value = customer.values[spec.name]
    fields[spec.name] = spec.kind === 'integer' ? (value ?? null) : fieldText(customer, spec.name, options)
  }
  const extra = options.reveal ? customer.extra : maskExtras(customer.extra)
  return {
    ...fields,
    extra,
    created_at: instantForJson(customer.createdAt),
    updated_at: instantForJson(customer.updatedAt),
  }
}

/**
 * A customer as --json prints it: each canonical field (text, or a number for an integer field), then the kept
 * columns and the times. The fields are the rows of CUSTOMER_FIELDS; objects are what a command adds (customer show).
 */
export interface CustomerRecord {
  readonly [field: string]: FieldValue | object
  readonly extra: Readonly<Record<string, string>>
  readonly created_at: string | null
  readonly updated_at: string | null
}

export interface CustomerFilter {
  readonly branch?: string
  readonly rm?: string
  readonly type?: string
  readonly search?: string
  /**
   * Only customers in this tier: each customer's tier in the newest of these runs (of one scheme) that classified it.
   */
  readonly tier?: {readonly runs: readonly number[]; readonly tier: string}
  readonly limit?: number
}
