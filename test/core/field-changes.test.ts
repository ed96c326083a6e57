import {describe, expect, it} from 'vitest'
import {fieldOfColumn, shownValue, summarizeChanges} from '../../src/core/field-changes.js'

describe('fieldOfColumn', () => {
  it.each([
    ['aum_fen', 'aum'],
    ['loans_fen', 'loans'],
    ['name', 'name'],
    ['extra', 'extra'],
    ['updated_batch_id', 'updated_batch_id'],
  ])('reads column %s as field %s', (column, field) => {
    expect(fieldOfColumn(column)).toBe(field)
  })
})

describe('shownValue', () => {
  it.each([
    ['name', '王芳', 'individual', false, '王*'],
    ['name', '欧阳娜婷', 'individual', false, '欧**婷'],
    ['name', '某某有限公司', 'corporate', false, '某某有限公司'],
    ['name', '王芳', 'individual', true, '王芳'],
    ['id_number', '11010519491231002X', 'individual', false, '110105********002X'],
    ['phone', '13812345678', 'individual', false, '138****5678'],
    ['birth_date', '1949-12-31', 'individual', false, '1949-**-**'],
    ['aum_fen', 123456, 'individual', false, '1234.56'],
    ['branch', 'B1', 'individual', false, 'B1'],
    ['branch', null, 'individual', false, ''],
    ['extra', '{"手机":"13812345678","风险":"稳健"}', 'individual', false, '{"手机":"138****5678","风险":"稳健"}'],
    ['extra', 'not json', 'individual', false, '***'],
  ])('shows %s %j (%s, reveal %s) as %j', (column, value, type, reveal, shown) => {
    expect(shownValue(column, value, type, reveal)).toBe(shown)
  })
})

describe('summarizeChanges', () => {
  it('gives each field its count and examples, masked', () => {
    const summary = summarizeChanges(
      [
        {
          column: 'name',
          count: 665,
          examples: [{customerId: 'C1001', type: 'individual', before: '王芳', after: '测试客户'}],
        },
        {column: 'aum_fen', count: 2, examples: [{customerId: 'C1', type: 'individual', before: 100, after: null}]},
      ],
      false,
    )
    expect(summary).toEqual([
      {field: 'name', count: 665, examples: [{customer_id: 'C1001', from: '王*', to: '测**户'}]},
      {field: 'aum', count: 2, examples: [{customer_id: 'C1', from: '1.00', to: ''}]},
    ])
  })
})
