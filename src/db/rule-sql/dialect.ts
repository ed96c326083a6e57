/**
 * The few places where SQL engines differ for the rule compiler (compile.ts): quoting, reading a kept column from the
 * extra JSON, date arithmetic, division that never truncates, ordering with a fixed collation and null position, and
 * the functions crm registers where a built-in means something else (functions.ts). Only SQLite exists now; the
 * PostgreSQL issue adds a second implementation of this interface, not a second compiler.
 */

/** The deterministic functions crm registers, by what they do (functions.ts gives each its SQLite name). */
export type RegisteredFunction =
  | 'lower'
  | 'upper'
  | 'trim'
  | 'like'
  | 'round'
  | 'sme_industry'
  | 'input'
  | 'problem'
  | 'value_text'
  | 'shown'
  | 'looks_personal'
  | 'tally'

export interface Dialect {
  /** A column of the customers table aliased `table`: the name must come from the field whitelist. */
  column(table: string, name: string): string
  /** A kept column's text: `path` is a bound parameter, never spliced. */
  jsonText(column: string, path: string): string
  /** Whole days from an ISO date (or date-time) to the day numbered `asOfDay` (days since 1970-01-01, bound). */
  daysSince(date: string, asOfDay: string): string
  /** Full years from an ISO date to the as-of date given as its year (bound) and its MM-DD (bound). */
  yearsSince(date: string, asOfYear: string, asOfMonthDay: string): string
  /** a / b in floating point, null when b is 0 (the interpreter's division). */
  divide(a: string, b: string): string
  /** An ORDER BY term: binary collation for text, nulls placed explicitly. */
  order(expr: string, text: boolean, direction: 'ASC' | 'DESC'): string
  /** Text concatenation of parts. */
  concat(parts: readonly string[]): string
  /** A call of one of crm's registered functions. */
  call(fn: RegisteredFunction, args: readonly string[]): string
  /** An integer as text, and an integer number of fen as yuan with two decimals ('-12.05'). */
  integerText(expr: string): string
  fenText(expr: string): string
  /** Whether a value is an integer (as opposed to floating point). */
  isInteger(expr: string): string
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/

export const sqliteDialect: Dialect = {
  column(table, name) {
    if (!IDENTIFIER.test(table) || !IDENTIFIER.test(name)) throw new Error(`not an identifier: ${table}.${name}`)
    return `${table}."${name}"`
  },
  jsonText: (column, path) => `json_extract(${column}, ${path})`,
  // unixepoch of a date is a whole number of days of seconds: the division is exact.
  daysSince: (date, asOfDay) => `(${asOfDay} - unixepoch(substr(${date}, 1, 10)) / 86400)`,
  yearsSince: (date, year, monthDay) =>
    `(${year} - CAST(substr(${date}, 1, 4) AS INTEGER) - (${monthDay} < substr(${date}, 6, 5)))`,
  // SQLite divides integers as integers, and gives null for a division by zero, as the interpreter does.
  divide: (a, b) => `(CAST(${a} AS REAL) / ${b})`,
  order: (expr, text, direction) =>
    `${expr}${text ? ' COLLATE BINARY' : ''} ${direction} NULLS ${direction === 'ASC' ? 'FIRST' : 'LAST'}`,
  concat: (parts) => (parts.length === 0 ? "''" : parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`),
  call: (fn, args) => `crm_rule_${fn}(${args.join(', ')})`,
  integerText: (expr) => `CAST(${expr} AS TEXT)`,
  fenText: (expr) =>
    `(CASE WHEN ${expr} < 0 THEN '-' ELSE '' END || (abs(${expr}) / 100) || '.' || substr('0' || (abs(${expr}) % ` +
    `100), -2))`,
  isInteger: (expr) => `typeof(${expr}) = 'integer'`,
}
