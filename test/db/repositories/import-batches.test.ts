import {spawnSync} from 'node:child_process'
import {hostname} from 'node:os'
import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {MIGRATIONS, migrate} from '../../../src/db/migrations.js'
import {currentStatus, importBatchRepository} from '../../../src/db/repositories/import-batches.js'

/** The pid of a process that has exited (a child that ran and was waited for). */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!

const batch = (
  db: Database.Database,
  values: {
    status?: string
    host?: string | null
    pid?: number | null
    file?: string
    size?: number | null
    read?: number
  },
) =>
  Number(
    db
      .prepare(`INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, status, host, pid, file_size, rows_read)
    VALUES ('customers', @file, '', 'upsert', 'test', '2026-11-28T00:00:00Z', @status, @host, @pid, @size, @read)`)
      .run({
        status: 'running',
        host: hostname(),
        pid: process.pid,
        file: 'book.csv',
        size: 1000,
        read: 50_000,
        ...values,
      }).lastInsertRowid,
  )

const statusOf = (db: Database.Database, id: number) =>
  db.prepare('SELECT status FROM import_batches WHERE id = ?').pluck().get(id)

describe('import batches cut short', () => {
  it('are interrupted when their process is gone from this host, and running while it lives', () => {
    expect(currentStatus({status: 'running', host: hostname(), pid: deadPid()})).toBe('interrupted')
    expect(currentStatus({status: 'running', host: hostname(), pid: process.pid})).toBe('running')
    expect(currentStatus({status: 'running', host: 'another-host', pid: deadPid()})).toBe('running')
    expect(currentStatus({status: 'complete', host: hostname(), pid: deadPid()})).toBe('complete')
  })

  it('are stored as interrupted at the next import start, keeping the rows of their last commit', () => {
    const db = new Database(':memory:')
    migrate(db)
    const gone = batch(db, {pid: deadPid()})
    const alive = batch(db, {})
    const elsewhere = batch(db, {host: 'another-host', pid: 1})
    importBatchRepository(db, 'customers').markInterrupted()
    expect([statusOf(db, gone), statusOf(db, alive), statusOf(db, elsewhere)]).toEqual([
      'interrupted',
      'running',
      'running',
    ])
    expect(db.prepare('SELECT rows_read FROM import_batches WHERE id = ?').pluck().get(gone)).toBe(50_000)
  })

  it('are completed by the next import of a file with the same name and size, and only while they are the last of it', () => {
    const db = new Database(':memory:')
    migrate(db)
    const batches = importBatchRepository(db, 'customers')
    const cut = batch(db, {status: 'interrupted', read: 150_000})
    expect(batches.interruptedImportOf('book.csv', 1000)).toEqual({id: cut, rowsRead: 150_000})
    expect(batches.interruptedImportOf('book.csv', 999)).toBeUndefined()
    expect(batches.interruptedImportOf('other.csv', 1000)).toBeUndefined()
    expect(batches.interruptedImportOf('stdin', null)).toBeUndefined()
    batch(db, {status: 'complete'})
    expect(batches.interruptedImportOf('book.csv', 1000)).toBeUndefined()
  })
})

describe('migration 5', () => {
  it('keeps every batch, and takes a batch an older crm left running as interrupted', () => {
    const db = new Database(':memory:')
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 5),
    )
    db.exec(`INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, finished_at, status, rows_read, inserted)
      VALUES ('customers', 'a.csv', 'abc', 'upsert', 'x', '2026-01-01', '2026-01-01', 'complete', 10, 10),
             ('customers', 'b.csv', '', 'upsert', 'x', '2026-01-02', NULL, 'running', 151108, 151108)`)
    migrate(db)
    expect(
      db.prepare('SELECT file_name, status, rows_read, inserted, host FROM import_batches ORDER BY id').all(),
    ).toEqual([
      {file_name: 'a.csv', status: 'complete', rows_read: 10, inserted: 10, host: null},
      {file_name: 'b.csv', status: 'interrupted', rows_read: 151108, inserted: 151108, host: null},
    ])
  })
})
