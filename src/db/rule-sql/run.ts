import type {Database} from 'better-sqlite3'
import {percentileCont} from '../../core/classify.js'
import {addDays} from '../../core/dates.js'
import type {Value, Window} from '../../core/rules/compile.js'
import type {PortfolioFilter} from '../../core/runs.js'
import type {CompiledScheme} from '../../core/schemes/scheme.js'
import {type ClassifySql, classifySql, isSingle, NotCompilable, tallied} from './compile.js'
import {sqliteDialect} from './dialect.js'
import {registerRuleFunctions, registerTally, Tally} from './functions.js'

/**
 * The customers a run reads: the filter's own columns, its values bound (--where is a rule, compiled with the rest);
 * every customer when there is no filter. Codes (branch, rm) match in any case, as the other filters do.
 */
function filterSql(filter: PortfolioFilter): string {
  const parts = (['branch', 'rm', 'type'] as const)
    .filter((k) => filter[k] != null)
    .map((k) => (k === 'type' ? `c.type = @type` : `c.${k} = @${k} COLLATE NOCASE`))
  return parts.length === 0 ? '1' : parts.join(' AND ')
}

/**
 * The page cache while a run's statement runs, in KiB: each of its sorts and temporary tables (a measure's window,
 * the final order) keeps a cache of this size, so the default 16 MB of better-sqlite3 made rfm's two windows cost
 * about 40 MB more, and a scan that reads every page once gains nothing from it.
 */
const STATEMENT_CACHE_KIB = -1000

/** What a run reports besides its results, counted as they are stored (functions.ts's Tally). */
export interface SqlOutcome {
  /** Customers read, valid, that the scheme or --where left out. */
  readonly skipped: number
  readonly members: number
  /** Members per tier id ('' for none). */
  readonly tiers: Map<string, number>
  /** Per input (compiled.inputs order): members whose value is unknown. */
  readonly nulls: readonly number[]
  /** Per measure (compiled.windows order): every known value the same (Window.flat). */
  readonly flats: readonly boolean[]
  /** Results stored (undefined when run without a run id: a dry run). */
  readonly stored?: number
}

/** A scheme compiled to SQL for one portfolio: its checks, and the INSERT … SELECT that stores a run. */
export interface SqlClassifier {
  /** Customers a kept column of the wrong type makes invalid: how many, and the first `limit` (ref, problem). */
  invalid(limit: number): {count: number; first: {ref: number; reason: string}[]}
  /** Whether a value of input `slot` looks like personal data for some valid customer read (checkKeptValues). */
  looksPersonal(slot: number): boolean
  /** The text values of input `slot` among the customers read, with their counts (the census of unseen values). */
  census(slot: number): [string, number][]
  /**
   * Whether every one of `values` is held by some customer read (input `slot`): a scan that stops when the last is
   * found, so a rule whose written values are all held costs no census.
   */
  holdsAll(slot: number, values: readonly string[]): boolean
  /**
   * Classifies the portfolio in one statement: stores every member's tier and reason as results of run `run` (one
   * INSERT … SELECT), or with no run only counts them (a dry run).
   */
  classify(run: number | undefined): SqlOutcome
}

/**
 * Compiles a scheme to SQL for a portfolio, or returns the reason it cannot (the interpreter then classifies it).
 * Single-valued measures (mean, median, percentile) are computed first, from their arguments as SQL gives them, with
 * the interpreter's arithmetic, and bound as values.
 */
export function sqlClassifier(
  db: Database,
  compiled: CompiledScheme,
  filter: PortfolioFilter,
  asOf: string,
): SqlClassifier | NotCompilable {
  registerRuleFunctions(
    db,
    compiled.inputs.filter((i) => i.source === 'extra'),
  )
  const params: Record<string, unknown> = {
    branch: filter.branch ?? null,
    rm: filter.rm ?? null,
    type: filter.type ?? null,
  }
  if (compiled.inputs.some((i) => i.source === 'contact'))
    Object.assign(params, {until: addDays(asOf, 1), since: addDays(asOf, -364)})
  const options = {dialect: sqliteDialect, filter: filterSql(filter)}
  let sql: ClassifySql
  try {
    const singles = new Map<Window, Value>()
    const single = compiled.windows.filter(isSingle)
    if (single.length > 0) {
      const first = classifySql(compiled, {...options, singles: new Map(single.map((w) => [w, 0]))})
      for (const w of single) {
        const args = db
          .prepare(first.measureArgs(w))
          .pluck()
          .all({...params, ...first.params}) as Value[]
        singles.set(w, singleValue(w, args))
      }
    }
    sql = classifySql(compiled, {...options, singles})
  } catch (error) {
    if (error instanceof NotCompilable) return error
    throw error
  }
  const all = {...params, ...sql.params}
  return {
    invalid(limit) {
      if (sql.invalid === null) return {count: 0, first: []}
      const first: {ref: number; reason: string}[] = []
      let count = 0
      for (const row of db.prepare(sql.invalid).raw().iterate(all) as IterableIterator<[number, string]>) {
        if (count++ < limit) first.push({ref: row[0], reason: row[1]})
      }
      return {count, first}
    },
    looksPersonal: (slot) => db.prepare(sql.looksPersonal(slot)).pluck().get(all) === 1,
    census: (slot) => db.prepare(sql.census(slot)).raw().all(all) as [string, number][],
    holdsAll(slot, values) {
      const distinct = [...new Set(values)]
      const found = db
        .prepare(sql.held(slot))
        .pluck()
        .get({...all, census_values: JSON.stringify(distinct), census_n: distinct.length})
      return found === distinct.length
    },
    classify(run) {
      const tally = new Tally(compiled.inputs.length, tallied(compiled), compiled.windows.length)
      registerTally(db, tally)
      let stored: number | undefined
      let counts: number[]
      // Each sort and temporary table of the statement (a measure's window, the final order) keeps its own page cache
      // of the connection's size: a smaller one keeps the run's memory down, and a scan gains nothing from a larger.
      const cache = db.pragma('cache_size', {simple: true}) as number
      db.pragma(`cache_size = ${STATEMENT_CACHE_KIB}`)
      try {
        if (run === undefined)
          counts = db
            .prepare(sql.tierCounts(`(${sql.select})`))
            .raw()
            .get(all) as number[]
        else {
          stored = db
            .prepare(
              `INSERT INTO classification_results (run_id, customer_ref, tier, reason) SELECT @run, ref, tier, ` +
                `reason FROM (${sql.select})`,
            )
            .run({...all, run}).changes
          // The tiers counted from the results just stored: a tenth of a second on a million, against a third for a
          // call into JavaScript per member.
          counts = db
            .prepare(sql.tierCounts('classification_results WHERE run_id = @run'))
            .raw()
            .get({...all, run}) as number[]
        }
      } finally {
        db.pragma(`cache_size = ${cache}`)
      }
      const ids = [...compiled.scheme.tiers.map((t) => t.id), '']
      const members = counts.reduce((a, b) => a + b, 0)
      // The customers read, counted apart: in SQL alone, unless kept columns must be checked (crm_rule_problem).
      const read = db.prepare(sql.read).pluck().get(all) as number
      return {
        skipped: read - members,
        members,
        tiers: new Map(counts.flatMap((n, t) => (n > 0 ? [[ids[t], n] as const] : []))),
        nulls: tally.nulls,
        flats: compiled.windows.map((_, w) => tally.flat(w)),
        stored,
      }
    },
  }
}

/** A mean, median or percentile of the members' known values, as classify.ts's fillWindow computes it. */
export function singleValue(w: Window, args: readonly Value[]): Value {
  if (w.fn === 'mean') {
    let sum = 0
    let count = 0
    for (const v of args) {
      if (v !== null) {
        sum += Number(v)
        count++
      }
    }
    return count > 0 ? sum / count : null
  }
  const value = percentileCont(args, w.fraction ?? 0.5)
  return Number.isNaN(value) ? null : value
}

/**
 * Whether an error is SQLite's limit rather than the scheme's fault: a value better-sqlite3 cannot bind (an integer
 * beyond 64 bits), an expression deeper than SQLite parses, more parameters than it takes, or a sum past 2^63.
 */
export function beyondSql(error: unknown): boolean {
  const message = error instanceof Error ? error.message : ''
  return (
    (error instanceof RangeError && message.includes('is too big')) ||
    /Expression tree is too large|too many SQL variables|integer overflow|too many terms in compound SELECT/.test(
      message,
    )
  )
}
