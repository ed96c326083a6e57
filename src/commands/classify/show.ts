import {Flags} from '@oclif/core'
import {BaseCommand, type Streamed, TABLE_ROWS} from '../../base-command.js'
import type {Run} from '../../core/runs.js'
import {type ClassificationRepository, classificationRepository} from '../../db/repositories/classifications.js'
import {notFound} from '../../errors.js'
import {RESULT_KEYS, type RunResultRecord, runResultView, tierLabels} from '../../io/classify-views.js'
import type {WrittenRecords} from '../../core/customer.js'
import {cellWriter, type Format, recordSeparator, type View, writeRows, writtenView} from '../../io/row-writer.js'
import {EXPORT_FLAGS, idArg, limitFlag, revealFlag} from '../../flags.js'
import {en, say} from '../../core/messages.js'

/** The run's scheme, version and as-of date, as both results below begin. */
type RunHead = {readonly run: number; readonly scheme: string; readonly version: string; readonly as_of: string}

/** With --output (or --encoding): the export's count and file. Otherwise, under --json: the customers of the run. */
export type ClassifyShowResult =
  | (RunHead & {readonly exported: number; readonly output: string | null})
  | Streamed<RunHead & {readonly results: RunResultRecord[]}>

export default class ClassifyShow extends BaseCommand<typeof ClassifyShow, ClassifyShowResult> {
  static override summary = 'Print one stored run customer by customer: tier and reason.'
  static override description =
    'On a terminal the table shows the first 100 customers unless --limit is given; piped, or with --format ' +
    'csv|ndjson, every customer. Personal values in reasons (a rule on id_number, phone, e-mail or ' +
    'birth_date) are masked unless --reveal, which the audit log records.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> 12',
    '<%= config.bin %> <%= command.id %> 12 --tier private-banking',
    '<%= config.bin %> <%= command.id %> 12 --format csv > run-12.csv',
  ]
  static override args = {
    run: idArg(en('theRunNumber'), 'the run number (crm classify runs)', 'list runs with: crm classify runs'),
  }
  static override flags = {
    tier: Flags.string({summary: 'Only customers in this tier (its id).'}),
    limit: limitFlag('customers'),
    output: Flags.string({
      char: 'o',
      summary: 'Export to this file: CSV with a byte-order mark for Excel (or --format json, ndjson, xlsx).',
    }),
    force: EXPORT_FLAGS.force,
    encoding: Flags.option({
      options: ['utf-8', 'gbk'] as const,
      summary: 'Export encoding for CSV: utf-8 (with a byte-order mark) or gbk.',
    })(),
    reveal: revealFlag('Show personal values in reasons unmasked'),
  }
  static override writesWorkbook = true

  /**
   * Rows are written as they are read (under --json too, so nothing is returned for oclif to print, but for an export's
   * result).
   */
  async run(): Promise<ClassifyShowResult> {
    const {args, flags} = this
    const repo = classificationRepository(this.db())
    const run =
      repo.find(args.run) ?? notFound(`no classification run ${args.run}`, 'list runs with: crm classify runs')
    if (flags.tier !== undefined && !run.tiers.some((t) => t.id === flags.tier))
      notFound(
        en('runHasNoTier', {run: run.id, scheme: run.scheme, tier: flags.tier}),
        en('runTiersAre', {tiers: run.tiers.map((t) => t.id).join(', ')}),
      )
    // --format xlsx is an export too: a workbook is a file, never rows on a terminal.
    if (flags.output !== undefined || flags.encoding !== undefined || flags.format === 'xlsx') {
      const target = this.exportOptions(flags)
      const audit = this.auditReveal(flags.reveal, 'classify.show.reveal', {
        run: run.id,
        tier: flags.tier ?? null,
        output: flags.output ?? null,
      })
      const {rows, view, size} = this.results(repo, run, target.format, flags.limit, true)
      const written = await writeRows(audit ? audit.counting(rows, size) : rows, view, {
        format: target.format,
        export: target,
        sheet: `run ${run.id}`,
      })
      this.noteWorkbook(written)
      const exported = written.rows
      this.note(
        say(this.lang, flags.output ? 'exportedRunCustomersTo' : 'exportedRunCustomers', {
          count: exported.toLocaleString('en-US'),
          id: run.id,
          file: flags.output ?? '',
        }),
      )
      return {
        run: run.id,
        scheme: run.scheme,
        version: run.version,
        as_of: run.asOf,
        exported,
        output: flags.output ?? null,
      }
    }
    const {limit, cut} = this.rowLimit(flags.limit)
    const head = {run: run.id, scheme: run.scheme, version: run.version, as_of: run.asOf}
    const audit = this.auditReveal(flags.reveal, 'classify.show.reveal', {run: run.id, tier: flags.tier ?? null})
    const {rows: results, view, size} = this.results(repo, run, this.jsonEnabled() ? 'json' : this.format, limit, false)
    const {rows} = await this.printRows(audit ? audit.counting(results, size) : results, view, {
      wrap: {head, key: 'results'},
    })
    if (cut(rows)) this.note(say(this.lang, 'showingFirstOfRun', {shown: TABLE_ROWS}))
  }

  /**
   * The run's results, how to write them and how many results an item holds: CSV and TSV lines are written by SQLite
   * a page at a time (joined by the line end of an export when `exporting`), other formats from records.
   */
  private results(
    repo: ClassificationRepository,
    run: Run,
    format: Format,
    limit: number | undefined,
    exporting: boolean,
  ): {rows: Iterable<unknown>; view: View<unknown>; size?: (item: unknown) => number} {
    const {tier, reveal} = this.flags
    if (format === 'csv' || format === 'tsv') {
      return {
        rows: repo.eachResultLine(
          run.id,
          {tier, limit, reveal},
          tierLabels(run.tiers, this.lang),
          format,
          cellWriter(format),
          recordSeparator(format, exporting),
        ),
        view: writtenView(RESULT_KEYS) as View<unknown>,
        size: (page) => (page as WrittenRecords).rows,
      }
    }
    return {rows: repo.eachResult(run.id, {tier, limit}), view: runResultView(run, this.lang, reveal) as View<unknown>}
  }
}
