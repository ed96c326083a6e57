import type {ColumnPlan} from './column-plan.js'
import {parseDate, parseDateTime} from './dates.js'
import {CUSTOMER_FIELDS, type FieldSpec, fieldSpec} from './fields.js'
import {unneutraliseCells} from './formula-cells.js'
import {checkResidentId, checkUscc, inferIdType, normalizePhone} from './identifiers.js'
import {type Fen, formatFen, parseFen} from './money.js'

export type FieldValue = string | number | bigint | null
export interface RowIssue {
  readonly field: string
  readonly reason: string
}
/** A row that passed: values line up with plan.fields; extra is the kept columns as a JSON object. */
export interface ValidRow {
  readonly values: FieldValue[]
  readonly extra: string
  readonly warnings?: readonly RowIssue[]
}
export type RowResult = ValidRow | {readonly issues: readonly RowIssue[]}

type Parsed = FieldValue | {error: string}
const INTEGER = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const MAX_INTEGER = 2_147_483_647

function parseInteger(text: string): Parsed {
  const m = INTEGER.exec(text)
  if (m === null) return {error: text.trim().startsWith('-') ? `${text} is negative: it must be 0 or more` : `"${text}" is not a whole number`}
  const n = Number(m[1].includes(',') ? m[1].replaceAll(',', '') : m[1])
  return n > MAX_INTEGER ? {error: `${text} is too large`} : n
}

/** The largest amount SQLite stores as an integer: 2^63 - 1 fen, about 92 quadrillion yuan. */
const MAX_FEN = 2n ** 63n - 1n

function parseMoney(text: string, signed: boolean): Parsed {
  const fen: Fen | {error: string} = parseFen(text)
  if (typeof fen === 'object') return fen
  if (!signed && fen < 0) return {error: `${text} is negative: this amount must be 0 or more`}
  if (typeof fen === 'bigint' && (fen > MAX_FEN || fen < -MAX_FEN)) {
    return {error: `${text} is too large to store (at most ${formatFen(MAX_FEN, {separators: true})}): check the column's unit`}
  }
  return fen
}

/** An enum's parser: its spellings are looked up as written first, so only other casings pay for lower-casing. */
function enumParser(spec: FieldSpec): (text: string) => Parsed {
  const spellings = new Map(Object.entries(spec.values ?? {}))
  return (text) => {
    const value = spellings.get(text) ?? spellings.get(text.toLowerCase())
    if (value !== undefined) return value
    const canonical = [...new Set(spellings.values())]
    return {error: `"${text}" is not a ${spec.name} (use ${canonical.join(', ')} or a Chinese name such as ${[...spellings.keys()].find((k) => /[^\x00-\x7F]/.test(k)) ?? ''})`}
  }
}

/** A parser for one field's cell text (already trimmed and non-empty). */
function valueParser(spec: FieldSpec): (text: string) => Parsed {
  switch (spec.kind) {
    case 'money': return (t) => parseMoney(t, spec.signed === true)
    case 'integer': return parseInteger
    case 'date': return parseDate
    case 'datetime': return parseDateTime
    case 'enum': return enumParser(spec)
    case 'email': return (t) => EMAIL.test(t) ? t : {error: `"${t}" is not an e-mail address`}
    case 'phone': return (t) => {
      const p = normalizePhone(t)
      return typeof p === 'string' ? p : {error: p.reason}
    }
    case 'id_number': return (t) => /^[0-9A-Za-z()\-]{1,40}$/.test(t) ? t.toUpperCase() : {error: `"${t}" is not an ID number (letters and digits only)`}
    default: return (t) => t
  }
}

/** A check across a row's values once each field has parsed: issues reject the row, warnings do not. */
export type RowCheck = (values: FieldValue[]) => {issues?: RowIssue[]; warnings?: RowIssue[]} | undefined

/** Builds a function that checks one row of cells against the plan, returning typed values or every problem found. */
export function rowValidator(plan: ColumnPlan, fields: readonly FieldSpec[], check?: RowCheck): (cells: readonly string[]) => RowResult {
  // Everything about a field that the loop needs, looked up once rather than for every row.
  const specs = plan.fields.map((f) => fieldSpec(f.field, fields) as FieldSpec)
  const parsers = specs.map(valueParser)
  const columns = plan.fields.map((f) => f.column ?? -1)
  const fallbacks = plan.fields.map((f) => f.fallback ?? '')
  const trimmed = specs.map((spec) => spec.verbatim !== true)
  const columnCount = plan.headers.length
  const extraJson = extrasWriter(plan)

  return (raw) => {
    // A cell crm neutralised in an export or reject file ('=1+2) reads back as it was (=1+2).
    const cells = unneutraliseCells(raw)
    if (cells.length !== columnCount && !onlyEmptyBeyond(cells, columnCount)) {
      return {issues: [{field: '-', reason: `the row has ${cells.length} columns but the header has ${columnCount}`}]}
    }
    let issues: RowIssue[] | undefined
    const values: FieldValue[] = new Array(specs.length)
    for (let i = 0; i < specs.length; i++) {
      const column = columns[i]
      const cell = column < 0 ? '' : (cells[column] ?? '')
      let text = trimmed[i] ? cell.trim() : cell
      if (text === '') text = fallbacks[i]
      if (text === '') {
        if (specs[i].required) (issues ??= []).push({field: specs[i].name, reason: `${specs[i].name} is empty`})
        values[i] = null
        continue
      }
      const parsed = parsers[i](text)
      if (parsed !== null && typeof parsed === 'object') (issues ??= []).push({field: specs[i].name, reason: parsed.error})
      else values[i] = parsed
    }
    const extra = check?.(values)
    if (extra?.issues) (issues ??= []).push(...extra.issues)
    if (issues !== undefined) return {issues}
    return {values, extra: extraJson(cells), warnings: extra?.warnings}
  }
}

/** Customers: an ID type is inferred when absent, and resident IDs and USCCs must have the right check character. */
export function customerRowValidator(plan: ColumnPlan, fields: readonly FieldSpec[] = CUSTOMER_FIELDS): (cells: readonly string[]) => RowResult {
  const at = (name: string) => plan.fields.findIndex((f) => f.field === name)
  const idTypeDerived = plan.fields.some((f) => f.field === 'id_type' && f.derived === true)
  const [idNumberAt, idTypeAt, typeAt] = [at('id_number'), at('id_type'), at('type')]
  return rowValidator(plan, fields, (values) => {
    if (idNumberAt < 0 || values[idNumberAt] === null) return undefined
    const idNumber = values[idNumberAt] as string
    const customerType = typeAt >= 0 ? (values[typeAt] as string | null) : null
    if (idTypeDerived || values[idTypeAt] === null) values[idTypeAt] = inferIdType(idNumber, customerType)
    const result = values[idTypeAt] === 'resident_id' ? checkResidentId(idNumber) : values[idTypeAt] === 'uscc' ? checkUscc(idNumber) : {ok: true as const}
    if (!result.ok) return {issues: [{field: 'id_number', reason: result.reason}]}
    return result.warning ? {warnings: [{field: 'id_number', reason: result.warning}]} : undefined
  })
}

function onlyEmptyBeyond(cells: readonly string[], count: number): boolean {
  if (cells.length < count) return false
  for (let i = count; i < cells.length; i++) if (cells[i].trim() !== '') return false
  return true
}

/** Characters that JSON.stringify escapes in a string (lone surrogates included). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/**
 * The kept columns of a row as minified JSON object text, keys in the file's order and each string as
 * JSON.stringify writes it (the writer compares it with what is stored). Joining pieces is several times faster
 * than building an object per row and stringifying it.
 */
function extrasWriter(plan: ColumnPlan): (cells: readonly string[]) => string {
  if (plan.extras.length === 0) return () => '{}'
  // Column names are made distinct by planColumns, so no key is written twice.
  const keys = plan.extras.map(({name}, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`)
  const columns = plan.extras.map(({column}) => column)
  const quoted = (text: string) => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`)
  return (cells) => {
    let json = ''
    for (let i = 0; i < columns.length; i++) json += keys[i] + quoted(cells[columns[i]] ?? '')
    return `${json}}`
  }
}
