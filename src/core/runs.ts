import type {PortfolioRow} from './classify.js'

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
