import {
  type Classification,
  classifyPortfolio,
  explainRow,
  type Explanation,
  flatMeasures,
  invalidExplanation,
  NO_TIER,
  needsPortfolio,
  nullTally,
} from '../core/classify.js'
import {personalText} from '../core/masking.js'
import {checkKeptColumns, keptColumnsRead, unseenText, ValueCensus} from '../core/schemes/data-checks.js'
import {checkKeptLookalikes, checkKeptValues, checkReveal, compileScheme, type Scheme} from '../core/schemes/scheme.js'
import {
  INVALID_ADVICE,
  type Portfolio,
  type PortfolioFilter,
  type ResultPage,
  type RunSummary,
  type RunTier,
  type TierCount,
} from '../core/runs.js'
import type {ClassificationRepository} from '../db/repositories/classifications.js'
import {badInput, notFound} from '../errors.js'

/** How many invalid customers a run names (all are counted). */
const INVALID_NAMED = 20

export function runTiers(scheme: Scheme): RunTier[] {
  return scheme.tiers.map((t) => ({id: t.id, zh: t.label.zh, en: t.label.en, cadence_days: t.cadenceDays}))
}

/** Every tier in the scheme's order with its count (tiers with none included), and customers no tier took. */
function tierCountList(tiers: readonly RunTier[], counts: ReadonlyMap<string, number>): TierCount[] {
  const list = tiers.map((t) => ({tier: t.id, zh: t.zh, en: t.en, customers: counts.get(t.id) ?? 0}))
  const none = counts.get('') ?? 0
  if (none > 0) list.push({tier: '', zh: '未分层', en: 'no tier', customers: none})
  return list
}

export interface ClassifyOptions {
  readonly scheme: Scheme
  readonly filter: PortfolioFilter
  readonly asOf: string
  readonly dryRun: boolean
  /** --reveal: rules may read personal data (checkReveal). */
  readonly reveal: boolean
  readonly actor: string
  readonly command: string
  /** What to suggest when no customer is classified (the nearest filter values): such a run is not stored. */
  readonly emptyHint?: () => string
  /** The interpreter even for a scheme that compiles to SQL (tests compare the two). */
  readonly engine?: 'interpreter'
}

/** The portfolio without the customers a kept column of the wrong type makes invalid (each passed to onInvalid). */
function validRows(page: Portfolio, onInvalid: (ref: number, problem: string) => void = () => {}): Portfolio {
  if (!page.rows.some((row) => row.problem !== undefined)) return page
  const kept: Portfolio = {refs: [], rows: []}
  page.rows.forEach((row, i) => {
    if (row.problem === undefined) {
      kept.refs.push(page.refs[i])
      kept.rows.push(row)
    } else onInvalid(page.refs[i], row.problem)
  })
  return kept
}

/** Why a portfolio is empty, in the user's terms: the filter, and the scheme's own scope. */
function emptyScope(scheme: Scheme, filter: PortfolioFilter): string {
  const flags = Object.entries(filter)
    .filter(([, v]) => v != null)
    .map(([k, v]) => `--${k} ${String(v)}`)
    .join(' ')
  const applies = scheme.appliesTo ? ` the scheme applies to (${scheme.appliesTo})` : ''
  if (flags !== '') return `${flags} selects no customer${applies}`
  return applies === '' ? 'the database holds no customer' : `no customer is one${applies}`
}

/**
 * Classifies the portfolio the filter selects and stores the run (unless a dry run). A scheme without portfolio
 * measures streams a page of customers at a time; one with them reads the whole portfolio first.
 */
export function classifyAndStore(repo: ClassificationRepository, options: ClassifyOptions): RunSummary {
  try {
    return classifyWith(repo, options)
  } catch (error) {
    // A scheme SQLite cannot run as written (a literal beyond 64-bit integers, an expression nested past its depth, a
    // sum past 2^63 fen) is run by the interpreter, which holds such amounts exactly; the failed statement left
    // nothing.
    if (options.engine === 'interpreter' || !repo.beyondSql(error)) throw error
    return classifyWith(repo, {...options, engine: 'interpreter'})
  }
}

function classifyWith(repo: ClassificationRepository, options: ClassifyOptions): RunSummary {
  const {scheme, filter, asOf} = options
  const compiled = compileScheme(scheme, asOf, filter.where)
  checkReveal(compiled, options.reveal)
  const missing = repo.missingKept(keptColumnsRead(compiled), filter)
  if (missing.length > 0) checkKeptColumns(compiled, missing, repo.keptColumns(filter), false)
  const tierIds = scheme.tiers.map((t) => t.id)
  const counts = new Map<string, number>()
  let members = 0
  let skipped = 0
  const tally = nullTally(compiled)
  const census = new ValueCensus(compiled)
  const invalid: {ref: number; reason: string}[] = []
  let invalidCount = 0
  /**
   * The page without its invalid customers (counted, the first few named); every customer's values counted by the
   * census.
   */
  const valid = (page: Portfolio): Portfolio => {
    if (!census.empty) for (const row of page.rows) census.add(row.values)
    return validRows(page, (ref, reason) => {
      if (invalidCount++ < INVALID_NAMED) invalid.push({ref, reason})
    })
  }
  const named = () =>
    invalid.map((i) => ({
      customer_id: repo.customerIdOf(i.ref) ?? '',
      reason: `invalid: ${personalText(i.reason, options.reveal)}`,
    }))
  /** The first invalid customers with their reasons, and what to do, for a run refused as empty. */
  const invalidLines = () =>
    [
      ...named()
        .slice(0, 5)
        .map((c) => `${c.customer_id}: ${c.reason}`),
      ...(invalidCount > 5 ? [`… and ${invalidCount - 5} more`] : []),
      INVALID_ADVICE,
    ].join('\n')
  const sql = options.engine === 'interpreter' ? null : repo.sqlClassifier(compiled, filter, asOf)
  const classifier = sql instanceof Error ? null : sql
  /**
   * The customers the scheme classifies inside the database: checked and counted first, then stored in one statement.
   */
  const fillSql = (by: NonNullable<typeof classifier>, run: number | undefined): {skipped: number; stored?: number} => {
    const bad = by.invalid(INVALID_NAMED)
    invalidCount = bad.count
    invalid.push(...bad.first)
    checkKeptLookalikes(compiled, options.reveal, (at) => by.looksPersonal(at))
    // Counted only when a written value may be unseen: unseen() reports nothing for a watch whose values are all held,
    // and finding them each stops at the first customer holding it (the full census was a grouped scan of the book).
    census.slots().forEach((slot, w) => {
      if (!by.holdsAll(slot, census.literals(w))) census.addCounts(w, by.census(slot))
    })
    const outcome = by.classify(run)
    members = outcome.members
    skipped = outcome.skipped
    tally.addCounts(outcome.members, outcome.nulls)
    compiled.windows.forEach((w, i) => {
      w.flat = outcome.flats[i]
    })
    for (const [tier, n] of outcome.tiers) counts.set(tier, n)
    // Inside the transaction: a run of nobody is rolled back.
    refuseEmpty()
    const stored = outcome.stored
    return {skipped, stored}
  }
  const fill = (write: (page: ResultPage) => void, run?: number): {skipped: number; stored?: number} => {
    if (classifier !== null) return fillSql(classifier, run)
    const classified = (page: Portfolio, result: Classification) => {
      const tiers = Array.from(result.tiers, (t) => (t === NO_TIER ? '' : tierIds[t]))
      for (const t of tiers) counts.set(t, (counts.get(t) ?? 0) + 1)
      members += tiers.length
      skipped += result.skipped
      for (const m of result.members) tally.add(page.rows[m].values)
      write({refs: Array.from(result.members, (m) => page.refs[m]), tiers, reasons: result.reasons})
    }
    if (needsPortfolio(compiled)) {
      const portfolio = valid(repo.portfolio(compiled.inputs, filter, asOf))
      checkKeptValues(compiled, portfolio.rows, options.reveal)
      classified(portfolio, classifyPortfolio(compiled, portfolio.rows))
    } else {
      for (const all of repo.pages(compiled.inputs, filter, asOf)) {
        const page = valid(all)
        checkKeptValues(compiled, page.rows, options.reveal)
        classified(page, classifyPortfolio(compiled, page.rows))
      }
    }
    refuseEmpty()
    return {skipped}
  }
  /** Refuses a run that classifies nobody, saying why. */
  const refuseEmpty = (): void => {
    // A run of nobody would stand for everybody's tier (ClassificationRepository.standing): refused, inside the
    // transaction, so nothing of it is stored.
    // A value no customer holds (--where "Card_Category = 'gold'") is the likeliest reason: said first.
    const unseen = census
      .unseen(options.reveal)
      .map((u) => `${unseenText(u)}\n`)
      .join('')
    const stored = `no run ${options.dryRun ? 'would be' : 'was'} stored`
    if (members === 0 && skipped === 0 && invalidCount > 0)
      badInput(
        `no customer to classify: ${
          invalidCount === 1 ? 'the one customer read was' : `all ${invalidCount} customers read were`
        } invalid (a kept column the rules read holds a value not of its declared type); ${stored}`,
        invalidLines(),
      )
    // Some invalid, the rest not selected: the scope is the reason, the invalid ones are named after it.
    const alsoInvalid =
      invalidCount > 0 ? `${invalidCount} more ${invalidCount === 1 ? 'was' : 'were'} invalid:\n${invalidLines()}` : ''
    if (members === 0)
      badInput(
        `no customer to classify: ${emptyScope(scheme, filter)}; ${stored}`,
        [`${unseen}${options.emptyHint?.() ?? ''}`, alsoInvalid].filter(Boolean).join('\n'),
      )
  }
  let run: number | null = null
  if (options.dryRun) fill(() => {})
  else {
    run = repo.save(
      {
        scheme: scheme.name,
        version: scheme.version,
        hash: scheme.hash,
        schemeText: scheme.text,
        tiers: runTiers(scheme),
        filter,
        asOf,
        actor: options.actor,
      },
      fill,
      options.command,
    )
  }
  return {
    run,
    scheme: scheme.name,
    version: scheme.version,
    hash: scheme.hash,
    filter,
    as_of: asOf,
    customers: members,
    skipped,
    tiers: tierCountList(runTiers(scheme), counts),
    missing_inputs: tally.missing(),
    flat_measures: flatMeasures(compiled),
    dry_run: options.dryRun,
    invalid: invalidCount,
    invalid_customers: named(),
    unseen_values: census.unseen(options.reveal),
    engine: classifier === null ? 'interpreter' : 'sql',
  }
}

/**
 * Why one customer is in its tier under a scheme. Portfolio measures are taken over the portfolio of the scheme's
 * latest run (or the whole book when it has none), so the answer matches what classify gives.
 */
export function explainCustomer(
  repo: ClassificationRepository,
  scheme: Scheme,
  customerId: string,
  asOf: string,
  filter: PortfolioFilter,
): Explanation | null {
  const compiled = compileScheme(scheme, asOf, filter.where)
  const own = repo.portfolio(compiled.inputs, {customerId}, asOf)
  if (own.rows.length === 0) notFound(`no customer with customer_id "${customerId}"`)
  // A run leaves an invalid customer out (classifyAndStore): so does its explanation, with the same reason.
  const problem = own.rows[0].problem
  if (problem !== undefined) return invalidExplanation(compiled.scheme.order, `invalid: ${problem}`)
  if (compiled.windows.length === 0) {
    const row = {values: own.rows[0].values, index: 0}
    const applies = compiled.appliesTo === null || compiled.appliesTo.eval(row) === true
    return applies ? explainRow(compiled, row) : null
  }
  const portfolio = validRows(repo.portfolio(compiled.inputs, filter, asOf))
  const result = classifyPortfolio(compiled, portfolio.rows)
  const at = portfolio.refs.indexOf(own.refs[0])
  const member = at < 0 ? -1 : result.members.indexOf(at)
  return member < 0 ? null : explainRow(compiled, {values: portfolio.rows[at].values, index: member})
}
