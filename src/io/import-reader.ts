import {type ColumnMapping, type ImportMode, planColumns} from '../core/column-plan.js'
import {contactKey, notesKey} from '../core/contact.js'
import {CONTACT_FIELDS, CUSTOMER_FIELDS} from '../core/fields.js'
import {contactRowValidator, customerRowValidator, type FieldValue, type RowIssue} from '../core/row-validator.js'
import {type DateFormat, localDateTime} from '../core/dates.js'
import type {Duplicate} from '../core/import-report.js'
import {customerLookup} from '../db/customer-lookup.js'
import type {ErrorData} from '../errors.js'
import type {RejectedRow} from './reject-writer.js'
import {BufferPool, type PackedRows, PackedRowsBuilder} from './packed-rows.js'
import {RecordSource, type SourceDescription, type SourceOptions} from './source.js'
import {en} from '../core/messages.js'
import {ExitCode, UserError} from '../errors.js'
import {type IdSource, type MadeIds, madeIds} from './import-ids.js'

export interface ReaderOptions {
  /** What the file holds: customers, or contacts with customers. */
  readonly entity: 'customer' | 'contact'
  readonly file: string
  readonly mode: ImportMode
  readonly mapping: ColumnMapping
  readonly source: SourceOptions
  /** Keep each accepted row's cells (for a reject file written after a database check). */
  readonly keepCells: boolean
  /**
   * Contacts: the database file whose customers each row must name (rows naming others are rejected here); null
   * for a database with no customers yet.
   */
  readonly customersIn?: string | null
  /** --date-format: how to read dates with the year last or of six digits. */
  readonly dateFormat?: DateFormat
  /** --id-from or --id-prefix: customer ids made for a file without an id column. */
  readonly ids?: IdSource
}

/**
 * Accepted rows as the writer gets them, in the order to write them, with their cells when kept. A row is its values,
 * in the order of the plan's fields, and one more value that ends the row, its tail: a customer's kept columns as
 * JSON, or a contact's notes key.
 */
export interface ReadBlock {
  /** Each row's line in the source file. */
  readonly lines: number[]
  readonly cells: string[][]
  readonly count: number
  /** Rows `from` to `to` (not included), decoded only now: a writer keeps one slice of a block alive at a time. */
  rows(from: number, to: number): FieldValue[][]
}

/** Accepted rows as the reader sends them: every accepted row packed, and which of them to write, in what order. */
export interface PackedBlock {
  /** The line of each row to write. */
  readonly lines: number[]
  readonly cells: string[][]
  readonly values: PackedRows
  /** The packed rows to write, in order; null for all of them as packed. */
  readonly order: number[] | null
}

/**
 * What the reader keeps of each accepted row while it gathers a block (its values are packed as it is accepted, so
 * they leave the reader's heap at once, rather than surviving its collections until the block is sent).
 */
interface OpenBlock {
  readonly lines: number[]
  readonly customerIds: string[]
  /** What makes two rows the same record: the customer_id, or a contact's same-contact key. */
  readonly keys: string[]
  readonly cells: string[][]
}

export type ReaderMessage =
  | {
      readonly kind: 'start'
      readonly header: string[]
      readonly fields: string[]
      /** Each field's column as the file's header names it (null: not from a column). */
      readonly sources: (string | null)[]
      readonly unknownColumns: string[]
      readonly description: SourceDescription
      /**
       * A file crm exported (its header says so): written in one transaction, so that a masked cell found on any line
       * refuses the whole file with nothing written.
       */
      readonly crmExport: boolean
    }
  | {
      readonly kind: 'rows'
      readonly block: PackedBlock
      readonly rejected: RejectedRow[]
      readonly duplicates: Duplicate[]
      readonly warnings: {line: number; issue: RowIssue}[]
      readonly read: number
      readonly bytesRead: number
    }
  | {readonly kind: 'end'; readonly sha256: string; readonly bytesRead: number}
  | {readonly kind: 'error'; readonly error: ErrorData}

/**
 * Rows per block (a block is sent once the chunks read reach it): the writer writes a block in one savepoint.
 * Smaller blocks keep both threads' heaps smaller; larger ones were no faster.
 */
export const ROWS_PER_BLOCK = 2_500

/**
 * Reads and checks a customer or contact file, emitting blocks of accepted rows (within a block, the last row of a
 * key is kept and the earlier ones are duplicates; the writer tells a key written in an earlier block) and the
 * rejected rows. It never writes to the database (contacts' customers are looked up read-only), so it runs in a
 * worker thread while the command's thread writes.
 */
export async function readRows(
  options: ReaderOptions,
  emit: (message: ReaderMessage) => void,
  buffers = new BufferPool(),
): Promise<void> {
  const source = RecordSource.open(options.file, options.source)
  let validate: ReturnType<typeof customerRowValidator> | undefined
  let keyOf: (values: readonly FieldValue[], notesKey: string) => string = () => ''
  let notesKeyOf: ((values: readonly FieldValue[]) => string) | undefined
  let contacts = false
  let customerIdAt = 0
  let block = emptyBlock()
  let packer: PackedRowsBuilder | undefined
  let rejected: RejectedRow[] = []
  let warnings: {line: number; issue: RowIssue}[] = []
  let read = 0
  const lookup =
    options.customersIn === undefined
      ? undefined
      : options.customersIn === null
        ? {known: () => new Set<string>(), deleted: () => new Set<string>(), close: () => {}}
        : customerLookup(options.customersIn)
  let made: MadeIds | undefined
  let masked: MaskedExportCheck | undefined
  const start = () => {
    contacts = options.entity === 'contact'
    // A contact's direction defaults to out (we reached the customer).
    const mapping = contacts
      ? {...options.mapping, defaults: {direction: 'out', ...options.mapping.defaults}}
      : options.mapping
    made = options.ids === undefined || contacts ? undefined : madeIds(source.header, mapping, options.ids)
    const header = made?.header ?? source.header
    const plan = {
      ...planColumns(header, mapping, options.mode, contacts ? CONTACT_FIELDS : CUSTOMER_FIELDS),
      dateFormat: options.dateFormat,
    }
    // A contact may not be dated after the moment the import starts.
    validate = contacts ? contactRowValidator(plan, localDateTime(new Date())) : customerRowValidator(plan)
    masked = maskedExportCheck(plan, contacts, options.file)
    const at = (field: string) => plan.fields.findIndex((f) => f.field === field)
    customerIdAt = at('customer_id')
    packer = new PackedRowsBuilder(plan.fields.length + 1, buffers)
    const [atAt, channelAt, directionAt, purposeAt, notesAt] = ['at', 'channel', 'direction', 'purpose', 'notes'].map(
      at,
    )
    notesKeyOf = contacts ? (v) => notesKey(notesAt >= 0 ? (v[notesAt] as string | null) : null) : undefined
    keyOf = contacts
      ? (v, notes) =>
          contactKey(
            {
              customerId: v[customerIdAt] as string,
              at: v[atAt] as string,
              channel: v[channelAt] as never,
              direction: v[directionAt] as never,
              purpose: v[purposeAt] as never,
            },
            notes,
          )
      : (v) => v[customerIdAt] as string
    emit({
      kind: 'start',
      header,
      fields: plan.fields.map((f) => f.field),
      sources: plan.fields.map((f) => (f.column === null ? null : (source.header[f.column] ?? null))),
      unknownColumns: [...plan.unknownColumns],
      description: source.description,
      crmExport: masked !== undefined,
    })
  }
  const send = () => {
    const all = block.lines.map((_, row) => row)
    const known = lookup ? knownCustomerRows(block, all, lookup, rejected) : all
    const {order, duplicates} = settleRows(block, known, contacts)
    const inOrder = isEveryRowInOrder(order, block.lines.length)
    const pick = <T>(items: T[]): T[] => (inOrder ? items : order.map((row) => items[row]))
    // Cells kept only to reject unknown customers here do not go to the writer.
    const rows: PackedBlock = {
      lines: pick(block.lines),
      cells: options.keepCells ? pick(block.cells) : [],
      values: packer!.finish(),
      order: inOrder ? null : order,
    }
    emit({kind: 'rows', block: rows, rejected, duplicates, warnings, read, bytesRead: source.bytesRead})
    block = emptyBlock()
    rejected = []
    warnings = []
    read = 0
  }
  try {
    for await (const records of source.batches()) {
      if (validate === undefined) start()
      for (const input of records) {
        read++
        const record =
          made === undefined || input.problem !== undefined
            ? input
            : {...input, cells: made.withId(input.cells, input.line)}
        // A masked export is refused whole, wherever its first masked cell is: the writer writes a crm export in one
        // transaction (crmExport), which the refusal rolls back. Once a personal cell shows unmasked, the export is
        // not a masked one, and a masked cell after it rejects its row alone.
        if (masked !== undefined && masked(record.cells, record.line) === 'revealed') masked = undefined
        if (record.problem !== undefined) {
          rejected.push({
            line: record.line,
            issues: [{field: record.column ?? '-', reason: record.problem}],
            cells: record.cells,
          })
          continue
        }
        const result = validate!(record.cells)
        if ('issues' in result) {
          rejected.push({line: record.line, issues: result.issues, cells: record.cells})
          continue
        }
        const row = result.values
        const notes = notesKeyOf?.(row) ?? ''
        block.lines.push(record.line)
        block.customerIds.push(row[customerIdAt] as string)
        block.keys.push(keyOf(row, notes))
        for (const value of row) packer!.push(value)
        packer!.push(contacts ? notes : result.extra)
        if (options.keepCells || lookup) block.cells.push(record.cells)
        if (result.warnings) for (const issue of result.warnings) warnings.push({line: record.line, issue})
      }
      if (block.lines.length >= ROWS_PER_BLOCK) send()
    }
    if (validate === undefined) start()
    if (read > 0) send()
    emit({kind: 'end', sha256: source.sha256, bytesRead: source.bytesRead})
  } finally {
    lookup?.close()
  }
}

// Files banks send: a masked crm export is refused with one message.
/** Looks at a row of a crm export: 'revealed' once a personal cell shows unmasked; throws on a masked one. */
type MaskedExportCheck = (cells: readonly string[], line: number) => 'revealed' | 'unknown'

/** Columns only crm's contact export writes (beside the contact's fields). */
const CONTACT_EXPORT_COLUMNS = ['customer_name', 'logged_at']
/** What maskLookalike leaves of an ID number, a phone or an e-mail address in a note: 139****4868, f*****@bank.com. */
const MASKED_IN_TEXT = /[0-9A-Za-z]\*{3,}[0-9@]/
const MASKED_CELL = /\*{2,}/

/**
 * For a file crm exported (a customer export's extra and timestamp columns, a contact export's customer_name and
 * logged_at), a check of its personal cells, undefined for any other file.
 */
function maskedExportCheck(
  plan: ReturnType<typeof planColumns>,
  contacts: boolean,
  file: string,
): MaskedExportCheck | undefined {
  const headers = plan.headers.map((h) => h.replace(/^\uFEFF/, '').trim())
  const exported = contacts ? CONTACT_EXPORT_COLUMNS.every((c) => headers.includes(c)) : plan.extraJson !== undefined
  if (!exported) return undefined
  const personal = contacts ? ['notes', 'outcome'] : ['id_number', 'phone', 'email', 'birth_date']
  const columns = plan.fields
    .filter((f) => personal.includes(f.field) && f.column !== null)
    .map((f) => f.column as number)
  const test = contacts ? MASKED_IN_TEXT : MASKED_CELL
  return (cells, line) => {
    let shown = false
    for (const column of columns) {
      const cell = cells[column] ?? ''
      if (test.test(cell)) {
        throw new UserError(
          en('maskedExport', {file: file === '-' ? 'stdin' : file, column: headers[column], line}),
          ExitCode.BadInput,
        )
      }
      // A note without a lookalike says nothing about the export; an ID number, phone or e-mail shown whole does.
      if (!contacts && cell.trim() !== '') shown = true
    }
    return shown ? 'revealed' : 'unknown'
  }
}
// End of files banks send.

/** The rows (of those given) whose customer exists; the others are rejected. */
function knownCustomerRows(
  block: OpenBlock,
  rows: number[],
  lookup: {known: (ids: Iterable<string>) => Set<string>; deleted: (ids: Iterable<string>) => Set<string>},
  rejected: RejectedRow[],
): number[] {
  const exists = lookup.known(rows.map((row) => block.customerIds[row]))
  const missing = rows.map((row) => block.customerIds[row]).filter((id) => !exists.has(id))
  const deleted = missing.length === 0 ? new Set<string>() : lookup.deleted(missing)
  return rows.filter((row) => {
    const id = block.customerIds[row]
    if (exists.has(id)) return true
    const reason = deleted.has(id) ? en('contactCustomerDeleted', {id}) : en('contactCustomerAbsent', {id})
    rejected.push({
      line: block.lines[row],
      issues: [{field: 'customer_id', reason}],
      cells: block.cells[row],
    })
    return false
  })
}

function emptyBlock(): OpenBlock {
  return {lines: [], customerIds: [], keys: [], cells: []}
}

function isEveryRowInOrder(order: readonly number[], count: number): boolean {
  if (order.length !== count) return false
  for (let i = 0; i < count; i++) if (order[i] !== i) return false
  return true
}

/**
 * Of the given rows, keeps the last row of each key; the earlier ones are duplicates. With `byCustomer`, rows are put
 * in customer order, so the writer's index look-ups and inserts stay near each other.
 */
function settleRows(block: OpenBlock, rows: number[], byCustomer: boolean): {order: number[]; duplicates: Duplicate[]} {
  const {keys, lines, customerIds} = block
  const last = new Map<string, number>()
  for (const row of rows) last.set(keys[row], row)
  const duplicates: Duplicate[] = []
  if (!byCustomer && last.size === rows.length) return {order: rows, duplicates}
  const order: number[] = []
  for (const row of rows) {
    const keep = last.get(keys[row])!
    if (keep === row) order.push(row)
    else duplicates.push({customerId: customerIds[row], line: lines[row], keptLine: lines[keep]})
  }
  if (byCustomer)
    order.sort((a, b) => (customerIds[a] < customerIds[b] ? -1 : customerIds[a] > customerIds[b] ? 1 : a - b))
  return {order, duplicates}
}
