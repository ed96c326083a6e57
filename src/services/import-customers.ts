import type {Database} from 'better-sqlite3'
import type {FieldValue} from '../core/row-validator.js'
import {type CustomerWriter, customerWriter} from '../db/repositories/customer-import.js'
import type {ReadBlock} from '../io/import-reader.js'
import type {RejectedRow} from '../io/reject-writer.js'
import {
  emptyReport,
  type ImportOptions,
  type ImportReport,
  ImportRun,
  runImport,
  type StartMessage,
} from './import-run.js'
import {en} from '../core/messages.js'

/**
 * Imports a customer file: rows are upserted on customer_id (or only inserted, or only updated, by --mode),
 * and the aum read from the file is reconciled against what is stored.
 */
export async function importCustomers(db: Database, options: ImportOptions): Promise<ImportReport> {
  const report = emptyReport(options)
  return runImport(
    {...options, entity: 'customer', keepCells: options.mode !== 'upsert'},
    report,
    (start) => new CustomerImport(db, options, report, start),
  )
}

class CustomerImport extends ImportRun {
  private readonly writer: CustomerWriter
  private aumRead = 0n
  private aumStored = 0n
  private aumCount = 0

  constructor(db: Database, options: ImportOptions, report: ImportReport, start: StartMessage) {
    const writer = customerWriter(db, start.fields, options.mode === 'update-only')
    super(writer, options, report, start)
    this.writer = writer
  }

  /** Writes a block: ids new to this import in bulk, repeats of ids it has written already one by one. */
  protected write(block: ReadBlock): void {
    const w = this.writer
    const writtenBefore = w.writtenBefore(block.rows)
    const fresh: number[] = []
    const repeats: number[] = []
    block.rows.forEach((row, i) => {
      ;(writtenBefore.has(w.idOf(row)) ? repeats : fresh).push(i)
    })
    const accepted = this.options.mode === 'upsert' ? fresh : this.checkExistence(block, fresh)
    const rows = accepted.map((i) => block.rows[i])
    const counts = w.write(this.batch, rows)
    this.count(counts)
    for (const i of repeats) this.rewrite(block.rows[i], block.lines[i])
    if (w.aumAt < 0) return
    const written = [...rows, ...repeats.map((i) => block.rows[i])]
    for (const row of written) {
      const aum = row[w.aumAt]
      if (aum === null || aum === undefined) continue
      this.aumRead += BigInt(aum)
      this.aumCount++
    }
    // A block of only new customers (a first import) is read back by its rowids rather than id by id.
    const allInserted = repeats.length === 0 && counts.inserted === rows.length
    this.aumStored += allInserted ? w.storedAumAfter(counts.newIdsAfter) : w.storedAum(written.map(w.idOf))
  }

  /**
   * A customer_id already written by this import: the later row wins. The counts stay those of the customer's
   * net change, so the earlier row becomes the duplicate and the aum sums drop its amount.
   */
  private rewrite(row: readonly FieldValue[], line: number): void {
    const w = this.writer
    const id = w.idOf(row)
    const prior = w.priorState(this.batch, id)
    const counts = w.write(this.batch, [row])
    if (prior === undefined) {
      this.count(counts) // the earlier row's write stored nothing: this row is what the import did with the id
      return
    }
    this.noteDuplicate({customerId: id, line: 0, keptLine: line})
    if (!prior.changedHere && counts.updated === 1) {
      this.report.unchanged--
      this.report.updated++
    }
    if (w.aumAt >= 0 && prior.aum !== null) {
      this.aumRead -= prior.aum
      this.aumStored -= prior.aum
      this.aumCount--
    }
  }

  /** --mode insert refuses ids that exist; --mode update-only refuses ids that do not. */
  private checkExistence(block: ReadBlock, rows: readonly number[]): number[] {
    if (rows.length === 0) return []
    const w = this.writer
    const existing = w.existingIds(rows.map((i) => w.idOf(block.rows[i])))
    const insert = this.options.mode === 'insert'
    const refused: RejectedRow[] = []
    const kept = rows.filter((i) => {
      const id = w.idOf(block.rows[i])
      if (existing.has(id) !== insert) return true
      const reason = insert ? en('customerExists', {id}) : en('customerAbsent', {id})
      refused.push({line: block.lines[i], issues: [{field: 'customer_id', reason}], cells: block.cells[i] ?? []})
      return false
    })
    this.reject(refused)
    return kept
  }

  protected override totals() {
    const hasAum = this.writer.aumAt >= 0
    this.report.aumRead = hasAum ? this.aumRead : null
    this.report.aumStored = hasAum ? this.aumStored : null
    this.report.aumCount = hasAum ? this.aumCount : null
    return super.totals()
  }
}
