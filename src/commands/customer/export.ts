import {BaseCommand} from '../../base-command.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {customerRepository} from '../../db/repositories/customers.js'
import {RECORD_KEYS} from '../../db/customer-record.js'
import {cellWriter, recordSeparator, writeRows, writtenView} from '../../io/row-writer.js'
import {CUSTOMER_FILTER_FLAGS, EXPORT_FLAGS} from '../../flags.js'
import {customerFilter} from '../../io/filter-flags.js'
import {say} from '../../core/messages.js'

export type CustomerExportResult = {readonly exported: number; readonly output: string | null}

export default class CustomerExport extends BaseCommand<typeof CustomerExport, CustomerExportResult> {
  static override summary = 'Export customers to CSV (for Excel), JSON or NDJSON, with the filters of customer list.'
  static override description =
    `CSV is UTF-8 with a byte-order mark (or --encoding gbk) so Excel opens it cleanly; a text cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is written with a leading ' and numbers stay numbers. ID, phone, e-mail and birth date (to the year) are masked unless --reveal, which the audit log records with the number of customers exported. Money is two-decimal yuan; extra columns are one JSON column.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --output customers.csv',
    '<%= config.bin %> <%= command.id %> --branch 浦东支行 --encoding gbk --output pudong.csv',
    '<%= config.bin %> <%= command.id %> --tier private-banking --scheme retail-aum --format ndjson',
  ]
  static override flags = {...CUSTOMER_FILTER_FLAGS, ...EXPORT_FLAGS}

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
    const customers = customerRepository(this.db()).eachWritten(
      filter,
      {reveal: flags.reveal},
      target.format,
      cellWriter(target.format),
      recordSeparator(target.format, true),
    )
    // Written by SQLite (db/customer-record.ts): the records of customerListView, without an object per row.
    const {rows: exported} = await writeRows(
      audit ? audit.counting(customers, (page) => page.rows) : customers,
      writtenView(RECORD_KEYS),
      {format: target.format, export: target},
    )
    this.note(
      say(this.lang, flags.output ? 'exportedCustomersTo' : 'exportedCustomers', {
        count: exported.toLocaleString('en-US'),
        file: flags.output ?? '',
      }),
    )
    return {exported, output: flags.output ?? null}
  }
}
