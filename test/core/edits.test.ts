import {describe, expect, it} from 'vitest'
import {
  CUSTOMER_EDIT_LOCKED,
  customerEdit,
  erasedDetails,
  erasedQuotes,
  erasedReason,
  erasedValues,
  parseSets,
  personalTexts,
  shownChanges,
} from '../../src/core/edits.js'
import {CUSTOMER_FIELDS} from '../../src/core/fields.js'
import {markPersonal, personalText} from '../../src/core/masking.js'

const C1 = {
  customer_id: 'C1',
  name: '王伟',
  type: 'individual',
  id_type: 'resident_id',
  id_number: '11010519491231002X',
  birth_date: '1949-12-31',
  phone: '17612348055',
  rm: 'RM01',
  aum: 600000000,
}
const sets = (...s: string[]) => parseSets(s, CUSTOMER_FIELDS, CUSTOMER_EDIT_LOCKED) as Map<string, string>

describe('parseSets', () => {
  it.each([
    [['rm=RM2'], [['rm', 'RM2']]],
    [['客户经理=RM2'], [['rm', 'RM2']]],
    [['RM=a=b'], [['rm', 'a=b']]],
    [['phone='], [['phone', '']]],
  ])('reads %j as field -> text (an import header names a field too)', (given, expected) => {
    expect([...sets(...given)]).toEqual(expected)
  })

  it.each([
    [['rmm=x'], 'did you mean rm?'],
    [['zzzzzz=x'], 'the fields are customer_id'.replace('customer_id', 'name')],
    [['customer_id=C2'], 'cannot be edited'],
    [['rm'], 'field=value'],
    [['rm=1', 'rm=2'], 'two values (as rm and as rm)'],
    [['客户经理=X', 'rm=Y'], 'two values (as 客户经理 and as rm)'],
  ])('refuses %j with a message saying what to do', (given, says) => {
    const parsed = parseSets(given, CUSTOMER_FIELDS, CUSTOMER_EDIT_LOCKED)
    expect('error' in parsed && parsed.error).toContain(says)
  })
})

describe('customerEdit', () => {
  it('returns only the fields whose value differs, money compared as fen', () => {
    expect(customerEdit(C1, sets('rm=RM01', 'aum=6,000,000'))).toEqual({changes: []})
    expect(customerEdit(C1, sets('rm=RM02', 'aum=6000000.01'))).toEqual({
      changes: [
        {field: 'rm', old: 'RM01', new: 'RM02'},
        {field: 'aum', old: 600000000, new: 600000001},
      ],
    })
  })

  it('reads full-width digits as an import does, and clears a field set empty', () => {
    expect(customerEdit(C1, sets('phone=１３９１２３４５６７８'))).toEqual({
      changes: [{field: 'phone', old: '17612348055', new: '13912345678'}],
    })
    expect(customerEdit(C1, sets('phone= '))).toEqual({changes: [{field: 'phone', old: '17612348055', new: null}]})
  })

  it('infers the ID type again for a new ID number, and checks it against the birth date', () => {
    const edit = customerEdit({...C1, birth_date: null}, sets('id_number=91350100M000100Y43', 'type=corporate'))
    expect(edit).toEqual({
      changes: [
        {field: 'type', old: 'individual', new: 'corporate'},
        {field: 'id_type', old: 'resident_id', new: 'uscc'},
        {field: 'id_number', old: '11010519491231002X', new: '91350100M000100Y43'},
      ],
    })
    const refused = customerEdit(C1, sets('birth_date=1950-01-01'))
    expect('issues' in refused && refused.issues[0].field).toBe('birth_date')
  })

  it('refuses an empty required field', () => {
    expect(customerEdit(C1, sets('name='))).toEqual({issues: [{field: 'name', reason: 'name is empty'}]})
  })
})

describe('shownChanges', () => {
  it('masks personal values and an individual name unless revealed', () => {
    const changes = [
      {field: 'name', old: '王伟', new: '王小伟'},
      {field: 'phone', old: '17612348055', new: null},
      {field: 'aum', old: 100, new: 200n},
    ]
    expect(shownChanges(changes, {reveal: false, individual: true})).toEqual([
      {field: 'name', old: '王*', new: '王*伟'},
      {field: 'phone', old: '176****8055', new: null},
      {field: 'aum', old: '1.00', new: '2.00'},
    ])
    expect(shownChanges(changes, {reveal: true})[1]).toEqual({field: 'phone', old: '17612348055', new: null})
  })
})

describe('erasing', () => {
  it('blanks the personal values a tier reason quotes, marked or stored unmarked by an older crm', () => {
    const marked = `phone ${markPersonal('phone', '17612348055')} is set; aum 5.00 >= 1`
    expect(personalText(erasedReason(marked), true)).toBe('phone  is set; aum 5.00 >= 1')
    expect(erasedReason("id_number '11010519491231002X' and birth_date 1949-12-31")).toBe(
      "id_number '' and birth_date ",
    )
  })

  it('blanks the personal fields of journal old values and keeps the rest', () => {
    expect(erasedValues({name: '王伟', rm: 'RM01', notes: 'x', aum: 5})).toEqual({
      name: null,
      rm: 'RM01',
      notes: null,
      aum: 5,
    })
  })

  it("blanks the kept columns an import journalled, as the erase blanks the customer's own", () => {
    expect(erasedValues({extra: '{"备用电话":"13812345678"}', updated_batch_id: 1})).toEqual({
      extra: '{}',
      updated_batch_id: 1,
    })
    expect(erasedValues({extra: null})).toEqual({extra: null})
  })

  it('lists the personal values of a record, kept columns included, none shorter than 2 characters', () => {
    expect(
      personalTexts({name: '王伟', rm: 'RM01', phone: null, extra: '{"备用电话":"13812345678","x":"a","n":12}'}),
    ).toEqual(['王伟', '13812345678', '12'])
    expect(personalTexts({extra: 'not json'})).toEqual([])
  })
})

// f5: an erase blanks personal keys and quoted values only.
describe('erasedDetails', () => {
  it.each([
    [{mode: 'upsert', file: 'k.csv'}, ['upsert'], {mode: 'upsert', file: 'k.csv'}],
    [{filter: {branch: '浦东支行'}}, ['浦东支行'], {filter: {branch: '浦东支行'}}],
    [{filter: {where: "name = '欧阳娜娜'"}}, ['欧阳娜娜'], {filter: {where: "name = '[erased]'"}}],
    [{filter: {search: '欧阳娜娜 139'}}, ['欧阳娜娜'], {filter: {search: ''}}],
    [{name: "O'Neil", n: 3}, ["O'Neil"], {name: '', n: 3}],
  ])('%j erasing %j is %j', (details, values, expected) => {
    expect(erasedDetails(details, values)).toEqual(expected)
  })

  it("replaces a quote with SQL's doubled quote inside it", () => {
    expect(erasedQuotes("name = 'O''Neil' or x = \"O'Neil\"", ["O'Neil"])).toBe('name = \'[erased]\' or x = "[erased]"')
  })
})
