import {migrationMatrix, type Migration, summarize, type SummaryRow} from '../core/summary.js'
import type {ClassificationRepository, Run} from '../db/repositories/classifications.js'
import type {Breakdown, SummaryRepository, TopCustomer} from '../db/repositories/summaries.js'
import {ExitCode, notFound, UserError} from '../errors.js'

/**
 * What a summary stands on: `run`, the newest run (with the tiers of every run it stands on, newest first), and
 * `runs`, the ids of those runs newest first. --run is that run alone; --scheme (or the only scheme with runs) is
 * each customer's tier in the newest run that classified it (ClassificationRepository.standing).
 */
export interface SummaryBasis {
  readonly run: Run
  readonly runs: readonly number[]
}

/** The runs to summarise: --run, else those --scheme stands on, else those of the only scheme with runs. */
export function pickRun(runs: ClassificationRepository, options: {run?: number; scheme?: string}): SummaryBasis {
  if (options.run !== undefined) {
    const run = runs.find(options.run) ?? notFound(`no classification run ${options.run}`, 'list runs with: crm classify runs')
    if (options.scheme !== undefined && run.scheme !== options.scheme) throw new UserError(`run ${run.id} is of the scheme ${run.scheme}, not ${options.scheme}`, ExitCode.Usage)
    return {run, runs: [run.id]}
  }
  if (options.scheme !== undefined) return standingBasis(runs.standing(options.scheme)) ?? notFound(`no classification run of the scheme "${options.scheme}"`, `classify first: crm classify --scheme ${options.scheme}`)
  const schemes = [...new Set(runs.list().map((r) => r.scheme))]
  if (schemes.length === 0) notFound('there are no classification runs yet', 'classify first: crm classify --scheme retail-aum')
  if (schemes.length > 1) throw new UserError(`runs of ${schemes.length} schemes are stored: choose one`, ExitCode.Usage, `use --scheme ${schemes.join(' or --scheme ')}, or --run ID`)
  return standingBasis(runs.standing(schemes[0]))!
}

function standingBasis(standing: readonly Run[]): SummaryBasis | undefined {
  if (standing.length === 0) return undefined
  const tiers = new Map(standing.flatMap((r) => r.tiers).reverse().map((t) => [t.id, t]))
  const order = [...new Set(standing.flatMap((r) => r.tiers.map((t) => t.id)))]
  return {run: {...standing[0], tiers: order.map((id) => tiers.get(id)!)}, runs: standing.map((r) => r.id)}
}

export function tierSummary(summaries: SummaryRepository, basis: SummaryBasis, by: readonly Breakdown[], windowDays: number | null): SummaryRow[] {
  return summarize(basis.run.tiers.map((t) => t.id), summaries.totals(basis.run, basis.runs, by, windowDays))
}

/** The n largest customers by AUM of each tier, in the scheme's tier order (its first tier first), largest first. */
export function topCustomers(summaries: SummaryRepository, basis: SummaryBasis, n: number): TopCustomer[] {
  const order = new Map(basis.run.tiers.map((t, i) => [t.id, i]))
  // The query sorts by tier id; sort is stable, so each tier keeps its largest-first order.
  return summaries.top(basis.runs, n).sort((a, b) => (order.get(a.tier) ?? order.size) - (order.get(b.tier) ?? order.size))
}

/** The migration between two runs of one scheme; runs of different schemes are refused. */
export function compareRuns(runs: ClassificationRepository, summaries: SummaryRepository, a: number, b: number): {from: Run; to: Run; migration: Migration} {
  const from = runs.find(a) ?? notFound(`no classification run ${a}`, 'list runs with: crm classify runs')
  const to = runs.find(b) ?? notFound(`no classification run ${b}`, 'list runs with: crm classify runs')
  if (from.scheme !== to.scheme) {
    throw new UserError(`run ${a} is of the scheme ${from.scheme} and run ${b} of ${to.scheme}: only runs of the same scheme can be compared`, ExitCode.Usage,
      `list each scheme's runs with: crm classify runs`)
  }
  return {from, to, migration: migrationMatrix(to.tiers.map((t) => t.id), summaries.migration(a, b))}
}
