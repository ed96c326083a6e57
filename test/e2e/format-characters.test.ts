import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Invisible format characters in the data (U+200B zero width space, U+202E right-to-left override, U+2060 word
// joiner, U+FEFF) reach tables and customer show / contact list escaped, as control characters do: an RLO would show
// "gpj.exe" as "exe.jpg", a zero width space makes two names look the same. JSON keeps them as data.
const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]
const NAME = '王\u200b芳'
const BRANCH = '杭州\u2060分行'
const NOTE = 'invoice\u202egpj.exe'
const KEPT = '\ufeffVIP'

beforeAll(() => {
  const file = join(temp.dir, 'book.csv')
  writeFileSync(file, `customer_id,name,type,branch,segment\nF1,王芳,individual,杭州分行,${KEPT}\n`)
  expectHandled(crm(['customer', 'import', file, ...db]), 0)
  // The import now refuses format characters in names and codes; a book stored before it did may still hold them.
  const book = new Database(temp.db)
  book.prepare('UPDATE customers SET name = ?, branch = ? WHERE customer_id = ?').run(NAME, BRANCH, 'F1')
  book.close()
  expectHandled(
    crm(['contact', 'log', '--customer', 'F1', '--channel', 'phone', '--purpose', 'service', '--note', NOTE, ...db]),
    0,
  )
})

const RAW = /[\u200b\u202e\u2060\ufeff]/

/** A command run on a terminal (a pseudo-terminal), where lists are tables. */
const onTerminal = (args: readonly string[]) =>
  spawnSync('python3', [join(ROOT, 'test/helpers/pty-run.py'), '[]', '--', process.execPath, BIN, ...args, ...db], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', PTY_COLUMNS: '200'},
  })

describe('format characters from the data', () => {
  it.each([
    ['customer show', ['customer', 'show', 'F1'], ['王\\u200b芳', '杭州\\u2060分行', '\\ufeffVIP']],
    ['customer list (a table)', ['customer', 'list'], ['王\\u200b芳']],
    ['contact list (a table)', ['contact', 'list'], ['invoice\\u202egpj.exe']],
    ['customer list --json', ['customer', 'list', '--json'], ['王\\u200b芳', '\\ufeffVIP']],
  ])('are escaped on a terminal in %s', (_, args, shown) => {
    const result = onTerminal(args)
    expect(result.status).toBe(0)
    expect(result.stdout).not.toMatch(RAW)
    for (const text of shown) expect(result.stdout).toContain(text)
  })

  it('are escaped in customer show piped, which is for people', () => {
    const result = crm(['customer', 'show', 'F1', ...db])
    expectHandled(result, 0)
    expect(result.stdout).not.toMatch(RAW)
    expect(result.stdout).toContain('王\\u200b芳')
  })

  it('are kept as data in JSON', () => {
    const customers = json<{name: string; branch: string; extra: Record<string, string>}[]>(
      crm(['customer', 'list', '--json', ...db]),
    )
    expect(customers[0]).toMatchObject({name: NAME, branch: BRANCH, extra: {segment: KEPT}})
    const contacts = json<{notes: string}[]>(crm(['contact', 'list', '--json', ...db]))
    expect(contacts[0].notes).toBe(NOTE)
  })
})
