import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {join} from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {PgDatabase, PgError} from '../../src/db/postgres/connection.js'
import {migratePostgres, schemaVersionPostgres} from '../../src/db/postgres/migrate.js'
import {MIGRATIONS} from '../../src/db/migrations.js'
import {dbTarget} from '../../src/db/target.js'
import {type Book, describePostgres, POSTGRES} from '../helpers/backends.js'
import {ROOT} from '../helpers/cli.js'

const books: Book[] = []
afterAll(() => {
  for (const book of books) book.cleanup()
})

function open(book = POSTGRES.book()): PgDatabase {
  if (!books.includes(book)) books.push(book)
  const target = dbTarget(book.db)
  if (target.kind !== 'postgres') throw new Error('not postgres')
  return new PgDatabase(target)
}

describePostgres('the PostgreSQL connection', () => {
  it('answers queries synchronously, with bigint fen exact past 2^53, and pages a cursor', () => {
    const db = open()
    migratePostgres(db)
    db.exec('CREATE TABLE t (id bigint PRIMARY KEY, at timestamptz DEFAULT now(), extra jsonb)')
    const inserted = db.run<{inserted: boolean}>(
      'INSERT INTO t (id, extra) VALUES ($1, $2), (2, NULL) RETURNING (xmax = 0) AS inserted',
      [9007199254740993n, '{"a": 1}'],
    )
    expect(inserted.changes).toBe(2)
    expect(inserted.rows.every((r) => r.inserted)).toBe(true)
    expect(db.value('SELECT id FROM t WHERE id > 3')).toBe(9007199254740993n)
    expect(db.value('SELECT extra FROM t WHERE id > 3')).toBe('{"a": 1}')
    expect(db.copyFrom('COPY t (id) FROM STDIN', '3\n4\n')).toBe(2)
    db.exec('INSERT INTO t (id) SELECT g FROM generate_series(10, 2509) g')
    const sizes = [...db.pages('SELECT id FROM t ORDER BY id', [], {size: 1000, array: true})].map((p) => p.length)
    expect(sizes).toEqual([1000, 1000, 504])
    // The connection is free again after a cursor left early.
    for (const _ of db.pages('SELECT id FROM t', [], {size: 10})) break
    expect(db.value('SELECT count(*) FROM t')).toBe(2504)
    db.close()
  })

  it('rolls a failed transaction back whole, and says the SQLSTATE', () => {
    const db = open()
    db.exec(`CREATE SCHEMA IF NOT EXISTS "${db.target.schema}"; CREATE TABLE t (id int PRIMARY KEY)`)
    expect(() =>
      db.transaction(() => {
        db.run('INSERT INTO t VALUES (1)')
        db.run('INSERT INTO t VALUES (1)')
      }),
    ).toThrow(PgError)
    try {
      db.run('INSERT INTO t VALUES (2), (2)')
    } catch (error) {
      expect((error as PgError).code).toBe('23505')
    }
    expect(db.value('SELECT count(*) FROM t')).toBe(0)
    db.close()
  })

  it('migrates a new schema once, and the same history reaches the latest version', () => {
    const db = open()
    expect(schemaVersionPostgres(db)).toBeUndefined()
    expect(migratePostgres(db)).toBe(MIGRATIONS.length)
    expect(migratePostgres(db)).toBe(0)
    expect(schemaVersionPostgres(db)).toBe(MIGRATIONS.at(-1)!.version)
    db.close()
  })
})

describePostgres('two crm processes that start together on a new schema', () => {
  it('both find it migrated once, neither fails', async () => {
    const book = POSTGRES.book()
    books.push(book)
    const script = `
      import {openPostgres} from ${JSON.stringify(join(ROOT, 'src/db/connection.ts'))}
      import {dbTarget} from ${JSON.stringify(join(ROOT, 'src/db/target.ts'))}
      openPostgres(dbTarget(process.argv[1])).close()`
    const starts = [0, 1, 2].map(() =>
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, book.db], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    )
    const errors = starts.map((child) => {
      let text = ''
      child.stderr.on('data', (chunk) => {
        text += chunk
      })
      return () => text
    })
    const codes = await Promise.all(starts.map(async (child) => (await once(child, 'exit'))[0]))
    expect(codes, errors.map((e) => e()).join('\n')).toEqual([0, 0, 0])
    const db = open(book)
    expect(schemaVersionPostgres(db)).toBe(MIGRATIONS.at(-1)!.version)
    expect(db.value('SELECT count(*) FROM crm_schema')).toBe(1)
    db.close()
  })
})
