import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {generateCustomers} from '../../bench/generate.js'
import {crm, crmAsync, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// An import killed part-way keeps the rows of its last commit; its batch says so, and the next import of the file
// completes it.

const temp = tempDir()
afterAll(temp.cleanup)

interface Info {
  counts: {customers: number}
  last_import: {id: number; file: string; read: number; status: string; host: string | null; pid: number | null} | null
}

/** The rows committed by the running import so far (0 before its first commit), read as another process would. */
function committedRows(db: string): number {
  try {
    const peek = new Database(db, {readonly: true, fileMustExist: true})
    try {
      return (
        (peek.prepare("SELECT rows_read FROM import_batches WHERE status = 'running'").pluck().get() as
          | number
          | undefined) ?? 0
      )
    } finally {
      peek.close()
    }
  } catch {
    return 0 // the file or its tables do not exist yet
  }
}

/**
 * Imports a generated book of `rows` customers into `db` and sends `signal` once the first block is committed (the
 * first comes after about 50,000 rows); resolves with the rows committed by then and how the import ended.
 */
async function importSignalled(
  file: string,
  db: string,
  rows: number,
  signal: NodeJS.Signals,
): Promise<{committed: number; code: number | null; signal: NodeJS.Signals | null; stderr: string}> {
  await generateCustomers({rows, seed: signal === 'SIGKILL' ? 1 : 2, out: file, headers: 'en'})
  const child = crmAsync(['customer', 'import', file, '--db', db])
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  let ended: {code: number | null; signal: NodeJS.Signals | null} | undefined
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, by) => {
      ended = {code, signal: by}
      resolve()
    }),
  )
  let committed = 0
  while (ended === undefined && committed === 0) {
    await new Promise((resolve) => setTimeout(resolve, 25))
    committed = committedRows(db)
  }
  child.kill(signal)
  await exited
  return {committed, ...ended!, stderr}
}

describe('an import killed with kill -9', () => {
  const ROWS = 300_000
  const big = join(temp.dir, 'big.csv')
  const db = join(temp.dir, 'killed.db')
  let committed = 0

  beforeAll(async () => {
    // Killed without warning.
    committed = (await importSignalled(big, db, ROWS, 'SIGKILL')).committed
  }, 120_000)

  it('was killed after a commit and before the end (else the test proves nothing)', () => {
    expect(committed).toBeGreaterThan(0)
    expect(committed).toBeLessThan(ROWS)
  })

  it('db info shows its batch interrupted, with the rows it committed', () => {
    const result = crm(['db', 'info', '--db', db, '--json'])
    expectHandled(result, 0)
    const info = json<Info>(result)
    expect(info.last_import).toMatchObject({file: big, status: 'interrupted', host: null, pid: null})
    // Every row committed is a customer (a generated book has no rejects or duplicates), and no more.
    expect(info.last_import!.read).toBe(info.counts.customers)
    expect(info.last_import!.read).toBeGreaterThanOrEqual(committed)
    expect(crm(['db', 'info', '--db', db]).stdout).toContain(
      `(${info.last_import!.read.toLocaleString('en-US')} rows, interrupted)`,
    )
  })

  it('the same import again completes it, naming the batch, and its reconciliation adds up', () => {
    const before = json<Info>(crm(['db', 'info', '--db', db, '--json']))
    const result = crm(['customer', 'import', big, '--db', db, '--json'])
    expectHandled(result, 0)
    const report = json<Record<string, number>>(result)
    expect(report.completes_batch).toBe(before.last_import!.id)
    expect(report.read).toBe(ROWS)
    expect(report.inserted + report.updated + report.unchanged + report.duplicates + report.rejected).toBe(ROWS)
    expect({unchanged: report.unchanged, inserted: report.inserted}).toEqual({
      unchanged: before.counts.customers,
      inserted: ROWS - before.counts.customers,
    })
    expect(report.aum_stored).toBe(report.aum_read)
    expect(json<Info>(crm(['db', 'info', '--db', db, '--json'])).last_import).toMatchObject({
      status: 'complete',
      read: ROWS,
    })
  })
})

describe('a batch running on another host', () => {
  it('is left running, and db info says where', () => {
    const db = join(temp.dir, 'shared.db')
    const one = join(temp.dir, 'one.csv')
    writeFileSync(one, 'customer_id,name,type\nC1,甲,对公\n')
    expect(crm(['customer', 'import', one, '--db', db]).code).toBe(0) // creates the database
    const raw = new Database(db)
    raw
      .prepare(`INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, status, rows_read, host, pid)
      VALUES ('customers', 'book.csv', '', 'upsert', 'x', '2026-11-28T00:00:00Z', 'running', 50000, 'branch-pc-7', 4242)`)
      .run()
    raw.close()
    const result = crm(['db', 'info', '--db', db])
    expectHandled(result, 0)
    expect(result.stdout).toContain('(50,000 rows, running on branch-pc-7 (pid 4242))')
    expect(json<Info>(crm(['db', 'info', '--db', db, '--json'])).last_import).toMatchObject({
      status: 'running',
      host: 'branch-pc-7',
      pid: 4242,
    })
  })
})

describe('an import stopped with Ctrl-C while it writes', () => {
  const ROWS = 300_000
  const big = join(temp.dir, 'big-ctrl-c.csv')
  const db = join(temp.dir, 'ctrl-c.db')
  let committed = 0
  let ended: {code: number | null; signal: NodeJS.Signals | null; stderr: string} = {
    code: null,
    signal: null,
    stderr: '',
  }

  beforeAll(async () => {
    // Blocks then wait for the writer: the signal must be handled between them, not after the last one.
    const result = await importSignalled(big, db, ROWS, 'SIGINT')
    committed = result.committed
    ended = result
  }, 120_000)

  it('stops by the signal, before the end, and keeps the commits before it', () => {
    expect(committed).toBeGreaterThan(0)
    expect(ended.signal === 'SIGINT' || ended.code === 130).toBe(true)
    const check = new Database(db, {readonly: true})
    try {
      const batch = check.prepare('SELECT status, rows_read FROM import_batches ORDER BY id DESC LIMIT 1').get() as {
        status: string
        rows_read: number
      }
      expect(batch.status).not.toBe('complete')
      expect(batch.rows_read).toBeLessThan(ROWS)
      expect(check.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(batch.rows_read)
      // It says what it kept, and how to complete it.
      expect(ended.stderr).toContain(
        `stopped: the file's first ${batch.rows_read.toLocaleString('en-US')} rows are imported; run the same command again`,
      )
    } finally {
      check.close()
    }
  })
})
