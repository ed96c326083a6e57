import {BaseCommand, type Streamed, TABLE_ROWS} from '../../base-command.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {CONTACT_FILTER_FLAGS, limitFlag, revealFlag} from '../../flags.js'
import {contactFilter} from '../../io/filter-flags.js'
import {CONTACT_KEYS, contactListView, type ContactRecord} from '../../io/contact-views.js'
import {recordSeparator, writtenView} from '../../io/row-writer.js'
import {say} from '../../core/messages.js'

/** Under --json: the contacts, newest first. */
export type ContactListResult = Streamed<ContactRecord[]>

export default class ContactList extends BaseCommand<typeof ContactList, ContactListResult> {
  static override summary = 'List contacts, newest first.'
  static override description =
    'Notes are shown whole with --format json, ndjson or csv, and cut to one line in tables. ID numbers, ' +
    'phones and e-mail addresses written in notes or outcomes are masked unless --reveal, which the audit ' +
    'log records with the number of contacts shown. On a terminal the table shows the newest 100 contacts ' +
    'unless --limit is given.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> --customer C100140903',
    '<%= config.bin %> <%= command.id %> --rm RM0812 --since 2026-11-01 --channel phone',
    '<%= config.bin %> <%= command.id %> --open --format json',
  ]
  static override flags = {
    ...CONTACT_FILTER_FLAGS,
    limit: limitFlag('contacts'),
    reveal: revealFlag('Show ID numbers, phones and e-mail addresses in notes and outcomes unmasked'),
  }

  /** Rows are written as they are read (under --json too, so nothing is returned for oclif to print). */
  async run(): Promise<ContactListResult> {
    const {limit, cut} = this.rowLimit(this.flags.limit)
    const contacts = contactRepository(this.db())
    const filter = {...contactFilter(this.matchFilters(this.db(), this.flags, {contacts: true})), limit}
    const audit = this.auditReveal(this.flags.reveal, 'contact.reveal', {filter})
    const options = {reveal: this.flags.reveal}
    // JSON and NDJSON records are written by SQLite (contacts' eachWritten), a whole log in seconds.
    const format = this.jsonEnabled() ? 'json' : this.format
    const written =
      format === 'json' || format === 'ndjson'
        ? contacts.eachWritten(filter, options, recordSeparator(format, false))
        : undefined
    const {rows} =
      written !== undefined
        ? await this.printRows(
            audit ? audit.counting(written, (page) => page.rows) : written,
            writtenView(CONTACT_KEYS),
          )
        : await this.printRows(
            audit ? audit.counting(contacts.each(filter)) : contacts.each(filter),
            contactListView(this.lang, options),
          )
    if (cut(rows)) this.note(say(this.lang, 'showingNewestContacts', {shown: TABLE_ROWS}))
  }
}
