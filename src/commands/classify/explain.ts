import {Flags} from '@oclif/core'
import {BaseCommand} from '../../base-command.js'
import {customerIdArg, revealFlag} from '../../flags.js'
import {classificationRepository} from '../../db/repositories/classifications.js'
import {customerRepository} from '../../db/repositories/customers.js'
import {compileScheme, checkReveal} from '../../core/schemes/scheme.js'
import {UserError} from '../../errors.js'
import {explanationRecord, type ExplanationRecord, explanationText} from '../../io/classify-views.js'
import {readScheme, runScheme} from '../../io/scheme-file.js'
import {explainCustomer, runTiers} from '../../services/classify.js'
import {nextContact} from '../../core/classify.js'
import {addDays} from '../../core/dates.js'
import {contactRepository} from '../../db/repositories/contacts.js'

/** One explanation per scheme: the --scheme given, or each scheme whose latest run classified the customer. */
export type ClassifyExplainResult = ExplanationRecord[]

export default class ClassifyExplain extends BaseCommand<typeof ClassifyExplain, ClassifyExplainResult> {
  static override summary =
    'Why a customer is in its tier, what would move it to the next better tier (or, in a risk scheme, the ' +
    'next worse), and when it is next due for contact.'

  static override description =
    "Without --scheme, explains the customer's tier in the latest run of every scheme that classified it, with " +
    "that run's scheme, as-of date and portfolio. Personal values in the explanation (a rule on id_number, " +
    'phone, e-mail or birth_date) are masked unless --reveal, which the audit log records; a --scheme whose ' +
    'rules read personal data needs --reveal.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> C100140903',
    '<%= config.bin %> <%= command.id %> C100140903 --scheme retail-aum --lang zh',
    '<%= config.bin %> <%= command.id %> C100140903 --scheme my-tiers.yaml --as-of 2026-12-31 --json',
  ]
  static override args = {
    id: customerIdArg(),
  }
  static override flags = {
    scheme: Flags.string({
      char: 's',
      summary: 'A built-in scheme or a scheme file (default: every scheme with a run).',
    }),
    'as-of': Flags.string({
      summary: "The date rules count to, with --scheme, and a tier's contact cadence counts to (default: today).",
    }),
    reveal: revealFlag('Show personal values unmasked, and allow a --scheme that reads them'),
  }

  async run(): Promise<ClassifyExplainResult> {
    const {args, flags} = this
    const customer = customerRepository(this.db()).findOrFail(args.id)
    const repo = classificationRepository(this.db())
    const jobs =
      flags.scheme === undefined
        ? repo.customerTiers(args.id).map(({run}) => ({scheme: runScheme(run), asOf: run.asOf, filter: run.filter}))
        : [{scheme: readScheme(flags.scheme), asOf: this.dateFlag('as-of', flags['as-of']), filter: {}}]
    if (jobs.length === 0)
      throw new UserError(
        `no classification run includes ${args.id} yet`,
        undefined,
        `name a scheme: crm classify explain ${args.id} --scheme retail-aum`,
      )
    // A scheme of one's own could ask about personal data customer by customer; a stored run's scheme was checked when
    // it ran.
    if (flags.scheme !== undefined) checkReveal(compileScheme(jobs[0].scheme, jobs[0].asOf), flags.reveal)
    const audit = this.auditReveal(flags.reveal, 'classify.explain.reveal', {
      customer_id: args.id,
      scheme: flags.scheme ?? null,
    })
    // A cadence is counted to --as-of (default today), from the latest contact up to the end of that day.
    const today = this.dateFlag('as-of', flags['as-of'])
    const last =
      contactRepository(this.db())
        .list({customerId: args.id, until: addDays(today, 1), limit: 1})[0]
        ?.at.slice(0, 10) ?? null
    const records: ExplanationRecord[] = []
    for (const {scheme, asOf, filter} of jobs) {
      const portfolio = flags.scheme === undefined ? filter : (repo.latest(scheme.name)?.filter ?? {})
      const explanation = explainCustomer(repo, scheme, args.id, asOf, portfolio)
      const name = String(customer.values.name)
      const cadence = explanation?.tier?.cadenceDays ?? null
      const contact = cadence === null ? null : nextContact(cadence, last, today, customer.values.status === 'closed')
      if (!this.jsonEnabled())
        this.log(
          explanationText(
            {id: args.id, name},
            {name: scheme.name, version: scheme.version, tiers: runTiers(scheme)},
            asOf,
            explanation,
            contact,
            this.lang,
            this.chalk,
            flags.reveal,
          ),
        )
      records.push(explanationRecord(args.id, scheme, asOf, explanation, contact, flags.reveal))
    }
    audit?.count(1)
    return records
  }
}
