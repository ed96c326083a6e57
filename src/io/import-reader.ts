import {Worker} from 'node:worker_threads'
import {type ColumnMapping, type ImportMode, planColumns} from '../core/column-plan.js'
import {contactKey, notesKey} from '../core/contact.js'
import {CONTACT_FIELDS, CUSTOMER_FIELDS} from '../core/fields.js'
import {BufferPool, PackedRows, PackedRowsBuilder, type RowBlock, transferList} from '../core/packed-rows.js'
import {contactRowValidator, customerRowValidator, type FieldValue, type RowIssue} from '../core/row-validator.js'
import {localDateTime} from '../core/dates.js'
import type {Duplicate} from '../core/import-report.js'
import {SeenIds} from '../core/seen-ids.js'
import {customerLookup} from '../db/customer-lookup.js'
import {type ErrorData, reviveError} from '../errors.js'
import type {RejectedRow} from './reject-writer.js'
import {RecordSource, type SourceDescription, type SourceOptions} from './source.js'
import {en} from '../core/messages.js'

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
}

/** Accepted rows as the writer gets them, with their cells when kept. */
export interface ReadBlock extends RowBlock {
  readonly cells: string[][]
  /** Rows whose key already appeared in an earlier block (the later row wins, written one by one). */
  readonly repeats: number[]
}

/** What the reader keeps of each accepted row while it gathers a block (the values go straight to a PackedRowsBuilder). */
interface OpenBlock {
  readonly lines: number[]
  readonly customerIds: string[]
  /** What makes two rows the same record: the customer_id, or a contact's same-contact key. */
  readonly keys: string[]
  readonly cells: string[][]
}

export type ReaderMessage =
  | {readonly kind: 'start'; readonly header: string[]; readonly fields: string[]; readonly unknownColumns: string[]; readonly description: SourceDescription}
  | {readonly kind: 'rows'; readonly block: ReadBlock; readonly rejected: RejectedRow[]; readonly duplicates: Duplicate[]; readonly warnings: {line: number; issue: RowIssue}[]; readonly read: number; readonly bytesRead: number}
  | {readonly kind: 'end'; readonly sha256: string; readonly bytesRead: number}
  /** Nothing has come from the reader for a moment (a slow pipe): the writer commits, so it holds no lock while it waits. */
  | {readonly kind: 'idle'}
  | {readonly kind: 'error'; readonly error: ErrorData}

/**
 * Rows per block (a block is sent once the chunks read reach it): the writer writes a block in one savepoint.
 * 2,500 rather than 10,000 keeps both threads' heaps smaller (about 60 MB less at peak on 1M rows) at no cost in speed.
 */
export const ROWS_PER_BLOCK = 2_500

/**
 * Reads and checks a customer or contact file, emitting blocks of accepted rows (with duplicates settled: within a
 * block the last row of a key is kept; a key seen in an earlier block is marked as a repeat) and the rejected rows.
 * It never writes to the database (contacts' customers are looked up read-only), so it can run in a worker thread
 * while another thread writes.
 */
export async function readRows(options: ReaderOptions, emit: (message: ReaderMessage) => void, buffers = new BufferPool()): Promise<void> {
  const source = RecordSource.open(options.file, options.source)
  let validate: ReturnType<typeof customerRowValidator> | undefined
  let keyOf: (values: readonly FieldValue[], notesKey: string) => string = () => ''
  let notesKeyOf: ((values: readonly FieldValue[]) => string) | undefined
  let contacts = false
  let values = new PackedRowsBuilder(0)
  let customerIdAt = 0
  const seen = new SeenIds()
  let block = emptyBlock()
  let rejected: RejectedRow[] = []
  let warnings: {line: number; issue: RowIssue}[] = []
  let read = 0
  const lookup = options.customersIn === undefined ? undefined
    : options.customersIn === null ? {known: () => new Set<string>(), close: () => {}} : customerLookup(options.customersIn)
  const start = () => {
    contacts = options.entity === 'contact'
    // A contact's direction defaults to out (we reached the customer).
    const mapping = contacts ? {...options.mapping, defaults: {direction: 'out', ...options.mapping.defaults}} : options.mapping
    const plan = planColumns(source.header, mapping, options.mode, contacts ? CONTACT_FIELDS : CUSTOMER_FIELDS)
    // A contact may not be dated after the moment the import starts.
    validate = contacts ? contactRowValidator(plan, localDateTime(new Date())) : customerRowValidator(plan)
    values = new PackedRowsBuilder(plan.fields.length + 1, buffers)
    const at = (field: string) => plan.fields.findIndex((f) => f.field === field)
    customerIdAt = at('customer_id')
    const [atAt, channelAt, directionAt, purposeAt, notesAt] = ['at', 'channel', 'direction', 'purpose', 'notes'].map(at)
    notesKeyOf = contacts ? (v) => notesKey(notesAt >= 0 ? (v[notesAt] as string | null) : null) : undefined
    keyOf = contacts
      ? (v, notes) => contactKey({customerId: v[customerIdAt] as string, at: v[atAt] as string, channel: v[channelAt] as never, direction: v[directionAt] as never,
        purpose: v[purposeAt] as never}, notes)
      : (v) => v[customerIdAt] as string
    emit({kind: 'start', header: source.header, fields: plan.fields.map((f) => f.field), unknownColumns: [...plan.unknownColumns], description: source.description})
  }
  const send = () => {
    const all = block.lines.map((_, row) => row)
    const known = lookup ? knownCustomerRows(block, all, lookup.known, rejected) : all
    const {order, duplicates, repeats} = settleRows(block, known, seen, contacts)
    const packed = values.finish()
    // Cells kept only to reject unknown customers here do not go to the writer.
    const cells = options.keepCells ? block.cells : []
    const pick = <T>(items: T[]): T[] => order.map((row) => items[row])
    let rows: ReadBlock
    if (isEveryRowInOrder(order, block.lines.length)) rows = {lines: block.lines, values: packed, cells, repeats}
    else {
      rows = {lines: pick(block.lines), values: packed.select(order, values), cells: cells.length > 0 ? pick(cells) : [], repeats}
      buffers.give(packed.buffers)
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
      for (const record of records) {
        read++
        if (record.problem !== undefined) {
          rejected.push({line: record.line, issues: [{field: '-', reason: record.problem}], cells: record.cells})
          continue
        }
        const result = validate!(record.cells)
        if ('issues' in result) {
          rejected.push({line: record.line, issues: result.issues, cells: record.cells})
          continue
        }
        const row = result.values
        for (let i = 0; i < row.length; i++) values.push(row[i])
        const notes = notesKeyOf?.(row) ?? ''
        values.push(contacts ? notes : result.extra)
        block.lines.push(record.line)
        block.customerIds.push(row[customerIdAt] as string)
        block.keys.push(keyOf(row, notes))
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

/** The rows (of those given) whose customer exists; the others are rejected. */
function knownCustomerRows(block: OpenBlock, rows: number[], known: (ids: Iterable<string>) => Set<string>, rejected: RejectedRow[]): number[] {
  const exists = known(rows.map((row) => block.customerIds[row]))
  return rows.filter((row) => {
    const id = block.customerIds[row]
    if (exists.has(id)) return true
    rejected.push({line: block.lines[row], issues: [{field: 'customer_id', reason: en('contactCustomerAbsent', {id})}], cells: block.cells[row]})
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

/** The rows of a block whose key no earlier block had. */
export function freshRows(block: Pick<ReadBlock, 'lines' | 'repeats'>): number[] {
  const repeats = new Set(block.repeats)
  const fresh: number[] = []
  for (let row = 0; row < block.lines.length; row++) if (!repeats.has(row)) fresh.push(row)
  return fresh
}

/**
 * Of the given rows, keeps the last row of each key, and marks keys already seen in earlier blocks as repeats
 * (by their place in `order`). With `byCustomer`, rows are put in customer order, so the writer's index look-ups
 * and inserts stay near each other.
 */
function settleRows(block: OpenBlock, rows: number[], seen: SeenIds, byCustomer: boolean): {order: number[]; duplicates: Duplicate[]; repeats: number[]} {
  const {keys, lines, customerIds} = block
  // A key the import has seen before is a duplicate within this block or a repeat of an earlier block's row;
  // usually there is none, and the rows go on as they are.
  const seenBefore: boolean[] = []
  let anySeen = false
  for (const row of rows) anySeen = (seenBefore[row] = seen.add(keys[row])) || anySeen
  if (!byCustomer && !anySeen) return {order: rows, duplicates: [], repeats: []}
  const first = new Map<string, number>()
  const last = new Map<string, number>()
  for (const row of rows) {
    if (!first.has(keys[row])) first.set(keys[row], row)
    last.set(keys[row], row)
  }
  const duplicates: Duplicate[] = []
  const order: number[] = []
  for (const row of rows) {
    const keep = last.get(keys[row])!
    if (keep === row) order.push(row)
    else duplicates.push({customerId: customerIds[row], line: lines[row], keptLine: lines[keep]})
  }
  if (byCustomer) order.sort((a, b) => (customerIds[a] < customerIds[b] ? -1 : customerIds[a] > customerIds[b] ? 1 : a - b))
  // A kept row is a repeat when its key was seen before this block's first row of it.
  const repeats: number[] = []
  order.forEach((row, at) => {
    if (seenBefore[first.get(keys[row])!]) repeats.push(at)
  })
  return {order, duplicates, repeats}
}

/**
 * The reader's young generation, in MB (V8 lets a busy thread's grow to 48, some 25 MB more at the peak). The reader
 * allocates fast but keeps little: at 24 it spends about 0.8 s of a million-row import in GC.
 */
const READER_YOUNG_MB = 24

/**
 * At most this many blocks wait for the writer, so memory stays flat when reading outruns writing. Neither thread
 * keeps an even pace (collections, commits), and with room for two blocks each spent about a second waiting for the
 * other; with six, a million-customer import ran about 5% faster, for about 8 MB more.
 */
const MAX_IN_FLIGHT = 6

/** How long the writer waits for the reader before it commits what it holds (only a slow input makes it wait). */
const IDLE_MS = 200

/**
 * Runs readCustomerRows in a worker thread (parsing and checking on one core, writing on the other) and
 * yields its messages in order; acknowledging each message lets the worker go on.
 */
export async function* readRowsInWorker(options: ReaderOptions): AsyncGenerator<ReaderMessage> {
  // Run from the TypeScript sources (bin/dev.js), there is no compiled worker script: read on this thread.
  if (import.meta.url.endsWith('.ts')) {
    yield* readRowsInline(options)
    return
  }
  const inFlight = new Int32Array(new SharedArrayBuffer(4))
  const stdin = options.source.stdin
  const worker = new Worker(new URL('./import-reader-worker.js', import.meta.url), {
    workerData: {options, inFlight}, transferList: stdin === undefined ? [] : [stdin], resourceLimits: {maxYoungGenerationSizeMb: READER_YOUNG_MB},
  })
  const queue: ReaderMessage[] = []
  let wake: (() => void) | undefined
  let failure: Error | undefined
  let exited = false
  worker.on('message', (m: ReaderMessage) => { queue.push(m); wake?.() })
  worker.on('error', (e) => { failure = e; wake?.() })
  worker.on('exit', () => { exited = true; wake?.() })
  let idle = false
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined && !exited) {
        let timer: NodeJS.Timeout | undefined
        const woken = await new Promise<boolean>((resolve) => {
          wake = () => resolve(true)
          if (!idle) timer = setTimeout(() => resolve(false), IDLE_MS)
        })
        clearTimeout(timer)
        if (!woken) {
          idle = true
          yield {kind: 'idle'}
        }
      }
      idle = false
      wake = undefined
      if (failure) throw failure
      const message = queue.shift()
      if (message === undefined) throw new Error('the import reader stopped without finishing')
      if (message.kind === 'error') throw reviveError(message.error)
      if (message.kind === 'rows') {
        const values = PackedRows.revive(message.block.values)
        yield {...message, block: {...message.block, values}}
        // Written: its buffers go back to be filled again (the rows must not be read after this).
        const buffers = values.buffers
        worker.postMessage(buffers, transferList(buffers))
      } else yield message
      Atomics.sub(inFlight, 0, 1)
      Atomics.notify(inFlight, 0)
      if (message.kind === 'end') return
    }
  } finally {
    await worker.terminate()
  }
}

/** Worker side: blocks while MAX_IN_FLIGHT messages wait, then posts. */
export function postWithBackpressure(inFlight: Int32Array, post: (m: ReaderMessage, transfer: ArrayBuffer[]) => void): (m: ReaderMessage) => void {
  return (message) => {
    for (let n = Atomics.load(inFlight, 0); n >= MAX_IN_FLIGHT; n = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, n, 1000)
    Atomics.add(inFlight, 0, 1)
    // A block's buffers move to the writer's thread rather than being copied.
    post(message, message.kind === 'rows' ? transferList((message.block.values as PackedRows).buffers) : [])
  }
}

/** The same messages, read on this thread: the producer only runs while the consumer waits for more. */
async function* readRowsInline(options: ReaderOptions): AsyncGenerator<ReaderMessage> {
  const queue: ReaderMessage[] = []
  let wake: (() => void) | undefined
  let finished = false
  let failure: unknown
  void readRows(options, (m) => { queue.push(m); wake?.() })
    .then(() => { finished = true }, (error) => { failure = error })
    .finally(() => wake?.())
  for (;;) {
    while (queue.length === 0 && !finished && failure === undefined) await new Promise<void>((resolve) => { wake = resolve })
    if (failure !== undefined) throw failure
    const message = queue.shift()
    if (message === undefined) return
    yield message
  }
}
