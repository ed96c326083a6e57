import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, describe, expect, it} from 'vitest'
import {generateCustomers} from '../../bench/generate.js'
import {describeBackends} from '../helpers/backends.js'
import {bookExec, bookRows, importsInto} from '../helpers/book-sql.js'
import {BIN, type CliResult, crm, crmAsync, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'
import {scratchIn} from '../helpers/scratch.js'

// h1: import history and undo (issue 17, section 1), on a SQLite file and on a PostgreSQL schema (issue 18): the cases
// that import are skipped on PostgreSQL, loudly, while crm does not import into a PostgreSQL book yet (importsInto).

const temp = tempDir()
afterAll(() => temp.cleanup())
const scratch = scratchIn(temp.dir)

const BOOK =
  'customer_id,name,type,id_number,branch,rm,aum\n' +
  'C1,王芳,个人,11010519491231002X,B1,RM1,100\n' +
  'C2,李四,个人,,B1,RM1,200\n' +
  'C3,某公司,企业,,B2,RM2,300\n'
// Changes C1's branch and aum, leaves C2 alone, adds C4.
const UPDATE = 'customer_id,name,type,branch,aum\nC1,王芳,个人,B9,150\nC2,李四,个人,B1,200\nC4,赵六,个人,B2,400\n'

function run(db: string, ...args: string[]): CliResult {
  return crm([...args, '--db', db])
}

function ok(result: CliResult): CliResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
  return result
}

/** Everything an undo may touch, read straight from the book: customers, contacts, journal and batches. */
function snapshot(db: string): string {
  const rows = (sql: string) => JSON.stringify(bookRows<Record<string, unknown>>(db, sql).map(Object.values))
  return [
    rows('SELECT * FROM customers ORDER BY id'),
    rows('SELECT * FROM contacts ORDER BY id'),
    rows('SELECT * FROM customer_changes ORDER BY id'),
    rows('SELECT id, status, undone_at FROM import_batches ORDER BY id'),
  ].join('\n')
}

const query = bookRows

describeBackends('import history and undo', (backend) => {
  const books: {cleanup: () => void}[] = []
  afterAll(() => {
    for (const book of books) book.cleanup()
  })
  /** A new book of this backend: a SQLite file, or a fresh PostgreSQL schema. */
  function newBook(): string {
    const book = backend.book()
    books.push(book)
    return book.db
  }

  /** A book of BOOK (batch 1) and UPDATE (batch 2). */
  function twoBatches(): {db: string; before: string} {
    const db = newBook()
    ok(run(db, 'customer', 'import', scratch.file('book.csv', BOOK)))
    const before = snapshot(db)
    ok(run(db, 'customer', 'import', scratch.file('update.csv', UPDATE)))
    return {db, before}
  }

  const imports = importsInto(backend) ? describe : describe.skip

  imports('the journal an import writes', () => {
    it('holds, per updated customer, the old values of the fields that changed and nothing for the others', () => {
      const {db} = twoBatches()
      const journal = query<{customer_id: string; batch_id: number; old_values: string}>(
        db,
        backend.name === 'postgres'
          ? 'SELECT customer_id, batch_id, old_values FROM customer_changes'
          : 'SELECT c.customer_id, j.batch_id, j.old_values FROM customer_changes j JOIN customers c ON c.id = j.customer_ref',
      )
      expect(journal).toEqual([{customer_id: 'C1', batch_id: 2, old_values: expect.any(String)}])
      expect(JSON.parse(journal[0].old_values)).toEqual({branch: 'B1', aum_fen: 10000, updated_batch_id: 1})
    })

    it('gets no row from a re-import of an unchanged file', () => {
      const db = newBook()
      const book = scratch.file('book.csv', BOOK)
      ok(run(db, 'customer', 'import', book))
      ok(run(db, 'customer', 'import', book))
      expect(query(db, 'SELECT * FROM customer_changes')).toEqual([])
    })

    it('keeps the value from before the batch when the file repeats a customer', () => {
      const db = newBook()
      ok(run(db, 'customer', 'import', scratch.file('book.csv', BOOK)))
      const twice = 'customer_id,name,type,branch\nC2,李四,个人,B5\nC2,李四,个人,B6\n'
      ok(run(db, 'customer', 'import', scratch.file('twice.csv', twice)))
      const [row] = query<{old_values: string}>(db, 'SELECT old_values FROM customer_changes')
      expect(JSON.parse(row.old_values)).toEqual({branch: 'B1', updated_batch_id: 1})
    })
  })

  imports('crm import list and show', () => {
    it('lists every batch with its file, sha256, counts and status, newest first, as JSON, CSV and a table', () => {
      const {db} = twoBatches()
      const list = json<any[]>(ok(run(db, 'import', 'list', '--json')))
      expect(list.map((b) => [b.id, b.kind, b.file.endsWith('update.csv'), b.status, b.inserted, b.updated])).toEqual([
        [2, 'customers', true, 'complete', 1, 1],
        [1, 'customers', false, 'complete', 3, 0],
      ])
      expect(list[0].sha256).toMatch(/^[0-9a-f]{64}$/)
      const csv = ok(run(db, 'import', 'list', '--format', 'csv'))
        .stdout.trim()
        .split('\n')
      expect(csv).toHaveLength(3)
      expect(csv[0]).toContain('sha256')
      const table = ok(run(db, 'import', 'list', '--format', 'table')).stdout
      expect(table).toContain(list[0].sha256.slice(0, 12))
      expect(table).not.toContain(list[0].sha256)
    })

    it('shows a batch with its first rejected rows, personal values masked', () => {
      const db = newBook()
      const bad =
        'customer_id,name,type,id_number,phone\nC1,王芳,个人,11010519491231002X,13812345678\n' +
        'C2,李四,个人,110105194912310029,13812345678\nC3,张三,个人,,1381234567899\n'
      const imported = run(db, 'customer', 'import', scratch.file('bad.csv', bad))
      expectHandled(imported, 3)
      const shown = json<any>(ok(run(db, 'import', 'show', '1', '--json')))
      expect(shown.rejected).toBe(2)
      expect(shown.reject_examples.map((e: any) => e.line)).toEqual([3, 4])
      const text = ok(run(db, 'import', 'show', '1')).stdout
      expect(text).toContain('line 3')
      expect(`${text}${JSON.stringify(shown)}`).not.toContain('110105194912310029')
      expect(`${text}${JSON.stringify(shown)}`).not.toContain('1381234567899')
    })

    it.each([
      [['99'], 4],
      [['0'], 2],
      [['-1'], 2],
      [['abc'], 2],
      [['０'], 2],
      [['3.1E+17'], 2],
    ])('refuses import show %j with a clear error (exit %i)', (args, exit) => {
      const {db} = twoBatches()
      expectHandled(run(db, 'import', 'show', ...args), exit)
    })
  })

  imports('crm import undo', () => {
    it('removes what the batch added and puts back what it changed, exactly', () => {
      const {db, before} = twoBatches()
      const result = json<any>(ok(run(db, 'import', 'undo', '2', '--json')))
      expect(result).toMatchObject({batch: 2, removed_customers: 1, restored_customers: 1, dry_run: false})
      const after = snapshot(db).split('\n')
      const expected = before.split('\n')
      // Customers and contacts as they were; the journal of the undone batch is gone (what remains is the undo's own:
      // the values it overwrote, under its audit entry); the batch is undone.
      expect(after.slice(0, 2)).toEqual(expected.slice(0, 2))
      expect(query(db, 'SELECT * FROM customer_changes WHERE batch_id IS NOT NULL OR audit_id IS NULL')).toEqual([])
      expect(json<any[]>(ok(run(db, 'import', 'list', '--json')))[0]).toMatchObject({id: 2, status: 'undone'})
      const audit = query<{rows: number; details: string}>(
        db,
        "SELECT rows, details FROM audit_log WHERE action = 'import.undo'",
      )
      expect(audit).toHaveLength(1)
      expect(JSON.parse(audit[0].details)).toMatchObject({batch: 2, removedCustomers: 1, restoredCustomers: 1})
    })

    it('lets the same file be imported again after the undo, with the same ids, not as "already imported"', () => {
      const {db} = twoBatches()
      ok(run(db, 'import', 'undo', '2'))
      const again = json<any>(ok(run(db, 'customer', 'import', scratch.file('update.csv', UPDATE), '--json')))
      expect(again).toMatchObject({inserted: 1, updated: 1, same_file_as_batch: null})
    })

    it('--dry-run says what it would do and changes nothing', () => {
      const {db} = twoBatches()
      const was = snapshot(db)
      const dry = json<any>(ok(run(db, 'import', 'undo', '2', '--dry-run', '--json')))
      expect(dry).toMatchObject({dry_run: true, removed_customers: 1, restored_customers: 1})
      expect(snapshot(db)).toBe(was)
      expect(query(db, "SELECT * FROM audit_log WHERE action = 'import.undo'")).toEqual([])
    })

    it('refuses to undo a batch twice', () => {
      const {db} = twoBatches()
      ok(run(db, 'import', 'undo', '2'))
      const was = snapshot(db)
      const twice = run(db, 'import', 'undo', '2')
      expectHandled(twice, 2)
      expect(twice.stderr).toContain('undone already')
      expect(snapshot(db)).toBe(was)
    })

    it.each([
      [['99'], 4],
      [['abc'], 2],
      [['０'], 2],
      [['2', '--force', 'extra'], 2],
    ])('refuses import undo %j with a clear error (exit %i)', (args, exit) => {
      const {db} = twoBatches()
      const was = snapshot(db)
      expectHandled(run(db, 'import', 'undo', ...args), exit)
      expect(snapshot(db)).toBe(was)
    })

    it('refuses, naming the customer masked, when a later import changed the same customer; --force undoes it', () => {
      const {db, before} = twoBatches()
      ok(run(db, 'customer', 'import', scratch.file('later.csv', 'customer_id,name,type,branch\nC1,王芳,个人,B7\n')))
      const was = snapshot(db)
      const refused = run(db, 'import', 'undo', '2')
      expectHandled(refused, 3)
      expect(refused.stderr).toContain('C1 王*')
      expect(refused.stderr).not.toContain('王芳')
      expect(refused.stderr).toContain('--force')
      expect(snapshot(db)).toBe(was)
      const forced = json<any>(ok(run(db, 'import', 'undo', '2', '--force', '--json')))
      expect(forced).toMatchObject({forced: true, later_changes: 1, restored_customers: 1})
      expect(forced.later_change_examples).toEqual([{customer_id: 'C1', name: '王*', reasons: ['changed']}])
      // C1 is as before batch 2 (branch B1, aum 100); batch 3's later row has its own journal still.
      expect(snapshot(db).split('\n')[0]).toBe(before.split('\n')[0])
    })

    it('refuses when a contact was logged for a customer the batch added, and --force keeps that customer as deleted', () => {
      const {db} = twoBatches()
      const contact = 'customer_id,at,channel,direction,purpose\nC4,2026-11-20 10:00,phone,out,review\n'
      ok(run(db, 'contact', 'import', scratch.file('c4.csv', contact)))
      expectHandled(run(db, 'import', 'undo', '2'), 3)
      const forced = json<any>(ok(run(db, 'import', 'undo', '2', '--force', '--json')))
      expect(forced).toMatchObject({removed_customers: 0, kept_as_deleted: 1})
      const [c4] = query<{deleted_at: string | null}>(db, "SELECT deleted_at FROM customers WHERE customer_id = 'C4'")
      expect(c4.deleted_at).not.toBeNull()
    })

    it("never brings an erased customer's personal fields back, even with --force", () => {
      const db = newBook()
      const book = 'customer_id,name,type,phone,branch\nC1,王芳,个人,13812345678,B1\nC2,李四,个人,,B1\n'
      ok(run(db, 'customer', 'import', scratch.file('book.csv', book)))
      const update = 'customer_id,name,type,phone,branch\nC1,王芳,个人,13900001111,B2\nC2,李四,个人,,B1\n'
      ok(run(db, 'customer', 'import', scratch.file('update.csv', update)))
      // An erase as the day-two conventions define it: personal fields blanked, erased_at set.
      bookExec(
        db,
        "UPDATE customers SET name = '', phone = NULL, erased_at = '2026-11-30T00:00:00Z' WHERE customer_id = 'C1'",
      )
      const refused = run(db, 'import', 'undo', '2')
      expectHandled(refused, 3)
      expect(refused.stderr).toContain('erased')
      expect(refused.stderr).not.toContain('13812345678')
      ok(run(db, 'import', 'undo', '2', '--force'))
      const [c1] = query<{name: string; phone: string | null; branch: string}>(
        db,
        "SELECT name, phone, branch FROM customers WHERE customer_id = 'C1'",
      )
      expect(c1).toEqual({name: '', phone: null, branch: 'B1'})
    })

    it('refuses when the customer was classified after the batch', () => {
      const {db} = twoBatches()
      ok(run(db, 'classify', '--scheme', 'retail-aum', '--as-of', '2026-11-28'))
      const refused = run(db, 'import', 'undo', '2')
      expectHandled(refused, 3)
      expect(refused.stderr).toContain('classified')
    })

    it('undoes a contact batch: removes its contacts and reopens the follow-ups they closed', () => {
      const db = newBook()
      ok(run(db, 'customer', 'import', scratch.file('book.csv', BOOK)))
      const first =
        'customer_id,at,channel,direction,purpose,follow_up_on\nC2,2026-11-20 10:00,phone,out,review,2026-11-25\n'
      ok(run(db, 'contact', 'import', scratch.file('first.csv', first)))
      const answer = 'customer_id,at,channel,direction,purpose\nC2,2026-11-22 10:00,phone,out,review\n'
      const answered = json<any>(ok(run(db, 'contact', 'import', scratch.file('answer.csv', answer), '--json')))
      expect(answered.closed_follow_ups).toBe(1)
      const undone = json<any>(ok(run(db, 'import', 'undo', String(answered.batch_id), '--json')))
      expect(undone).toMatchObject({kind: 'contacts', removed_contacts: 1, reopened_follow_ups: 1})
      const due = query<{follow_up_closed_at: string | null; follow_up_closed_by: number | null}>(
        db,
        'SELECT follow_up_closed_at, follow_up_closed_by FROM contacts',
      )
      expect(due).toEqual([{follow_up_closed_at: null, follow_up_closed_by: null}])
    })

    it('undoes an interrupted batch (its status set as a killed import leaves it)', () => {
      const {db, before} = twoBatches()
      bookExec(db, "UPDATE import_batches SET status = 'interrupted', finished_at = NULL WHERE id = 2")
      expect(json<any[]>(ok(run(db, 'import', 'list', '--json')))[0].status).toBe('interrupted')
      ok(run(db, 'import', 'undo', '2'))
      expect(snapshot(db).split('\n')[0]).toBe(before.split('\n')[0])
    })
  })

  imports('the identity guard and a dry run of an upsert', () => {
    // Churn_Modelling.csv (real, public) keyed on its RowNumber, then the same customers sorted by surname and numbered
    // again: the row numbers now point at other customers, the wrong-id-column case the guard is for.
    const real = readFileSync(join(ROOT, 'test/fixtures/Churn_Modelling.csv'), 'utf8').trim().split(/\r?\n/)
    const header = real[0]
    const resorted = [...real.slice(1)]
      .map((line) => line.split(','))
      .sort((a, b) => (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0))
      .map((cells, i) => [String(i + 1), ...cells.slice(1)].join(','))
    const keyedOnRow = [
      '--mapping',
      'data/mappings/churn-modelling.json',
      '--map',
      'RowNumber=customer_id',
      '--map',
      'CustomerId=-',
    ]

    function churnBook(): string {
      const db = newBook()
      ok(run(db, 'customer', 'import', join(ROOT, 'test/fixtures/Churn_Modelling.csv'), ...keyedOnRow))
      return db
    }

    it('stops the import before anything is written, naming the column and the counts', () => {
      const db = churnBook()
      const was = snapshot(db)
      const wrong = scratch.file('resorted.csv', [header, ...resorted].join('\r\n'))
      const stopped = run(db, 'customer', 'import', wrong, ...keyedOnRow)
      expectHandled(stopped, 3)
      expect(stopped.stderr).toMatch(
        /of the [\d,]+ existing customers in the first [\d,]+ rows would change name \(column "Surname"\)/,
      )
      expect(stopped.stderr).toContain('column "RowNumber"')
      expect(stopped.stderr).toContain('--allow-identity-changes')
      expect(snapshot(db)).toBe(was)
      expect(json<any[]>(ok(run(db, 'import', 'list', '--json')))).toHaveLength(1)
    })

    it('stops it too when the file comes down a slow pipe, committing nothing while it waits for input', () => {
      const db = churnBook()
      const was = snapshot(db)
      const wrong = scratch.file('resorted.csv', [header, ...resorted].join('\r\n'))
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script's ${@:5}
      const script = '"$1" "$2" "$3" | "$1" "$4" "${@:5}"'
      const piped = spawnSync(
        'bash',
        [
          '-c',
          script,
          'bash',
          process.execPath,
          join(ROOT, 'test/helpers/slow-writer.mjs'),
          wrong,
          BIN,
          'customer',
          'import',
          '-',
          '--db',
          db,
          ...keyedOnRow,
        ],
        {cwd: ROOT, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}},
      )
      expectHandled({code: piped.status ?? -1, stdout: piped.stdout, stderr: piped.stderr}, 3)
      expect(piped.stderr).toContain('would change name')
      expect(snapshot(db)).toBe(was)
    })

    it('a dry run lists the changes per field with masked examples, and says the import would stop', () => {
      const db = churnBook()
      const wrong = scratch.file('resorted.csv', [header, ...resorted].join('\r\n'))
      const dry = json<any>(ok(run(db, 'customer', 'import', wrong, ...keyedOnRow, '--dry-run', '--json')))
      const name = dry.changes.find((c: any) => c.field === 'name')
      expect(name.count).toBeGreaterThan(9_000)
      expect(name.examples).toHaveLength(3)
      // Surnames of individuals are masked (first character kept).
      const stored = new Map(real.slice(1).map((l) => [l.split(',')[0], l.split(',')[2]]))
      for (const e of name.examples) {
        expect(e.from).not.toBe(stored.get(e.customer_id))
        expect(e.from[0]).toBe(stored.get(e.customer_id)![0])
      }
      expect(dry.identity_stop).toContain('would change name')
      const text = ok(run(db, 'customer', 'import', wrong, ...keyedOnRow, '--dry-run')).stdout
      expect(text).toMatch(/name: [\d,]+ changes, e\.g\. \d+ \S+ → \S+/)
      expect(text).toContain('a real import would stop here')
    })

    it('--reveal shows the examples as stored, and the audit log records it', () => {
      const db = churnBook()
      const wrong = scratch.file('resorted.csv', [header, ...resorted].join('\r\n'))
      const dry = json<any>(ok(run(db, 'customer', 'import', wrong, ...keyedOnRow, '--dry-run', '--reveal', '--json')))
      const e = dry.changes.find((c: any) => c.field === 'name').examples[0]
      const stored = new Map(real.slice(1).map((l) => [l.split(',')[0], l.split(',')[2]]))
      expect(e.from).toBe(stored.get(e.customer_id))
      expect(query(db, "SELECT * FROM audit_log WHERE action = 'customer.reveal'")).toHaveLength(1)
    })

    it('--allow-identity-changes imports it', () => {
      const db = churnBook()
      const wrong = scratch.file('resorted.csv', [header, ...resorted].join('\r\n'))
      const done = json<any>(
        ok(run(db, 'customer', 'import', wrong, ...keyedOnRow, '--allow-identity-changes', '--json')),
      )
      expect(done.updated).toBeGreaterThan(9_000)
    })

    it('lets through a file that renames a few customers (under 5% of those matched)', () => {
      const db = churnBook()
      const renamed = real.map((line, i) => (i >= 1 && i <= 100 ? line.replace(/^(\d+,\d+,)[^,]+/, '$1Renamed') : line))
      const done = json<any>(
        ok(run(db, 'customer', 'import', scratch.file('renamed.csv', renamed.join('\r\n')), ...keyedOnRow, '--json')),
      )
      expect(done.updated).toBe(100)
    })
  })
})

// What is about SQLite files: a file that is empty or missing, and a process killed holding the file's write lock.
describe('import history and undo on a SQLite file', () => {
  it('says there is nothing to list in an empty book', () => {
    const db = scratch.db()
    // An empty file is an empty database (crm gives it its tables); a missing one is not created (below).
    writeFileSync(db, '')
    const result = ok(run(db, 'import', 'list', '--format', 'table'))
    expect(result.stderr).toContain('no imports yet')
  })

  it('does not make a mistyped --db an empty database: read commands say there is none (exit 4)', () => {
    const typo = join(temp.dir, 'typo', 'crm.db')
    for (const args of [
      ['import', 'list'],
      ['import', 'show', '1'],
      ['import', 'undo', '1'],
      ['audit', 'list'],
      ['customer', 'list'],
      ['customer', 'show', 'C1'],
      ['customer', 'export', '--output', join(temp.dir, 'typo-out.csv')],
      ['customer', 'edit', 'C1', '--set', 'rm=RM01'],
      ['customer', 'delete', 'C1'],
      ['customer', 'erase', 'C1'],
      ['contact', 'list'],
      ['contact', 'due'],
      ['contact', 'done', '1'],
      ['classify', 'runs'],
      ['classify', 'show', '1'],
      ['summary'],
      ['db', 'backup', join(temp.dir, 'typo-backup.db')],
    ]) {
      const result = run(typo, ...args)
      expectHandled(result, 4)
      expect(result.stderr, args.join(' ')).toContain(`there is no database at ${typo}`)
      expect(result.stderr).toContain('give its path with --db or CRM_DB')
      expect(existsSync(typo), args.join(' ')).toBe(false)
    }
    // Commands that write data in still create it.
    ok(run(typo, 'customer', 'import', scratch.file('one.csv', BOOK)))
    expect(existsSync(typo)).toBe(true)
  })

  it('killed with kill -9 in the middle of its transaction, leaves the database as it was, or wholly undone', async () => {
    const db = scratch.db()
    const first = join(temp.dir, 'big-1.csv')
    const second = join(temp.dir, 'big-2.csv')
    await generateCustomers({rows: 40_000, seed: 1, out: first, headers: 'en'})
    await generateCustomers({rows: 80_000, seed: 2, out: second, headers: 'en'})
    ok(run(db, 'customer', 'import', first))
    ok(run(db, 'customer', 'import', second, '--allow-identity-changes'))
    const before = snapshot(db)
    const child = crmAsync(['import', 'undo', '2', '--db', db])
    const exited = new Promise((r) => child.on('exit', r))
    // The undo holds the write lock for its whole transaction: once another connection cannot take it, it is inside.
    const probe = new Database(db)
    probe.pragma('busy_timeout = 0')
    let inside = false
    let ended = false
    child.on('exit', () => {
      ended = true
    })
    while (!inside && !ended) {
      try {
        probe.exec('BEGIN IMMEDIATE')
        probe.exec('ROLLBACK')
        await new Promise((r) => setImmediate(r))
      } catch {
        inside = true
      }
    }
    probe.close()
    child.kill('SIGKILL')
    await exited
    expect(inside).toBe(true)
    const check = new Database(db, {readonly: true})
    expect(check.pragma('integrity_check', {simple: true})).toBe('ok')
    const undone = check.prepare('SELECT undone_at FROM import_batches WHERE id = 2').pluck().get()
    check.close()
    if (undone === null) {
      expect(snapshot(db)).toBe(before)
      ok(run(db, 'import', 'undo', '2'))
    }
    const [counts] = query<{n: number}>(db, 'SELECT count(*) AS n FROM customers')
    expect(counts.n).toBe(40_000)
    expect(query(db, 'SELECT * FROM customer_changes WHERE batch_id = 2')).toEqual([])
  }, 180_000)
})
