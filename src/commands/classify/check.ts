import {Args, Flags} from '@oclif/core'
import {BaseCommand, type Streamed} from '../../base-command.js'
import {unseenText} from '../../core/schemes/data-checks.js'
import {checkReveal, compileScheme} from '../../core/schemes/scheme.js'
import {visible} from '../../core/visible.js'
import {ExitCode, UserError} from '../../errors.js'
import {flatMeasureLines, missingInputLines, tierLabel} from '../../io/classify-views.js'
import {AS_OF_FLAG, SCHEME_FLAG, SOURCE_FLAGS} from '../../flags.js'
import {sourceOptions} from '../../io/import-flags.js'
import {readMapping} from '../../io/mapping-file.js'
import {type RowSink, rowSink} from '../../io/row-writer.js'
import {type CheckCounts, checkRows} from '../../services/classify-check.js'
import {runTiers} from '../../services/classify.js'
import {readScheme} from '../../io/scheme-file.js'
import {say, sayCount} from '../../core/messages.js'

/**
 * Under --json: the scheme, each row as read (its columns, then tier and reason), then the counts. Masked columns
 * and reasons are as in the other formats.
 */
export type ClassifyCheckResult = Streamed<{
  readonly scheme: string
  readonly version: string
  readonly as_of: string
  readonly rows: Record<string, string>[]
  readonly read: number
  readonly classified: number
  readonly not_applicable: number
  readonly invalid: number
  readonly missing_inputs: CheckCounts['missing']
  readonly flat_measures: CheckCounts['flat']
  readonly unseen_values: CheckCounts['unseen']
}>

export default class ClassifyCheck extends BaseCommand<typeof ClassifyCheck, ClassifyCheckResult> {
  static override summary = 'Classify customer rows from a file or stdin, touching no database.'
  static override description =
    `Reads rows like customer import (formats, encodings, header aliases, --map and --mapping) and prints each ` +
    `row with two more columns: tier ` +
    `(the tier id) and reason. A row without a customer_id column keeps its line number. Rows the scheme does ` +
    `not apply to, and rows with invalid values, get an empty tier and say why; invalid rows make the exit code ` +
    `3. Piped, the output is TSV unless --format says otherwise; CSV, TSV and NDJSON stream as rows are read ` +
    `(for schemes with portfolio measures, as they are read a second time: standard input is copied to a private ` +
    `temporary file for it, removed at the end).

Personal data is masked in every format: the row's id_number, phone and email columns (as customer list masks ` +
    `them) and its birth_date to the year, its other columns (kept columns) where a value looks like an ID ` +
    `number, a phone or an e-mail, and the same values in reasons. --reveal prints them as read, and lets a ` +
    `scheme whose rules read personal data run. check touches no database, so unlike the other commands' ` +
    `--reveal it is not recorded in an audit log: the rows are your own file's.`
  static override examples = [
    'cat leads.csv | <%= config.bin %> <%= command.id %> --scheme retail-aum --format csv',
    '<%= config.bin %> <%= command.id %> leads.csv --scheme rfm --as-of 2026-11-30 --format ndjson',

    '<%= config.bin %> <%= command.id %> export.csv --scheme my-tiers.yaml --mapping ' +
      'data/mappings/core-banking-export.json',
  ]
  static override args = {
    file: Args.string({
      description: 'the rows to classify, or - for standard input (the default)',
      default: '-',
      ignoreStdin: true,
    }),
  }
  static override flags = {
    scheme: SCHEME_FLAG,
    'as-of': AS_OF_FLAG,
    ...SOURCE_FLAGS,
    reveal: Flags.boolean({
      summary:
        'Print personal columns (and kept columns that look personal) and values in reasons unmasked, and ' +
        'allow rules that read them (not audited: no database).',
    }),
  }

  async run(): Promise<ClassifyCheckResult> {
    const {args, flags} = this
    if (args.file === '-' && process.stdin.isTTY)
      throw new UserError(
        'no rows to classify: name a file, or pipe rows in',
        ExitCode.Usage,
        'cat leads.csv | crm classify check --scheme retail-aum',
      )
    const asOf = this.dateFlag('as-of', flags['as-of'])
    const compiled = compileScheme(readScheme(flags.scheme), asOf)
    checkReveal(compiled, flags.reveal)
    const tiers = runTiers(compiled.scheme)
    const json = this.jsonEnabled()
    const head = {scheme: compiled.scheme.name, version: compiled.scheme.version, as_of: asOf}
    let counts: CheckCounts | undefined
    const totals = () => ({
      read: counts!.read,
      classified: counts!.classified,
      not_applicable: counts!.notApplicable,
      invalid: counts!.invalid,
      missing_inputs: counts!.missing,
      flat_measures: counts!.flat,
      unseen_values: counts!.unseen,
    })
    // Rows are written as they are classified, under --json too (the counts come after them), so nothing is returned.
    let out: RowSink<readonly string[]> | undefined
    // A terminal table shows a screenful (TABLE_ROWS); every row is still read, classified and counted.
    const {limit} = this.rowLimit(undefined)
    let shown = 0
    counts = await checkRows(
      compiled,
      args.file,
      readMapping(flags.mapping, flags.map ?? []),
      sourceOptions(flags),
      flags.reveal,
      (columns, idColumn) => {
        const id = columns.indexOf(idColumn)
        out = rowSink(
          {
            keys: columns,
            record: (cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ''])),
            columns: [
              {header: idColumn, cell: (cells) => cells[id]},
              {header: 'tier', cell: (cells) => tierLabel(tiers, cells.at(-2)!, this.lang)},
              {header: 'reason', cell: (cells) => cells.at(-1)!},
            ],
          },
          {
            format: json ? 'json' : this.format,
            chalk: this.chalk,
            wrap: json ? {head, key: 'rows', tail: totals} : undefined,
          },
        )
      },
      async (rows) => {
        for (const cells of rows) {
          if (limit !== undefined && shown >= limit) break
          out!.add(cells)
          shown++
        }
        await out!.ready()
      },
    )
    if (out === undefined && json)
      out = rowSink(
        {keys: [], record: () => ({}), columns: []},
        {format: 'json', wrap: {head, key: 'rows', tail: totals}},
      )
    await out?.end()
    if (limit !== undefined && counts.read > shown)
      this.note(
        say(this.lang, 'showingFirstRows', {
          shown: shown.toLocaleString('en-US'),
          total: counts.read.toLocaleString('en-US'),
        }),
      )
    this.note(
      sayCount(this.lang, 'checkedRows', counts.read, {
        classified: counts.classified.toLocaleString('en-US'),
        notApplicable: counts.notApplicable.toLocaleString('en-US'),
        invalid: counts.invalid.toLocaleString('en-US'),
      }),
    )
    for (const line of [
      ...missingInputLines(counts.missing, counts.classified, this.lang),
      ...flatMeasureLines(counts.flat, this.lang),
    ])
      this.note(line)
    for (const unseen of counts.unseen) this.note(visible(`warning: ${unseenText(unseen)}`))
    if (counts.invalid > 0) process.exitCode = ExitCode.BadInput
  }
}
