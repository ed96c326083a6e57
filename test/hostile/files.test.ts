// Files crm writes never destroy data: backups, exports and reject files are written whole or not at all, never
// over the database or the input, and over an existing file only with --force (or when it is crm's own reject
// file); db check and db info change nothing.
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {parse} from 'csv-parse/sync'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {generateCustomers} from '../../bench/generate.js'
import {MIGRATIONS} from '../../src/db/migrations.js'
import {BIN, type CliResult, crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

const {dir, db, cleanup} = tempDir()
const env = {CRM_DB: db}
const BOOK_ROWS = 60_000
let run = 0

beforeAll(async () => {
  const book = join(dir, 'book.csv')
  await generateCustomers({rows: BOOK_ROWS, seed: 12, out: book, headers: 'en'})
  expect(crm(['customer', 'import', book], {env}).code).toBe(0)
  run = json<{run: number}>(crm(['classify', '-s', 'retail-aum', '--as-of', '2026-11-28', '--json'], {env})).run
}, 180_000)
afterAll(cleanup)

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
let folders = 0
/** A new empty folder inside the test's temporary folder. */
function folder(): string {
  const path = join(dir, `case-${++folders}`)
  mkdirSync(path)
  return path
}
const temporaryFiles = (path: string) => readdirSync(path).filter((name) => name.includes('.tmp'))
/** A generated customer row with a type crm rejects (the third cell; names hold no commas). */
const spoil = (line: string) => line.replace(/^([^,]*,[^,]*,)[^,]*/, '$1外星人')

/** Starts crm without waiting; stdin is a pipe the test may write to (and leave open). */
function start(args: readonly string[], options: {cwd?: string; env?: Record<string, string>} = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? dir,
    env: {...process.env, NO_COLOR: '1', ...env, ...options.env},
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d
  })
  child.stdout.resume()
  child.stdin.on('error', () => {}) // a killed crm leaves what it had not read yet unwritten (EPIPE)
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) =>
    child.on('exit', (code, signal) => resolve({code, signal})),
  )
  return {child, exited, stderr: () => stderr}
}

/** Waits (polling, however long it takes) until crm has opened its temporary file in `path`. */
async function temporaryFileIn(path: string, child: ChildProcess, stderr: () => string): Promise<void> {
  while (temporaryFiles(path).length === 0) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`crm ended before its temporary file appeared:\n${stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('crm db backup', () => {
  it('refuses to write over the database, by its path, through ./x/.. and a symlink, or its -wal and -shm, even with --force', () => {
    const here = folder()
    symlinkSync(db, join(here, 'link.db'))
    const before = sha256(db)
    for (const target of [db, `${dir}/x/../crm.db`, join(here, 'link.db'), `${db}-wal`, `${db}-shm`]) {
      const result = crm(['db', 'backup', target, '--force'], {env})
      expectHandled(result, 2)
      expect(result.stderr).toContain('crm will not write over it')
    }
    expect(sha256(db)).toBe(before)
  })

  it('refuses an empty file name as a usage error (exit 2)', () => {
    for (const name of ['', '  ']) {
      const result = crm(['db', 'backup', name], {env})
      expectHandled(result, 2)
      expect(result.stderr).toContain('the backup needs a file name')
    }
  })

  it('refuses a hard link to the database', () => {
    const hard = join(folder(), 'hard.db')
    linkSync(db, hard)
    const result = crm(['db', 'backup', hard, '--force'], {env})
    expectHandled(result, 2)
    expect(result.stderr).toContain(`is the database ${db}`)
  })

  it('creates a missing folder (owner only) for the backup, as in the README', () => {
    const here = folder()
    const target = join(here, 'backups', '2026', 'crm-2026-11-28.db')
    const result = crm(['db', 'backup', target], {env})
    expectHandled(result, 0)
    expect(statSync(join(here, 'backups')).mode & 0o777).toBe(0o700)
    expect(statSync(join(here, 'backups', '2026')).mode & 0o777).toBe(0o700)
    expect(statSync(target).mode & 0o777).toBe(0o600)
    expectHandled(crm(['db', 'check', '--db', target]), 0)
  })

  it('keeps an existing file unless --force, which replaces it', () => {
    const target = join(folder(), 'old.db')
    writeFileSync(target, 'my notes')
    const refused = crm(['db', 'backup', target], {env})
    expectHandled(refused, 2)
    expect(refused.stderr).toContain('--force')
    expect(readFileSync(target, 'utf8')).toBe('my notes')
    expectHandled(crm(['db', 'backup', target, '--force'], {env}), 0)
    expectHandled(crm(['db', 'check', '--db', target]), 0)
  })

  it('killed (kill -9) while copying, leaves no partial backup, and the same backup then succeeds', async () => {
    const here = folder()
    const target = join(here, 'crm.db')
    const backup = start(['db', 'backup', target])
    await temporaryFileIn(here, backup.child, backup.stderr)
    backup.child.kill('SIGKILL')
    expect((await backup.exited).signal).toBe('SIGKILL')
    expect(existsSync(target)).toBe(false)

    expectHandled(crm(['db', 'backup', target], {env}), 0)
    expectHandled(crm(['db', 'check', '--db', target]), 0)
    // The killed backup's temporary file (a partial copy of the database) is cleared away too.
    expect(readdirSync(here)).toEqual(['crm.db'])
  })

  it('interrupted (Ctrl-C) while copying, removes its temporary file and leaves the older backup as it was', async () => {
    const here = folder()
    const target = join(here, 'crm.db')
    expectHandled(crm(['db', 'backup', target], {env}), 0)
    const before = sha256(target)
    const backup = start(['db', 'backup', target, '--force'])
    await temporaryFileIn(here, backup.child, backup.stderr)
    backup.child.kill('SIGINT')
    expect((await backup.exited).signal).toBe('SIGINT')
    expect(sha256(target)).toBe(before)
    expect(readdirSync(here)).toEqual(['crm.db'])
  })
})

describe('exports', () => {
  it('killed (kill -9) while writing, leave no partial file, and the same export then succeeds', async () => {
    const here = folder()
    const target = join(here, 'book.csv')
    const exporting = start(['customer', 'export', '--output', target])
    await temporaryFileIn(here, exporting.child, exporting.stderr)
    exporting.child.kill('SIGKILL')
    await exporting.exited
    expect(existsSync(target)).toBe(false)

    expectHandled(crm(['customer', 'export', '--output', target], {env}), 0)
    const lines = readFileSync(target, 'utf8').split('\r\n')
    expect(lines[0]).toMatch(/^\uFEFFcustomer_id,name,type,/)
    expect(lines.length).toBe(BOOK_ROWS + 2) // the header, every customer, and the empty string after the last \r\n
    expect(readdirSync(here)).toEqual(['book.csv'])
  })

  it('terminated (SIGTERM) while writing, leave the earlier file as it was', async () => {
    const here = folder()
    const target = join(here, 'book.ndjson')
    writeFileSync(target, '{"earlier": "export"}\n')
    const exporting = start(['customer', 'export', '--format', 'ndjson', '--output', target, '--force'])
    await temporaryFileIn(here, exporting.child, exporting.stderr)
    exporting.child.kill('SIGTERM')
    expect((await exporting.exited).signal).toBe('SIGTERM')
    expect(readFileSync(target, 'utf8')).toBe('{"earlier": "export"}\n')
    expect(readdirSync(here)).toEqual(['book.ndjson'])
  })

  it.each([
    ['customer export', ['customer', 'export']],
    ['contact export', ['contact', 'export']],
    ['classify show', ['classify', 'show', 'RUN']],
  ])('%s refuses an --output that is the database, even with --force', (_, args) => {
    const before = sha256(db)
    const result = crm([...args.map((a) => (a === 'RUN' ? String(run) : a)), '--output', db, '--force'], {env})
    expectHandled(result, 2)
    expect(result.stderr).toContain('crm will not write over it')
    expect(sha256(db)).toBe(before)
  })

  it.each([
    ['customer export', ['customer', 'export']],
    ['contact export', ['contact', 'export']],
    ['classify show', ['classify', 'show', 'RUN']],
  ])('%s keeps an existing --output file unless --force, which replaces it', (_, args) => {
    const target = join(folder(), 'out.csv')
    writeFileSync(target, 'keep me')
    const command = args.map((a) => (a === 'RUN' ? String(run) : a))
    const refused = crm([...command, '--output', target], {env})
    expectHandled(refused, 2)
    expect(refused.stderr).toContain(`${target} already exists`)
    expect(refused.stderr).toContain('--force')
    expect(readFileSync(target, 'utf8')).toBe('keep me')
    expectHandled(crm([...command, '--output', target, '--force'], {env}), 0)
    expect(readFileSync(target, 'utf8')).toMatch(/^\uFEFF\w+,/)
  })
})

describe('reject files', () => {
  const HEADER = 'customer_id,name,type,notes'

  it.each([
    ['customer import', 'customer'],
    ['contact import', 'contact'],
  ])(
    '%s refuses --rejects naming the input (by path, through ./x/.., or a hard link), before reading or writing anything',
    (_, entity) => {
      const here = folder()
      const input = join(here, 'big.csv')
      writeFileSync(
        input,
        entity === 'customer'
          ? `${HEADER}\nC1,A,individual,\nC2,B,alien,\n`
          : 'customer_id,at,channel,purpose\nC1,2026-11-01,phone,review\nC1,2026-02-30,phone,review\n',
      )
      linkSync(input, join(here, 'hard.csv'))
      const before = sha256(input)
      const database = join(here, 'crm.db')
      for (const rejects of [input, `${here}/x/../big.csv`, join(here, 'hard.csv')]) {
        const result = crm([entity, 'import', input, '--rejects', rejects, '--force', '--db', database])
        expectHandled(result, 2)
        expect(result.stderr).toContain('is the file being imported')
      }
      expect(sha256(input)).toBe(before)
      expect(existsSync(database)).toBe(false)
    },
  )

  it('refuses --rejects naming the file that standard input is redirected from', () => {
    const here = folder()
    const input = join(here, 'big.csv')
    writeFileSync(input, `${HEADER}\nC1,A,individual,\nC2,B,alien,\n`)
    const before = sha256(input)
    const fd = openSync(input, 'r')
    const spawned = spawnSync(
      process.execPath,
      [BIN, 'customer', 'import', '-', '--rejects', input, '--db', join(here, 'crm.db')],
      {stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}},
    )
    closeSync(fd)
    const result: CliResult = {code: spawned.status ?? -1, stdout: spawned.stdout, stderr: spawned.stderr}
    expectHandled(result, 2)
    expect(sha256(input)).toBe(before)
  })

  it('refuses --rejects naming the database', () => {
    const here = folder()
    const input = join(here, 'in.csv')
    writeFileSync(input, `${HEADER}\nC2,B,alien,\n`)
    const before = sha256(db)
    const result = crm(['customer', 'import', input, '--rejects', db, '--force'], {env})
    expectHandled(result, 2)
    expect(result.stderr).toContain('crm will not write over it')
    expect(sha256(db)).toBe(before)
  })

  it('refuses a file of someone else at the default reject path, naming it, --force and --rejects', () => {
    const here = folder()
    const input = join(here, 'nightly.csv')
    writeFileSync(input, `${HEADER}\nC1,A,individual,\nC2,B,alien,\n`)
    const theirs = join(here, 'nightly.rejects.csv')
    writeFileSync(theirs, 'customer_id,why\nC9,my own notes\n')
    const database = join(here, 'crm.db')
    const refused = crm(['customer', 'import', input, '--db', database])
    expectHandled(refused, 2)
    expect(refused.stderr).toContain(`${theirs} already exists and is not a reject file crm wrote`)
    expect(refused.stderr).toContain('--rejects')
    expect(refused.stderr).toContain('--force')
    expect(existsSync(database)).toBe(false)
    // A dry run writes no reject file, so it has nothing to refuse.
    expectHandled(crm(['customer', 'import', input, '--db', database, '--dry-run']), 3)
    expect(readFileSync(theirs, 'utf8')).toBe('customer_id,why\nC9,my own notes\n')
    expectHandled(crm(['customer', 'import', input, '--db', database, '--force']), 3)
    expect(readFileSync(theirs, 'utf8')).toMatch(/^reject_line,/)
  })

  it.each([
    ['UTF-8 with a byte-order mark', 'utf8', ',', '\uFEFF'],
    ['GBK with semicolons', 'gbk', ';', ''],
  ])('replaces its own earlier reject file (%s), so a nightly import runs again', (_, encoding, delimiter, bom) => {
    const here = folder()
    const input = join(here, 'nightly.csv')
    const write = (rows: string[]) => {
      const text = `${bom}${['客户号', '客户名称', '客户类型'].join(delimiter)}\n${rows.map((r) => r.replaceAll(',', delimiter)).join('\n')}\n`
      writeFileSync(input, encoding === 'gbk' ? iconv.encode(text, 'gbk') : text)
    }
    const rejects = join(here, 'nightly.rejects.csv')
    const read = () =>
      encoding === 'gbk' ? iconv.decode(readFileSync(rejects), 'gb18030') : readFileSync(rejects, 'utf8')
    const database = join(here, 'crm.db')
    write(['C1,王伟,个人', 'C2,李娜,外星人', 'C3,张强,火星人'])
    expectHandled(crm(['customer', 'import', input, '--db', database]), 3)
    expect(read()).toContain('外星人')
    write(['C1,王伟,个人', 'C4,赵敏,月球人'])
    expectHandled(crm(['customer', 'import', input, '--db', database]), 3)
    const rows = parse(read(), {bom: true, delimiter}) as string[][]
    expect(rows.map((r) => r[3])).toEqual(['客户号', 'C4'])
    expect(readdirSync(here).sort()).toEqual(['crm.db', 'nightly.csv', 'nightly.rejects.csv'])
  })

  it('an import that fails part-way leaves the earlier reject file as it was, and no temporary file', async () => {
    const here = folder()
    const input = join(here, 'broken.csv')
    await generateCustomers({rows: 4000, seed: 4, out: input, headers: 'en'})
    const lines = readFileSync(input, 'utf8').split('\r\n')
    lines[10] = spoil(lines[10])
    // A quote left open in the last row: the import stops at the end of the file, once a block and its rejects are
    // written.
    writeFileSync(input, `${lines.join('\r\n')}\r\nC999,"unclosed\r\n`)
    const rejects = join(here, 'broken.rejects.csv')
    writeFileSync(rejects, 'reject_line,reject_field,reject_reason,customer_id\r\n7,type,yesterday,C7\r\n')
    const result = crm(['customer', 'import', input, '--db', join(here, 'crm.db')])
    expectHandled(result, 3)
    expect(result.stderr).toContain('a quoted field is not closed')
    expect(readFileSync(rejects, 'utf8')).toBe(
      'reject_line,reject_field,reject_reason,customer_id\r\n7,type,yesterday,C7\r\n',
    )
    expect(temporaryFiles(here)).toEqual([])
  })

  it.each(['SIGINT', 'SIGKILL'] as const)(
    'an import stopped by %s leaves the earlier stdin.rejects.csv as it was; run again, it replaces it',
    async (signal) => {
      const here = folder()
      const input = join(here, 'feed.csv')
      await generateCustomers({rows: 6000, seed: 6, out: input, headers: 'en'})
      const lines = readFileSync(input, 'utf8').split('\r\n')
      for (const at of [5, 50, 500]) lines[at] = spoil(lines[at])
      const database = join(here, 'crm.db')
      expectHandled(
        crm(['customer', 'import', '-', '--db', database], {input: `${lines.slice(0, 10).join('\n')}\n`, cwd: here}),
        3,
      )
      const earlier = readFileSync(join(here, 'stdin.rejects.csv'), 'utf8')
      // Feed 4,000 rows and keep standard input open: the import writes its first block's rejects, then waits.
      const importing = start(['customer', 'import', '-', '--db', database], {cwd: here})
      importing.child.stdin.write(`${lines.slice(0, 4001).join('\n')}\n`)
      await temporaryFileIn(here, importing.child, importing.stderr)
      importing.child.kill(signal)
      expect((await importing.exited).signal).toBe(signal)
      expect(readFileSync(join(here, 'stdin.rejects.csv'), 'utf8')).toBe(earlier)
      if (signal === 'SIGINT') expect(temporaryFiles(here)).toEqual([])

      expectHandled(crm(['customer', 'import', '-', '--db', database], {input: lines.join('\n'), cwd: here}), 3)
      const rows = parse(readFileSync(join(here, 'stdin.rejects.csv'), 'utf8'), {bom: true}) as string[][]
      expect(rows.slice(1).map((r) => r[0])).toEqual(['6', '51', '501'])
      expect(temporaryFiles(here)).toEqual([])
    },
  )

  it('a reject file with line breaks and formula cells imports again once fixed, cell for cell', () => {
    const here = folder()
    const input = join(here, 'hostile.csv')
    const cells = [
      ['R1', '=HYPERLINK("http://evil.example","x")', 'alien', 'line1\rline2'],
      ['R2', '@SUM(A1)', 'alien', 'line1\nline2'],
      ['R3', '+1+2', 'alien', 'a\r\nb'],
      ['R4', "'quoted by the user", 'alien', '-12.50'],
      ['R5', '-x', 'alien', '\tindented'],
    ]
    const quote = (c: string) => `"${c.replaceAll('"', '""')}"`
    writeFileSync(input, `${HEADER}\r\n${cells.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`)
    const database = join(here, 'crm.db')
    expectHandled(crm(['customer', 'import', input, '--db', database]), 3)

    const rejects = join(here, 'hostile.rejects.csv')
    const written = parse(readFileSync(rejects, 'utf8'), {bom: true}) as string[][]
    expect(written.map((r) => r.length)).toEqual(Array(6).fill(7))
    expect(written.slice(1).map((r) => r[4])).toEqual([
      '\'=HYPERLINK("http://evil.example","x")',
      "'@SUM(A1)",
      "'+1+2",
      "'quoted by the user",
      "'-x",
    ])
    writeFileSync(rejects, readFileSync(rejects, 'utf8').replaceAll(',alien,', ',individual,'))

    const again = crm(['customer', 'import', rejects, '--db', database, '--json'])
    expectHandled(again, 0)
    expect(json<{inserted: number; rejected: number}>(again)).toMatchObject({inserted: 5, rejected: 0})
    for (const [id, name, , notes] of cells) {
      const customer = json<{name: string; extra: Record<string, string>}>(
        crm(['customer', 'show', id, '--db', database, '--json']),
      )
      expect({name: customer.name, notes: customer.extra.notes}).toEqual({name, notes})
    }
  })

  it('the reject file of an NDJSON input holds plain cells (not "N10" in quotes) and imports again once fixed', () => {
    const here = folder()
    const input = join(here, 'feed.ndjson')
    writeFileSync(
      input,
      [
        '{"customer_id":"N10","name":"A","type":"individual","aum":1234567890123456789}',
        '{"customer_id":"N11","name":"=B","type":"alien","aum":"12.50"}',
      ].join('\n'),
    )
    const database = join(here, 'crm.db')
    expectHandled(crm(['customer', 'import', input, '--db', database]), 3)
    const rejects = join(here, 'feed.rejects.csv')
    const written = parse(readFileSync(rejects, 'utf8'), {bom: true}) as string[][]
    expect(written.slice(1).map((r) => r.slice(3, 6))).toEqual([
      ['N10', 'A', 'individual'],
      ['N11', "'=B", 'alien'],
    ])
    writeFileSync(
      rejects,
      readFileSync(rejects, 'utf8').replaceAll('1234567890123456789', '12345.67').replace(',alien,', ',individual,'),
    )
    const again = crm(['customer', 'import', rejects, '--db', database, '--json'])
    expectHandled(again, 0)
    expect(json<{inserted: number}>(again).inserted).toBe(2)
    expect(json<{name: string}>(crm(['customer', 'show', 'N11', '--db', database, '--json'])).name).toBe('=B')
  })
})

describe('crm db check and db info change nothing', () => {
  /** A file of each kind that is not a sound crm database. */
  function suspects(here: string): Record<string, string> {
    const backup = join(here, 'whole.db')
    expect(crm(['db', 'backup', backup], {env}).code).toBe(0)
    const half = join(here, 'half.db')
    writeFileSync(half, readFileSync(backup).subarray(0, 300_000))
    const empty = join(here, 'empty.db')
    writeFileSync(empty, '')
    const foreign = join(here, 'foreign.db')
    const other = new Database(foreign)
    other.exec('CREATE TABLE notes (text TEXT)')
    other.close()
    const text = join(here, 'notes.txt')
    writeFileSync(text, 'not a database\n')
    const newer = join(here, 'newer.db')
    writeFileSync(newer, readFileSync(backup))
    const future = new Database(newer)
    future.pragma('user_version = 99')
    future.close()
    return {half, empty, foreign, text, newer}
  }

  it.each(['check', 'info'])(
    'db %s reports a half-written, empty, foreign, text or newer file with exit 3, leaving it byte for byte',
    (command) => {
      const here = folder()
      const files = suspects(here)
      const listing = readdirSync(here).sort()
      for (const [kind, file] of Object.entries(files)) {
        const before = sha256(file)
        const result = crm(['db', command, '--db', file])
        expectHandled(result, 3)
        expect(result.stderr, kind).toMatch(
          kind === 'newer'
            ? /newer than this crm/
            : kind === 'half'
              ? /damaged|malformed|integrity/
              : /not a (crm )?database/,
        )
        expect(sha256(file), kind).toBe(before)
      }
      expect(readdirSync(here).sort()).toEqual(listing)
    },
  )

  it('db info reads a database from an older crm without migrating it', () => {
    const file = join(folder(), 'v1.db')
    const old = new Database(file)
    MIGRATIONS[0].up(old)
    old.pragma('user_version = 1')
    old.close()
    const result = crm(['db', 'info', '--db', file, '--json'])
    expectHandled(result, 0)
    expect(json<{schema_version: number}>(result).schema_version).toBe(1)
    const after = new Database(file, {readonly: true})
    expect(after.pragma('user_version', {simple: true})).toBe(1)
    after.close()
  })
})

describe('classify check with a portfolio scheme', () => {
  // It copies standard input to a private temporary file (in TMPDIR) to read the rows twice.
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'interrupted (%s) while reading standard input, removes its copy',
    async (signal) => {
      const here = folder()
      const checking = start(['classify', 'check', '--scheme', 'rfm', '--as-of', '2026-11-28', '--format', 'csv'], {
        env: {TMPDIR: here},
      })
      checking.child.stdin!.write(`${readFileSync(join(dir, 'book.csv'), 'utf8').split('\n', 200).join('\n')}\n`) // and no end: it waits for more
      await temporaryFileIn(here, checking.child, checking.stderr)
      expect(statSync(join(here, temporaryFiles(here)[0])).mode & 0o777).toBe(0o600)
      checking.child.kill(signal)
      expect((await checking.exited).signal).toBe(signal)
      expect(readdirSync(here)).toEqual([])
    },
  )

  it('leaves no copy once done', () => {
    const here = folder()
    const result = crm(['classify', 'check', '--scheme', 'rfm', '--as-of', '2026-11-28', '--format', 'csv'], {
      input: readFileSync(join(dir, 'book.csv')),
      env: {TMPDIR: here},
    })
    expectHandled(result, 0)
    expect(result.stdout.split('\n').length).toBe(BOOK_ROWS + 2)
    expect(readdirSync(here)).toEqual([])
  })
})
