import type {ColumnPlan} from './column-plan.js'
import {contactTimeProblem, followUpProblem} from './contact-input.js'
import {
  dateReader,
  excelSerialDate,
  isExcelSerial,
  localDateTime,
  parseDateTime,
  parseUtcOffset,
  splitOffset,
} from './dates.js'
import {CONTACT_FIELDS, CUSTOMER_FIELDS, type FieldSpec, fieldSpec, normalizeHeader} from './fields.js'
import {
  characterName,
  checkResidentId,
  checkUscc,
  ID_NUMBER,
  type IdCheck,
  idNumberProblem,
  inferIdType,
  mistypedResidentId,
  normalizePhone,
  residentIdBirthDate,
} from './identifiers.js'
import {maskBirthDate, maskEmail, maskField, maskIdNumber, maskPhone, PERSONAL_FIELDS} from './masking.js'
import {type Fen, formatFen, parseFen} from './money.js'
import {en} from './messages.js'

export type FieldValue = string | number | bigint | null
export interface RowIssue {
  readonly field: string
  readonly reason: string
}
/** A row that passed: values line up with plan.fields; extra is the kept columns as a JSON object. */
export interface ValidRow {
  readonly values: FieldValue[]
  readonly extra: string
  readonly warnings?: readonly RowIssue[]
}
export type RowResult = ValidRow | {readonly issues: readonly RowIssue[]}

type Parsed = FieldValue | {error: string}
const INTEGER = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$/
// No characters RFC 5322 keeps for its own syntax (a `mailto:` link, `Name <a@b.com>`, a list `a@b.com;c@d.com`).
const EMAIL = /^[^\s@:;,<>()[\]"\\]+@[^\s@:;,<>()[\]"\\]+\.[^\s@:;,<>()[\]"\\]+$/
const MAX_INTEGER = 2_147_483_647
/** The longest e-mail address there is (RFC 5321); longer text is not tested against EMAIL, which is slow on it. */
const MAX_EMAIL = 254

function parseInteger(text: string): Parsed {
  const m = INTEGER.exec(text)
  if (m === null)
    return {error: text.trim().startsWith('-') ? en('negativeCount', {text}) : en('notWholeNumber', {text})}
  const n = Number(m[1].includes(',') ? m[1].replaceAll(',', '') : m[1])
  return n > MAX_INTEGER ? {error: en('tooLarge', {text})} : n
}

/**
 * The largest amount crm takes: 10^15 yuan, in fen. Far above any real balance: a larger one is a wrong unit or a typo.
 */
const MAX_FEN = 10n ** 17n

function parseMoney(text: string, signed: boolean): Parsed {
  const fen: Fen | {error: string} = parseFen(text)
  if (typeof fen === 'object') return fen
  if (!signed && fen < 0) return {error: en('negativeAmount', {text})}
  if (typeof fen === 'bigint' && (fen > MAX_FEN || fen < -MAX_FEN)) {
    return {error: en('amountTooLarge', {text, max: formatFen(MAX_FEN, {separators: true})})}
  }
  return fen
}

/** An enum's parser: its spellings are looked up as written first, so only other casings pay for lower-casing. */
function enumParser(spec: FieldSpec): (text: string) => Parsed {
  const spellings = new Map(Object.entries(spec.values ?? {}))
  return (text) => {
    const value = spellings.get(text) ?? spellings.get(text.toLowerCase())
    if (value !== undefined) return value
    const canonical = [...new Set(spellings.values())]
    return {
      error: en('notAFieldChoice', {
        text,
        field: spec.name,
        values: canonical.join(', '),
        example: [...spellings.keys()].find((k) => /[^\x00-\x7F]/.test(k)) ?? '',
      }),
    }
  }
}

/** A customer enum typed on the command line (--type 个人), read as the same column of a file is. */
export function readCustomerEnum(field: 'type' | 'status', text: string): string | {error: string} {
  return enumParser(fieldSpec(field)!)(text.trim()) as string | {error: string}
}

/**
 * Control characters (C0, DEL, C1), lone surrogates (broken UTF-16, which JSON input can carry) and invisible format
 * characters (a zero-width space, a direction override): never part of a name, a code or a number, unsafe to print
 * back, and a way to make a second customer or manager that looks like the first.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udfff]|\p{Cf}/u

/** Any character beyond ASCII: only such a cell can change under NFKC normalisation. */
export const NON_ASCII = /[^\u0000-\u007f]/

/**
 * A key (customer_id) as import reads its cell, and as commands read one typed on the command line: spaces around it
 * dropped, full-width letters and digits as ASCII (NFKC).
 */
export function readKey(text: string): string {
  const t = text.trim()
  return NON_ASCII.test(t) ? t.normalize('NFKC').trim() : t
}

// Files banks send: how an import reads dates, and reject fields named as the file names them.

/**
 * A date column's parser that also reads Excel serial dates (45296), when the column holds only them: the first cell
 * of the column decides, and a later cell of the other kind is refused, naming the first.
 */
function datedParser(readDate: (text: string) => Parsed, label: string, time: boolean): (text: string) => Parsed {
  let serials: string | null | undefined
  return (text) => {
    const serial = isExcelSerial(text)
    if (serials === undefined) serials = serial ? text : null
    if (serials === null) return readDate(text)
    if (!serial) return {error: en('serialDateMixed', {field: label, first: serials, text})}
    const date = excelSerialDate(text)
    return time ? `${date}T00:00:00` : date
  }
}

/** How a reject names a field: as the file's column does, with the field in brackets when they differ (金融资产 [aum]). */
function fieldLabels(plan: ColumnPlan): Map<string, string> {
  const labels = new Map<string, string>()
  for (const {field, column} of plan.fields) {
    const header = column === null ? undefined : plan.headers[column]?.replace(/^\uFEFF/, '').trim()
    if (header !== undefined && header !== '' && normalizeHeader(header) !== normalizeHeader(field))
      labels.set(field, `${header} [${field}]`)
  }
  return labels
}
// End of files banks send.

/** A parser for one field's cell text (already trimmed and non-empty). */
function valueParser(
  spec: FieldSpec,
  reading: Pick<ColumnPlan, 'dateFormat'> = {},
  label: string = spec.name,
): (text: string) => Parsed {
  switch (spec.kind) {
    case 'money':
      return (t) => parseMoney(t, spec.signed === true)
    case 'integer':
      return parseInteger
    case 'date':
      return datedParser(dateReader(reading.dateFormat), label, false)
    // A time may end in its offset from UTC, kept after the wall-clock time for the row's check to take (contacts).
    case 'datetime': {
      const readDate = dateReader(reading.dateFormat)
      return datedParser(
        (t) => {
          const split = splitOffset(t)
          if ('error' in split) return split
          const at = parseDateTime(split.text, readDate)
          return typeof at === 'string' && split.offset !== null ? `${at}${split.offset}` : at
        },
        label,
        true,
      )
    }
    case 'enum':
      return enumParser(spec)
    // A masked address (w*****@bank.com, as crm's own exports write it) has the shape of one, but is not one.
    case 'email':
      return (t) =>
        t.length <= MAX_EMAIL && EMAIL.test(t) && !t.includes('**') && !UNPRINTABLE.test(t)
          ? t
          : {error: en('notAnEmail', {text: maskEmail(t)})}
    case 'phone':
      return (t) => {
        const p = normalizePhone(t)
        return typeof p === 'string' ? p : {error: p.reason}
      }
    case 'id_number':
      return (t) => (ID_NUMBER.test(t) ? t.toUpperCase() : {error: idNumberProblem(t)})
    default:
      if (spec.verbatim) return (t) => t
      // A key Excel wrote in scientific notation (3.1E+17) lost its last digits: it would merge different customers.
      if (spec.key)
        return (t) =>
          UNPRINTABLE.test(t)
            ? {error: ''}
            : EXCEL_KEY.test(t)
              ? {error: en('scientificNotation', {field: label, text: t})}
              : // A masked value (138****1234, as crm's exports write a phone) is no key: refused as in other fields.
                MASKED.test(t)
                ? {error: en('keyMasked', {field: label, masked: t})}
                : readKey(t)
      return (t) => (UNPRINTABLE.test(t) ? {error: ''} : t)
  }
}

/**
 * Parses a cell; one that fails and holds characters beyond ASCII is tried again after NFKC normalisation, so
 * full-width digits and letters (１，２３４.５０, ２０２４－０１－０５) read as their ASCII forms. A cell that parses
 * as written never pays for the normalisation.
 */
function parseCell(parse: (text: string) => Parsed, text: string): Parsed {
  const parsed = parse(text)
  if (parsed === null || typeof parsed !== 'object' || !NON_ASCII.test(text)) return parsed
  const normalized = text.normalize('NFKC')
  return normalized === text ? parsed : parse(normalized)
}

/** Longer than this, a cell is not a date, an amount or a code, and its text is not repeated in a reason. */
const LONGEST_SHOWN = 100
const EXCEL_NUMBER = /^[+-]?\d+(?:\.\d+)?E[+-]?\d+$/i
/** A key as Excel writes a long number (3.1E+17): a code such as 12E5 stays a code. */
const EXCEL_KEY = /^\d+(?:\.\d+)?E\+\d+$/i
/** What crm's masks leave in a cell: a run of asterisks. */
const MASKED = /[*＊]{2,}/

/**
 * The reason a cell is refused, better than the parser's own when the cell is plainly dirty: it holds a control
 * character, is far too long, is masked, or Excel rewrote it (scientific notation, a date as its serial number).
 */
function reasonFor(spec: FieldSpec, text: string, error: string, label: string = spec.name): string {
  const reason = plainReason(spec, text, error, label)
  // An ID number's reasons (idNumberProblem) are written never to repeat it whole; Excel's 3.10104E+17 shows only the
  // digits a masked ID shows.
  return PERSONAL_FIELDS.includes(spec.name) && spec.kind !== 'id_number' ? maskedIn(reason, spec.name, text) : reason
}

/**
 * A reason about a personal field with the cell masked wherever it is repeated (a birth date that is not a date, a
 * phone in scientific notation), on the console, in --json and in the reject file's reason: the reject file's own
 * columns keep the row as it was. Short text is masked whole by the maskers, and could match words of the reason.
 */
function maskedIn(reason: string, field: string, text: string): string {
  let masked = reason
  for (const form of new Set([text, text.normalize('NFKC')]))
    if (form.length >= 5) masked = masked.replaceAll(form, maskField(field, form))
  return masked
}

function plainReason(spec: FieldSpec, text: string, error: string, label: string): string {
  const unprintable = UNPRINTABLE.exec(text)
  if (unprintable !== null) {
    return en('invisibleCharacter', {
      field: label,
      char: characterName(unprintable[0]),
      at: [...text.slice(0, unprintable.index)].length + 1,
    })
  }
  if (spec.kind === 'text' || spec.kind === 'id_number') return error
  if (text.length > LONGEST_SHOWN)
    return en('farTooLong', {field: label, length: text.length, kind: KIND_WORDS[spec.kind]})
  if (MASKED.test(text))
    return en('fieldMasked', {
      field: label,
      masked: spec.kind === 'phone' ? maskPhone(text) : spec.kind === 'email' ? maskEmail(text) : text,
    })
  if (EXCEL_NUMBER.test(text) && (spec.kind === 'money' || spec.kind === 'integer' || spec.kind === 'phone')) {
    return en('scientificNotation', {field: label, text})
  }
  if (/^\d{5}(?:\.\d+)?$/.test(text) && (spec.kind === 'date' || spec.kind === 'datetime')) {
    return en('excelSerialDate', {text})
  }
  return error
}

const KIND_WORDS: Readonly<Record<FieldSpec['kind'], string>> = {
  text: 'text',
  enum: en('kindChoice'),
  id_number: en('kindIdNumber'),
  phone: en('kindPhone'),
  email: en('kindEmail'),
  date: en('typeDate'),
  datetime: en('kindDateTime'),
  money: en('typeAmount'),
  integer: en('kindWholeNumber'),
}

/** A check across a row's values once each field has parsed: issues reject the row, warnings do not. */
export type RowCheck = (values: FieldValue[]) => {issues?: RowIssue[]; warnings?: RowIssue[]} | undefined

/** Builds a function that checks one row of cells against the plan, returning typed values or every problem found. */
export function rowValidator(
  plan: ColumnPlan,
  fields: readonly FieldSpec[],
  check?: RowCheck,
): (cells: readonly string[]) => RowResult {
  // Everything about a field that the loop needs, looked up once rather than for every row.
  const specs = plan.fields.map((f) => fieldSpec(f.field, fields) as FieldSpec)
  const labels = fieldLabels(plan)
  const labelOf = (field: string) => labels.get(field) ?? field
  const names = specs.map((spec) => labelOf(spec.name))
  const parsers = specs.map((spec, i) => valueParser(spec, plan, names[i]))
  const columns = plan.fields.map((f) => f.column ?? -1)
  const fallbacks = plan.fields.map((f) => f.fallback ?? '')
  const trimmed = specs.map((spec) => spec.verbatim !== true)
  const columnCount = plan.headers.length
  const extraJson = extrasWriter(plan)

  // A cell crm neutralised in a CSV export or reject file ('=1+2) was read back as it was (=1+2) by RecordSource.
  return (cells) => {
    if (cells.length !== columnCount && !onlyEmptyBeyond(cells, columnCount)) {
      return {issues: [{field: '-', reason: en('rowWidth', {cells: cells.length, header: columnCount})}]}
    }
    let issues: RowIssue[] | undefined
    const values: FieldValue[] = new Array(specs.length)
    for (let i = 0; i < specs.length; i++) {
      const column = columns[i]
      const cell = column < 0 ? '' : (cells[column] ?? '')
      let text = trimmed[i] ? cell.trim() : cell
      if (text === '') text = fallbacks[i]
      if (text === '') {
        if (specs[i].required) (issues ??= []).push({field: names[i], reason: en('fieldEmpty', {field: names[i]})})
        values[i] = null
        continue
      }
      const parsed = parseCell(parsers[i], text)
      if (parsed !== null && typeof parsed === 'object') {
        ;(issues ??= []).push({field: names[i], reason: reasonFor(specs[i], text, parsed.error, names[i])})
        values[i] = null
      } else values[i] = parsed
    }
    const extra = check?.(values)
    if (extra?.issues) (issues ??= []).push(...extra.issues.map((i) => ({...i, field: labelOf(i.field)})))
    if (issues !== undefined) return {issues}
    const warnings = extra?.warnings?.map((w) => ({...w, field: labelOf(w.field)}))
    return {values, extra: extraJson(cells), warnings}
  }
}

/**
 * Customers: an ID type is inferred when absent, and resident IDs and USCCs must have the right check character.
 * A person's number of 17 or 19 digits is a mistyped resident ID, not an ID of another kind. Dates that have not
 * happened yet (a birth, an account opened, a transaction: after `today`, 'YYYY-MM-DD', the machine's date) and
 * births before 1900 are wrong, as is a birth_date that is not the one in a resident ID beside it.
 */
export function customerRowValidator(
  plan: ColumnPlan,
  fields: readonly FieldSpec[] = CUSTOMER_FIELDS,
  today: string = localDateTime(new Date()).slice(0, 10),
): (cells: readonly string[]) => RowResult {
  const at = (name: string) => plan.fields.findIndex((f) => f.field === name)
  const idTypeDerived = plan.fields.some((f) => f.field === 'id_type' && f.derived === true)
  const [idNumberAt, idTypeAt, typeAt, birthAt] = [at('id_number'), at('id_type'), at('type'), at('birth_date')]
  const pastDates = (['birth_date', 'opened_on', 'last_txn_on'] as const)
    .map((field) => ({field, at: at(field)}))
    .filter((d) => d.at >= 0)
  return rowValidator(plan, fields, (values) => {
    const issues: RowIssue[] = []
    for (const {field, at} of pastDates) {
      const date = values[at] as string | null
      if (date === null) continue
      const shown = field === 'birth_date' ? maskBirthDate(date) : date
      if (date > today) issues.push({field, reason: en('dateInFuture', {field, date: shown, today})})
      else if (field === 'birth_date' && date < '1900-01-01')
        issues.push({field, reason: en('birthBefore1900', {date: shown})})
    }
    const id = idNumberAt < 0 || values[idNumberAt] === null ? undefined : identityCheck(values)
    if (id?.issues) issues.push(...id.issues)
    return issues.length > 0 ? {issues} : id
  })

  function identityCheck(values: FieldValue[]): {issues?: RowIssue[]; warnings?: RowIssue[]} | undefined {
    const idNumber = values[idNumberAt] as string
    const customerType = typeAt >= 0 ? (values[typeAt] as string | null) : null
    if (idTypeDerived || values[idTypeAt] === null) {
      const mistyped = customerType === 'corporate' ? undefined : mistypedResidentId(idNumber)
      if (mistyped !== undefined) return {issues: [{field: 'id_number', reason: mistyped}]}
      values[idTypeAt] = inferIdType(idNumber, customerType)
    }
    let result: IdCheck = {ok: true}
    if (values[idTypeAt] === 'resident_id') result = checkResidentId(idNumber, today)
    else if (values[idTypeAt] === 'uscc') {
      result = checkUscc(idNumber)
      // A company's row with a person's ID in it: the USCC check character's reason would only confuse.
      if (!result.ok && checkResidentId(idNumber).ok) result = {ok: false, reason: en('residentIdNotUscc')}
    }
    if (!result.ok) return {issues: [{field: 'id_number', reason: result.reason}]}
    const birth = birthAt < 0 ? null : (values[birthAt] as string | null)
    const idBirth = values[idTypeAt] === 'resident_id' ? residentIdBirthDate(idNumber) : undefined
    if (birth !== null && idBirth !== undefined && birth !== idBirth) {
      const reason = en('birthDateNotInId', {
        date: maskBirthDate(birth),
        id: maskIdNumber(idNumber),
        idDate: maskBirthDate(idBirth),
      })
      return {issues: [{field: 'birth_date', reason}]}
    }
    return result.warning ? {warnings: [{field: 'id_number', reason: result.warning}]} : undefined
  }
}

/**
 * Contacts: `contact log`'s rule that a contact is not in the future (now is local 'YYYY-MM-DDTHH:MM:SS'), and a
 * follow-up no earlier than its contact. A follow-up already past is history, as imported contacts often are.
 */
export function contactRowValidator(plan: ColumnPlan, now: string): (cells: readonly string[]) => RowResult {
  const at = (name: string) => plan.fields.findIndex((f) => f.field === name)
  const [timeAt, followUpAt, offsetAt] = [at('at'), at('follow_up_on'), at('utc_offset')]
  return rowValidator(plan, CONTACT_FIELDS, (values) => {
    const written = timeAt < 0 ? null : (values[timeAt] as string | null)
    if (written === null) return undefined
    const issues: RowIssue[] = []
    // The time as written stays the contact's wall-clock time; its offset (written with it, or in utc_offset) is kept
    // beside it.
    const time = written.slice(0, 19)
    values[timeAt] = time
    const withTime = written.length > 19 ? written.slice(19) : null
    let offset = withTime
    const column = offsetAt < 0 ? null : (values[offsetAt] as string | null)
    if (column !== null) {
      const parsed = parseUtcOffset(column)
      if (typeof parsed !== 'string') issues.push({field: 'utc_offset', reason: parsed.error})
      else if (withTime !== null && parsed !== withTime)
        issues.push({
          field: 'utc_offset',
          reason:
            `utc_offset ${parsed} differs from the offset written with the time (${withTime}): keep one, ` +
            `or make them agree`,
        })
      else offset = parsed
    }
    if (offsetAt >= 0) values[offsetAt] = offset
    const future = contactTimeProblem(time, now, offset)
    if (future !== undefined) issues.push({field: 'at', reason: future})
    const followUp = followUpAt < 0 ? null : (values[followUpAt] as string | null)
    const early = followUp === null ? undefined : followUpProblem(followUp, time)
    if (early !== undefined) issues.push({field: 'follow_up_on', reason: early})
    return issues.length > 0 ? {issues} : undefined
  })
}

function onlyEmptyBeyond(cells: readonly string[], count: number): boolean {
  if (cells.length < count) return false
  for (let i = count; i < cells.length; i++) if (cells[i].trim() !== '') return false
  return true
}

/** Characters that JSON.stringify escapes in a string (lone surrogates included). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/**
 * The kept columns of a row as minified JSON object text, keys in the file's order and each string as
 * JSON.stringify writes it (the writer compares it with what is stored). Joining pieces is several times faster
 * than building an object per row and stringifying it.
 */
function extrasWriter(plan: ColumnPlan): (cells: readonly string[]) => string {
  if (plan.extraJson !== undefined) return exportedExtras(plan, plan.extraJson)
  if (plan.extras.length === 0) return () => '{}'
  // Column names are made distinct by planColumns, so no key is written twice.
  const keys = plan.extras.map(({name}, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`)
  const columns = plan.extras.map(({column}) => column)
  const quoted = (text: string) => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`)
  return (cells) => {
    let json = ''
    for (let i = 0; i < columns.length; i++) json += keys[i] + quoted(cells[columns[i]] ?? '')
    return `${json}}`
  }
}

/**
 * The kept columns of a row of a customer export: its "extra" cell (a JSON object of text values, as crm wrote it)
 * and any other unknown columns after it. A cell that is not such an object is kept whole, under the key "extra".
 */
function exportedExtras(plan: ColumnPlan, at: number): (cells: readonly string[]) => string {
  return (cells) => {
    const text = (cells[at] ?? '').trim()
    let kept: Record<string, string> = {}
    if (text !== '') {
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {}
      kept = isTextObject(parsed) ? {...parsed} : {extra: cells[at]}
    }
    for (const {column, name} of plan.extras) kept[name] = cells[column] ?? ''
    return JSON.stringify(kept)
  }
}

/** A JSON object whose values are all text: the kept columns as crm writes them. */
export function isTextObject(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  )
}
