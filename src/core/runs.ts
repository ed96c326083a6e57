import type {MissingInput, PortfolioRow} from './classify.js'
import type {UnseenValue} from './schemes/data-checks.js'
import {en} from './messages.js'

/* Classification runs as the rest of crm sees them: what a run stored, and what it gives back. */

/** Which customers a run classified: the portfolio filter, as stored with the run. */
export interface PortfolioFilter {
  readonly branch?: string
  readonly rm?: string
  readonly type?: string
  readonly where?: string
}

export interface RunTier {
  readonly id: string
  readonly zh: string
  readonly en: string
  readonly cadence_days: number | null
}

export interface NewRun {
  readonly scheme: string
  readonly version: string
  readonly hash: string
  readonly schemeText: string
  readonly tiers: readonly RunTier[]
  readonly filter: PortfolioFilter
  readonly asOf: string
  readonly actor: string
}

/** Results to store: parallel arrays of customer rowids, tier ids and reasons. */
export interface ResultPage {
  readonly refs: ArrayLike<number>
  readonly tiers: ArrayLike<string>
  readonly reasons: ArrayLike<string>
}

export interface Run extends NewRun {
  readonly id: number
  readonly createdAt: string
  readonly customers: number
  readonly skipped: number
}

/** One customer's result in a run. */
export interface RunResult {
  readonly customerId: string
  readonly name: string
  readonly branch: string | null
  readonly rm: string | null
  readonly tier: string
  readonly reason: string
}

/** The tier a customer has in the latest run of a scheme that classified it. */
export interface CustomerTier {
  readonly run: Run
  readonly tier: string
  readonly reason: string
}

/** The portfolio's customers (rowid and key) and the values the scheme's rules read. */
export interface Portfolio {
  readonly refs: number[]
  readonly rows: PortfolioRow[]
}

/** A customer whose tier asks for contact every N days, last contacted longer ago than that (or never). */
export interface LapsedCadence {
  readonly customerId: string
  readonly customerName: string
  readonly rm: string | null
  readonly branch: string | null
  readonly scheme: string
  readonly tier: string
  readonly cadenceDays: number
  readonly lastAt: string | null
}

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
  /** Inputs the scheme reads that are unknown for a fifth or more of the customers classified. */
  readonly missing_inputs: readonly MissingInput[]
  /** Ranks and groups whose known inputs were all the same value: they separated no one. */
  readonly flat_measures: readonly string[]
  readonly dry_run: boolean
  /** Customers left out because a kept column the rules read is not of its declared type, with the first few. */
  readonly invalid: number
  readonly invalid_customers: readonly {readonly customer_id: string; readonly reason: string}[]
  /** Written values that no customer holds in the column they are compared with (Card_Category = 'blue'). */
  readonly unseen_values: readonly UnseenValue[]
  /**
   * What classified the run: the scheme compiled to SQL and run inside the database, or crm's interpreter (a scheme
   * the SQL compiler cannot run exactly as the interpreter does).
   */
  readonly engine: 'sql' | 'interpreter'
}

/** What to do about customers left out as invalid. */
export const INVALID_ADVICE = en('invalidAdvice')

export interface RunVersion {
  readonly run: number
  readonly version: string
  readonly hash: string
}

/** Whether runs used different scheme texts (a new version, or the same version edited). */
export const schemeChanged = (runs: readonly {version: string; hash: string}[]) =>
  runs.some((r) => r.hash !== runs[0].hash || r.version !== runs[0].version)
