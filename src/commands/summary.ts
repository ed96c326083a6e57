import {en} from '../core/messages.js'
import {Flags} from '@oclif/core'
import {BaseCommand, type Streamed} from '../base-command.js'
import {classificationRepository} from '../db/repositories/classifications.js'
import type {TopCustomer} from '../core/summary.js'
import type {Run} from '../core/runs.js'
import {summaryRepository} from '../db/repositories/summaries.js'
import {PERSONAL_FIELDS} from '../core/masking.js'
import {ExitCode, UserError} from '../errors.js'
import {DAYS_RANGE, idFlag, revealFlag, wholeFlag} from '../flags.js'
import {Rows, table, writeDocument, writeLines} from '../io/row-writer.js'
import {
  MATRIX_VIEW,
  type MigrationRecord,
  migrationRecord,
  type MoverRecord,
  migrationText,
  moverView,
  runHeading,
  summaryView,
  summaryWithTopView,
  topLines,
  topRecord,
  type TopRecord,
  unknownNote,
  versionsNote,
} from '../io/summary-views.js'
import {type RunVersion, schemeChanged} from '../core/runs.js'
import {
  compareRuns,
  pickRun,
  sumField,
  summaryFields,
  tierSummary,
  topCounts,
  topCustomers,
} from '../services/summary.js'

const RUNS_HINT = 'list runs with: crm classify runs'
const TOP_RANGE = {min: 1, max: 10_000}

/** With --compare: the migration between the two runs, and with --movers who moved. */
export type SummaryCompareResult = MigrationRecord & {readonly movers?: MoverRecord[]}

/**
 * Otherwise, under --json: the runs summarised, then a row per tier (per group with --by, then subtotals and the
 * total): the group keys, then summaryView's record keys; with --top, the largest customers.
 */
export type SummaryDocument = {
  readonly run: number
  readonly runs: readonly number[]
  readonly scheme: string
  readonly version: string
  readonly as_of: string
  readonly filter: Run['filter']
  readonly scheme_changed: boolean
  readonly run_versions: readonly RunVersion[]
  readonly by: string[]
  readonly sum?: {readonly field: string; readonly type: string}
  readonly contact_window: number | null
  readonly rows: Record<string, unknown>[]
  readonly top?: TopRecord[]
}

export type SummaryResult = SummaryCompareResult | Streamed<SummaryDocument>

export default class Summary extends BaseCommand<typeof Summary, SummaryResult> {
  static override summary =
    'Customers, balances and contact coverage per tier of a run; or the migration between two runs.'
  static override description =
    `Without --run, summarises each customer's tier in the newest run of --scheme (or of the only scheme with ` +
    `runs) that classified it: the newest run of the whole book and any filtered runs after it, which the header ` +
    `line and the JSON field runs name; when those runs used different versions of the scheme, a warning above ` +
    `the table says so (in JSON, scheme_changed and run_versions). Amounts are exact sums of the stored fen over ` +
    `the customers that have a value: a sum none of them has is unknown (— in a table, null in JSON and CSV), ` +
    `and one only some have is marked * with how many it covers (aum_count, deposits_count, loans_count in ` +
    `JSON). Contact coverage is the share of a tier's customers contacted within the tier's cadence (or ` +
    `--contact-window days) up to the run's as-of date; — when neither is known. --by groups by any text field ` +
    `or an extra the run's scheme declares (personal fields only with --reveal); --sum adds the exact total of a ` +
    `money or number field or extra. --compare A B prints the migration matrix between two runs of one scheme, ` +
    `and says so when they used different versions of it.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --scheme retail-aum',
    '<%= config.bin %> <%= command.id %> --scheme retail-aum --by branch --format csv',
    '<%= config.bin %> <%= command.id %> --run 12 --by branch --by type --top 5 --lang zh',
    '<%= config.bin %> <%= command.id %> --scheme churn-tiers --by Card_Category --sum Total_Trans_Amt',
    '<%= config.bin %> <%= command.id %> --compare 11 12 --movers',
  ]
  static override flags = {
    scheme: Flags.string({char: 's', summary: 'The scheme whose latest run to summarise.'}),
    run: idFlag(RUNS_HINT)({summary: 'The run to summarise (crm classify runs).', exclusive: ['compare']}),
    by: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      summary: 'Break down by a text field (branch, rm, type, industry …) or an extra the scheme declares (up to two).',
    }),
    sum: Flags.string({
      summary: 'Also total this money or number field, or money or number extra the scheme declares, per tier.',
    }),
    top: wholeFlag(TOP_RANGE)({summary: 'List the N largest customers (by AUM) of each tier (up to 10,000).'}),
    'contact-window': wholeFlag({...DAYS_RANGE, min: 1})({
      summary: "Count customers contacted within this many days (up to 3650), instead of each tier's cadence.",
    }),
    // Greedy (unlike --map): --compare 11 12 reads both runs after one flag, and summary takes no argument it could
    // swallow.
    compare: idFlag(RUNS_HINT)({multiple: true, summary: 'Two runs of one scheme: --compare EARLIER LATER.'}),
    movers: Flags.boolean({summary: 'With --compare: list the customers who changed tier.', dependsOn: ['compare']}),
    reveal: revealFlag('Show the names of individuals (--top) and personal values (--by) in full'),
  }

  /** The top customers are written as they are read (under --json too: the document is written, not returned). */
  async run(): Promise<SummaryResult> {
    const {flags} = this
    const runs = classificationRepository(this.db())
    const summaries = summaryRepository(this.db())
    if (flags.compare !== undefined) return await this.compare(runs, summaries, flags.compare)
    const basis = pickRun(runs, {run: flags.run, scheme: flags.scheme})
    const {run} = basis
    const fields = await summaryFields(run, flags.by ?? [], flags.reveal)
    const by = fields.map((f) => f.name)
    const sum = flags.sum === undefined ? undefined : await sumField(run, flags.sum)
    const rows = tierSummary(summaries, basis, fields, flags['contact-window'] ?? null, {sum, reveal: flags.reveal})
    const counts = flags.top === undefined ? new Map<string, number>() : topCounts(rows, flags.top)
    const top = () => (flags.top === undefined ? [] : topCustomers(summaries, basis, flags.top))
    const shown = [...counts.values()].reduce((total, n) => total + n, 0)
    const revealed = shown > 0 || fields.some((f) => f.source === 'extra' || PERSONAL_FIELDS.includes(f.name))
    if (flags.reveal && revealed) this.audit('summary.reveal', {run: run.id, by}, shown)
    const people = !this.jsonEnabled() && this.format === 'table'
    const view = summaryView(run, by, this.lang, people ? this.chalk : undefined, sum, people ? rows.at(-1) : undefined)
    if (this.jsonEnabled()) {
      await writeDocument({
        run: run.id,
        runs: basis.runs,
        scheme: run.scheme,
        version: run.version,
        as_of: run.asOf,
        filter: run.filter,
        scheme_changed: schemeChanged(basis.versions),
        run_versions: basis.versions,
        by,
        ...(sum === undefined ? {} : {sum: {field: sum.name, type: sum.type}}),
        contact_window: flags['contact-window'] ?? null,
        rows: rows.map(view.record),
        ...(flags.top === undefined ? {} : {top: new Rows(top(), (t: TopCustomer) => topRecord(t, flags.reveal))}),
      })
      return
    }
    if (people) this.log(this.chalk.bold(runHeading(run, basis.runs, rows.at(-1)!.customers, this.lang)))
    // Runs of different versions: said above the table (on stderr when the rows go to a script).
    const versions = versionsNote(run.scheme, basis.versions, this.lang)
    if (versions !== '') people ? this.log(this.chalk.yellow(versions)) : this.note(versions)
    // For scripts, the top customers follow the summary's rows as records of kind "top" (one header fits both).
    const lines = function* () {
      yield* rows
      for (const t of top()) yield {kind: 'top' as const, top: t}
    }
    if (flags.top === undefined || people) await this.printRows(rows, view, {escaped: true})
    else await this.printRows(lines(), summaryWithTopView(run, view, rows[0], this.lang, flags.reveal), {escaped: true})
    const note = people ? unknownNote(rows, this.lang, sum) : ''
    if (note !== '') this.log(this.chalk.dim(note))
    if (people && shown > 0) await writeLines(topLines(run, top(), counts, flags.reveal, this.lang, this.chalk))
  }

  private async compare(
    runs: ReturnType<typeof classificationRepository>,
    summaries: ReturnType<typeof summaryRepository>,
    ids: number[],
  ): Promise<SummaryCompareResult> {
    if (ids.length !== 2)
      throw new UserError(en('compareTakesTwo', {count: ids.length}), ExitCode.Usage, en('compareExample'))
    const {from, to, migration} = compareRuns(runs, summaries, ids[0], ids[1])
    const movers = this.flags.movers ? summaries.movers(from.id, to.id) : []
    const view = moverView(from, to, this.lang)
    if (!this.jsonEnabled()) {
      if (this.format === 'table') {
        this.log(
          migrationText(from, to, migration, this.lang, this.chalk, (rows, header) =>
            table(
              rows,
              header.map((h, i) => ({header: h, cell: (r: string[]) => r[i], align: i === 0 ? 'left' : 'right'})),
              this.chalk,
            ),
          ),
        )
        if (this.flags.movers) await this.printRows(movers, view)
      } else if (this.flags.movers) await this.printRows(movers, view)
      else await this.printRows(migrationRecord(from, to, migration).matrix, MATRIX_VIEW)
    }
    return {...migrationRecord(from, to, migration), ...(this.flags.movers ? {movers: movers.map(view.record)} : {})}
  }
}
