import {BaseCommand} from '../../base-command.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {customerRepository} from '../../db/repositories/customers.js'
import {RECORD_KEYS} from '../../db/customer-record.js'
import {cellWriter, type ExportFormat, recordSeparator, type View, writeRows, writtenView} from '../../io/row-writer.js'
import {customerListView} from '../../io/customer-views.js'
import {CUSTOMER_FILTER_FLAGS, EXPORT_FLAGS} from '../../flags.js'
import {customerFilter} from '../../io/filter-flags.js'
import type {CustomerFilter, WrittenRecords} from '../../core/customer.js'
import {say} from '../../core/messages.js'

export type CustomerExportResult = {readonly exported: number; readonly output: string | null}

export default class CustomerExport extends BaseCommand<typeof CustomerExport, CustomerExportResult> {
  static override summary =
    'Export customers to CSV (for Excel), JSON, NDJSON or an Excel workbook (xlsx), with the filters of customer list.'
  static override description =
    `CSV is UTF-8 with a byte-order mark (or --encoding gbk) so Excel opens it cleanly; a text cell that a ` +
    `spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is written with a ` +
    `leading ' and numbers stay numbers. --format xlsx writes a workbook (to --output, or to a pipe, never to a ` +
    `terminal): customer numbers, ID numbers and phones are text cells that keep every digit and leading zero, ` +
    `amounts are numbers with two decimals, dates stay ISO text. ID, phone, e-mail and birth date (to the year) ` +
    `are masked unless --reveal, which the audit log records with the number of customers exported. Money is ` +
    `two-decimal yuan; extra columns are one JSON column.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --output customers.csv',
    '<%= config.bin %> <%= command.id %> --format xlsx --output customers.xlsx',
    '<%= config.bin %> <%= command.id %> --branch 浦东支行 --encoding gbk --output pudong.csv',
    '<%= config.bin %> <%= command.id %> --tier private-banking --scheme retail-aum --format ndjson',
  ]
  static override flags = {...CUSTOMER_FILTER_FLAGS, ...EXPORT_FLAGS}
  static override writesWorkbook = true

  async run(): Promise<CustomerExportResult> {
    const {flags} = this
    const target = this.exportOptions(flags)
    const filter = customerFilter(
      this.matchFilters(this.db(), flags),
      () => classificationRepository(this.db()),
      (m) => this.tell(m),
    )
    const audit = this.auditReveal(flags.reveal, 'customer.export.reveal', {
      filter: this.auditSearch(filter),
      output: flags.output ?? null,
    })
    const {rows, view, size} = this.customers(filter, target.format)
    const written = await writeRows(audit ? audit.counting(rows, size) : rows, view, {
      format: target.format,
      export: target,
      sheet: 'customers',
    })
    this.noteWorkbook(written)
    const exported = written.rows
    this.note(
      say(this.lang, flags.output ? 'exportedCustomersTo' : 'exportedCustomers', {
        count: exported.toLocaleString('en-US'),
        file: flags.output ?? '',
      }),
    )
    return {exported, output: flags.output ?? null}
  }

  /**
   * The customers and how to write them: a workbook from each customer's record (its cells typed one by one), any other
   * format from the records SQLite writes (db/customer-record.ts), without an object per row. `size`: rows per item.
   */
  private customers(
    filter: CustomerFilter,
    format: ExportFormat,
  ): {rows: Iterable<unknown>; view: View<unknown>; size: (item: unknown) => number} {
    const repo = customerRepository(this.db())
    const reveal = this.flags.reveal
    if (format === 'xlsx')
      return {rows: repo.each(filter), view: customerListView(this.lang, {reveal}) as View<unknown>, size: () => 1}
    return {
      rows: repo.eachWritten(filter, {reveal}, format, cellWriter(format), recordSeparator(format, true)),
      view: writtenView(RECORD_KEYS) as View<unknown>,
      size: (page) => (page as WrittenRecords).rows,
    }
  }
}
