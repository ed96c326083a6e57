import {BaseCommand} from '../../base-command.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {CONTACT_FILTER_FLAGS, contactFilter} from '../../io/filter-flags.js'
import {contactListView, contactRecord} from '../../io/contact-views.js'
import {LIMIT_RANGE, wholeFlag} from '../../io/number-flags.js'

export default class ContactList extends BaseCommand<typeof ContactList> {
  static override summary = 'List contacts, newest first.'
  static override description = 'Notes are shown whole with --format json, ndjson or csv, and cut to one line in tables.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --customer C100140903',
    '<%= config.bin %> <%= command.id %> --rm RM0812 --since 2026-11-01 --channel phone',
    '<%= config.bin %> <%= command.id %> --open --format json',
  ]
  static override flags = {
    ...CONTACT_FILTER_FLAGS,
    limit: wholeFlag(LIMIT_RANGE)({summary: 'At most this many contacts.'}),
  }

  async run(): Promise<Record<string, unknown>[]> {
    const rows = contactRepository(this.db()).list({...contactFilter(this.flags), limit: this.flags.limit})
    this.print(rows, contactListView(this.lang))
    return rows.map(contactRecord)
  }
}
