import type {ChalkInstance} from 'chalk'
import {displayWidth, padDisplay} from '../core/display-width.js'
import {maskName} from '../core/masking.js'
import {formatFen} from '../core/money.js'
import {type Amount, cellKey, formatUnits, type Migration, type SumField, type SummaryRow} from '../core/summary.js'
import type {Mover, TopCustomer} from '../core/summary.js'
import {type Run, type RunVersion, schemeChanged} from '../core/runs.js'
import {count, percent, tierLabel} from './classify-views.js'
import {visible} from '../core/visible.js'
import {type Column, TABLE_PAGE, type View} from './row-writer.js'
import type {Lang} from './terminal.js'
import {type MessageKey, say} from '../core/messages.js'

const BAR_WIDTH = 16
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']
const money = (fen: bigint) => formatFen(fen, {separators: true})
/** Marks a sum that covers only some of its row's customers (the others' amounts are unknown); see unknownNote. */
const PARTIAL = '*'

/** A sum for people: — when unknown, marked when it covers only some customers. */
function amountCell(a: Amount, customers: number): string {
  if (a.total === null) return '—'
  return a.count < customers ? `${money(a.total)}${PARTIAL}` : money(a.total)
}

/** A sum for scripts: two-decimal text, or null when unknown (an empty CSV cell). */
const amountText = (a: Amount) => (a.total === null ? null : formatFen(a.total))

/** A horizontal bar of a share, in eighths of a character, so small tiers still show. */
export function bar(share: number, width = BAR_WIDTH): string {
  const eighths = Math.round(Math.min(Math.max(share, 0), 1) * width * 8)
  return `${'█'.repeat(Math.floor(eighths / 8))}${EIGHTHS[eighths % 8]}`
}

const GROUP_HEADERS: Readonly<Record<string, MessageKey>> = {branch: 'headBranch', rm: 'headRm', type: 'headType'}

/**
 * The summary's header line: the run it stands on, or the runs (newest first) when a filtered run followed a whole one.
 */
export function runHeading(run: Run, runs: readonly number[], customers: number, lang: Lang): string {
  const filter =
    runs.length > 1
      ? ''
      : Object.entries(run.filter)
          .filter(([, v]) => v !== undefined)
          .map(([, v]) => String(v))
          .join(' · ')
  const which = runs.length > 1 ? say(lang, 'runsNewestFirst', {runs: runs.join(', ')}) : `run ${run.id}`
  return visible(
    [
      `${run.scheme} v${run.version}`,
      which,
      say(lang, 'asOf', {date: run.asOf}),
      filter,
      say(lang, 'customersPlain', {count: count(customers)}),
    ]
      .filter(Boolean)
      .join(' · '),
  )
}

/**
 * The warning a summary standing on runs of different scheme versions (or edited texts) prints above its table:
 * each customer's tier comes from the rules of the run that classified it. Empty when they all agree.
 */
export function versionsNote(scheme: string, versions: readonly RunVersion[], lang: Lang): string {
  if (!schemeChanged(versions)) return ''
  const each = versions.map((v) => `run ${v.run} v${v.version} (${shortHash(v.hash)})`).join(say(lang, 'listSeparator'))
  return visible(say(lang, 'versionsDiffer', {scheme, each}))
}

/** The keys of a summary's records; a group named like one of them is keyed group_NAME. */
const RECORD_KEYS = [
  'kind',
  'tier',
  'tier_label',
  'customers',
  'customer_share',
  'aum',
  'aum_average',
  'deposits',
  'loans',
  'aum_share',
  'contacted',
  'contact_coverage',
  'aum_count',
  'deposits_count',
  'loans_count',
  'sum',
  'sum_share',
  'sum_count',
]

/** A --sum total for people (separators; — unknown, * partial) and for scripts (plain text or null). */
function sumCell(sum: SumField, a: Amount, customers: number, people: boolean): string | null {
  if (a.total === null) return people ? '—' : null
  const text =
    sum.type === 'money'
      ? formatFen(a.total, {separators: people})
      : formatUnits(a.total, sum.places, {separators: people})
  return people && a.count < customers ? `${text}${PARTIAL}` : text
}

/**
 * The summary as a table for people (bars, separators) and as flat records for scripts (raw numbers). Its cells
 * escape the data in them (they add colour). With --sum, the table's bars show the shares of that total, and the
 * amounts no customer of the summary has (a dataset without AUM) are left out of the table (not of the records).
 */
export function summaryView(
  run: Run,
  by: readonly string[],
  lang: Lang,
  chalk?: ChalkInstance,
  sum?: SumField,
  total?: SummaryRow,
): View<SummaryRow> {
  const label = (r: SummaryRow) =>
    r.kind === 'total'
      ? say(lang, 'total')
      : r.kind === 'subtotal'
        ? say(lang, 'subtotal')
        : visible(tierLabel(run.tiers, r.tier, lang))
  const strong = (r: SummaryRow, text: string) => (r.kind === 'tier' || !chalk ? text : chalk.bold(text))
  const known = (k: 'aum' | 'deposits' | 'loans') => sum === undefined || total === undefined || total[k].count > 0
  const shareBar = (value: number | null, r: SummaryRow) =>
    value === null
      ? '—'
      : `${(chalk ? chalk.cyan : String)(bar(r.kind === 'tier' ? value : 0).padEnd(BAR_WIDTH))} ` +
        `${percent(value).padStart(6)}`
  const columns: Column<SummaryRow>[] = [
    ...by.map(
      (g, i): Column<SummaryRow> => ({
        header: Object.hasOwn(GROUP_HEADERS, g) ? say(lang, GROUP_HEADERS[g]) : visible(g),
        cell: (r) => (r.kind === 'total' ? '' : visible(r.groups[i] ?? '—')),
      }),
    ),
    {header: say(lang, 'headTier'), cell: (r) => strong(r, label(r))},
    {header: say(lang, 'headCustomers'), cell: (r) => strong(r, count(r.customers)), align: 'right'},
    {header: say(lang, 'headShare'), cell: (r) => percent(r.customerShare), align: 'right'},
    ...(known('aum')
      ? ([
          {header: say(lang, 'headAum'), cell: (r) => strong(r, amountCell(r.aum, r.customers)), align: 'right'},
          {
            header: say(lang, 'headAumAverage'),
            cell: (r) => (r.aumAverage === null ? '—' : money(r.aumAverage)),
            align: 'right',
          },
        ] as Column<SummaryRow>[])
      : []),
    ...(known('deposits')
      ? ([
          {header: say(lang, 'headDeposits'), cell: (r) => amountCell(r.deposits, r.customers), align: 'right'},
        ] as Column<SummaryRow>[])
      : []),
    ...(known('loans')
      ? ([
          {header: say(lang, 'headLoans'), cell: (r) => amountCell(r.loans, r.customers), align: 'right'},
        ] as Column<SummaryRow>[])
      : []),
    ...(sum === undefined
      ? ([{header: say(lang, 'headAumShare'), cell: (r) => shareBar(r.aumShare, r)}] as Column<SummaryRow>[])
      : ([
          {
            header: visible(say(lang, 'headSumTotal', {name: sum.name})),
            cell: (r) => strong(r, sumCell(sum, r.sum, r.customers, true)!),
            align: 'right',
          },
          {header: visible(say(lang, 'headSumShare', {name: sum.name})), cell: (r) => shareBar(r.sumShare, r)},
        ] as Column<SummaryRow>[])),
    {
      header: say(lang, 'headContacted'),
      cell: (r) => (r.coverage === null ? '—' : `${Math.round(r.coverage * 100)}%`),
      align: 'right',
    },
  ]
  const groupKeys = by.map((g) => (RECORD_KEYS.includes(g) ? `group_${g}` : g))
  return {
    columns,
    keys: [...groupKeys, ...RECORD_KEYS.slice(0, sum === undefined ? -3 : undefined)],
    record: (r) => ({
      ...Object.fromEntries(groupKeys.map((g, i) => [g, r.groups[i] ?? null])),
      kind: r.kind,
      tier: r.tier,
      tier_label: r.kind === 'tier' ? tierLabel(run.tiers, r.tier, lang) : label(r),
      customers: r.customers,
      customer_share: r.customerShare,
      aum: amountText(r.aum),
      aum_average: r.aumAverage === null ? null : formatFen(r.aumAverage),
      deposits: amountText(r.deposits),
      loans: amountText(r.loans),
      aum_share: r.aumShare,
      contacted: r.contacted,
      contact_coverage: r.coverage === null ? null : Math.round(r.coverage * 1e6) / 1e6,
      // How many customers each sum covers; last, so the columns scripts already read keep their places.
      aum_count: r.aum.count,
      deposits_count: r.deposits.count,
      loans_count: r.loans.count,
      ...(sum === undefined
        ? {}
        : {sum: sumCell(sum, r.sum, r.customers, false), sum_share: r.sumShare, sum_count: r.sum.count}),
    }),
  }
}

/**
 * The note under a summary table when a sum covers only some customers (marked *) or none (—): how many of the
 * total's customers each amount covers, so a partly known total is not read as the whole.
 */
export function unknownNote(rows: readonly SummaryRow[], lang: Lang, sum?: SumField): string {
  const total = rows.at(-1)
  if (total === undefined) return ''
  const names = {
    aum: say(lang, 'amountAum'),
    deposits: say(lang, 'amountDeposits'),
    loans: say(lang, 'amountLoans'),
    sum: visible(sum?.name ?? ''),
  }
  // With --sum, an amount none of the customers has is left out of the table (summaryView): nothing to note.
  const amounts = (['aum', 'deposits', 'loans', ...(sum === undefined ? [] : ['sum' as const])] as const).filter(
    (k) => sum === undefined || total[k].count > 0 || k === 'sum',
  )
  const gaps = amounts
    .filter((k) => total[k].count < total.customers)
    .map((k) => say(lang, 'knownOf', {name: names[k], known: count(total[k].count), total: count(total.customers)}))
  if (gaps.length === 0) return ''
  return say(lang, 'partialSums', {mark: PARTIAL, gaps: gaps.join(say(lang, 'listSeparator'))})
}

/** The largest customers of each tier, names of individuals masked unless revealed; columns line up across tiers. */
export function* topLines(
  run: Run,
  top: Iterable<TopCustomer>,
  counts: ReadonlyMap<string, number>,
  reveal: boolean,
  lang: Lang,
  c: ChalkInstance,
): Generator<string> {
  const tiers = new Map(run.tiers.map((t) => [t.id, t]))
  const rows = (function* () {
    for (const r of top)
      if (tiers.has(r.tier))
        yield {
          tier: r.tier,
          cell: [r.customerId, topName(r, reveal), r.branch ?? '', r.aum === null ? '—' : money(r.aum)].map((text) =>
            visible(text),
          ),
        }
  })()
  // Laid out by the first page of rows, as a table is (row-writer): a million-row --top is never held.
  const head: {tier: string; cell: string[]}[] = []
  while (head.length < TABLE_PAGE) {
    const next = rows.next()
    if (next.done) break
    head.push(next.value)
  }
  // Padded by terminal columns, not characters: a Chinese name or branch takes two columns a character.
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...head.map((row) => displayWidth(row.cell[i]))))
  const line = (cell: string[]) =>
    `  ${cell
      .slice(0, 3)
      .map((text, i) => padDisplay(text, widths[i]))
      .join('  ')}  ${' '.repeat(Math.max(0, widths[3] - displayWidth(cell[3])))}${cell[3]}`
  let tier: string | undefined
  for (const row of [head, rows]) {
    for (const {tier: id, cell} of row) {
      if (id !== tier) {
        tier = id
        const shown = counts.get(id) ?? 0
        yield c.bold(say(lang, 'topByAum', {tier: visible(tiers.get(id)![lang]), count: shown}))
      }
      yield line(cell)
    }
  }
}

export function topName(r: TopCustomer, reveal: boolean): string {
  return reveal || r.type !== 'individual' ? r.name : maskName(r.name)
}

/** One of a tier's largest customers (summary --top). */
export type TopRecord = {
  readonly tier: string
  readonly customer_id: string
  readonly name: string
  readonly branch: string | null
  readonly aum: string | null
}

export function topRecord(r: TopCustomer, reveal: boolean): TopRecord {
  return {
    tier: r.tier,
    customer_id: r.customerId,
    name: topName(r, reveal),
    branch: r.branch,
    aum: r.aum === null ? null : formatFen(r.aum),
  }
}

/** A line of the summary for scripts: a summary row, or (with --top) one of a tier's largest customers. */
export type SummaryLine = SummaryRow | {readonly kind: 'top'; readonly top: TopCustomer}

/**
 * The summary's records with the --top customers after them, for CSV, TSV and the other formats for scripts. Every
 * record has the same keys, so one header fits all: a customer's record has kind "top", its tier, tier_label and
 * aum, and customer_id, name and branch (and type when broken down by type), the rest empty; the summary's rows
 * have customer_id and name empty. `sample` is any summary row, to learn the summary's keys from.
 */
export function summaryWithTopView(
  run: Run,
  view: View<SummaryRow>,
  sample: SummaryRow,
  lang: Lang,
  reveal: boolean,
): View<SummaryLine> {
  const empty = Object.fromEntries(Object.keys(view.record(sample)).map((k) => [k, null]))
  const topKeys = [...new Set([...Object.keys(empty), 'customer_id', 'name', 'branch'])]
  return {
    columns: [],
    keys: [...new Set([...view.keys, 'customer_id', 'name', 'branch'])],
    record: (line) => {
      if (line.kind !== 'top') {
        const record = view.record(line)
        return {...record, customer_id: null, name: null, branch: record.branch ?? null}
      }
      const {top} = line
      const values: Record<string, unknown> = {
        kind: 'top',
        tier: top.tier,
        tier_label: tierLabel(run.tiers, top.tier, lang),
        type: top.type,
        aum: top.aum === null ? null : formatFen(top.aum),
        customer_id: top.customerId,
        name: topName(top, reveal),
        branch: top.branch,
      }
      // Filled key by key in one order, not spread from `empty`: a spread copy of that many keys is a slow, large
      // object, and a --top of 10,000 a tier makes tens of thousands of them.
      const record: Record<string, unknown> = {}
      for (const key of topKeys) record[key] = key in values && (key !== 'type' || 'type' in empty) ? values[key] : null
      return record
    },
  }
}

/** The migration matrix as screens.md sketches it: earlier tiers down, later across, new and gone at the edges. */
export function migrationText(
  a: Run,
  b: Run,
  m: Migration,
  lang: Lang,
  c: ChalkInstance,
  table: (rows: string[][], header: string[]) => string,
): string {
  const label = (t: string) => tierLabel(b.tiers.some((x) => x.id === t) ? b.tiers : a.tiers, t, lang)
  const cell = (from: string | null, to: string | null) => {
    const n = m.counts.get(cellKey(from, to)) ?? 0
    return n === 0 ? '.' : count(n)
  }
  const header = [say(lang, 'matrixCorner'), ...m.to.map(label), say(lang, 'matrixGone')]
  const rows = [
    ...m.from.map((from) => [label(from), ...m.to.map((to) => cell(from, to)), cell(from, null)]),
    [say(lang, 'matrixNew'), ...m.to.map((to) => cell(null, to)), ''],
  ]
  const title = c.bold(visible(`${b.scheme}: run ${a.id} (${a.asOf}) → run ${b.id} (${b.asOf})`))
  const versions = {
    scheme: b.scheme,
    a: a.id,
    aVersion: a.version,
    aHash: shortHash(a.hash),
    b: b.id,
    bVersion: b.version,
    bHash: shortHash(b.hash),
  }
  const changed = schemeChanged([a, b]) ? [c.yellow(visible(say(lang, 'runsSchemeDiffer', versions)))] : []
  const totals = say(lang, 'migrationTotals', {
    up: count(m.up),
    down: count(m.down),
    unchanged: count(m.unchanged),
    added: count(m.added),
    gone: count(m.gone),
  })
  return [title, ...changed, table(rows, header), totals].join('\n')
}

/** A scheme's sha256, as long as people need to tell two apart. */
const shortHash = (hash: string) => hash.slice(0, 12)

/** The migration matrix's cells as rows, for CSV, TSV and NDJSON. */
export const MATRIX_VIEW: View<MatrixCell, MatrixCell> = {
  columns: [],
  keys: ['from', 'to', 'customers'],
  record: (r) => r,
}

/**
 * How many customers moved from one tier to another: one new to the later run comes from null, one gone goes to null.
 */
export type MatrixCell = {readonly from: string | null; readonly to: string | null; readonly customers: number}

/** A run as the migration between two runs names it. */
export type MigrationRun = {
  readonly id: number
  readonly as_of: string
  readonly version: string
  readonly hash: string
}

/** The migration between two runs of a scheme (summary --compare): who moved from which tier to which. */
export type MigrationRecord = {
  readonly scheme: string
  readonly from_run: MigrationRun
  readonly to_run: MigrationRun
  readonly scheme_changed: boolean
  readonly tiers: Migration['to']
  readonly matrix: readonly MatrixCell[]
  readonly up: number
  readonly down: number
  readonly unchanged: number
  readonly new: number
  readonly gone: number
}

export function migrationRecord(a: Run, b: Run, m: Migration): MigrationRecord {
  return {
    scheme: b.scheme,
    from_run: {id: a.id, as_of: a.asOf, version: a.version, hash: a.hash},
    to_run: {id: b.id, as_of: b.asOf, version: b.version, hash: b.hash},
    scheme_changed: schemeChanged([a, b]),
    tiers: m.to,
    matrix: [...m.counts.entries()].map(([key, customers]) => {
      const [from, to] = key.split('→')
      return {from: from === '+new' ? null : from, to: to === '-gone' ? null : to, customers}
    }),
    up: m.up,
    down: m.down,
    unchanged: m.unchanged,
    new: m.added,
    gone: m.gone,
  }
}

/** A customer who changed tier between two runs. */
export type MoverRecord = {
  readonly customer_id: string
  readonly name: string
  readonly from: string
  readonly to: string
  readonly direction: 'up' | 'down'
}

export function moverView(a: Run, b: Run, lang: Lang): View<Mover, MoverRecord> {
  const rank = (t: string) => b.tiers.findIndex((x) => x.id === t)
  const direction = (r: Mover) => (rank(r.to) < rank(r.from) ? 'up' : 'down')
  return {
    keys: ['customer_id', 'name', 'from', 'to', 'direction'],
    record: (r) => ({customer_id: r.customerId, name: r.name, from: r.from, to: r.to, direction: direction(r)}),
    columns: [
      {header: say(lang, 'headCustomer'), cell: (r) => r.customerId},
      {header: say(lang, 'headName'), cell: (r) => r.name},
      {header: `run ${a.id}`, cell: (r) => tierLabel(a.tiers, r.from, lang)},
      {header: `run ${b.id}`, cell: (r) => tierLabel(b.tiers, r.to, lang)},
      {header: say(lang, 'headMove'), cell: (r) => say(lang, direction(r) === 'up' ? 'moveUp' : 'moveDown')},
    ],
  }
}
