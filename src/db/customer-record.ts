import {MASKED_FIELDS, type OutputOptions} from '../core/customer.js'
import {CUSTOMER_FIELDS, type FieldSpec} from '../core/fields.js'
import {columnFor} from './columns.js'

/**
 * customerRecord (core/customer.ts) written as SQL, so that a long JSON, NDJSON or CSV output is built by SQLite and
 * streamed as text, with no object per row in JS. The expressions come from the same field specs; the masks are
 * those of core/masking.ts in SQL (substr and length count characters, as keepEnds does). A property test
 * (test/db/customer-record.test.ts) holds the two renderings to the same bytes. Columns of `customers c` and the
 * batches `cb` and `ub` (created and updated); only field names from the specs are written into the SQL.
 */

/** `n` asterisks, for any n >= 0. */
const stars = (n: string) => `replace(hex(zeroblob(${n})), '00', '*')`
/** `n` asterisks for n >= 1, faster (printf writes one for 0). */
const someStars = (n: string) => `printf('%.*c', ${n}, '*')`

/** keepEnds of masking.ts for text known to be longer than head + tail. */
function keptEnds(x: string, head: number, tail: number): string {
  return `${head > 0 ? `substr(${x}, 1, ${head}) || ` : ''}${someStars(`length(${x}) - ${head + tail}`)}${tail > 0 ? ` || substr(${x}, -${tail})` : ''}`
}

/** keepEnds of masking.ts: the first `head` and last `tail` characters, the rest as asterisks; all asterisks if too short. */
function keepEnds(x: string, head: number, tail: number): string {
  return `CASE WHEN length(${x}) <= ${head + tail} THEN ${stars(`length(${x})`)} ELSE ${keptEnds(x, head, tail)} END`
}

/** The 1-based position of the last @ (0 when there is none): what is left after trimming every other character from the right. */
const lastAt = (x: string) => `length(rtrim(${x}, replace(${x}, '@', '')))`

/** maskEmail with the @ at position `at` (1-based). */
const emailAt = (x: string, at: string) => `substr(${x}, 1, 1) || ${someStars(`max(${at} - 2, 1)`)} || substr(${x}, ${at})`

/** The masks of core/masking.ts, as SQL of a text column `x`. */
const SQL_MASKS: Readonly<Record<string, (x: string) => string>> = {
  // maskIdNumber
  id_number: (x) => `CASE WHEN length(${x}) >= 14 THEN ${keptEnds(x, 6, 4)} WHEN length(${x}) >= 8 THEN ${keptEnds(x, 3, 2)}
    WHEN length(${x}) >= 5 THEN ${keptEnds(x, 1, 1)} ELSE ${stars(`length(${x})`)} END`,
  // maskPhone: a landline keeps its area code (and the dash), then at most the last 4 digits
  phone: (x) => {
    const rest = `substr(${x}, instr(${x}, '-') + 1)`
    return `CASE WHEN substr(${x}, 1, 1) = '0' AND instr(${x}, '-') > 0 THEN substr(${x}, 1, instr(${x}, '-')) || ${keepEnds(rest, 0, 4)}
      WHEN length(${x}) >= 10 THEN ${keptEnds(x, 3, 4)} ELSE ${keepEnds(x, 0, 2)} END`
  },
  // maskEmail; an address has one @ (the import checks it), found by instr, else the last one is found the long way
  email: (x) => `CASE WHEN instr(${x}, '@') > 1 AND instr(substr(${x}, instr(${x}, '@') + 1), '@') = 0 THEN ${emailAt(x, `instr(${x}, '@')`)}
    WHEN ${lastAt(x)} <= 1 THEN ${stars(`length(${x})`)} ELSE ${emailAt(x, lastAt(x))} END`,
  // As maskBirthDate: the year kept when the text starts with one, every other digit hidden.
  birth_date: (x) => `CASE WHEN ${x} GLOB '[0-9][0-9][0-9][0-9][^0-9]*' OR ${x} GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN substr(${x}, 1, 4) || ${digitsHidden(`substr(${x}, 5)`)} ELSE ${digitsHidden(x)} END`,
}

/** A personal-data field's mask (maskField) as SQL of the text `x`; the field as it is when it has none. */
export function maskSql(field: string, x: string): string {
  return SQL_MASKS[field]?.(x) ?? x
}

/** Fen as yuan with exactly two decimals (formatFen): the sign apart, so that the largest negative amount has no overflow. */
function money(x: string): string {
  return `CASE WHEN ${x} < 0 THEN '-' || -(${x} / 100) || '.' || substr('0' || -(${x} % 100), -2) ELSE (${x} / 100) || '.' || substr('0' || (${x} % 100), -2) END`
}

/** A field's value as customerRecord gives it: integers as they are, money as text, personal data masked unless revealed. */
function fieldSql(spec: FieldSpec, options: OutputOptions): string {
  const column = `c.${columnFor(spec.name)}`
  if (spec.kind === 'money') return money(column)
  if (options.reveal || !MASKED_FIELDS.includes(spec.name)) return column
  const mask = SQL_MASKS[spec.name]
  // A field masked in JS but not here would leak: refuse to build the query rather than print it.
  if (mask === undefined) throw new Error(`no SQL mask for ${spec.name}`)
  // A missing value stays missing (the asterisks of an empty text would not).
  return `CASE WHEN ${column} IS NULL THEN NULL ELSE ${mask(column)} END`
}

// Kept columns that could hold something maskLookalike masks: an @, ten digits in a row, or a landline (a digit, a
// dash and seven digits); the rest (most rows) skip the call into JS.
const MAY_LOOK_PERSONAL = `(c.extra GLOB '*@*' OR c.extra GLOB '*${'[0-9]'.repeat(10)}*' OR c.extra GLOB '*[0-9]-${'[0-9]'.repeat(7)}*')`

/** The record's keys and their SQL, in customerRecord's order; `extra` is its JSON text. */
function recordColumns(options: OutputOptions): [string, string][] {
  return [
    ...CUSTOMER_FIELDS.map((spec): [string, string] => [spec.name, fieldSql(spec, options)]),
    // Kept columns are masked by what their values look like (maskExtras), in JS: registered as crm_masked_extras.
    ['extra', options.reveal ? 'json(c.extra)' : `CASE WHEN ${MAY_LOOK_PERSONAL} THEN json(crm_masked_extras(c.extra)) ELSE json(c.extra) END`],
    ['created_at', 'cb.at'],
    ['updated_at', 'ub.at'],
  ]
}

/**
 * Where the written records come from: a customer and the times of the batches that created and last updated it,
 * converted once per batch (SQLite's 'localtime' per row costs more than the rest of the record together).
 */
export const RECORD_FROM = 'FROM customers c LEFT JOIN batch_times cb ON cb.id = c.created_batch_id LEFT JOIN batch_times ub ON ub.id = c.updated_batch_id'

/** The batch times RECORD_FROM reads: to prefix the statement. */
export function batchTimesSql(): string {
  return `WITH batch_times(id, at) AS MATERIALIZED (SELECT id, ${instantJson('started_at')} FROM import_batches)`
}

/**
 * An instant as instantForJson writes it: the local wall-clock time and its offset, '2026-11-29T18:00:04+08:00'.
 * SQLite's 'localtime' reads the same zone (TZ, else /etc/localtime) as the process.
 */
function instantJson(x: string): string {
  const offset = `CAST(round((julianday(${x}, 'localtime') - julianday(${x})) * 1440) AS INTEGER)`
  return `CASE WHEN ${x} IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S', ${x}, 'localtime')
    || CASE WHEN ${offset} < 0 THEN '-' ELSE '+' END || printf('%02d:%02d', abs(${offset}) / 60, abs(${offset}) % 60) END`
}

/** The keys of a customer's record, in order (customer-views' CUSTOMER_KEYS). */
export const RECORD_KEYS: readonly string[] = recordColumns({reveal: true}).map(([key]) => key)

/** One column: the customer's record as JSON text, exactly JSON.stringify(customerRecord(customer, options)). */
export function recordJsonSql(options: OutputOptions): string {
  return `json_object(${recordColumns(options).map(([key, sql]) => `'${key}', ${sql}`).join(',\n  ')})`
}

/** The same as UTF-8 bytes, written out as they are (no decoding into a JS string and encoding again). */
export function recordJsonBytesSql(options: OutputOptions): string {
  return `CAST(${recordJsonSql(options)} AS BLOB)`
}

/** How a delimited line is written: CSV or TSV, and the SQL function that writes a cell the way the writer does. */
export interface LineFormat {
  readonly format: 'csv' | 'tsv'
  /** A function registered on the connection: the writer's own code for a cell (neutralise, then csvCell or tsvCell). */
  readonly cellFunction: string
}

// A cell that could start a formula (after apostrophes, which neutralise counts too) is written by the writer's own
// function; it is rare. GLOB classes are written with char(): ' doubled, and - last is a plain character there.
const FORMULA_START = `'[''=+@' || char(9, 13) || '-]*'`
/** csvCell and tsvCell: a CSV cell holding a quote, comma or line break is quoted; TSV escapes tab, line breaks and \\. */
const DELIMITED = {
  csv: {separator: "','", special: `'*[",' || char(10, 13) || ']*'`, quote: (x: string) => `'"' || replace(${x}, '"', '""') || '"'`},
  tsv: {
    separator: 'char(9)', special: `'*[\\' || char(9, 10, 13) || ']*'`,
    quote: (x: string) => `replace(replace(replace(replace(${x}, '\\', '\\\\'), char(9), '\\t'), char(10), '\\n'), char(13), '\\r')`,
  },
}

/**
 * The customers' records as CSV or TSV lines (without the line end), as UTF-8 bytes: the cells customerRecord gives,
 * written as the row writer writes them. The values are taken once in a subquery (its LIMIT keeps SQLite from copying
 * each expression into every place the line uses it); `from` is the rest of the inner query (FROM ... LIMIT).
 */
export function recordLinesSql(options: OutputOptions, line: LineFormat, from: string): string {
  const columns = recordColumns(options)
  const {separator, special, quote} = DELIMITED[line.format]
  const kinds = new Map(CUSTOMER_FIELDS.map((spec) => [spec.name, spec.kind]))
  const cells = columns.map(([key]) => {
    // Money is written as a decimal number and integers are numbers: neither needs anything done.
    const kind = kinds.get(key)
    if (kind === 'money' || kind === 'integer') return `coalesce(${key}, '')`
    return `CASE WHEN glob(${FORMULA_START}, ${key}) THEN ${line.cellFunction}(${key}) WHEN glob(${special}, ${key}) THEN ${quote(key)} ELSE coalesce(${key}, '') END`
  })
  return `SELECT CAST(concat_ws(${separator}, ${cells.join(', ')}) AS BLOB)
    FROM (SELECT ${columns.map(([key, sql]) => `${sql} AS ${key}`).join(',\n  ')} ${from}) LIMIT -1`
}

/** Every ASCII digit of a text expression replaced by '*'. */
function digitsHidden(x: string): string {
  let sql = x
  for (let digit = 0; digit <= 9; digit++) sql = `replace(${sql}, '${digit}', '*')`
  return sql
}
