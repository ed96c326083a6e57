import type {ChalkInstance} from 'chalk'
import {type Customer, customerRecord, fieldText, type OutputOptions} from '../core/customer.js'
import {displayWidth, padDisplay} from '../core/display-width.js'
import {CUSTOMER_FIELDS, FIELD_NAMES, fieldSpec} from '../core/fields.js'
import {maskExtras} from '../core/masking.js'
import {visible} from '../core/visible.js'
import type {Choice} from './prompts.js'
import type {Column, View} from './row-writer.js'
import {instantForPeople} from '../core/dates.js'
import type {Lang} from './terminal.js'
import {say} from '../core/messages.js'

const LIST_FIELDS = ['customer_id', 'name', 'type', 'branch', 'rm', 'id_number', 'phone', 'aum', 'deposits', 'loans']
/** On a narrow terminal the list keeps these first (issue 19). */
const LIST_PRIORITY = ['customer_id', 'name', 'type', 'branch', 'rm', 'aum', 'id_number', 'phone', 'deposits', 'loans']
/** The fields of a customer's record, in order: every format of list and export carries these. */
export const CUSTOMER_KEYS: readonly string[] = [...FIELD_NAMES, 'extra', 'created_at', 'updated_at']
/** The amounts among them (yuan as text in a record; numbers in a workbook). */
const MONEY_KEYS: readonly string[] = CUSTOMER_FIELDS.filter((f) => f.kind === 'money').map((f) => f.name)
const TYPE_LABEL: Record<string, {en: string; zh: string}> = {
  individual: {en: 'individual', zh: '个人'},
  corporate: {en: 'corporate', zh: '对公'},
}
const VALUE_LABEL: Record<string, Record<string, {en: string; zh: string}>> = {
  type: TYPE_LABEL,
  id_type: {
    resident_id: {en: 'resident ID', zh: '居民身份证'},
    uscc: {en: 'unified social credit code', zh: '统一社会信用代码'},
    passport: {en: 'passport', zh: '护照'},
    other: {en: 'other', zh: '其他'},
  },
  status: {
    active: {en: 'active', zh: '正常'},
    dormant: {en: 'dormant', zh: '休眠'},
    closed: {en: 'closed', zh: '销户'},
  },
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
      priority: LIST_PRIORITY.indexOf(field),
      cell: (c) => labelled(field, fieldText(c, field, options, true), lang) ?? '',
    }
  })
  return {columns, keys: CUSTOMER_KEYS, record: (c) => customerRecord(c, options), money: MONEY_KEYS}
}

/** One customer, every field and the kept extra columns, as a person reads it. */
export function customerDetail(customer: Customer, lang: Lang, options: OutputOptions, chalk: ChalkInstance): string {
  const v = customer.values
  const text = (field: string) => {
    const value = fieldText(customer, field, options, true)
    return value === null ? null : visible(value)
  }
  const head = [
    chalk.bold(visible(String(v.name))),
    visible(String(v.customer_id)),
    TYPE_LABEL[String(v.type)]?.[lang] ?? visible(String(v.type)),
    v.branch ? visible(String(v.branch)) : null,
    v.rm ? say(lang, 'rmBefore', {rm: visible(String(v.rm))}) : null,
  ]
    .filter(Boolean)
    .join('  ')
  const lines = [head]
  const width = Math.max(...CUSTOMER_FIELDS.map((f) => displayWidth(f.label[lang])))
  for (const spec of CUSTOMER_FIELDS) {
    if (['name', 'customer_id', 'type'].includes(spec.name)) continue
    const value = labelled(spec.name, text(spec.name), lang)
    if (value === null) continue
    lines.push(
      `  ${padDisplay(spec.label[lang], width)}  ` +
        `${spec.name === 'overdue_days' ? say(lang, 'overdueDays', {days: value}) : value}`,
    )
  }
  const extras = Object.entries(options.reveal ? customer.extra : maskExtras(customer.extra))
  if (extras.length > 0) {
    lines.push(chalk.dim(`  ${say(lang, 'keptColumns')}`))
    const extraWidth = Math.max(...extras.map(([k]) => displayWidth(visible(k))))
    for (const [key, value] of extras) lines.push(`    ${padDisplay(visible(key), extraWidth)}  ${visible(value)}`)
  }
  lines.push(
    chalk.dim(
      `  ${say(lang, 'createdUpdated', {
        created: instantForPeople(customer.createdAt),
        updated: instantForPeople(customer.updatedAt),
      })}`,
    ),
  )
  return lines.join('\n')
}

// Moved to core (scheme errors measure it too); the views still import them from here.
export {displayWidth, padDisplay}

/** A customer to pick in a search prompt: number and name, with the branch beside. */
export function customerChoice(c: Customer): Choice {
  return {
    value: String(c.values.customer_id),
    name: `${c.values.customer_id}  ${c.values.name}`,
    description: String(c.values.branch ?? ''),
  }
}
