import {BaseCommand} from '../../base-command.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {contactListView} from '../../io/contact-views.js'
import {writeRows} from '../../io/row-writer.js'
import {CONTACT_FILTER_FLAGS, EXPORT_FLAGS, revealFlag} from '../../flags.js'
import {contactFilter} from '../../io/filter-flags.js'
import {say} from '../../core/messages.js'

export type ContactExportResult = {readonly exported: number; readonly output: string | null}

export default class ContactExport extends BaseCommand<typeof ContactExport, ContactExportResult> {
  static override summary = 'Export contacts to CSV (for Excel), JSON or NDJSON, with the filters of contact list.'
  static override description =
    `CSV is UTF-8 with a byte-order mark (or --encoding gbk); notes are whole, and a cell a spreadsheet would run as a formula is written with a leading '. ID numbers, phones and e-mail addresses written in notes or outcomes are masked unless --reveal, which the audit log records with the number of contacts exported.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --since 2026-11-01 --output contacts-2026-11.csv',
    '<%= config.bin %> <%= command.id %> --rm RM0812 --open --format json',
  ]
  static override flags = {
    ...CONTACT_FILTER_FLAGS,
    output: EXPORT_FLAGS.output,
    force: EXPORT_FLAGS.force,
    encoding: EXPORT_FLAGS.encoding,
    reveal: revealFlag('Export ID numbers, phones and e-mail addresses in notes and outcomes unmasked'),
  }

  async run(): Promise<ContactExportResult> {
    const {flags} = this
    const target = this.exportOptions(flags)
    const filter = contactFilter(this.matchFilters(this.db(), flags, {contacts: true}))
    const audit = this.auditReveal(flags.reveal, 'contact.export.reveal', {filter, output: flags.output ?? null})
    const contacts = contactRepository(this.db()).each(filter)
    const {rows: exported} = await writeRows(
      audit ? audit.counting(contacts) : contacts,
      contactListView(this.lang, {reveal: flags.reveal}),
      {format: target.format, export: target},
    )
    this.note(
      say(this.lang, flags.output ? 'exportedContactsTo' : 'exportedContacts', {
        count: exported.toLocaleString('en-US'),
        file: flags.output ?? '',
      }),
    )
    return {exported, output: flags.output ?? null}
  }
}
