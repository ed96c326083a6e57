import {describe, expect, it} from 'vitest'
import {EMPTY_MAPPING, planColumns} from '../../src/core/column-plan.js'
import type {UserError} from '../../src/errors.js'

const fields = (plan: ReturnType<typeof planColumns>) => plan.fields.map((f) => [f.field, f.column])

describe('planColumns', () => {
  it('matches canonical names, Chinese aliases and loose spellings', () => {
    const plan = planColumns(
      ['客户号', 'Customer Name', '客户类型', 'AUM', '存款余额'],
      {columns: {'Customer Name': 'name'}, defaults: {}},
      'upsert',
    )
    expect(fields(plan)).toEqual([
      ['customer_id', 0],
      ['name', 1],
      ['type', 2],
      ['aum', 3],
      ['deposits', 4],
    ])
  })

  it('keeps columns that match nothing as extra columns, naming them', () => {
    const plan = planColumns(['customer_id', 'name', 'type', '风险偏好', ''], EMPTY_MAPPING, 'upsert')
    expect(plan.unknownColumns).toEqual(['风险偏好', 'column_5'])
  })

  it('adds a derived id_type when the file has ID numbers but no ID type', () => {
    const plan = planColumns(['customer_id', 'name', 'type', '证件号码'], EMPTY_MAPPING, 'upsert')
    expect(plan.fields.find((f) => f.field === 'id_type')).toEqual({field: 'id_type', column: null, derived: true})
  })

  it('fills a missing required field from a mapping default', () => {
    const plan = planColumns(
      ['CustomerId', 'Surname'],
      {columns: {Surname: 'name'}, defaults: {type: 'individual'}},
      'upsert',
    )
    expect(plan.fields.find((f) => f.field === 'type')).toEqual({field: 'type', column: null, fallback: 'individual'})
  })

  it('ignores the reject_ columns of a reject file, so it can be imported again', () => {
    const plan = planColumns(
      ['reject_line', 'reject_field', 'reject_reason', 'customer_id', 'name', 'type'],
      EMPTY_MAPPING,
      'upsert',
    )
    expect(plan.unknownColumns).toEqual([])
    expect(fields(plan)).toEqual([
      ['customer_id', 3],
      ['name', 4],
      ['type', 5],
    ])
  })

  it('refuses a file without the required columns, naming them and how to fix it', () => {
    expect(() => planColumns(['id', 'amount'], EMPTY_MAPPING, 'upsert')).toThrow(
      /no column for the required fields name .*type/,
    )
  })

  it('needs only customer_id for --mode update-only', () => {
    expect(fields(planColumns(['客户号', '金融资产'], EMPTY_MAPPING, 'update-only'))).toEqual([
      ['customer_id', 0],
      ['aum', 1],
    ])
  })

  it('refuses two columns that are both aliases of one field', () => {
    expect(() => planColumns(['客户号', 'id', 'name', 'type'], EMPTY_MAPPING, 'upsert')).toThrow(
      /columns "客户号" and "id" both mean the field customer_id/,
    )
  })

  it('takes a column named exactly as a field over one that is only an alias of it, keeping the alias as an unknown column', () => {
    for (const headers of [
      ['customer_id', '客户号', 'name', 'type'],
      ['id', 'customer_id', 'name', 'type'],
      ['id', 'Customer ID', 'name', 'type'],
    ]) {
      const plan = planColumns(headers, EMPTY_MAPPING, 'upsert')
      const exact = headers.findIndex((h) => h !== 'id' && h !== '客户号')
      expect(fields(plan)).toEqual([
        ['customer_id', exact],
        ['name', 2],
        ['type', 3],
      ])
      expect(plan.unknownColumns).toEqual([headers[exact === 0 ? 1 : 0]])
    }
  })

  it('still refuses a --map that sends a column to a field another column names exactly', () => {
    expect(() =>
      planColumns(
        ['id', 'customer_id', 'name', 'type'],
        {columns: {id: 'customer_id'}, defaults: {}, typed: ['id']},
        'upsert',
      ),
    ).toThrow(/both mean the field customer_id/)
    expect(() => planColumns(['customer_id', 'customer_id', 'name', 'type'], EMPTY_MAPPING, 'upsert')).toThrow(
      /both mean the field customer_id/,
    )
  })

  it('refuses a mapping to an unknown field with a suggestion', () => {
    const error = (() => {
      try {
        planColumns(['a', 'name', 'type'], {columns: {a: 'customer_idd'}, defaults: {}}, 'upsert')
      } catch (e) {
        return e as UserError
      }
    })()
    expect(error?.message).toContain('"customer_idd", which is not a customer field')
    expect(error?.hint).toContain('did you mean "customer_id"?')
    expect(error?.exitCode).toBe(3)
  })

  it('makes a --map to an unknown field a usage error (exit 2): the user typed it', () => {
    const error = (() => {
      try {
        planColumns(['a', 'name', 'type'], {columns: {a: 'customer_idd'}, defaults: {}, typed: ['a']}, 'upsert')
      } catch (e) {
        return e as UserError
      }
    })()
    expect(error?.message).toBe('--map sends "a" to "customer_idd", which is not a customer field')
    expect(error?.exitCode).toBe(2)
  })

  it('refuses a mapping from a column the file does not have', () => {
    expect(() =>
      planColumns(['customer_id', 'name', 'type'], {columns: {Balance: 'aum'}, defaults: {}}, 'upsert'),
    ).toThrow(/names column "Balance", which is not in the file's header/)
  })

  it('lets --map send a column nowhere with -', () => {
    const plan = planColumns(['customer_id', 'name', 'type', 'notes'], {columns: {notes: '-'}, defaults: {}}, 'upsert')
    expect(plan.unknownColumns).toEqual([])
  })

  it('drops a column the file does not have without a word, so one mapping serves a family of exports', () => {
    const plan = planColumns(['customer_id', 'name', 'type'], {columns: {Dependent_count: '-'}, defaults: {}}, 'upsert')
    expect(plan.dropped).toEqual([])
    expect(fields(plan)).toEqual([
      ['customer_id', 0],
      ['name', 1],
      ['type', 2],
    ])
  })

  it('maps every column a * glob matches, compared as headers are; an exact key wins over a glob', () => {
    const headers = [
      'customer_id',
      'name',
      'type',
      'Naive_Bayes_Classifier_1',
      'naive bayes classifier 2',
      'Naive_Bayes_Keep',
      'Other',
    ]
    const plan = planColumns(
      headers,
      {columns: {'Naive_Bayes_*': '-', Naive_Bayes_Keep: 'extra:Kept'}, defaults: {}},
      'upsert',
    )
    expect(plan.dropped).toEqual([3, 4])
    expect(plan.extras).toEqual([
      {column: 5, name: 'Kept'},
      {column: 6, name: 'Other'},
    ])
    expect(() => planColumns(headers, {columns: {'Score_*': 'aum'}, defaults: {}}, 'upsert')).toThrow(
      /names column "Score_\*", which is not in the file's header/,
    )
  })

  it('keeps a column as an extra under a new name with extra:NewName, and refuses an empty name or a field name', () => {
    const plan = planColumns(
      ['customer_id', 'name', 'type', 'Source'],
      {columns: {Source: 'extra: NewName'}, defaults: {}},
      'upsert',
    )
    expect(plan.extras).toEqual([{column: 3, name: 'NewName'}])
    expect(plan.unknownColumns).toEqual(['NewName'])
    expect(() =>
      planColumns(
        ['customer_id', 'name', 'type', 'Source'],
        {columns: {Source: 'extra:'}, defaults: {}, typed: ['Source']},
        'upsert',
      ),
    ).toThrow(/--map keeps "Source" as "extra:", which names no column/)
    expect(() =>
      planColumns(['customer_id', 'name', 'type', 'Source'], {columns: {Source: 'extra:aum'}, defaults: {}}, 'upsert'),
    ).toThrow(/but aum is a customer field/)
  })
})
