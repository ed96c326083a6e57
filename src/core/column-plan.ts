import {ExitCode, UserError} from '../errors.js'
import {cutList, cutText} from './cut-text.js'
import {CUSTOMER_FIELDS, type FieldSpec, headerIndex, fieldSpec, normalizeHeader} from './fields.js'
import type {DateFormat} from './dates.js'
import {en} from './messages.js'
import {closestMatch} from './suggest.js'

/** What a mapping file or --map flags say: source column -> field, and values for fields the file lacks. */
export interface ColumnMapping {
  readonly columns: Readonly<Record<string, string>>
  readonly defaults: Readonly<Record<string, string>>
  /** The source columns given on the command line (--map): a mistake in one is a usage error. */
  readonly typed?: readonly string[]
}

export type ImportMode = 'upsert' | 'insert' | 'update-only'

/** A carried field: read from a column, or a constant default, or derived from other fields (id_type). */
export interface PlannedField {
  readonly field: string
  readonly column: number | null
  readonly fallback?: string
  readonly derived?: boolean
}

export interface ColumnPlan {
  readonly headers: readonly string[]
  readonly fields: readonly PlannedField[]
  readonly extras: readonly {readonly column: number; readonly name: string}[]
  /** Columns that matched no field: kept with each customer as extra data. */
  readonly unknownColumns: readonly string[]
  /** Columns the mapping drops ("-"), by position. */
  readonly dropped?: readonly number[]
  /** In a file crm exported (customer export), the "extra" column: the kept columns as a JSON object, kept again. */
  readonly extraJson?: number
  /** Files banks send: --date-format, how to read dates with the year last or of six digits. */
  readonly dateFormat?: DateFormat
}

/** The columns customer export adds after the fields: the kept columns as JSON, and crm's own timestamps. */
export const EXPORT_COLUMNS = ['extra', 'created_at', 'updated_at'] as const

/** Columns crm itself adds to a reject file; ignored when that file is imported again. */
export const REJECT_COLUMNS = ['reject_line', 'reject_field', 'reject_reason'] as const

const REJECT_KEYS = new Set<string>(REJECT_COLUMNS.map(normalizeHeader))

export const EMPTY_MAPPING: ColumnMapping = {columns: {}, defaults: {}}

/** A mapping target that keeps a column as an extra under another name: "extra:NewName". */
export const EXTRA_TARGET = 'extra:'

/** Whether a mapping key is a glob (`Naive_Bayes_*`): `*` stands for any run of characters. */
const isGlob = (source: string) => source.includes('*')

/** A glob's test of a header, compared as headers are (normalizeHeader). */
function globTest(source: string): (header: string) => boolean {
  const pattern = normalizeHeader(source)
    .split('*')
    .map((part) => part.replace(/[\\^$.+?()[\]{}|]/g, '\\$&'))
    .join('.*')
  const re = new RegExp(`^${pattern}$`, 'u')
  return (header) => re.test(normalizeHeader(header))
}

/**
 * The mapping's columns keyed by normalized header: exact keys as given, each glob as every header it matches
 * (an exact key wins over a glob, an earlier glob over a later one).
 */
function explicitColumns(headers: readonly string[], columns: Readonly<Record<string, string>>): Map<string, string> {
  const explicit = new Map<string, string>()
  for (const [source, field] of Object.entries(columns))
    if (!isGlob(source)) explicit.set(normalizeHeader(source), field)
  for (const [source, field] of Object.entries(columns)) {
    if (!isGlob(source)) continue
    const test = globTest(source)
    for (const header of headers)
      if (test(header) && !explicit.has(normalizeHeader(header))) explicit.set(normalizeHeader(header), field)
  }
  return explicit
}

/** Matches a file's header to the canonical fields. Throws a UserError naming what to fix. */
export function planColumns(
  headers: readonly string[],
  mapping: ColumnMapping,
  mode: ImportMode,
  fields: readonly FieldSpec[] = CUSTOMER_FIELDS,
): ColumnPlan {
  checkMappingTargets(mapping, fields)
  const explicit = explicitColumns(headers, mapping.columns)
  const seen = new Set<string>()
  for (const [source, field] of Object.entries(mapping.columns)) {
    // Dropping a column the file lacks is harmless: one mapping then serves a family of exports.
    if (field === '-') continue
    const found = isGlob(source)
      ? headers.some(globTest(source))
      : headers.some((h) => normalizeHeader(h) === normalizeHeader(source))
    if (!found) {
      const near = closestMatch(source, headers)
      throw new UserError(
        `the mapping names column "${cutText(source)}", which is not in the file's header`,
        ExitCode.BadInput,
        near ? `did you mean "${cutText(near)}"?` : `the header has: ${cutList(headers)}`,
      )
    }
  }
  const planned: PlannedField[] = []
  const extras: {column: number; name: string}[] = []
  const dropped: number[] = []
  const byField = new Map<string, string>()
  const named = namedFields(headers, explicit, fields)
  const fieldOf = headerIndex(fields)
  // A customer export read back: its extra column holds the kept columns, its timestamps are crm's to set.
  const exported =
    fields === CUSTOMER_FIELDS &&
    EXPORT_COLUMNS.every((c) => headers.some((h) => h.replace(/^\uFEFF/, '').trim() === c) && !explicit.has(c))
  let extraJson: number | undefined
  headers.forEach((raw, column) => {
    const header = raw.replace(/^\uFEFF/, '').trim()
    const key = normalizeHeader(header)
    if (REJECT_KEYS.has(key)) return
    if (exported && (EXPORT_COLUMNS as readonly string[]).includes(header)) {
      if (header === 'extra') extraJson = column
      return
    }
    let field = explicit.get(key) ?? fieldOf.get(key)
    // A column that names a field exactly wins over one that is only an alias of it (contact export's "id" beside its
    // "customer_id"): the alias column is then an unknown column, as any other.
    if (field !== undefined && !explicit.has(key) && key !== normalizeHeader(field) && named.has(field))
      field = undefined
    if (field === undefined || field === '-' || field.startsWith(EXTRA_TARGET)) {
      const renamed = field?.startsWith(EXTRA_TARGET) ? field.slice(EXTRA_TARGET.length).trim() : undefined
      let name = renamed ?? (header === '' ? `column_${column + 1}` : header)
      while (seen.has(name)) name = `${name}_${column + 1}`
      seen.add(name)
      if (field === '-') dropped.push(column)
      else extras.push({column, name})
      return
    }
    const earlier = byField.get(field)
    if (earlier !== undefined) {
      throw new UserError(
        `columns "${cutText(earlier)}" and "${cutText(header)}" both mean the field ${field}`,
        ExitCode.BadInput,
        `choose one with --map "${cutText(header) === header ? header : 'Column'}=-" (ignore it) or map it to ` +
          `another field`,
      )
    }
    byField.set(field, header)
    planned.push({field, column, fallback: mapping.defaults[field]})
  })
  for (const [field, value] of Object.entries(mapping.defaults)) {
    if (!byField.has(field)) planned.push({field, column: null, fallback: value})
  }
  if (
    planned.some((f) => f.field === 'id_number') &&
    fields.some((f) => f.name === 'id_type') &&
    !planned.some((f) => f.field === 'id_type')
  ) {
    planned.push({field: 'id_type', column: null, derived: true})
  }
  // A contact's offset may come with its time (2026-11-29T18:00:04+08:00): the field is carried whether or not a column
  // holds it.
  if (
    planned.some((f) => f.field === 'at') &&
    fields.some((f) => f.name === 'utc_offset') &&
    !planned.some((f) => f.field === 'utc_offset')
  ) {
    planned.push({field: 'utc_offset', column: null, derived: true})
  }
  checkRequired(planned, mode, headers, fields)
  // Order carried fields as the schema does, so values line up with the field list.
  const order = fields.map((f) => f.name)
  planned.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field))
  return {headers, fields: planned, extras, unknownColumns: extras.map((e) => e.name), dropped, extraJson}
}

// Files banks send: a file without an id column.
/** The header of the column that carries a field (by its name, an alias or the mapping), if one does. */
export function columnFor(
  headers: readonly string[],
  mapping: ColumnMapping,
  field: string,
  fields: readonly FieldSpec[] = CUSTOMER_FIELDS,
): string | undefined {
  const explicit = explicitColumns(headers, mapping.columns)
  const fieldOf = headerIndex(fields)
  return headers.find((h) => (explicit.get(normalizeHeader(h)) ?? fieldOf.get(normalizeHeader(h))) === field)
}

/** A customer file without a customer_id column: the choice of --id-from or --id-prefix, with an example. */
function noIdColumn(headers: readonly string[]): UserError {
  const example = headers
    .slice(0, 3)
    .map((h) => cutText(h.replace(/^\uFEFF/, '').trim(), 30))
    .join(',')
  return new UserError(
    en('noIdColumn', {header: cutList(headers) || '(empty)'}),
    ExitCode.BadInput,
    en('noIdColumnChoice', {example}),
  )
}
// End of files banks send.

/** The fields a column names exactly (its header is the field's name), not through --map or a mapping file. */
function namedFields(
  headers: readonly string[],
  explicit: ReadonlyMap<string, string>,
  fields: readonly FieldSpec[],
): Set<string> {
  const names = new Set<string>()
  for (const raw of headers) {
    const key = normalizeHeader(raw)
    if (explicit.has(key)) continue
    const field = fields.find((f) => normalizeHeader(f.name) === key)
    if (field !== undefined) names.add(field.name)
  }
  return names
}

function checkMappingTargets(mapping: ColumnMapping, fields: readonly FieldSpec[]): void {
  const names = fields.map((f) => f.name)
  // classify check reads customer rows with every field optional: a copy of CUSTOMER_FIELDS, still customer fields.
  const kind = fields.some((f) => f.name === 'channel') ? 'contact' : 'customer'
  for (const [source, field] of Object.entries(mapping.columns)) {
    if (field.startsWith(EXTRA_TARGET)) {
      const name = field.slice(EXTRA_TARGET.length).trim()
      if (name === '' || names.includes(name)) {
        throw new UserError(
          `${mapping.typed?.includes(source) ? '--map' : 'the mapping'} keeps "${cutText(source)}" as ` +
            `"${cutText(field)}", ${name === '' ? 'which names no column' : `but ${name} is a ${kind} field`}`,
          mapping.typed?.includes(source) ? ExitCode.Usage : ExitCode.BadInput,
          name === '' ? 'write "extra:NewName"' : `map it to ${name} itself, or choose another name`,
        )
      }
      continue
    }
    if (field !== '-' && !names.includes(field)) {
      const near = closestMatch(field, names)
      const typed = mapping.typed?.includes(source)
      throw new UserError(
        `${typed ? '--map' : 'the mapping'} sends "${cutText(source)}" to "${cutText(field)}", which is not a ` +
          `${kind} field`,
        typed ? ExitCode.Usage : ExitCode.BadInput,
        near ? `did you mean "${near}"? (use "-" to ignore a column)` : `fields are: ${names.join(', ')}`,
      )
    }
  }
  for (const field of Object.keys(mapping.defaults)) {
    if (!names.includes(field))
      throw new UserError(`the mapping gives a default for "${field}", which is not a ${kind} field`, ExitCode.BadInput)
  }
}

function checkRequired(
  planned: readonly PlannedField[],
  mode: ImportMode,
  headers: readonly string[],
  fields: readonly FieldSpec[],
): void {
  const required = fields.filter((f) => f.required && (mode !== 'update-only' || f.name === 'customer_id'))
  const missing = required.filter((f) => !planned.some((p) => p.field === f.name)).map((f) => f.name)
  if (missing.length === 0) return
  if (fields === CUSTOMER_FIELDS && missing.includes('customer_id')) throw noIdColumn(headers)
  const examples = missing
    .map((name) => `${name} (${fieldSpec(name, fields)?.aliases.slice(0, 2).join(', ')})`)
    .join('; ')
  throw new UserError(
    `the file has no column for the required field${missing.length > 1 ? 's' : ''} ${examples}`,
    ExitCode.BadInput,
    `the header is: ${cutList(headers) || '(empty)'}. Rename a column, map one with --map "Column=${missing[0]}", ` +
      (mode === 'update-only' || missing.includes('customer_id') || fields !== CUSTOMER_FIELDS
        ? 'or give a default in a --mapping file'
        : 'give a default in a --mapping file, or use --mode update-only to update existing customers'),
  )
}
