import type {ColumnMapping, ImportMode} from '../core/column-plan.js'
import type {
  BatchTotals,
  ImportTransactions,
  importBatchRepository,
  MergeCounts,
} from '../db/repositories/import-batches.js'
import type {Duplicate, ImportReport} from '../core/import-report.js'
import {removeOnSignal, takeSignals, tempPathOf, whenSignalled} from '../io/files.js'
import {readRowsInWorker, type WriterMessage} from '../io/import-channel.js'
import type {FieldValue} from '../core/row-validator.js'
import type {ReadBlock, ReaderMessage, ReaderOptions} from '../io/import-reader.js'
import {Progress} from '../io/progress.js'
import {type Lang, say} from '../core/messages.js'
import {type RejectedRow, type RejectsTarget, RejectWriter} from '../io/reject-writer.js'
import type {SourceOptions} from '../io/source.js'
import type {DateFormat} from '../core/dates.js'
import type {IdSource} from '../io/import-ids.js'
import {NOT_UTF8_BUT_GBK as NOT_UTF8} from '../io/text-decoding.js'
import {ROWS_PER_SLICE} from '../db/multi-row.js'

export interface ImportOptions {
  readonly file: string
  readonly mode: ImportMode
  readonly dryRun: boolean
  readonly strict: boolean
  /** Where rejected rows go; null under --dry-run without --rejects. */
  readonly rejects: RejectsTarget | null
  readonly mapping: ColumnMapping
  readonly source: SourceOptions
  /** Files banks send: --date-format, and --id-from or --id-prefix (customer import). */
  readonly dateFormat?: DateFormat
  readonly ids?: IdSource
  readonly actor: string
  readonly command: string
  /** The language to draw a progress bar on stderr in, or null for none (Progress.wanted, on the main thread). */
  readonly progress: Lang | null
  /** The language of the note an import stopped by a signal leaves on stderr. */
  readonly lang: Lang
  /** h1: customers only. A dry run's examples of changes unmasked (audited by the command). */
  readonly reveal?: boolean
  /** h1: customers only. Write even when many existing customers would change name or id_number. */
  readonly allowIdentityChanges?: boolean
}

export type StartMessage = Extract<ReaderMessage, {kind: 'start'}>
type RowsMessage = Extract<WriterMessage, {kind: 'rows'}>
const EXAMPLES = 5

/** Consecutive rows of a block, decoded, with their lines and (when kept) cells. */
export interface Slice {
  readonly rows: FieldValue[][]
  readonly lines: number[]
  readonly cells: string[][]
}

/** A block's rows, a slice (of the writer's rowsPerSlice) at a time. */
export function* slicesOf(block: ReadBlock, size = ROWS_PER_SLICE): Generator<Slice> {
  for (let from = 0; from < block.count; from += size) {
    const to = Math.min(from + size, block.count)
    yield {rows: block.rows(from, to), lines: block.lines.slice(from, to), cells: block.cells.slice(from, to)}
  }
}

/**
 * Runs an import: a worker thread reads and checks rows (import-channel.ts) while this thread writes them with the
 * ImportRun that `start` makes.
 */
export async function runImport(
  options: ReaderOptions & Pick<ImportOptions, 'rejects' | 'lang' | 'progress'>,
  report: ImportReport,
  start: (message: StartMessage) => ImportRun,
): Promise<ImportReport> {
  const started = Date.now()
  // An interrupted import's unfinished reject file is removed (signals reach the main thread only: this one).
  const stopWatching = options.rejects ? removeOnSignal([tempPathOf(options.rejects.path)]) : () => {}
  let job: ImportRun | undefined
  // Ctrl-C, SIGTERM or SIGHUP: say what the stop kept, and how to complete the import (a re-run completes it).
  const stopNoting = whenSignalled(() => {
    const kept = job?.committedRead ?? 0
    const note =
      kept > 0
        ? say(options.lang, 'importStoppedKept', {rows: kept.toLocaleString('en-US')})
        : say(options.lang, 'importStoppedNothing')
    process.stderr.write(`${options.progress === null ? '' : '\n'}${note}\n`)
  })
  try {
    for await (const message of readRowsInWorker(options)) {
      if (message.kind === 'start') job = start(message)
      else if (message.kind === 'rows') {
        job!.take(message)
        // Blocks that wait in the channel come without a turn of the event loop: a Ctrl-C is handled here, not after
        // the last block.
        await takeSignals()
      } else if (message.kind === 'end') job!.finish(message.sha256)
      else if (message.kind === 'idle') job?.idle()
    }
  } finally {
    job?.close()
    stopWatching()
    stopNoting()
  }
  report.seconds = (Date.now() - started) / 1000
  return report
}

/**
 * What every import does around writing a block: counting, rejects and their file, progress, the batch record,
 * and --dry-run and --strict, which run in one outer transaction that ends in a rollback or a commit.
 */
export abstract class ImportRun {
  protected batch = 0
  private readonly rejects: RejectWriter | undefined
  private readonly progress: Progress
  private readonly transactions: ImportTransactions
  private readonly fileBytes: number | null

  constructor(
    private readonly batches: ReturnType<typeof importBatchRepository>,
    protected readonly options: ImportOptions,
    protected readonly report: ImportReport,
    start: StartMessage,
  ) {
    const d = start.description
    this.fileBytes = d.totalBytes
    this.rejects = options.rejects
      ? new RejectWriter(options.rejects, start.header, d.encoding, d.delimiter, d.hasBom)
      : undefined
    this.progress = new Progress(options.progress, d.totalBytes)
    Object.assign(report, {
      format: d.format,
      encoding: d.encoding,
      delimiter: d.delimiter,
      unknownColumns: start.unknownColumns,
    })
    // A crm export is written in one transaction: a masked cell found on any line refuses it with nothing written.
    this.transactions = batches.transactions(options.dryRun || options.strict || start.crmExport)
    // An import killed earlier left its batch running: say so now, and whether this import completes it.
    batches.markInterrupted()
    report.completesBatch = batches.interruptedImportOf(this.fileName, this.fileSize) ?? null
  }

  private get fileName(): string {
    return this.options.file === '-' ? 'stdin' : this.options.file
  }

  /** Standard input has no size, so an import of it never claims to complete an earlier one. */
  private get fileSize(): number | null {
    return this.options.file === '-' ? null : this.fileBytes
  }

  /** The rows read up to the last commit: what a stop now keeps (none under --dry-run and --strict). */
  get committedRead(): number {
    return this.transactions.committedRead
  }

  /** Writes one block of accepted rows (take() runs it in a savepoint of the open transaction). */
  protected abstract write(block: ReadBlock): void

  take(message: RowsMessage): void {
    this.report.read += message.read
    this.reject(message.rejected)
    for (const {line, issue} of message.warnings) {
      this.report.warnings++
      if (this.report.warningExamples.length < EXAMPLES) this.report.warningExamples.push({line, ...issue})
    }
    for (const d of message.duplicates) this.noteDuplicate(d)
    this.transactions.writeBlock(message.read, () => {
      this.startBatch()
      this.write(message.block)
      this.batches.saveTotals(this.batch, this.totals())
    })
    this.progress.update(message.bytesRead, this.report.read)
  }

  /** Commits the blocks written so far while the reader waits for input, so other crm commands can write meanwhile. */
  idle(): void {
    this.transactions.pause()
  }

  finish(sha256: string): void {
    this.progress.done()
    const b = this.batches
    this.report.committed = !this.options.dryRun && !(this.options.strict && this.report.rejected > 0)
    this.report.rejectExamples.sort((a, b) => a.line - b.line)
    this.transactions.finish(this.report.committed, () => {
      this.startBatch()
      const who = {actor: this.options.actor, command: this.options.command}
      b.completeBatch(this.batch, this.totals(), sha256, who, this.report.rejectExamples)
      this.report.sameFileAsBatch = b.previousImport(sha256, this.batch)?.id ?? null
      this.beforeCommit()
    })
    this.report.rejectsFile = this.rejects && this.rejects.written > 0 ? this.rejects.path : null
    this.report.batchId = this.report.committed ? this.batch : null
    // The reject file replaces an earlier one only now that the import is complete.
    this.rejects?.commit()
  }

  close(): void {
    this.progress.done()
    this.rejects?.close()
    this.transactions.abandon()
  }

  /** Runs last inside the import's final transaction, before its commit or (a dry run) its rollback. */
  protected beforeCommit(): void {}

  /** Creates the batch record on the first write (inside its transaction). */
  protected startBatch(): void {
    if (this.batch !== 0) return
    const info = {
      fileName: this.fileName,
      fileSize: this.fileSize,
      mode: this.options.mode,
      actor: this.options.actor,
      command: this.options.command,
      completesBatch: this.report.completesBatch?.id ?? null,
    }
    this.batch = this.batches.beginBatch(info)
  }

  protected totals(): BatchTotals {
    const r = this.report
    return {
      rowsRead: r.read,
      inserted: r.inserted,
      updated: r.updated,
      unchanged: r.unchanged,
      rejected: r.rejected,
      duplicates: r.duplicates,
      aumRead: r.aumRead,
      aumStored: r.aumStored,
    }
  }

  protected count(counts: MergeCounts): void {
    this.report.inserted += counts.inserted
    this.report.updated += counts.updated
    this.report.unchanged += counts.unchanged
  }

  protected reject(rows: RejectedRow[]): void {
    if (rows.length === 0) return
    rows.sort((a, b) => a.line - b.line)
    this.report.rejected += rows.length
    for (const row of rows)
      if (row.issues[0]?.reason.startsWith(NOT_UTF8)) this.report.notUtf8 = (this.report.notUtf8 ?? 0) + 1
    for (const row of rows) {
      if (this.report.rejectExamples.length >= EXAMPLES) break
      this.report.rejectExamples.push({
        line: row.line,
        field: row.issues.map((i) => i.field).join(','),
        reason: row.issues.map((i) => i.reason).join('; '),
      })
    }
    this.rejects?.write(rows)
  }

  protected noteDuplicate(duplicate: Duplicate): void {
    this.report.duplicates++
    if (this.report.duplicateExamples.length < EXAMPLES) this.report.duplicateExamples.push(duplicate)
  }
}

export function emptyReport(
  options: Pick<ImportOptions, 'file' | 'dryRun'>,
  entity: 'customer' | 'contact' = 'customer',
): ImportReport {
  return {
    entity,
    file: options.file === '-' ? 'stdin' : options.file,
    format: '',
    encoding: '',
    delimiter: '',
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    duplicates: 0,
    warnings: 0,
    aumRead: null,
    aumStored: null,
    aumCount: null,
    unknownColumns: [],
    rejectsFile: null,
    rejectExamples: [],
    duplicateExamples: [],
    warningExamples: [],
    batchId: null,
    dryRun: options.dryRun,
    committed: false,
    sameFileAsBatch: null,
    completesBatch: null,
    seconds: 0,
  }
}

export type {Duplicate, Example, ImportReport} from '../core/import-report.js'
