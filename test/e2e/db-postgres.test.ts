import {MIGRATIONS} from '../../src/db/migrations.js'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {PgDatabase} from '../../src/db/postgres/connection.js'
import {dbTarget} from '../../src/db/target.js'
import {describePostgres, postgresBook} from '../helpers/backends.js'
import {crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'
import {copySqliteBook} from '../helpers/pg-seed.js'

// db info, check, backup and restore on a PostgreSQL book: what a schema on a server has in place of a file.
describePostgres('db commands on a PostgreSQL book', () => {
  const sqlite = tempDir()
  const pg = postgresBook()
  afterAll(() => {
    sqlite.cleanup()
    pg.cleanup()
  })
  /** The book's own connection, to damage it or read what crm wrote. */
  const connect = () => {
    const target = dbTarget(pg.db)
    if (target.kind !== 'postgres') throw new Error('not PostgreSQL')
    return new PgDatabase(target)
  }

  beforeAll(() => {
    expect(crm(['customer', 'import', join(ROOT, 'data/customers.csv'), '--db', sqlite.db]).code).toBe(0)
    copySqliteBook(sqlite.db, pg.db)
  })

  it('db info gives the counts, the schema version, the server and the schema, and no file sizes', () => {
    const info = json<Record<string, any>>(crm(['db', 'info', '--db', pg.db, '--json']))
    expect(info).toMatchObject({
      schema_version: MIGRATIONS.at(-1)!.version,
      counts: {customers: 2000, import_batches: 1},
    })
    expect(info.schema).toMatch(/^crm_test_/)
    expect(info.server_version).toMatch(/^\d+/)
    expect(info).not.toHaveProperty('size_bytes')
    expect(info.last_import).toMatchObject({
      kind: 'customers',
      file: join(ROOT, 'data/customers.csv'),
      status: 'complete',
    })
    expect(crm(['db', 'info', '--db', pg.db]).stdout).toMatch(/server +PostgreSQL \d+.*, schema crm_test_/)
  })

  it('db backup writes a pg_dump archive of the schema, and records it', () => {
    const file = join(sqlite.dir, 'book.dump')
    expectHandled(crm(['db', 'backup', file, '--db', pg.db]), 0)
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP')
    const db = connect()
    try {
      // The audit log names the database role beside the OS user: several people share one server.
      const row = db.get<{action: string; db_role: string; me: string}>(
        'SELECT action, db_role, current_user AS me FROM audit_log ORDER BY id DESC LIMIT 1',
      )
      expect(row).toMatchObject({action: 'db.backup', db_role: row?.me})
    } finally {
      db.close()
    }
  })

  it('db backup without pg_dump on PATH says to use pg_dump, exit 2', () => {
    const result = crm(['db', 'backup', join(sqlite.dir, 'none.dump'), '--db', pg.db], {env: {PATH: '/nonexistent'}})
    expectHandled(result, 2)
    expect(result.stderr).toContain('pg_dump')
  })

  it('db restore is refused, with pg_restore as the way, exit 2', () => {
    const result = crm(['db', 'restore', join(sqlite.dir, 'book.dump'), '--db', pg.db])
    expectHandled(result, 2)
    expect(result.stderr).toContain('pg_restore')
  })

  it('db check passes a sound book, then names kept columns that are not an object and an orphan result, exit 3', () => {
    expectHandled(crm(['db', 'check', '--db', pg.db]), 0)
    const db = connect()
    try {
      db.exec(`UPDATE customers SET extra = '[1]' WHERE customer_id = 'C100000005';
        INSERT INTO classification_runs (id, scheme, scheme_version, scheme_hash, scheme_text, tiers, as_of, created_at,
          actor, customers, skipped) VALUES (1, 's', '1', 'h', 't', '[]', '2026-01-01', now(), 'a', 1, 0);
        INSERT INTO classification_results VALUES ('nobody', 1, 'tier', 'reason')`)
    } finally {
      db.close()
    }
    const result = crm(['db', 'check', '--db', pg.db])
    expectHandled(result, 3)
    expect(result.stderr).toContain('the kept columns (extra) of customer C100000005 are not a JSON object')
    expect(result.stderr).toContain('a result for a missing customer nobody')
  })
})
