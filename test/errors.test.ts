import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import {errorData, ExitCode, reviveError, UserError} from '../src/errors.js'

/** An error as an import's worker thread posts it and the command's thread throws it again. */
const acrossThreads = (error: unknown) => reviveError(structuredClone(errorData(error)))

describe('errors from a worker thread', () => {
  it('keep a user error a user error, with its exit code and hint', () => {
    const error = acrossThreads(new UserError('cannot read x.csv: no such file', ExitCode.BadInput, 'check the path'))
    expect(error).toBeInstanceOf(UserError)
    expect(error).toMatchObject({message: 'cannot read x.csv: no such file', exitCode: ExitCode.BadInput, hint: 'check the path'})
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
