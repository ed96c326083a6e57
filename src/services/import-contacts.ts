import type {Database} from 'better-sqlite3'
import {type ContactWriter, contactWriter} from '../db/repositories/contact-import.js'
import {freshRows, type ReadBlock} from '../io/import-reader.js'
import {SeenIds} from '../core/seen-ids.js'
import {emptyReport, type ImportOptions, type ImportReport, ImportRun, runImport, type StartMessage} from './import-run.js'

export type ContactImportOptions = Omit<ImportOptions, 'mode'>

/**
 * Imports contact logs (a call centre's export, say) the way customers are imported. A row for an unknown
 * customer is rejected; the same contact twice adds nothing; imported contacts close the follow-ups they answer.
 */
export async function importContacts(db: Database, options: ContactImportOptions): Promise<ImportReport> {
  const report = emptyReport(options, 'contact')
  report.closedFollowUps = 0
  // The reader's thread checks that each row's customer exists, through its own read-only connection (a dry run's
  // temporary database, which no other connection can open, is a new one: it has no customers).
  return runImport({...options, mode: 'upsert', entity: 'contact', keepCells: false, customersIn: db.memory ? null : db.name}, report, (start) => new ContactImport(db, options, report, start))
}

class ContactImport extends ImportRun {
  private readonly writer: ContactWriter
  private readonly customerIdAt: number
  private readonly followUpAt: number
  /**
   * The customers that may have an open follow-up: only their contacts can close one, so only they are looked up
   * (about one customer in ten, rather than every customer in every block). A false "may" costs one look-up.
   */
  private readonly mayHaveOpenFollowUps = new SeenIds()

  constructor(db: Database, options: ContactImportOptions, report: ImportReport, start: StartMessage) {
    const writer = contactWriter(db, start.fields)
    super(writer, {...options, mode: 'upsert'}, report, start)
    this.writer = writer
    this.customerIdAt = start.fields.indexOf('customer_id')
    this.followUpAt = start.fields.indexOf('follow_up_on')
    for (const id of writer.customersWithOpenFollowUps()) this.mayHaveOpenFollowUps.add(id)
  }

  /** One transaction (rows for unknown customers were rejected by the reader); a contact read earlier is a duplicate. */
  protected write(block: ReadBlock): void {
    const w = this.writer
    const customerOf = (row: number) => block.values.get(row, this.customerIdAt) as string
    const fresh = freshRows(block)
    const again = block.repeats
    w.transaction(() => {
      this.startBatch()
      this.count(w.write(this.batch, block, fresh))
      if (again.length > 0) w.write(this.batch, block, again)
      for (const row of again) this.noteDuplicate({customerId: customerOf(row), line: 0, keptLine: block.lines[row]})
      const written = [...fresh, ...again]
      const customers = written.map(customerOf)
      if (this.followUpAt >= 0) {
        written.forEach((row, i) => { if (!block.values.isNull(row, this.followUpAt)) this.mayHaveOpenFollowUps.add(customers[i]) })
      }
      const answering = customers.filter((id) => this.mayHaveOpenFollowUps.has(id))
      if (answering.length > 0) this.report.closedFollowUps! += w.closeAnswered(this.batch, answering)
      w.saveTotals(this.batch, this.totals())
    })
  }
}
