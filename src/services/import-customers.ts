import type {Database} from 'better-sqlite3'
import {type CustomerWriter, customerWriter} from '../db/repositories/customer-import.js'
import {freshRows, type ReadBlock} from '../io/import-reader.js'
import type {RejectedRow} from '../io/reject-writer.js'
import {emptyReport, type ImportOptions, type ImportReport, ImportRun, runImport, type StartMessage} from './import-run.js'
import {en} from '../core/messages.js'

/**
 * Imports a customer file: rows are upserted on customer_id (or only inserted, or only updated, by --mode),
 * and the aum read from the file is reconciled against what is stored.
 */
export async function importCustomers(db: Database, options: ImportOptions): Promise<ImportReport> {
  const report = emptyReport(options)
  return runImport({...options, entity: 'customer', keepCells: options.mode !== 'upsert'}, report, (start) => new CustomerImport(db, options, report, start))
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

  /** Writes a block in one transaction: ids new to this import in bulk, repeats of earlier ids one by one. */
  protected write(block: ReadBlock): void {
    const w = this.writer
    const fresh = freshRows(block)
    const accepted = this.options.mode === 'upsert' ? fresh : this.checkExistence(block, fresh)
    w.transaction(() => {
      this.startBatch()
      const counts = w.write(this.batch, block, accepted)
      this.count(counts)
      for (const row of block.repeats) this.rewrite(block, row)
      if (w.aumAt >= 0) {
        const written = [...accepted, ...block.repeats]
        for (const row of written) {
          const aum = block.values.get(row, w.aumAt)
          if (aum === null || aum === undefined) continue
          this.aumRead += BigInt(aum)
          this.aumCount++
        }
        // A block of only new customers (a first import) is read back by its rowids rather than id by id.
        const allInserted = block.repeats.length === 0 && counts.inserted === accepted.length
        this.aumStored += allInserted ? w.storedAumAfter(counts.newIdsAfter) : w.storedAum(written.map((row) => idOf(block, row, w.customerIdAt)))
      }
      w.saveTotals(this.batch, this.totals())
    })
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
      this.aumCount--
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
      const reason = insert ? en('customerExists', {id}) : en('customerAbsent', {id})
      refused.push({line: block.lines[row], issues: [{field: 'customer_id', reason}], cells: block.cells[row] ?? []})
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

function idOf(block: ReadBlock, row: number, customerIdAt: number): string {
  return block.values.get(row, customerIdAt) as string
}
