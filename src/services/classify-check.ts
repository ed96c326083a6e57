import {en} from '../core/messages.js'
import {statSync} from 'node:fs'
import {
  fillWindow,
  flatMeasures,
  type MissingInput,
  NO_TIER,
  needsPortfolio,
  nullTally,
  tierReasons,
  selects,
  tierOf,
} from '../core/classify.js'
import {type ColumnMapping, EXTRA_TARGET, planColumns} from '../core/column-plan.js'
import {OPTIONAL_CUSTOMER_FIELDS} from '../core/fields.js'
import {maskExtras, maskField, maskKept, PERSONAL_FIELDS, personalText} from '../core/masking.js'
import {KeyColumn, MeasureArgs} from '../core/portfolio-args.js'
import {customerRowValidator} from '../core/row-validator.js'
import type {Row, Value} from '../core/rules/compile.js'
import {checkKeptColumns, keptColumnsRead, type UnseenValue, ValueCensus} from '../core/schemes/data-checks.js'
import {rowValues} from '../core/schemes/inputs.js'
import {CONTACT_INPUTS, type CompiledScheme} from '../core/schemes/scheme.js'
import {ExitCode, UserError} from '../errors.js'
import {createScratch, takeSignals} from '../io/files.js'
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
  /** Ranks and groups whose known inputs were all the same value (computed before the rows are classified). */
  flat: readonly string[]
}

interface Pending {
  readonly cells: string[]
  readonly values: Value[] | null
  readonly problem: string | null
  /** A row invalid only for its kept columns still shows what its other columns hold (ValueCensus). */
  readonly read?: Value[]
}

/**
 * Classifies the rows of a file or stdin without a database: `emit` gets each batch as soon as its tiers are
 * known. The row's personal columns and the personal values in reasons are masked unless `reveal`.
 *
 * A scheme with portfolio measures reads the input twice, so that no row is held: the first pass keeps only each
 * measure's argument per row (typed arrays, see portfolio-args.ts) and computes the measures, the second classifies
 * and emits. Standard input (or a pipe) is copied to a private temporary file on the first pass, removed at the end
 * or on a signal; a regular file is read again.
 */
export async function checkRows(
  compiled: CompiledScheme,
  file: string,
  mapping: ColumnMapping,
  source: SourceOptions,
  reveal: boolean,
  start: (columns: string[], idColumn: string) => void,
  emit: (rows: CheckedRow[]) => void | Promise<void>,
): Promise<CheckCounts> {
  if (!needsPortfolio(compiled))
    return classifyPass(compiled, RecordSource.open(file, source), mapping, reveal, start, emit)
  const scratch = isRegularFile(file) ? undefined : createScratch('check')
  try {
    const first = RecordSource.open(file, scratch ? {...source, copy: (bytes) => scratch.write(bytes)} : source)
    await measurePass(compiled, first, mapping)
    scratch?.close()
    // The same bytes, read as the same format (a temporary file's name says nothing of it).
    const second = RecordSource.open(scratch?.path ?? file, {...source, inputFormat: first.description?.format})
    const counts = await classifyPass(compiled, second, mapping, reveal, start, emit)
    if (second.sha256 !== first.sha256)
      throw new UserError(en('changedWhileRead', {file}), ExitCode.BadInput, en('checkAgainLater'))
    return counts
  } finally {
    scratch?.remove()
  }
}

/** Whether the input can be read twice as it is: a named regular file (not standard input, a pipe or a device). */
function isRegularFile(file: string): boolean {
  if (file === '-') return false
  try {
    return statSync(file).isFile()
  } catch {
    return false // RecordSource.open says why
  }
}

/**
 * The first pass over a portfolio: each member's measure arguments (and key, for cume_share's ties) are kept
 * compactly, then every measure of the scheme is computed into its window.
 */
async function measurePass(compiled: CompiledScheme, input: RecordSource, mapping: ColumnMapping): Promise<void> {
  const args = compiled.windows.map((w) => new MeasureArgs(w.arg.type))
  const keys = compiled.windows.some((w) => w.fn === 'cume_share') ? new KeyColumn() : undefined
  const row: Row = {values: [], index: 0}
  let prepared: ReturnType<typeof preparer> | undefined
  let n = 0
  for await (const batch of input.batches()) {
    prepared ??= preparer(compiled, input.header, mapping, true)
    for (const record of batch) {
      if (record.problem !== undefined) continue
      const inputs = prepared.inputs(record.cells, record.line)
      if (inputs.values === null) continue
      row.values = inputs.values
      if (!selects(compiled, row)) continue
      row.index = n++
      for (let w = 0; w < args.length; w++) args[w].push(compiled.windows[w].arg.eval(row))
      keys?.push(inputs.key)
    }
    await takeSignals()
  }
  compiled.windows.forEach((window, w) => {
    const measure = args[w]
    fillWindow(
      window,
      n,
      (m) => measure.at(m),
      (m) => keys!.at(m),
    )
    args[w] = new MeasureArgs(window.arg.type) // let go of the arguments before the next measure
  })
}

/** Reads, classifies and emits every row (a scheme's portfolio measures already computed, members in input order). */
async function classifyPass(
  compiled: CompiledScheme,
  input: RecordSource,
  mapping: ColumnMapping,
  reveal: boolean,
  start: (columns: string[], idColumn: string) => void,
  emit: (rows: CheckedRow[]) => void | Promise<void>,
): Promise<CheckCounts> {
  const counts: CheckCounts = {
    read: 0,
    classified: 0,
    notApplicable: 0,
    invalid: 0,
    missing: [],
    unseen: [],
    flat: flatMeasures(compiled),
  }
  const tally = nullTally(compiled)
  const census = new ValueCensus(compiled)
  const tierIds = compiled.scheme.tiers.map((t) => t.id)
  const reasonOf = tierReasons(compiled)
  const row: Row = {values: [], index: 0}
  let members = 0
  const finish = (p: Pending, tier: number | 'invalid' | 'skip', reason: string): CheckedRow => {
    const id = tier === 'invalid' || tier === 'skip' || tier === NO_TIER ? '' : tierIds[tier]
    if (tier === 'invalid') counts.invalid++
    else if (tier === 'skip') counts.notApplicable++
    else counts.classified++
    p.cells.push(id, personalText(reason, reveal))
    return p.cells
  }
  const notApplicable =
    `not applicable: ` +
    `${[compiled.scheme.appliesTo, compiled.where?.text].filter(Boolean).join(' and ')} does not hold`
  let prepared: ReturnType<typeof preparer> | undefined
  for await (const batch of input.batches()) {
    if (prepared === undefined) {
      prepared = preparer(compiled, input.header, mapping, reveal)
      start(prepared.columns, prepared.idColumn)
    }
    const {prepare, unreadable} = prepared
    const out: CheckedRow[] = []
    for (const record of batch) {
      counts.read++
      const p =
        record.problem === undefined
          ? prepare(record.cells, record.line)
          : unreadable(record.cells, record.line, record.problem)
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
      row.index = members++
      tally.add(p.values)
      const t = tierOf(compiled, row)
      out.push(finish(p, t, reasonOf(t, row)))
    }
    await emit(out)
  }
  counts.missing = tally.missing()
  counts.unseen = census.unseen(reveal)
  return counts
}

/**
 * Turns a row's cells into the scheme's inputs (through the same checks as import), keeping the row's own cells.
 * The output columns are the input's, with `line` first when it has no customer_id, then tier and reason.
 */
function preparer(
  compiled: CompiledScheme,
  header: readonly string[],
  mapping: ColumnMapping,
  reveal: boolean,
): {
  columns: string[]
  idColumn: string
  inputs: (
    cells: string[],
    line: number,
  ) => {values: Value[] | null; key: string; problem: string | null; read?: Value[]}
  prepare: (cells: string[], line: number) => Pending
  unreadable: (cells: string[], line: number, problem: string) => Pending
} {
  const plan = planColumns(header, contactColumns(mapping), 'update-only', OPTIONAL_CUSTOMER_FIELDS)
  const validate = customerRowValidator(plan, OPTIONAL_CUSTOMER_FIELDS)
  const fieldAt = new Map(plan.fields.map((f, i) => [f.field, i]))
  const extraAt = new Map(plan.extras.map((e) => [e.name, e.column]))
  const idAt = fieldAt.get('customer_id')
  checkKeptColumns(
    compiled,
    keptColumnsRead(compiled).filter((name) => !extraAt.has(name)),
    plan.extras.map((e) => e.name),
    true,
  )
  // The output keeps the input's columns but those the mapping drops; a column kept under a new name is shown by it.
  const dropped = new Set(plan.dropped ?? [])
  const renamed = new Map(plan.extras.map((e) => [e.column, e.name]))
  const kept = header.flatMap((_, i) => (dropped.has(i) ? [] : [i]))
  const names = kept.map((i) => renamed.get(i) ?? (header[i].replace(/^\uFEFF/, '').trim() || `column_${i + 1}`))
  const columns = [...(idAt === undefined ? ['line'] : []), ...names, 'tier', 'reason']
  const shift = idAt === undefined ? 1 : 0
  const place = new Map(kept.map((column, i) => [column, i + shift]))
  const personal = reveal
    ? []
    : plan.fields.flatMap((f) =>
        f.column !== undefined && f.column !== null && PERSONAL_FIELDS.includes(f.field) && place.has(f.column)
          ? [{field: f.field, at: place.get(f.column)!}]
          : [],
      )
  // Columns that are no field have nothing to say what they hold: masked as customer list masks kept columns, when they
  // look personal.
  const fieldColumns = new Set(plan.fields.map((f) => f.column))
  const lookalikes = reveal
    ? []
    : kept.flatMap((column, i) => (fieldColumns.has(column) ? [] : [{at: place.get(column)!, name: names[i]}]))
  const ownCells = (cells: string[], line: number) => {
    const own = idAt === undefined ? [String(line)] : []
    for (const i of kept) own.push(cells[i] ?? '')
    for (const {field, at} of personal) if (own[at] !== '') own[at] = maskField(field, own[at])
    for (const {at, name} of lookalikes) if (own[at] !== '') own[at] = maskKeptCell(name, own[at])
    return own
  }
  const inputs = (
    cells: string[],
    line: number,
  ): {values: Value[] | null; key: string; problem: string | null; read?: Value[]} => {
    const result = validate(cells)
    if ('issues' in result)
      return {values: null, key: '', problem: result.issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}
    const {values, problem} = rowValues(
      compiled.inputs,
      (name) => {
        const i = fieldAt.get(name)
        return i === undefined ? undefined : (result.values[i] as Value)
      },
      (name) => {
        const column = extraAt.get(name)
        return column === undefined ? undefined : cells[column]
      },
    )
    if (problem !== null) return {values: null, key: '', problem, read: values}
    const id = idAt === undefined ? null : (result.values[idAt] as string | null)
    // Portfolio measures break ties by customer_id; rows without one by line number, after every id.
    return {values, key: id ?? `~${String(line).padStart(12, '0')}`, problem: null}
  }
  return {
    columns,
    idColumn: idAt === undefined ? 'line' : columns[place.get(plan.fields[idAt].column ?? 0) ?? 0],
    inputs,
    // A record that could not be read as a row (bytes that do not decode, a field too large) keeps what was read of it.
    unreadable: (cells, line, problem) => ({cells: ownCells(cells, line), values: null, problem}),
    prepare: (cells, line) => {
      const own = ownCells(cells, line)
      const {values, problem, read} = inputs(cells, line)
      return {cells: own, values, problem, read}
    },
  }
}

/**
 * A kept column's cell, masked when its name or value says it is personal; customer export's "extra" cell (a JSON
 * object) value by value.
 */
function maskKeptCell(name: string, text: string): string {
  if (!text.startsWith('{')) return maskKept(name, text)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return text
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? JSON.stringify(maskExtras(parsed as Record<string, string>))
    : text
}

/**
 * A file has no contacts logged in crm: a column mapped to a contact measure (--map "Calls=contacts_12m") is read as
 * that measure, as a column of its name is.
 */
function contactColumns(mapping: ColumnMapping): ColumnMapping {
  const contact = new Set(CONTACT_INPUTS.map((c) => c.name))
  const columns = Object.fromEntries(
    Object.entries(mapping.columns).map(([source, field]) => [
      source,
      contact.has(field) ? `${EXTRA_TARGET}${field}` : field,
    ]),
  )
  return {...mapping, columns}
}
