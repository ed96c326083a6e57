/**
 * npm run bench: speed and memory against references measured in the same run.
 *
 *   - customer import of 1,000,000 generated customers vs the sqlite3 shell's .import of the same file into a bare
 *     table (target: at most 1.5x the CPU time, user + system, the least of 3 interleaved rounds; peak RSS under 200 MB)
 *   - re-importing the same file (every row unchanged)
 *   - contact import of 1,000,000 contacts for those customers vs the sqlite3 shell's INSERT … SELECT of the same rows
 *     into the same contacts schema (indexes, unique key, foreign key enforced; target: 2x the CPU time, 3 rounds
 *     likewise; peak RSS under 200 MB)
 *   - start-up: `crm --version`, `crm customer show ID`, `crm contact log` (every flag given) and `crm db info`, each
 *     against `node -e 0` timed in the same interleaved loop (the fastest of STARTUP_ROUNDS; target: at most 2.5x)
 *   - `crm classify` with retail-aum, sme-size, rfm and abc on those customers, storing the run, vs an INSERT … SELECT
 *     written by hand that stores the same tiers and a reason text, run by the sqlite3 shell on a copy of the database
 *     (CPU time, user + system, the fastest of interleaved repeats; target: at most 1.5x, peak RSS under 100 MB in
 *     every repeat; the tiers are compared);
 *     `crm classify check` on 100,000 piped rows (rows/s)
 *   - `crm summary --by branch` of the retail-aum run vs the same GROUP BY in the sqlite3 shell (target: at most 1.5x)
 *   - every command that prints rows (customer list as JSON, NDJSON and CSV, customer export, contact list and due,
 *     classify show) vs the sqlite3 shell's `-json` / `-csv` of a SELECT of the same columns (target: at most 2x;
 *     peak RSS under 150 MB)
 *
 *   - on PostgreSQL (bench/postgres.ts): import vs psql's \copy, classify vs INSERT … SELECT, summary vs GROUP BY
 *
 * Options: --rows N (default 1000000), --keep (keep bench/out), --only classify (reuse a kept bench/out), --only
 * output (the row outputs alone: reuses a kept bench/out of the same size, else generates and imports a book), --only
 * startup (the start-up ratios alone, on such a book: --rows 1000 makes one quickly), --only postgres (the
 * PostgreSQL figures alone; --rows 10000000 for the 10M figures), --out DIR (instead of bench/out).
 * Results also go to bench/out/results.json.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {generateContacts, generateCustomers} from './generate.js'
import {benchPostgres} from './postgres.js'
import {SME_THRESHOLDS} from '../src/core/schemes/builtin/sme-size.js'

const ROOT = join(import.meta.dirname, '..')
const outArg = process.argv.indexOf('--out')
// --out DIR: another folder than bench/out, so that a start-up run on a small book leaves a kept 1M book alone.
const OUT = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(ROOT, 'bench', 'out')
const BIN = join(ROOT, 'bin', 'run.js')
const rowsArg = process.argv.indexOf('--rows')
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000

interface Timed {
  seconds: number
  /** CPU time, user + system: what a loaded machine slows least (the classify ratios are of it). */
  cpuSeconds: number
  peakMb: number
}

function ensureTool(command: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], {encoding: 'utf8'}).stdout.trim()
  if (found) return found
  console.error(`installing ${debianPackage} (for ${command})…`)
  execFileSync(
    'sh',
    ['-c', `(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${debianPackage}`],
    {stdio: 'inherit'},
  )
  return spawnSync('sh', ['-c', `command -v ${command}`], {encoding: 'utf8'}).stdout.trim()
}

/**
 * Runs a command under GNU time: wall seconds, CPU seconds and peak resident memory (its standard output thrown away
 * when `quiet`).
 */
function timed(command: string, args: readonly string[], time: string, quiet = false): Timed {
  const result = spawnSync(time, ['-f', '%e %M %U %S', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', quiet ? 'ignore' : 'pipe', 'pipe'],
  })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`)
  const [seconds, kb, user, system] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
  return {seconds, cpuSeconds: Number((user + system).toFixed(2)), peakMb: kb / 1024}
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const STARTUP_ROUNDS = 25

/**
 * Start-up of each command as a ratio to `node -e 0`, timed in the same loop: each round runs node -e 0 and then every
 * command once, so a machine busy with other work slows all of them alike. The fastest run of each is the least
 * disturbed, so ratios are of minimums (medians are kept in results.json).
 */
function benchStartup(
  db: string,
  rounds = STARTUP_ROUNDS,
): Record<string, {ms: number; medianMs: number; ratio: number}> {
  let contact = 0
  // Each contact log is a new contact (a later --at), so every run writes one, as a user's would.
  const at = () => {
    const m = contact++
    return `2026-01-${String(1 + (Math.floor(m / 1440) % 28)).padStart(2, '0')} ${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
  }
  const commands: Record<string, () => string[]> = {
    'node -e 0': () => ['-e', '0'],
    'crm --version': () => [BIN, '--version'],
    'crm customer show ID': () => [BIN, 'customer', 'show', 'C100000001', '--db', db],
    'crm contact log (every flag)': () => [
      BIN,
      'contact',
      'log',
      '--db',
      db,
      '--customer',
      'C100000001',
      '--channel',
      'phone',
      '--direction',
      'out',
      '--purpose',
      'review',
      '--outcome',
      'agreed',
      '--rm',
      'RM0001',
      '--at',
      at(),
      '--note',
      'bench',
      '--follow-up',
      '2099-01-01',
    ],
    'crm db info': () => [BIN, 'db', 'info', '--db', db],
  }
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]))
  for (let i = 0; i < rounds; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const start = process.hrtime.bigint()
      const result = spawnSync(process.execPath, args(), {stdio: ['ignore', 'ignore', 'pipe']})
      times[name].push(Number(process.hrtime.bigint() - start) / 1e6)
      if (result.status !== 0) throw new Error(`${name} failed (${result.status}):\n${result.stderr}`)
    }
  }
  const node = Math.min(...times['node -e 0'])
  return Object.fromEntries(
    Object.entries(times).map(([name, ms]) => [
      name,
      {ms: Math.round(Math.min(...ms)), medianMs: Math.round(median(ms)), ratio: Number(fmt(Math.min(...ms) / node))},
    ]),
  )
}

function printStartup(startup: ReturnType<typeof benchStartup>): void {
  const check = (ok: boolean) => (ok ? 'ok ' : 'MISS')
  const node = startup['node -e 0'].ms
  console.log(`  start-up, fastest of ${STARTUP_ROUNDS} interleaved runs: node -e 0 ${node} ms`)
  for (const [name, {ms, ratio}] of Object.entries(startup).slice(1)) {
    console.log(
      `  ${`${name} / node -e 0`.padEnd(44)} ${fmt(ratio).padStart(5)} x  target <= 2.50  ${check(ratio <= 2.5)}  (${ms} ms)`,
    )
  }
  const results = existsSync(join(OUT, 'results.json'))
    ? (JSON.parse(readFileSync(join(OUT, 'results.json'), 'utf8')) as Record<string, unknown>)
    : {}
  results.startup = startup
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
}

// The hand-written SQL a DBA would write for the same classifications: one INSERT … SELECT into classification_results
// (on a copy of the database, foreign keys off as the shell has them) storing each customer's tier and a reason text with
// the deciding values, as crm does. RFM's quintile is ceil(5 × CUME_DIST) over the known values, in integers:
// (5 × values <= x + known − 1) / known; unknown is unscored. ABC's share counts ties by customer_id.
const INSERT = 'INSERT INTO classification_results (run_id, customer_ref, tier, reason)'
const yuan = (column: string) => `printf('%.2f', ${column} / 100.0)`
const RETAIL_AUM_SQL = `${INSERT} SELECT 1000000, id, CASE WHEN aum_fen >= 600000000 THEN 'private-banking'
  WHEN aum_fen >= 200000000 THEN 'diamond' WHEN aum_fen >= 50000000 THEN 'wealth' WHEN aum_fen >= 5000000 THEN 'gold'
  ELSE 'mass' END, 'aum ' || coalesce(${yuan('aum_fen')}, 'null')
FROM customers WHERE type = 'individual' AND coalesce(status, 'active') != 'closed';`
const RFM_SQL = `${INSERT} SELECT 1000000, id, CASE WHEN r IS NULL OR f IS NULL THEN 'unscored' WHEN r = 5 AND f >= 4 THEN 'champions'
    WHEN r IN (3, 4) AND f >= 4 THEN 'loyal' WHEN r >= 4 AND f IN (2, 3) THEN 'potential-loyalists'
    WHEN r = 5 AND f = 1 THEN 'new-customers' WHEN r = 4 AND f = 1 THEN 'promising' WHEN r = 3 AND f = 3 THEN 'need-attention'
    WHEN r = 3 AND f <= 2 THEN 'about-to-sleep' WHEN r <= 2 AND f = 5 THEN 'cant-lose' WHEN r <= 2 AND f IN (3, 4) THEN 'at-risk'
    ELSE 'hibernating' END, 'r: quintile(last_txn_on) ' || coalesce(r, 'null') || '; f: quintile(txn_count_12m) ' || coalesce(f, 'null')
  FROM (SELECT id, CASE WHEN last_txn_on IS NOT NULL THEN (5 * r_le + r_n - 1) / r_n END AS r,
      CASE WHEN txn_count_12m IS NOT NULL THEN (5 * f_le + f_n - 1) / f_n END AS f
    FROM (SELECT id, last_txn_on, txn_count_12m,
      COUNT(last_txn_on) OVER (ORDER BY last_txn_on) AS r_le, COUNT(last_txn_on) OVER () AS r_n,
      COUNT(txn_count_12m) OVER (ORDER BY txn_count_12m) AS f_le, COUNT(txn_count_12m) OVER () AS f_n
      FROM customers WHERE coalesce(status, 'active') != 'closed')) ORDER BY id;`
const ABC_SQL = `${INSERT} SELECT 1000000, id, CASE WHEN share IS NULL THEN 'unscored' WHEN share <= 0.8 THEN 'A'
    WHEN share <= 0.95 THEN 'B' ELSE 'C' END, 'share: cume_share(aum) ' || coalesce(share, 'null')
  FROM (SELECT id, CASE WHEN aum_fen IS NOT NULL AND total > 0 THEN running * 1.0 / total END AS share
    FROM (SELECT id, aum_fen, sum(aum_fen) OVER (ORDER BY aum_fen DESC NULLS LAST, customer_id ROWS UNBOUNDED PRECEDING)
      AS running, sum(aum_fen) OVER () AS total FROM customers WHERE coalesce(status, 'active') != 'closed'))
  ORDER BY id;`

/**
 * sme-size by hand: the industry codes the generated book holds mapped to the standard's industries, a table of each
 * industry's floors (SME_THRESHOLDS, the standard's own figures) joined, and the first tier whose every floor is met.
 */
function smeSizeSql(): string {
  const sectors: Record<string, string> = {
    C: '工业',
    '52': '零售业',
    '51': '批发业',
    E: '建筑业',
    '65': '软件和信息技术服务业',
    L: '租赁和商务服务业',
    '61': '住宿业',
    '62': '餐饮业',
    '59': '仓储业',
    A: '农林牧渔业',
  }
  const floor = (row: (typeof SME_THRESHOLDS)[number], tier: 'large' | 'medium' | 'small', indicator: string) => {
    const at = row.indicators.indexOf(indicator as never)
    if (at < 0) return 'NULL'
    const value = row[tier][at]
    return String(indicator === 'employees' ? value : value * 1_000_000)
  }
  const values = SME_THRESHOLDS.map(
    (r) =>
      `('${r.industry}', ${(['large', 'medium', 'small'] as const).flatMap((t) => ['employees', 'revenue', 'total_assets'].map((x) => floor(r, t, x))).join(', ')})`,
  ).join(',\n    ')
  const meets = (t: string) =>
    `coalesce(${t}_e IS NULL OR employees >= ${t}_e, 0) AND coalesce(${t}_r IS NULL OR revenue_fen >= ${t}_r, 0) AND coalesce(${t}_a IS NULL OR total_assets_fen >= ${t}_a, 0)`
  return `WITH floors (sector, large_e, large_r, large_a, medium_e, medium_r, medium_a, small_e, small_r, small_a) AS (VALUES
    ${values})
${INSERT} SELECT 1000000, c.id, CASE WHEN f.sector IS NULL THEN 'not-sized' WHEN ${meets('large')} THEN 'large'
    WHEN ${meets('medium')} THEN 'medium' WHEN ${meets('small')} THEN 'small'
    WHEN coalesce(employees < small_e, 0) OR coalesce(revenue_fen < small_r, 0) OR coalesce(total_assets_fen < small_a, 0)
      THEN 'micro' ELSE 'incomplete' END,
  'sector ' || coalesce(f.sector, 'null') || '; employees ' || coalesce(employees, 'null') || '; revenue '
    || coalesce(${yuan('revenue_fen')}, 'null') || '; total_assets ' || coalesce(${yuan('total_assets_fen')}, 'null')
FROM customers c LEFT JOIN floors f ON f.sector = CASE c.industry ${Object.entries(sectors)
    .map(([code, sector]) => `WHEN '${code}' THEN '${sector}'`)
    .join(' ')} END
WHERE c.type = 'corporate' ORDER BY c.id;`
}

interface ClassifyBench {
  scheme: string
  crm: Timed
  sql: Timed
  /** crm's highest peak over the repeats. */
  peakMb: number
  /** The crm run's JSON: which engine ran it. */
  engine: string
}

/** The reference stores the tiers crm stored (counted per tier), or the bench stops. */
function sameTiers(
  sqlite3: string,
  db: string,
  scheme: string,
  tiers: readonly {tier: string; customers: number}[],
): void {
  const counts = execFileSync(
    sqlite3,
    [db, 'SELECT tier, count(*) FROM classification_results WHERE run_id = 1000000 GROUP BY tier'],
    {encoding: 'utf8'},
  )
  const reference = new Map(
    counts
      .trim()
      .split('\n')
      .map((line) => [line.split('|')[0], Number(line.split('|')[1])]),
  )
  const crm = new Map(tiers.filter((t) => t.customers > 0).map((t) => [t.tier, t.customers]))
  if (JSON.stringify([...reference].sort()) !== JSON.stringify([...crm].sort()))
    throw new Error(
      `${scheme}: the reference's tiers ${JSON.stringify([...reference])} are not crm's ${JSON.stringify([...crm])}`,
    )
}

/** Interleaved repeats of each classification and its reference: the fastest of each is the least disturbed. */
const CLASSIFY_REPEATS = 3

/**
 * crm classify against hand-written SQL on a copy of the same database, for each scheme, interleaved: each repeat runs
 * the reference and then crm, each committed with the same synchronous setting (and deleted again, untimed), so a
 * machine busy with other work slows both alike.
 */
function benchClassify(db: string, sqlite3: string, time: string): ClassifyBench[] {
  const copy = join(OUT, 'reference.db')
  copyFileSync(db, copy)
  const results = (
    [
      ['retail-aum', RETAIL_AUM_SQL],
      ['sme-size', smeSizeSql()],
      ['rfm', RFM_SQL],
      ['abc', ABC_SQL],
    ] as const
  ).map(([scheme, sql]) => {
    let best: ClassifyBench | undefined
    for (let i = 0; i < CLASSIFY_REPEATS; i++) {
      console.error(`sqlite3 classification by hand, ${scheme} (reference, ${i + 1} of ${CLASSIFY_REPEATS})…`)
      const reference = timed(sqlite3, [copy, `PRAGMA synchronous = NORMAL; ${sql}`], time)
      console.error(`crm classify --scheme ${scheme}…`)
      const json = join(OUT, 'classify.json')
      const run = timed(
        'sh',
        [
          '-c',
          `"${process.execPath}" "${BIN}" classify --scheme ${scheme} --as-of 2026-11-28 --db "${db}" --json > "${json}"`,
        ],
        time,
      )
      const summary = JSON.parse(readFileSync(json, 'utf8')) as {
        run: number
        engine: string
        tiers: {tier: string; customers: number}[]
      }
      rmSync(json, {force: true})
      if (i === 0) sameTiers(sqlite3, copy, scheme, summary.tiers)
      execFileSync(sqlite3, [copy, 'DELETE FROM classification_results WHERE run_id = 1000000'])
      // Each run adds a million results: deleted again, so every repeat writes into the same book.
      if (i < CLASSIFY_REPEATS - 1 || scheme !== 'retail-aum')
        execFileSync(process.execPath, [BIN, 'classify', 'delete', String(summary.run), '--db', db], {stdio: 'ignore'})
      best = {
        scheme,
        crm: best && best.crm.cpuSeconds < run.cpuSeconds ? best.crm : run,
        sql: best && best.sql.cpuSeconds < reference.cpuSeconds ? best.sql : reference,
        // The highest peak of the repeats: the target is for every run.
        peakMb: Math.max(best?.peakMb ?? 0, run.peakMb),
        engine: summary.engine,
      }
    }
    return best!
  })
  rmSync(copy, {force: true})
  return results
}

/**
 * The summary's query as the sqlite3 shell runs it: per tier and branch, counts, exact sums, and customers contacted
 * within the tier's cadence up to the as-of date.
 */
const summarySql = (run: number) => `
WITH cadence AS (SELECT json_extract(t.value, '$.id') AS tier, json_extract(t.value, '$.cadence_days') AS days
  FROM classification_runs r, json_each(r.tiers) t WHERE r.id = ${run})
SELECT x.tier, c.branch, count(*), sum(c.aum_fen), sum(c.deposits_fen), sum(c.loans_fen),
  sum(CASE WHEN d.days IS NULL THEN NULL WHEN EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.customer_id
    AND k.at >= date('2026-11-28', '-' || d.days || ' days') AND k.at < '2026-11-29') THEN 1 ELSE 0 END)
FROM classification_results x JOIN customers c ON c.id = x.customer_ref LEFT JOIN cadence d ON d.tier = x.tier
WHERE x.run_id = ${run} GROUP BY x.tier, c.branch;`

function benchSummary(db: string, sqlite3: string, time: string): {crm: Timed; sql: Timed} {
  const run = Number(
    execFileSync(sqlite3, [db, "SELECT max(id) FROM classification_runs WHERE scheme = 'retail-aum'"], {
      encoding: 'utf8',
    }).trim(),
  )
  console.error('sqlite3 GROUP BY of the summary (reference)…')
  const sql = timed(sqlite3, [db, summarySql(run)], time)
  console.error('crm summary --by branch…')
  const crm = timed(
    process.execPath,
    [BIN, 'summary', '--run', String(run), '--by', 'branch', '--format', 'csv', '--db', db],
    time,
  )
  return {crm, sql}
}

/** classify check on the first `rows` rows of a CSV, piped in: rows per second, start-up included. */
function benchCheck(csv: string, rows: number): number {
  const head = join(OUT, 'check.csv')
  const lines = readFileSync(csv, 'utf8').split('\n', rows + 1)
  writeFileSync(head, `${lines.join('\n')}\n`)
  const start = process.hrtime.bigint()
  const result = spawnSync(
    process.execPath,
    [BIN, 'classify', 'check', '--scheme', 'retail-aum', '--as-of', '2026-11-28', '--format', 'csv'],
    {stdio: ['pipe', 'ignore', 'ignore'], input: readFileSync(head)},
  )
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  if (result.status !== 0) throw new Error(`classify check failed (${result.status})`)
  rmSync(head, {force: true})
  return rows / seconds
}

const fmt = (n: number, digits = 2) => n.toFixed(digits)

const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
const ONLY_CLASSIFY = ONLY === 'classify'
const CHECK_ROWS = 100_000

async function main(): Promise<void> {
  const sqlite3 = ensureTool('sqlite3', 'sqlite3')
  const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : ensureTool('time', 'time')
  const db = join(OUT, 'crm.db')
  const csv = join(OUT, 'customers.csv')
  if (ONLY_CLASSIFY && existsSync(db) && existsSync(csv)) {
    printClassify(benchClassify(db, sqlite3, time), benchCheck(csv, CHECK_ROWS), benchSummary(db, sqlite3, time))
    return
  }
  if (ONLY === 'output') {
    await keptBook(sqlite3, db)
    printOutput(benchOutput(db, sqlite3, time))
    if (!process.argv.includes('--keep'))
      for (const f of ['customers.csv', 'contacts.csv', 'crm.db', 'crm.db-wal', 'crm.db-shm'])
        rmSync(join(OUT, f), {force: true})
    return
  }
  if (ONLY === 'postgres') {
    await benchPostgres({rows: ROWS, out: OUT, bin: BIN, time})
    return
  }
  if (ONLY === 'startup') {
    await keptBook(sqlite3, db)
    console.error('start-up…')
    printStartup(benchStartup(db))
    return
  }
  await benchImports(sqlite3, time, db, csv)
  console.error('start-up…')
  printStartup(benchStartup(db))
  printClassify(benchClassify(db, sqlite3, time), benchCheck(csv, CHECK_ROWS), benchSummary(db, sqlite3, time))
  printOutput(benchOutput(db, sqlite3, time))
  await benchPostgres({rows: ROWS, out: OUT, bin: BIN, time})
  if (!process.argv.includes('--keep'))
    for (const f of ['customers.csv', 'contacts.csv', 'reference.db', 'crm.db', 'crm.db-wal', 'crm.db-shm'])
      rmSync(join(OUT, f), {force: true})
}

function printClassify(runs: ClassifyBench[], checkRate: number, summary: {crm: Timed; sql: Timed}): void {
  const check = (ok: boolean) => (ok ? 'ok ' : 'MISS')
  const results = existsSync(join(OUT, 'results.json'))
    ? (JSON.parse(readFileSync(join(OUT, 'results.json'), 'utf8')) as Record<string, unknown>)
    : {}
  // CPU time (user + system), the fastest of the repeats: on a machine shared with other work, wall time measures the
  // other work as much as the command.
  for (const r of runs) {
    const ratio = r.crm.cpuSeconds / r.sql.cpuSeconds
    console.log(
      `  sqlite3 INSERT … SELECT, ${r.scheme.padEnd(12)} ${fmt(r.sql.cpuSeconds).padStart(7)} s CPU  (${fmt(r.sql.seconds)} s wall)`,
    )
    console.log(
      `  crm classify ${r.scheme.padEnd(16)} ${fmt(r.crm.cpuSeconds).padStart(7)} s CPU  (${fmt(r.crm.seconds)} s wall)  peak ${Math.round(r.peakMb)} MB  target < 100 MB  ${check(r.peakMb < 100)}  (engine ${r.engine}, run stored)`,
    )
    console.log(
      `  classify / SQL, ${r.scheme.padEnd(12)} ${fmt(ratio).padStart(7)} x CPU  target <= 1.50  ${check(ratio <= 1.5)}`,
    )
    results[`classify_${r.scheme}`] = {
      seconds: r.crm.seconds,
      cpuSeconds: r.crm.cpuSeconds,
      peakMb: Math.round(r.peakMb),
      sqlSeconds: r.sql.seconds,
      sqlCpuSeconds: r.sql.cpuSeconds,
      ratio: Number(fmt(ratio)),
      engine: r.engine,
    }
  }
  console.log(
    `  crm classify check, piped     ${Math.round(checkRate).toLocaleString('en-US').padStart(7)} rows/s (${CHECK_ROWS.toLocaleString('en-US')} rows, retail-aum, start-up included)`,
  )
  results.classifyCheckRowsPerSecond = Math.round(checkRate)
  const summaryRatio = summary.crm.seconds / summary.sql.seconds
  console.log(`  sqlite3 GROUP BY of a summary ${fmt(summary.sql.seconds).padStart(7)} s`)
  console.log(
    `  crm summary --by branch       ${fmt(summary.crm.seconds).padStart(7)} s  peak ${Math.round(summary.crm.peakMb)} MB`,
  )
  console.log(
    `  summary / GROUP BY            ${fmt(summaryRatio).padStart(7)} x  target <= 1.50  ${check(summaryRatio <= 1.5)}`,
  )
  results.summary = {
    seconds: summary.crm.seconds,
    peakMb: Math.round(summary.crm.peakMb),
    sqlSeconds: summary.sql.seconds,
    ratio: Number(fmt(summaryRatio)),
  }
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
}

/**
 * The book of a kept bench/out when it has ROWS customers; else a new one, generated and imported (no references
 * timed).
 */
async function keptBook(sqlite3: string, db: string): Promise<void> {
  const customers = existsSync(db)
    ? Number(execFileSync(sqlite3, [db, 'SELECT count(*) FROM customers'], {encoding: 'utf8'}).trim())
    : 0
  if (customers !== ROWS) {
    rmSync(OUT, {recursive: true, force: true})
    mkdirSync(OUT, {recursive: true})
    console.error(`generating and importing ${ROWS.toLocaleString('en-US')} customers and contacts…`)
    await generateCustomers({rows: ROWS, seed: 1, out: join(OUT, 'customers.csv'), headers: 'en'})
    await generateContacts({rows: ROWS, customers: ROWS, seed: 2, out: join(OUT, 'contacts.csv')})
    execFileSync(process.execPath, [BIN, 'customer', 'import', join(OUT, 'customers.csv'), '--db', db, '--json'], {
      stdio: 'ignore',
    })
    spawnSync(process.execPath, [BIN, 'contact', 'import', join(OUT, 'contacts.csv'), '--db', db, '--json'], {
      stdio: 'ignore',
    })
  }
  const runs = Number(
    execFileSync(sqlite3, [db, "SELECT count(*) FROM classification_runs WHERE scheme = 'retail-aum'"], {
      encoding: 'utf8',
    }).trim(),
  )
  if (runs === 0)
    execFileSync(
      process.execPath,
      [BIN, 'classify', '--scheme', 'retail-aum', '--as-of', '2026-11-28', '--db', db, '--json'],
      {stdio: 'ignore'},
    )
}

// The columns each command prints, as the sqlite3 shell would select them: the same rows, joins and order, money as
// stored (fen), personal data unmasked (the shell has no masking); contact list's utc_offset and logged_at, and
// classify show's tier label (the English one, from the run's tiers), too.
const CUSTOMER_SQL = `SELECT c.customer_id, c.name, c.type, c.id_type, c.id_number, c.phone, c.email, c.branch, c.rm, c.opened_on, c.birth_date, c.aum_fen,
  c.deposits_fen, c.loans_fen, c.overdue_days, c.products, c.contribution_fen, c.last_txn_on, c.txn_count_12m, c.industry, c.employees, c.revenue_fen,
  c.total_assets_fen, c.credit_rating, c.status, c.extra, cb.started_at AS created_at, ub.started_at AS updated_at
  FROM customers c LEFT JOIN import_batches cb ON cb.id = c.created_batch_id LEFT JOIN import_batches ub ON ub.id = c.updated_batch_id ORDER BY c.customer_id`
const CONTACT_SQL = `SELECT k.id, k.customer_id, c.name AS customer_name, k.at, k.channel, k.direction, k.purpose, k.outcome, k.rm, k.notes, k.follow_up_on,
  k.follow_up_closed_at, k.follow_up_closed_by, k.utc_offset, k.logged_at FROM contacts k JOIN customers c ON c.customer_id = k.customer_id ORDER BY k.at DESC, k.id DESC`
// contact due prints the open follow-ups and the customers whose tier's contact cadence has lapsed (in the latest run
// of each scheme, closed customers left out: one row a customer, for its shortest lapsed cadence), in one flat shape:
// two SELECTs, two arrays.
const DUE_SQL = `SELECT 'follow_up' AS kind, k.id AS contact_id, k.customer_id, c.name AS customer_name, c.rm, c.branch, k.follow_up_on,
    max(CAST(julianday('2026-11-28') - julianday(k.follow_up_on) AS INTEGER), 0) AS days_overdue, last.channel AS last_channel, last.at AS last_contact_at,
    NULL AS scheme, NULL AS tier, NULL AS cadence_days, NULL AS days_since_contact
  FROM contacts k JOIN customers c ON c.customer_id = k.customer_id
    LEFT JOIN contacts last ON last.id = (SELECT l.id FROM contacts l WHERE l.customer_id = k.customer_id ORDER BY l.at DESC, l.id DESC LIMIT 1)
  WHERE k.follow_up_on IS NOT NULL AND k.follow_up_closed_at IS NULL AND k.follow_up_on <= '2036-11-25' AND c.status IS NOT 'closed' ORDER BY k.follow_up_on, c.customer_id;
WITH cadence AS MATERIALIZED (SELECT r.id AS run_id, r.scheme, json_extract(t.value, '$.id') AS tier, json_extract(t.value, '$.cadence_days') AS days,
    date('2026-11-28', '-' || json_extract(t.value, '$.cadence_days') || ' days') AS since
  FROM classification_runs r, json_each(r.tiers) t WHERE r.id IN (SELECT max(id) FROM classification_runs GROUP BY scheme) AND days IS NOT NULL)
SELECT 'cadence' AS kind, NULL AS contact_id, customer_id, name AS customer_name, rm, branch, NULL AS follow_up_on, NULL AS days_overdue,
    NULL AS last_channel, last_contact_at, scheme, tier, cadence_days,
    CAST(julianday('2026-11-28') - julianday(substr(last_contact_at, 1, 10)) AS INTEGER) AS days_since_contact
  FROM (SELECT c.customer_id, c.name, c.rm, c.branch, d.scheme, d.tier, min(d.days) AS cadence_days,
      (SELECT max(k.at) FROM contacts k WHERE k.customer_id = c.customer_id AND k.at < '2026-11-29') AS last_contact_at
    FROM classification_results x JOIN cadence d ON d.run_id = x.run_id AND d.tier = x.tier JOIN customers c ON c.id = x.customer_ref
    WHERE c.status IS NOT 'closed' AND NOT EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.customer_id AND k.at >= d.since AND k.at < '2026-11-29')
    GROUP BY c.customer_id) ORDER BY customer_id`
const resultsSql = (
  run: number,
) => `SELECT c.customer_id, c.name, c.branch, c.rm, x.tier, coalesce(t.label, x.tier) AS tier_label, x.reason
  FROM classification_results x JOIN customers c ON c.id = x.customer_ref
    LEFT JOIN (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.en') AS label FROM classification_runs r, json_each(r.tiers) WHERE r.id = ${run}) t ON t.id = x.tier
  WHERE x.run_id = ${run} ORDER BY c.customer_id`

interface OutputBench {
  what: string
  crm: Timed
  sql: Timed
}

/** Each row command against the sqlite3 shell printing the same rows, both to /dev/null, in the same run. */
function benchOutput(db: string, sqlite3: string, time: string): OutputBench[] {
  const run = Number(
    execFileSync(sqlite3, [db, "SELECT max(id) FROM classification_runs WHERE scheme = 'retail-aum'"], {
      encoding: 'utf8',
    }).trim(),
  )
  const cases: [string, string[], string[]][] = [
    ['customer list --json', ['customer', 'list', '--json'], ['-json', CUSTOMER_SQL]],
    ['customer list --format ndjson', ['customer', 'list', '--format', 'ndjson'], ['-json', CUSTOMER_SQL]],
    ['customer list --format csv', ['customer', 'list', '--format', 'csv'], ['-csv', '-header', CUSTOMER_SQL]],
    ['customer export (CSV, stdout)', ['customer', 'export'], ['-csv', '-header', CUSTOMER_SQL]],
    ['contact list --json', ['contact', 'list', '--json'], ['-json', CONTACT_SQL]],
    [
      'contact due --json (ten years ahead)',
      ['contact', 'due', '--date', '2026-11-28', '--days', '3650', '--json'],
      ['-json', DUE_SQL],
    ],
    [
      'classify show --format csv',
      ['classify', 'show', String(run), '--format', 'csv'],
      ['-csv', '-header', resultsSql(run)],
    ],
  ]
  return cases.map(([what, args, reference]) => {
    console.error(`sqlite3 ${reference[0]} of ${what} (reference)…`)
    const sql = timed(sqlite3, [reference[0], ...reference.slice(1, -1), db, reference.at(-1)!], time, true)
    console.error(`crm ${what}…`)
    const crm = timed(process.execPath, [BIN, ...args, '--db', db], time, true)
    return {what, crm, sql}
  })
}

function printOutput(rows: OutputBench[]): void {
  const check = (ok: boolean) => (ok ? 'ok ' : 'MISS')
  const results = existsSync(join(OUT, 'results.json'))
    ? (JSON.parse(readFileSync(join(OUT, 'results.json'), 'utf8')) as Record<string, unknown>)
    : {}
  console.log(
    `row output (${ROWS.toLocaleString('en-US')} customers and contacts; each against the sqlite3 shell printing the same rows)`,
  )
  const output: Record<string, unknown> = {}
  for (const r of rows) {
    const ratio = r.crm.seconds / r.sql.seconds
    console.log(
      `  ${r.what.padEnd(36)} ${fmt(r.crm.seconds).padStart(7)} s  peak ${String(Math.round(r.crm.peakMb)).padStart(4)} MB ${check(r.crm.peakMb < 150)}` +
        `  sqlite3 ${fmt(r.sql.seconds).padStart(6)} s  ${fmt(ratio).padStart(6)} x ${check(ratio <= 2)}`,
    )
    output[r.what] = {
      seconds: r.crm.seconds,
      peakMb: Math.round(r.crm.peakMb),
      sqlSeconds: r.sql.seconds,
      ratio: Number(fmt(ratio)),
    }
  }
  results.output = {rows: ROWS, ...output}
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
}

/**
 * The contact reference: the sqlite3 shell loads the file into a TEMP table and inserts it with one INSERT … SELECT
 * into a copy of crm's database (the same contacts schema: its indexes, the same-contact unique key, and the foreign
 * key to customers enforced), mapping the file's Chinese aliases and hashing the notes as crm does.
 */
function contactInsertSelect(sqlite3: string, time: string, crmDb: string, csv: string): Timed {
  const copy = join(OUT, 'reference-contacts.db')
  execFileSync(sqlite3, [crmDb, `VACUUM INTO '${copy}'`])
  const alias = (column: string, pairs: Record<string, string>) =>
    `CASE ${column} ${Object.entries(pairs)
      .map(([from, to]) => `WHEN '${from}' THEN '${to}'`)
      .join(' ')} ELSE ${column} END`
  const sql = `PRAGMA foreign_keys = ON;
.import --csv --schema temp ${csv} staging
BEGIN;
INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, status) VALUES ('contacts', 'contacts.csv', '', 'upsert', 'bench', '2026-01-01', 'complete');
INSERT INTO contacts (customer_id, at, channel, direction, purpose, outcome, rm, notes, follow_up_on, notes_key, import_batch_id, logged_at)
  SELECT customer_id, replace(at, ' ', 'T'), ${alias('channel', {微信: 'wechat', 电话: 'phone', 网点: 'branch'})}, coalesce(nullif(direction, ''), 'out'),
    ${alias('purpose', {营销: 'marketing', 回访: 'review'})}, ${alias("nullif(outcome, '')", {未接通: 'no answer', 已接通: 'reached'})}, nullif(rm, ''),
    nullif(notes, ''), nullif(follow_up_on, ''), CASE WHEN notes = '' THEN '' ELSE substr(hex(sha3(notes)), 1, 16) END, last_insert_rowid(), '2026-11-29T00:00:00Z'
  FROM temp.staging WHERE true
  ON CONFLICT (at, customer_id, channel, direction, purpose, notes_key) DO UPDATE SET outcome = excluded.outcome, rm = excluded.rm, follow_up_on = excluded.follow_up_on;
COMMIT;
`
  writeFileSync(join(OUT, 'reference-contacts.sql'), sql)
  const result = timed(sqlite3, [copy, `.read ${join(OUT, 'reference-contacts.sql')}`], time)
  rmSync(copy, {force: true})
  return result
}

/** Import rounds: each runs the reference and then crm, so a machine busy with other work slows both alike. */
const IMPORT_ROUNDS = 3

/** The round with the least CPU time (the least disturbed), with the peak memory of that round. */
function leastCpu(runs: readonly Timed[]): Timed {
  return runs.reduce((best, run) => (run.cpuSeconds < best.cpuSeconds ? run : best))
}

async function benchImports(sqlite3: string, time: string, db: string, csv: string): Promise<void> {
  rmSync(OUT, {recursive: true, force: true})
  mkdirSync(OUT, {recursive: true})
  console.error(`generating ${ROWS.toLocaleString('en-US')} customers…`)
  await generateCustomers({rows: ROWS, seed: 1, out: csv, headers: 'en'})
  const megabytes = statSync(csv).size / 1024 / 1024

  // Ratios are of CPU time (user and system, both of crm's threads), the least of IMPORT_ROUNDS interleaved rounds.
  const references: Timed[] = []
  const imports: Timed[] = []
  for (let round = 1; round <= IMPORT_ROUNDS; round++) {
    console.error(`sqlite3 .import (reference), round ${round}…`)
    rmSync(join(OUT, 'reference.db'), {force: true})
    references.push(timed(sqlite3, [join(OUT, 'reference.db'), `.import --csv ${csv} customers`], time))
    console.error(`crm customer import, round ${round}…`)
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, {force: true})
    imports.push(timed(process.execPath, [BIN, 'customer', 'import', csv, '--db', db, '--json'], time))
  }
  const reference = leastCpu(references)
  const crmImport = leastCpu(imports)
  console.error('crm customer import again (all unchanged)…')
  const again = timed(process.execPath, [BIN, 'customer', 'import', csv, '--db', db, '--json'], time)
  const contactsCsv = join(OUT, 'contacts.csv')
  console.error(`generating ${ROWS.toLocaleString('en-US')} contacts…`)
  await generateContacts({rows: ROWS, customers: ROWS, seed: 2, out: contactsCsv})
  // Each round imports the contacts into a copy of the book of customers alone.
  const book = join(OUT, 'customers-only.db')
  execFileSync(sqlite3, [db, `VACUUM INTO '${book}'`])
  const contactReferences: Timed[] = []
  const contactImports: Timed[] = []
  for (let round = 1; round <= IMPORT_ROUNDS; round++) {
    console.error(`sqlite3 INSERT … SELECT of the contacts (reference), round ${round}…`)
    contactReferences.push(contactInsertSelect(sqlite3, time, book, contactsCsv))
    console.error(`crm contact import, round ${round}…`)
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, {force: true})
    copyFileSync(book, db)
    contactImports.push(timed(process.execPath, [BIN, 'contact', 'import', contactsCsv, '--db', db, '--json'], time))
  }
  const contactReference = leastCpu(contactReferences)
  const contactImport = leastCpu(contactImports)

  const ratio = crmImport.cpuSeconds / reference.cpuSeconds
  const contactRatio = contactImport.cpuSeconds / contactReference.cpuSeconds
  const entry = (run: Timed) => ({
    seconds: run.seconds,
    cpuSeconds: Number(fmt(run.cpuSeconds)),
    rowsPerSecond: Math.round(ROWS / run.seconds),
    peakMb: Math.round(run.peakMb),
  })
  const results = {
    rows: ROWS,
    fileMb: Number(fmt(megabytes, 1)),
    rounds: IMPORT_ROUNDS,
    import: entry(crmImport),
    reimportUnchanged: entry(again),
    sqliteImport: {seconds: reference.seconds, cpuSeconds: Number(fmt(reference.cpuSeconds))},
    importRatio: Number(fmt(ratio)),
    contactImport: entry(contactImport),
    sqliteContactImport: {seconds: contactReference.seconds, cpuSeconds: Number(fmt(contactReference.cpuSeconds))},
    contactImportRatio: Number(fmt(contactRatio)),
  }
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  const check = (ok: boolean) => (ok ? 'ok ' : 'MISS')
  const line = (what: string, run: Timed, note = '') =>
    console.log(
      `  ${what.padEnd(34)} ${fmt(run.cpuSeconds).padStart(7)} s CPU ${fmt(run.seconds).padStart(7)} s wall` +
        `  peak ${String(Math.round(run.peakMb)).padStart(4)} MB${note}`,
    )
  console.log(
    `crm benchmarks (${ROWS.toLocaleString('en-US')} customers, ${fmt(megabytes, 0)} MB CSV; ` +
      `CPU time is user + system, the least of ${IMPORT_ROUNDS} interleaved rounds)`,
  )
  line('sqlite3 .import (reference)', reference)
  line('crm customer import', crmImport)
  line('crm customer import, again', again, ' (every row unchanged)')
  console.log(
    `  import / .import (CPU)             ${fmt(ratio).padStart(7)} x  target <= 1.50  ${check(ratio <= 1.5)}`,
  )
  console.log(
    `  import peak memory                 ${String(Math.round(crmImport.peakMb)).padStart(7)} MB target < 200 ` +
      `  ${check(crmImport.peakMb < 200)}`,
  )
  line('sqlite3 INSERT … SELECT, contacts', contactReference, ' (same schema: indexes, unique key, foreign key)')
  line('crm contact import', contactImport)
  console.log(
    `  contact import / INSERT…SELECT (CPU) ${fmt(contactRatio).padStart(5)} x  target <= 2.00  ${check(contactRatio <= 2)}`,
  )
  console.log(
    `  contact import peak memory         ${String(Math.round(contactImport.peakMb)).padStart(7)} MB target < 200 ` +
      `  ${check(contactImport.peakMb < 200)}`,
  )
}

await main()
