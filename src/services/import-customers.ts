import {basename, dirname, extname, join} from 'node:path'
import type {Database} from 'better-sqlite3'
import {type ColumnMapping, type ColumnPlan, type ImportMode, planColumns} from '../core/column-plan.js'
import {customerRowValidator, type RowIssue} from '../core/customer-row.js'
import {type CustomerImporter, customerImporter, type Duplicate, type StagedRow} from '../db/repositories/customer-import.js'
import {Progress} from '../io/progress.js'
import {type RejectedRow, RejectWriter} from '../io/reject-writer.js'
import {RecordSource, type SourceOptions} from '../io/source.js'

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
  rejectExamples: {line: number; field: string; reason: string}[]
  duplicateExamples: Duplicate[]
  warningExamples: {line: number; field: string; reason: string}[]
  batchId: number | null
  dryRun: boolean
  committed: boolean
  sameFileAsBatch: number | null
  seconds: number
}

const EXAMPLES = 5

/** Reads, checks and stages every row, then merges them (unless dry-run, or strict with rejects). */
export async function importCustomers(db: Database, options: ImportOptions): Promise<ImportReport> {
  const started = Date.now()
  const source = RecordSource.open(options.file, options.source)
  let progress = Progress.forStderr(null, options.quiet)
  let plan: ColumnPlan | undefined
  let validate: ReturnType<typeof customerRowValidator> | undefined
  let importer: CustomerImporter | undefined
  let rejects: RejectWriter | undefined
  const report = emptyReport(options)
  const ready = () => {
    plan = planColumns(source.header, options.mapping, options.mode)
    validate = customerRowValidator(plan)
    importer = customerImporter(db, plan.fields.map((f) => f.field))
    rejects = new RejectWriter(options.rejectsPath ?? defaultRejectsPath(options.file), source.header, source.description.encoding, source.description.delimiter, source.description.hasBom)
    progress = Progress.forStderr(source.description.totalBytes, options.quiet)
    report.unknownColumns = [...plan.unknownColumns]
    Object.assign(report, {format: source.description.format, encoding: source.description.encoding, delimiter: source.description.delimiter})
  }
  try {
    for await (const records of source.batches()) {
      if (plan === undefined) ready()
      const staged: StagedRow[] = []
      const rejected: RejectedRow[] = []
      for (const record of records) {
        report.read++
        if (record.problem !== undefined) {
          rejected.push({line: record.line, issues: [{field: '-', reason: record.problem}], cells: record.cells})
          continue
        }
        const result = validate!(record.cells)
        if ('issues' in result) rejected.push({line: record.line, issues: result.issues, cells: record.cells})
        else {
          staged.push({line: record.line, values: result.values, extra: result.extra})
          if (result.warnings) noteWarnings(report, record.line, result.warnings)
        }
      }
      const kept = options.mode === 'upsert' ? staged : rejectByExistence(importer!, options.mode, staged, records, rejected)
      importer!.stage(kept)
      recordRejects(report, rejects!, rejected, options.dryRun && options.rejectsPath === undefined)
      progress.update(source.bytesRead, report.read)
    }
    if (plan === undefined) ready()
    progress.done()
    const duplicates = importer!.settleDuplicates(EXAMPLES)
    report.duplicates = duplicates.count
    report.duplicateExamples = duplicates.examples
    report.rejectsFile = rejects!.written > 0 ? rejects!.path : null
    const previous = importer!.previousImport(source.sha256)
    report.sameFileAsBatch = previous?.id ?? null
    if (options.dryRun || (options.strict && report.rejected > 0)) {
      Object.assign(report, importer!.preview())
      report.aumRead = importer!.aumTotals()?.read ?? null
    } else {
      const merging = Progress.forStderr(null, options.quiet)
      const info = {fileName: options.file === '-' ? 'stdin' : options.file, sha256: source.sha256, mode: options.mode, actor: options.actor,
        command: options.command, rowsRead: report.read, rejected: report.rejected, duplicates: report.duplicates}
      const {batchId, counts} = importer!.merge(options.mode, info, (done) => merging.update(done, done, 'rows merged'))
      merging.done()
      importer!.complete(batchId, options.actor, options.command, counts)
      Object.assign(report, counts, {batchId, committed: true})
      const totals = importer!.aumTotals()
      report.aumRead = totals?.read ?? null
      report.aumStored = totals?.stored ?? null
    }
  } finally {
    progress.done()
    rejects?.close()
    importer?.dispose()
  }
  report.seconds = (Date.now() - started) / 1000
  return report
}

function emptyReport(options: ImportOptions): ImportReport {
  return {
    file: options.file === '-' ? 'stdin' : options.file, format: '', encoding: '', delimiter: '',
    read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, duplicates: 0, warnings: 0,
    aumRead: null, aumStored: null, unknownColumns: [], rejectsFile: null, rejectExamples: [], duplicateExamples: [], warningExamples: [],
    batchId: null, dryRun: options.dryRun, committed: false, sameFileAsBatch: null, seconds: 0,
  }
}

/** --mode insert refuses ids that exist; --mode update-only refuses ids that do not. */
function rejectByExistence(importer: CustomerImporter, mode: ImportMode, staged: StagedRow[], records: readonly {line: number; cells: string[]}[], rejected: RejectedRow[]): StagedRow[] {
  if (staged.length === 0) return staged
  const at = importer.customerIdAt
  const existing = importer.existingIds(staged.map((r) => r.values[at] as string))
  const cellsByLine = new Map(records.map((r) => [r.line, r.cells]))
  return staged.filter((row) => {
    const exists = existing.has(row.values[at] as string)
    if (exists === (mode === 'update-only')) return true
    const reason = mode === 'insert'
      ? `customer ${row.values[at]} already exists (use --mode upsert to update it)`
      : `customer ${row.values[at]} does not exist (use --mode upsert to add it)`
    rejected.push({line: row.line, issues: [{field: 'customer_id', reason}], cells: cellsByLine.get(row.line) ?? []})
    return false
  })
}

function recordRejects(report: ImportReport, writer: RejectWriter, rejected: readonly RejectedRow[], skipFile: boolean): void {
  if (rejected.length === 0) return
  const ordered = [...rejected].sort((a, b) => a.line - b.line)
  report.rejected += ordered.length
  for (const row of ordered) {
    if (report.rejectExamples.length >= EXAMPLES) break
    report.rejectExamples.push({line: row.line, field: row.issues.map((i) => i.field).join(','), reason: row.issues.map((i) => i.reason).join('; ')})
  }
  if (!skipFile) writer.write(ordered)
}

function noteWarnings(report: ImportReport, line: number, warnings: readonly RowIssue[]): void {
  report.warnings += warnings.length
  for (const w of warnings) if (report.warningExamples.length < EXAMPLES) report.warningExamples.push({line, ...w})
}

/** exports/2026-11.csv -> exports/2026-11.rejects.csv; stdin -> ./stdin.rejects.csv */
export function defaultRejectsPath(file: string): string {
  if (file === '-') return 'stdin.rejects.csv'
  const ext = extname(file)
  return join(dirname(file), `${basename(file, ext)}.rejects.csv`)
}
