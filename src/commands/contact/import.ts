import {Args} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {IMPORT_FLAGS} from '../../flags.js'
import {importExitCode, importOptions} from '../../io/import-flags.js'
import {say} from '../../core/messages.js'
import {importReportJson, importReportText, type ImportResult} from '../../io/import-report.js'

export type ContactImportResult = ImportResult

export default class ContactImport extends BaseCommand<typeof ContactImport, ContactImportResult> {
  static override createsDatabase = true
  static override summary = "Import contact logs in bulk (a call centre's export, say), checked like customer import."
  static override description =
    'Columns: customer_id, at, channel, direction (default out), purpose, outcome, rm, notes, follow_up_on, ' +
    'utc_offset (Chinese aliases too). A time written with its offset from UTC (2026-11-29T18:00:04+08:00), ' +
    'or a utc_offset column (as contact export writes), gives the offset of the contact, and the time stays ' +
    'as written; a time without one takes the offset of the machine zone at that time (set TZ to import the ' +
    'log of another zone). An offset outside -12:00 to +14:00, or two that disagree, rejects the row. A row ' +
    'for an unknown customer is rejected. Two rows are the same contact when customer, time, channel, ' +
    'direction, purpose and notes agree: importing a file again adds nothing twice. Exit 3 when any row was ' +
    'rejected.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> calls-2026-11.csv',
    '<%= config.bin %> <%= command.id %> calls.csv --encoding gbk --rejects bad-calls.csv --json',
    'cat calls.ndjson | <%= config.bin %> <%= command.id %> - --dry-run',
  ]
  static override args = {
    file: Args.string({description: 'file to import, or - for standard input', required: true, ignoreStdin: true}),
  }
  static override flags = IMPORT_FLAGS

  async run(): Promise<ContactImportResult> {
    const who = {actor: this.actor, command: this.commandLine, quiet: this.jsonEnabled(), lang: this.lang}
    const options = {...importOptions(this.args.file, this.flags, who, this.dbPath)}
    // Loaded here, so other commands do not load the import's modules.
    const {importContacts} = await import('../../services/import-contacts.js')
    const report = await importContacts(this.db({dryRun: options.dryRun}), options)
    if (!this.jsonEnabled()) this.log(importReportText(report, this.lang, this.chalk))
    // A file of a header alone is not an error (an export of an empty branch), but worth saying on stderr,
    // --json or not.
    if (report.read === 0) this.tell(say(this.lang, 'onlyHeader', {file: report.file}))
    this.noteDryRunDatabase(this.flags['dry-run'])
    process.exitCode = importExitCode(report)
    return importReportJson(report)
  }
}
