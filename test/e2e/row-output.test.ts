import {spawn, spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, type CliResult, crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Every command that prints rows goes through one writer (src/io/row-writer.ts): the same columns in every format,
// rows streamed to a slow or vanishing reader, and tables that fit the terminal and show control characters escaped.

const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]
const AS_OF = '2026-11-28'
// A colour, a window title and a clear screen: what a hostile note could hold.
const HOSTILE = '\u001b[31mred\u001b]0;pwned\u0007\u001b[2J\u009b1m'
let run = 0

beforeAll(() => {
  crm(['customer', 'import', join(ROOT, 'data/customers.csv'), ...db])
  crm(['contact', 'import', join(ROOT, 'data/contacts.csv'), ...db])
  run = json<{run: number}>(crm(['classify', '--scheme', 'retail-aum', '--as-of', AS_OF, '--json', ...db])).run
  expect(run).toBeGreaterThan(0)
  expectHandled(
    crm([
      'contact',
      'log',
      '--customer',
      'C100000001',
      '--channel',
      'phone',
      '--purpose',
      'review',
      '--at',
      '2026-11-01 10:00',
      '--note',
      `call back ${HOSTILE}`,
      ...db,
    ]),
    0,
  )
  // Older data, or data written by another program, may hold control characters that import refuses today.
  const sql = new Database(temp.db)
  sql
    .prepare('UPDATE customers SET name = ?, branch = ? WHERE customer_id = ?')
    .run(`王${HOSTILE}`, `支行${HOSTILE}`, 'C100000001')
  // A follow-up already due on the day the tests look from (contact log refuses a date in the past).
  sql
    .prepare(
      "UPDATE contacts SET follow_up_on = '2026-11-20' WHERE customer_id = 'C100000001' AND notes LIKE 'call back%'",
    )
    .run()
  sql.close()
})

/** The fields of each format's first record: CSV and TSV from the header, JSON and NDJSON from the first object. */
function keysOf(format: string, stdout: string): string[] {
  const first = stdout.replace(/^\uFEFF/, '').split(/\r?\n/)[0]
  if (format === 'csv') return first.split(',')
  if (format === 'tsv') return first.split('\t')
  if (format === 'ndjson') return Object.keys(JSON.parse(first))
  return Object.keys((JSON.parse(stdout) as Record<string, unknown>[])[0])
}

describe('every format of a command carries the same columns', () => {
  const commands: [string, string[]][] = [
    ['customer list', ['customer', 'list']],
    ['customer export', ['customer', 'export']],
    ['contact list', ['contact', 'list']],
    ['contact export', ['contact', 'export']],
    ['contact due', ['contact', 'due', '--date', AS_OF]],
    ['classify show', ['classify', 'show', '1']],
    ['classify runs', ['classify', 'runs']],
    [
      'classify check',
      ['classify', 'check', join(ROOT, 'data/customers.csv'), '--scheme', 'retail-aum', '--as-of', AS_OF],
    ],
    ['summary', ['summary', '--scheme', 'retail-aum', '--by', 'branch']],
    ['scheme list', ['scheme', 'list']],
  ]
  it.each(commands)('%s', (_, args) => {
    const keys = ['csv', 'tsv', 'json', 'ndjson'].map((format) => {
      const result = crm([...args, '--format', format, ...db])
      expectHandled(result)
      return keysOf(format, result.stdout)
    })
    expect(keys[0].length).toBeGreaterThan(1)
    for (const k of keys.slice(1)) expect(k).toEqual(keys[0])
  })

  it('contact due --format csv has the cadence columns --json has', () => {
    const csv = keysOf('csv', crm(['contact', 'due', '--date', AS_OF, '--format', 'csv', ...db]).stdout)
    const due = json<{lapsed_cadence: Record<string, unknown>[]}>(
      crm(['contact', 'due', '--date', AS_OF, '--json', ...db]),
    )
    expect(due.lapsed_cadence.length).toBeGreaterThan(0)
    expect(csv).toEqual(Object.keys(due.lapsed_cadence[0]))
    expect(csv).toEqual(expect.arrayContaining(['scheme', 'tier', 'cadence_days', 'days_since_contact']))
  })
})

describe('--json documents are written as they are read', () => {
  it.each([
    [['customer', 'list', '--json'], (d: unknown) => (d as unknown[]).length],
    [['contact', 'list', '--json'], (d: unknown) => (d as unknown[]).length],
    [['classify', 'show', '1', '--json'], (d: unknown) => (d as {results: unknown[]}).results.length],
    [
      ['contact', 'due', '--date', AS_OF, '--json'],
      (d: unknown) => (d as {lapsed_cadence: unknown[]}).lapsed_cadence.length,
    ],
  ])('crm %j is one JSON document, printed once', (args, count) => {
    const result = crm([...args, ...db])
    expectHandled(result, 0)
    expect(count(json(result))).toBeGreaterThan(0)
  })

  it('classify check --json puts the counts after the rows', () => {
    const result = crm([
      'classify',
      'check',
      join(ROOT, 'data/customers.csv'),
      '--scheme',
      'retail-aum',
      '--as-of',
      AS_OF,
      '--json',
    ])
    const doc = json<{scheme: string; rows: unknown[]; read: number}>(result)
    expect(doc.scheme).toBe('retail-aum')
    expect(doc.rows.length).toBe(doc.read)
  })

  it('an error under --json is still one JSON document', () => {
    const result = crm(['classify', 'show', '999', '--json', ...db])
    expectHandled(result, 4)
    expect(json<{error: {exit: number}}>(result).error.exit).toBe(4)
  })
})

describe('a reader that is slow, or goes away', () => {
  it.each([
    'customer list --format csv',
    'customer list --json',
    'contact list --format ndjson',
    'classify show 1 --format tsv',
  ])('crm %s | head -c 10: crm stops with 141, and nothing on stderr', (command) => {
    // crm's stderr is the shell's: all it may hold is the exit code echoed after the pipe.
    const shell = `"${process.execPath}" "${BIN}" ${command} --db "${temp.db}" | head -c 10 > /dev/null; echo "\${PIPESTATUS[0]}" >&2`
    const result = spawnSync('bash', ['-c', shell], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
    expect(result.stderr.trim()).toBe('141')
  })

  it('a reader that takes its time gets every row, as a fast one does', async () => {
    const fast = crm(['customer', 'list', '--format', 'ndjson', '--reveal', ...db]).stdout
    const child = spawn(process.execPath, [BIN, 'customer', 'list', '--format', 'ndjson', '--reveal', ...db], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const chunks: Buffer[] = []
    // Read a chunk, then stop reading for a moment, so the pipe fills and crm has to wait for it.
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      child.stdout.pause()
      setTimeout(() => child.stdout.resume(), 5)
    })
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
    expect(code).toBe(0)
    const slow = Buffer.concat(chunks).toString('utf8')
    expect(slow.length).toBe(fast.length)
    expect(slow === fast).toBe(true)
  })

  it('classify check streams rows from a slow pipe', () => {
    const shell = `"${process.execPath}" test/helpers/slow-writer.mjs data/customers.csv | "${process.execPath}" "${BIN}" classify check --scheme retail-aum --as-of ${AS_OF} --format ndjson`
    const result = spawnSync('bash', ['-c', shell], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {...process.env, NO_COLOR: '1'},
      maxBuffer: 64 * 1024 * 1024,
    })
    const direct = crm([
      'classify',
      'check',
      join(ROOT, 'data/customers.csv'),
      '--scheme',
      'retail-aum',
      '--as-of',
      AS_OF,
      '--format',
      'ndjson',
    ])
    // Compared whole, but reported by size: a diff of 2,000 rows helps nobody.
    expect(result.stdout.length).toBe(direct.stdout.length)
    expect(result.stdout === direct.stdout).toBe(true)
    expect(result.stdout.split('\n').length).toBeGreaterThan(1900)
  })
})

describe('control characters from the data are shown escaped in human output', () => {
  const hostile = (result: CliResult, where: string) => {
    expectHandled(result)
    // NO_COLOR is set, so any ESC or BEL here came from the data.
    expect(`${result.stdout}${result.stderr}`, where).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    expect(`${result.stdout}${result.stderr}`, where).toContain('\\e[31mred')
  }
  it.each([
    ['customer list', ['customer', 'list', '--format', 'table', '--search', 'C100000001']],
    ['customer show', ['customer', 'show', 'C100000001']],
    ['contact list', ['contact', 'list', '--format', 'table', '--customer', 'C100000001']],
    ['contact due', ['contact', 'due', '--date', AS_OF]],
    ['classify explain', ['classify', 'explain', 'C100000001']],
    ['classify show', ['classify', 'show', '1', '--format', 'table', '--limit', '5']],
    ['summary', ['summary', '--scheme', 'retail-aum', '--by', 'branch', '--format', 'table']],
  ])('%s', (where, args) => hostile(crm([...args, ...db]), where))

  it('an error that quotes what was typed', () => {
    const result = crm(['customer', 'show', `X${HOSTILE}`, ...db])
    expectHandled(result, 4)
    expect(result.stderr).not.toContain('\u001b')
    expect(result.stderr).toContain('\\e[31mred')
  })

  it('JSON escapes them by its own rules, and CSV keeps the bytes as stored', () => {
    const shown = crm(['customer', 'show', 'C100000001', '--json', ...db])
    expect(json<{name: string}>(shown).name).toBe(`王${HOSTILE}`)
    expect(crm(['contact', 'list', '--customer', 'C100000001', '--format', 'csv', ...db]).stdout).toContain(HOSTILE)
  })
})

describe('rows for scripts shown on a terminal', () => {
  const onTerminal = (args: readonly string[]) =>
    spawnSync('python3', [join(ROOT, 'test/helpers/pty-run.py'), '[]', '--', process.execPath, BIN, ...args, ...db], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8'},
    })

  it.each([
    ['customer list --format csv', ['customer', 'list', '--format', 'csv', '--search', 'C100000001']],
    ['customer list --format tsv', ['customer', 'list', '--format', 'tsv', '--search', 'C100000001']],
    ['customer list --json', ['customer', 'list', '--json', '--search', 'C100000001']],
    ['contact list --format csv', ['contact', 'list', '--format', 'csv', '--customer', 'C100000001']],
    ['customer show --json', ['customer', 'show', 'C100000001', '--json']],
  ])('%s: control characters escaped, as in a table (a file or a pipe keeps the bytes)', (_, args) => {
    const result = onTerminal(args)
    expect(result.status).toBe(0)
    // The terminal's own line ends (CR LF) aside, nothing from the data may steer it: no ESC, BEL, C1 or bidi override.
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]/)
    // JSON shows them as its own escapes, which read back as the same text.
    expect(result.stdout).toContain(args.includes('--json') ? '\\u001b[31mred' : '\\e[31mred')
    if (args.includes('--json')) expect(result.stdout).toContain('\\u009b1m')
  })
})

describe('a table fits the terminal', () => {
  const pty = (columns: number) =>
    spawnSync(
      'python3',
      [
        join(ROOT, 'test/helpers/pty-run.py'),
        '[]',
        '--',
        process.execPath,
        BIN,
        'customer',
        'list',
        '--limit',
        '20',
        ...db,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {...process.env, NO_COLOR: '1', PTY_COLUMNS: String(columns), LANG: 'en_US.UTF-8'},
      },
    )

  it('shows the columns that fit, the most useful first, and says how to see the rest', () => {
    const result = pty(100)
    expect(result.status).toBe(0)
    const lines = result.stdout.split(/\r?\n/).filter((l) => /[│┌└]/.test(l))
    expect(lines.length).toBeGreaterThan(20)
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100)
    for (const header of ['Customer ID', 'Name', 'Type', 'Branch', 'RM', 'AUM']) expect(result.stdout).toContain(header)
    expect(result.stdout).toMatch(
      /columns do not fit this terminal \([^)]*Loans[^)]*\): use --format csv, or a wider terminal/,
    )
  })

  it('shows every column on a wide terminal', () => {
    const result = pty(250)
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('Loans')
    expect(result.stdout).not.toContain('do not fit')
  })
})

describe('a terminal table keeps to a screenful', () => {
  const onTerminal = (args: string[], database = temp.db) =>
    spawnSync(
      'python3',
      [join(ROOT, 'test/helpers/pty-run.py'), '[]', '--', process.execPath, BIN, ...args, '--db', database],
      {cwd: ROOT, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', PTY_COLUMNS: '200', LANG: 'en_US.UTF-8'}},
    )
  // The lines of the table less its heading.
  const tableRows = (stdout: string) => stdout.split(/\r?\n/).filter((l) => l.startsWith('│')).length - 1

  it('classify check shows the first 100 rows of a big file, counts them all, and says how to see the rest', () => {
    const result = onTerminal([
      'classify',
      'check',
      join(ROOT, 'data/customers.csv'),
      '--scheme',
      'retail-aum',
      '--as-of',
      AS_OF,
    ])
    expect(result.status).toBe(0)
    expect(tableRows(result.stdout)).toBe(100)
    expect(result.stdout).toContain('showing the first 100 of 2,000 rows; use --format csv')
    expect(result.stdout).toMatch(/2,000 rows: [\d,]+ classified/)
    // Piped, every row.
    const piped = crm([
      'classify',
      'check',
      join(ROOT, 'data/customers.csv'),
      '--scheme',
      'retail-aum',
      '--as-of',
      AS_OF,
    ])
    expect(piped.stdout.trim().split('\n')).toHaveLength(2001)
    expect(piped.stderr).not.toContain('showing the first')
  })

  it('classify runs shows the newest 100 runs, and all of them with --limit or piped', () => {
    const many = join(temp.dir, 'many-runs.db')
    const sql = new Database(temp.db)
    sql.exec(`VACUUM INTO '${many.replaceAll("'", "''")}'`)
    sql.close()
    const copy = new Database(many)
    const insert =
      copy.prepare(`INSERT INTO classification_runs (scheme, scheme_version, scheme_hash, scheme_text, tiers, filter, as_of, created_at, actor, customers, skipped)
      SELECT scheme, scheme_version, scheme_hash, scheme_text, tiers, filter, as_of, created_at, actor, customers, skipped FROM classification_runs WHERE id = ?`)
    for (let i = 0; i < 120; i++) insert.run(run)
    copy.close()
    const result = onTerminal(['classify', 'runs'], many)
    expect(result.status).toBe(0)
    expect(tableRows(result.stdout)).toBe(100)
    expect(result.stdout).toContain('showing the newest 100 of 121 runs; use --limit or --format csv')
    const limited = onTerminal(['classify', 'runs', '--limit', '110'], many)
    expect(tableRows(limited.stdout)).toBe(110)
    expect(limited.stdout).not.toContain('showing the newest')
    expect(crm(['classify', 'runs', '--db', many]).stdout.trim().split('\n')).toHaveLength(122)
    expect(json<unknown[]>(crm(['classify', 'runs', '--json', '--db', many]))).toHaveLength(121)
  })

  it('customer list says how many more there are only when there are more than a screenful', () => {
    const book = join(temp.dir, 'hundred.db')
    const file = join(temp.dir, 'hundred.csv')
    const rows = (from: number, n: number) =>
      Array.from({length: n}, (_, i) => `K${String(from + i).padStart(4, '0')},客户${from + i},individual`)
    writeFileSync(file, ['customer_id,name,type', ...rows(0, 100)].join('\n'))
    expectHandled(crm(['customer', 'import', file, '--db', book]), 0)
    const exactly = onTerminal(['customer', 'list'], book)
    expect(tableRows(exactly.stdout)).toBe(100)
    expect(exactly.stdout).not.toContain('showing the first')
    writeFileSync(file, ['customer_id,name,type', ...rows(100, 1)].join('\n'))
    expectHandled(crm(['customer', 'import', file, '--db', book]), 0)
    const more = onTerminal(['customer', 'list'], book)
    expect(tableRows(more.stdout)).toBe(100)
    expect(more.stdout).toContain('showing the first 100 of 101 customers')
  })
})
