import {Worker} from 'node:worker_threads'
import {type ColumnMapping, type ImportMode, planColumns} from '../core/column-plan.js'
import {customerRowValidator, type FieldValue, type RowBlock, type RowIssue} from '../core/customer-row.js'
import {type ExitCode, UserError} from '../errors.js'
import type {RejectedRow} from './reject-writer.js'
import {RecordSource, type SourceDescription, type SourceOptions} from './source.js'

export interface ReaderOptions {
  readonly file: string
  readonly mode: ImportMode
  readonly mapping: ColumnMapping
  readonly source: SourceOptions
  /** Keep each accepted row's cells (for a reject file written after a database check). */
  readonly keepCells: boolean
}

/** Accepted rows, flat (row i's values are values[i*width .. (i+1)*width)), with their cells when kept. */
export interface ReadBlock extends RowBlock {
  readonly lines: number[]
  readonly values: FieldValue[]
  readonly extras: string[]
  readonly cells: string[][]
}

export type ReaderMessage =
  | {readonly kind: 'start'; readonly header: string[]; readonly fields: string[]; readonly unknownColumns: string[]; readonly description: SourceDescription}
  | {readonly kind: 'rows'; readonly block: ReadBlock; readonly rejected: RejectedRow[]; readonly warnings: {line: number; issue: RowIssue}[]; readonly read: number; readonly bytesRead: number}
  | {readonly kind: 'end'; readonly sha256: string; readonly bytesRead: number}
  | {readonly kind: 'error'; readonly message: string; readonly exitCode?: ExitCode; readonly hint?: string; readonly stack?: string}

/**
 * Reads and checks a customer file, emitting blocks of accepted rows and the rejected ones. Pure of the
 * database, so it can run in a worker thread while the main thread writes.
 */
export async function readCustomerRows(options: ReaderOptions, emit: (message: ReaderMessage) => void): Promise<void> {
  const source = RecordSource.open(options.file, options.source)
  let validate: ReturnType<typeof customerRowValidator> | undefined
  let width = 0
  const start = () => {
    const plan = planColumns(source.header, options.mapping, options.mode)
    validate = customerRowValidator(plan)
    width = plan.fields.length
    emit({kind: 'start', header: source.header, fields: plan.fields.map((f) => f.field), unknownColumns: [...plan.unknownColumns], description: source.description})
  }
  for await (const records of source.batches()) {
    if (validate === undefined) start()
    const block: ReadBlock = {width, lines: [], values: [], extras: [], cells: []}
    const rejected: RejectedRow[] = []
    const warnings: {line: number; issue: RowIssue}[] = []
    for (const record of records) {
      if (record.problem !== undefined) {
        rejected.push({line: record.line, issues: [{field: '-', reason: record.problem}], cells: record.cells})
        continue
      }
      const result = validate!(record.cells)
      if ('issues' in result) {
        rejected.push({line: record.line, issues: result.issues, cells: record.cells})
        continue
      }
      block.lines.push(record.line)
      for (const v of result.values) block.values.push(v)
      block.extras.push(result.extra)
      if (options.keepCells) block.cells.push(record.cells)
      if (result.warnings) for (const issue of result.warnings) warnings.push({line: record.line, issue})
    }
    emit({kind: 'rows', block, rejected, warnings, read: records.length, bytesRead: source.bytesRead})
  }
  if (validate === undefined) start()
  emit({kind: 'end', sha256: source.sha256, bytesRead: source.bytesRead})
}

/** At most this many blocks wait for the writer, so memory stays flat when reading outruns writing. */
const MAX_IN_FLIGHT = 4

/**
 * Runs readCustomerRows in a worker thread (parsing and checking on one core, writing on the other) and
 * yields its messages in order; acknowledging each message lets the worker go on.
 */
export async function* readCustomerRowsInWorker(options: ReaderOptions): AsyncGenerator<ReaderMessage> {
  const inFlight = new Int32Array(new SharedArrayBuffer(4))
  const script = new URL(`./customer-reader-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)
  const worker = new Worker(script, {workerData: {options, inFlight}, execArgv: script.pathname.endsWith('.ts') ? ['--import', 'tsx'] : []})
  const queue: ReaderMessage[] = []
  let wake: (() => void) | undefined
  let failure: Error | undefined
  let exited = false
  worker.on('message', (m: ReaderMessage) => { queue.push(m); wake?.() })
  worker.on('error', (e) => { failure = e; wake?.() })
  worker.on('exit', () => { exited = true; wake?.() })
  try {
    for (;;) {
      while (queue.length === 0 && failure === undefined && !exited) await new Promise<void>((resolve) => { wake = resolve })
      wake = undefined
      if (failure) throw failure
      const message = queue.shift()
      if (message === undefined) throw new Error('the import reader stopped without finishing')
      if (message.kind === 'error') throw new UserError(message.message, message.exitCode, message.hint)
      yield message
      Atomics.sub(inFlight, 0, 1)
      Atomics.notify(inFlight, 0)
      if (message.kind === 'end') return
    }
  } finally {
    await worker.terminate()
  }
}

/** Worker side: blocks while MAX_IN_FLIGHT messages wait, then posts. */
export function postWithBackpressure(inFlight: Int32Array, post: (m: ReaderMessage) => void): (m: ReaderMessage) => void {
  return (message) => {
    for (let n = Atomics.load(inFlight, 0); n >= MAX_IN_FLIGHT; n = Atomics.load(inFlight, 0)) Atomics.wait(inFlight, 0, n, 1000)
    Atomics.add(inFlight, 0, 1)
    post(message)
  }
}
