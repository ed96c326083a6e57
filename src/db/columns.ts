import {MONEY_FIELDS} from '../core/fields.js'
import type {FieldValue} from '../core/row-validator.js'

/** Money fields are stored as integer fen in `<field>_fen` columns; every other field keeps its name. */
export function columnFor(field: string): string {
  return MONEY_FIELDS.includes(field) ? `${field}_fen` : field
}

/**
 * The JSON path of a kept column in `extra`, bound as a parameter: the name quoted, its quotes and backslashes
 * escaped, so that any name a file's header can hold (a.b, a"b, a\\) reads its own value.
 */
export function keptPath(name: string): string {
  return `$."${name.replace(/["\\]/g, '\\$&')}"`
}

const SAFE = String(Number.MAX_SAFE_INTEGER)

/**
 * A money column read exactly: a JS number holds fen exactly up to 2^53 - 1 (90 trillion yuan), so a larger amount
 * comes as its text, which readFen turns into a bigint. Every usual amount stays a plain number, at no cost per row.
 */
export function exactMoney(column: string): string {
  return `CASE WHEN ${column} BETWEEN -${SAFE} AND ${SAFE} THEN ${column} ELSE CAST(${column} AS TEXT) END`
}

/**
 * The SQL that reads a field of the customers table aliased `c`: money exactly (exactMoney), other fields as stored.
 */
export function readColumn(field: string): string {
  return MONEY_FIELDS.includes(field) ? exactMoney(`c.${columnFor(field)}`) : `c.${field}`
}

/** The value of an exactMoney column: fen as a number, or as a bigint beyond 2^53. */
export function readFen(value: unknown): FieldValue {
  return typeof value === 'string' ? BigInt(value) : (value as FieldValue)
}

/**
 * Sums of money are taken in two parts, the billions of fen and the rest (SQLite's integer division and remainder
 * keep x = high * 10^9 + low, negative amounts too): SQLite's SUM stops with "integer overflow" past 2^63 - 1 fen,
 * which a hundred of the largest amounts reach, but each part stays far inside it for any book under a billion
 * rows. Read them with safeIntegers and join them with joinSum.
 */
const PART = 1_000_000_000

export function splitSum(column: string, name: string): string {
  return `sum(${column} / ${PART}) AS ${name}_high, sum(${column} % ${PART}) AS ${name}_low`
}

/** The exact sum of fen from splitSum's two parts (null when there was nothing to add). */
export function joinSum(high: bigint | number | null, low: bigint | number | null): bigint {
  return BigInt(high ?? 0) * BigInt(PART) + BigInt(low ?? 0)
}
