import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {ID_FLAGS, IMPORT_FLAGS, revealFlag} from '../../flags.js'
import {importExitCode, importOptions} from '../../io/import-flags.js'
import {say} from '../../core/messages.js'
import {importReportJson, importReportText, type ImportResult} from '../../io/import-report.js'

export type CustomerImportResult = ImportResult

export default class CustomerImport extends BaseCommand<typeof CustomerImport, CustomerImportResult> {
  static override createsDatabase = true
  static override summary = 'Import customers in bulk from CSV, TSV, JSON or NDJSON (UTF-8 or GBK).'
  static override description =
    'Rows are checked field by field; bad rows go to a reject file with their line, field and reason, and ' +
    'the good rows are merged on customer_id. Exit 3 when any row was rejected.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> data/customers.csv',
    '<%= config.bin %> <%= command.id %> export.csv --encoding gbk --rejects bad-rows.csv --json',
    '<%= config.bin %> <%= command.id %> Churn_Modelling.csv --mapping data/mappings/churn-modelling.json',
    'cat export.tsv | <%= config.bin %> <%= command.id %> - --map "Cust No=customer_id" --dry-run',
    '<%= config.bin %> <%= command.id %> bank-full.csv --id-from "age,job,marital,balance" --date-format DD/MM/YYYY',
  ]
  static override args = {
    file: Args.string({description: 'file to import, or - for standard input', required: true, ignoreStdin: true}),
  }
  static override flags = {
    mode: Flags.option({
      options: ['upsert', 'insert', 'update-only'] as const,
      default: 'upsert' as const,
      summary: 'upsert: add and update; insert: refuse existing ids; update-only: refuse unknown ids.',
    })(),
    ...IMPORT_FLAGS,
    // h1: import history and undo
    'allow-identity-changes': Flags.boolean({
      summary: 'Import even when over 5% of the existing customers in the first rows would change name or id_number.',
    }),
    reveal: revealFlag('With --dry-run, show the examples of changes unmasked'),
    ...ID_FLAGS,
  }

  async run(): Promise<CustomerImportResult> {
    const who = {actor: this.actor, command: this.commandLine, quiet: this.jsonEnabled(), lang: this.lang}
    const options = {
      ...importOptions(this.args.file, this.flags, who, this.dbPath),
      mode: this.flags.mode,
      reveal: this.flags.reveal === true,
      allowIdentityChanges: this.flags['allow-identity-changes'] === true,
    }
    // Loaded here, so other commands do not load the import's modules.
    const {importCustomers} = await import('../../services/import-customers.js')
    const report = await importCustomers(this.db({dryRun: options.dryRun}), options)
    if (!this.jsonEnabled()) this.log(importReportText(report, this.lang, this.chalk))
    // A file of a header alone is not an error (an export of an empty branch), but worth saying on stderr,
    // --json or not.
    if (report.read === 0) this.tell(say(this.lang, 'onlyHeader', {file: report.file}))
    this.noteDryRunDatabase(this.flags['dry-run'])
    const shown = report.changes?.reduce((sum, c) => sum + c.examples.length, 0) ?? 0
    if (this.flags.reveal && shown > 0) this.audit('customer.reveal', {file: report.file, dryRunChanges: shown}, shown)
    process.exitCode = importExitCode(report)
    return importReportJson(report)
  }
}
