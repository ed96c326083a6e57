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
    const failing: Migration[] = [...MIGRATIONS, {version: 999, name: 'broken', up: (d) => { d.exec('CREATE TABLE half (x)'); throw new Error('boom') }}]
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
