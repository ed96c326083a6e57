import {addDays} from '../../core/dates.js'
import type {Value, Window} from '../../core/rules/compile.js'
import type {PortfolioFilter} from '../../core/runs.js'
import type {CompiledScheme} from '../../core/schemes/scheme.js'
import {type PgDatabase, PgError} from '../postgres/connection.js'
import {type ClassifySql, classifySql, isSingle, NotCompilable, tallied} from './compile.js'
import {postgresDialect} from './dialect.js'
import {type SqlClassifier, singleValue} from './run.js'

/** The customers a run reads, by the filter's own columns (its values bound); codes in any case, as on SQLite. */
function filterSql(filter: PortfolioFilter): string {
  const parts = (['branch', 'rm', 'type'] as const)
    .filter((k) => filter[k] != null)
    .map((k) => (k === 'type' ? 'c.type = @type' : `lower(c.${k}) = lower(@${k})`))
  return parts.length === 0 ? 'true' : parts.join(' AND ')
}

/**
 * The compiler's named parameters (@p0 …) as PostgreSQL's positional ones, each typed by its value: PostgreSQL infers
 * an untyped parameter's type from its context, and a rule's values appear where none is given (CASE … THEN @p3).
 */
function positional(sql: string, values: Record<string, unknown>): {sql: string; params: unknown[]} {
  const params: unknown[] = []
  const at = new Map<string, string>()
  const text = sql.replace(/@([a-z_][a-z0-9_]*)/g, (_, name: string) => {
    let ref = at.get(name)
    if (ref === undefined) {
      if (!(name in values)) throw new Error(`no value for @${name}`)
      const v = values[name]
      // An unknown value is SQL's NULL, whose type PostgreSQL takes from where it stands (a parameter's it cannot).
      if (v === null || v === undefined) ref = 'NULL'
      else {
        params.push(typeof v === 'bigint' ? v.toString() : v)
        ref = `$${params.length}${typeOf(v)}`
      }
      at.set(name, ref)
    }
    return ref
  })
  return {sql: text, params}
}

function typeOf(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return '::text'
    case 'boolean':
      return '::boolean'
    case 'bigint':
      return v >= -(2n ** 63n) && v < 2n ** 63n ? '::bigint' : '::numeric'
    case 'number':
      return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? '::bigint' : '::float8'
    default:
      return ''
  }
}

/**
 * A scheme compiled to SQL for a PostgreSQL book (rule-sql/run.ts's SqlClassifier): the same compiler with
 * postgresDialect, the run stored by one INSERT … SELECT into classification_results (keyed by customer_id), and what
 * SQLite counts through crm_rule_tally as the rows pass counted by one aggregate over the members
 * (ClassifySql.tallies).
 * Measures over the whole portfolio (cume_share, quintile, percent_rank) are window functions over every member: on a
 * distributed PostgreSQL such a window is one global step (the coordinator gathers the members' measure arguments),
 * while mean, median and percentile are computed first and bound, as on SQLite.
 */
export function postgresSqlClassifier(
  db: PgDatabase,
  compiled: CompiledScheme,
  filter: PortfolioFilter,
  asOf: string,
): SqlClassifier | NotCompilable {
  const values: Record<string, unknown> = {
    branch: filter.branch ?? null,
    rm: filter.rm ?? null,
    type: filter.type ?? null,
    until: addDays(asOf, 1),
    since: addDays(asOf, -364),
  }
  const options = {dialect: postgresDialect, filter: filterSql(filter)}
  const query = (sql: string, more: Record<string, unknown> = {}) => positional(sql, {...values, ...more})
  const rows = (sql: string, more?: Record<string, unknown>) => {
    const q = query(sql, more)
    return db.rows(q.sql, q.params)
  }
  let sql: ClassifySql
  try {
    const singles = new Map<Window, Value>()
    const single = compiled.windows.filter(isSingle)
    if (single.length > 0) {
      const first = classifySql(compiled, {...options, singles: new Map(single.map((w) => [w, 0]))})
      for (const w of single) {
        const args = rows(first.measureArgs(w), first.params).map((r) => r[0] as Value)
        singles.set(w, singleValue(w, args))
      }
    }
    sql = classifySql(compiled, {...options, singles})
  } catch (error) {
    if (error instanceof NotCompilable) return error
    throw error
  }
  const all = sql.params
  return {
    invalid(limit) {
      if (sql.invalid === null) return {count: 0, first: []}
      const found = rows(sql.invalid, all) as [number, string][]
      return {count: found.length, first: found.slice(0, limit).map(([ref, reason]) => ({ref, reason}))}
    },
    looksPersonal: (slot) => rows(sql.looksPersonal(slot), all)[0]?.[0] === true,
    census: (slot) => rows(sql.census(slot), all).map(([v, n]) => [v as string, Number(n)]),
    holdsAll(slot, wanted) {
      const distinct = [...new Set(wanted)]
      const found = rows(sql.held(slot), {...all, census_values: JSON.stringify(distinct), census_n: distinct.length})
      return Number(found[0][0]) === distinct.length
    },
    classify(run) {
      let stored: number | undefined
      let counts: number[]
      if (run === undefined) counts = rows(sql.tierCounts(`(${sql.select}) AS s`), all)[0] as number[]
      else {
        const insert = query(
          `INSERT INTO classification_results (run_id, customer_id, tier, reason)
          SELECT @run, k, tier, reason FROM (${sql.select}) AS s`,
          {...all, run},
        )
        stored = db.run(insert.sql, insert.params).changes
        counts = rows(sql.tierCounts('classification_results WHERE run_id = @run'), {...all, run})[0] as number[]
      }
      const ids = [...compiled.scheme.tiers.map((t) => t.id), '']
      const members = counts.reduce((a, b) => a + Number(b), 0)
      const read = Number(rows(sql.read, all)[0][0])
      // Per tallied input its unknown count, then per measure its known count and whether they are all one value.
      const tally = rows(sql.tallies, all)[0]
      const flagged = tallied(compiled)
      const nulls = new Array<number>(compiled.inputs.length).fill(0)
      flagged.forEach((input, i) => {
        nulls[input] = Number(tally[i])
      })
      const flats = compiled.windows.map((_, w) => {
        const known = Number(tally[flagged.length + 2 * w])
        return known > 1 && tally[flagged.length + 2 * w + 1] === true
      })
      return {
        skipped: read - members,
        members,
        tiers: new Map(counts.flatMap((n, t) => (Number(n) > 0 ? [[ids[t], Number(n)] as const] : []))),
        nulls,
        flats,
        stored,
      }
    },
  }
}

/**
 * Whether an error is PostgreSQL's limit rather than the scheme's fault (the interpreter then runs the scheme, as on
 * SQLite): a value past bigint or float8 (22003), an expression nested past its stack depth (54001).
 */
export function beyondPostgres(error: unknown): boolean {
  return error instanceof PgError && ['22003', '54001'].includes(error.code)
}
