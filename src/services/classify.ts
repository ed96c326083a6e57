import {type Classification, classifyPortfolio, explainRow, type Explanation, NO_TIER, needsPortfolio} from '../core/classify.js'
import {checkKeptValues, checkReveal, compileScheme, type Scheme} from '../core/schemes/scheme.js'
import type {ClassificationRepository, Portfolio, PortfolioFilter, ResultPage, RunTier} from '../db/repositories/classifications.js'
import {notFound} from '../errors.js'

export interface TierCount {
  readonly tier: string
  readonly zh: string
  readonly en: string
  readonly customers: number
}

/** A classification run as commands print it and --json returns it. */
export interface RunSummary {
  readonly run: number | null
  readonly scheme: string
  readonly version: string
  readonly hash: string
  readonly filter: PortfolioFilter
  readonly as_of: string
  readonly customers: number
  readonly skipped: number
  readonly tiers: readonly TierCount[]
  readonly dry_run: boolean
}

export function runTiers(scheme: Scheme): RunTier[] {
  return scheme.tiers.map((t) => ({id: t.id, zh: t.label.zh, en: t.label.en, cadence_days: t.cadenceDays}))
}

/** Every tier in the scheme's order with its count (tiers with none included), and customers no tier took. */
export function tierCountList(tiers: readonly RunTier[], counts: ReadonlyMap<string, number>): TierCount[] {
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
}

/**
 * Classifies the portfolio the filter selects and stores the run (unless a dry run). A scheme without portfolio
 * measures streams a page of customers at a time; one with them reads the whole portfolio first.
 */
export function classifyAndStore(repo: ClassificationRepository, options: ClassifyOptions): RunSummary {
  const {scheme, filter, asOf} = options
  const compiled = compileScheme(scheme, asOf, filter.where)
  checkReveal(compiled, options.reveal)
  const tierIds = scheme.tiers.map((t) => t.id)
  const counts = new Map<string, number>()
  let members = 0
  let skipped = 0
  const fill = (write: (page: ResultPage) => void): {skipped: number} => {
    const classified = (page: Portfolio, result: Classification) => {
      const tiers = Array.from(result.tiers, (t) => (t === NO_TIER ? '' : tierIds[t]))
      for (const t of tiers) counts.set(t, (counts.get(t) ?? 0) + 1)
      members += tiers.length
      skipped += result.skipped
      write({refs: Array.from(result.members, (m) => page.refs[m]), tiers, reasons: result.reasons})
    }
    if (needsPortfolio(compiled)) {
      const portfolio = repo.portfolio(compiled.inputs, filter, asOf)
      checkKeptValues(compiled, portfolio.rows, options.reveal)
      classified(portfolio, classifyPortfolio(compiled, portfolio.rows))
    } else {
      for (const page of repo.pages(compiled.inputs, filter, asOf)) {
        checkKeptValues(compiled, page.rows, options.reveal)
        classified(page, classifyPortfolio(compiled, page.rows))
      }
    }
    return {skipped}
  }
  let run: number | null = null
  if (options.dryRun) fill(() => {})
  else {
    run = repo.save({scheme: scheme.name, version: scheme.version, hash: scheme.hash, schemeText: scheme.text, tiers: runTiers(scheme), filter, asOf, actor: options.actor},
      fill, options.command)
  }
  return {run, scheme: scheme.name, version: scheme.version, hash: scheme.hash, filter, as_of: asOf, customers: members, skipped,
    tiers: tierCountList(runTiers(scheme), counts), dry_run: options.dryRun}
}

/**
 * Why one customer is in its tier under a scheme. Portfolio measures are taken over the portfolio of the scheme's
 * latest run (or the whole book when it has none), so the answer matches what classify gives.
 */
export function explainCustomer(repo: ClassificationRepository, scheme: Scheme, customerId: string, asOf: string, filter: PortfolioFilter): Explanation | null {
  const compiled = compileScheme(scheme, asOf, filter.where)
  const own = repo.portfolio(compiled.inputs, {customerId}, asOf)
  if (own.rows.length === 0) notFound(`no customer with customer_id "${customerId}"`)
  if (compiled.windows.length === 0) {
    const row = {values: own.rows[0].values, index: 0}
    const applies = (compiled.appliesTo === null || compiled.appliesTo.eval(row) === true)
    return applies ? explainRow(compiled, row) : null
  }
  const portfolio = repo.portfolio(compiled.inputs, filter, asOf)
  const result = classifyPortfolio(compiled, portfolio.rows)
  const at = portfolio.refs.indexOf(own.refs[0])
  const member = at < 0 ? -1 : result.members.indexOf(at)
  return member < 0 ? null : explainRow(compiled, {values: portfolio.rows[at].values, index: member})
}
