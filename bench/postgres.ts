/**
 * npm run bench -- --only postgres [--rows N]: crm on PostgreSQL against psql doing the same work, in the same run.
 *
 *   - customer import of N generated customers vs psql's \copy of the same file into a bare table (target 2.5x)
 *   - crm classify (retail-aum, abc) vs a hand-written INSERT … SELECT of the same tiers and reasons (target 1.5x)
 *   - crm summary --by branch vs its GROUP BY (target 1.2x)
 *
 * Times are wall-clock (most of the work is the server's), the fastest of interleaved repeats; crm's peak memory is
 * its own process's. The server is $CRM_BENCH_PG, else the local test server; the schema crm_bench is dropped first.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {EN_HEADERS, generateCustomers} from './generate.js'

const SERVER = process.env.CRM_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const SCHEMA = 'crm_bench'
const BOOK = `${SERVER}${SERVER.includes('?') ? '&' : '?'}schema=${SCHEMA}`
const REPEATS = 2
const RUN = 1_000_000

interface Timed {
  seconds: number
  peakMb: number
}

function psql(sql: string): string {
  return execFileSync('psql', [SERVER, '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
    env: {...process.env, PGOPTIONS: `-c search_path=${SCHEMA}`},
  }).trim()
}

function timed(time: string, command: string, args: readonly string[]): Timed {
  const result = spawnSync(time, ['-f', '%e %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {...process.env, PGOPTIONS: `-c search_path=${SCHEMA}`},
  })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`)
  const [seconds, kb] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
  return {seconds, peakMb: kb / 1024}
}

const psqlTimed = (time: string, sql: string) =>
  timed(time, 'psql', [SERVER, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql])
const crmTimed = (time: string, bin: string, args: readonly string[]) =>
  timed(time, process.execPath, [bin, ...args, '--db', BOOK])
const best = (a: Timed | undefined, b: Timed) => (a === undefined || b.seconds < a.seconds ? b : a)

const INSERT = 'INSERT INTO classification_results (customer_id, run_id, tier, reason)'
const LIVE = "coalesce(status, 'active') != 'closed' AND deleted_at IS NULL"
const REFERENCES: Record<string, string> = {
  'retail-aum': `${INSERT} SELECT customer_id, ${RUN}, CASE WHEN aum_fen >= 600000000 THEN 'private-banking'
    WHEN aum_fen >= 200000000 THEN 'diamond' WHEN aum_fen >= 50000000 THEN 'wealth' WHEN aum_fen >= 5000000 THEN 'gold'
    ELSE 'mass' END, 'aum ' || coalesce(to_char(aum_fen / 100.0, 'FM999999999999999990.00'), 'null')
    FROM customers WHERE type = 'individual' AND ${LIVE}`,
  abc: `${INSERT} SELECT customer_id, ${RUN}, CASE WHEN share IS NULL THEN 'unscored' WHEN share <= 0.8 THEN 'A'
    WHEN share <= 0.95 THEN 'B' ELSE 'C' END, 'share: cume_share(aum) ' || coalesce(share::text, 'null')
    FROM (SELECT customer_id, CASE WHEN aum_fen IS NOT NULL AND total > 0 THEN running::float8 / total END AS share
      FROM (SELECT customer_id, aum_fen, sum(aum_fen) OVER (ORDER BY aum_fen DESC NULLS LAST, customer_id COLLATE "C"
        ROWS UNBOUNDED PRECEDING) AS running, sum(aum_fen) OVER () AS total FROM customers WHERE ${LIVE}) s) t`,
}

const summarySql = (run: number) => `
WITH cadence AS (SELECT t->>'id' AS tier, (t->>'cadence_days')::int AS days
  FROM classification_runs r, jsonb_array_elements(r.tiers) t WHERE r.id = ${run})
SELECT x.tier, c.branch, count(*), sum(c.aum_fen), sum(c.deposits_fen), sum(c.loans_fen),
  sum(CASE WHEN d.days IS NULL THEN NULL WHEN EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.customer_id
    AND k.at >= date '2026-11-28' - d.days AND k.at < date '2026-11-29') THEN 1 ELSE 0 END)
FROM classification_results x JOIN customers c ON c.customer_id = x.customer_id LEFT JOIN cadence d ON d.tier = x.tier
WHERE x.run_id = ${run} GROUP BY x.tier, c.branch`

export interface PostgresBench {
  rows: number
  import: {crm: Timed; copy: Timed}
  classify: {scheme: string; crm: Timed; sql: Timed}[]
  summary: {crm: Timed; sql: Timed}
}

export async function benchPostgres(options: {rows: number; out: string; bin: string; time: string}) {
  const {rows, out, bin, time} = options
  mkdirSync(out, {recursive: true})
  const csv = join(out, 'pg-customers.csv')
  console.error(`generating ${rows.toLocaleString('en-US')} customers…`)
  await generateCustomers({rows, seed: 1, out: csv, headers: 'en'})
  const bare = `CREATE TABLE bench_bare (${EN_HEADERS.map((h) => `"${h}" text`).join(', ')})`

  let copy: Timed | undefined
  let crmImport: Timed | undefined
  for (let i = 0; i < REPEATS; i++) {
    psql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}; ${bare}`)
    console.error(`psql \\copy into a bare table (reference, ${i + 1} of ${REPEATS})…`)
    copy = best(copy, psqlTimed(time, `\\copy bench_bare FROM '${csv}' CSV HEADER`))
    psql(`DROP SCHEMA ${SCHEMA} CASCADE`)
    console.error('crm customer import…')
    crmImport = best(crmImport, crmTimed(time, bin, ['customer', 'import', csv, '--json']))
  }

  const classify = Object.entries(REFERENCES).map(([scheme, sql]) => {
    let crm: Timed | undefined
    let reference: Timed | undefined
    for (let i = 0; i < REPEATS; i++) {
      psql(`INSERT INTO classification_runs (id, scheme, scheme_version, scheme_hash, scheme_text, tiers, as_of,
        created_at, actor, customers, skipped) VALUES (${RUN}, 'bench', '1', '', '', '[]', '2026-11-28', now(), 'bench', 0, 0)`)
      console.error(`psql INSERT … SELECT, ${scheme} (reference, ${i + 1} of ${REPEATS})…`)
      reference = best(reference, psqlTimed(time, sql))
      psql(`DELETE FROM classification_runs WHERE id = ${RUN}`)
      console.error(`crm classify --scheme ${scheme}…`)
      crm = best(crm, crmTimed(time, bin, ['classify', '--scheme', scheme, '--as-of', '2026-11-28', '--json']))
      if (i < REPEATS - 1 || scheme !== 'retail-aum')
        psql(
          `DELETE FROM classification_runs WHERE id = (SELECT max(id) FROM classification_runs WHERE scheme = '${scheme}')`,
        )
    }
    return {scheme, crm: crm!, sql: reference!}
  })

  const run = Number(psql("SELECT max(id) FROM classification_runs WHERE scheme = 'retail-aum'"))
  let summaryCrm: Timed | undefined
  let summarySqlTime: Timed | undefined
  for (let i = 0; i < REPEATS; i++) {
    console.error('psql GROUP BY of the summary (reference)…')
    summarySqlTime = best(summarySqlTime, psqlTimed(time, summarySql(run)))
    console.error('crm summary --by branch…')
    summaryCrm = best(
      summaryCrm,
      crmTimed(time, bin, ['summary', '--run', String(run), '--by', 'branch', '--format', 'csv']),
    )
  }
  const megabytes = statSync(csv).size / 1024 / 1024
  rmSync(csv, {force: true})
  if (!process.argv.includes('--keep')) psql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`)
  const result: PostgresBench = {
    rows,
    import: {crm: crmImport!, copy: copy!},
    classify,
    summary: {crm: summaryCrm!, sql: summarySqlTime!},
  }
  writeFileSync(join(out, 'postgres.json'), `${JSON.stringify(result, null, 2)}\n`)
  printPostgres(result, megabytes)
  return result
}

function printPostgres(bench: PostgresBench, megabytes: number): void {
  const fmt = (n: number) => n.toFixed(2)
  const check = (ok: boolean) => (ok ? 'ok ' : 'MISS')
  const line = (what: string, crm: Timed, ref: Timed, target: number) => {
    const ratio = crm.seconds / ref.seconds
    console.log(
      `  ${what.padEnd(30)} ${fmt(crm.seconds).padStart(8)} s vs ${fmt(ref.seconds).padStart(8)} s  ${fmt(ratio)}x  target <= ${fmt(target)}  ${check(ratio <= target)}  crm peak ${Math.round(crm.peakMb)} MB`,
    )
  }
  console.log(
    `crm on PostgreSQL (${bench.rows.toLocaleString('en-US')} customers, ${megabytes.toFixed(0)} MB CSV; wall time, best of ${REPEATS})`,
  )
  line('import vs psql \\copy', bench.import.crm, bench.import.copy, 2.5)
  for (const c of bench.classify) line(`classify ${c.scheme} vs INSERT…SELECT`, c.crm, c.sql, 1.5)
  line('summary vs GROUP BY', bench.summary.crm, bench.summary.sql, 1.2)
}
