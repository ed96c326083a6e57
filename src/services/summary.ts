import {migrationMatrix, type Migration, summarize, type SummaryRow} from '../core/summary.js'
import type {ClassificationRepository, Run} from '../db/repositories/classifications.js'
import type {Breakdown, SummaryRepository, TopCustomer} from '../db/repositories/summaries.js'
import {ExitCode, notFound, UserError} from '../errors.js'

/** The run to summarise: --run, else the latest of --scheme, else the latest run when only one scheme has runs. */
export function pickRun(runs: ClassificationRepository, options: {run?: number; scheme?: string}): Run {
  if (options.run !== undefined) {
    const run = runs.find(options.run) ?? notFound(`no classification run ${options.run}`, 'list runs with: crm classify runs')
    if (options.scheme !== undefined && run.scheme !== options.scheme) throw new UserError(`run ${run.id} is of the scheme ${run.scheme}, not ${options.scheme}`, ExitCode.Usage)
    return run
  }
  if (options.scheme !== undefined) return runs.latest(options.scheme) ?? notFound(`no classification run of the scheme "${options.scheme}"`, `classify first: crm classify --scheme ${options.scheme}`)
  const schemes = [...new Set(runs.list().map((r) => r.scheme))]
  if (schemes.length === 0) notFound('there are no classification runs yet', 'classify first: crm classify --scheme retail-aum')
  if (schemes.length > 1) throw new UserError(`runs of ${schemes.length} schemes are stored: choose one`, ExitCode.Usage, `use --scheme ${schemes.join(' or --scheme ')}, or --run ID`)
  return runs.latest(schemes[0])!
}

export function tierSummary(summaries: SummaryRepository, run: Run, by: readonly Breakdown[], windowDays: number | null): SummaryRow[] {
  return summarize(run.tiers.map((t) => t.id), summaries.totals(run, by, windowDays))
}

/** The n largest customers by AUM of each tier, in the scheme's tier order (its first tier first), largest first. */
export function topCustomers(summaries: SummaryRepository, run: Run, n: number): Iterable<TopCustomer> {
  return summaries.eachTop(run.id, n)
}

/** How many customers topCustomers lists of each tier. */
export function topCounts(runs: ClassificationRepository, run: Run, n: number): Map<string, number> {
  return new Map([...runs.tierCounts(run.id)].map(([tier, count]) => [tier, Math.min(count, n)]))
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
