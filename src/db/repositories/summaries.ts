import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresSummaryRepository} from '../postgres/summaries.js'
import {customerOrderKey} from '../customer-order.js'
import type {Database} from 'better-sqlite3'
import {addDays} from '../../core/dates.js'
import {FIELD_NAMES} from '../../core/fields.js'
import {parseFen} from '../../core/money.js'
import {
  type MigrationCell,
  type Mover,
  numberUnits,
  type SumField,
  type SummaryField,
  type TierTotals,
  type TopCustomer,
} from '../../core/summary.js'
import {columnFor, joinSum, keptPath, splitSum} from '../columns.js'
import {STANDING_RESULTS} from './classifications.js'

type Sum = bigint | null
type TotalsRow = {
  tier: string
  g0: string | null
  g1: string | null
  customers: bigint
  contacted: bigint
  cadence: bigint
  extra_high: Sum
  extra_low: Sum
  extra_total: string | null
  extra_count: bigint
  aum_high: Sum
  aum_low: Sum
  aum_count: bigint
  deposits_high: Sum
  deposits_low: Sum
  deposits_count: bigint
  loans_high: Sum
  loans_low: Sum
  loans_count: bigint
}

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function summaryRepository(db: CrmDatabase): SummaryRepository {
  if (isPostgres(db)) return postgresSummaryRepository(db)
  return sqliteSummaryRepository(db)
}

function sqliteSummaryRepository(db: Database) {
  const statements = new Map<string, ReturnType<Database['prepare']>>()
  /**
   * Per tier (and breakdown), the count, the exact sums of fen (as bigints, each in two parts: splitSum) with how many
   * customers have a value (count() skips NULL: an unknown amount is not 0), and how many were contacted within the
   * tier's cadence (or the window) up to the end of the run's as-of date; for a tier with neither, at any time up to
   * it. The customers are those of the runs the summary stands on (@runs: STANDING_RESULTS); cadences and the as-of
   * date are the newest run's (@run).
   */
  const totalsSql = (by: readonly SummaryField[], sum: SumField | undefined) => {
    // Only a canonical field's name is written into the SQL (checked against FIELD_NAMES); a kept column's name is a
    // bound JSON path (@g0, @g1, @sum), and every value is bound.
    const groups = [0, 1].map((i) => (by[i] ? column(by[i], `@g${i}`) : 'NULL'))
    // A kept column's value in units is text and its total is added in JS (crm_total): it has no bound, as int64 has.
    const units = sum?.source === 'extra' ? `crm_units_${sum.type}(json_extract(c.extra, @sum))` : undefined
    const summed =
      sum === undefined
        ? 'NULL AS extra_high, NULL AS extra_low, NULL AS extra_total, 0 AS extra_count'
        : units === undefined
          ? `${splitSum(column(sum, ''), 'extra')}, NULL AS extra_total, count(${column(sum, '')}) AS extra_count`
          : `NULL AS extra_high, NULL AS extra_low, crm_total(${units}) AS extra_total, count(${units}) AS extra_count`
    return `
      WITH cadence AS (
        SELECT json_extract(t.value, '$.id') AS tier, json_extract(t.value, '$.cadence_days') AS days
        FROM classification_runs r, json_each(r.tiers) t WHERE r.id = @run)
      SELECT x.tier, ${groups[0]} AS g0, ${groups[1]} AS g1, count(*) AS customers,
        ${splitSum('c.aum_fen', 'aum')}, count(c.aum_fen) AS aum_count,
          ${splitSum('c.deposits_fen', 'deposits')}, count(c.deposits_fen) AS deposits_count,
        ${splitSum('c.loans_fen', 'loans')}, count(c.loans_fen) AS loans_count,
        ${summed},
        sum(EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.customer_id
            AND (coalesce(@window, d.days) IS NULL OR k.at >= date(@asOf, '-' || coalesce(@window, d.days) || ' days'))
              AND k.at < @until AND k.deleted_at IS NULL)) AS contacted,
        max(coalesce(@window, d.days) IS NOT NULL) AS cadence
      FROM ${STANDING_RESULTS} x JOIN customers c ON c.id = x.customer_ref LEFT JOIN cadence d ON d.tier = x.tier
      WHERE c.deleted_at IS NULL
      GROUP BY x.tier, g0, g1`
  }
  const column = (f: SummaryField, path: string) => {
    if (f.source === 'extra') return `json_extract(c.extra, ${path})`
    if (!FIELD_NAMES.includes(f.name)) throw new Error(`not a customer field: ${f.name}`)
    return `c.${columnFor(f.name)}`
  }
  const prepared = (key: string, sql: () => string) => {
    let stmt = statements.get(key)
    if (stmt === undefined) statements.set(key, (stmt = db.prepare(sql())))
    return stmt
  }
  const migration = db.prepare<{a: number; b: number}, MigrationCell>(`
    SELECT a.tier AS "from", b.tier AS "to", count(*) AS customers
    FROM classification_results a LEFT JOIN classification_results b ON b.run_id = @b
      AND b.customer_ref = a.customer_ref
    WHERE a.run_id = @a AND a.customer_ref NOT IN (SELECT id FROM customers WHERE deleted_at IS NOT NULL)
    GROUP BY a.tier, b.tier
    UNION ALL
    SELECT NULL, b.tier, count(*) FROM classification_results b
    WHERE b.run_id = @b AND NOT EXISTS (SELECT 1 FROM classification_results a WHERE a.run_id = @a
      AND a.customer_ref = b.customer_ref)
      AND b.customer_ref NOT IN (SELECT id FROM customers WHERE deleted_at IS NOT NULL)
    GROUP BY b.tier`)
  const movers = db.prepare<{a: number; b: number}, Mover>(`
    SELECT c.customer_id AS customerId, c.name, a.tier AS "from", b.tier AS "to"
    FROM classification_results a JOIN classification_results b ON b.run_id = @b AND b.customer_ref = a.customer_ref
      AND b.tier <> a.tier
    JOIN customers c ON c.id = a.customer_ref
    WHERE a.run_id = @a AND c.deleted_at IS NULL ORDER BY ${customerOrderKey('c.customer_id')}`)
  // In the newest run's tier order (its first tier first; tiers it does not list last, by id), each tier's largest
  // first.
  const top = db
    .prepare<{run: number; runs: string; n: number}, TopCustomer>(`
    WITH tiers AS (SELECT json_extract(t.value, '$.id') AS tier, t.key AS position
      FROM classification_runs r, json_each(r.tiers) t WHERE r.id = @run)
    SELECT q.tier, customerId, name, branch, type, aum FROM (
      SELECT x.tier, c.customer_id AS customerId, c.name, c.branch, c.type, c.aum_fen AS aum,
        row_number() OVER (PARTITION BY x.tier ORDER BY c.aum_fen DESC NULLS LAST,
          ${customerOrderKey('c.customer_id')}) AS place
      FROM ${STANDING_RESULTS} x JOIN customers c ON c.id = x.customer_ref WHERE c.deleted_at IS NULL) q
    LEFT JOIN tiers o ON o.tier = q.tier
    WHERE place <= @n ORDER BY o.position IS NULL, o.position, q.tier, place`)
    .safeIntegers(true)

  return {
    /**
     * Totals per tier over the customers of `runs` (each in the newest that classified it), with `run`'s cadences and
     * date.
     */
    totals: (
      run: {id: number; asOf: string},
      runs: readonly number[],
      by: readonly SummaryField[],
      windowDays: number | null,
      sum?: SumField,
    ): TierTotals[] => {
      // A kept column is text: summed as its scheme declares it (money in fen, a number in millionths), exactly, as
      // decimal text, which no value overflows (10^13 is 10^19 millionths, past int64).
      if (sum?.source === 'extra') {
        db.function('crm_units_money', {deterministic: true}, (text: unknown) => {
          const fen = typeof text === 'string' && text.trim() !== '' ? parseFen(text.trim()) : null
          return fen === null || typeof fen === 'object' ? null : String(fen)
        })
        db.function('crm_units_number', {deterministic: true}, (text: unknown) =>
          typeof text === 'string' ? (numberUnits(text)?.toString() ?? null) : null,
        )
        db.aggregate('crm_total', {
          start: () => null as bigint | null,
          step: (total: bigint | null, units: unknown) =>
            units === null ? total : (total ?? 0n) + BigInt(units as string),
          result: (total: bigint | null) => (total === null ? null : String(total)),
        })
      }
      const key = JSON.stringify([by, sum ?? null])
      const stmt = prepared(key, () => totalsSql(by, sum)).safeIntegers(true)
      const paths = Object.fromEntries(
        [...by.map((f, i) => [`g${i}`, f] as const), ['sum', sum] as const]
          .filter(([, f]) => f?.source === 'extra')
          .map(([k, f]) => [k, keptPath(f!.name)]),
      )
      const rows = stmt.all({
        run: run.id,
        runs: JSON.stringify(runs),
        asOf: run.asOf,
        until: addDays(run.asOf, 1),
        window: windowDays,
        ...paths,
      }) as TotalsRow[]
      return rows.map((r) => ({
        ...(sum === undefined
          ? {}
          : {
              sum: r.extra_total === null ? joinSum(r.extra_high, r.extra_low) : BigInt(r.extra_total),
              sumCount: Number(r.extra_count),
            }),
        tier: r.tier,
        groups: by.map((_, i) => {
          const g = i === 0 ? r.g0 : r.g1
          return g === null ? null : String(g)
        }),
        customers: Number(r.customers),
        aum: joinSum(r.aum_high, r.aum_low),
        aumCount: Number(r.aum_count),
        deposits: joinSum(r.deposits_high, r.deposits_low),
        depositsCount: Number(r.deposits_count),
        loans: joinSum(r.loans_high, r.loans_low),
        loansCount: Number(r.loans_count),
        contacted: Number(r.contacted),
        cadence: r.cadence === 1n,
      }))
    },
    migration: (a: number, b: number): MigrationCell[] => migration.all({a, b}),
    movers: (a: number, b: number): Mover[] => movers.all({a, b}),
    /**
     * The n largest customers by AUM of each tier over the customers of `runs` (in `run`'s tier order), one at a time.
     */
    *eachTop(run: number, runs: readonly number[], n: number): Generator<TopCustomer> {
      for (const r of top.iterate({run, runs: JSON.stringify(runs), n}))
        yield {...r, customerId: String(r.customerId), name: String(r.name)}
    },
  }
}
/** What both backends give (postgres/summaries.ts returns the same). */
export type SummaryRepository = ReturnType<typeof sqliteSummaryRepository>
