import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {EMPTY_MAPPING, planColumns} from '../../src/core/column-plan.js'
import {customerRowValidator} from '../../src/core/row-validator.js'

const header = ['客户号', '客户名称', '客户类型', '证件号码', '手机号码', '开户日期', '金融资产', '逾期天数', '客户状态', '备注']
const validate = customerRowValidator(planColumns(header, EMPTY_MAPPING, 'upsert'))
const row = (overrides: Record<number, string> = {}) => {
  const cells = ['C001', '王伟', '个人', '11010519491231002X', '139 1234 5678', '2024/1/5', '1,234.50', '0', '正常', '老客户']
  for (const [i, v] of Object.entries(overrides)) cells[Number(i)] = v
  return cells
}

describe('customerRowValidator', () => {
  it('turns a good row into typed values in schema order, with the extra column as JSON', () => {
    expect(validate(row())).toEqual({
      values: ['C001', '王伟', 'individual', 'resident_id', '11010519491231002X', '13912345678', '2024-01-05', 123450, 0, 'active'],
      extra: '{"备注":"老客户"}',
      warnings: undefined,
    })
  })

  it('takes amounts up to what SQLite stores as an integer and refuses larger ones with the limit', () => {
    const max = validate(row({6: '92,233,720,368,547,758.07'}))
    expect('values' in max && max.values[7]).toBe(9223372036854775807n)
    expect(validate(row({6: '92233720368547758.08'}))).toEqual({issues: [{field: 'aum',
      reason: "92233720368547758.08 is too large to store (at most 92,233,720,368,547,758.07): check the column's unit"}]})
  })

  it('keeps any text in the extra columns as JSON that reads back to the same cells, as JSON.stringify writes it', () => {
    const twoExtras = customerRowValidator(planColumns([...header, '2024', 'note "x"'], EMPTY_MAPPING, 'upsert'))
    fc.assert(fc.property(fc.string({unit: 'binary'}), fc.string({unit: 'grapheme'}), (a, b) => {
      const result = twoExtras([...row({9: a}), b, 'y'])
      if (!('extra' in result)) throw new Error('the row was refused')
      expect(JSON.parse(result.extra)).toEqual({备注: a, 2024: b, 'note "x"': 'y'})
      expect(result.extra).toBe(`{"备注":${JSON.stringify(a)},"2024":${JSON.stringify(b)},"note \\"x\\"":"y"}`)
    }), {numRuns: 2000})
  })

  it.each([
    [{2: '对公'}, 'corporate'], [{2: '企业'}, 'corporate'], [{2: 'Corporate'}, 'corporate'], [{2: '对私'}, 'individual'],
  ])('reads the customer type alias %j', (overrides, type) => {
    const result = validate(row({...overrides, 3: ''}))
    expect('values' in result && result.values[2]).toBe(type)
  })

  it('keeps leading zeros in identifiers', () => {
    const result = validate(row({0: '000123'}))
    expect('values' in result && result.values[0]).toBe('000123')
  })

  it('reports every problem of a row, each with its field', () => {
    expect(validate(row({1: ' ', 3: '110105194912310021', 5: '2024-02-30', 6: '12,34.5', 7: '-3', 8: 'gone'}))).toEqual({issues: [
      {field: 'name', reason: 'name is empty'},
      {field: 'opened_on', reason: '2024-02-30 is not a date'},
      {field: 'aum', reason: expect.stringContaining('"12,34.5" is not an amount')},
      {field: 'overdue_days', reason: '-3 is negative: it must be 0 or more'},
      {field: 'status', reason: expect.stringContaining('"gone" is not a status')},
      {field: 'id_number', reason: 'check digit should be X, not 1'},
    ]})
  })

  it('refuses a row whose column count differs from the header', () => {
    expect(validate(['C1', '王伟', '个人'])).toEqual({issues: [{field: '-', reason: 'the row has 3 columns but the header has 10'}]})
  })

  it('accepts trailing empty cells that Excel sometimes adds', () => {
    expect(validate([...row(), '', ''])).toHaveProperty('values')
  })

  it('refuses a negative balance but accepts a negative contribution', () => {
    const v = customerRowValidator(planColumns(['customer_id', 'name', 'type', 'loans', 'contribution'], EMPTY_MAPPING, 'upsert'))
    expect(v(['C1', 'A', 'individual', '-1', '0'])).toHaveProperty('issues')
    expect(v(['C1', 'A', 'individual', '1', '-1,000.5'])).toHaveProperty('values', ['C1', 'A', 'individual', 100, -100050])
  })
})
