import {spawnSync} from 'node:child_process'
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {BIN, crm, ROOT, tempDir} from '../helpers/cli.js'

// Memory, not time: audit list streams the log; 200,000 entries, each with masked old values, listed as one JSON
// document stay under 150 MB, measured as the child's peak resident memory (the kernel's count, no clock).
const ENTRIES = 200_000
const LIMIT_MB = 150
const temp = tempDir()
afterAll(temp.cleanup)

beforeAll(() => {
  expect(crm(['customer', 'import', join(ROOT, 'data/customers.csv'), '--db', temp.db]).code).toBe(0)
  const sql = new Database(temp.db)
  sql
    .prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
    INSERT INTO audit_log (at, actor, os_user, command, action, rows, details)
    SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-01', '+' || (i * 20) || ' seconds'), 'analyst' || (i % 50), 'root',
      'crm customer edit', 'customer.edit', 1,
      json_object('customer_id', printf('C1%08d', i % 2000), 'old', json_object('phone', printf('139%08d', i), 'name', '王芳'))
    FROM n`)
    .run(ENTRIES)
  sql.close()
})

function peakKb(args: readonly string[], out: string): number {
  const script =
    'import resource, subprocess, sys\nwith open(sys.argv[1], "wb") as out:\n  code = subprocess.run(sys.argv[2:], stdout=out).returncode\n' +
    'print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)'
  // As a user runs it: under NODE_ENV=test oclif loads tsx (50 MB more).
  const env = {...process.env, NO_COLOR: '1', NODE_ENV: undefined} as NodeJS.ProcessEnv
  const result = spawnSync('python3', ['-c', script, out, process.execPath, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  })
  const [code, kb] = result.stdout.trim().split(' ').map(Number)
  expect(code, result.stderr).toBe(0)
  return kb
}

it(`lists ${ENTRIES.toLocaleString('en-US')} audit entries as --json in under ${LIMIT_MB} MB, masked`, () => {
  const out = join(temp.dir, 'audit.json')
  const kb = peakKb(['audit', 'list', '--json', '--db', temp.db], out)
  expect(statSync(out).size).toBeGreaterThan(ENTRIES * 100)
  const text = readFileSync(out, 'utf8')
  expect(text).not.toContain('13900000007')
  expect(text).toContain('139****0007')
  expect((JSON.parse(text) as unknown[]).length).toBeGreaterThanOrEqual(ENTRIES)
  expect(kb / 1024).toBeLessThan(LIMIT_MB)
}, 600_000)

it(`lists one customer's entries among them, as CSV, in under ${LIMIT_MB} MB`, () => {
  const out = join(temp.dir, 'c.csv')
  const kb = peakKb(['audit', 'list', '--customer', 'C100000001', '--format', 'csv', '--db', temp.db], out)
  // Every 2,000th entry names it, and its import batch's two entries touch it too.
  expect(readFileSync(out, 'utf8').trim().split('\n').length).toBe(1 + ENTRIES / 2000 + 2)
  expect(kb / 1024).toBeLessThan(LIMIT_MB)
}, 600_000)
