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
  return `${head > 0 ? `substr(${x}, 1, ${head}) || ` : ''}${someStars(`length(${x}) - ${head + tail}`)}${
    tail > 0
      ? `
    || substr(${x}, -${tail})`
      : ''
  }`
}

/**
 * keepEnds of masking.ts: the first `head` and last `tail` characters, the rest as asterisks; all asterisks if too
 * short.
 */
function keepEnds(x: string, head: number, tail: number): string {
  return `CASE WHEN length(${x}) <= ${head + tail} THEN ${stars(`length(${x})`)} ELSE ${keptEnds(x, head, tail)} END`
}

/**
 * The 1-based position of the last @ (0 when there is none): what is left after trimming every other character from the
 * right.
 */
const lastAt = (x: string) => `length(rtrim(${x}, replace(${x}, '@', '')))`

/** maskEmail with the @ at position `at` (1-based). */
const emailAt = (x: string, at: string) => `substr(${x}, 1, 1) || ${someStars(`max(${at} - 2, 1)`)} || substr(${x},
  ${at})`

/** The masks of core/masking.ts, as SQL of a text column `x`. */
const SQL_MASKS: Readonly<Record<string, (x: string) => string>> = {
  // maskIdNumber; a resident ID (18 characters) at once
  id_number: (x) => `CASE WHEN length(${x}) = 18 THEN substr(${x}, 1, 6) || '********' || substr(${x}, -4)
    WHEN length(${x}) >= 14 THEN ${keptEnds(x, 6, 4)} WHEN length(${x}) >= 8 THEN ${keptEnds(x, 3, 2)}
    WHEN length(${x}) >= 5 THEN ${keptEnds(x, 1, 1)} ELSE ${stars(`length(${x})`)} END`,
  // maskPhone (a mobile at once): a landline keeps its area code (and the dash), then at most the last 4 digits
  phone: (x) => {
    const rest = `substr(${x}, instr(${x}, '-') + 1)`
    return `CASE WHEN length(${x}) = 11 AND ${x} GLOB '1*' THEN substr(${x}, 1, 3) || '****' || substr(${x}, -4)
      WHEN substr(${x}, 1, 1) = '0' AND instr(${x}, '-') > 0 THEN substr(${x}, 1, instr(${x}, '-')) ||
        ${keepEnds(rest, 0, 4)}
      WHEN length(${x}) >= 10 THEN ${keptEnds(x, 3, 4)} ELSE ${keepEnds(x, 0, 2)} END`
  },
  // maskEmail; an address has one @ (the import checks it), found by instr, else the last one is found the long way
  email: (x) => `CASE WHEN instr(${x}, '@') > 1 AND instr(substr(${x}, instr(${x}, '@') + 1), '@') = 0 THEN
    ${emailAt(x, `instr(${x}, '@')`)}
    WHEN ${lastAt(x)} <= 1 THEN ${stars(`length(${x})`)} ELSE ${emailAt(x, lastAt(x))} END`,
  // As maskBirthDate: the year kept when the text starts with one, every other digit hidden; a stored date
  // (YYYY-MM-DD, as the import writes it) is written out at once.
  birth_date: (x) => `CASE WHEN ${x} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN substr(${x}, 1, 5) ||
    '**-**'
    WHEN ${x} GLOB '[0-9][0-9][0-9][0-9][^0-9]*' OR ${x} GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN
      substr(${x}, 1, 4) || ${digitsHidden(`substr(${x}, 5)`)} ELSE ${digitsHidden(x)} END`,
}

/**
 * Fen as yuan with exactly two decimals (formatFen): the sign apart, so that the largest negative amount has no
 * overflow. One printf costs less than joining the yuan, the point and the fen with ||; printf writes 0 for a
 * missing amount, which stays missing.
 */
function money(x: string): string {
  return `CASE WHEN ${x} IS NULL THEN NULL WHEN ${x} < 0 THEN printf('-%d.%02d', -(${x} / 100), -(${x} % 100))
    ELSE printf('%d.%02d', ${x} / 100, ${x} % 100) END`
}

/**
 * A field's value as customerRecord gives it: integers as they are, money as text, personal data masked unless
 * revealed.
 */
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

/**
 * What a record's value can hold, so that the writers skip the work it cannot need:
 * - number: an integer, written as it is;
 * - plain: text with no character that JSON escapes, CSV quotes or TSV escapes, and that cannot start like a formula:
 *   money as yuan, enums (the table's CHECK constraints), dates (the import stores YYYY-MM-DD: parseDate), phones (the
 *   import stores a mobile's 11 digits or a landline 0xx-xxxxxxx: normalizePhone), the batch times (instantJson), and
 *   the masks of those (asterisks added);
 * - code: an ID number (the import stores ID_NUMBER's letters, digits, parentheses and dashes): nothing to escape in
 *   JSON, but a dash may start it;
 * - text: anything;
 * - json: the kept columns' JSON object text, stored as JSON.stringify writes it (row-validator's extrasWriter, and
 *   json_patch on update, which keeps it minified) and written as it is.
 */
export type ValueClass = 'number' | 'plain' | 'code' | 'text' | 'json'

export interface RecordColumn {
  readonly key: string
  readonly sql: string
  readonly holds: ValueClass
  /** The stored column, for the test of a delimited line (text and code only). */
  readonly column?: string
}

const FIELD_CLASS: Readonly<Record<FieldSpec['kind'], ValueClass>> = {
  integer: 'number',
  money: 'plain',
  enum: 'plain',
  date: 'plain',
  datetime: 'plain',
  phone: 'plain',
  id_number: 'code',
  email: 'text',
  text: 'text',
}

/** The record's keys, their SQL and what their values hold, in customerRecord's order. */
function recordColumns(options: OutputOptions): RecordColumn[] {
  return [
    ...CUSTOMER_FIELDS.map(
      (spec): RecordColumn => ({
        key: spec.name,
        sql: fieldSql(spec, options),
        holds: FIELD_CLASS[spec.kind],
        column: `c.${columnFor(spec.name)}`,
      }),
    ),
    // Kept columns are masked by what their values look like, in JS (masking.ts's maskedExtrasJson, registered as
    // crm_masked_extras): the one definition of a lookalike, which gives null for the many rows it leaves as they are.
    // Its first test of the text costs less than SQL's GLOBs for the same (docs/performance.md).
    {
      key: 'extra',
      sql: options.reveal ? 'c.extra' : 'coalesce(crm_masked_extras(c.extra, c.customer_id), c.extra)',
      holds: 'json',
    },
    {key: 'created_at', sql: 'cb.at', holds: 'plain'},
    {key: 'updated_at', sql: 'ub.at', holds: 'plain'},
  ]
}

/**
 * Where the written records come from: a customer and the times of the batches that created and last updated it,
 * converted once per batch (SQLite's 'localtime' per row costs more than the rest of the record together).
 */
export const RECORD_JOINS =
  'LEFT JOIN batch_times cb ON cb.id = c.created_batch_id LEFT JOIN batch_times ub ON ub.id = c.updated_batch_id'
export const RECORD_FROM = `FROM customers c ${RECORD_JOINS}`

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
    || CASE WHEN ${offset} < 0 THEN '-' ELSE '+' END || printf('%02d:%02d', abs(${offset}) / 60, abs(${offset}) % 60)
      END`
}

/**
 * A free text (`sql`, a contact's notes or outcome) as output shows it: each ID number, phone or e-mail address in it
 * masked by maskLookalike (registered as crm_masked_text, which gives null for a text it leaves as it is). Its own
 * first test (one scan for a digit, an @ or a character that reads as one) costs less than SQL's GLOB for the same
 * characters (docs/performance.md).
 */
export function maskedTextSql(sql: string): string {
  return `CASE WHEN ${sql} IS NOT NULL THEN coalesce(crm_masked_text(${sql}), ${sql}) END`
}

/** The keys of a customer's record, in order (customer-views' CUSTOMER_KEYS). */
export const RECORD_KEYS: readonly string[] = recordColumns({reveal: true}).map(({key}) => key)

/** A value as JSON: plain text needs only its quotes, which costs less than json_quote; null when missing. */
function jsonValue({sql, holds}: RecordColumn): string {
  switch (holds) {
    case 'number':
      return `coalesce(${sql}, 'null')`
    case 'plain':
    case 'code':
      return `coalesce('"' || ${sql} || '"', 'null')`
    case 'json':
      return sql
    case 'text':
      return `json_quote(${sql})`
  }
}

/**
 * One column: the customer's record as JSON text, exactly JSON.stringify(customerRecord(customer, options)), as
 * UTF-8 bytes, written out as they are (no decoding into a JS string and encoding again). Joined by one concat():
 * json_object would parse the kept columns' JSON again, and || copies the line once for every piece.
 */
export function recordJsonBytesSql(options: OutputOptions): string {
  return jsonObjectBytesSql(recordColumns(options))
}

/** Any record of `columns` as JSON text in UTF-8 bytes, its keys in their order (as recordJsonBytesSql). */
export function jsonObjectBytesSql(columns: readonly RecordColumn[]): string {
  const pieces = columns.map(
    (column, i) => `'${i === 0 ? '{' : ','}${JSON.stringify(column.key)}:', ${jsonValue(column)}`,
  )
  return `CAST(concat(${pieces.join(',\n  ')}, '}') AS BLOB)`
}

/** How a delimited line is written: CSV or TSV, and the SQL function that writes a cell the way the writer does. */
export interface LineFormat {
  readonly format: 'csv' | 'tsv'
  /**
   * A function registered on the connection: the writer's own code for a cell (neutralise, then csvCell or tsvCell).
   */
  readonly cellFunction: string
}

// A cell that could start a formula (after apostrophes, which neutralise counts too) is written by the writer's own
// function; it is rare. GLOB classes are written with char(): ' doubled, and - last is a plain character there.
const FORMULA_CHARACTERS = `'[''=+@' || char(9, 13) || '-]'`
/**
 * Whether a text holds a NUL (a scheme's label can: YAML writes "\0"): GLOB reads a text only up to one, so such a
 * cell is written by the writer's own function; instr reads the whole text.
 */
const HOLDS_NUL = (x: string) => `instr(${x}, char(0)) > 0`
/** A GLOB class of the special characters (each a SQL text of one character). */
const specialClass = (specials: readonly string[]) => `'[' || ${specials.join(' || ')} || ']'`

/**
 * csvCell and tsvCell: a CSV cell holding a quote, comma or line break is quoted; TSV escapes tab, line breaks and
 * backslash. `json` writes the kept columns' JSON object text: it starts with {, holds no raw control character, and
 * holds a quote unless it is {} (masked or not: the stored text is tested, so that the masks are not taken twice).
 */
const DELIMITED = {
  csv: {
    separator: "','",
    specials: [`'"'`, "','", 'char(10)', 'char(13)'],
    quote: (x: string) => `'"' || replace(${x}, '"', '""') ||
      '"'`,
    json: (x: string) => `CASE WHEN c.extra = '{}' THEN '{}' ELSE '"' || replace(${x}, '"', '""') || '"' END`,
  },
  tsv: {
    separator: 'char(9)',
    specials: ["'\\'", 'char(9)', 'char(10)', 'char(13)'],
    quote: (x: string) => `replace(replace(replace(replace(${x}, '\\', '\\\\'), char(9), '\\t'), char(10), '\\n'),
      char(13), '\\r')`,
    json: (x: string) => `replace(${x}, '\\', '\\\\')`,
  },
}

/**
 * One column: the customer's record as a CSV or TSV line (without the line end), as UTF-8 bytes: the cells
 * customerRecord gives, written as the row writer writes them. `checked` names the column of recordCheckedSql,
 * selected by the query the line is written over (delimitedLineSql).
 */
export function recordLineSql(options: OutputOptions, line: LineFormat, checked: string): string {
  return delimitedLineSql(recordColumns(options), line, checked)
}

/** The text of a customer's record that delimitedLineSql tests (checkedTextSql), over `customers c`. */
export function recordCheckedSql(): string {
  return checkedTextSql(recordColumns({reveal: true}))
}

/**
 * The stored text of the text and code columns of a line, each after a unit separator: what delimitedLineSql tests.
 * It is selected once per row by a subquery under the line (one that SQLite cannot flatten, such as one with a
 * LIMIT): written into the line's SQL it would be joined again by each of its tests.
 */
export function checkedTextSql(columns: readonly RecordColumn[]): string {
  const checked = columns.filter((c) => c.holds === 'text' || c.holds === 'code')
  return `concat_ws(char(31), '', ${checked.map((c) => c.column).join(', ')})`
}

/**
 * Any record of `columns` as a CSV or TSV line in UTF-8 bytes; `checked` is the SQL of checkedTextSql's text of the
 * same row, taken once (text and code columns name their `column` for it).
 *
 * Only text and code cells can need neutralising, quoting or escaping, and few rows have such a cell: their stored
 * text, each after a unit separator, is tested once, and a line with no special character and no separator followed
 * by a formula character is joined as it is, with no test per cell. A mask only turns characters into asterisks and
 * keeps the first one or none, so testing the stored text finds every cell whose masked text needs the writer (and
 * perhaps a few more, which the tests per cell then write as they are). Each special character is sought on its own:
 * a GLOB of one character skips to it at once, where a GLOB of a class tries the class at every character. Each
 * value's SQL is written in both branches and only one runs: a subquery to take the values once costs more than the
 * rare rows that take the second branch.
 */
export function delimitedLineSql(columns: readonly RecordColumn[], line: LineFormat, checked: string): string {
  const {separator, specials, quote, json} = DELIMITED[line.format]
  const cells = (careful: boolean) =>
    columns.map(({sql, holds}) => {
      if (holds === 'json') return json(sql)
      if (!careful || (holds !== 'text' && holds !== 'code')) return `coalesce(${sql}, '')`
      return `CASE WHEN glob(${FORMULA_CHARACTERS} || '*', ${sql})
        OR ${HOLDS_NUL(sql)} THEN ${line.cellFunction}(${sql})
      WHEN glob('*' || ${specialClass(specials)} || '*', ${sql}) THEN ${quote(sql)} ELSE coalesce(${sql}, '') END`
    })
  const needsCare = [
    ...specials.map((c) => `glob('*' || ${c} || '*', ${checked})`),
    `glob('*' || char(31) || ${FORMULA_CHARACTERS} || '*', ${checked})`,
    HOLDS_NUL(checked),
  ].join(' OR ')
  return `CAST(CASE WHEN ${needsCare} THEN concat_ws(${separator}, ${cells(true).join(', ')})
    ELSE concat_ws(${separator}, ${cells(false).join(',\n  ')}) END AS BLOB)`
}

/** Every ASCII digit of a text expression replaced by '*'. */
function digitsHidden(x: string): string {
  let sql = x
  for (let digit = 0; digit <= 9; digit++) sql = `replace(${sql}, '${digit}', '*')`
  return sql
}
