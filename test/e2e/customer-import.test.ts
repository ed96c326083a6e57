import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {parse} from 'csv-parse/sync'
import iconv from 'iconv-lite'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {generateCustomers} from '../../bench/generate.js'
import {PgDatabase} from '../../src/db/postgres/connection.js'
import {dbTarget} from '../../src/db/target.js'
import {type Backend, type Book, describeBackends, SQLITE} from '../helpers/backends.js'
import {BIN, type CliResult, crm, json, ROOT} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

let temp: Book
/** Each test gets a fresh book of the backend. */
function freshBooks(backend: Backend): void {
  beforeEach(() => {
    temp = backend.book()
  })
  afterEach(() => temp.cleanup())
}

/**
 * The first value of a query on the book itself, on either backend (parameters $1, $2 …): what an import stored,
 * read without going through another command.
 */
function bookValue(sql: string, ...params: unknown[]): unknown {
  const target = dbTarget(temp.db)
  if (target.kind === 'postgres') {
    const db = new PgDatabase(target)
    try {
      return db.value(sql, params)
    } finally {
      db.close()
    }
  }
  const db = new Database(target.file, {readonly: true})
  try {
    return db
      .prepare(sql.replace(/\$\d+/g, '?'))
      .pluck()
      .get(...params)
  } finally {
    db.close()
  }
}
const stored = (customerId: string, column: string) =>
  bookValue(`SELECT ${column} FROM customers WHERE customer_id = $1`, customerId)
const extraOf = (customerId: string) => JSON.parse(String(stored(customerId, 'extra')))

const HEADER = '客户号,客户名称,客户类型,证件号码,开户日期,金融资产,备注'
function file(name: string, content: string | Buffer): string {
  const path = join(temp.dir, name)
  writeFileSync(path, content)
  return path
}
function importFile(path: string, ...flags: string[]): CliResult {
  return crm(['customer', 'import', path, '--db', temp.db, ...flags])
}
function importJson(path: string, ...flags: string[]) {
  const result = importFile(path, '--json', ...flags)
  return {code: result.code, report: json<Record<string, any>>(result), stderr: result.stderr}
}
const counts = (r: Record<string, any>) => ({
  read: r.read,
  inserted: r.inserted,
  updated: r.updated,
  unchanged: r.unchanged,
  duplicates: r.duplicates,
  rejected: r.rejected,
})
function rejectsOf(path: string, encoding = 'utf8'): string[][] {
  const text = encoding === 'utf8' ? readFileSync(path, 'utf8') : iconv.decode(readFileSync(path), encoding)
  return parse(text, {bom: true}) as string[][]
}

describeBackends('crm customer import: input hazards', (backend) => {
  freshBooks(backend)
  it('imports a clean file, prints the reconciliation line and exits 0', () => {
    const path = file(
      'ok.csv',
      `${HEADER}\nC1,王伟,个人,11010519491231002X,2024/1/5,"1,234.50",\nC2,某某有限公司,对公,91350100M000100Y43,20240105,0.07,x\n`,
    )
    const result = importFile(path)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('inserted 2 · updated 0 · unchanged 0 · duplicate 0 · rejected 0')
    expect(result.stdout).toContain('check 2 = 2 + 0 + 0 + 0 + 0')
    expect(result.stdout).toContain('aum read 1,234.57 = stored 1,234.57')
    expect(result.stdout).toContain('Unknown columns kept with each customer: 备注')
  })

  it('reads GBK with CRLF and writes its rejects in GBK', () => {
    const path = file(
      'gbk.csv',
      iconv.encode(
        `${HEADER}\r\nC1,王伟,个人,11010519491231002X,2024年1月5日,100,备注一\r\nC2,李娜,个人,110105194912310021,2024-01-05,5,备注二\r\n`,
        'gbk',
      ),
    )
    const {code, report} = importJson(path)
    expect(code).toBe(3)
    expect(report.encoding).toBe('gb18030')
    expect(counts(report)).toEqual({read: 2, inserted: 1, updated: 0, unchanged: 0, duplicates: 0, rejected: 1})
    expect(rejectsOf(report.rejects_file, 'gbk')).toEqual([
      [
        'reject_line',
        'reject_field',
        'reject_reason',
        '客户号',
        '客户名称',
        '客户类型',
        '证件号码',
        '开户日期',
        '金融资产',
        '备注',
      ],
      [
        '3',
        '证件号码 [id_number]',
        'check digit should be X, not 1',
        'C2',
        '李娜',
        '个人',
        '110105194912310021',
        '2024-01-05',
        '5',
        '备注二',
      ],
    ])
    expect(stored('C1', 'name')).toBe('王伟')
  })

  it('strips a UTF-8 BOM', () => {
    const {code, report} = importJson(file('bom.csv', `\uFEFF${HEADER}\nC1,王伟,个人,,,1,\n`))
    expect(code).toBe(0)
    expect(report.unknown_columns).toEqual(['备注'])
  })

  it('keeps quoted fields with commas, quotes and line breaks, and counts lines across them', () => {
    const path = file(
      'nl.csv',
      `${HEADER}\r\nC1,"王, ""伟""",个人,,,1,"第一行\r\n第二行"\r\nC2,李娜,个人,,2024-02-30,1,\r\n`,
    )
    const {code, report} = importJson(path)
    expect(code).toBe(3)
    expect(report.reject_examples).toEqual([
      {line: 4, field: '开户日期 [opened_on]', reason: '2024-02-30 is not a date'},
    ])
    expect(stored('C1', 'name')).toBe('王, "伟"')
    expect(extraOf('C1')).toEqual({备注: '第一行\r\n第二行'})
  })

  it('lets the later row win for a repeated customer_id and reports both lines', () => {
    const path = file('dup.csv', `${HEADER}\nC1,王伟,个人,,,1,first\nC2,李娜,个人,,,2,\nC1,王伟,个人,,,3,second\n`)
    const {code, report} = importJson(path)
    expect(code).toBe(0)
    expect(counts(report)).toEqual({read: 3, inserted: 2, updated: 0, unchanged: 0, duplicates: 1, rejected: 0})
    expect(report.duplicate_examples).toEqual([{customer_id: 'C1', line: 2, kept_line: 4}])
    expect(report.aum_read).toBe('5.00')
    expect(report.aum_stored).toBe('5.00')
    expect(stored('C1', 'aum_fen')).toBe(300)
    expect(counts(importJson(path).report)).toEqual({
      read: 3,
      inserted: 0,
      updated: 0,
      unchanged: 2,
      duplicates: 1,
      rejected: 0,
    })
  })

  it('rejects bad dates, amounts and check digits with line, field and reason, keeping the good rows', () => {
    const path = file(
      'bad.csv',
      [
        HEADER,
        'C1,王伟,个人,11010519491231002X,2024-01-05,1,',
        'C2,李娜,个人,110105194912310021,2024-01-05,1,',
        'C3,张三,个人,,2024-02-30,1,',
        'C4,赵六,个人,,2024-01-05,"12,34.5",',
        'C5,钱七,个人,,2024-01-05,12.345,',
        'C6,某公司,对公,911100001000013428,2024-01-05,1,',
        'C7,孙八,火星人,,2024-01-05,1,',
        ',无号,个人,,,1,',
      ].join('\n'),
    )
    const result = importFile(path)
    expect(result.code).toBe(3)
    expect(result.stdout).toContain('inserted 1 · updated 0 · unchanged 0 · duplicate 0 · rejected 7')
    expect(
      rejectsOf(join(temp.dir, 'bad.rejects.csv'))
        .slice(1)
        .map((r) => r.slice(0, 2)),
    ).toEqual([
      ['3', '证件号码 [id_number]'],
      ['4', '开户日期 [opened_on]'],
      ['5', '金融资产 [aum]'],
      ['6', '金融资产 [aum]'],
      ['7', '证件号码 [id_number]'],
      ['8', '客户类型 [type]'],
      ['9', '客户号 [customer_id]'],
    ])
    const reasons = readFileSync(join(temp.dir, 'bad.rejects.csv'), 'utf8')
    for (const reason of [
      'check digit should be X, not 1',
      '2024-02-30 is not a date',
      '""12,34.5"" is not an amount',
      'more than 2 decimals',
      'check character should be C, not 8',
      '""火星人"" is not a type',
      '客户号 [customer_id] is empty',
    ]) {
      expect(reasons).toContain(reason)
    }
  })

  it('refuses a file without the required columns, naming them, and writes nothing', () => {
    const result = importFile(file('missing.csv', 'id,amount\n1,2\n'))
    expect(result.code).toBe(3)
    expect(result.stderr).toContain(
      'Error: the file has no column for the required fields name (客户名称, 姓名); type (客户类型, 客户性质)',
    )
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/)
  })

  it('refuses an empty file (exit 3)', () => {
    const result = importFile(file('empty.csv', ''))
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('is empty')
  })

  it('refuses a binary file (exit 3) and says what it reads', () => {
    const result = importFile(file('book.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])))
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('is an Excel workbook, not a text file')
    expect(result.stderr).toContain('save it as CSV')
  })

  it('imports a header-only file as zero rows', () => {
    const {code, report} = importJson(file('header.csv', `${HEADER}\n`))
    expect(code).toBe(0)
    expect(counts(report)).toEqual({read: 0, inserted: 0, updated: 0, unchanged: 0, duplicates: 0, rejected: 0})
  })

  it('reads semicolons and tabs, and --delimiter overrides the guess', () => {
    expect(importJson(file('semi.csv', 'customer_id;name;type\nC1;A;individual\n')).report.inserted).toBe(1)
    expect(importJson(file('tab.tsv', 'customer_id\tname\ttype\nC2\tB\tindividual\n')).report.inserted).toBe(1)
    expect(
      importJson(file('odd.txt', 'customer_id|name|type\nC3|C|individual\n'), '--delimiter', 'pipe').report.inserted,
    ).toBe(1)
  })

  it('reads JSON arrays and NDJSON, rejecting a broken line by number', () => {
    expect(
      counts(
        importJson(
          file(
            'a.json',
            JSON.stringify([
              {customer_id: 'J1', name: 'A', type: 'individual', aum: '10.5'},
              {customer_id: 'J2', name: 'B', type: '对公', aum: 7},
            ]),
          ),
        ).report,
      ),
    ).toEqual({read: 2, inserted: 2, updated: 0, unchanged: 0, duplicates: 0, rejected: 0})
    const {code, report} = importJson(
      file('b.ndjson', '{"customer_id": "N1", "name": "A", "type": "individual"}\n{"customer_id": "N2",\n'),
    )
    expect(code).toBe(3)
    expect(report.reject_examples[0]).toMatchObject({line: 2, reason: expect.stringContaining('not valid JSON')})
  })

  it('reads standard input', () => {
    const result = crm(['customer', 'import', '-', '--db', temp.db, '--json'], {
      input: 'customer_id,name,type\nS1,A,individual\n',
    })
    expect(json<any>(result).inserted).toBe(1)
  })

  it('rejects an amount too large to store as a row, not as an internal error, and imports the rest', () => {
    const {code, report} = importJson(
      file('huge.csv', 'customer_id,name,type,aum\nC1,A,individual,99999999999999999.99\nC2,B,individual,1.5\n'),
    )
    expect(code).toBe(3)
    expect(counts(report)).toMatchObject({read: 2, inserted: 1, rejected: 1})
    expect(report.reject_examples[0]).toMatchObject({
      line: 2,
      field: 'aum',
      reason: expect.stringContaining('too large to store'),
    })
    expect(report.aum_stored).toBe('1.50')
  })

  it('keeps leading zeros of identifiers', () => {
    importFile(file('zeros.csv', 'customer_id,name,type,id_number\n000123,A,individual,E0012345\n'))
    expect(stored('000123', 'id_number')).toBe('E0012345')
  })
})

describeBackends('crm customer import: modes and safety', (backend) => {
  freshBooks(backend)
  const base = () => file('base.csv', 'customer_id,name,type,aum\nC1,A,individual,1\nC2,B,individual,2\n')

  it('re-importing the same file changes nothing and says so', () => {
    const path = base()
    importFile(path)
    const again = importFile(path)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('inserted 0 · updated 0 · unchanged 2')
    expect(again.stdout).toContain(
      'Nothing changed: every row matches the database (this file was first imported as batch 1).',
    )
  })

  it('names the batch that first imported the file, not a later re-run, and does not say every row matches when rows were rejected', () => {
    const path = file(
      'half.csv',
      'customer_id,name,type\nC1,A,individual\nC2,B,alien\nC3,C,individual\nC4,D,alien\nC5,E,individual\nC6,F,alien\n',
    )
    importFile(file('other.csv', 'customer_id,name,type\nC9,Z,individual\n'))
    expect(importJson(path).report.batch_id).toBe(2)
    expect(importJson(path).report.batch_id).toBe(3)
    const third = importFile(path)
    expect(third.code).toBe(3)
    expect(third.stdout + third.stderr).toContain(
      'Nothing changed: the 3 accepted rows match the database, and 3 were rejected (this file was first imported as batch 2).',
    )
    expect(third.stdout + third.stderr).not.toContain('every row')
    expect(importJson(path).report.same_file_as_batch).toBe(2)
  })

  it('upsert updates only the fields the file carries', () => {
    importFile(base())
    const {report} = importJson(file('aum.csv', 'customer_id,aum\nC1,100\nC2,2\n'), '--mode', 'update-only')
    expect(counts(report)).toEqual({read: 2, inserted: 0, updated: 1, unchanged: 1, duplicates: 0, rejected: 0})
    expect([stored('C1', 'name'), stored('C1', 'aum_fen')]).toEqual(['A', 10000])
  })

  it('--mode insert rejects ids that exist; --mode update-only rejects ids that do not', () => {
    importFile(base())
    const insert = importJson(
      file('ins.csv', 'customer_id,name,type\nC1,A,individual\nC3,C,individual\n'),
      '--mode',
      'insert',
    )
    expect(insert.code).toBe(3)
    expect(counts(insert.report)).toMatchObject({inserted: 1, rejected: 1})
    expect(insert.report.reject_examples[0].reason).toBe('customer C1 already exists (use --mode upsert to update it)')
    const update = importJson(file('upd.csv', 'customer_id,aum\nC1,5\nC9,5\n'), '--mode', 'update-only')
    expect(counts(update.report)).toMatchObject({updated: 1, rejected: 1})
    expect(update.report.reject_examples[0].reason).toBe('customer C9 does not exist (use --mode upsert to add it)')
  })

  it('--dry-run prints the same counts and writes nothing', () => {
    importFile(base())
    const path = file('dry.csv', 'customer_id,name,type,aum\nC1,A,individual,5\nC3,C,individual,1\nC4,D,individual,x\n')
    const dry = importJson(path, '--dry-run')
    expect(dry.code).toBe(3)
    expect(dry.report.committed).toBe(false)
    expect(bookValue('SELECT count(*) FROM customers')).toBe(2)
    expect(bookValue('SELECT count(*) FROM import_batches')).toBe(1)
    const real = importJson(path)
    expect(counts(real.report)).toEqual(counts(dry.report))
    expect(counts(real.report)).toEqual({read: 3, inserted: 1, updated: 1, unchanged: 0, duplicates: 0, rejected: 1})
  })

  // About files: a PostgreSQL book is never created by a dry run either, but has no file to look for.
  it.runIf(backend.name === 'sqlite')(
    '--dry-run on a database that does not exist creates no file, and finds every row new',
    () => {
      const db = join(temp.dir, 'new', 'crm.db')
      const path = file('new.csv', 'customer_id,name,type,aum\nC1,A,individual,1\nC2,B,individual,x\n')
      const dry = crm(['customer', 'import', path, '--db', db, '--dry-run', '--json'])
      expect(dry.code).toBe(3)
      expect(counts(json(dry))).toEqual({read: 2, inserted: 1, updated: 0, unchanged: 0, duplicates: 0, rejected: 1})
      const told = crm(['customer', 'import', path, '--db', db, '--dry-run'])
      expect(told.stderr).toContain(
        `${db} does not exist yet: the dry run took it as an empty database, and created no file.`,
      )
      expect(told.stdout).toContain('Dry run: nothing was written to the database.')
      const contacts = crm([
        'contact',
        'import',
        file('calls.csv', 'customer_id,at,channel,purpose\nC1,2026-11-01 10:00,phone,service\n'),
        '--db',
        db,
        '--dry-run',
        '--json',
      ])
      expect(contacts.code).toBe(3)
      expect(json<any>(contacts).reject_examples[0].reason).toContain('customer C1 does not exist')
      const classify = crm(['classify', '--scheme', 'retail-aum', '--db', db, '--dry-run', '--json'])
      // Nobody to classify: refused (exit 3) as any run of nobody is, and still no file.
      expect(classify.code).toBe(3)
      expect(json<any>(classify).error.message).toContain('no customer to classify')
      for (const created of [db, `${db}-wal`, `${db}-shm`, join(temp.dir, 'new')])
        expect(existsSync(created), created).toBe(false)
    },
  )

  it('--strict writes nothing when a row is rejected', () => {
    const {code, report} = importJson(
      file('strict.csv', 'customer_id,name,type\nC1,A,individual\nC2,B,alien\n'),
      '--strict',
    )
    expect(code).toBe(3)
    expect(report.committed).toBe(false)
    expect(bookValue('SELECT count(*) FROM customers')).toBe(0)
    const told = importFile(join(temp.dir, 'strict.csv'), '--strict', '--lang', 'en')
    expect(told.stderr + told.stdout).toContain('1 rejected row written to')
    expect(told.stderr + told.stdout).toContain('--strict: nothing was written, because 1 row was rejected.')
  })

  it('a fixed reject file imports again without its reject_ columns', () => {
    const path = file('fix.csv', 'customer_id,name,type\nC1,A,individual\nC2,B,alien\n')
    importFile(path)
    const rejects = join(temp.dir, 'fix.rejects.csv')
    writeFileSync(rejects, readFileSync(rejects, 'utf8').replace(',alien', ',individual'))
    const {code, report} = importJson(rejects)
    expect(code).toBe(0)
    expect(report.unknown_columns).toEqual([])
    expect(report.inserted).toBe(1)
  })

  it('no reject file is left when every row is accepted', () => {
    importFile(base())
    expect(existsSync(join(temp.dir, 'base.rejects.csv'))).toBe(false)
  })
})

describe('crm customer import: --map and --mapping', () => {
  freshBooks(SQLITE)
  const clients = () => file('clients.csv', 'client_id,name,type\nC1,王伟,individual\n')

  it.each([
    [
      ['client_id=customer_id', 'client_id=name'],
      'client_id=customer_id" and --map "client_id=name" both map the column "client_id"',
    ],
    [
      ['client_id=customer_id', 'Client ID=name'],
      'client_id=customer_id" and --map "Client ID=name" both map the column "Client ID"',
    ],
    [
      ['client_id=customer_id', 'name=customer_id'],
      'client_id=customer_id" and --map "name=customer_id" both map a column to the field customer_id',
    ],
  ])('refuses --map %j, naming both, as a usage error that writes nothing', (maps, message) => {
    const result = importFile(clients(), ...maps.flatMap((m) => ['--map', m]))
    expectHandled(result, 2)
    expect(result.stderr).toContain(`Error: --map "${message}`)
    expect(existsSync(temp.db)).toBe(false)
  })

  it('takes the same --map twice as once', () => {
    const {code, report} = importJson(clients(), '--map', 'client_id=customer_id', '--map', 'client_id=customer_id')
    expect(code).toBe(0)
    expect(report.inserted).toBe(1)
  })

  it('refuses --map to a field that does not exist as a usage error (exit 2), with a suggestion', () => {
    const result = importFile(clients(), '--map', 'client_id=customer_idd')
    expectHandled(result, 2)
    expect(result.stderr).toContain('--map sends "client_id" to "customer_idd", which is not a customer field')
    expect(result.stderr).toContain('did you mean "customer_id"?')
  })

  it.each([
    [
      '{"columns": {"client_id": "customer_id", "client_id": "name"}}',
      'gives "client_id" twice: "customer_id" and "name"',
    ],
    [
      '{"columns": {"client_id": "customer_id", "Client ID": "name"}}',
      'has "client_id": "customer_id" and "Client ID": "name", which both map the column "Client ID"',
    ],
    [
      '{"columns": {"client_id": "customer_id"}, "defaults": {"type": "individual"}, "defaults": {}}',
      'gives "defaults" twice',
    ],
  ])('refuses a mapping file %s, naming both entries (exit 3)', (text, message) => {
    const mapping = file('mapping.json', text)
    const result = importFile(clients(), '--mapping', mapping)
    expectHandled(result, 3)
    expect(result.stderr).toContain(`the mapping file ${mapping} ${message}`)
  })

  it('reads a mapping file whose column names hold quotes, commas and braces', () => {
    const path = file('odd.csv', 'client_id,"say ""hi"", {x}",name,type\nC1,1,王伟,individual\n')
    const {code, report} = importJson(
      path,
      '--mapping',
      file('odd.json', '{"columns": {"client_id": "customer_id", "say \\"hi\\", {x}": "-"}}'),
    )
    expect(code).toBe(0)
    expect(report.unknown_columns).toEqual([])
  })
})

describe('crm customer import on a terminal', () => {
  freshBooks(SQLITE)
  it('draws a progress bar on stderr while the import runs in its own thread, then clears it for the report', async () => {
    const path = join(temp.dir, 'book.csv')
    await generateCustomers({rows: 6000, seed: 7, out: path, headers: 'en'})
    const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8'}
    delete env.CI // the bar is left out in CI logs
    const run = spawnSync(
      'python3',
      [
        join(ROOT, 'test/helpers/pty-run.py'),
        '[]',
        '--',
        process.execPath,
        BIN,
        'customer',
        'import',
        path,
        '--db',
        temp.db,
      ],
      {encoding: 'utf8', env},
    )
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/\r[█░]{32} +\d+% {2}[\d,]+ rows {2}\d+k? rows\/s/)
    // The bar is on stderr and the report on stdout: two streams, whose order on a busy terminal is the kernel's, so
    // the clear and the report are each looked for, not their order.
    expect(run.stdout).toContain('\r\x1b[K')
    expect(run.stdout).toContain('inserted 6,000 · updated 0')
  })
})

describeBackends('crm customer import: the real churn dataset', (backend) => {
  freshBooks(backend)
  it('accounts for every one of its 10,000 rows through the mapping file, with aum to the fen', () => {
    const source = join(ROOT, 'test/fixtures/Churn_Modelling.csv')
    const {code, report} = importJson(
      source,
      '--mapping',
      join(ROOT, 'data/mappings/churn-modelling.json'),
      '--rejects',
      join(temp.dir, 'r.csv'),
    )
    expect(code).toBe(0)
    expect(counts(report)).toEqual({
      read: 10_000,
      inserted: 10_000,
      updated: 0,
      unchanged: 0,
      duplicates: 0,
      rejected: 0,
    })
    // The balance column summed independently, in integer fen.
    const lines = readFileSync(source, 'utf8').trim().split('\r\n').slice(1)
    const fen = lines.reduce((sum, line) => {
      const [whole, frac = ''] = line.split(',')[8].split('.')
      return sum + BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'))
    }, 0n)
    expect(report.aum_read).toBe(`${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`)
    expect(report.aum_stored).toBe(report.aum_read)
    const one = ['name', 'type', 'branch', 'aum_fen', 'products'].map((column) => stored('15634602', column))
    expect(one).toEqual(['Hargrave', 'individual', 'France', 0, 1])
    expect(extraOf('15634602')).toMatchObject({CreditScore: '619', Age: '42', Exited: '1'})
  })
})
