import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {PgDatabase} from '../../src/db/postgres/connection.js'
import {dbTarget} from '../../src/db/target.js'
import {type Book, describePostgres, POSTGRES, TEST_PG_SERVER} from '../helpers/backends.js'
import {BIN, crm, json} from '../helpers/cli.js'

// One PostgreSQL book shared by several people and processes at once (issue 18, "Many users at once").

const READER = 'crm_test_reader'

function sql<R = Record<string, unknown>>(book: Book, text: string, params: unknown[] = []): R[] {
  const target = dbTarget(book.db)
  if (target.kind !== 'postgres') throw new Error('not postgres')
  const db = new PgDatabase(target)
  try {
    return db.all<R>(text, params)
  } finally {
    db.close()
  }
}

/** The same book as another database role sees it. */
function as(role: string, book: Book): string {
  const url = new URL(book.db)
  url.username = role
  return url.href
}

describePostgres('a book shared on PostgreSQL', () => {
  let book: Book

  beforeAll(() => {
    book = POSTGRES.book()
    const imported = crm(['customer', 'import', 'data/customers.csv', '--db', book.db, '--json'])
    expect(imported.code, imported.stderr).toBe(0)
    const schema = dbTarget(book.db).kind === 'postgres' ? new URL(book.db).searchParams.get('schema') : ''
    // Roles belong to the whole server: made once, granted this schema's tables only.
    sql(
      book,
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${READER}') THEN
      CREATE ROLE ${READER} LOGIN; END IF; END $$`,
    )
    sql(
      book,
      `GRANT USAGE ON SCHEMA "${schema}" TO ${READER}; GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO ${READER}`,
    )
  })
  afterAll(() => {
    const schema = new URL(book.db).searchParams.get('schema')
    try {
      sql(
        book,
        `REVOKE ALL ON ALL TABLES IN SCHEMA "${schema}" FROM ${READER}; REVOKE ALL ON SCHEMA "${schema}" FROM ${READER}`,
      )
    } catch {}
    book.cleanup()
  })

  it('lets a read-only role read, and tells it clearly that it may not write, writing nothing', () => {
    const reader = as(READER, book)
    const list = crm(['customer', 'list', '--limit', '3', '--format', 'csv', '--db', reader])
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout.trim().split('\n')).toHaveLength(4)
    const before = sql<{n: number}>(book, 'SELECT count(*)::int AS n FROM contacts')[0].n
    const log = crm([
      'contact',
      'log',
      '--customer',
      'C100000001',
      '--channel',
      'phone',
      '--purpose',
      'review',
      '--db',
      reader,
    ])
    expect(log.code).toBe(3)
    expect(log.stderr).toContain('the database role may read this book but not change it')
    expect(log.stderr).not.toMatch(/internal error/i)
    const load = crm(['customer', 'import', 'data/customers.csv', '--db', reader])
    expect(load.code).toBe(3)
    expect(load.stderr).toContain('may read this book but not change it')
    expect(sql<{n: number}>(book, 'SELECT count(*)::int AS n FROM contacts')[0].n).toBe(before)
  })

  it('records the database role in the audit log beside the OS user', () => {
    const rows = sql<{db_role: string; os_user: string | null}>(
      book,
      "SELECT db_role, os_user FROM audit_log WHERE action LIKE 'customer.import%' ORDER BY id LIMIT 1",
    )
    expect(rows[0]?.db_role).toBe(new URL(TEST_PG_SERVER).username || process.env.USER)
  })

  it('classifies and summarises while contacts are logged from several processes, losing nothing', async () => {
    const ids = ['C100000001', 'C100000002', 'C100000003', 'C100000004']
    const count = () => sql<{n: number}>(book, 'SELECT count(*)::int AS n FROM contacts')[0].n
    const before = count()
    // Each process logs ten contacts a minute apart, so no two are the same contact.
    const loggers = ids.map((id, p) =>
      spawn(
        'sh',
        [
          '-c',
          `for i in 0 1 2 3 4 5 6 7 8 9; do "${process.execPath}" "${BIN}" contact log --customer ${id} --channel phone ` +
            `--purpose review --at "2026-11-2${p} 10:0$i" --db "$BOOK" || exit 1; done`,
        ],
        {env: {...process.env, BOOK: book.db, NO_COLOR: '1'}, stdio: ['ignore', 'ignore', 'pipe']},
      ),
    )
    const runs: number[] = []
    for (let i = 0; i < 2; i++) {
      const run = crm(['classify', '--scheme', 'retail-aum', '--as-of', '2026-11-28', '--json', '--db', book.db])
      expect(run.code, run.stderr).toBe(0)
      runs.push(json<{run: number}>(run).run)
      const summary = crm(['summary', '--run', String(runs.at(-1)), '--format', 'csv', '--db', book.db])
      expect(summary.code, summary.stderr).toBe(0)
    }
    const codes = await Promise.all(loggers.map(async (child) => (await once(child, 'exit'))[0]))
    expect(codes).toEqual([0, 0, 0, 0])
    expect(count()).toBe(before + 40)
    for (const run of runs) {
      const [stored] = sql<{customers: number; results: number}>(
        book,
        'SELECT r.customers::int AS customers, (SELECT count(*)::int FROM classification_results x WHERE x.run_id = r.id) AS results FROM classification_runs r WHERE r.id = $1',
        [run],
      )
      expect(stored.results).toBe(stored.customers)
    }
  })
})
