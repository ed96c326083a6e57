import type {Database} from 'better-sqlite3'
import {type ContactWriter, contactWriter} from '../db/repositories/contact-import.js'
import type {ReadBlock} from '../io/import-reader.js'
import type {RejectedRow} from '../io/reject-writer.js'
import {emptyReport, type ImportOptions, type ImportReport, ImportRun, runImport, type StartMessage} from './import-run.js'

export type ContactImportOptions = Omit<ImportOptions, 'mode'>

/**
 * Imports contact logs (a call centre's export, say) the way customers are imported. A row for an unknown
 * customer is rejected; the same contact twice adds nothing; imported contacts close the follow-ups they answer.
 */
export async function importContacts(db: Database, options: ContactImportOptions): Promise<ImportReport> {
  const report = emptyReport(options, 'contact')
  report.closedFollowUps = 0
  return runImport({...options, mode: 'upsert', entity: 'contact', keepCells: true}, report, (start) => new ContactImport(db, options, report, start))
}

class ContactImport extends ImportRun {
  private readonly writer: ContactWriter
  private readonly customerIdAt: number

  constructor(db: Database, options: ContactImportOptions, report: ImportReport, start: StartMessage) {
    const writer = contactWriter(db, start.fields)
    super(writer, {...options, mode: 'upsert'}, report, start)
    this.writer = writer
    this.customerIdAt = start.fields.indexOf('customer_id')
  }

  /** One transaction: rows for unknown customers are rejected; a contact already read earlier counts as a duplicate. */
  protected write(block: ReadBlock): void {
    const w = this.writer
    const customerOf = (row: number) => block.values[row * block.width + this.customerIdAt] as string
    const rows = Array.from(block.lines, (_, row) => row)
    const known = w.knownCustomers(rows.map(customerOf))
    const refused: RejectedRow[] = []
    const repeats = new Set(block.repeats)
    const fresh: number[] = []
    const again: number[] = []
    for (const row of rows) {
      if (known.has(customerOf(row))) (repeats.has(row) ? again : fresh).push(row)
      else refused.push({line: block.lines[row], issues: [{field: 'customer_id', reason: `customer ${customerOf(row)} does not exist (import the customer first)`}], cells: block.cells[row] ?? []})
    }
    this.reject(refused)
    w.transaction(() => {
      this.startBatch()
      this.count(w.write(this.batch, block, fresh))
      if (again.length > 0) w.write(this.batch, block, again)
      for (const row of again) this.noteDuplicate({customerId: customerOf(row), line: 0, keptLine: block.lines[row]})
      this.report.closedFollowUps! += w.closeAnswered(this.batch, [...fresh, ...again].map(customerOf))
      w.saveTotals(this.batch, this.totals())
    })
  }
}
