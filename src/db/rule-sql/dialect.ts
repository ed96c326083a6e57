/**
 * The few places where SQL engines differ for the rule compiler (compile.ts): quoting, reading a kept column from the
 * extra JSON, date arithmetic, division that never truncates, ordering with a fixed collation and null position, and
 * the functions crm registers where a built-in means something else (functions.ts), and truth: SQLite's conditions
 * are the integers 1 and 0, PostgreSQL's are booleans. One compiler, two implementations of this interface.
 */
import type {Value, ValueType} from '../../core/rules/compile.js'
import {NotCompilable} from './compile.js'

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
  /** A column of the customers table aliased `table`: the name must come from the field whitelist; dates as text. */
  column(table: string, name: string, type?: ValueType): string
  /** A value as the engine takes it bound. */
  bindable(value: Value): unknown
  /** Truth values, and a condition as the integer 1 or 0 (to add them up). */
  readonly true: string
  readonly false: string
  boolInt(condition: string): string
  /** A number as floating point (double precision). */
  real(expr: string): string
  /** The greatest (max) or least (min) of values, none of them unknown. */
  extreme(name: 'min' | 'max', args: readonly string[]): string
  /** Whether text a holds text b. */
  contains(a: string, b: string): string
  /** Whether a value is text (the census counts text values only). */
  isText(expr: string): string
  /** The texts of a JSON array given as a bound parameter, as rows of one column. */
  jsonTexts(param: string): string
  /** What keeps the planner from copying a layer's expressions into the next (so that each is computed once). */
  readonly fence: string
  /** How a run's rows are ordered as they are stored. */
  readonly resultOrder: string
  /** A customer's last contact day up to the end of the as-of date (@until), as 'YYYY-MM-DD'. */
  readonly lastContactDay: string
  /** How many contacts a customer had in the 365 days up to the end of the as-of date (@since to @until). */
  readonly contactsIn12Months: string
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
  /** A number that is not whole as a reason shows it (formatValue); `typeParam` binds the type. */
  valueText(expr: string, type: 'number' | 'money', typeParam: string): string
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/

function identifier(table: string, name: string): string {
  if (!IDENTIFIER.test(table) || !IDENTIFIER.test(name)) throw new Error(`not an identifier: ${table}.${name}`)
  return `${table}."${name}"`
}

export const sqliteDialect: Dialect = {
  column: (table, name) => identifier(table, name),
  bindable: (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v),
  true: '1',
  false: '0',
  boolInt: (condition) => condition,
  real: (expr) => `CAST(${expr} AS REAL)`,
  extreme: (name, args) => `${name}(${args.join(', ')})`,
  contains: (a, b) => `(instr(${a}, ${b}) > 0)`,
  isText: (expr) => `typeof(${expr}) = 'text'`,
  jsonTexts: (param) => `SELECT value FROM json_each(${param})`,
  // LIMIT -1 OFFSET 0 keeps SQLite from flattening the query into the next.
  fence: 'LIMIT -1 OFFSET 0',
  // Stored in the order of the results' primary key: the fastest to insert.
  resultOrder: 'ORDER BY ref',
  lastContactDay:
    '(SELECT substr(max(k.at), 1, 10) FROM contacts k ' +
    'WHERE k.customer_id = c.customer_id AND k.at < @until AND k.deleted_at IS NULL)',
  contactsIn12Months:
    '(SELECT count(*) FROM contacts k ' +
    'WHERE k.customer_id = c.customer_id AND k.at >= @since AND k.at < @until AND k.deleted_at IS NULL)',
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
  // The cents as the last two digits of 100 to 199; a sign only for a debt (most amounts are not, and skip the abs).
  fenText: (expr) =>
    `(CASE WHEN ${expr} >= 0 THEN (${expr} / 100) || '.' || substr(${expr} % 100 + 100, 2) ` +
    `ELSE '-' || (abs(${expr}) / 100) || '.' || substr(abs(${expr}) % 100 + 100, 2) END)`,
  isInteger: (expr) => `typeof(${expr}) = 'integer'`,
  // printf's %g writes six significant digits as toPrecision(6) does, trailing zeros dropped, in plain notation from
  // 0.0001 up to 100000 (outside, %g turns to an exponent where JavaScript does not): a share or a rank, rounding ties
  // away from zero alike (test/db/rule-sql.test.ts holds them to formatValue). Elsewhere, and for money, crm's own
  // formatValue through a call into JavaScript.
  valueText: (expr, type, typeParam) =>
    type === 'number'
      ? `(CASE WHEN typeof(${expr}) = 'real' AND abs(${expr}) >= 0.0001 AND abs(${expr}) < 100000 ` +
        `THEN printf('%.6g', ${expr}) ELSE crm_rule_value_text(${expr}, ${typeParam}) END)`
      : `crm_rule_value_text(${expr}, ${typeParam})`,
}

/**
 * PostgreSQL: conditions are booleans, dates are date columns read as their ISO text, division is floating point
 * unless both sides are integers, and text compares byte by byte (COLLATE "C"), as SQLite's BINARY. Of the functions
 * crm registers in SQLite, those a rule can use without a JS function are written in SQL here; the others make the
 * scheme NotCompilable, so that the interpreter runs it (nothing a user writes is ever evaluated as code: its values
 * are bound parameters).
 */
export const postgresDialect: Dialect = {
  column: (table, name, type) => (type === 'date' ? `(${identifier(table, name)})::text` : identifier(table, name)),
  bindable: (v) => v,
  true: 'true',
  false: 'false',
  boolInt: (condition) => `(${condition})::int`,
  real: (expr) => `(${expr})::float8`,
  extreme: (name, args) => `${name === 'min' ? 'LEAST' : 'GREATEST'}(${args.join(', ')})`,
  contains: (a, b) => `(strpos(${a}, ${b}) > 0)`,
  isText: (expr) => `(${expr}) IS NOT NULL`,
  jsonTexts: (param) => `SELECT jsonb_array_elements_text((${param})::jsonb)`,
  // OFFSET 0 fences a subquery in PostgreSQL too (and a CTE read more than once is computed once).
  fence: 'OFFSET 0',
  // Stored by one INSERT … SELECT: a sort of the whole run would only cost.
  resultOrder: '',
  lastContactDay:
    "(SELECT to_char(max(k.at), 'YYYY-MM-DD') FROM contacts k " +
    'WHERE k.customer_id = c.customer_id AND k.at < (@until)::date AND k.deleted_at IS NULL)',
  contactsIn12Months:
    '(SELECT count(*) FROM contacts k WHERE k.customer_id = c.customer_id ' +
    'AND k.at >= (@since)::date AND k.at < (@until)::date AND k.deleted_at IS NULL)',
  jsonText: () => {
    throw new NotCompilable('a kept column on PostgreSQL')
  },
  daysSince: (date, asOfDay) => `(${asOfDay} - ((substr(${date}, 1, 10))::date - DATE '1970-01-01'))`,
  yearsSince: (date, year, monthDay) =>
    `(${year} - (substr(${date}, 1, 4))::int - (${monthDay} < substr(${date}, 6, 5))::int)`,
  // The interpreter's division: in floating point, unknown for a division by zero.
  divide: (a, b) => `((${a})::float8 / nullif((${b})::float8, 0))`,
  order: (expr, text, direction) =>
    `${expr}${text ? ' COLLATE "C"' : ''} ${direction} NULLS ${direction === 'ASC' ? 'FIRST' : 'LAST'}`,
  concat: (parts) => (parts.length === 0 ? "''" : parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`),
  call(fn) {
    switch (fn) {
      // Computed separately (ClassifySql.tallies): the statement calls nothing per row.
      case 'tally':
        return 'true'
      default:
        throw new NotCompilable(`${fn} on PostgreSQL`)
    }
  },
  integerText: (expr) => `(${expr})::text`,
  fenText: (expr) =>
    `(CASE WHEN ${expr} < 0 THEN '-' ELSE '' END || (abs(${expr}) / 100)::text || '.' ` +
    `|| lpad((abs(${expr}) % 100)::text, 2, '0'))`,
  isInteger: (expr) => `(pg_typeof(${expr})::text IN ('bigint', 'integer', 'smallint'))`,
  valueText(expr, type) {
    if (type === 'money') throw new NotCompilable('a fraction of a fen on PostgreSQL')
    return numberText(expr)
  },
}

/**
 * A floating-point number as JS writes it after rounding to six significant digits (formatValue:
 * String(Number(x.toPrecision(6)))): digits without trailing zeros, positional from 1e-6 to below 1e21, else a
 * mantissa and a signed exponent ('1.5e-7', '1e+21'). Computed in numeric, from the double's 15 significant digits.
 */
function numberText(x: string): string {
  const n = `(${x})::numeric`
  const e = `floor(log(abs(${n})))`
  // The exponent of the rounded value: one more when rounding carries (9.999996 is 10.0000).
  const at = `(${e} + (abs(round(${n} / 10::numeric ^ ${e}, 5)) >= 10)::int)`
  const exponent = `'e' || (CASE WHEN ${at} < 0 THEN '-' ELSE '+' END) || abs(${at})::text`
  return `(CASE WHEN (${x}) IS NULL THEN NULL WHEN (${x}) = 0 THEN '0'
    WHEN abs(${x}) >= 1e-6 AND abs(${x}) < 1e21 THEN trim_scale(round(${n}, (5 - ${e})::int))::text
    ELSE trim_scale(round(${n} / 10::numeric ^ ${at}, 5))::text || ${exponent} END)`
}
