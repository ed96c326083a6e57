import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {ExitCode} from '../../errors.js'
import {importReportJson, importReportText} from '../../io/import-report.js'
import {readMapping} from '../../io/mapping-file.js'
import {delimiterFlag} from '../../io/source.js'
import {importCustomers} from '../../services/import-customers.js'

export default class CustomerImport extends BaseCommand<typeof CustomerImport> {
  static override summary = 'Import customers in bulk from CSV, TSV, JSON or NDJSON (UTF-8 or GBK).'
  static override description = 'Rows are checked field by field; bad rows go to a reject file with their line, field and reason, and the good rows are merged on customer_id. Exit 3 when any row was rejected.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> data/customers.csv',
    '<%= config.bin %> <%= command.id %> export.csv --encoding gbk --rejects bad-rows.csv --json',
    '<%= config.bin %> <%= command.id %> Churn_Modelling.csv --mapping data/mappings/churn-modelling.json',
    'cat export.tsv | <%= config.bin %> <%= command.id %> - --map "Cust No=customer_id" --dry-run',
  ]
  static override args = {file: Args.string({description: 'file to import, or - for standard input', required: true})}
  static override flags = {
    mode: Flags.option({options: ['upsert', 'insert', 'update-only'] as const, default: 'upsert' as const, summary: 'upsert: add and update; insert: refuse existing ids; update-only: refuse unknown ids.'})(),
    'dry-run': Flags.boolean({summary: 'Check every row and print the counts, writing nothing to the database.'}),
    strict: Flags.boolean({summary: 'Write nothing if any row is rejected.'}),
    rejects: Flags.string({summary: 'Where to write rejected rows (default: beside the input, NAME.rejects.csv).'}),
    encoding: Flags.string({summary: 'Input encoding: utf-8, gbk, gb18030, utf-16le (default: detected).'}),
    delimiter: Flags.string({summary: 'Field separator: , ; tab or | (default: detected from the header).'}),
    'input-format': Flags.option({options: ['csv', 'json', 'ndjson'] as const, summary: 'Input format (default: from the extension or the content).'})(),
    map: Flags.string({summary: 'Map a column to a field: --map "Source column=field" (repeatable; field - ignores it).', multiple: true}),
    mapping: Flags.string({summary: 'A JSON mapping file: {"columns": {"Source": "field"}, "defaults": {"type": "individual"}}.'}),
  }

  async run(): Promise<Record<string, unknown>> {
    const {flags, args} = this
    const report = await importCustomers(this.db(), {
      file: args.file, mode: flags.mode, dryRun: flags['dry-run'], strict: flags.strict, rejectsPath: flags.rejects,
      mapping: readMapping(flags.mapping, flags.map ?? []),
      source: {encoding: flags.encoding, delimiter: delimiterFlag(flags.delimiter), inputFormat: flags['input-format']},
      actor: this.actor, command: this.commandLine, quiet: this.jsonEnabled(),
    })
    if (!this.jsonEnabled()) this.log(importReportText(report, this.lang, this.chalk))
    if (report.rejected > 0) process.exitCode = ExitCode.BadInput
    return importReportJson(report)
  }
}
