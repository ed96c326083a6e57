import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {generateCustomers} from '../../bench/generate.js'
import {BIN, type CliResult, crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'
import {rejectsOf, scratchIn} from '../helpers/scratch.js'

const temp = tempDir()
afterAll(temp.cleanup)
const {file, db} = scratchIn(temp.dir)

/** `node slow-writer.mjs FILE | crm ARGS`: crm's standard input is a real pipe, fed in small pieces with pauses. */
function crmFromSlowPipe(input: string, args: readonly string[]): CliResult {
  const script = 'node="$1"; writer="$2"; input="$3"; shift 3; "$node" "$writer" "$input" | "$node" "$@"'
  const result = spawnSync(
    'sh',
    ['-c', script, 'sh', process.execPath, join(ROOT, 'test/helpers/slow-writer.mjs'), input, BIN, ...args],
    {
      cwd: temp.dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: {
        ...process.env,
        NO_COLOR: '1',
        FORCE_COLOR: undefined,
        LANG: 'en_US.UTF-8',
        LC_ALL: undefined,
      } as NodeJS.ProcessEnv,
    },
  )
  return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
}

const RUNS = [1, 2, 3]

describe('standard input from a pipe that is often empty (10 MB, in small pieces with pauses)', () => {
  const customers = join(temp.dir, 'customers-10mb.csv')
  const contacts = join(temp.dir, 'contacts-10mb.csv')
  let customerRows = 0
  let contactRows = 0
  let book = ''

  beforeAll(async () => {
    // Rows with a long extra column, so 10 MB is not too many rows to read nine times.
    customerRows = 20_000
    const generated = join(temp.dir, 'customers.csv')
    await generateCustomers({rows: customerRows, seed: 21, out: generated, headers: 'en'})
    const [header, ...rows] = readFileSync(generated, 'utf8').trimEnd().split('\r\n')
    writeFileSync(
      customers,
      `${header},notes\n${rows.map((row, i) => `${row},${`备注 ${i} `.padEnd(110, '记')}`).join('\n')}\n`,
    )
    expect(readFileSync(customers).length).toBeGreaterThan(10_000_000)
    const lines = ['customer_id,at,channel,direction,purpose,outcome,rm,notes,follow_up_on']
    contactRows = 11_000
    for (let i = 0; i < contactRows; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().slice(0, 19).replace('T', ' ')
      lines.push(
        `C${100_000_000 + (i % 2000)},${at},phone,out,service,reached,RM0001,${`通话记录 ${i} `.padEnd(320, '谈')},`,
      )
    }
    writeFileSync(contacts, `${lines.join('\n')}\n`)
    expect(readFileSync(contacts).length).toBeGreaterThan(10_000_000)
    book = db()
    await generateCustomers({rows: 2000, seed: 22, out: join(temp.dir, 'book.csv'), headers: 'en'})
    expectHandled(crm(['customer', 'import', join(temp.dir, 'book.csv'), '--db', book]), 0)
  })

  it.each(RUNS)('customer import - reads every row (run %i)', () => {
    const result = crmFromSlowPipe(customers, ['customer', 'import', '-', '--db', db(), '--json'])
    expectHandled(result, 0)
    expect(json(result)).toMatchObject({read: customerRows, inserted: customerRows, rejected: 0})
  })

  it.each(RUNS)('contact import - reads every row (run %i)', () => {
    const result = crmFromSlowPipe(contacts, ['contact', 'import', '-', '--db', book, '--json', '--dry-run'])
    expectHandled(result, 0)
    expect(json(result)).toMatchObject({read: contactRows, inserted: contactRows, rejected: 0})
  })

  it.each(RUNS)('classify check - prints every row (run %i)', () => {
    const result = crmFromSlowPipe(customers, ['classify', 'check', '--scheme', 'retail-aum', '--format', 'csv', '-'])
    expectHandled(result, 0)
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(customerRows + 1)
    expect(result.stderr).toContain(`${customerRows.toLocaleString('en-US')} rows:`)
  })

  it('stops reading when the import fails early, however much is still coming', () => {
    const result = crmFromSlowPipe(customers, ['customer', 'import', '-', '--db', db(), '--map', 'Nope=customer_id'])
    expectHandled(result, 3)
    expect(result.stderr).toContain('the mapping names column "Nope"')
  })
})

describe('mixed encodings: text is exact, or refused', () => {
  const HEADER = 'customer_id,name,type,aum\n'
  const gbkRows = (count: number) =>
    Array.from({length: count}, (_, i) => `G${String(i).padStart(6, '0')},王伟,个人,100.00\n`).join('')

  it('rejects a UTF-8 line and a line with bad bytes in a GBK file, naming line and byte, and imports the rest exactly', () => {
    const before = Buffer.concat([iconv.encode(HEADER, 'gbk'), iconv.encode(gbkRows(3000), 'gbk')])
    const utf8Line = Buffer.from('U000001,王五,个人,5.00\n')
    const badLine = Buffer.concat([
      Buffer.from('B000001,'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',individual,5.00\n'),
    ])
    const path = file(
      'mixed-gbk.csv',
      Buffer.concat([before, utf8Line, badLine, iconv.encode('L000001,李四,个人,7.00\n', 'gbk')]),
    )
    const database = db()
    const result = crm(['customer', 'import', path, '--db', database, '--json'])
    expectHandled(result, 3)
    const report = json<Record<string, any>>(result)
    expect(report).toMatchObject({encoding: 'gb18030', read: 3003, inserted: 3001, rejected: 2})
    const rejects = rejectsOf(report.rejects_file, 'gb18030')
    expect(rejects[1].slice(0, 3)).toEqual([
      '3002',
      '-',
      `this line is UTF-8 in a file read as GBK (from byte ${(before.length + 1).toLocaleString('en-US')}): save the whole file in one encoding, or give --encoding gbk if the line really is GBK`,
    ])
    // The UTF-8 line's text is kept right in the reject file (written in GBK, as the input was).
    expect(rejects[1].slice(3)).toEqual(['U000001', '王五', '个人', '5.00'])
    expect(rejects[2].slice(0, 3)).toEqual([
      '3003',
      '-',
      `not valid GBK/GB18030 at byte ${(before.length + utf8Line.length + 9).toLocaleString('en-US')}: the bytes are damaged or in another encoding; save the file in one encoding`,
    ])
    expect(json<any>(crm(['customer', 'show', 'L000001', '--db', database, '--json'])).name).toBe('李四')
    expect(crm(['customer', 'show', 'U000001', '--db', database]).code).toBe(4)
  })

  it('rejects a row that is not UTF-8 late in a UTF-8 file, and imports the rows after it', () => {
    const before = `${HEADER}${Array.from({length: 5000}, (_, i) => `C${String(i).padStart(6, '0')},王伟,个人,100.00\n`).join('')}`
    const path = file(
      'mixed-utf8.csv',
      Buffer.concat([
        Buffer.from(before),
        iconv.encode('G000001,王五,个人,5.00\n', 'gbk'),
        Buffer.from('C999999,李四,个人,7.00\n'),
      ]),
    )
    const database = db()
    const result = crm(['customer', 'import', path, '--db', database, '--json'])
    expectHandled(result, 3)
    const report = json<Record<string, any>>(result)
    expect(report).toMatchObject({encoding: 'utf-8', read: 5002, inserted: 5001, rejected: 1})
    expect(report.reject_examples).toEqual([
      {
        line: 5002,
        field: '-',
        reason: `not valid UTF-8 at byte ${(Buffer.byteLength(before) + 9).toLocaleString('en-US')}, but valid GBK: if the file is GBK, import it again with --encoding gbk`,
      },
    ])
    expect(json<any>(crm(['customer', 'show', 'C999999', '--db', database, '--json'])).name).toBe('李四')
  })

  it('refuses a file whose first block is neither UTF-8 nor GBK before writing anything', () => {
    const path = file(
      'binary.csv',
      Buffer.concat([
        Buffer.from(HEADER),
        Buffer.from('C1,'),
        Buffer.from([0x81, 0x20, 0xff]),
        Buffer.from(',个人,1\n'),
      ]),
    )
    const database = db()
    const result = crm(['customer', 'import', path, '--db', database])
    expectHandled(result, 3)
    expect(result.stderr).toContain(
      `${path} is neither UTF-8 nor GBK text: byte 30 of its first 64 KB is not a character in either`,
    )
    expect(result.stderr).toContain('give --encoding gbk to reject just those rows')
    expect(json<any[]>(crm(['customer', 'list', '--db', database, '--json']))).toEqual([])
    expect(existsSync(path.replace(/\.csv$/, '.rejects.csv'))).toBe(false)
  })

  it('with --encoding gbk, reads that file, rejecting just the row with damaged bytes', () => {
    const before = iconv.encode(`${HEADER}C1,王伟,个人,1\nC2,`, 'gbk')
    const path = file(
      'damaged-gbk.csv',
      Buffer.concat([before, Buffer.from([0x81, 0x20]), Buffer.from(',individual,1\n')]),
    )
    const result = crm(['customer', 'import', path, '--db', db(), '--encoding', 'gbk', '--json'])
    expectHandled(result, 3)
    expect(json(result)).toMatchObject({
      read: 2,
      inserted: 1,
      rejected: 1,
      reject_examples: [
        {line: 3, field: '-', reason: expect.stringContaining(`not valid GBK/GB18030 at byte ${before.length + 1}:`)},
      ],
    })
  })

  it('refuses a header that does not decode', () => {
    const path = file(
      'bad-header.csv',
      Buffer.concat([Buffer.from('customer_id,na'), Buffer.from([0xff]), Buffer.from('me,type\nC1,A,individual\n')]),
    )
    const result = crm(['customer', 'import', path, '--db', db(), '--encoding', 'utf-8'])
    expectHandled(result, 3)
    expect(result.stderr).toContain('the header (line 1) cannot be read: not valid UTF-8 at byte 15')
  })

  it("gives classify check's row with bad bytes an invalid tier, and classifies the others", () => {
    const before = Buffer.from(`${HEADER}C1,王伟,个人,100\nC2,`)
    const path = file(
      'check-mixed.csv',
      Buffer.concat([before, Buffer.from([0xc3, 0x28]), Buffer.from(',个人,100\nC3,李娜,个人,6000000\n')]),
    )
    const result = crm(['classify', 'check', path, '--scheme', 'retail-aum', '--format', 'csv'])
    expectHandled(result, 3)
    const rows = parse(result.stdout, {columns: true}) as Record<string, string>[]
    expect(rows.map((r) => [r.customer_id, r.tier])).toEqual([
      ['C1', 'mass'],
      ['C2', ''],
      ['C3', 'private-banking'],
    ])
    expect(rows[1]).toMatchObject({
      customer_id: 'C2',
      reason: `invalid: not valid UTF-8 at byte ${before.length + 1}: save the file as UTF-8 again, or give --encoding gbk if it is GBK`,
    })
  })

  it('rejects an NDJSON line with bad bytes and imports the others', () => {
    const path = file(
      'bad.ndjson',
      Buffer.concat([
        Buffer.from('{"customer_id": "C1", "name": "王伟", "type": "个人"}\n{"customer_id": "C2", "name": "'),
        Buffer.from([0xe4, 0xb8]),
        Buffer.from('", "type": "个人"}\n{"customer_id": "C3", "name": "李娜", "type": "个人"}\n'),
      ]),
    )
    const result = crm(['customer', 'import', path, '--db', db(), '--json'])
    expectHandled(result, 3)
    expect(json(result)).toMatchObject({
      read: 3,
      inserted: 2,
      rejected: 1,
      reject_examples: [{line: 2, reason: expect.stringContaining('not valid UTF-8 at byte')}],
    })
  })
})

describe('long lines and large fields', () => {
  const HEADER = 'customer_id,name,type,aum,notes\n'

  it('rejects a row with a 3.2 MB field, naming the field and the flag, and imports the others', () => {
    const path = file(
      'big-field.csv',
      `${HEADER}C1,王伟,个人,1,short\nC2,李娜,个人,2,"${'长'.repeat(1_066_667)}"\nC3,张三,个人,3,short\n`,
    )
    const result = crm(['customer', 'import', path, '--db', db(), '--json'])
    expectHandled(result, 3)
    expect(json(result)).toMatchObject({
      read: 3,
      inserted: 2,
      rejected: 1,
      reject_examples: [
        {
          line: 3,
          field: 'notes',
          reason: 'field notes is 3.2 MB, more than the 1 MB limit; raise it with --max-field-size',
        },
      ],
    })
  })

  it('accepts that row under a higher --max-field-size, and refuses a size it cannot read', () => {
    const path = file('big-field-ok.csv', `${HEADER}C1,王伟,个人,1,"${'x'.repeat(3_200_000)}"\n`)
    expectHandled(crm(['customer', 'import', path, '--db', db(), '--max-field-size', '5MB']), 0)
    const bad = crm(['customer', 'import', path, '--db', db(), '--max-field-size', 'lots'])
    expectHandled(bad, 2)
    expect(bad.stderr).toContain('--max-field-size: not a size: "lots"')
  })

  it('reads a line of 12 MB, rejecting its row, and the rows after it', () => {
    const path = file('long-line.csv', `${HEADER}C1,王伟,个人,1,${'x'.repeat(12_000_000)}\nC2,李娜,个人,2,ok\n`)
    const result = crm(['customer', 'import', path, '--db', db(), '--json'])
    expectHandled(result, 3)
    expect(json(result)).toMatchObject({
      read: 2,
      inserted: 1,
      rejected: 1,
      reject_examples: [
        {line: 2, reason: 'field notes is 12 MB, more than the 1 MB limit; raise it with --max-field-size'},
      ],
    })
  })

  it('applies the limit to contact import and classify check', () => {
    const notes = 'x'.repeat(2000)
    const contacts = file(
      'contacts.csv',
      `customer_id,at,channel,purpose,notes\nC1,2026-01-05 10:00,phone,service,"${notes}"\n`,
    )
    const result = crm(['contact', 'import', contacts, '--db', db(), '--max-field-size', '1KB', '--json'])
    expectHandled(result, 3)
    expect(json(result)).toMatchObject({
      read: 1,
      rejected: 1,
      reject_examples: [
        {line: 2, reason: 'field notes is 2 KB, more than the 1 KB limit; raise it with --max-field-size'},
      ],
    })
    const check = crm([
      'classify',
      'check',
      file('check.csv', `${HEADER}C1,王伟,个人,1,${notes}\n`),
      '--scheme',
      'retail-aum',
      '--max-field-size',
      '1KB',
      '--format',
      'csv',
    ])
    expectHandled(check, 3)
    expect(check.stdout).toContain(
      'invalid: field notes is 2 KB, more than the 1 KB limit; raise it with --max-field-size',
    )
  })

  it("cuts a 2 MB header in messages: the missing-field hint and the mapping's did-you-mean", () => {
    const columns = Array.from({length: 140_000}, (_, i) => `column_${String(i).padStart(6, '0')}`)
    const header = [`${'y'.repeat(300_000)}`, ...columns].join(',')
    expect(header.length).toBeGreaterThan(2_000_000)
    const path = file('wide-header.csv', `${header}\n${columns.map(() => '1').join(',')},1\n`)
    for (const extra of [[], ['--map', 'Nope=customer_id']]) {
      const result = crm(['customer', 'import', path, '--db', db(), ...extra])
      expectHandled(result, 3)
      expect(result.stderr.length).toBeLessThan(1500)
      expect(result.stderr).toMatch(/y{60}… \(300,000 characters\), column_000000, .* … and 13\d,\d{3} more/)
    }
  })
})

describe('an input file that cannot be read', () => {
  it('is exit 3 with the path and what to do (EACCES)', () => {
    // Root reads any file, so the command runs as nobody when the tests run as root.
    const asRoot = process.getuid?.() === 0
    const dir = join(temp.dir, 'locked')
    mkdirSync(dir, {mode: 0o777})
    chmodSync(dir, 0o777)
    const path = join(dir, 'locked.csv')
    writeFileSync(path, 'customer_id,name,type\nC1,A,individual\n')
    chmodSync(path, 0o000)
    chmodSync(temp.dir, 0o755)
    const user = asRoot ? {uid: 65_534, gid: 65_534} : {}
    for (const args of [
      ['customer', 'import', path, '--db', join(dir, 'x.db')],
      ['contact', 'import', path, '--db', join(dir, 'y.db')],
      ['classify', 'check', path, '--scheme', 'retail-aum'],
    ]) {
      const result = spawnSync(process.execPath, [BIN, ...args], {
        ...user,
        cwd: dir,
        encoding: 'utf8',
        env: {...process.env, HOME: dir, NO_COLOR: '1', LANG: 'en_US.UTF-8'} as NodeJS.ProcessEnv,
      })
      const handled = {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
      expectHandled(handled, 3)
      expect(result.stderr).toContain(`Error: cannot read ${path}: permission denied`)
      expect(result.stderr).toContain('ask for read access to the file, or copy it somewhere you can read')
    }
  })

  it('says so when standard input is a folder', () => {
    for (const args of [
      ['customer', 'import', '-', '--db', db()],
      ['classify', 'check', '--scheme', 'retail-aum', '-'],
    ]) {
      // sh -c 'crm ARGS < FOLDER'
      const result = spawnSync(
        'sh',
        ['-c', 'folder="$1"; shift; "$@" < "$folder"', 'sh', temp.dir, process.execPath, BIN, ...args],
        {cwd: temp.dir, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}},
      )
      expectHandled({code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}, 3)
      expect(result.stderr).toContain('Error: standard input is a folder, not a file')
    }
  })
})
