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
import {columnFor} from '../columns.js'
import {customerOrderKeyPostgres} from '../customer-order.js'
import type {SummaryRepository} from '../repositories/summaries.js'
import {STANDING_RESULTS_PG} from './classifications.js'
import type {PgDatabase} from './connection.js'

/** The totals' parameters the kept column query does not read, named so that PostgreSQL knows every one's type. */
const TYPED =
  '$1::bigint IS NOT NULL AND $3::date IS NOT NULL AND $4::date IS NOT NULL ' +
  'AND ($5::int IS NULL OR $5::int IS NOT NULL)'

const groupKey = (tier: string, g0: string | null, g1: string | null) => JSON.stringify([tier, g0, g1])

type TotalsRow = {
  tier: string
  g0: string | null
  g1: string | null
  customers: number
  contacted: number
  cadence: boolean
  extra: string | null
  extra_count: number
  aum: string | null
  aum_count: number
  deposits: string | null
  deposits_count: number
  loans: string | null
  loans_count: number
}

/**
 * Tier summaries of a PostgreSQL book (issue 18): one GROUP BY in PostgreSQL, as on SQLite. Sums of bigint fen are
 * numeric there, exact at any size (no splitting into parts as SQLite's int64 SUM needs). A kept column's --sum is
 * text read by crm's own parsers (parseFen, numberUnits): its raw values stream by and are added in JS, per group.
 */
export function postgresSummaryRepository(db: PgDatabase): SummaryRepository {
  // Parameters: $1 run, $2 runs, $3 as-of, $4 until, $5 window; kept column names from $6.
  const column = (f: SummaryField, param: () => string) => {
    if (f.source === 'extra') return `(c.extra ->> ${param()})`
    if (!FIELD_NAMES.includes(f.name)) throw new Error(`not a customer field: ${f.name}`)
    return `c."${columnFor(f.name)}"`
  }
  const migrationSql = `
    SELECT a.tier AS "from", b.tier AS "to", count(*) AS customers
    FROM classification_results a LEFT JOIN classification_results b ON b.run_id = $2 AND b.customer_id = a.customer_id
    WHERE a.run_id = $1 AND a.customer_id NOT IN (SELECT customer_id FROM customers WHERE deleted_at IS NOT NULL)
    GROUP BY a.tier, b.tier
    UNION ALL
    SELECT NULL, b.tier, count(*) FROM classification_results b
    WHERE b.run_id = $2 AND NOT EXISTS (SELECT 1 FROM classification_results a WHERE a.run_id = $1
      AND a.customer_id = b.customer_id)
      AND b.customer_id NOT IN (SELECT customer_id FROM customers WHERE deleted_at IS NOT NULL)
    GROUP BY b.tier`
  const moversSql = `
    SELECT c.customer_id AS "customerId", c.name, a.tier AS "from", b.tier AS "to"
    FROM classification_results a JOIN classification_results b ON b.run_id = $2 AND b.customer_id = a.customer_id
      AND b.tier <> a.tier
    JOIN customers c ON c.customer_id = a.customer_id
    WHERE a.run_id = $1 AND c.deleted_at IS NULL ORDER BY ${customerOrderKeyPostgres('c.customer_id')}`
  // In the newest run's tier order (its first tier first; tiers it does not list last, by id), each tier's largest
  // first.
  const topSql = (runs: number) => `
    WITH tiers AS (SELECT t.value ->> 'id' AS tier, t.position
      FROM classification_runs r, jsonb_array_elements(r.tiers) WITH ORDINALITY AS t(value, position) WHERE r.id = $1)
    SELECT q.tier, "customerId", name, branch, type, aum FROM (
      SELECT x.tier, c.customer_id AS "customerId", c.name, c.branch, c.type, c.aum_fen AS aum,
        row_number() OVER (PARTITION BY x.tier ORDER BY c.aum_fen DESC NULLS LAST,
          ${customerOrderKeyPostgres('c.customer_id')}) AS place
      FROM ${STANDING_RESULTS_PG('$2', runs)} x JOIN customers c ON c.customer_id = x.customer_id
      WHERE c.deleted_at IS NULL) q
    LEFT JOIN tiers o ON o.tier = q.tier
    WHERE place <= $3 ORDER BY o.position IS NULL, o.position, q.tier COLLATE "C", place`

  /**
   * A kept column's --sum per group (groupKey): its raw text in units as its scheme declares it (money in fen, a
   * number in millionths), read by the same code as on SQLite, added exactly as the rows stream by.
   */
  const keptTotals = (sum: SumField, groups: readonly string[], params: readonly unknown[], runs: number) => {
    const all = [...params, sum.name]
    const totals = new Map<string, {total: bigint; count: number}>()
    const units =
      sum.type === 'money'
        ? (text: string) => {
            const fen = text.trim() !== '' ? parseFen(text.trim()) : null
            return fen === null || typeof fen === 'object' ? null : BigInt(fen)
          }
        : (text: string) => numberUnits(text) ?? null
    const sql = `SELECT x.tier, ${groups[0]} AS g0, ${groups[1]} AS g1, c.extra ->> $${all.length}::text AS v
      FROM ${STANDING_RESULTS_PG('$2', runs)} x JOIN customers c ON c.customer_id = x.customer_id
      WHERE c.deleted_at IS NULL AND ${TYPED}`
    for (const page of db.pages<[string, string | null, string | null, string | null]>(sql, all, {array: true})) {
      for (const [tier, g0, g1, v] of page) {
        const key = groupKey(tier, g0, g1)
        let group = totals.get(key)
        if (group === undefined) totals.set(key, (group = {total: 0n, count: 0}))
        const n = v === null ? null : units(v)
        if (n === null) continue
        group.total += n
        group.count++
      }
    }
    return totals
  }

  return {
    totals: (
      run: {id: number; asOf: string},
      runs: readonly number[],
      by: readonly SummaryField[],
      windowDays: number | null,
      sum?: SumField,
    ): TierTotals[] => {
      const params: unknown[] = [run.id, runs, run.asOf, addDays(run.asOf, 1), windowDays]
      const param = (value: unknown) => () => {
        params.push(value)
        return `$${params.length}::text`
      }
      // Only a canonical field's name is written into the SQL (checked against FIELD_NAMES); a kept column's name is
      // bound, as is every value.
      const groups = [0, 1].map((i) => (by[i] ? column(by[i], param(by[i].name)) : 'NULL::text'))
      const summed =
        sum === undefined || sum.source === 'extra'
          ? 'NULL::numeric AS extra, 0 AS extra_count'
          : `sum(${column(sum, () => '')}) AS extra, count(${column(sum, () => '')}) AS extra_count`
      // Contacted within the tier's cadence (or the window) up to the end of the as-of date; for a tier with
      // neither, at any time up to it: a customer's last contact before the end of that day, found by one grouped
      // scan of contacts joined by customer_id (a search per customer with the tier's own date cost a probe a row).
      const sql = `WITH cadence AS (
          SELECT t.value ->> 'id' AS tier, (t.value ->> 'cadence_days')::int AS days
          FROM classification_runs r, jsonb_array_elements(r.tiers) AS t(value) WHERE r.id = $1),
        last_contact AS (SELECT customer_id, max(at) AS last FROM contacts WHERE at < $4::date AND deleted_at IS NULL
          GROUP BY customer_id)
        SELECT x.tier, ${groups[0]} AS g0, ${groups[1]} AS g1, count(*) AS customers,
          sum(c.aum_fen) AS aum, count(c.aum_fen) AS aum_count, sum(c.deposits_fen) AS deposits,
          count(c.deposits_fen) AS deposits_count, sum(c.loans_fen) AS loans, count(c.loans_fen) AS loans_count,
          ${summed},
          count(*) FILTER (WHERE k.last IS NOT NULL AND (coalesce($5::int, d.days) IS NULL
            OR k.last >= $3::date - coalesce($5::int, d.days))) AS contacted,
          bool_or(coalesce($5::int, d.days) IS NOT NULL) AS cadence
        FROM ${STANDING_RESULTS_PG('$2', runs.length)} x JOIN customers c ON c.customer_id = x.customer_id
          LEFT JOIN cadence d ON d.tier = x.tier
          LEFT JOIN last_contact k ON k.customer_id = c.customer_id
        WHERE c.deleted_at IS NULL
        GROUP BY 1, 2, 3`
      const rows = db.all<TotalsRow>(sql, params)
      const extra = sum?.source === 'extra' ? keptTotals(sum, groups, params, runs.length) : undefined
      return rows.map((r) => {
        const kept = extra?.get(groupKey(r.tier, r.g0, r.g1))
        return {
          ...(sum === undefined
            ? {}
            : extra !== undefined
              ? {sum: kept?.total ?? 0n, sumCount: kept?.count ?? 0}
              : {sum: BigInt(r.extra ?? 0), sumCount: Number(r.extra_count)}),
          tier: r.tier,
          groups: by.map((_, i) => (i === 0 ? r.g0 : r.g1)),
          customers: Number(r.customers),
          aum: BigInt(r.aum ?? 0),
          aumCount: Number(r.aum_count),
          deposits: BigInt(r.deposits ?? 0),
          depositsCount: Number(r.deposits_count),
          loans: BigInt(r.loans ?? 0),
          loansCount: Number(r.loans_count),
          contacted: Number(r.contacted),
          cadence: r.cadence,
        }
      })
    },
    migration: (a: number, b: number): MigrationCell[] => db.all<MigrationCell>(migrationSql, [a, b]),
    movers: (a: number, b: number): Mover[] => db.all<Mover>(moversSql, [a, b]),
    *eachTop(run: number, runs: readonly number[], n: number): Generator<TopCustomer> {
      for (const page of db.pages<TopCustomer & {aum: number | bigint | null}>(topSql(runs.length), [run, runs, n]))
        for (const r of page) yield {...r, aum: r.aum === null ? null : BigInt(r.aum)}
    },
  }
}
