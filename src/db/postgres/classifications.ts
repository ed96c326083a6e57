import type {PortfolioRow} from '../../core/classify.js'
import type {WrittenRecords} from '../../core/customer.js'
import {CUSTOMER_FIELDS} from '../../core/fields.js'
import {addDays} from '../../core/dates.js'
import {personalText} from '../../core/masking.js'
import type {InputSpec, Value} from '../../core/rules/compile.js'
import type {
  CustomerTier,
  LapsedCadence,
  NewRun,
  Portfolio,
  PortfolioFilter,
  ResultPage,
  Run,
  RunResult,
  RunTier,
} from '../../core/runs.js'
import {inputProblem, inputValue} from '../../core/schemes/inputs.js'
import type {CompiledScheme} from '../../core/schemes/scheme.js'
import {osUser} from '../../processes.js'
import {columnFor} from '../columns.js'
import {customerOrderKeyPostgres} from '../customer-order.js'
import {type ClassificationRepository, isWholeBook, type RunRow, toRun} from '../repositories/classifications.js'
import {beyondPostgres, postgresSqlClassifier} from '../rule-sql/run-postgres.js'
import type {PgDatabase} from './connection.js'

/**
 * The classification runs of a PostgreSQL book (issue 18): the same repository as SQLite's, over the schema keyed by
 * customer_id (classification_results has no customer_ref). Refs are customers.id, as on SQLite; results are stored
 * under their customer's customer_id. Instants and days are read back in the text the SQLite path stores.
 */

const ROWS_PER_PAGE = 10_000
const RESULTS_PER_PAGE = 1000

/** A run's columns, its instants and day in the text SQLite stores (an ISO instant in UTC, 'YYYY-MM-DD'). */
const RUN_COLUMNS = `id, scheme, scheme_version, scheme_hash, scheme_text, tiers, filter,
  to_char(as_of, 'YYYY-MM-DD') AS as_of,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at, actor, customers, skipped`

/** A run that looked at the whole book: no --branch, --rm, --type or --where (JSON null counts as none). */
const UNFILTERED = (r: string) =>
  `coalesce(${r}.filter ->> 'branch', ${r}.filter ->> 'rm', ${r}.filter ->> 'type', ${r}.filter ->> 'where') IS NULL`

/**
 * The results a set of runs stands on ($N, an array of `count` run ids): each customer's result in the newest of them
 * that classified it.
 */
export const STANDING_RESULTS_PG = (runs: string, count: number) =>
  count === 1
    ? // One run stands alone: its results, with no search for newer ones (which doubled a summary's time).
      `(SELECT x.* FROM classification_results x WHERE x.run_id = ANY(${runs}::bigint[]))`
    : `(SELECT x.* FROM classification_results x
  WHERE x.run_id = ANY(${runs}::bigint[]) AND NOT EXISTS (SELECT 1 FROM classification_results y
    WHERE y.customer_id = x.customer_id AND y.run_id = ANY(${runs}::bigint[]) AND y.run_id > x.run_id))`

/** jsonb gives its keys in its own order: a stored tier or filter is given back in the order crm writes it. */
function tierOf(t: RunTier): RunTier {
  return {id: t.id, zh: t.zh, en: t.en, cadence_days: t.cadence_days}
}

function filterOf(f: PortfolioFilter): PortfolioFilter {
  const out: Record<string, unknown> = {}
  for (const key of ['branch', 'rm', 'type', 'where'] as const) if (key in f) out[key] = f[key]
  for (const key of Object.keys(f)) if (!(key in out)) out[key] = (f as Record<string, unknown>)[key]
  return out as PortfolioFilter
}

/** toRun, with the tiers and the filter in the order crm writes them (jsonb keeps its own). */
function runOf(row: RunRow): Run {
  const run = toRun(row)
  return {...run, tiers: run.tiers.map(tierOf), filter: filterOf(run.filter)}
}

/** A kept column's jsonb value (as PostgreSQL's text) as SQLite's json_extract gives it: text, a number, 1 or 0. */
function jsonValue(text: string | null): unknown {
  if (text === null) return null
  const v = JSON.parse(text) as unknown
  if (typeof v === 'boolean') return v ? 1 : 0
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : v
}

/** The customers a run reads ($1 after, $2 branch, $3 rm, $4 type, $5 customer_id); codes match in any case. */
const PORTFOLIO_FILTER = `c.deleted_at IS NULL AND c.id > $1 AND ($2::text IS NULL OR lower(c.branch) = lower($2))
  AND ($3::text IS NULL OR lower(c.rm) = lower($3)) AND ($4::text IS NULL OR c.type = $4)
  AND ($5::text IS NULL OR c.customer_id = $5)`

const CONTACTS = (until: string) => `k.customer_id = c.customer_id AND k.at < ${until}::date AND k.deleted_at IS NULL`

export function postgresClassificationRepository(db: PgDatabase): ClassificationRepository {
  /** The SQL that reads an input: a kept column's name and the contact dates are bound (param). */
  function inputColumn(input: InputSpec, asOf: string, param: (value: unknown) => string): string {
    switch (input.source) {
      case 'field': {
        if (!CUSTOMER_FIELDS.some((f) => f.name === input.name)) throw new Error(`not a customer field: ${input.name}`)
        return `c."${columnFor(input.name)}"`
      }
      case 'extra':
        return `c.extra -> ${param(input.name)}`
      default:
        // Contacts count up to the end of the as-of date; "12 months" is the 365 days ending on it.
        return input.name === 'last_contact_on'
          ? `(SELECT to_char(max(k.at), 'YYYY-MM-DD') FROM contacts k WHERE ${CONTACTS(param(addDays(asOf, 1)))})`
          : `(SELECT count(*) FROM contacts k WHERE ${CONTACTS(param(addDays(asOf, 1)))}
            AND k.at >= ${param(addDays(asOf, -364))}::date)`
    }
  }

  /**
   * The customers a run classifies with the values its rules read, in id order, a page at a time (each read whole,
   * so that the caller may write between pages).
   */
  function* pages(
    inputs: readonly InputSpec[],
    filter: PortfolioFilter & {customerId?: string},
    asOf: string,
  ): Generator<Portfolio> {
    const params: unknown[] = [
      0,
      filter.branch ?? null,
      filter.rm ?? null,
      filter.type ?? null,
      filter.customerId ?? null,
    ]
    const param = (value: unknown) => {
      params.push(value)
      return `$${params.length}::text`
    }
    const columns = inputs.map((input) => inputColumn(input, asOf, param))
    const sql = `SELECT c.id, c.customer_id${columns.map((c) => `, ${c}`).join('')} FROM customers c
      WHERE ${PORTFOLIO_FILTER} ORDER BY c.id LIMIT ${ROWS_PER_PAGE}`
    const extras = inputs.flatMap((input, i) => (input.source === 'extra' ? [i] : []))
    for (;;) {
      const raw = db.rows(sql, params)
      if (raw.length === 0) return
      const refs = new Array<number>(raw.length)
      const rows = new Array<PortfolioRow>(raw.length)
      for (let r = 0; r < raw.length; r++) {
        const line = raw[r]
        refs[r] = line[0] as number
        const values = line.slice(2) as Value[]
        let problem: string | undefined
        for (const i of extras) {
          const v = jsonValue(values[i] as string | null)
          const text = v === null ? null : String(v)
          values[i] = inputValue(inputs[i], text)
          const wrong = values[i] === null ? inputProblem(inputs[i], text) : null
          if (wrong !== null) problem = problem === undefined ? wrong : `${problem}; ${wrong}`
        }
        rows[r] = problem === undefined ? {key: line[1] as string, values} : {key: line[1] as string, values, problem}
      }
      yield {refs, rows}
      if (raw.length < ROWS_PER_PAGE) return
      params[0] = refs[refs.length - 1]
    }
  }

  const audit = (entry: {at: string; actor: string; command: string; action: string; rows: number; details: unknown}) =>
    db.run(
      `INSERT INTO audit_log (at, actor, os_user, command, action, rows, details)
      VALUES ($1::timestamptz, $2, $3, $4, $5, $6, $7::jsonb)`,
      [entry.at, entry.actor, osUser(), entry.command, entry.action, entry.rows, JSON.stringify(entry.details)],
    )

  const filterParams = (filter: PortfolioFilter) => [
    0,
    filter.branch ?? null,
    filter.rm ?? null,
    filter.type ?? null,
    null,
  ]
  const runsNewestFirst = (limit: number | null): RunRow[] =>
    db.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM classification_runs ORDER BY id DESC LIMIT $1`, [limit])
  const resultsSql = `SELECT c.customer_id AS "customerId", c.name, c.branch, c.rm, x.tier, x.reason
    FROM classification_results x JOIN customers c ON c.customer_id = x.customer_id
    WHERE x.run_id = $1 AND c.deleted_at IS NULL AND ($2::text IS NULL OR x.tier = $2)
    ORDER BY ${customerOrderKeyPostgres('c.customer_id')} LIMIT $3`
  const resultParams = (runId: number, options: {tier?: string; limit?: number}) => [
    runId,
    options.tier ?? null,
    options.limit === undefined || options.limit < 0 ? null : options.limit,
  ]

  return {
    portfolio: (inputs, filter, asOf) => {
      const refs: number[] = []
      const rows: PortfolioRow[] = []
      for (const page of pages(inputs, filter, asOf)) {
        for (const ref of page.refs) refs.push(ref)
        for (const row of page.rows) rows.push(row)
      }
      return {refs, rows}
    },
    pages: (inputs, filter, asOf) => pages(inputs, filter, asOf),
    sqlClassifier: (compiled: CompiledScheme, filter: PortfolioFilter, asOf: string) =>
      postgresSqlClassifier(db, compiled, filter, asOf),
    beyondSql: beyondPostgres,
    save: (
      run: NewRun,
      fill: (write: (page: ResultPage) => void, run: number) => {skipped: number; stored?: number},
      command: string,
    ): number =>
      db.transaction(() => {
        const createdAt = new Date().toISOString()
        const id = db.value<number>(
          `INSERT INTO classification_runs (scheme, scheme_version, scheme_hash, scheme_text, tiers, filter, as_of,
            created_at, actor, customers, skipped)
          VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::date, $8::timestamptz, $9, 0, 0) RETURNING id`,
          [
            run.scheme,
            run.version,
            run.hash,
            run.schemeText,
            JSON.stringify(run.tiers),
            JSON.stringify(run.filter),
            run.asOf,
            createdAt,
            run.actor,
          ],
        )!
        let count = 0
        const {skipped, stored} = fill(({refs, tiers, reasons}) => {
          // A page's results in one statement, each stored under its customer's customer_id (found by id).
          count += db.run(
            `INSERT INTO classification_results (run_id, customer_id, tier, reason)
            SELECT $1, c.customer_id, t.tier, t.reason
            FROM unnest($2::bigint[], $3::text[], $4::text[]) AS t(ref, tier, reason) JOIN customers c ON c.id = t.ref`,
            [id, Array.from(refs), Array.from(tiers), Array.from(reasons)],
          ).changes
        }, id)
        if (stored !== undefined) count = stored
        db.run('UPDATE classification_runs SET customers = $2, skipped = $3 WHERE id = $1', [id, count, skipped])
        audit({
          at: createdAt,
          actor: run.actor,
          command,
          action: 'classify.run',
          rows: count,
          details: {run: id, scheme: run.scheme, version: run.version, as_of: run.asOf, filter: run.filter},
        })
        return id
      }),
    find: (id: number): Run | undefined => {
      const row = db.get<RunRow>(`SELECT ${RUN_COLUMNS} FROM classification_runs WHERE id = $1`, [id])
      return row && runOf(row)
    },
    latest: (scheme: string): Run | undefined => {
      const row = db.get<RunRow>(
        `SELECT ${RUN_COLUMNS} FROM classification_runs WHERE scheme = $1 ORDER BY id DESC LIMIT 1`,
        [scheme],
      )
      return row && runOf(row)
    },
    standing: (scheme: string): Run[] =>
      db
        .all<RunRow>(
          `SELECT ${RUN_COLUMNS} FROM classification_runs r WHERE r.scheme = $1
          AND r.id >= coalesce((SELECT max(w.id) FROM classification_runs w WHERE w.scheme = $1
            AND ${UNFILTERED('w')}), 0) ORDER BY r.id DESC`,
          [scheme],
        )
        .map(runOf),
    list: (limit?: number): Run[] => runsNewestFirst(limit ?? null).map(runOf),
    count: (): number => db.value<number>('SELECT count(*) FROM classification_runs')!,
    results: (runId: number, options: {tier?: string; limit?: number} = {}): RunResult[] =>
      db.all<RunResult>(resultsSql, resultParams(runId, options)),
    *eachResult(runId: number, options: {tier?: string; limit?: number} = {}): Generator<RunResult> {
      for (const page of db.pages<RunResult>(resultsSql, resultParams(runId, options), {size: RESULTS_PER_PAGE}))
        yield* page
    },
    /**
     * The same lines the row writer makes of runResultView's records, written here a page at a time: the reason
     * masked by the same code (personalText) as the rows stream.
     */
    *eachResultLine(
      runId: number,
      options: {tier?: string; limit?: number; reveal: boolean},
      labels: ReadonlyMap<string, string>,
      format: 'csv' | 'tsv',
      cell: (text: string) => string,
      between: string,
    ): Generator<WrittenRecords> {
      const separator = format === 'csv' ? ',' : '\t'
      const text = (v: string | null) => cell(v ?? '')
      for (const page of db.pages<RunResult>(resultsSql, resultParams(runId, options), {size: RESULTS_PER_PAGE})) {
        const lines = page.map((r) =>
          [
            text(r.customerId),
            text(r.name),
            text(r.branch),
            text(r.rm),
            text(r.tier),
            text(labels.get(r.tier) ?? r.tier),
            text(personalText(r.reason, options.reveal)),
          ].join(separator),
        )
        yield {bytes: Buffer.from(lines.join(between)), rows: lines.length}
      }
    },
    delete: (id: number, who: {actor: string; command: string}): boolean =>
      db.transaction(() => {
        const deleted = db.run('DELETE FROM classification_runs WHERE id = $1', [id]).changes === 1
        if (deleted)
          audit({
            at: new Date().toISOString(),
            actor: who.actor,
            command: who.command,
            action: 'classify.delete',
            rows: 1,
            details: {run: id},
          })
        return deleted
      }),
    *eachLapsedCadence(date: string, filter: {rm?: string; branch?: string}): Generator<LapsedCadence> {
      let previous: string | undefined
      const sql = `
        WITH whole AS (SELECT scheme, max(id) AS id FROM classification_runs w WHERE ${UNFILTERED('w')}
          GROUP BY scheme),
        standing AS MATERIALIZED (SELECT r.id, r.scheme, r.tiers FROM classification_runs r LEFT JOIN whole
          ON whole.scheme = r.scheme WHERE r.id >= coalesce(whole.id, 0)),
        cadences AS MATERIALIZED (
          SELECT s.id AS run_id, s.scheme, t.value ->> 'id' AS tier, (t.value ->> 'cadence_days')::bigint AS days,
            $1::date - (t.value ->> 'cadence_days')::int AS since
          FROM standing s, jsonb_array_elements(s.tiers) AS t(value)
          WHERE jsonb_typeof(t.value -> 'cadence_days') = 'number')
        SELECT c.customer_id AS "customerId", c.name AS "customerName", c.rm, c.branch, d.scheme, d.tier,
          d.days AS "cadenceDays",
          (SELECT to_char(max(k.at), 'YYYY-MM-DD"T"HH24:MI:SS') FROM contacts k WHERE ${CONTACTS('$2')}) AS "lastAt"
        FROM classification_results x JOIN cadences d ON d.run_id = x.run_id AND d.tier = x.tier
          JOIN customers c ON c.customer_id = x.customer_id
        WHERE ($3::text IS NULL OR lower(c.rm) = lower($3)) AND ($4::text IS NULL OR lower(c.branch) = lower($4))
          AND c.status IS DISTINCT FROM 'closed' AND c.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM contacts k WHERE ${CONTACTS('$2')} AND k.at >= d.since)
          AND NOT EXISTS (SELECT 1 FROM standing n JOIN classification_results y ON y.run_id = n.id
            AND y.customer_id = x.customer_id WHERE n.scheme = d.scheme AND n.id > d.run_id)
        ORDER BY c.customer_id COLLATE "C", d.days`
      const params = [date, addDays(date, 1), filter.rm ?? null, filter.branch ?? null]
      for (const page of db.pages<LapsedCadence>(sql, params, {size: RESULTS_PER_PAGE})) {
        for (const row of page) {
          if (row.customerId !== previous) yield row
          previous = row.customerId
        }
      }
    },
    missingKept: (names: readonly string[], filter: PortfolioFilter): string[] => {
      if (names.length === 0) return []
      if (
        !db.value<boolean>(`SELECT EXISTS (SELECT 1 FROM customers c WHERE ${PORTFOLIO_FILTER})`, filterParams(filter))
      )
        return []
      // Stops at the first customer that has the column: only a column nobody has costs a full scan.
      return names.filter(
        (name) =>
          !db.value<boolean>(`SELECT EXISTS (SELECT 1 FROM customers c WHERE ${PORTFOLIO_FILTER} AND c.extra ? $6)`, [
            ...filterParams(filter),
            name,
          ]),
      )
    },
    keptColumns: (filter: PortfolioFilter): string[] =>
      db
        .rows<[string]>(
          `SELECT DISTINCT j.key FROM customers c, jsonb_object_keys(c.extra) AS j(key) WHERE ${PORTFOLIO_FILTER}
          LIMIT 1000`,
          filterParams(filter),
        )
        .map((r) => r[0]),
    customerIdOf: (ref: number): string | undefined =>
      db.value<string>('SELECT customer_id FROM customers WHERE id = $1', [ref]),
    customerTiers: (customerId: string): CustomerTier[] => {
      if (db.value('SELECT 1 FROM customers WHERE customer_id = $1', [customerId]) === undefined) return []
      const found = new Map<string, CustomerTier>()
      const done = new Set<string>()
      for (const row of runsNewestFirst(null)) {
        if (done.has(row.scheme)) continue
        const result = db.get<{tier: string; reason: string}>(
          'SELECT tier, reason FROM classification_results WHERE customer_id = $1 AND run_id = $2',
          [customerId, row.id],
        )
        if (result) found.set(row.scheme, {run: runOf(row), tier: result.tier, reason: result.reason})
        if (result || isWholeBook(JSON.parse(row.filter) as PortfolioFilter)) done.add(row.scheme)
      }
      return [...found.values()]
    },
  }
}
