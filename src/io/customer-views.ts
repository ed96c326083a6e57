import type {ChalkInstance} from 'chalk'
import {type Customer, customerRecord, fieldText, type OutputOptions} from '../core/customer.js'
import {displayWidth, padDisplay} from '../core/display-width.js'
import {CUSTOMER_FIELDS, fieldSpec} from '../core/fields.js'
import type {Column, View} from './render.js'
import type {Lang} from './terminal.js'

const LIST_FIELDS = ['customer_id', 'name', 'type', 'branch', 'rm', 'id_number', 'phone', 'aum', 'deposits', 'loans']
const TYPE_LABEL: Record<string, {en: string; zh: string}> = {individual: {en: 'individual', zh: '个人'}, corporate: {en: 'corporate', zh: '对公'}}
const VALUE_LABEL: Record<string, Record<string, {en: string; zh: string}>> = {
  type: TYPE_LABEL,
  id_type: {resident_id: {en: 'resident ID', zh: '居民身份证'}, uscc: {en: 'unified social credit code', zh: '统一社会信用代码'}, passport: {en: 'passport', zh: '护照'}, other: {en: 'other', zh: '其他'}},
  status: {active: {en: 'active', zh: '正常'}, dormant: {en: 'dormant', zh: '休眠'}, closed: {en: 'closed', zh: '销户'}},
}

/** An enum value in the reader's language (type, ID type, status); other values as they are. */
function labelled(field: string, value: string | null, lang: Lang): string | null {
  return value === null ? null : (VALUE_LABEL[field]?.[value]?.[lang] ?? value)
}

/** The customer list: a short table for people, every field for scripts. */
export function customerListView(lang: Lang, options: OutputOptions): View<Customer> {
  const columns: Column<Customer>[] = LIST_FIELDS.map((field) => {
    const spec = fieldSpec(field)!
    return {
      header: spec.label[lang],
      align: spec.kind === 'money' ? 'right' : 'left',
      cell: (c) => labelled(field, fieldText(c, field, options, true), lang) ?? '',
    }
  })
  return {columns, record: (c) => ({...customerRecord(c, options), extra: c.extra})}
}

/** One customer, every field and the kept extra columns, as a person reads it. */
export function customerDetail(customer: Customer, lang: Lang, options: OutputOptions, chalk: ChalkInstance): string {
  const v = customer.values
  const zh = lang === 'zh'
  const text = (field: string) => fieldText(customer, field, options, true)
  const head = [chalk.bold(String(v.name)), String(v.customer_id), TYPE_LABEL[String(v.type)]?.[lang] ?? String(v.type),
    v.branch ? String(v.branch) : null, v.rm ? `${zh ? '客户经理' : 'RM'} ${v.rm}` : null].filter(Boolean).join('  ')
  const lines = [head]
  const width = Math.max(...CUSTOMER_FIELDS.map((f) => displayWidth(f.label[lang])))
  for (const spec of CUSTOMER_FIELDS) {
    if (['name', 'customer_id', 'type'].includes(spec.name)) continue
    const value = labelled(spec.name, text(spec.name), lang)
    if (value === null) continue
    lines.push(`  ${padDisplay(spec.label[lang], width)}  ${value}${spec.name === 'overdue_days' ? (zh ? ' 天' : ' days') : ''}`)
  }
  const extras = Object.entries(customer.extra)
  if (extras.length > 0) {
    lines.push(chalk.dim(zh ? '  其他列（导入时保留）' : '  Other columns (kept from imports)'))
    const extraWidth = Math.max(...extras.map(([k]) => displayWidth(k)))
    for (const [key, value] of extras) lines.push(`    ${padDisplay(key, extraWidth)}  ${value}`)
  }
  lines.push(chalk.dim(`  ${zh ? '创建' : 'created'} ${customer.createdAt} · ${zh ? '更新' : 'updated'} ${customer.updatedAt}`))
  return lines.join('\n')
}

// Moved to core (scheme errors measure it too); the views still import them from here.
export {displayWidth, padDisplay}
