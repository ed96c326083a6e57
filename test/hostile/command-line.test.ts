import {spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {generateCustomers} from '../../bench/generate.js'
import {BIN, crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {crmLater} from '../helpers/cli-async.js'
import {expectHandled} from '../helpers/hostile.js'

// Everything a user can type on the command line gets a clear answer and an exit code that means something:
// never `internal error`, never exit 1.

const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]
const book = join(temp.dir, 'book.csv')

beforeAll(() => {
  writeFileSync(
    book,
    'customer_id,name,type,aum\nC1,王伟,individual,1000\nC2,李娜,individual,700000\nC3,华信有限公司,corporate,9000000\n',
  )
  expect(crm(['customer', 'import', book, ...db]).code).toBe(0)
})

// Cases that only read run side by side: each is a start of node, most of the time these tests take.
describe.concurrent('ids must be positive whole numbers', () => {
  it.each([
    [['contact', 'done', 'abc'], 'the contact id'],
    [['classify', 'show', 'abc'], 'the run number'],
    [['classify', 'show', '1.5'], 'the run number'],
    [['classify', 'delete', '1 OR 1=1'], 'the run number'],
    [['classify', 'delete', '0'], 'the run number'],
    [['classify', 'show', '99999999999999999999'], 'the run number'],
    [['summary', '--run', 'abc'], '--run'],
    [['summary', '--compare', '1', 'x'], '--compare'],
  ])('crm %j is a usage error naming %s', async (args, what) => {
    const result = await crmLater([...args, ...db])
    expectHandled(result, 2)
    expect(result.stderr).toContain(`${what} must be a whole number from 1 to`)
  })

  it('says where the ids are listed', async () => {
    expect((await crmLater(['contact', 'done', 'abc', ...db])).stderr).toContain('crm contact list')
  })

  it('gives the error as JSON under --json', async () => {
    const result = await crmLater(['classify', 'show', 'abc', ...db, '--json'])
    expectHandled(result, 2)
    expect(json<{error: {exit: number; message: string}}>(result).error).toMatchObject({
      exit: 2,
      message: expect.stringContaining('the run number'),
    })
  })
})

describe.concurrent('numeric flags have ranges', () => {
  it.each([
    [['customer', 'list', '--limit', '99999999999999999999'], '--limit must be a whole number from 1 to 1,000,000,000'],
    [['contact', 'list', '--limit', '0'], '--limit must be a whole number from 1'],
    [['classify', 'show', '1', '--limit', '1e3'], '--limit must be a whole number'],
    [['contact', 'due', '--days', '99999999999999999999'], '--days must be a whole number from 0 to 3,650'],
    [['contact', 'due', '--days', '-1'], '--days must be a whole number from 0'],
    [['summary', '--top', '100000'], '--top must be a whole number from 1 to 10,000'],
    [['summary', '--contact-window', '0'], '--contact-window must be a whole number from 1 to 3,650'],
  ])('crm %j is a usage error: %s', async (args, message) => {
    const result = await crmLater([...args, ...db])
    expectHandled(result, 2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).not.toContain('Parsing --')
  })

  it('takes the largest values of the ranges', async () => {
    expectHandled(await crmLater(['contact', 'due', '--days', '3650', ...db]), 0)
    expect(
      json<unknown[]>(await crmLater(['customer', 'list', '--limit', '1000000000', ...db, '--json'])),
    ).toHaveLength(3)
  })
})

describe('--search', () => {
  it('refuses 100,000 characters, saying how long it may be', () => {
    const result = crm(['customer', 'list', '--search', 'x'.repeat(100_000), ...db])
    expectHandled(result, 2)
    expect(result.stderr).toContain('--search is 100,000 characters long, more than the 200 it takes')
  })

  it('takes 200 characters', () => {
    expectHandled(crm(['customer', 'list', '--search', '王'.repeat(200), ...db]), 0)
  })

  it('a customer id of 100,000 characters is not found, without a did-you-mean search', () => {
    expectHandled(crm(['customer', 'show', 'C'.repeat(100_000), ...db]), 4)
  })
})

describe('repeatable flags do not swallow the file', () => {
  const leads = join(temp.dir, 'leads.csv')
  beforeAll(() => writeFileSync(leads, 'Cust No,name,type,aum\nL1,张三,individual,700000\n'))

  it('classify check --map "Cust No=customer_id" FILE reads FILE', () => {
    const result = crm([
      'classify',
      'check',
      '--scheme',
      'retail-aum',
      '--map',
      'Cust No=customer_id',
      leads,
      '--format',
      'csv',
    ])
    expectHandled(result, 0)
    expect(result.stdout).toMatch(/L1,.*,wealth,/)
  })

  it('customer import --map "Cust No=customer_id" FILE imports FILE', () => {
    const result = crm([
      'customer',
      'import',
      '--map',
      'Cust No=customer_id',
      leads,
      '--db',
      join(temp.dir, 'leads.db'),
      '--json',
    ])
    expectHandled(result, 0)
    expect(json(result)).toMatchObject({read: 1, inserted: 1})
  })
})

describe('a missing file argument with rows piped in', () => {
  // oclif would read standard input into a missing argument: the rows would become the file's name.
  it.each([
    ['customer', 'import'],
    ['contact', 'import'],
    ['customer', 'show'],
    ['scheme', 'validate'],
  ])('crm %s %s is a usage error naming the argument', (topic, verb) => {
    const result = crm([topic, verb, ...db], {input: 'customer_id,name,type\nC9,赵六,individual\n'})
    expectHandled(result, 2)
    expect(result.stderr).toMatch(/Missing 1 required arg/)
    expect(result.stderr).not.toContain('赵六')
    // --map is non-greedy here, so oclif's advice to put it after the arguments would mislead.
    expect(result.stderr).not.toContain('allows multiple values')
  })
})

describe('rules that nest too deeply', () => {
  const nested = `${'('.repeat(2000)}aum > 0${')'.repeat(2000)}`
  const scheme = (rule: string) => `name: deep\nversion: 1\ntiers:\n  - id: top\n    rule: ${rule}\n  - id: rest\n`

  it('--where nested 2,000 deep is a usage error', () => {
    const result = crm(['classify', '--scheme', 'retail-aum', '--where', nested, '--dry-run', ...db])
    expectHandled(result, 2)
    expect(result.stderr).toContain('nests more than 64 levels deep')
  })

  it('--where of 5,000 ors in a flat chain works', () => {
    const ors = Array.from({length: 5000}, (_, i) => `aum = ${i * 100}`).join(' or ')
    const result = crm(['classify', '--scheme', 'retail-aum', '--where', ors, '--dry-run', ...db, '--json'])
    expectHandled(result, 0)
    expect(json(result)).toMatchObject({customers: 1})
  })

  it('a scheme file with a rule nested 2,000 deep is invalid (exit 3), with its line', () => {
    const file = join(temp.dir, 'deep.yaml')
    writeFileSync(file, scheme(nested))
    const result = crm(['scheme', 'validate', file])
    expectHandled(result, 3)
    expect(result.stderr).toMatch(/deep\.yaml line 5, column \d+: the rule nests more than 64 levels deep/)
  })

  it('a define chain 3,000 deep is invalid (exit 3), with its line', () => {
    const file = join(temp.dir, 'chain.yaml')
    const defines = Array.from({length: 3000}, (_, i) => `  d${i}: ${i === 0 ? 'aum' : `d${i - 1}`} + 1`)
    writeFileSync(
      file,
      `name: chain\nversion: 1\ndefine:\n${defines.join('\n')}\ntiers:\n  - id: top\n    rule: d2999 > 0\n  - id: rest\n`,
    )
    const result = crm(['classify', '--scheme', file, '--dry-run', ...db])
    expectHandled(result, 3)
    expect(result.stderr).toMatch(/chain\.yaml line \d+, column \d+: "d\d+" is more than 16 definitions deep/)
  })
})

describe('an in-memory database', () => {
  it.each([
    ['--db :memory:', ['--db', ':memory:'], {}],
    ['CRM_DB=:memory:', [], {CRM_DB: ':memory:'}],
  ])('%s is refused: nothing would keep the rows', (_, args, env) => {
    const result = crm(['customer', 'import', book, ...args], {env})
    expectHandled(result, 2)
    expect(result.stderr).toContain('would keep nothing: crm needs a file')
    expect(result.stdout).not.toContain('inserted')
  })
})

describe('global flags before the command', () => {
  it('crm --db FILE customer import FILE imports into that database', () => {
    const other = join(temp.dir, 'before.db')
    expectHandled(crm(['--db', other, 'customer', 'import', book]), 0)
    expect(json<unknown[]>(crm(['customer', 'list', '--db', other, '--json']))).toHaveLength(3)
  })

  it('takes --db=FILE, --json, --format and --lang there too', () => {
    expect(json<unknown[]>(crm([`--db=${temp.db}`, '--json', 'customer', 'list']))).toHaveLength(3)
    expect(crm(['--format', 'csv', '--db', temp.db, 'customer', 'list']).stdout).toMatch(/^customer_id,name,/)
    expect(crm(['--lang', 'zh', '--db', temp.db, 'db', 'info']).stdout).toContain('客户')
  })

  it('a flag with no command says a command is missing (exit 2)', () => {
    const result = crm(['--db', temp.db])
    expectHandled(result, 2)
    expect(result.stderr).toContain('no command given')
  })
})

describe('DEBUG', () => {
  it('prints the stack only for a true value', () => {
    expect(crm(['contact', 'done', 'abc', ...db], {env: {DEBUG: '0'}}).stderr).not.toMatch(/\n\s+at /)
    expect(crm(['contact', 'done', 'abc', ...db], {env: {DEBUG: 'false'}}).stderr).not.toMatch(/\n\s+at /)
    expect(crm(['contact', 'done', 'abc', ...db], {env: {DEBUG: '1'}}).stderr).toMatch(/\n\s+at /)
  })
})

describe('Ctrl-C at a contact log prompt', () => {
  it('cancels (exit 130): nothing is logged', () => {
    const steps = [['Customer', '\x03']]
    const run = spawnSync(
      'python3',
      [
        join(ROOT, 'test/helpers/pty-run.py'),
        JSON.stringify(steps),
        '--',
        process.execPath,
        BIN,
        'contact',
        'log',
        ...db,
      ],
      {encoding: 'utf8', env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8'}},
    )
    const result = {code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr}
    expectHandled(result, 130)
    expect(result.stdout).toContain('cancelled: nothing was saved')
    expect(json<unknown[]>(crm(['contact', 'list', ...db, '--json']))).toEqual([])
  })
})

describe('writing where crm cannot', () => {
  it('an export to a full disk (/dev/full) is exit 3, naming the file and what to do', () => {
    const result = crm(['customer', 'export', '--output', '/dev/full', ...db])
    expectHandled(result, 3)
    expect(result.stderr).toContain('cannot write: the disk is full: /dev/full (ENOSPC)')
    expect(result.stderr).toContain('free some space')
  })

  const root = process.getuid?.() === 0
  if (!root)
    console.warn(
      'SKIPPED: the full and read-only file system tests need root (to mount a tmpfs), and the permission test to drop it',
    )

  describe.skipIf(!root)('on file systems mounted for the test (as root)', () => {
    const mounted = join(temp.dir, 'small')
    let mountError = ''
    beforeAll(() => {
      mkdirSync(mounted)
      const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mounted], {encoding: 'utf8'})
      mountError = mount.status === 0 ? '' : `mount failed: ${mount.stderr}`
      if (mountError) console.warn(`SKIPPED in effect: ${mountError}`)
    })
    afterAll(() => {
      spawnSync('umount', [mounted])
    })

    it('an import into a database on a full disk is exit 3, saying the disk is full', async () => {
      expect(mountError).toBe('')
      const big = join(temp.dir, 'big.csv')
      await generateCustomers({rows: 20_000, seed: 3, out: big, headers: 'en'})
      const result = crm(['customer', 'import', big, '--db', join(mounted, 'crm.db')])
      expectHandled(result, 3)
      expect(result.stderr).toContain(
        `the database ${join(mounted, 'crm.db')} cannot be used: the disk is full (SQLITE_FULL)`,
      )
    })

    it('an export to a read-only file system is exit 3', () => {
      expect(mountError).toBe('')
      expect(spawnSync('mount', ['-o', 'remount,ro', mounted]).status).toBe(0)
      const result = crm(['customer', 'export', '--output', join(mounted, 'book.csv'), ...db])
      expectHandled(result, 3)
      expect(result.stderr).toContain(join(mounted, 'book.csv'))
    })

    it('an export into a folder the user may not write is exit 3 (run as nobody)', () => {
      const closed = join(temp.dir, 'closed')
      mkdirSync(closed, {mode: 0o700})
      chmodSync(temp.dir, 0o755)
      chmodSync(temp.db, 0o644)
      const home = join(temp.dir, 'home')
      mkdirSync(home, {mode: 0o777})
      chmodSync(home, 0o777)
      const run = spawnSync(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          BIN,
          'customer',
          'export',
          '--output',
          join(closed, 'book.csv'),
          '--db',
          temp.db,
        ],
        {encoding: 'utf8', cwd: ROOT, env: {...process.env, HOME: home, NO_COLOR: '1'}},
      )
      const result = {code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr}
      expectHandled(result, 3)
      expect(result.stderr).toContain(join(closed, 'book.csv'))
    })
  })
})

describe('names that reach a terminal', () => {
  it('refuses an --actor with control characters, or only spaces, before anything is written', () => {
    const before = json<any>(crm(['db', 'info', ...db, '--json'])).last_run
    for (const actor of ['x\u001b[2J', 'a\nb', '   ']) {
      const result = crm(['classify', '--scheme', 'retail-aum', ...db, '--actor', actor, '--json'])
      expect(result.code).toBe(2)
      expect(json<any>(result).error.message).toContain('--actor')
    }
    expect(json<any>(crm(['db', 'info', ...db, '--json'])).last_run).toEqual(before)
  })

  it('shows a file name with control characters escaped in the import summary', () => {
    const evil = join(temp.dir, 'evil\u001b]0;x\u0007.csv')
    writeFileSync(evil, 'customer_id,name,type\nE1,甲,individual\n')
    const result = crm(['customer', 'import', evil, '--db', join(temp.dir, 'evil.db')])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('evil\\e]0;x\\x07.csv')
    expect(result.stdout).not.toContain('\u001b')
  })
})
