import {Flags} from '@oclif/core'
import {BaseCommand, type Streamed, TABLE_ROWS} from '../../base-command.js'
import {auditListRepository} from '../../db/repositories/audit.js'
import {customerIdFlag, limitFlag, revealFlag} from '../../flags.js'
import {auditFilter} from '../../io/filter-flags.js'
import {type AuditRecord, auditListView} from '../../io/audit-views.js'
import {notFound} from '../../errors.js'
import {en, say} from '../../core/messages.js'

/** Under --json: the audit entries, newest first. */
export type AuditListResult = Streamed<AuditRecord[]>

export default class AuditList extends BaseCommand<typeof AuditList, AuditListResult> {
  static override summary = 'List the audit log, newest first: who did what, when, to how many rows.'
  static override description =
    'Every write crm makes and every --reveal is recorded. --customer shows the entries that touched one ' +
    'customer: those naming it (a contact logged, a --reveal of it, an edit, delete or erase), the import ' +
    'batches that created, updated or undid it or added its contacts, and commands on its contacts; not ' +
    'classification runs or list reveals, which name a filter, not customers. Personal data in the details ' +
    '(old values of an edit, a searched ID number) is masked unless --reveal, which is itself recorded. On a ' +
    'terminal the table shows the newest 100 entries unless --limit is given.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> --since 2026-11-01 --until 2026-11-30',
    '<%= config.bin %> <%= command.id %> --command "customer import" --actor wang.fang',
    '<%= config.bin %> <%= command.id %> --customer C100140903 --format json',
  ]
  static override flags = {
    actor: Flags.string({summary: 'Only entries by this actor (as --actor gave it, or the OS user).'}),
    command: Flags.string({
      summary: 'Only this command or action: "customer import", customer.import (and customer.import.complete).',
    }),
    since: Flags.string({summary: 'From this date (inclusive, your time zone).'}),
    until: Flags.string({summary: 'To this date (inclusive, your time zone).'}),
    customer: customerIdFlag('Only entries that touched this customer (customer_id).'),
    limit: limitFlag('entries'),
    reveal: revealFlag('Show personal data in the details unmasked'),
  }

  async run(): Promise<AuditListResult> {
    const {limit, cut} = this.rowLimit(this.flags.limit)
    const entries = auditListRepository(this.db())
    const filter = {...auditFilter(this.flags), limit}
    if (filter.customerId !== undefined && !entries.customerKnown(filter.customerId))
      notFound(en('auditNoCustomer', {id: filter.customerId}), en('auditCustomerHint'))
    const audit = this.auditReveal(this.flags.reveal, 'audit.reveal', {filter})
    const rows = entries.each(filter)
    const written = await this.printRows(
      audit ? audit.counting(rows) : rows,
      auditListView(this.lang, this.flags.reveal),
    )
    if (cut(written.rows)) this.note(say(this.lang, 'showingNewestAudit', {shown: TABLE_ROWS}))
  }
}
