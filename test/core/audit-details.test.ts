import {describe, expect, it} from 'vitest'
import {auditActionOf, maskAuditDetails} from '../../src/core/audit-details.js'

describe('maskAuditDetails', () => {
  it.each([
    [{old: {phone: '13912345678'}}, {old: {phone: '139****5678'}}],
    [{old: {id_number: '310104198509101382'}}, {old: {id_number: '310104********1382'}}],
    [{old: {name: '史伟霞'}}, {old: {name: '史*霞'}}],
    [{old: {birth_date: '1985-09-10'}}, {old: {birth_date: '1985-**-**'}}],
    [{filter: {search: '310104198509101382'}}, {filter: {search: '310104********1382'}}],
    [{note: 'called 13912345678 twice'}, {note: 'called 139****5678 twice'}],
    [{changes: [{field: 'phone', old: '13912345678'}]}, {changes: [{field: 'phone', old: '139****5678'}]}],
    [{old: {extra: {手机: '13912345678'}}}, {old: {extra: {手机: '139****5678'}}}],
  ])('masks the personal data in %j', (details, masked) => {
    expect(maskAuditDetails(details)).toEqual(masked)
  })

  it.each([
    [{batch: 3, file: 'c.csv', mode: 'upsert'}],
    [{customer_id: 'C100000001', status: 'complete'}],
    [{run: 2, scheme: 'retail-aum', filter: {branch: '上海分行'}}],
    [{rows: 12, ok: true, none: null}],
  ])('leaves %j as it is', (details) => {
    expect(maskAuditDetails(details)).toEqual(details)
  })
})

describe('auditActionOf', () => {
  it.each([
    ['customer import', 'customer.import'],
    ['crm customer import', 'customer.import'],
    ['  Customer.Import ', 'customer.import'],
    ['customer:import', 'customer.import'],
    ['db', 'db'],
    ['   ', ''],
  ])('reads %j as %j', (text, action) => {
    expect(auditActionOf(text)).toBe(action)
  })
})
