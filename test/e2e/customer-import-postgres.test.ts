import {once} from 'node:events'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {generateCustomers} from '../../bench/generate.js'
import {PgDatabase} from '../../src/db/postgres/connection.js'
import {dbTarget} from '../../src/db/target.js'
import {type Book, describePostgres, POSTGRES} from '../helpers/backends.js'
import {crm, crmAsync, json} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// What only a shared server has: crm processes that die holding its connection, and imports that run at once.

/** Queries the book as another process would (a connection of its own). */
function onBook<T>(book: Book, fn: (db: PgDatabase) => T): T {
  const target = dbTarget(book.db)
  if (target.kind !== 'postgres') throw new Error('not a PostgreSQL book')
  const db = new PgDatabase(target)
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

/** An import's exit and --json report, run in the background. */
async function importInBackground(file: string, book: Book) {
  const child = crmAsync(['customer', 'import', file, '--db', book.db, '--json'])
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const [code] = (await once(child, 'exit')) as [number | null]
  return {code: code ?? -1, stdout, stderr}
}

describePostgres('a customer import killed with kill -9', () => {
  const ROWS = 120_000
  let book: Book
  let big: string
  let committed = 0
  let batch = 0

  beforeAll(async () => {
    book = POSTGRES.book()
    big = join(book.dir, 'big.csv')
    await generateCustomers({rows: ROWS, seed: 3, out: big, headers: 'en'})
    const child = crmAsync(['customer', 'import', big, '--db', book.db])
    const exited = once(child, 'exit')
    let ended = false
    void exited.then(() => {
      ended = true
    })
    const running = () =>
      onBook(book, (db) =>
        db.get<{id: number; rows_read: number}>(
          "SELECT id, rows_read FROM import_batches WHERE status = 'running' AND rows_read > 0",
        ),
      )
    // Killed without warning once its first commit (about 50,000 rows) is visible to another connection.
    while (!ended && committed === 0) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      try {
        const seen = running()
        if (seen) ({id: batch, rows_read: committed} = seen)
      } catch {
        // its tables do not exist yet
      }
    }
    child.kill('SIGKILL')
    await exited
  }, 180_000)
  afterAll(() => book.cleanup())

  it('was killed after a commit and before the end (else the test proves nothing)', () => {
    expect(committed).toBeGreaterThan(0)
    expect(committed).toBeLessThan(ROWS)
  })

  it('kept exactly the rows of its commits: its batch says how many, and they are all stored', () => {
    const {rowsRead, customers} = onBook(book, (db) => ({
      rowsRead: Number(db.value('SELECT rows_read FROM import_batches WHERE id = $1', [batch])),
      customers: Number(db.value('SELECT count(*) FROM customers')),
    }))
    expect(rowsRead).toBeGreaterThanOrEqual(committed)
    expect(customers).toBe(rowsRead)
  })

  it('the same import again completes it, naming the batch, and its counts add up', () => {
    const kept = onBook(book, (db) => Number(db.value('SELECT count(*) FROM customers')))
    const result = crm(['customer', 'import', big, '--db', book.db, '--json'])
    expectHandled(result, 0)
    const report = json<Record<string, number>>(result)
    expect(report.completes_batch).toBe(batch)
    expect(report.read).toBe(ROWS)
    expect({inserted: report.inserted, updated: report.updated, unchanged: report.unchanged}).toEqual({
      inserted: ROWS - kept,
      updated: 0,
      unchanged: kept,
    })
    expect(report.aum_stored).toBe(report.aum_read)
    const statuses = onBook(book, (db) => db.rows('SELECT status, rows_read FROM import_batches ORDER BY id'))
    expect(statuses).toEqual([
      ['interrupted', kept],
      ['complete', ROWS],
    ])
  })
})

describePostgres('two customer imports of overlapping files at once', () => {
  const EACH = 60_000
  let book: Book
  const results: {code: number; stdout: string; stderr: string}[] = []

  beforeAll(async () => {
    book = POSTGRES.book()
    // C0 … C59999, then C30000 … C89999 with other amounts: 30,000 customers in both files.
    const write = (name: string, from: number, aum: (i: number) => number) => {
      const lines = ['customer_id,name,type,aum']
      for (let i = from; i < from + EACH; i++) lines.push(`C${i},N${i},individual,${aum(i)}`)
      const path = join(book.dir, name)
      writeFileSync(path, `${lines.join('\n')}\n`)
      return path
    }
    const one = write('one.csv', 0, (i) => i)
    const two = write('two.csv', EACH / 2, (i) => i + 1)
    results.push(...(await Promise.all([importInBackground(one, book), importInBackground(two, book)])))
  }, 240_000)
  afterAll(() => book.cleanup())

  it('both finish, each accounting for every row it read', () => {
    for (const result of results) {
      expectHandled(result, 0)
      const r = json<Record<string, number>>(result)
      expect(r.inserted + r.updated + r.unchanged).toBe(EACH)
      expect(r.aum_stored).toBe(r.aum_read)
    }
  })

  it('their counts add up: each customer inserted once, each shared one updated once by the later import', () => {
    const reports = results.map((r) => json<Record<string, number>>(r))
    const sum = (key: string) => reports.reduce((total, r) => total + r[key], 0)
    expect({inserted: sum('inserted'), updated: sum('updated'), unchanged: sum('unchanged')}).toEqual({
      inserted: EACH * 1.5,
      updated: EACH / 2,
      unchanged: 0,
    })
    const stored = onBook(book, (db) => ({
      customers: Number(db.value('SELECT count(*) FROM customers')),
      journalled: Number(db.value('SELECT count(*) FROM customer_changes')),
    }))
    expect(stored).toEqual({customers: EACH * 1.5, journalled: EACH / 2})
  })
})

describePostgres('a kept column with a NUL character', () => {
  let book: Book
  beforeAll(() => {
    book = POSTGRES.book()
  })
  afterAll(() => book.cleanup())

  it('is refused as bad input (exit 3), saying why, where SQLite keeps it: jsonb cannot hold \\u0000', () => {
    const path = join(book.dir, 'nul.csv')
    writeFileSync(path, 'customer_id,name,type,note\nC1,A,individual,x\u0000y\n')
    const result = crm(['customer', 'import', path, '--db', book.db])
    expectHandled(result, 3)
    expect(result.stderr).toContain('a row holds a character a PostgreSQL book cannot store')
  })
})
