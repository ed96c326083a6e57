import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {readChannel, readPurpose} from '../../core/contact-input.js'
import {addDays, parseDate} from '../../core/dates.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {flagValue} from '../../errors.js'
import {contactListView, contactRecord} from '../../io/contact-views.js'

export default class ContactList extends BaseCommand<typeof ContactList> {
  static override summary = 'List contacts, newest first.'
  static override description = 'Notes are shown whole with --format json, ndjson or csv, and cut to one line in tables.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --customer C100140903',
    '<%= config.bin %> <%= command.id %> --rm RM0812 --since 2026-11-01 --channel phone',
    '<%= config.bin %> <%= command.id %> --open --format json',
  ]
  static override flags = {
    customer: Flags.string({summary: 'Only this customer.'}),
    rm: Flags.string({summary: 'Only contacts made by this manager (or, when none is recorded, the customer\'s manager).'}),
    branch: Flags.string({summary: 'Only customers of this branch.'}),
    channel: Flags.string({summary: 'Only this channel.'}),
    purpose: Flags.string({summary: 'Only this purpose.'}),
    since: Flags.string({summary: 'From this date (inclusive).'}),
    until: Flags.string({summary: 'To this date (inclusive).'}),
    open: Flags.boolean({summary: 'Only contacts with an open follow-up.'}),
    limit: Flags.integer({summary: 'At most this many contacts.', min: 1}),
  }

  async run(): Promise<Record<string, unknown>[]> {
    const {flags} = this
    const until = flagValue('until', flags.until === undefined ? undefined : parseDate(flags.until))
    const rows = contactRepository(this.db()).list({
      customerId: flags.customer, rm: flags.rm, branch: flags.branch, open: flags.open, limit: flags.limit,
      channel: flagValue('channel', flags.channel === undefined ? undefined : readChannel(flags.channel)),
      purpose: flagValue('purpose', flags.purpose === undefined ? undefined : readPurpose(flags.purpose)),
      since: flagValue('since', flags.since === undefined ? undefined : parseDate(flags.since)),
      until: until === undefined ? undefined : addDays(until, 1),
    })
    this.print(rows, contactListView(this.lang))
    return rows.map(contactRecord)
  }
}
