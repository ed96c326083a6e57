import {statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, describe, expect, it} from 'vitest'
import {openDatabase} from '../../src/db/connection.js'
import {MIGRATIONS, type Migration, migrate} from '../../src/db/migrations.js'
import {tempDir} from '../helpers/cli.js'

const temp = tempDir()
afterAll(temp.cleanup)

describe('migrations', () => {
  it('have strictly increasing versions', () => {
    const versions = MIGRATIONS.map((m) => m.version)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))
    expect(new Set(versions).size).toBe(versions.length)
  })

  it('run once: a second migrate does nothing', () => {
    const db = new Database(':memory:')
    expect(migrate(db)).toBe(MIGRATIONS.length)
    expect(migrate(db)).toBe(0)
    expect(db.pragma('user_version', {simple: true})).toBe(MIGRATIONS.at(-1)!.version)
  })

  it('do nothing when another crm migrated the same new file in the meantime (two commands started together)', () => {
    const file = join(temp.dir, 'raced.db')
    const late = new Database(file)
    // This connection reads version 0, then the other finishes first and commits the whole schema.
    const realPragma = late.pragma.bind(late)
    let stale = true
    late.pragma = ((source: string, options?: object) => {
      if (stale && source === 'user_version') {
        stale = false
        const first = new Database(file)
        migrate(first)
        first.close()
        return 0
      }
      return realPragma(source, options)
    }) as typeof late.pragma
    expect(migrate(late)).toBe(0)
    expect(realPragma('user_version', {simple: true})).toBe(MIGRATIONS.at(-1)!.version)
    late.close()
  })

  it('leave the schema and user_version as they were when a step fails', () => {
    const db = new Database(':memory:')
    const failing: Migration[] = [
      ...MIGRATIONS,
      {
        version: 999,
        name: 'broken',
        postgres: 'CREATE TABLE half (x int); SELECT 1/0',
        up: (d) => {
          d.exec('CREATE TABLE half (x)')
          throw new Error('boom')
        },
      },
    ]
    migrate(db)
    expect(() => migrate(db, failing)).toThrow('boom')
    expect(db.pragma('user_version', {simple: true})).toBe(MIGRATIONS.at(-1)!.version)
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0)
  })

  it('refuse a database from a newer crm with a clear error (exit 3)', () => {
    const db = new Database(':memory:')
    db.pragma('user_version = 99')
    expect(() => migrate(db)).toThrow(/schema is v99, newer than this crm knows/)
  })
})

describe('migration 6', () => {
  it('upgrades a v5 database with no data lost: contacts gain utc_offset and audit entries os_user, both unknown for older rows', () => {
    const db = new Database(':memory:')
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 5),
    )
    db.exec(`
      INSERT INTO import_batches (id, kind, file_name, sha256, mode, actor, started_at, finished_at, status) VALUES (1, 'customers', 'a.csv', 'x', 'upsert', 'alice', '2026-11-28T01:00:00.000Z', '2026-11-28T01:00:01.000Z', 'complete');
      INSERT INTO customers (customer_id, name, type, aum_fen, deposits_fen, created_batch_id, updated_batch_id) VALUES ('C1', '张三', 'individual', 12345, NULL, 1, 1);
      INSERT INTO contacts (customer_id, at, channel, direction, purpose, notes, notes_key, logged_at) VALUES ('C1', '2026-11-28T09:00:00', 'phone', 'out', 'review', 'hi', 'k', '2026-11-28T01:00:02.000Z');
      INSERT INTO audit_log (at, actor, command, action, rows, details) VALUES ('2026-11-28T01:00:01.000Z', 'alice', 'crm customer import', 'customer.import', 1, '{}');
      INSERT INTO classification_runs (scheme, scheme_version, scheme_hash, scheme_text, tiers, as_of, created_at, actor, customers, skipped) VALUES ('s', '1', 'h', 't', '[]', '2026-11-28', '2026-11-28T01:00:03.000Z', 'alice', 1, 0);
      INSERT INTO classification_results (run_id, customer_ref, tier, reason) VALUES (1, 1, 'mass', 'r');
    `)
    const tables = [
      'import_batches',
      'customers',
      'contacts',
      'audit_log',
      'classification_runs',
      'classification_results',
    ]
    const before = Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()]))
    expect(
      migrate(
        db,
        MIGRATIONS.filter((m) => m.version <= 6),
      ),
    ).toBe(1)
    for (const t of tables) {
      const after = db.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[]
      expect(
        after.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'utc_offset' && k !== 'os_user'))),
      ).toEqual(before[t])
    }
    expect(db.prepare('SELECT utc_offset FROM contacts').pluck().get()).toBeNull()
    expect(db.prepare('SELECT os_user FROM audit_log').pluck().get()).toBeNull()
  })
})

describe('migration 7', () => {
  it('upgrades a v6 database with no data lost: nothing is deleted, erased or undone, and the journal is empty', () => {
    const db = new Database(':memory:')
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 6),
    )
    db.exec(`
      INSERT INTO import_batches (id, kind, file_name, sha256, mode, actor, started_at, finished_at, status) VALUES (1, 'customers', 'a.csv', 'x', 'upsert', 'alice', '2026-11-28T01:00:00.000Z', '2026-11-28T01:00:01.000Z', 'complete');
      INSERT INTO customers (customer_id, name, type, aum_fen, created_batch_id, updated_batch_id) VALUES ('C1', '张三', 'individual', 12345, 1, 1);
      INSERT INTO contacts (customer_id, at, channel, direction, purpose, notes, notes_key, logged_at) VALUES ('C1', '2026-11-28T09:00:00', 'phone', 'out', 'review', 'hi', 'k', '2026-11-28T01:00:02.000Z');
    `)
    const tables = ['import_batches', 'customers', 'contacts']
    const before = Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t}`).all()]))
    expect(migrate(db)).toBe(MIGRATIONS.length - 6)
    const added = new Set(['undone_at', 'deleted_at', 'erased_at'])
    for (const t of tables) {
      const after = db.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[]
      expect(after.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !added.has(k))))).toEqual(before[t])
      for (const row of after) for (const k of added) if (k in row) expect(row[k]).toBeNull()
    }
    expect(db.prepare('SELECT count(*) FROM customer_changes').pluck().get()).toBe(0)
  })
})

describe('openDatabase', () => {
  it('creates the file readable by its owner only, in WAL mode with foreign keys on', () => {
    const file = join(temp.dir, 'nested', 'new.db')
    const db = openDatabase(file)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(db.pragma('journal_mode', {simple: true})).toBe('wal')
    expect(db.pragma('foreign_keys', {simple: true})).toBe(1)
    expect(db.pragma('busy_timeout', {simple: true})).toBeGreaterThan(0)
    db.close()
  })

  it('refuses a file that is not a database', () => {
    const file = join(temp.dir, 'not.db')
    writeFileSync(file, 'hello, this is text and not SQLite at all'.repeat(10))
    expect(() => openDatabase(file)).toThrow(/cannot open the database/)
  })
})
