import type {CrmDatabase} from '../db/connection.js'
import {lookupSource} from '../db/customer-lookup.js'
import {type ContactWriter, contactWriter} from '../db/repositories/contact-import.js'
import type {FieldValue} from '../core/row-validator.js'
import type {ReadBlock} from '../io/import-reader.js'
import {
  emptyReport,
  type ImportOptions,
  type ImportReport,
  ImportRun,
  runImport,
  type StartMessage,
  slicesOf,
} from './import-run.js'

export type ContactImportOptions = Omit<ImportOptions, 'mode'>

/**
 * Imports contact logs (a call centre's export, say) the way customers are imported. A row for an unknown
 * customer is rejected; the same contact twice adds nothing; imported contacts close the follow-ups they answer.
 */
export async function importContacts(db: CrmDatabase, options: ContactImportOptions): Promise<ImportReport> {
  const report = emptyReport(options, 'contact')
  report.closedFollowUps = 0
  // The reader's thread checks that each row's customer exists, through its own read-only connection (a dry run's
  // temporary database, which no other connection can open, is a new one: it has no customers).
  return runImport(
    {...options, mode: 'upsert', entity: 'contact', keepCells: false, customersIn: lookupSource(db)},
    report,
    (start) => new ContactImport(db, options, report, start),
  )
}

class ContactImport extends ImportRun {
  private readonly writer: ContactWriter
  private readonly followUpAt: number
  /**
   * The customers that may have an open follow-up: only their contacts can close one, so only they are looked up
   * (a few customers, rather than every customer in every block). Once closed, a follow-up is looked for again in vain.
   */
  private readonly mayHaveOpenFollowUps = new Set<string>()
  /** Whether the last slice held only new contacts: the next is then tried as a plain insert first. */
  private allNew = true

  constructor(db: CrmDatabase, options: ContactImportOptions, report: ImportReport, start: StartMessage) {
    const writer = contactWriter(db, start.fields)
    super(writer, {...options, mode: 'upsert'}, report, start)
    this.writer = writer
    this.followUpAt = start.fields.indexOf('follow_up_on')
    for (const id of writer.customersWithOpenFollowUps()) this.mayHaveOpenFollowUps.add(id)
  }

  /** Keeps a copy of the id: a value cut from a block's text would keep the whole text alive. */
  private remember(id: string): void {
    if (!this.mayHaveOpenFollowUps.has(id)) this.mayHaveOpenFollowUps.add(Buffer.from(id).toString())
  }

  /**
   * Writes a block (rows for unknown customers were rejected by the reader); a contact this import wrote already is a
   * duplicate.
   */
  protected write(block: ReadBlock): void {
    const w = this.writer
    const answering: string[] = []
    for (const {rows, lines} of slicesOf(block, w.rowsPerSlice)) {
      this.writeSlice(rows, lines)
      const customers = rows.map(w.customerOf)
      if (this.followUpAt >= 0) {
        rows.forEach((row, i) => {
          if (row[this.followUpAt] !== null) this.remember(customers[i])
        })
      }
      for (const id of customers) if (this.mayHaveOpenFollowUps.has(id)) answering.push(id)
    }
    // Once a block, after all its rows are written: a follow-up is closed by the first contact after it.
    if (answering.length > 0) this.report.closedFollowUps! += w.closeAnswered(answering)
  }

  /** New contacts with a plain insert when they all are; else upserted, and repeats of this import's noted. */
  private writeSlice(rows: FieldValue[][], lines: number[]): void {
    const w = this.writer
    const inserted = this.allNew ? w.insertNew(this.batch, rows) : undefined
    if (inserted !== undefined) {
      this.count(inserted)
      return
    }
    const again = w.writtenBefore(this.batch, rows)
    const fresh = again.size === 0 ? rows : rows.filter((_, i) => !again.has(i))
    const counts = w.write(this.batch, fresh)
    this.count(counts)
    this.allNew = again.size === 0 && counts.inserted === rows.length
    if (again.size > 0) {
      const repeats = [...again].map((i) => rows[i])
      w.write(this.batch, repeats)
      for (const i of again) this.noteDuplicate({customerId: w.customerOf(rows[i]), line: 0, keptLine: lines[i]})
    }
  }
}
