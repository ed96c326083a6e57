import {type CrmDatabase, isPostgres} from '../connection.js'
import {postgresClassificationRepository} from '../postgres/classifications.js'
import {customerOrderKey} from '../customer-order.js'
import type {Database, Statement} from 'better-sqlite3'
import type {PortfolioRow} from '../../core/classify.js'
import type {WrittenRecords} from '../../core/customer.js'
import {addDays} from '../../core/dates.js'
import {maskWhere, personalText} from '../../core/masking.js'
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
import {keptPath, readColumn, readFen} from '../columns.js'
import {checkedTextSql, delimitedLineSql, type RecordColumn} from '../customer-record.js'
import {writtenPageOverSql, writtenPages} from '../written-pages.js'
import {beyondSql, sqlClassifier} from '../rule-sql/run.js'
import {auditInsert} from './audit.js'
import {withoutForeignKeyChecks} from '../connection.js'

/** A run as both backends read it (postgres/classifications.ts too). */
export type RunRow = {
  id: number
  scheme: string
  scheme_version: string
  scheme_hash: string
  scheme_text: string
  tiers: string
  filter: string
  as_of: string
  created_at: string
  actor: string
  customers: number
  skipped: number
}

/** Whether a run looked at the whole book (UNFILTERED in SQL). */
export function isWholeBook(filter: PortfolioFilter): boolean {
  return filter.branch == null && filter.rm == null && filter.type == null && filter.where == null
}

/** A stored filter as every listing shows it: a --where's personal values masked (maskWhere). */
function shownFilter(filter: PortfolioFilter): PortfolioFilter {
  return filter.where === undefined ? filter : {...filter, where: maskWhere(filter.where)}
}

export function toRun(row: RunRow): Run {
  return {
    id: row.id,
    scheme: row.scheme,
    version: row.scheme_version,
    hash: row.scheme_hash,
    schemeText: row.scheme_text,
    tiers: JSON.parse(row.tiers) as RunTier[],
    filter: shownFilter(JSON.parse(row.filter) as PortfolioFilter),
    asOf: row.as_of,
    createdAt: row.created_at,
    actor: row.actor,
    customers: row.customers,
    skipped: row.skipped,
  }
}

/** A run that looked at the whole book: no --branch, --rm, --type or --where. */
const UNFILTERED = (r: string) => `coalesce(json_extract(${r}.filter, '$.branch'), json_extract(${r}.filter, '$.rm'),
  json_extract(${r}.filter, '$.type'), json_extract(${r}.filter, '$.where')) IS NULL`

/**
 * The results a set of runs of one scheme stands on (@runs, a JSON array of run ids): each customer's result in the
 * newest of them that classified it. Each result looks for a newer one by primary key, once per newer run.
 */
export const STANDING_RESULTS = `(SELECT x.* FROM classification_results x WHERE x.run_id IN (SELECT value
  FROM json_each(@runs))
  AND NOT EXISTS (SELECT 1 FROM json_each(@runs) n JOIN classification_results y ON y.run_id = n.value
    AND y.customer_ref = x.customer_ref WHERE n.value > x.run_id))`

const ROWS_PER_STATEMENT = 250
const ROWS_PER_PAGE = 10_000
// A deleted customer (deleted_at) is in no new run, list or count (issue 17 section 2); old runs keep their counts.
const PORTFOLIO_FILTER =
  'c.deleted_at IS NULL AND c.id > @after AND (@branch IS NULL OR c.branch = @branch COLLATE NOCASE) AND (@rm IS ' +
  'NULL OR c.rm = @rm COLLATE NOCASE) AND (@type IS ' +
  'NULL OR c.type = @type) AND (@customerId IS NULL OR c.customer_id = @customerId)'

/** The SQL expression that reads an input. Names come from the scheme's checked inputs; values are bound. */
function inputColumn(input: InputSpec, i: number): string {
  switch (input.source) {
    case 'field':
      return readColumn(input.name)
    case 'extra':
      return `json_extract(c.extra, @extra${i})`
    default:
      return input.name === 'last_contact_on'
        ? '(SELECT substr(max(k.at), 1, 10) FROM contacts k WHERE k.customer_id = c.customer_id AND k.at < ' +
            '@until AND k.deleted_at IS NULL)'
        : '(SELECT count(*) FROM contacts k WHERE k.customer_id = c.customer_id AND k.at >= @since AND k.at < ' +
            '@until AND k.deleted_at IS NULL)'
  }
}

// A reason that may hold a personal value: marked (markPersonal's opening mark), or, when masked, stored unmarked by an
// earlier crm after a personal field's name (personalText's own quick tests). The rest are written as they are.
const MARKED_REASON = (x: string) => `instr(${x}.reason, char(57344)) > 0`
// Three of those names are followed by a quote: a reason without one (most) is told apart by one instr.
const UNMARKED_REASON = (x: string) =>
  `instr(${x}.reason, '''') > 0 AND (instr(${x}.reason, '_number ''') > 0 OR instr(${x}.reason, 'phone ''') > 0 ` +
  `OR instr(${x}.reason, 'email ''') > 0) OR instr(${x}.reason, 'birth_date ') > 0`

/**
 * A result's line (runResultView's keys, in order), as SQL over `r`: the page's rows of resultRowsSql, whose text to
 * test (`column`) is over `x` (the result), `c` (its customer) and `l` (its tier's label).
 */
function resultColumns(reveal: boolean): RecordColumn[] {
  const reason = `CASE WHEN ${MARKED_REASON('r')}${reveal ? '' : ` OR ${UNMARKED_REASON('r')}`} THEN
    crm_reason_text(r.reason)
    ELSE r.reason END`
  const text = (key: string, sql: string, column: string): RecordColumn => ({key, sql, holds: 'text', column})
  // The text tested for characters to quote or a formula start (delimitedLineSql): a mask keeps characters or adds
  // asterisks, so an unmarked reason is tested as stored; a marked one may start with its value, and is tested as
  // written.
  return [
    text('customer_id', 'r.customer_id', 'c.customer_id'),
    text('name', 'r.name', 'c.name'),
    text('branch', 'r.branch', 'c.branch'),
    text('rm', 'r.rm', 'c.rm'),
    text('tier', 'r.tier', 'x.tier'),
    text('tier_label', 'r.tier_label', 'l.label'),
    text(
      'reason',
      reason,
      `CASE
      WHEN ${MARKED_REASON('x')} THEN crm_reason_text(x.reason) ELSE x.reason END`,
    ),
  ]
}

/**
 * A run's results in customer order (after @after on the pages after the first), with what resultColumns reads and
 * the text their line tests. The customers are walked in their order and each one's result sought, so that a page
 * starts where the last one ended, with no sort of the whole run for each page.
 */
const RESULT_ORDER = customerOrderKey('c.customer_id')

function resultRowsSql(reveal: boolean, next: boolean): string {
  return `SELECT c.customer_id, c.name, c.branch, c.rm, x.tier, coalesce(l.label, x.tier) AS tier_label, x.reason,
      ${checkedTextSql(resultColumns(reveal))} AS checked, ${RESULT_ORDER} AS k
    FROM customers c CROSS JOIN classification_results x ON x.run_id = @run AND x.customer_ref = c.id
      LEFT JOIN labels l ON l.id = x.tier
    WHERE c.deleted_at IS NULL AND (@tier IS NULL OR x.tier = @tier)${next ? ` AND ${RESULT_ORDER} > @after` : ''}
    ORDER BY ${RESULT_ORDER}`
}

/** On a SQLite book, or on a PostgreSQL one (src/db/postgres). */
export function classificationRepository(db: CrmDatabase): ClassificationRepository {
  if (isPostgres(db)) return postgresClassificationRepository(db)
  return sqliteClassificationRepository(db)
}

function sqliteClassificationRepository(db: Database) {
  /**
   * Reads the customers a run classifies with the values its rules read, in rowid order, a page at a time (each
   * page is read whole, so the caller may write between pages). The key (customer_id) is read only when asked for:
   * portfolio measures break ties by it. Contacts count up to the end of the as-of date; "12 months" is the 365
   * days ending on it.
   */
  function* pages(
    inputs: readonly InputSpec[],
    filter: PortfolioFilter & {customerId?: string},
    asOf: string,
    withKeys: boolean,
  ): Generator<Portfolio> {
    const columns = inputs.map(inputColumn)
    const stmt = db
      .prepare(`SELECT c.id, ${withKeys ? 'c.customer_id' : 'NULL'}${columns.map((c) => `, ${c}`).join('')}
      FROM customers c
      WHERE ${PORTFOLIO_FILTER} ORDER BY c.id LIMIT ${ROWS_PER_PAGE}`)
      .raw()
    const params: Record<string, unknown> = {
      branch: filter.branch ?? null,
      rm: filter.rm ?? null,
      type: filter.type ?? null,
      customerId: filter.customerId ?? null,
      after: 0,
    }
    if (inputs.some((i) => i.source === 'contact'))
      Object.assign(params, {until: addDays(asOf, 1), since: addDays(asOf, -364)})
    inputs.forEach((input, i) => {
      if (input.source === 'extra') params[`extra${i}`] = keptPath(input.name)
    })
    const extras = inputs.flatMap((input, i) => (input.source === 'extra' ? [i] : []))
    const amounts = inputs.flatMap((input, i) => (input.source === 'field' && input.type === 'money' ? [i] : []))
    for (;;) {
      const raw = stmt.all(params) as unknown[][]
      if (raw.length === 0) return
      const refs = new Array<number>(raw.length)
      const rows = new Array<PortfolioRow>(raw.length)
      for (let r = 0; r < raw.length; r++) {
        const line = raw[r]
        refs[r] = line[0] as number
        const values = line.slice(2) as Value[]
        let problem: string | undefined
        for (const i of extras) {
          const raw = values[i] === null ? null : String(values[i])
          values[i] = inputValue(inputs[i], raw)
          const wrong = values[i] === null ? inputProblem(inputs[i], raw) : null
          if (wrong !== null) problem = problem === undefined ? wrong : `${problem}; ${wrong}`
        }
        for (const i of amounts) if (typeof values[i] === 'string') values[i] = readFen(values[i]) as Value
        rows[r] = problem === undefined ? {key: line[1] as string, values} : {key: line[1] as string, values, problem}
      }
      yield {refs, rows}
      if (raw.length < ROWS_PER_PAGE) return
      params.after = refs[refs.length - 1]
    }
  }

  const insertRun = db.prepare(`INSERT INTO classification_runs (scheme, scheme_version, scheme_hash, scheme_text,
    tiers, filter, as_of, created_at, actor, customers, skipped)
    VALUES (@scheme, @version, @hash, @schemeText, @tiers, @filter, @asOf, @createdAt, @actor, 0, @skipped)`)
  const setCount = db.prepare(
    'UPDATE classification_runs SET customers = @customers, skipped = @skipped WHERE id = @id',
  )
  const insertResults = new Map<number, ReturnType<Database['prepare']>>()
  const resultsStatement = (rows: number) => {
    let stmt = insertResults.get(rows)
    if (stmt === undefined) {
      insertResults.set(
        rows,
        (stmt = db.prepare(`INSERT INTO classification_results (run_id, customer_ref, tier,
        reason) VALUES ${Array.from({length: rows}, () => '(?, ?, ?, ?)').join(', ')}`)),
      )
    }
    return stmt
  }
  const audit = auditInsert(db)
  const byId = db.prepare<[number], RunRow>('SELECT * FROM classification_runs WHERE id = ?')
  const latestOf = db.prepare<[string], RunRow>(
    'SELECT * FROM classification_runs WHERE scheme = ? ORDER BY id DESC LIMIT 1',
  )
  const standingOf = db.prepare<{scheme: string}, RunRow>(`SELECT * FROM classification_runs r WHERE r.scheme = @scheme
    AND r.id >= coalesce((SELECT max(w.id) FROM classification_runs w WHERE w.scheme = @scheme
      AND ${UNFILTERED('w')}), 0) ORDER BY r.id DESC`)
  const all = db.prepare<[number], RunRow>('SELECT * FROM classification_runs ORDER BY id DESC LIMIT ?')
  const runCount = db.prepare<[], {n: number}>('SELECT count(*) AS n FROM classification_runs')
  const results = db.prepare<Record<string, unknown>, RunResult>(`
    SELECT c.customer_id AS customerId, c.name, c.branch, c.rm, x.tier, x.reason
    FROM classification_results x JOIN customers c ON c.id = x.customer_ref
    WHERE x.run_id = @run AND c.deleted_at IS NULL AND (@tier IS NULL OR x.tier = @tier) ORDER BY
      ${customerOrderKey('c.customer_id')} LIMIT @limit`)
  // A run's results as CSV or TSV lines written by SQLite (customer-record.ts), a page at a time (written-pages.ts),
  // prepared when first used.
  const resultLines = new Map<string, Statement>()
  const resultLinesStmt = (format: 'csv' | 'tsv', reveal: boolean, next: boolean) => {
    const key = `${format} ${reveal} ${next}`
    let stmt = resultLines.get(key)
    if (stmt === undefined) {
      const labels =
        "WITH labels(id, label) AS MATERIALIZED (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') " +
        'FROM json_each(@labels))'
      const line = delimitedLineSql(resultColumns(reveal), {format, cellFunction: `crm_${format}_cell`}, 'r.checked')
      stmt = db.prepare(`${labels} ${writtenPageOverSql(line, resultRowsSql(reveal, next), 'r', '', 'max(r.k)')}`).raw()
      resultLines.set(key, stmt)
    }
    return stmt
  }
  const resultOf = db.prepare<[number, number], {tier: string; reason: string}>(
    'SELECT tier, reason FROM classification_results WHERE run_id = ? AND customer_ref = ?',
  )
  const remove = db.prepare('DELETE FROM classification_runs WHERE id = ?')
  // Each customer's tier in the runs each scheme stands on (its newest unfiltered run and the filtered ones after it:
  // the newest that classified the customer), the tiers with a cadence, and their open customers with no contact
  // within it. A closed customer is never chased. The runs' results are read once, each looked up among the few
  // cadences (CROSS JOIN keeps that order; the tier as TEXT lets the lookup use an index); a customer's contacts are
  // sought once to test the cadence, and again for the last contact only when it has lapsed.
  const lapsed = db.prepare<Record<string, unknown>, LapsedCadence>(`
    WITH whole AS (SELECT scheme, max(id) AS id FROM classification_runs w WHERE ${UNFILTERED('w')} GROUP BY scheme),
    standing AS MATERIALIZED (SELECT r.id, r.scheme, r.tiers FROM classification_runs r LEFT JOIN whole
      ON whole.scheme = r.scheme WHERE r.id >= coalesce(whole.id, 0)),
    cadences AS MATERIALIZED (
      SELECT s.id AS run_id, s.scheme, CAST(json_extract(t.value, '$.id') AS TEXT) AS tier, json_extract(t.value,
        '$.cadence_days') AS days,
        date(@date, '-' || json_extract(t.value, '$.cadence_days') || ' days') AS since
      FROM standing s, json_each(s.tiers) t
      WHERE json_extract(t.value, '$.cadence_days') IS NOT NULL)
    SELECT c.customer_id AS customerId, c.name AS customerName, c.rm, c.branch, d.scheme, d.tier, d.days AS cadenceDays,
      (SELECT max(k.at) FROM contacts k WHERE k.customer_id = c.customer_id AND k.at < @until
        AND k.deleted_at IS NULL) AS lastAt
    FROM classification_results x CROSS JOIN cadences d ON d.run_id = x.run_id AND d.tier = x.tier CROSS
      JOIN customers c ON c.id = x.customer_ref
    WHERE x.run_id IN (SELECT run_id FROM cadences) AND (@rm IS NULL OR c.rm = @rm COLLATE NOCASE) AND (@branch IS NULL
      OR c.branch = @branch COLLATE NOCASE) AND c.status IS NOT 'closed' AND c.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.customer_id AND k.at >= d.since
        AND k.at < @until AND k.deleted_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM standing n JOIN classification_results y ON y.run_id = n.id
        AND y.customer_ref = x.customer_ref
        WHERE n.scheme = d.scheme AND n.id > d.run_id)
    ORDER BY customerId, cadenceDays`)
  const customerRef = db.prepare<[string], number>('SELECT id FROM customers WHERE customer_id = ?').pluck()
  const customerIdOf = db.prepare<[number], string>('SELECT customer_id FROM customers WHERE id = ?').pluck()
  const filterParams = (filter: PortfolioFilter) => ({
    branch: filter.branch ?? null,
    rm: filter.rm ?? null,
    type: filter.type ?? null,
    customerId: null,
    after: 0,
  })
  // Stops at the first customer that has the column: only a column nobody has costs a full scan.
  const hasKept = db
    .prepare<Record<string, unknown>, number>(`SELECT EXISTS (SELECT 1 FROM customers c
    WHERE ${PORTFOLIO_FILTER} AND json_type(c.extra, @path) IS NOT NULL)`)
    .pluck()
  const anyCustomer = db
    .prepare<Record<string, unknown>, number>(`SELECT EXISTS (SELECT 1 FROM customers c
    WHERE ${PORTFOLIO_FILTER})`)
    .pluck()
  const keptNames = db
    .prepare<Record<string, unknown>, string>(`SELECT DISTINCT j.key
    FROM customers c, json_each(c.extra) j WHERE ${PORTFOLIO_FILTER} LIMIT 1000`)
    .pluck()
  const saveRun = db.transaction(
    (
      run: NewRun,
      fill: (write: (page: ResultPage) => void, run: number) => {skipped: number; stored?: number},
      command: string,
    ): number => {
      const createdAt = new Date().toISOString()
      const id = Number(
        insertRun.run({
          ...run,
          tiers: JSON.stringify(run.tiers),
          filter: JSON.stringify(run.filter),
          createdAt,
          skipped: 0,
        }).lastInsertRowid,
      )
      let count = 0
      const params: unknown[] = []
      const {skipped, stored} = fill(({refs, tiers, reasons}) => {
        for (let from = 0; from < refs.length; from += ROWS_PER_STATEMENT) {
          const size = Math.min(ROWS_PER_STATEMENT, refs.length - from)
          params.length = 0
          for (let m = from; m < from + size; m++) params.push(id, refs[m], tiers[m], reasons[m])
          resultsStatement(size).run(params)
        }
        count += refs.length
      }, id)
      if (stored !== undefined) count = stored
      setCount.run({id, customers: count, skipped})
      audit.run({
        at: createdAt,
        actor: run.actor,
        command,
        action: 'classify.run',
        rows: count,
        details: JSON.stringify({
          run: id,
          scheme: run.scheme,
          version: run.version,
          as_of: run.asOf,
          filter: run.filter,
        }),
      })
      return id
    },
  )

  return {
    /**
     * Reads the customers a run classifies with the values its rules read, in customer order. Contacts count up to
     * the end of the as-of date; "12 months" is the 365 days ending on it.
     */
    portfolio: (
      inputs: readonly InputSpec[],
      filter: PortfolioFilter & {customerId?: string},
      asOf: string,
    ): Portfolio => {
      const refs: number[] = []
      const rows: PortfolioRow[] = []
      for (const page of pages(inputs, filter, asOf, true)) {
        for (const ref of page.refs) refs.push(ref)
        for (const row of page.rows) rows.push(row)
      }
      return {refs, rows}
    },
    /** The same customers a page at a time, so a scheme without portfolio measures streams in flat memory. */
    pages: (inputs: readonly InputSpec[], filter: PortfolioFilter, asOf: string): Generator<Portfolio> =>
      pages(inputs, filter, asOf, false),
    /**
     * The scheme compiled to SQL for the portfolio the filter selects (rule-sql/run.ts), or why it cannot be: the run
     * is then classified by the interpreter.
     */
    sqlClassifier: (compiled: CompiledScheme, filter: PortfolioFilter, asOf: string) =>
      sqlClassifier(db, compiled, filter, asOf),
    beyondSql,
    /**
     * Stores a run and every member's tier in one transaction (with its audit entry): all of it, or nothing. `fill`
     * hands over the results in pages, as it classifies them. Every result names the run inserted first in the same
     * transaction, so checking each one's run_id against classification_runs (about a tenth of a million-row INSERT …
     * SELECT) proves nothing: the foreign key is not checked while it runs.
     */
    save: (
      run: NewRun,
      fill: (write: (page: ResultPage) => void, run: number) => {skipped: number; stored?: number},
      command: string,
    ): number => withoutForeignKeyChecks(db, () => saveRun(run, fill, command)),
    find: (id: number): Run | undefined => {
      const row = byId.get(id)
      return row && toRun(row)
    },
    latest: (scheme: string): Run | undefined => {
      const row = latestOf.get(scheme)
      return row && toRun(row)
    },
    /**
     * The runs a scheme's current tiers stand on, newest first: its newest run that looked at the whole book (no
     * filter) and every filtered run after it. A customer's tier is its result in the newest of them that classified
     * it; a customer none of them classified (one the whole run left out) has none.
     */
    standing: (scheme: string): Run[] => standingOf.all({scheme}).map(toRun),
    /** Runs, newest first: at most `limit` of them when given. */
    list: (limit?: number): Run[] => all.all(limit ?? -1).map(toRun),
    count: (): number => runCount.get()!.n,
    results: (runId: number, options: {tier?: string; limit?: number} = {}): RunResult[] =>
      results.all({run: runId, tier: options.tier ?? null, limit: options.limit ?? -1}),
    /** The same results one at a time, for an export of a whole run. */
    eachResult: (runId: number, options: {tier?: string; limit?: number} = {}): IterableIterator<RunResult> =>
      results.iterate({run: runId, tier: options.tier ?? null, limit: options.limit ?? -1}),
    /**
     * The same results written by SQLite as CSV or TSV lines in UTF-8, without line ends: exactly the lines the row
     * writer makes of runResultView's records. `labels` gives each tier id's label (and '' that of no tier); `cell` is
     * how the writer writes a cell, called for those that could start a formula; reasons are masked unless `reveal`.
     */
    *eachResultLine(
      runId: number,
      options: {tier?: string; limit?: number; reveal: boolean},
      labels: ReadonlyMap<string, string>,
      format: 'csv' | 'tsv',
      cell: (text: string) => string,
      between: string,
    ): Generator<WrittenRecords> {
      // A generator, so the query starts with the first row asked for (as customers' eachWritten).
      db.function(`crm_${format}_cell`, {deterministic: true}, (text: unknown) => cell(String(text)))
      db.function('crm_reason_text', {deterministic: true}, (text: unknown) =>
        personalText(String(text), options.reveal),
      )
      const values = {run: runId, tier: options.tier ?? null, labels: JSON.stringify([...labels]), between}
      yield* writtenPages(
        db,
        options.limit ?? -1,
        (page, after) =>
          resultLinesStmt(format, options.reveal, after !== undefined).get({
            ...values,
            page,
            after: after?.[0] ?? null,
          }) as unknown[],
      )
    },
    /** Deletes a run and its results (with an audit entry); says whether there was one. */
    delete: transactionOf(db, (id: number, who: {actor: string; command: string}): boolean => {
      const deleted = remove.run(id).changes === 1
      if (deleted)
        audit.run({
          at: new Date().toISOString(),
          actor: who.actor,
          command: who.command,
          action: 'classify.delete',
          rows: 1,
          details: JSON.stringify({run: id}),
        })
      return deleted
    }),
    /**
     * Customers whose tier (in the runs each scheme stands on) has a contact cadence that has lapsed on `date`: one
     * entry a customer, for its shortest cadence, one at a time.
     */
    *eachLapsedCadence(date: string, filter: {rm?: string; branch?: string}): Generator<LapsedCadence> {
      let previous: string | undefined
      for (const row of lapsed.iterate({
        date,
        until: addDays(date, 1),
        rm: filter.rm ?? null,
        branch: filter.branch ?? null,
      })) {
        if (row.customerId !== previous) yield row
        previous = row.customerId
      }
    },
    /** The kept columns (of `names`) that no customer the filter selects has: none when it selects nobody. */
    missingKept: (names: readonly string[], filter: PortfolioFilter): string[] => {
      if (names.length === 0 || anyCustomer.get(filterParams(filter)) === 0) return []
      return names.filter((name) => hasKept.get({...filterParams(filter), path: keptPath(name)}) === 0)
    },
    /** The names of the kept columns the customers the filter selects have (for a did-you-mean). */
    keptColumns: (filter: PortfolioFilter): string[] => keptNames.all(filterParams(filter)),
    customerIdOf: (ref: number): string | undefined => customerIdOf.get(ref),
    /**
     * Per scheme, the customer's tier in the newest of the runs it stands on (standing) that classified it, newest
     * first.
     */
    customerTiers: (customerId: string): CustomerTier[] => {
      const ref = customerRef.get(customerId) as number | undefined
      if (ref === undefined) return []
      const found = new Map<string, CustomerTier>()
      const done = new Set<string>()
      for (const row of all.iterate(-1)) {
        if (done.has(row.scheme)) continue
        const result = resultOf.get(row.id, ref)
        if (result) found.set(row.scheme, {run: toRun(row), tier: result.tier, reason: result.reason})
        if (result || isWholeBook(JSON.parse(row.filter) as PortfolioFilter)) done.add(row.scheme)
      }
      return [...found.values()]
    },
  }
}
/** What both backends give (postgres/classifications.ts returns the same). */
export type ClassificationRepository = ReturnType<typeof sqliteClassificationRepository>

/** A function run in a SQLite transaction, typed as a plain function so that the PostgreSQL repository matches. */
function transactionOf<A extends unknown[], R>(db: Database, body: (...args: A) => R): (...args: A) => R {
  const run = db.transaction(body)
  return (...args) => run(...args)
}
