import {MONEY_FIELDS} from '../core/fields.js'
import type {FieldValue} from '../core/row-validator.js'

/** Money fields are stored as integer fen in `<field>_fen` columns; every other field keeps its name. */
export function columnFor(field: string): string {
  return MONEY_FIELDS.includes(field) ? `${field}_fen` : field
}

const SAFE = String(Number.MAX_SAFE_INTEGER)

/**
 * A money column read exactly: a JS number holds fen exactly up to 2^53 - 1 (90 trillion yuan), so a larger amount
 * comes as its text, which readFen turns into a bigint. Every usual amount stays a plain number, at no cost per row.
 */
export function exactMoney(column: string): string {
  return `CASE WHEN ${column} BETWEEN -${SAFE} AND ${SAFE} THEN ${column} ELSE CAST(${column} AS TEXT) END`
}

/** The SQL that reads a field of the customers table aliased `c`: money exactly (exactMoney), other fields as stored. */
export function readColumn(field: string): string {
  return MONEY_FIELDS.includes(field) ? exactMoney(`c.${columnFor(field)}`) : `c.${field}`
}

/** The value of an exactMoney column: fen as a number, or as a bigint beyond 2^53. */
export function readFen(value: unknown): FieldValue {
  return typeof value === 'string' ? BigInt(value) : (value as FieldValue)
}
