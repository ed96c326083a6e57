import {CUSTOMER_FIELDS, type FieldKind} from '../core/fields.js'
import {maskKept, PERSONAL_FIELDS} from '../core/masking.js'
import {closestMatch} from '../core/suggest.js'
import {en} from '../core/messages.js'
import {
  migrationMatrix,
  type Migration,
  NUMBER_PLACES,
  type SumField,
  summarize,
  type SummaryField,
  type SummaryRow,
} from '../core/summary.js'
import type {Run, RunVersion} from '../core/runs.js'
import type {TopCustomer} from '../core/summary.js'
import type {ClassificationRepository} from '../db/repositories/classifications.js'
import type {SummaryRepository} from '../db/repositories/summaries.js'
import {ExitCode, notFound, UserError} from '../errors.js'

/**
 * What a summary stands on: `run`, the newest run (with the tiers of every run it stands on, newest first), and
 * `runs`, the ids of those runs newest first. --run is that run alone; --scheme (or the only scheme with runs) is
 * each customer's tier in the newest run that classified it (ClassificationRepository.standing).
 */
export interface SummaryBasis {
  readonly run: Run
  readonly runs: readonly number[]
  /** The scheme version and hash of each run in `runs` (they differ when the scheme changed between them). */
  readonly versions: readonly RunVersion[]
}

const versionOf = (r: Run): RunVersion => ({run: r.id, version: r.version, hash: r.hash})

/** The runs to summarise: --run, else those --scheme stands on, else those of the only scheme with runs. */
export function pickRun(runs: ClassificationRepository, options: {run?: number; scheme?: string}): SummaryBasis {
  if (options.run !== undefined) {
    const run = runs.find(options.run) ?? notFound(en('noRun', {id: options.run}), en('listRuns'))
    if (options.scheme !== undefined && run.scheme !== options.scheme)
      throw new UserError(
        en('runOtherScheme', {id: run.id, scheme: run.scheme, wanted: options.scheme}),
        ExitCode.Usage,
      )
    return {run, runs: [run.id], versions: [versionOf(run)]}
  }
  if (options.scheme !== undefined)
    return (
      standingBasis(runs.standing(options.scheme)) ??
      notFound(en('noRunOfScheme', {scheme: options.scheme}), en('classifyFirst', {scheme: options.scheme}))
    )
  const schemes = [...new Set(runs.list().map((r) => r.scheme))]
  if (schemes.length === 0) notFound(en('noRunsYet'), en('classifyFirst', {scheme: 'retail-aum'}))
  if (schemes.length > 1)
    throw new UserError(
      en('chooseScheme', {count: schemes.length}),
      ExitCode.Usage,
      en('useSchemeOrRun', {schemes: schemes.join(en('orScheme'))}),
    )
  return standingBasis(runs.standing(schemes[0]))!
}

function standingBasis(standing: readonly Run[]): SummaryBasis | undefined {
  if (standing.length === 0) return undefined
  const tiers = new Map(
    standing
      .flatMap((r) => r.tiers)
      .reverse()
      .map((t) => [t.id, t]),
  )
  const order = [...new Set(standing.flatMap((r) => r.tiers.map((t) => t.id)))]
  return {
    run: {...standing[0], tiers: order.map((id) => tiers.get(id)!)},
    runs: standing.map((r) => r.id),
    versions: standing.map(versionOf),
  }
}

/**
 * Tier totals, grouped by `by` and with `sum` totalled when given. A kept column's groups are masked when they look
 * like personal data, unless `reveal` (personal fields themselves need it to be grouped by at all: summaryFields).
 */
export function tierSummary(
  summaries: SummaryRepository,
  basis: SummaryBasis,
  by: readonly SummaryField[],
  windowDays: number | null,
  options: {sum?: SumField; reveal?: boolean} = {},
): SummaryRow[] {
  let totals = summaries.totals(basis.run, basis.runs, by, windowDays, options.sum)
  if (!options.reveal && by.some((f) => f.source === 'extra')) {
    totals = totals.map((t) => ({
      ...t,
      groups: t.groups.map((g, i) => (g !== null && by[i].source === 'extra' ? maskKept(by[i].name, g) : g)),
    }))
  }
  return summarize(
    basis.run.tiers.map((t) => t.id),
    totals,
  )
}

const TEXT_KINDS: readonly FieldKind[] = ['text', 'enum', 'id_number', 'phone', 'email']

/**
 * The extras the run's scheme declares (a run stores its scheme's text). Reading it loads the scheme loader (yaml, the
 * rule compiler), so it is imported here, when a name is not a customer field, not when summary starts.
 */
async function declaredExtras(run: Run): Promise<Readonly<Record<string, string>>> {
  const {runScheme} = await import('../io/scheme-file.js')
  return runScheme(run).extras
}

/** A name as the user typed it: a field or declared extra exactly, else the one that matches ignoring case. */
function named(text: string, names: readonly string[]): string | undefined {
  if (names.includes(text)) return text
  const loose = names.filter((n) => n.toLowerCase() === text.toLowerCase())
  return loose.length === 1 ? loose[0] : undefined
}

/**
 * What --by names: any text field (branch, rm, type, industry …) or an extra the run's scheme declares. A personal
 * field (id_number, phone, email) lists its values, so it needs --reveal.
 */
export async function summaryFields(run: Run, by: readonly string[], reveal: boolean): Promise<SummaryField[]> {
  const fields = CUSTOMER_FIELDS.filter((f) => TEXT_KINDS.includes(f.kind)).map((f) => f.name)
  const typed = [...new Set(by)]
  const extras = typed.every((text) => named(text, fields) !== undefined) ? [] : Object.keys(await declaredExtras(run))
  const resolved = typed.map((text): SummaryField => {
    const field = named(text, fields)
    if (field !== undefined) {
      if (PERSONAL_FIELDS.includes(field) && !reveal) {
        throw new UserError(en('byPersonal', {field}), ExitCode.Usage, en('revealToGroup'))
      }
      return {name: field, source: 'field'}
    }
    const extra = named(text, extras)
    if (extra !== undefined) return {name: extra, source: 'extra'}
    const near = closestMatch(text, [...fields, ...extras])
    const hint = near
      ? en('didYouMean', {candidates: `--by ${near}`})
      : extras.length > 0
        ? en('textFieldsExtras', {fields: fields.join(', '), extras: extras.join(', ')})
        : en('textFieldsNoExtras', {fields: fields.join(', '), scheme: run.scheme})
    throw new UserError(en('byUnknown', {text, scheme: run.scheme}), ExitCode.Usage, hint)
  })
  if (resolved.length > 2) throw new UserError(en('byAtMostTwo'), ExitCode.Usage, en('byExample'))
  return resolved
}

/** What --sum names: a money or whole-number field, or a money or number extra the run's scheme declares. */
export async function sumField(run: Run, text: string): Promise<SumField> {
  const fields = CUSTOMER_FIELDS.filter((f) => f.kind === 'money' || f.kind === 'integer')
  const field = named(
    text,
    fields.map((f) => f.name),
  )
  if (field !== undefined) {
    const money = fields.find((f) => f.name === field)!.kind === 'money'
    return {name: field, source: 'field', type: money ? 'money' : 'number', places: money ? 2 : 0}
  }
  const declared = await declaredExtras(run)
  const extras = Object.entries(declared).filter(([, type]) => type === 'money' || type === 'number')
  const extra = named(
    text,
    extras.map(([name]) => name),
  )
  if (extra !== undefined) {
    const money = declared[extra] === 'money'
    return {name: extra, source: 'extra', type: money ? 'money' : 'number', places: money ? 2 : NUMBER_PLACES}
  }
  const names = [...fields.map((f) => f.name), ...extras.map(([name]) => name)]
  const near = closestMatch(text, names)
  throw new UserError(
    en('sumUnknown', {text, scheme: run.scheme}),
    ExitCode.Usage,
    near ? en('didYouMean', {candidates: `--sum ${near}`}) : en('itTakes', {names: names.join(', ')}),
  )
}

/** The n largest customers by AUM of each tier, in the scheme's tier order (its first tier first), largest first. */
export function topCustomers(summaries: SummaryRepository, basis: SummaryBasis, n: number): Iterable<TopCustomer> {
  return summaries.eachTop(basis.run.id, basis.runs, n)
}

/** How many customers topCustomers lists of each tier: from the summary's rows, which count the same customers. */
export function topCounts(rows: readonly SummaryRow[], n: number): Map<string, number> {
  const counts = new Map<string, number>()
  for (const r of rows) if (r.kind === 'tier') counts.set(r.tier, (counts.get(r.tier) ?? 0) + r.customers)
  for (const [tier, count] of counts) counts.set(tier, Math.min(count, n))
  return counts
}

/**
 * The migration between two runs of one scheme (they may be different versions of it); runs of different schemes are
 * refused.
 */
export function compareRuns(
  runs: ClassificationRepository,
  summaries: SummaryRepository,
  a: number,
  b: number,
): {from: Run; to: Run; migration: Migration} {
  const from = runs.find(a) ?? notFound(en('noRun', {id: a}), en('listRuns'))
  const to = runs.find(b) ?? notFound(en('noRun', {id: b}), en('listRuns'))
  if (from.scheme !== to.scheme) {
    throw new UserError(
      en('runsDifferentSchemes', {a, aScheme: from.scheme, b, bScheme: to.scheme}),
      ExitCode.Usage,
      en('listRunsEach'),
    )
  }
  return {
    from,
    to,
    migration: migrationMatrix(
      to.tiers.map((t) => t.id),
      summaries.migration(a, b),
    ),
  }
}
