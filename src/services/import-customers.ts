import {basename, dirname, extname, join} from 'node:path'
import type {Database} from 'better-sqlite3'
import type {ColumnMapping, ImportMode} from '../core/column-plan.js'
import {type BatchTotals, type CustomerWriter, customerWriter, type MergeCounts} from '../db/repositories/customer-import.js'
import {type Duplicate, type ReadBlock, type ReaderMessage, readCustomerRowsInWorker} from '../io/customer-reader.js'
import {Progress} from '../io/progress.js'
import {type RejectedRow, RejectWriter} from '../io/reject-writer.js'
import type {SourceOptions} from '../io/source.js'

export interface ImportOptions {
  readonly file: string
  readonly mode: ImportMode
  readonly dryRun: boolean
  readonly strict: boolean
  readonly rejectsPath?: string
  readonly mapping: ColumnMapping
  readonly source: SourceOptions
  readonly actor: string
  readonly command: string
  readonly quiet: boolean
}

export type {Duplicate} from '../io/customer-reader.js'
export interface Example {
  readonly line: number
  readonly field: string
  readonly reason: string
}

export interface ImportReport {
  file: string
  format: string
  encoding: string
  delimiter: string
  read: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  duplicates: number
  warnings: number
  aumRead: bigint | null
  aumStored: bigint | null
  unknownColumns: string[]
  rejectsFile: string | null
  rejectExamples: Example[]
  duplicateExamples: Duplicate[]
  warningExamples: Example[]
  batchId: number | null
  dryRun: boolean
  committed: boolean
  sameFileAsBatch: number | null
  seconds: number
}

const EXAMPLES = 5

type StartMessage = Extract<ReaderMessage, {kind: 'start'}>

/**
 * Imports a customer file: a worker thread reads and checks rows while this thread writes them, a transaction
 * per block of rows (ROWS_PER_BLOCK; an interrupted import keeps the transactions before it), or all in one
 * for --dry-run (rolled back) and --strict (rolled back when any row is rejected).
 */
export async function importCustomers(db: Database, options: ImportOptions): Promise<ImportReport> {
  const started = Date.now()
  const report = emptyReport(options)
  let job: ImportJob | undefined
  try {
    for await (const message of readCustomerRowsInWorker({...options, keepCells: options.mode !== 'upsert'})) {
      if (message.kind === 'start') job = new ImportJob(db, options, report, message)
      else if (message.kind === 'rows') job!.take(message)
      else if (message.kind === 'end') job!.finish(message.sha256)
    }
  } finally {
    job?.close()
  }
  report.seconds = (Date.now() - started) / 1000
  return report
}

class ImportJob {
  private readonly writer: CustomerWriter
  private readonly rejects: RejectWriter
  private readonly progress: Progress
  private batch = 0
  private aumRead = 0n
  private aumStored = 0n
  private readonly whole: boolean

  constructor(db: Database, private readonly options: ImportOptions, private readonly report: ImportReport, start: StartMessage) {
    const d = start.description
    this.writer = customerWriter(db, start.fields, options.mode === 'update-only')
    this.rejects = new RejectWriter(options.rejectsPath ?? defaultRejectsPath(options.file), start.header, d.encoding, d.delimiter, d.hasBom)
    this.progress = Progress.forStderr(d.totalBytes, options.quiet)
    Object.assign(report, {format: d.format, encoding: d.encoding, delimiter: d.delimiter, unknownColumns: start.unknownColumns})
    this.whole = options.dryRun || options.strict
    if (this.whole) this.writer.begin()
  }

  take(message: Extract<ReaderMessage, {kind: 'rows'}>): void {
    this.report.read += message.read
    this.reject(message.rejected)
    for (const {line, issue} of message.warnings) {
      this.report.warnings++
      if (this.report.warningExamples.length < EXAMPLES) this.report.warningExamples.push({line, ...issue})
    }
    for (const d of message.duplicates) this.noteDuplicate(d)
    this.write(message.block)
    this.progress.update(message.bytesRead, this.report.read)
  }

  finish(sha256: string): void {
    this.progress.done()
    const w = this.writer
    w.transaction(() => {
      if (this.batch === 0) this.startBatch()
      w.completeBatch(this.batch, this.totals(), sha256, this.options.actor, this.options.command)
    })
    this.report.sameFileAsBatch = w.previousImport(sha256, this.batch)?.id ?? null
    this.report.rejectsFile = this.rejects.written > 0 ? this.rejects.path : null
    this.report.committed = !this.options.dryRun && !(this.options.strict && this.report.rejected > 0)
    this.report.batchId = this.report.committed ? this.batch : null
    if (this.whole) {
      if (this.report.committed) w.commit()
      else w.rollback()
    }
  }

  close(): void {
    this.progress.done()
    this.rejects.close()
    this.writer.rollback()
  }

  /** Writes a block in one transaction: ids new to this import in bulk, repeats of earlier ids one by one. */
  private write(block: ReadBlock): void {
    const w = this.writer
    const repeats = new Set(block.repeats)
    const fresh: number[] = []
    for (let row = 0; row < block.lines.length; row++) if (!repeats.has(row)) fresh.push(row)
    const accepted = this.options.mode === 'upsert' ? fresh : this.checkExistence(block, fresh)
    w.transaction(() => {
      if (this.batch === 0) this.startBatch()
      this.count(w.write(this.batch, block, accepted))
      for (const row of block.repeats) this.rewrite(block, row)
      if (w.aumAt >= 0) {
        const written = [...accepted, ...block.repeats]
        for (const row of written) this.aumRead += BigInt(block.values[row * block.width + w.aumAt] ?? 0)
        this.aumStored += w.storedAum(written.map((row) => idOf(block, row, w.customerIdAt)))
      }
      w.saveTotals(this.batch, this.totals())
    })
  }

  private startBatch(): void {
    const info = {fileName: this.options.file === '-' ? 'stdin' : this.options.file, mode: this.options.mode, actor: this.options.actor, command: this.options.command}
    this.batch = this.writer.beginBatch(info)
  }

  /**
   * A customer_id already written by this import: the later row wins. The counts stay those of the customer's
   * net change, so the earlier row becomes the duplicate and the aum sums drop its amount.
   */
  private rewrite(block: ReadBlock, row: number): void {
    const w = this.writer
    const id = idOf(block, row, w.customerIdAt)
    const prior = w.priorState(this.batch, id)
    const counts = w.write(this.batch, block, [row])
    if (prior === undefined) {
      this.count(counts) // a hash collision, or an earlier row that was rejected: the id is new after all
      return
    }
    this.noteDuplicate({customerId: id, line: 0, keptLine: block.lines[row]})
    if (!prior.changedHere && counts.updated === 1) {
      this.report.unchanged--
      this.report.updated++
    }
    if (w.aumAt >= 0 && prior.aum !== null) {
      this.aumRead -= prior.aum
      this.aumStored -= prior.aum
    }
  }

  /** --mode insert refuses ids that exist; --mode update-only refuses ids that do not. */
  private checkExistence(block: ReadBlock, rows: readonly number[]): number[] {
    if (rows.length === 0) return []
    const at = this.writer.customerIdAt
    const existing = this.writer.existingIds(rows.map((row) => idOf(block, row, at)))
    const insert = this.options.mode === 'insert'
    const refused: RejectedRow[] = []
    const kept = rows.filter((row) => {
      const id = idOf(block, row, at)
      if (existing.has(id) !== insert) return true
      const reason = insert ? `customer ${id} already exists (use --mode upsert to update it)` : `customer ${id} does not exist (use --mode upsert to add it)`
      refused.push({line: block.lines[row], issues: [{field: 'customer_id', reason}], cells: block.cells[row] ?? []})
      return false
    })
    this.reject(refused)
    return kept
  }

  private count(counts: MergeCounts): void {
    this.report.inserted += counts.inserted
    this.report.updated += counts.updated
    this.report.unchanged += counts.unchanged
  }

  private totals(): BatchTotals {
    const r = this.report
    const hasAum = this.writer.aumAt >= 0
    r.aumRead = hasAum ? this.aumRead : null
    r.aumStored = hasAum ? this.aumStored : null
    return {rowsRead: r.read, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, duplicates: r.duplicates, aumRead: r.aumRead, aumStored: r.aumStored}
  }

  private reject(rows: RejectedRow[]): void {
    if (rows.length === 0) return
    rows.sort((a, b) => a.line - b.line)
    this.report.rejected += rows.length
    for (const row of rows) {
      if (this.report.rejectExamples.length >= EXAMPLES) break
      this.report.rejectExamples.push({line: row.line, field: row.issues.map((i) => i.field).join(','), reason: row.issues.map((i) => i.reason).join('; ')})
    }
    if (!(this.options.dryRun && this.options.rejectsPath === undefined)) this.rejects.write(rows)
  }

  private noteDuplicate(duplicate: Duplicate): void {
    this.report.duplicates++
    if (this.report.duplicateExamples.length < EXAMPLES) this.report.duplicateExamples.push(duplicate)
  }
}

function idOf(block: ReadBlock, row: number, customerIdAt: number): string {
  return block.values[row * block.width + customerIdAt] as string
}

function emptyReport(options: ImportOptions): ImportReport {
  return {
    file: options.file === '-' ? 'stdin' : options.file, format: '', encoding: '', delimiter: '',
    read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, duplicates: 0, warnings: 0,
    aumRead: null, aumStored: null, unknownColumns: [], rejectsFile: null, rejectExamples: [], duplicateExamples: [], warningExamples: [],
    batchId: null, dryRun: options.dryRun, committed: false, sameFileAsBatch: null, seconds: 0,
  }
}

/** exports/2026-11.csv -> exports/2026-11.rejects.csv; stdin -> ./stdin.rejects.csv */
export function defaultRejectsPath(file: string): string {
  if (file === '-') return 'stdin.rejects.csv'
  const ext = extname(file)
  return join(dirname(file), `${basename(file, ext)}.rejects.csv`)
}
