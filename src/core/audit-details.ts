import {maskField, maskKept, maskLookalike, maskName, PERSONAL_FIELDS, personalColumnName} from './masking.js'

// Keys whose values are a person's name: masked as names are in lists.
const NAME_KEYS = new Set(['name', 'customer_name', 'contact_name'])
// f4: audit masking of changes. The keys of a change ({field: 'id_number', old: …, new: …}) whose values are the
// named field's: masked as that field is, whatever the key is called.
const CHANGE_VALUE_KEYS = new Set(['old', 'new', 'from', 'to', 'before', 'after', 'value'])

/**
 * An audit entry's details as output shows them unless --reveal: what an edit, a delete or an erase recorded may be
 * a customer's old values (a name, an ID number, a phone, notes), and a --reveal's filter may be a searched ID number.
 * A personal field's value is masked as that field is (by its key, at any depth, or as a change's old and new values
 * by the field the change names), a name as names are, a kept
 * column's by its name (maskKept), and any other text that looks like an ID number, a phone or an e-mail address
 * (maskLookalike). Numbers, booleans and the structure stay as they are.
 */
export function maskAuditDetails(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => maskAuditDetails(v, key))
  if (value !== null && typeof value === 'object') {
    const masked: Record<string, unknown> = {}
    const field = (value as {field?: unknown}).field
    for (const [k, v] of Object.entries(value))
      masked[k] = maskAuditDetails(v, typeof field === 'string' && CHANGE_VALUE_KEYS.has(k) ? field : k)
    return masked
  }
  if (key === undefined || (typeof value !== 'string' && typeof value !== 'number')) return value
  const text = String(value)
  if (PERSONAL_FIELDS.includes(key)) return maskField(key, text)
  if (NAME_KEYS.has(key)) return maskName(text)
  if (personalColumnName(key)) return maskKept(key, text)
  return typeof value === 'string' ? maskLookalike(value) : value
}

/**
 * What `audit list --command` matches: an action (customer.import, which also matches customer.import.complete) or a
 * command as typed (customer import, crm customer import). Returns the action prefix it stands for.
 */
export function auditActionOf(text: string): string {
  return text
    .trim()
    .replace(/^crm\s+/i, '')
    .trim()
    .split(/[\s.:]+/)
    .filter((w) => w !== '')
    .join('.')
    .toLowerCase()
}
