import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// A database another program has written into: crm says what is wrong and where, and never calls it a bug.
const temp = tempDir()
afterAll(temp.cleanup)
let damaged = ''

beforeAll(() => {
  expect(crm(['customer', 'import', join(ROOT, 'data/customers.csv'), '--db', temp.db, '--json']).code).toBe(0)
  const db = new Database(temp.db)
  // Late in customer_id order, so that a list has written rows before it reaches it; an @ makes the masking read it.
  damaged = db
    .prepare('SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1 OFFSET 1900')
    .pluck()
    .get() as string
  db.prepare('UPDATE customers SET extra = ? WHERE customer_id = ?').run('{"mail": "a@b.example"', damaged)
  db.close()
})

describe('kept columns another program damaged', () => {
  it('fail crm db check, naming the customer', () => {
    const result = crm(['db', 'check', '--db', temp.db])
    expectHandled(result, 3)
    expect(result.stderr).toContain(`the kept columns (extra) of customer ${damaged} are not a JSON object`)
  })

  it('make customer show a data error that names the customer and crm db check', () => {
    const result = crm(['customer', 'show', damaged, '--db', temp.db])
    expectHandled(result, 3)
    expect(result.stderr).toContain(`customer ${damaged} whose kept columns are damaged`)
    expect(result.stderr).toContain('crm db check')
  })

  it('stop a --json list part-way with the error on stderr, leaving the unfinished document unparseable', () => {
    const result = crm(['customer', 'list', '--json', '--db', temp.db])
    expectHandled(result, 3)
    expect(result.stdout.startsWith('[')).toBe(true)
    expect(result.stdout).not.toContain('"error"')
    expect(() => JSON.parse(result.stdout)).toThrow()
    expect(result.stderr).toContain(`customer ${damaged}`)
  })

  it('give a --json error document on stdout when nothing was written yet', () => {
    const result = crm(['customer', 'show', damaged, '--db', temp.db, '--json'])
    expectHandled(result, 3)
    expect((JSON.parse(result.stdout) as {error: {exit: number}}).error.exit).toBe(3)
  })
})
