import {BaseCommand} from '../../base-command.js'
import {contactRepository} from '../../db/repositories/contacts.js'
import {contactListView} from '../../io/contact-views.js'
import {writeRows} from '../../io/row-writer.js'
import {CONTACT_FILTER_FLAGS, EXPORT_FLAGS, revealFlag} from '../../flags.js'
import {contactFilter} from '../../io/filter-flags.js'
import {say} from '../../core/messages.js'

export type ContactExportResult = {readonly exported: number; readonly output: string | null}

export default class ContactExport extends BaseCommand<typeof ContactExport, ContactExportResult> {
  static override summary =
    'Export contacts to CSV (for Excel), JSON, NDJSON or an Excel workbook (xlsx), with the filters of contact list.'
  static override description =
    `CSV is UTF-8 with a byte-order mark (or --encoding gbk); notes are whole, and a cell a spreadsheet would ` +
    `run as a formula is written with a leading '. --format xlsx writes a workbook (to --output, or to a pipe, ` +
    `never to a terminal) whose texts are text cells, never formulas; a note longer than the 32,767 characters ` +
    `Excel keeps in a cell is cut there, and said so. ID numbers, phones and e-mail addresses written in notes ` +
    `or outcomes are masked unless --reveal, which the audit log records with the number of contacts exported.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --since 2026-11-01 --output contacts-2026-11.csv',
    '<%= config.bin %> <%= command.id %> --rm RM0812 --open --format json',
    '<%= config.bin %> <%= command.id %> --since 2026-11-01 --format xlsx --output contacts-2026-11.xlsx',
  ]
  static override flags = {
    ...CONTACT_FILTER_FLAGS,
    output: EXPORT_FLAGS.output,
    force: EXPORT_FLAGS.force,
    encoding: EXPORT_FLAGS.encoding,
    reveal: revealFlag('Export ID numbers, phones and e-mail addresses in notes and outcomes unmasked'),
  }
  static override writesWorkbook = true

  async run(): Promise<ContactExportResult> {
    const {flags} = this
    const target = this.exportOptions(flags)
    const filter = contactFilter(this.matchFilters(this.db(), flags, {contacts: true}))
    const audit = this.auditReveal(flags.reveal, 'contact.export.reveal', {filter, output: flags.output ?? null})
    const contacts = contactRepository(this.db()).each(filter)
    const written = await writeRows(
      audit ? audit.counting(contacts) : contacts,
      contactListView(this.lang, {reveal: flags.reveal}),
      {format: target.format, export: target, sheet: 'contacts'},
    )
    this.noteWorkbook(written)
    const exported = written.rows
    this.note(
      say(this.lang, flags.output ? 'exportedContactsTo' : 'exportedContacts', {
        count: exported.toLocaleString('en-US'),
        file: flags.output ?? '',
      }),
    )
    return {exported, output: flags.output ?? null}
  }
}
