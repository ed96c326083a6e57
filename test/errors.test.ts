import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {
  debugWanted,
  ExitCode,
  errorData,
  restoreHint,
  reviveError,
  sqliteProblem,
  systemProblem,
  UserError,
} from '../src/errors.js'

/** An error as an import's worker thread posts it and the command's thread throws it again. */
const acrossThreads = (error: unknown) => reviveError(structuredClone(errorData(error)))

describe('errors from a worker thread', () => {
  it('keep a user error a user error, with its exit code and hint', () => {
    const error = acrossThreads(new UserError('cannot read x.csv: no such file', ExitCode.BadInput, 'check the path'))
    expect(error).toBeInstanceOf(UserError)
    expect(error).toMatchObject({
      message: 'cannot read x.csv: no such file',
      exitCode: ExitCode.BadInput,
      hint: 'check the path',
    })
  })

  it("keep SQLite's error name and code, which say whether the database is busy, read-only or damaged", () => {
    const db = new Database(':memory:')
    let thrown: unknown
    try {
      db.exec('INSERT INTO nowhere VALUES (1)')
    } catch (error) {
      thrown = error
    }
    db.close()
    const error = acrossThreads(thrown)
    expect(error).not.toBeInstanceOf(UserError)
    expect(error).toMatchObject({name: 'SqliteError', code: 'SQLITE_ERROR', message: 'no such table: nowhere'})
  })

  it('keep a bug a bug, with its stack for DEBUG', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')")
    const error = acrossThreads(bug)
    expect(error).not.toBeInstanceOf(UserError)
    expect(error.name).toBe('TypeError')
    expect(error.stack).toBe(bug.stack)
    expect(acrossThreads('a thrown string').message).toBe('a thrown string')
  })
})

describe('what an error means for the user', () => {
  it.each(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EISDIR', 'ENOENT'])(
    '%s is a file system problem with a hint',
    (code) => {
      expect(systemProblem(code)).toMatchObject({what: expect.any(String), hint: expect.any(String)})
    },
  )

  it.each([
    'SQLITE_FULL',
    'SQLITE_IOERR_WRITE',
    'SQLITE_READONLY_DBMOVED',
    'SQLITE_BUSY',
    'SQLITE_CANTOPEN_ISDIR',
    'SQLITE_NOTADB',
  ])('%s is a database problem with a hint', (code) => {
    expect(sqliteProblem(code)).toMatchObject({what: expect.any(String), hint: expect.any(String)})
  })

  it('says a damaged file is damaged and how to restore a backup over it, and keeps the lock for SQLITE_BUSY', () => {
    expect(sqliteProblem('SQLITE_CORRUPT_INDEX', 'crm.db')).toEqual({
      what: 'the file is damaged',
      hint: restoreHint('crm.db'),
    })
    expect(restoreHint('crm.db')).toMatch(
      /^restore a backup \(crm db backup makes them\) with: crm db restore BACKUP --db crm\.db \(it keeps the damaged file beside it\)/,
    )
    expect(sqliteProblem('SQLITE_BUSY')?.what).toBe('another crm holds its write lock')
  })

  it('leaves other codes to be bugs', () => {
    expect(systemProblem('ERR_INVALID_ARG_TYPE')).toBeUndefined()
    expect(sqliteProblem('SQLITE_MISMATCH')).toBeUndefined()
    expect(sqliteProblem(undefined)).toBeUndefined()
  })

  it.each([
    ['1', true],
    ['true', true],
    ['YES', true],
    ['*', true],
    ['0', false],
    ['false', false],
    ['no', false],
    ['', false],
    [undefined, false],
  ])('DEBUG=%s prints stacks: %s', (value, wanted) => {
    expect(debugWanted(value)).toBe(wanted)
  })
})
