import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Columns an import keeps (extras) have no field to say they are personal: a value that looks like an ID number, a
// phone or an e-mail is masked in every output unless --reveal.
const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]
const ID = '11010519491231002X'
const MOBILE = '13912345678'
const MAIL = 'wang.fang@example.cn'
const LANDLINE = '0571-87654321'

beforeAll(() => {
  const file = join(temp.dir, 'kept.csv')
  writeFileSync(
    file,
    `customer_id,name,type,身份证,手机,contact_mail,座机,note\nP001,王芳,individual,${ID},${MOBILE},${MAIL},${LANDLINE},VIP since 2019\n`,
  )
  expectHandled(crm(['customer', 'import', file, ...db]), 0)
})

describe('kept columns that look like personal data', () => {
  it.each([
    ['customer show', ['customer', 'show', 'P001']],
    ['customer list --json', ['customer', 'list', '--json']],
    ['customer list --format csv', ['customer', 'list', '--format', 'csv']],
    ['customer list --format ndjson', ['customer', 'list', '--format', 'ndjson']],
    ['customer export', ['customer', 'export']],
    ['customer export --format json', ['customer', 'export', '--format', 'json']],
  ])('are masked in %s, and other kept values are not', (_, args) => {
    const result = crm([...args, ...db])
    expectHandled(result, 0)
    for (const secret of [ID, MOBILE, MAIL, LANDLINE]) expect(result.stdout).not.toContain(secret)
    expect(result.stdout).toContain('110105********002X')
    expect(result.stdout).toContain('139****5678')
    expect(result.stdout).toContain('0571-****4321')
    expect(result.stdout).toContain('VIP since 2019')
  })

  it('are shown whole with --reveal, in the table path and the SQL path alike', () => {
    for (const args of [
      ['customer', 'show', 'P001', '--reveal'],
      ['customer', 'list', '--json', '--reveal'],
    ]) {
      const result = crm([...args, ...db])
      expectHandled(result, 0)
      for (const secret of [ID, MOBILE, MAIL, LANDLINE]) expect(result.stdout).toContain(secret)
    }
  })

  it('are masked in an export written to a file', () => {
    const out = join(temp.dir, 'book.csv')
    expectHandled(crm(['customer', 'export', '--output', out, ...db]), 0)
    const text = readFileSync(out, 'utf8')
    for (const secret of [ID, MOBILE, MAIL, LANDLINE]) expect(text).not.toContain(secret)
  })
})

describe('kept phones with separators and kept birth dates (named so)', () => {
  const own = tempDir()
  afterAll(own.cleanup)
  const at = ['--db', own.db]
  const PHONES = ['138-0013-8000', '138 0013 8000', '+86 138 0013 8000', '+86-13800138000']
  const DATES = ['1985-03-04', '1985年3月4日']
  const header = 'customer_id,name,type,p1,p2,p3,p4,生日,出生年月,spouse_birthday,DOB,opened'
  const row = `Q1,李雷,individual,${PHONES.join(',')},${DATES[0]},${DATES[1]},${DATES[0]},${DATES[1]},1985-03-04`
  beforeAll(() => {
    // 生日 would be taken as birth_date: mapped to a kept column of that name, as an export's own header could be.
    writeFileSync(join(own.dir, 'k.csv'), `${header}\n${row}\n`)
    expectHandled(crm(['customer', 'import', join(own.dir, 'k.csv'), '--map', '生日=extra:生日', ...at]), 0)
  })
  // Phones masked as the undecorated phone is: separators dropped, the first 3 and last 4 characters kept.
  const MASKED = ['138****8000', '+86*******8000', '1985-**-**', '1985年*月*日']

  it.each([
    ['customer show', ['customer', 'show', 'Q1']],
    ['customer list --json', ['customer', 'list', '--json']],
    ['customer list --format csv', ['customer', 'list', '--format', 'csv']],
    ['customer export', ['customer', 'export']],
    ['customer export --format ndjson', ['customer', 'export', '--format', 'ndjson']],
  ])('are masked in %s; a date in a column not named a birth date stays', (_, args) => {
    const result = crm([...args, ...at])
    expectHandled(result, 0)
    for (const secret of [...PHONES, DATES[1]]) expect(result.stdout).not.toContain(secret)
    for (const masked of MASKED) expect(result.stdout).toContain(masked)
    // Three birth dates masked, the date a customer opened the account shown.
    expect(result.stdout.split('1985-03-04')).toHaveLength(2)
    expect(result.stdout).toMatch(/opened\W+1985-03-04/)
  })

  it('are shown whole with --reveal', () => {
    const result = crm(['customer', 'list', '--json', '--reveal', ...at])
    expectHandled(result, 0)
    for (const secret of [...PHONES, ...DATES]) expect(result.stdout).toContain(secret)
  })

  it('are masked in classify check unless --reveal', () => {
    const file = join(own.dir, 'check.csv')
    writeFileSync(file, `${header.replace('生日', '客户生日')}\n${row}\n`)
    const masked = crm(['classify', 'check', file, '--scheme', 'retail-aum', '--format', 'csv'])
    expectHandled(masked, 0)
    // A cell starting with + is written with an apostrophe before it, so that a spreadsheet does not read a formula.
    expect(masked.stdout).toContain(
      "Q1,李雷,individual,138****8000,138****8000,'+86*******8000,'+86*******8000,1985-**-**,1985年*月*日,1985-**-**,1985年*月*日,1985-03-04,",
    )
    const revealed = crm(['classify', 'check', file, '--scheme', 'retail-aum', '--format', 'csv', '--reveal'])
    expect(revealed.stdout).toContain(row.replaceAll(',+86', ",'+86"))
  })
})

describe('rules that read kept columns', () => {
  const scheme = (name: string, extras: string, rule: string): string => {
    const file = join(temp.dir, `${name}.yaml`)
    writeFileSync(
      file,
      `name: ${name}\nversion: '1'\nextras: {${extras}}\ntiers:\n  - {id: a, rule: "${rule}"}\n  - {id: other}\n`,
    )
    return file
  }
  beforeAll(() => {
    const file = join(temp.dir, 'refs.csv')
    writeFileSync(
      file,
      `customer_id,name,type,ref,segment\nR001,李四,individual,13800138000,VIP\nR002,赵六,individual,x,B\n`,
    )
    expectHandled(crm(['customer', 'import', file, ...db]), 0)
  })

  it.each([
    [
      'a kept column whose name says it is personal',
      scheme('by-name', '手机: text', "starts_with(手机, '1391')"),
      'kept column 手机',
    ],
    [
      'a literal that looks like a phone',
      scheme('by-literal', 'segment: text', "segment = '13912345678'"),
      'kept column segment',
    ],
    ['a kept column whose values look like a phone', scheme('by-value', 'ref: text', "ref = 'x'"), 'kept column "ref"'],
  ])('are refused without --reveal, dry runs included: %s (exit 2)', (_, file, named) => {
    const result = crm(['classify', '--scheme', file, '--dry-run', ...db])
    expectHandled(result, 2)
    expect(result.stderr).toContain(named)
    expect(result.stderr).toContain('--reveal')
  })

  it('run with --reveal, and their reasons mask kept values that look personal unless --reveal', () => {
    const run = json<{run: number}>(
      crm(['classify', '--scheme', scheme('refs', 'ref: text', "ref = 'x'"), '--reveal', '--json', ...db]),
    ).run
    const shown = crm(['classify', 'show', String(run), '--format', 'csv', ...db])
    expectHandled(shown, 0)
    expect(shown.stdout).not.toContain('13800138000')
    expect(shown.stdout).toContain("ref '138****8000'")
    expect(crm(['classify', 'show', String(run), '--format', 'csv', '--reveal', ...db]).stdout).toContain(
      "ref '13800138000'",
    )
  })

  it('that read ordinary kept values run without --reveal, with the values in reasons', () => {
    const result = crm([
      'classify',
      '--scheme',
      scheme('segments', 'segment: text', "segment = 'VIP'"),
      '--json',
      ...db,
    ])
    expectHandled(result, 0)
    expect(
      crm(['classify', 'show', String(json<{run: number}>(result).run), '--format', 'csv', ...db]).stdout,
    ).toContain("segment 'VIP' = 'VIP'")
  })
})

describe('classify check', () => {
  it("masks the input's kept columns that look personal unless --reveal, and its help says so", () => {
    const file = join(temp.dir, 'leads.csv')
    writeFileSync(file, `customer_id,name,type,手机,remark,note\nL1,王芳,individual,${MOBILE},${ID},VIP since 2019\n`)
    const masked = crm(['classify', 'check', file, '--scheme', 'retail-aum', '--format', 'csv'])
    expectHandled(masked, 0)
    for (const secret of [MOBILE, ID]) expect(masked.stdout).not.toContain(secret)
    expect(masked.stdout).toContain('139****5678,110105********002X,VIP since 2019')
    const revealed = crm(['classify', 'check', file, '--scheme', 'retail-aum', '--format', 'csv', '--reveal'])
    expect(revealed.stdout).toContain(`${MOBILE},${ID},VIP since 2019`)
    expect(crm(['classify', 'check', '--help']).stdout).toMatch(/kept columns\)? where a value looks like an ID number/)
  })
})

describe('kept values that hold personal data however an export writes it', () => {
  const own = tempDir()
  afterAll(own.cleanup)
  const at = ['--db', own.db]
  // Each value and the text no output may show (its middle digits, or its mailbox) unless --reveal.
  const VALUES: readonly [string, string, string][] = [
    ['id_label', 'ID:110105194912310021', '19491231'],
    ['id_spaced', '110105 19491231 0021', '19491231'],
    ['id_dashed', '110105-1949-1231-0021', '1949-1231'],
    ['id_wide', '１１０１０５１９４９１２３１００２１', '１９４９１２３１'],
    ['mobile_cc', '(+86) 138-1234-5678', '1234'],
    ['mobile_spaced', '+86 138 1234 5678', '1234'],
    ['mobile_0086', '0086-138-1234-5678', '1234'],
    ['mobile_zwsp', '139\u200b8765\u200b4321', '8765'],
    ['mail_wide', 'wang.fang＠example.cn', 'wang.fang'],
  ]
  beforeAll(() => {
    const file = join(own.dir, 'hostile.csv')
    const header = ['customer_id', 'name', 'type', ...VALUES.map(([name]) => name), 'note'].join(',')
    writeFileSync(file, `${header}\nH1,王芳,individual,${VALUES.map(([, value]) => value).join(',')},VIP since 2019\n`)
    expectHandled(crm(['customer', 'import', file, ...at]), 0)
  })

  it.each([
    ['customer show', ['customer', 'show', 'H1']],
    ['customer list', ['customer', 'list']],
    ['customer list --json', ['customer', 'list', '--json']],
    ['customer list --format csv', ['customer', 'list', '--format', 'csv']],
    ['customer export', ['customer', 'export']],
    ['customer export --format ndjson', ['customer', 'export', '--format', 'ndjson']],
  ])('are masked in %s', (_, args) => {
    const result = crm([...args, ...at])
    expectHandled(result, 0)
    for (const [name, , secret] of VALUES) expect(result.stdout, name).not.toContain(secret)
    expect(result.stdout).toContain('VIP since 2019')
    if (!args.includes('list') || args.length > 2) {
      expect(result.stdout).toContain('ID:110105********0021')
      expect(result.stdout).toContain('+86*******5678')
      expect(result.stdout).toContain('w********@example.cn')
    }
  })

  it('are shown as written with --reveal', () => {
    const result = crm(['customer', 'list', '--json', '--reveal', ...at])
    expectHandled(result, 0)
    const extra = json<{extra: Record<string, string>}[]>(result)[0].extra
    for (const [name, value] of VALUES) expect(extra[name]).toBe(value)
  })

  it('are refused as a rule literal without --reveal', () => {
    const file = join(own.dir, 'wide.yaml')
    writeFileSync(
      file,
      "name: wide\nversion: '1'\nextras: {note: text}\ntiers:\n  - {id: a, rule: \"note = '１３８ １２３４ ５６７８'\"}\n  - {id: other}\n",
    )
    const result = crm(['classify', '--scheme', file, '--dry-run', ...at])
    expectHandled(result, 2)
    expect(result.stderr).toContain('--reveal')
  })
})
