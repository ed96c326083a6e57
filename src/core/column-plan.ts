import {ExitCode, UserError} from '../errors.js'
import {CUSTOMER_FIELDS, FIELD_NAMES, fieldForHeader, fieldSpec, normalizeHeader} from './fields.js'
import {closestMatch} from './suggest.js'

/** What a mapping file or --map flags say: source column -> field, and values for fields the file lacks. */
export interface ColumnMapping {
  readonly columns: Readonly<Record<string, string>>
  readonly defaults: Readonly<Record<string, string>>
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
}

/** Columns crm itself adds to a reject file; ignored when that file is imported again. */
export const REJECT_COLUMNS = ['reject_line', 'reject_field', 'reject_reason'] as const

const REJECT_KEYS = new Set<string>(REJECT_COLUMNS.map(normalizeHeader))

export const EMPTY_MAPPING: ColumnMapping = {columns: {}, defaults: {}}

/** Matches a file's header to the canonical fields. Throws a UserError naming what to fix. */
export function planColumns(headers: readonly string[], mapping: ColumnMapping, mode: ImportMode): ColumnPlan {
  checkMappingTargets(mapping)
  const explicit = new Map(Object.entries(mapping.columns).map(([source, field]) => [normalizeHeader(source), field]))
  const seen = new Set<string>()
  for (const source of Object.keys(mapping.columns)) {
    if (!headers.some((h) => normalizeHeader(h) === normalizeHeader(source))) {
      const near = closestMatch(source, headers)
      throw new UserError(`the mapping names column "${source}", which is not in the file's header`, ExitCode.BadInput,
        near ? `did you mean "${near}"?` : `the header has: ${headers.join(', ')}`)
    }
  }
  const fields: PlannedField[] = []
  const extras: {column: number; name: string}[] = []
  const byField = new Map<string, string>()
  headers.forEach((raw, column) => {
    const header = raw.replace(/^\uFEFF/, '').trim()
    const key = normalizeHeader(header)
    if (REJECT_KEYS.has(key)) return
    const field = explicit.get(key) ?? fieldForHeader(header)
    if (field === undefined || field === '-') {
      let name = header === '' ? `column_${column + 1}` : header
      while (seen.has(name)) name = `${name}_${column + 1}`
      seen.add(name)
      if (field === undefined) extras.push({column, name})
      return
    }
    const earlier = byField.get(field)
    if (earlier !== undefined) {
      throw new UserError(`columns "${earlier}" and "${header}" both mean the field ${field}`, ExitCode.BadInput,
        `choose one with --map "${header}=-" (ignore it) or map it to another field`)
    }
    byField.set(field, header)
    fields.push({field, column, fallback: mapping.defaults[field]})
  })
  for (const [field, value] of Object.entries(mapping.defaults)) {
    if (!byField.has(field)) fields.push({field, column: null, fallback: value})
  }
  if (fields.some((f) => f.field === 'id_number') && !fields.some((f) => f.field === 'id_type')) {
    fields.push({field: 'id_type', column: null, derived: true})
  }
  checkRequired(fields, mode, headers)
  // Order carried fields as the schema does, so values line up with CUSTOMER_FIELDS.
  fields.sort((a, b) => FIELD_NAMES.indexOf(a.field) - FIELD_NAMES.indexOf(b.field))
  return {headers, fields, extras, unknownColumns: extras.map((e) => e.name)}
}

function checkMappingTargets(mapping: ColumnMapping): void {
  for (const [source, field] of Object.entries(mapping.columns)) {
    if (field !== '-' && fieldSpec(field) === undefined) {
      const near = closestMatch(field, FIELD_NAMES)
      throw new UserError(`the mapping sends "${source}" to "${field}", which is not a customer field`, ExitCode.BadInput,
        near ? `did you mean "${near}"? (use "-" to ignore a column)` : `fields are: ${FIELD_NAMES.join(', ')}`)
    }
  }
  for (const field of Object.keys(mapping.defaults)) {
    if (fieldSpec(field) === undefined) throw new UserError(`the mapping gives a default for "${field}", which is not a customer field`, ExitCode.BadInput)
  }
}

function checkRequired(fields: readonly PlannedField[], mode: ImportMode, headers: readonly string[]): void {
  const required = CUSTOMER_FIELDS.filter((f) => f.required && (mode !== 'update-only' || f.name === 'customer_id'))
  const missing = required.filter((f) => !fields.some((p) => p.field === f.name)).map((f) => f.name)
  if (missing.length === 0) return
  const examples = missing.map((name) => `${name} (${fieldSpec(name)?.aliases.slice(0, 2).join(', ')})`).join('; ')
  throw new UserError(`the file has no column for the required field${missing.length > 1 ? 's' : ''} ${examples}`, ExitCode.BadInput,
    `the header is: ${headers.join(', ') || '(empty)'}. Rename a column, map one with --map "Column=${missing[0]}", ` +
    (mode === 'update-only' ? 'or give a default in a --mapping file' : 'give a default in a --mapping file, or use --mode update-only to update existing customers'))
}
