import type {ColumnPlan, PlannedField} from './column-plan.js'
import {CONTACT_FIELDS, CUSTOMER_FIELDS, type FieldSpec, headerIndex, normalizeHeader} from './fields.js'
import {KEPT, maskField, maskName, PERSONAL_FIELDS} from './masking.js'
import {en} from './messages.js'
import {formatFen} from './money.js'
import {contactRowValidator, customerRowValidator, type FieldValue, type RowIssue} from './row-validator.js'
import {closestMatch} from './suggest.js'

/** One field an edit changed: its value before and after (money in fen, as stored). */
export interface FieldChange {
  readonly field: string
  readonly old: FieldValue
  readonly new: FieldValue
}

export type EditResult = {readonly changes: FieldChange[]} | {readonly issues: readonly RowIssue[]}

/** What an edit may not change: the key rows are matched on, and what crm writes itself. */
const CUSTOMER_LOCKED = ['customer_id']
const CONTACT_LOCKED = ['customer_id', 'utc_offset']

/** The customer fields that are personal data: blanked by an erase, masked in edit output unless --reveal. */
export const ERASED_CUSTOMER_FIELDS: readonly string[] = ['name', ...PERSONAL_FIELDS]
/** An erased customer's kept columns (customers.extra): none, since any of them may be personal data. */
export const ERASED_EXTRA = '{}'
/** A contact's free text, where personal data may be written: blanked by an erase, masked in output. */
export const ERASED_CONTACT_FIELDS: readonly string[] = ['notes', 'outcome']

/**
 * The `--set field=value` flags as field -> text. A field may be named as an import's header names it (客户经理 is
 * rm); an unknown one is refused with the nearest field, a locked one (the key) with why, and one given twice (客户经理=X
 * and rm=Y) with both names: which was meant is not for crm to guess.
 */
export function parseSets(
  sets: readonly string[],
  fields: readonly FieldSpec[],
  locked: readonly string[],
): Map<string, string> | {error: string} {
  const names = fields.map((f) => f.name).filter((f) => !locked.includes(f))
  const aliases = headerIndex(fields)
  const parsed = new Map<string, string>()
  const typedAs = new Map<string, string>()
  for (const set of sets) {
    const at = set.indexOf('=')
    if (at < 0) return {error: en('setNeedsValue', {set: set.slice(0, 60)})}
    const typed = set.slice(0, at).trim()
    const field = aliases.get(normalizeHeader(typed)) ?? typed
    if (locked.includes(field)) return {error: en('setLocked', {field})}
    if (!names.includes(field)) {
      const near = closestMatch(typed, names)
      return {
        error: en('setUnknownField', {
          field: typed.slice(0, 60),
          hint:
            near === undefined ? en('setFieldsAre', {fields: names.join(', ')}) : en('didYouMean', {candidates: near}),
        }),
      }
    }
    const before = typedAs.get(field)
    if (before !== undefined)
      return {error: en('setTwice', {field, first: before.slice(0, 60), second: typed.slice(0, 60)})}
    typedAs.set(field, typed)
    parsed.set(field, set.slice(at + 1))
  }
  return parsed
}

/** A stored value as the text a file's cell would hold (money as 1234.56), for the import's validator. */
function cellText(spec: FieldSpec, value: FieldValue): string {
  if (value === null || value === undefined) return ''
  return spec.kind === 'money' ? formatFen(value as number | bigint) : String(value)
}

/**
 * The fields a change to `set` is checked with: an ID number with the customer's type and birth date (and its ID type,
 * inferred again unless set), as an import checks a row that carries them.
 */
const CUSTOMER_CONTEXT = ['type', 'id_type', 'id_number', 'birth_date']
const CONTACT_CONTEXT = ['at', 'utc_offset', 'follow_up_on']

function planFor(
  fields: readonly FieldSpec[],
  sets: ReadonlyMap<string, string>,
  current: Readonly<Record<string, FieldValue>>,
  context: readonly string[],
  derive: (field: string) => boolean,
): {plan: ColumnPlan; cells: string[]} {
  const wanted = new Set(sets.keys())
  if ([...wanted].some((f) => context.includes(f))) for (const f of context) wanted.add(f)
  const headers: string[] = []
  const cells: string[] = []
  const planned: PlannedField[] = []
  for (const spec of fields) {
    if (!wanted.has(spec.name)) continue
    if (!sets.has(spec.name) && derive(spec.name)) {
      planned.push({field: spec.name, column: null, derived: true})
      continue
    }
    planned.push({field: spec.name, column: headers.length})
    headers.push(spec.name)
    cells.push(sets.get(spec.name) ?? cellText(spec, current[spec.name] ?? null))
  }
  return {plan: {headers, fields: planned, extras: [], unknownColumns: []}, cells}
}

function changesOf(
  plan: ColumnPlan,
  values: readonly FieldValue[],
  current: Readonly<Record<string, FieldValue>>,
): FieldChange[] {
  const changes: FieldChange[] = []
  plan.fields.forEach((f, i) => {
    const old = current[f.field] ?? null
    const now = values[i] ?? null
    if (old === null ? now !== null : now === null || String(old) !== String(now))
      changes.push({field: f.field, old, new: now})
  })
  return changes
}

/**
 * Checks a customer edit exactly as an import checks a row that carries the fields set (customerRowValidator), and
 * returns the fields it changes; an edit to the same values changes nothing. An ID number set alone has its ID type
 * inferred again, as an import without an ID type column does.
 */
export function customerEdit(
  current: Readonly<Record<string, FieldValue>>,
  sets: ReadonlyMap<string, string>,
  today?: string,
): EditResult {
  const {plan, cells} = planFor(
    CUSTOMER_FIELDS,
    sets,
    current,
    CUSTOMER_CONTEXT,
    (f) => f === 'id_type' && sets.has('id_number'),
  )
  const result = customerRowValidator(plan, CUSTOMER_FIELDS, today)(cells)
  if ('issues' in result) return {issues: result.issues}
  return {changes: changesOf(plan, result.values, current)}
}

/** Checks a contact edit as a contact import checks a row (contactRowValidator); `now` is local wall-clock time. */
export function contactEdit(
  current: Readonly<Record<string, FieldValue>>,
  sets: ReadonlyMap<string, string>,
  now: string,
): EditResult {
  const {plan, cells} = planFor(CONTACT_FIELDS, sets, current, CONTACT_CONTEXT, () => false)
  const result = contactRowValidator(plan, now)(cells)
  if ('issues' in result) return {issues: result.issues}
  return {changes: changesOf(plan, result.values, current)}
}

export const CUSTOMER_EDIT_LOCKED = CUSTOMER_LOCKED
export const CONTACT_EDIT_LOCKED = CONTACT_LOCKED

/**
 * A value as an edit's output shows it: money as 1234.56, personal data masked unless revealed (a person's name to
 * its family name, as summaries show it; notes and outcomes as kept columns are), none as null.
 */
export function shownValue(
  field: string,
  value: FieldValue,
  options: {reveal: boolean; individual?: boolean},
): string | null {
  if (value === null || value === undefined) return null
  const spec = CUSTOMER_FIELDS.find((f) => f.name === field)
  const text = spec?.kind === 'money' ? formatFen(value as number | bigint) : String(value)
  if (options.reveal) return text
  if (field === 'name') return options.individual === false ? text : maskName(text)
  if (ERASED_CONTACT_FIELDS.includes(field)) return maskField(KEPT, text)
  return maskField(field, text)
}

/** The changes as output shows them, each field's old and new value masked unless revealed. */
export function shownChanges(
  changes: readonly FieldChange[],
  options: {reveal: boolean; individual?: boolean},
): {field: string; old: string | null; new: string | null}[] {
  return changes.map((c) => ({
    field: c.field,
    old: shownValue(c.field, c.old, options),
    new: shownValue(c.field, c.new, options),
  }))
}

/** A value as JSON holds it: a bigint (money past 2^53 fen) as its digits. */
export function jsonValue(value: FieldValue): string | number | null {
  return typeof value === 'bigint' ? value.toString() : value
}

/** The old values of the changed fields, as the undo journal (customer_changes.old_values) keeps them. */
export function oldValues(changes: readonly FieldChange[]): Record<string, string | number | null> {
  return Object.fromEntries(changes.map((c) => [c.field, jsonValue(c.old)]))
}

/** Marked personal values in a stored reason (masking.ts markPersonal), emptied: what an erase leaves of them. */
const MARKED = /\uE000([a-z_]+)\uE001[^\uE000-\uE002]*\uE002/g
const UNMARKED = /\b(id_number|phone|email) '[^']*'|\b(birth_date) \d{4}-\d{2}-\d{2}/g

/** A tier reason with the personal values it quotes blanked (an erased customer's). */
export function erasedReason(text: string): string {
  return text
    .replace(MARKED, (_, field: string) => `\uE000${field}\uE001\uE002`)
    .replace(UNMARKED, (_, field?: string, dateField?: string) =>
      field === undefined ? `${dateField} ` : `${field} ''`,
    )
}

/** Undo-journal old values (or an audit entry's changes) with an erased customer's personal fields blanked. */
export function erasedValues(values: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(values))
    kept[field] =
      ERASED_CUSTOMER_FIELDS.includes(field) || ERASED_CONTACT_FIELDS.includes(field)
        ? null
        : field === 'extra' && value !== null
          ? ERASED_EXTRA
          : value
  return kept
}

// --- f5: erase scrubs the quoted values and personal keys, never other facts (mode, branch, file, rm…) ---

/** What an erase leaves where a --where, a search or a scheme's rule quoted one of the erased customer's values. */
export const ERASED_QUOTE = '[erased]'

/** Free text (a --where, a scheme's rule) with each quoted value among `values` ('…' or "…") replaced by [erased]. */
export function erasedQuotes(text: string, values: readonly string[]): string {
  let out = text
  for (const value of values) {
    const forms: [string, string][] = [
      [`'${value.replaceAll("'", "''")}'`, `'${ERASED_QUOTE}'`],
      [`"${value}"`, `"${ERASED_QUOTE}"`],
    ]
    for (const [quoted, blank] of forms) out = out.split(quoted).join(blank)
  }
  return out
}

// A list's --search is free text typed to find a customer: its value is personal when it holds one of the values.
const PERSONAL_KEYS = new Set([...ERASED_CUSTOMER_FIELDS, ...ERASED_CONTACT_FIELDS, 'search'])

/**
 * Stored details (an audit entry's, a run's filter) with an erased customer's values taken out: a personal key's
 * value (name, phone, notes…) that holds one is blanked, and free text that quotes one has the quote replaced by
 * [erased]. Every other value is kept as it is, even one equal to the customer's name (an import's mode, a branch).
 */
export function erasedDetails(details: unknown, values: readonly string[], key?: string): unknown {
  if (typeof details === 'string') {
    if (key !== undefined && PERSONAL_KEYS.has(key) && values.some((v) => details.includes(v))) return ''
    return erasedQuotes(details, values)
  }
  if (Array.isArray(details)) return details.map((d) => erasedDetails(d, values, key))
  if (details !== null && typeof details === 'object')
    return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, erasedDetails(v, values, k)]))
  return details
}
/**
 * The personal values an erased customer's record and journal hold, as text: its personal fields and the values of
 * its kept columns (`extra`, a JSON text of them), each at least 2 characters (so not part of any word).
 */
export function personalTexts(values: Record<string, unknown>): string[] {
  const texts: string[] = []
  for (const [field, value] of Object.entries(values)) {
    if (ERASED_CUSTOMER_FIELDS.includes(field) || ERASED_CONTACT_FIELDS.includes(field)) texts.push(String(value ?? ''))
    else if (field === 'extra' && typeof value === 'string') texts.push(...keptTexts(value))
  }
  return texts.filter((t) => [...t].length >= 2)
}

/** The values of a JSON text of kept columns (an unreadable one holds none crm wrote). */
function keptTexts(extra: string): string[] {
  try {
    const kept = JSON.parse(extra) as unknown
    if (kept === null || typeof kept !== 'object') return []
    return Object.values(kept)
      .filter((v) => v !== null && v !== undefined)
      .map(String)
  } catch {
    return []
  }
}
