import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {EMPTY_MAPPING, planColumns} from '../../src/core/column-plan.js'
import {CONTACT_FIELDS, CUSTOMER_FIELDS, OPTIONAL_CUSTOMER_FIELDS} from '../../src/core/fields.js'
import {residentIdCheckChar} from '../../src/core/identifiers.js'
import {contactRowValidator, customerRowValidator, type RowIssue, type RowResult} from '../../src/core/row-validator.js'

const header = [
  '客户号',
  '客户名称',
  '客户类型',
  '证件号码',
  '手机号码',
  '开户日期',
  '金融资产',
  '逾期天数',
  '客户状态',
  '备注',
]
const validate = customerRowValidator(planColumns(header, EMPTY_MAPPING, 'upsert'))
const row = (overrides: Record<number, string> = {}) => {
  const cells = [
    'C001',
    '王伟',
    '个人',
    '11010519491231002X',
    '139 1234 5678',
    '2024/1/5',
    '1,234.50',
    '0',
    '正常',
    '老客户',
  ]
  for (const [i, v] of Object.entries(overrides)) cells[Number(i)] = v
  return cells
}

describe('customerRowValidator', () => {
  it('turns a good row into typed values in schema order, with the extra column as JSON', () => {
    expect(validate(row())).toEqual({
      values: [
        'C001',
        '王伟',
        'individual',
        'resident_id',
        '11010519491231002X',
        '13912345678',
        '2024-01-05',
        123450,
        0,
        'active',
      ],
      extra: '{"备注":"老客户"}',
      warnings: undefined,
    })
  })

  it('takes amounts up to 10^15 yuan and refuses larger ones with the limit', () => {
    const max = validate(row({6: '1,000,000,000,000,000.00'}))
    expect('values' in max && max.values[7]).toBe(10n ** 17n)
    expect(validate(row({6: '1000000000000000.01'}))).toEqual({
      issues: [
        {
          field: '金融资产 [aum]',
          reason:
            "the amount 1000000000000000.01 is too large to store: one amount may be at most 1,000,000,000,000,000.00 yuan; check the column's unit",
        },
      ],
    })
    expect(validate(row({6: '92,233,720,368,547,758.07'}))).toHaveProperty('issues')
  })

  it('keeps any text in the extra columns as JSON that reads back to the same cells, as JSON.stringify writes it', () => {
    const twoExtras = customerRowValidator(planColumns([...header, '2024', 'note "x"'], EMPTY_MAPPING, 'upsert'))
    fc.assert(
      fc.property(fc.string({unit: 'binary'}), fc.string({unit: 'grapheme'}), (a, b) => {
        const result = twoExtras([...row({9: a}), b, 'y'])
        if (!('extra' in result)) throw new Error('the row was refused')
        expect(JSON.parse(result.extra)).toEqual({备注: a, 2024: b, 'note "x"': 'y'})
        expect(result.extra).toBe(`{"备注":${JSON.stringify(a)},"2024":${JSON.stringify(b)},"note \\"x\\"":"y"}`)
      }),
      {numRuns: 2000},
    )
  })

  it.each([
    [{2: '对公'}, 'corporate'],
    [{2: '企业'}, 'corporate'],
    [{2: 'Corporate'}, 'corporate'],
    [{2: '对私'}, 'individual'],
  ])('reads the customer type alias %j', (overrides, type) => {
    const result = validate(row({...overrides, 3: ''}))
    expect('values' in result && result.values[2]).toBe(type)
  })

  it('keeps leading zeros in identifiers', () => {
    const result = validate(row({0: '000123'}))
    expect('values' in result && result.values[0]).toBe('000123')
  })

  it('reports every problem of a row, each with its field', () => {
    expect(validate(row({1: ' ', 3: '110105194912310021', 5: '2024-02-30', 6: '12,34.5', 7: '-3', 8: 'gone'}))).toEqual(
      {
        issues: [
          {field: '客户名称 [name]', reason: '客户名称 [name] is empty'},
          {field: '开户日期 [opened_on]', reason: '2024-02-30 is not a date'},
          {field: '金融资产 [aum]', reason: expect.stringContaining('"12,34.5" is not an amount')},
          {field: '逾期天数 [overdue_days]', reason: 'the number -3 is negative: it must be 0 or more'},
          {field: '客户状态 [status]', reason: expect.stringContaining('"gone" is not a status')},
          {field: '证件号码 [id_number]', reason: 'check digit should be X, not 1'},
        ],
      },
    )
  })

  it('refuses a row whose column count differs from the header', () => {
    expect(validate(['C1', '王伟', '个人'])).toEqual({
      issues: [{field: '-', reason: 'the row has 3 columns but the header has 10'}],
    })
  })

  it('accepts trailing empty cells that Excel sometimes adds', () => {
    expect(validate([...row(), '', ''])).toHaveProperty('values')
  })

  it('refuses a negative balance but accepts a negative contribution', () => {
    const v = customerRowValidator(
      planColumns(['customer_id', 'name', 'type', 'loans', 'contribution'], EMPTY_MAPPING, 'upsert'),
    )
    expect(v(['C1', 'A', 'individual', '-1', '0'])).toHaveProperty('issues')
    expect(v(['C1', 'A', 'individual', '1', '-1,000.5'])).toHaveProperty('values', [
      'C1',
      'A',
      'individual',
      100,
      -100050,
    ])
  })
})

/** The issue a one-cell change gets, or the values when the row is accepted. */
const issueFor = (overrides: Record<number, string>) => {
  const result = validate(row(overrides))
  return 'issues' in result ? result.issues : result.values
}

describe('customerRowValidator: one dirty cell', () => {
  it.each([
    ['110105 19491231 002X', 'has spaces in it: write it without spaces'],
    [
      '3.10104E+17',
      'Excel turned this ID number into a number (3.10104E+17) and lost its last digits: format the column as text',
    ],
    ['110105********0021', 'masked (110105********0021): masked ID numbers cannot be imported'],
    ['护照12345', 'holds Chinese text ("护照"): put the kind of ID in the id_type column'],
    ['91310000.MA1FL0007', 'holds ".", which no ID number has'],
    ['110105\u000719491231002X', 'invisible or broken character (U+0007) at character 7'],
    ['1'.repeat(41), '41 characters long'],
  ])('refuses the ID number %j with a reason that says how to fix it', (id, reason) => {
    expect(issueFor({3: id})).toEqual([{field: '证件号码 [id_number]', reason: expect.stringContaining(reason)}])
  })

  it('never repeats a whole ID number in a reason', () => {
    for (const id of ['11010519491231002X 1', '11010519491231002X.', '11010519491231002X护照', '11010519491231002X*']) {
      const [issue] = issueFor({3: id}) as readonly RowIssue[]
      expect(issue.reason).not.toContain('11010519491231002X')
    }
  })

  it("refuses a person's 17 or 19 digits as a mistyped resident ID, not as an ID of another kind", () => {
    expect(issueFor({3: '11010519491231002'})).toEqual([
      {field: '证件号码 [id_number]', reason: expect.stringContaining('this one has 17')},
    ])
    expect(issueFor({3: '110105194912310021X'})).toEqual([
      {field: '证件号码 [id_number]', reason: expect.stringContaining('this one has 19')},
    ])
    expect(issueFor({2: '对公', 3: '11010519491231002'})).toContain('other')
  })

  it('reads full-width digits and letters in ID numbers, amounts and dates as ASCII', () => {
    expect(
      issueFor({3: '１１０１０５１９４９１２３１００２ｘ', 5: '２０２４－０１－０５', 6: '１，２３４.５０'}),
    ).toEqual([
      'C001',
      '王伟',
      'individual',
      'resident_id',
      '11010519491231002X',
      '13912345678',
      '2024-01-05',
      123450,
      0,
      'active',
    ])
    expect(issueFor({4: '１３９ １２３４ ５６７８', 7: '０'})).toContain('13912345678')
    expect(issueFor({0: 'Ｃ００１', 1: 'Ｗａｎｇ'})).toEqual(expect.arrayContaining(['C001', 'Ｗａｎｇ']))
  })

  it.each([
    [
      6,
      '3.1E+17',
      '金融资产 [aum]',
      '金融资产 [aum] is in scientific notation (3.1E+17), as Excel writes long numbers',
    ],
    [6, '****', '金融资产 [aum]', '金融资产 [aum] is masked'],
    [4, '139****5678', '手机号码 [phone]', '手机号码 [phone] is masked (139****5678)'],
    [5, '2024-01-05\u0000', '开户日期 [opened_on]', 'invisible or broken character (U+0000) at character 11'],
    [1, '王\u001b[2J伟', '客户名称 [name]', 'invisible or broken character (U+001B)'],
    [0, 'C\ud800', '客户号 [customer_id]', 'invisible or broken character (U+D800)'],
    // A second customer that looks like the first, or a name shown backwards.
    [0, 'C001\u200b', '客户号 [customer_id]', 'invisible or broken character (U+200B) at character 5'],
    [1, '王\u202e伟', '客户名称 [name]', 'invisible or broken character (U+202E)'],
    [7, '9'.repeat(500), '逾期天数 [overdue_days]', '500 characters long'],
  ])('refuses cell %i = %j with a reason for %s', (column, cell, field, reason) => {
    expect(issueFor({[column]: cell})).toEqual([{field, reason: expect.stringContaining(reason)}])
  })

  it('refuses a mailto: link, a name with its address, or a list, each of which is not one address', () => {
    const v = customerRowValidator(planColumns(['customer_id', 'name', 'type', 'email'], EMPTY_MAPPING, 'upsert'))
    for (const text of ['mailto:a@b.com', 'Wang <wang@bank.com>', 'a@b.com;c@d.com', 'a@b.com,c@d.com'])
      expect(v(['C1', 'A', '个人', text])).toEqual({
        issues: [{field: 'email', reason: expect.stringContaining('is not an e-mail address')}],
      })
    expect(v(['C1', 'A', '个人', "o'brien+crm@bank.com.cn"])).toHaveProperty('values')
  })

  it('refuses a masked e-mail address, which has the shape of a real one', () => {
    const v = customerRowValidator(planColumns(['customer_id', 'name', 'type', 'email'], EMPTY_MAPPING, 'upsert'))
    expect(v(['C1', 'A', '个人', 'w*****@bank.com'])).toEqual({
      issues: [{field: 'email', reason: expect.stringContaining('masked (w*****@bank.com)')}],
    })
    expect(v(['C1', 'A', '个人', 'wang.wei@bank.com'])).toHaveProperty('values')
  })
})

describe('customerRowValidator: identity and dates', () => {
  const columns = ['customer_id', 'name', 'type', 'id_number', 'birth_date', 'opened_on', 'last_txn_on']
  const today = '2026-11-29'
  const v = customerRowValidator(planColumns(columns, EMPTY_MAPPING, 'upsert'), CUSTOMER_FIELDS, today)
  const id = (first17: string) => first17 + residentIdCheckChar(first17)
  const issues = (cells: string[]) => {
    const result = v(cells)
    return 'issues' in result ? result.issues : []
  }

  it('takes a person whose dates are all in the past and agree with the ID', () => {
    expect(v(['C1', '王伟', '个人', id('11010519850910138'), '1985-09-10', '2020-01-05', today])).toHaveProperty(
      'values',
    )
  })

  it("refuses a resident ID born after today, or whose first two digits are no province's", () => {
    expect(issues(['C1', '王伟', '个人', id('11010520991231002'), '', '', ''])).toEqual([
      {field: 'id_number', reason: expect.stringContaining('birth date in the ID (characters 7 to 14) is after today')},
    ])
    for (const region of ['99', '10', '16', '39', '72', '84', '00']) {
      expect(issues(['C1', '王伟', '个人', id(`${region}010519850910138`), '', '', ''])).toEqual([
        {field: 'id_number', reason: expect.stringContaining('region code (characters 1 and 2) is not a province')},
      ])
    }
    for (const region of ['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '83'])
      expect(issues(['C1', '王伟', '个人', id(`${region}010519850910138`), '', '', ''])).toEqual([])
  })

  it('refuses a birth_date after today or before 1900, and an opened_on or last_txn_on after today', () => {
    expect(issues(['C1', '王伟', '个人', '', '2026-11-30', '2026-11-30', '2027-01-01'])).toEqual([
      {field: 'birth_date', reason: 'birth_date 2026-**-** is after today (2026-11-29): check the date'},
      {field: 'opened_on', reason: 'opened_on 2026-11-30 is after today (2026-11-29): check the date'},
      {field: 'last_txn_on', reason: 'last_txn_on 2027-01-01 is after today (2026-11-29): check the date'},
    ])
    expect(issues(['C1', '王伟', '个人', '', '1899-12-31', '', ''])).toEqual([
      {field: 'birth_date', reason: 'birth_date 1899-**-** is before 1900: check the date'},
    ])
    expect(issues(['C1', '王伟', '个人', '', '1900-01-01', today, today])).toEqual([])
  })

  it("refuses a birth_date that is not the resident ID's, naming both masked", () => {
    const reasons = issues(['C1', '王伟', '个人', id('11010519850910138'), '1985-09-11', '', ''])
    expect(reasons).toEqual([
      {
        field: 'birth_date',
        reason:
          'birth_date 1985-**-** is not the birth date in id_number 110105********1381 (1985-**-**): correct one of them',
      },
    ])
    expect(JSON.stringify(reasons)).not.toContain('09-1')
  })

  it("tells a company's row with a person's resident ID in it that it is one, not a bad USCC", () => {
    expect(issues(['C1', '某公司', '对公', '440524188001010014', '', '', ''])).toEqual([
      {
        field: 'id_number',
        reason: expect.stringContaining('looks like a resident ID, not a unified social credit code'),
      },
    ])
    expect(issues(['C1', '某公司', '对公', '91350100M000100Y43', '', '', ''])).toEqual([])
  })
})

describe('contactRowValidator', () => {
  const plan = planColumns(
    ['customer_id', 'at', 'channel', 'purpose', 'notes', 'follow_up_on'],
    {columns: {}, defaults: {direction: 'out'}},
    'upsert',
    CONTACT_FIELDS,
  )
  const validateContact = contactRowValidator(plan, '2026-11-28T09:00:00')

  it('refuses a contact dated in the future, as contact log does', () => {
    expect(validateContact(['C1', '2099-01-01', 'phone', 'review', '', ''])).toEqual({
      issues: [{field: 'at', reason: expect.stringContaining('2099-01-01 00:00:00 is in the future')}],
    })
    expect(validateContact(['C1', '2026-11-28 09:00', 'phone', 'review', '', ''])).toHaveProperty('values')
  })

  it('takes a follow-up date already past on an old contact, which is history, but not one before its contact', () => {
    expect(validateContact(['C1', '2024-03-05 10:00', 'phone', 'review', '', '2024-04-01'])).toHaveProperty('values')
    expect(validateContact(['C1', '2024-03-05 10:00', 'phone', 'review', '', '2024-03-05'])).toHaveProperty('values')
    expect(validateContact(['C1', '2024-03-05 10:00', 'phone', 'review', '', '2024-03-01'])).toEqual({
      issues: [
        {
          field: 'follow_up_on',
          reason: 'the follow-up date 2024-03-01 is before the contact itself (2024-03-05): check both dates',
        },
      ],
    })
  })

  it('keeps notes byte for byte, control characters included', () => {
    expect(validateContact(['C1', '2024-03-05', 'phone', 'review', 'a\u0000b\u001b', ''])).toHaveProperty('values')
  })
})

describe('every validator, whatever a cell holds', () => {
  const hostile = fc.oneof(
    fc.string({unit: 'binary'}),
    fc.string({unit: 'binary', minLength: 200, maxLength: 5000}),
    fc.string({
      unit: fc.constantFrom(...'０１２３４５６７８９．，－／＊＋Ｅｘ 　\t\u0000\u001b\u0085\ud800\udc00年月日元¥*.+-E'),
      maxLength: 40,
    }),
    fc.constantFrom(
      '3.10104E+17',
      '110105********0021',
      '护照12345',
      '91310000.MA1FL0007',
      '9'.repeat(400),
      '1'.repeat(17),
      '1'.repeat(19),
      '-0',
      '0x10',
      'NaN',
    ),
  )
  const headerOf = (fields: readonly {name: string}[]) => fields.map((f) => f.name)
  const cases: [string, string[], (cells: readonly string[]) => RowResult][] = [
    [
      'customer import',
      headerOf(CUSTOMER_FIELDS),
      customerRowValidator(planColumns(headerOf(CUSTOMER_FIELDS), EMPTY_MAPPING, 'upsert')),
    ],
    [
      'classify check',
      headerOf(CUSTOMER_FIELDS),
      customerRowValidator(
        planColumns(headerOf(CUSTOMER_FIELDS), EMPTY_MAPPING, 'update-only', OPTIONAL_CUSTOMER_FIELDS),
        OPTIONAL_CUSTOMER_FIELDS,
      ),
    ],
    [
      'contact import',
      headerOf(CONTACT_FIELDS),
      contactRowValidator(
        planColumns(headerOf(CONTACT_FIELDS), EMPTY_MAPPING, 'upsert', CONTACT_FIELDS),
        '2026-11-28T09:00:00',
      ),
    ],
  ]

  it.each(cases)(
    '%s: never throws, and gives values for every field or issues that can be printed',
    (_, header, validateRow) => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(header.length - 1), hostile), {minLength: 1, maxLength: 4}), (dirty) => {
          const cells = header.map(() => '')
          for (const [column, text] of dirty) cells[column] = text
          const result = validateRow(cells)
          if ('values' in result) {
            expect(result.values.every((v) => v !== undefined)).toBe(true)
            return
          }
          expect(result.issues.length).toBeGreaterThan(0)
          for (const {field, reason} of result.issues) {
            expect(header).toContain(field)
            expect(reason.length).toBeGreaterThan(0)
            expect(reason.length).toBeLessThan(400)
            expect(reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]|[\ud800-\udfff]/u)
          }
        }),
        {numRuns: 3000},
      )
    },
  )
})
