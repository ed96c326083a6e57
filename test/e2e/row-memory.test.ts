import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, crm, ROOT, tempDir} from '../helpers/cli.js'

// Memory, not time: listing a book of 200,000 customers as one JSON document, or the follow-ups and lapsed cadences
// due on it, stays under 150 MB, measured as the child's peak resident memory (the kernel's count, so no sampling and
// no clock).

const CUSTOMERS = 200_000
const LIMIT_MB = 150
const temp = tempDir()
afterAll(temp.cleanup)

beforeAll(() => {
  // One real import makes the schema and a batch; the rest is written by SQL at once (seconds, not an import's minute).
  writeFileSync(join(temp.dir, 'one.csv'), 'customer_id,name,type\nA0,王伟,individual\n')
  expect(crm(['customer', 'import', join(temp.dir, 'one.csv'), '--db', temp.db]).code).toBe(0)
  const sql = new Database(temp.db)
  sql
    .prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
    INSERT INTO customers (customer_id, name, type, id_type, id_number, phone, email, branch, rm, opened_on, birth_date, aum_fen, deposits_fen,
      loans_fen, overdue_days, products, contribution_fen, last_txn_on, txn_count_12m, status, extra, created_batch_id, updated_batch_id)
    SELECT printf('C%09d', i), '客户' || i, 'individual', 'resident_id', printf('1101051985%08d', i), printf('139%08d', i), 'user' || i || '@example.cn',
      '上海分行浦东支行', printf('RM%04d', i % 40), '2010-01-05', '1985-09-10', i * 12345, i * 6789, 0, 0, i % 8, i * 3 - 500, '2026-10-01', i % 500,
      'active', '{"风险偏好":"稳健型","渠道来源":"网点"}', 1, 1 FROM n`)
    .run(CUSTOMERS)
  // An open follow-up for every customer, and a run whose one tier (every customer) asks for contact every 30 days.
  sql
    .prepare(`INSERT INTO contacts (customer_id, at, channel, direction, purpose, notes_key, logged_at, follow_up_on)
    SELECT customer_id, '2026-01-05T10:00:00', 'phone', 'out', 'review', '', '2026-01-05T02:00:00Z', '2026-12-' || printf('%02d', 1 + id % 28) FROM customers`)
    .run()
  const run = sql
    .prepare(`INSERT INTO classification_runs (scheme, scheme_version, scheme_hash, scheme_text, tiers, as_of, created_at, actor, customers, skipped)
    VALUES ('cadence', '1', '', '', '[{"id":"all","zh":"全部","en":"All","cadence_days":30}]', '2026-11-28', '2026-11-28T00:00:00Z', 'test', ?, 0)`)
    .run(CUSTOMERS + 1).lastInsertRowid
  sql
    .prepare(
      `INSERT INTO classification_results (run_id, customer_ref, tier, reason) SELECT ?, id, 'all', '' FROM customers`,
    )
    .run(run)
  sql.close()
})

/** Runs crm with stdout to a file; the peak resident memory of the child (KB), as the kernel counted it. */
function peakKb(args: readonly string[], out: string): number {
  const script =
    'import resource, subprocess, sys\nwith open(sys.argv[1], "wb") as out:\n  code = subprocess.run(sys.argv[2:], stdout=out).returncode\n' +
    'print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)'
  // As a user runs it: vitest sets NODE_ENV=test, under which oclif loads tsx to read the TypeScript sources (50 MB
  // more).
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

/**
 * Runs crm into a pipe its reader leaves unread for a few seconds (a person paging, a slow ssh), then reads to the
 * end: crm's exit code, the bytes it wrote, and its peak resident memory (KB). Whatever the clock does, crm must wait
 * for the reader, not hold its output, and must not give up.
 */
function slowReader(args: readonly string[]): {code: number; bytes: number; kb: number} {
  const script =
    'import resource, subprocess, sys, time\np = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)\ntime.sleep(4)\n' +
    'n = 0\nwhile True:\n  chunk = p.stdout.read(1 << 20)\n  if not chunk: break\n  n += len(chunk)\n' +
    'print(p.wait(), n, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)'
  const env = {...process.env, NO_COLOR: '1', NODE_ENV: undefined} as NodeJS.ProcessEnv
  const result = spawnSync('python3', ['-c', script, process.execPath, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  })
  const [code, bytes, kb] = result.stdout.trim().split(' ').map(Number)
  return {code, bytes, kb}
}

describe('row output memory', () => {
  it(`customer list --format ndjson into a pipe read late delivers every row and peaks under ${LIMIT_MB} MB`, () => {
    const full = peakKb(['customer', 'list', '--format', 'ndjson', '--db', temp.db], join(temp.dir, 'list.ndjson'))
    expect(full / 1024).toBeLessThan(LIMIT_MB)
    const late = slowReader(['customer', 'list', '--format', 'ndjson', '--db', temp.db])
    expect(late.code).toBe(0)
    expect(late.bytes).toBe(readFileSync(join(temp.dir, 'list.ndjson')).length)
    expect(late.kb / 1024).toBeLessThan(LIMIT_MB)
  })

  it(`customer list --json of ${CUSTOMERS.toLocaleString('en-US')} customers peaks under ${LIMIT_MB} MB`, () => {
    const out = join(temp.dir, 'list.json')
    const kb = peakKb(['customer', 'list', '--json', '--db', temp.db], out)
    expect(kb / 1024).toBeLessThan(LIMIT_MB)
    // And it is the whole book, as one JSON array.
    const text = readFileSync(out, 'utf8')
    const lines = text.split('\n')
    expect(lines.length).toBe(CUSTOMERS + 1 + 3)
    expect(JSON.parse(text)).toHaveLength(CUSTOMERS + 1)
  })

  it(`contact due --json of ${CUSTOMERS.toLocaleString('en-US')} follow-ups and as many lapsed cadences peaks under ${LIMIT_MB} MB`, () => {
    const out = join(temp.dir, 'due.json')
    const kb = peakKb(['contact', 'due', '--date', '2026-11-28', '--days', '3650', '--json', '--db', temp.db], out)
    expect(kb / 1024).toBeLessThan(LIMIT_MB)
    const due = JSON.parse(readFileSync(out, 'utf8'))
    expect(due.upcoming).toHaveLength(CUSTOMERS + 1)
    expect(due.lapsed_cadence).toHaveLength(CUSTOMERS + 1)
  })
})
