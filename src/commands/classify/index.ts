import {en} from '../../core/messages.js'
import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {flatMeasureLines, invalidText, missingInputLines, runSummaryText} from '../../io/classify-views.js'
import {unseenText} from '../../core/schemes/data-checks.js'
import {visible} from '../../core/visible.js'
import {ExitCode} from '../../errors.js'
import {readScheme} from '../../io/scheme-file.js'
import type {RunSummary} from '../../core/runs.js'
import {classifyAndStore} from '../../services/classify.js'
import {AS_OF_FLAG, PORTFOLIO_FLAGS, revealFlag, SCHEME_FLAG} from '../../flags.js'
import {type UnmatchedValue, unmatchedHint} from '../../core/filter-match.js'
import {badInput} from '../../errors.js'

function refuse(unmatched: UnmatchedValue[]): never {
  badInput(
    en('noCustomerToClassify', {values: unmatched.map((u) => `--${u.flag} ${u.text}`).join(' or ')}),
    unmatchedHint(unmatched),
  )
}

export type ClassifyResult = RunSummary

export default class Classify extends BaseCommand<typeof Classify, ClassifyResult> {
  static override createsDatabase = true
  static override summary = 'Classify a portfolio into the tiers of a scheme, and store the run.'
  static override description =
    `The portfolio is every customer the filters select (and the scheme applies to). Each customer gets the ` +
    `first tier whose rule holds, and the run stores the scheme's name, version and hash, the filter, the as-of ` +
    `date, and every customer's tier with the reason. Dates in rules (days_since, age) count to --as-of. A rule ` +
    `or --where that reads personal data (id_number, phone, email, birth_date) runs only with --reveal, which ` +
    `the audit log records (dry runs too): a count of starts_with(id_number, '…') would give masked digits away ` +
    `one by one. So does a rule that reads a kept column (declared under extras:) whose name says it is personal ` +
    `(手机, mobile, email, id_no, birth…), or that compares it with a value that looks like an ID number, a phone ` +
    `or an e-mail, or whose values look like one for a customer classified.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --scheme retail-aum',
    '<%= config.bin %> <%= command.id %> --scheme rfm --branch 浦东支行 --as-of 2026-11-30',
    `<%= config.bin %> <%= command.id %> --scheme my-tiers.yaml --where "aum > 0 and status = 'active'" --dry-run`,
    '<%= config.bin %> <%= command.id %> --scheme sme-size --json',
  ]
  static override flags = {
    scheme: SCHEME_FLAG,
    ...PORTFOLIO_FLAGS,
    where: Flags.string({summary: 'Only customers for whom this rule holds (the rule language of schemes).'}),
    'as-of': AS_OF_FLAG,
    'dry-run': Flags.boolean({summary: 'Classify and print the counts, but store nothing.', default: false}),
    reveal: revealFlag('Allow rules and --where that read personal data'),
  }

  async run(): Promise<ClassifyResult> {
    const {flags} = this
    const asOf = this.dateFlag('as-of', flags['as-of'])
    const scheme = readScheme(flags.scheme)
    const db = this.db({dryRun: flags['dry-run']})
    // A value no customer has would classify nobody: such a run is not stored (exit 3), with the nearest values.
    const filter = {
      ...this.matchFilters(db, {branch: flags.branch, rm: flags.rm}, {unmatched: refuse}),
      type: flags.type,
      where: flags.where,
    }
    const audit = this.auditReveal(flags.reveal, 'classify.reveal', {
      scheme: scheme.name,
      filter,
      dry_run: flags['dry-run'] === true,
    })
    const summary = classifyAndStore(classificationRepository(db), {
      scheme,
      filter,
      asOf,
      dryRun: flags['dry-run'],
      reveal: flags.reveal,
      actor: this.actor,
      command: this.commandLine,
      emptyHint: () => 'check the filter with: crm customer list (--branch, --rm, --type) and --where',
    })
    audit?.count(summary.customers)
    if (!this.jsonEnabled()) this.log(runSummaryText(summary, this.lang, this.chalk))
    for (const line of [
      ...missingInputLines(summary.missing_inputs, summary.customers, this.lang),
      ...flatMeasureLines(summary.flat_measures, this.lang),
    ])
      this.note(line)
    for (const unseen of summary.unseen_values) this.note(visible(`warning: ${unseenText(unseen)}`))
    if (summary.invalid > 0) {
      this.note(invalidText(summary, this.lang))
      process.exitCode = ExitCode.BadInput
    }
    this.noteDryRunDatabase(flags['dry-run'])
    return summary
  }
}
