/**
 * npm run bench: speed and memory against references measured in the same run.
 *
 *   - customer import of 1,000,000 generated customers vs the sqlite3 shell's .import of the same file
 *     (target: at most 2x the time; peak RSS under 200 MB)
 *   - re-importing the same file (every row unchanged)
 *   - contact import of 1,000,000 contacts for those customers vs .import of the same file (target: 2x)
 *   - `crm --version` and `crm contact log` (every flag given) vs `node -e 0` (target: at most 3x)
 *
 * Options: --rows N (default 1000000), --keep (keep bench/out). Results also go to bench/out/results.json.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {generateContacts, generateCustomers} from './generate.js'

const ROOT = join(import.meta.dirname, '..')
const OUT = join(ROOT, 'bench', 'out')
const BIN = join(ROOT, 'bin', 'run.js')
const rowsArg = process.argv.indexOf('--rows')
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000

interface Timed {
  seconds: number
  peakMb: number
}

function ensureTool(command: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], {encoding: 'utf8'}).stdout.trim()
  if (found) return found
  console.error(`installing ${debianPackage} (for ${command})…`)
  execFileSync('sh', ['-c', `(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${debianPackage}`], {stdio: 'inherit'})
  return spawnSync('sh', ['-c', `command -v ${command}`], {encoding: 'utf8'}).stdout.trim()
}

/** Runs a command under GNU time: wall seconds and peak resident memory. */
function timed(command: string, args: readonly string[], time: string): Timed {
  const result = spawnSync(time, ['-f', '%e %M', command, ...args], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`)
  const [seconds, kb] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
  return {seconds, peakMb: kb / 1024}
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function startupSeconds(args: readonly string[], runs = 15, more: () => string[] = () => []): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const extra = more()
    const start = process.hrtime.bigint()
    spawnSync(process.execPath, [...args, ...extra], {stdio: 'ignore'})
    times.push(Number(process.hrtime.bigint() - start) / 1e9)
  }
  return median(times)
}

const fmt = (n: number, digits = 2) => n.toFixed(digits)
const rate = (rows: number, seconds: number) => `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`

async function main(): Promise<void> {
  const sqlite3 = ensureTool('sqlite3', 'sqlite3')
  const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : ensureTool('time', 'time')
  rmSync(OUT, {recursive: true, force: true})
  mkdirSync(OUT, {recursive: true})
  const csv = join(OUT, 'customers.csv')
  console.error(`generating ${ROWS.toLocaleString('en-US')} customers…`)
  await generateCustomers({rows: ROWS, seed: 1, out: csv, headers: 'en'})
  const megabytes = statSync(csv).size / 1024 / 1024

  console.error('sqlite3 .import (reference)…')
  const reference = timed(sqlite3, [join(OUT, 'reference.db'), '.import --csv customers.csv customers'.replace('customers.csv', csv)], time)
  console.error('crm customer import…')
  const db = join(OUT, 'crm.db')
  const crmImport = timed(process.execPath, [BIN, 'customer', 'import', csv, '--db', db, '--json'], time)
  console.error('crm customer import again (all unchanged)…')
  const again = timed(process.execPath, [BIN, 'customer', 'import', csv, '--db', db, '--json'], time)
  const contactsCsv = join(OUT, 'contacts.csv')
  console.error(`generating ${ROWS.toLocaleString('en-US')} contacts…`)
  await generateContacts({rows: ROWS, customers: ROWS, seed: 2, out: contactsCsv})
  console.error('sqlite3 .import of the contacts (reference)…')
  const contactReference = timed(sqlite3, [join(OUT, 'reference.db'), `.import --csv ${contactsCsv} contacts`], time)
  console.error('crm contact import…')
  const contactImport = timed(process.execPath, [BIN, 'contact', 'import', contactsCsv, '--db', db, '--json'], time)
  console.error('start-up…')
  const node = startupSeconds(['-e', '0'])
  const version = startupSeconds([BIN, '--version'])
  let minute = 0
  const logContact = startupSeconds([BIN, 'contact', 'log', '--db', db, '--customer', 'C100000001', '--channel', 'phone', '--purpose', 'review', '--note', 'bench'], 15, () => ['--at', `2026-01-01 00:${String(minute++).padStart(2, '0')}`])

  const ratio = crmImport.seconds / reference.seconds
  const results = {
    rows: ROWS, fileMb: Number(fmt(megabytes, 1)),
    import: {seconds: crmImport.seconds, rowsPerSecond: Math.round(ROWS / crmImport.seconds), peakMb: Math.round(crmImport.peakMb)},
    reimportUnchanged: {seconds: again.seconds, rowsPerSecond: Math.round(ROWS / again.seconds), peakMb: Math.round(again.peakMb)},
    sqliteImport: {seconds: reference.seconds},
    importRatio: Number(fmt(ratio)),
    contactImport: {seconds: contactImport.seconds, rowsPerSecond: Math.round(ROWS / contactImport.seconds), peakMb: Math.round(contactImport.peakMb)},
    sqliteContactImport: {seconds: contactReference.seconds},
    contactImportRatio: Number(fmt(contactImport.seconds / contactReference.seconds)),
    startup: {crmVersion: Number(fmt(version, 3)), contactLog: Number(fmt(logContact, 3)), nodeE0: Number(fmt(node, 3)), ratio: Number(fmt(version / node)), contactLogRatio: Number(fmt(logContact / node))},
  }
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  const check = (ok: boolean) => (ok ? 'ok ' : 'MISS')
  console.log(`crm benchmarks (${ROWS.toLocaleString('en-US')} customers, ${fmt(megabytes, 0)} MB CSV)`)
  console.log(`  sqlite3 .import (reference)   ${fmt(reference.seconds).padStart(7)} s  ${rate(ROWS, reference.seconds)}`)
  console.log(`  crm customer import           ${fmt(crmImport.seconds).padStart(7)} s  ${rate(ROWS, crmImport.seconds)}  peak ${Math.round(crmImport.peakMb)} MB`)
  console.log(`  crm customer import, again    ${fmt(again.seconds).padStart(7)} s  ${rate(ROWS, again.seconds)}  peak ${Math.round(again.peakMb)} MB (every row unchanged)`)
  console.log(`  import / .import              ${fmt(ratio).padStart(7)} x  target <= 2.00  ${check(ratio <= 2)}`)
  console.log(`  import peak memory            ${String(Math.round(crmImport.peakMb)).padStart(7)} MB target < 200   ${check(crmImport.peakMb < 200)}`)
  const contactRatio = contactImport.seconds / contactReference.seconds
  console.log(`  sqlite3 .import of contacts   ${fmt(contactReference.seconds).padStart(7)} s  ${rate(ROWS, contactReference.seconds)}`)
  console.log(`  crm contact import            ${fmt(contactImport.seconds).padStart(7)} s  ${rate(ROWS, contactImport.seconds)}  peak ${Math.round(contactImport.peakMb)} MB`)
  console.log(`  contact import / .import      ${fmt(contactRatio).padStart(7)} x  target <= 2.00  ${check(contactRatio <= 2)}`)
  console.log(`  crm --version / node -e 0     ${fmt(version / node).padStart(7)} x  target <= 3.00  ${check(version / node <= 3)}  (${fmt(version * 1000, 0)} ms vs ${fmt(node * 1000, 0)} ms)`)
  console.log(`  crm contact log / node -e 0   ${fmt(logContact / node).padStart(7)} x  target <= 3.00  ${check(logContact / node <= 3)}  (${fmt(logContact * 1000, 0)} ms)`)
  if (!process.argv.includes('--keep')) for (const f of ['customers.csv', 'contacts.csv', 'reference.db', 'crm.db', 'crm.db-wal', 'crm.db-shm']) rmSync(join(OUT, f), {force: true})
}

await main()
