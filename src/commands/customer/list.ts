import {BaseCommand, type Streamed, TABLE_ROWS} from '../../base-command.js'
import type {CustomerRecord} from '../../core/customer.js'
import {customerRepository} from '../../db/repositories/customers.js'
import {customerListView} from '../../io/customer-views.js'
import {cellWriter, recordSeparator, writtenView} from '../../io/row-writer.js'
import {RECORD_KEYS} from '../../db/customer-record.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {CUSTOMER_FILTER_FLAGS, limitFlag, revealFlag} from '../../flags.js'
import {customerFilter} from '../../io/filter-flags.js'
import {say} from '../../core/messages.js'

/** Under --json: the customers, as customer show prints one (without its tiers and contacts). */
export type CustomerListResult = Streamed<CustomerRecord[]>

export default class CustomerList extends BaseCommand<typeof CustomerList, CustomerListResult> {
  static override summary = 'List customers, filtered by branch, manager, type or a search text.'
  static override description =
    'ID numbers, phones, e-mail and birth dates (to the year) are masked unless --reveal, which the audit ' +
    'log records with the number of customers shown. On a terminal the table shows the first 100 rows unless ' +
    '--limit is given; piped or with --json every matching customer is printed.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> --branch 浦东支行 --type individual',
    '<%= config.bin %> <%= command.id %> --search 王 --limit 20',
    '<%= config.bin %> <%= command.id %> --rm RM0812 --format csv > rm0812.csv',
    '<%= config.bin %> <%= command.id %> --json --reveal',
  ]
  static override flags = {
    ...CUSTOMER_FILTER_FLAGS,
    limit: limitFlag('customers'),
    reveal: revealFlag('Show ID numbers, phones, e-mail and birth dates unmasked'),
  }

  /** Rows are written as they are read (under --json too, so nothing is returned for oclif to print). */
  async run(): Promise<CustomerListResult> {
    const {flags} = this
    const customers = customerRepository(this.db())
    const filter = customerFilter(
      this.matchFilters(this.db(), flags),
      () => classificationRepository(this.db()),
      (m) => this.tell(m),
    )
    const {limit, cut} = this.rowLimit(flags.limit)
    const audit = this.auditReveal(flags.reveal, 'customer.reveal', {filter: this.auditSearch(filter)})
    const options = {reveal: flags.reveal}
    // Every format but a table is written by SQLite (db/customer-record.ts), a whole book in seconds.
    const format = this.jsonEnabled() ? 'json' : this.format
    const each =
      format === 'table'
        ? undefined
        : customers.eachWritten({...filter, limit}, options, format, cellWriter(format), recordSeparator(format, false))
    const {rows} =
      each === undefined
        ? await this.printRows(
            audit ? audit.counting(customers.each({...filter, limit})) : customers.each({...filter, limit}),
            customerListView(this.lang, options),
          )
        : await this.printRows(audit ? audit.counting(each, (page) => page.rows) : each, writtenView(RECORD_KEYS))
    const total = cut(rows) ? customers.count(filter) : rows
    if (total > rows)
      this.note(say(this.lang, 'showingFirstCustomers', {shown: TABLE_ROWS, total: total.toLocaleString('en-US')}))
  }
}
