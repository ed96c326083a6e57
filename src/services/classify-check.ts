import {classifyPortfolio, type MissingInput, NO_TIER, needsPortfolio, nullTally, type PortfolioRow, reasonFor, selects, tierOf} from '../core/classify.js'
import {type ColumnMapping, EXTRA_TARGET, planColumns} from '../core/column-plan.js'
import {OPTIONAL_CUSTOMER_FIELDS} from '../core/fields.js'
import {maskExtras, maskField, maskLookalike, PERSONAL_FIELDS, personalText} from '../core/masking.js'
import {customerRowValidator} from '../core/row-validator.js'
import type {Row, Value} from '../core/rules/compile.js'
import {checkKeptColumns, keptColumnsRead, type UnseenValue, ValueCensus} from '../core/schemes/data-checks.js'
import {rowValues} from '../core/schemes/inputs.js'
import {CONTACT_INPUTS, type CompiledScheme} from '../core/schemes/scheme.js'
import {RecordSource, type SourceOptions} from '../io/source.js'

/** One input row with its tier: its own cells (after its line number when there is no customer_id), tier and reason. */
export type CheckedRow = string[]

export interface CheckCounts {
  read: number
  classified: number
  notApplicable: number
  invalid: number
  /** Inputs the scheme reads that are unknown for a fifth or more of the rows classified (after the last row). */
  missing: readonly MissingInput[]
  /** Written values that no valid row holds in the column they are compared with (Card_Category = 'blue'). */
  unseen: UnseenValue[]
}

interface Pending {
  readonly cells: string[]
  readonly key: string
  readonly values: Value[] | null
  readonly problem: string | null
  /** A row invalid only for its kept columns still shows what its other columns hold (ValueCensus). */
  readonly read?: Value[]
}

/**
 * Classifies the rows of a file or stdin without a database: `emit` gets each batch as soon as its tiers are
 * known (at once, or after the last row for schemes with portfolio measures, which need every row first). The
 * row's personal columns and the personal values in reasons are masked unless `reveal`.
 */
export async function checkRows(compiled: CompiledScheme, file: string, mapping: ColumnMapping, source: SourceOptions, reveal: boolean,
  start: (columns: string[], idColumn: string) => void, emit: (rows: CheckedRow[]) => void | Promise<void>): Promise<CheckCounts> {
  const input = RecordSource.open(file, source)
  const counts: CheckCounts = {read: 0, classified: 0, notApplicable: 0, invalid: 0, missing: [], unseen: []}
  const tally = nullTally(compiled)
  const census = new ValueCensus(compiled)
  const whole = needsPortfolio(compiled)
  const held: Pending[] = []
  // With portfolio measures, rows wait for the last one and come out in input order: a number is a held row.
  const ordered: (CheckedRow | number)[] = []
  const tierIds = compiled.scheme.tiers.map((t) => t.id)
  const row: Row = {values: [], index: 0}
  const finish = (p: Pending, tier: number | 'invalid' | 'skip', reason: string): CheckedRow => {
    const id = tier === 'invalid' || tier === 'skip' || tier === NO_TIER ? '' : tierIds[tier]
    if (tier === 'invalid') counts.invalid++
    else if (tier === 'skip') counts.notApplicable++
    else counts.classified++
    p.cells.push(id, personalText(reason, reveal))
    return p.cells
  }
  const notApplicable = `not applicable: ${[compiled.scheme.appliesTo, compiled.where?.text].filter(Boolean).join(' and ')} does not hold`
  let prepared: ReturnType<typeof preparer> | undefined
  for await (const batch of input.batches()) {
    if (prepared === undefined) {
      prepared = preparer(compiled, input.header, mapping, reveal)
      start(prepared.columns, prepared.idColumn)
    }
    const {prepare, unreadable} = prepared
    const out: (CheckedRow | number)[] = []
    for (const record of batch) {
      counts.read++
      const p = record.problem === undefined ? prepare(record.cells, record.line) : unreadable(record.cells, record.line, record.problem)
      if (p.values === null) {
        if (p.read !== undefined && !census.empty) census.add(p.read)
        out.push(finish(p, 'invalid', `invalid: ${p.problem}`))
        continue
      }
      row.values = p.values
      if (!census.empty) census.add(p.values)
      if (!selects(compiled, row)) {
        out.push(finish(p, 'skip', notApplicable))
        continue
      }
      tally.add(p.values)
      if (whole) {
        out.push(held.length)
        held.push(p)
      } else {
        const t = tierOf(compiled, row)
        out.push(finish(p, t, reasonFor(compiled, t, row)))
      }
    }
    if (whole) ordered.push(...out)
    else await emit(out as CheckedRow[])
  }
  if (whole) {
    const rows: PortfolioRow[] = held.map((p) => ({key: p.key, values: p.values!}))
    const result = classifyPortfolio(compiled, rows)
    const done = Array.from(result.members, (at, m) => finish(held[at], result.tiers[m], result.reasons[m]))
    await emit(ordered.map((o) => (typeof o === 'number' ? done[o] : o)))
  }
  counts.missing = tally.missing()
  counts.unseen = census.unseen(reveal)
  return counts
}

/**
 * Turns a row's cells into the scheme's inputs (through the same checks as import), keeping the row's own cells.
 * The output columns are the input's, with `line` first when it has no customer_id, then tier and reason.
 */
function preparer(compiled: CompiledScheme, header: readonly string[], mapping: ColumnMapping, reveal: boolean): {columns: string[]; idColumn: string
  prepare: (cells: string[], line: number) => Pending; unreadable: (cells: string[], line: number, problem: string) => Pending} {
  const plan = planColumns(header, contactColumns(mapping), 'update-only', OPTIONAL_CUSTOMER_FIELDS)
  const validate = customerRowValidator(plan, OPTIONAL_CUSTOMER_FIELDS)
  const fieldAt = new Map(plan.fields.map((f, i) => [f.field, i]))
  const extraAt = new Map(plan.extras.map((e) => [e.name, e.column]))
  const idAt = fieldAt.get('customer_id')
  checkKeptColumns(compiled, keptColumnsRead(compiled).filter((name) => !extraAt.has(name)), plan.extras.map((e) => e.name), true)
  // The output keeps the input's columns but those the mapping drops; a column kept under a new name is shown by it.
  const dropped = new Set(plan.dropped ?? [])
  const renamed = new Map(plan.extras.map((e) => [e.column, e.name]))
  const kept = header.flatMap((_, i) => (dropped.has(i) ? [] : [i]))
  const names = kept.map((i) => renamed.get(i) ?? (header[i].replace(/^\uFEFF/, '').trim() || `column_${i + 1}`))
  const columns = [...(idAt === undefined ? ['line'] : []), ...names, 'tier', 'reason']
  const shift = idAt === undefined ? 1 : 0
  const place = new Map(kept.map((column, i) => [column, i + shift]))
  const personal = reveal ? [] : plan.fields.flatMap((f) => (f.column !== undefined && f.column !== null && PERSONAL_FIELDS.includes(f.field) && place.has(f.column) ? [{field: f.field, at: place.get(f.column)!}] : []))
  // Columns that are no field have nothing to say what they hold: masked as customer list masks kept columns, when they look personal.
  const fieldColumns = new Set(plan.fields.map((f) => f.column))
  const lookalikes = reveal ? [] : kept.flatMap((column) => (fieldColumns.has(column) ? [] : [place.get(column)!]))
  const ownCells = (cells: string[], line: number) => {
    const own = idAt === undefined ? [String(line)] : []
    for (const i of kept) own.push(cells[i] ?? '')
    for (const {field, at} of personal) if (own[at] !== '') own[at] = maskField(field, own[at])
    for (const at of lookalikes) if (own[at] !== '') own[at] = maskKeptCell(own[at])
    return own
  }
  return {
    columns,
    idColumn: idAt === undefined ? 'line' : columns[place.get(plan.fields[idAt].column ?? 0) ?? 0],
    // A record that could not be read as a row (bytes that do not decode, a field too large) keeps what was read of it.
    unreadable: (cells, line, problem) => ({cells: ownCells(cells, line), key: '', values: null, problem}),
    prepare: (cells, line) => {
      const own = ownCells(cells, line)
      const result = validate(cells)
      if ('issues' in result) return {cells: own, key: '', values: null, problem: result.issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}
      const {values, problem} = rowValues(compiled.inputs, (name) => {
        const i = fieldAt.get(name)
        return i === undefined ? undefined : (result.values[i] as Value)
      }, (name) => {
        const column = extraAt.get(name)
        return column === undefined ? undefined : cells[column]
      })
      if (problem !== null) return {cells: own, key: '', values: null, problem, read: values}
      const id = idAt === undefined ? null : (result.values[idAt] as string | null)
      // Portfolio measures break ties by customer_id; rows without one by line number, after every id.
      return {cells: own, key: id ?? `~${String(line).padStart(12, '0')}`, values, problem: null}
    },
  }
}

/** A kept column's cell, masked when it looks personal; customer export's "extra" cell (a JSON object) value by value. */
function maskKeptCell(text: string): string {
  if (!text.startsWith('{')) return maskLookalike(text)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return text
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? JSON.stringify(maskExtras(parsed as Record<string, string>)) : text
}

/**
 * A file has no contacts logged in crm: a column mapped to a contact measure (--map "Calls=contacts_12m") is read as
 * that measure, as a column of its name is.
 */
function contactColumns(mapping: ColumnMapping): ColumnMapping {
  const contact = new Set(CONTACT_INPUTS.map((c) => c.name))
  const columns = Object.fromEntries(Object.entries(mapping.columns).map(([source, field]) => [source, contact.has(field) ? `${EXTRA_TARGET}${field}` : field]))
  return {...mapping, columns}
}
