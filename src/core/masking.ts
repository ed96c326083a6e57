/** Personal data is masked in output unless revealed: ID numbers keep at most the first 6 and last 4 characters. */
export function maskIdNumber(id: string): string {
  const keep = id.length >= 14 ? [6, 4] : id.length >= 8 ? [3, 2] : id.length >= 5 ? [1, 1] : [0, 0]
  return keepEnds(id, keep[0], keep[1])
}

/** Phones keep at most the first 3 and last 4 digits: 176****8055; landlines keep the area code. */
export function maskPhone(phone: string): string {
  const dash = phone.indexOf('-')
  if (dash > 0 && phone.startsWith('0')) return `${phone.slice(0, dash + 1)}${keepEnds(phone.slice(dash + 1), 0, 4)}`
  return phone.length >= 10 ? keepEnds(phone, 3, 4) : keepEnds(phone, 0, 2)
}

/** E-mail keeps the first character of the mailbox and the domain: w*****@bank.com. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at <= 0) return keepEnds(email, 0, 0)
  // Characters, not UTF-16 units: a mailbox starting with an emoji keeps it whole, not half of it.
  const first = String.fromCodePoint(email.codePointAt(0)!)
  return `${first}${'*'.repeat(Math.max([...email.slice(0, at)].length - 1, 1))}${email.slice(at)}`
}

/**
 * A birth date keeps its year: 1985-**-**. The masked digits of a resident ID are the birth date, so a full birth date
 * beside a masked ID would give them back. Text that does not start with a year (an Excel serial number) keeps no
 * digit.
 */
export function maskBirthDate(date: string): string {
  const year = /^\d{4}(?:\D|\d{4}$)/.test(date) ? 4 : 0
  return date.slice(0, year) + date.slice(year).replace(/\d/g, '*')
}

/**
 * Kept columns (extras) have no field to say what they hold, so a value that looks like personal data is masked as
 * that field is: a resident ID number, a mobile or landline phone, an e-mail address.
 */
const LOOKALIKES: readonly [RegExp, (text: string) => string][] = [
  [/^(?:\d{17}[\dXx]|\d{15})$/, maskIdNumber],
  // A mobile as the import accepts one (138-0013-8000, +86 138 0013 8000): masked without its separators.
  [
    /^(?:\+?86[- ]?)?1\d{2}(?:\d{8}|[- ]\d{4}[- ]\d{4})$|^0\d{2,3}-\d{7,8}$/,
    (text) => maskPhone(/^0\d{2,3}-/.test(text) ? text : text.replace(/[- ]/g, '')),
  ],
  [/^[^@\s]+@[^@\s]+\.[^@\s]+$/, maskEmail],
]

// Each lookalike has 7 digits in a row, 3 digits and 4 apart by a space or dash, or an @: most text is told apart by
// this one test (customer-record.ts's MAY_LOOK_PERSONAL is its SQL).
const MAYBE_PERSONAL = /\d{7}|\d{3}[- ]\d{4}|@/

/** A kept column's value: masked when it looks like an ID number, a phone or an e-mail address. */
export function maskLookalike(text: string): string {
  if (!MAYBE_PERSONAL.test(text)) return text
  const trimmed = text.trim()
  for (const [looks, mask] of LOOKALIKES) if (looks.test(trimmed)) return mask(trimmed)
  return text
}

/** The personal field a kept column's value looks like (id_number, phone, email), if any: how it is masked. */
export function lookalikeField(text: string): string | undefined {
  const trimmed = text.trim()
  const at = LOOKALIKES.findIndex(([looks]) => looks.test(trimmed))
  return at < 0 ? undefined : (['id_number', 'phone', 'email'] as const)[at] // LOOKALIKES' order
}

/** Whether a kept column's value (or a rule's literal) looks like an ID number, a phone or an e-mail address. */
export function looksPersonal(text: string): boolean {
  return MAYBE_PERSONAL.test(text) && lookalikeField(text) !== undefined
}

const PERSONAL_FIELD = /\b(?:id_number|phone|email|birth_date)\b/
const QUOTED = /'((?:[^']|'')*)'/g

/**
 * A stored --where as a run shows it: it may compare a personal field with a value (run with --reveal), which no
 * listing of runs may repeat. When it names a personal field every quoted value is hidden; else a value that looks
 * like personal data (a kept column's) is masked as one.
 */
export function maskWhere(where: string): string {
  const personal = PERSONAL_FIELD.test(where)
  return where.replace(
    QUOTED,
    (_, body: string) => `'${personal ? '*'.repeat([...body].length) : maskLookalike(body)}'`,
  )
}

// Words in a kept column's name that say it holds a birth date (生日, 出生年月, birthday, dob).
const BIRTH_NAME = /(?:^|[^a-z])dob(?:[^a-z]|$)|birth|生日|出生/i
// And the other words that say it holds personal data, whatever its values look like.
const PERSONAL_NAME =
  /(?:^|[^a-z])(?:tel|ssn)(?:[^a-z]|$)|phone|mobile|mail|id_?card|id_?no|id_?num|passport|身份|证件|证号|手机|电话|座机|联系方式|邮箱|邮件/i

/** Whether a kept column's name says it holds a birth date: its values are then masked as birth_date is. */
export function birthColumnName(name: string): boolean {
  return BIRTH_NAME.test(name)
}

/** Whether a kept column's name says it holds personal data (手机, contact_email, id_no, birthday). */
export function personalColumnName(name: string): boolean {
  return PERSONAL_NAME.test(name) || birthColumnName(name)
}

/**
 * A kept column's value for output: as a birth date when the column's name says so, else when it looks personal
 * (maskLookalike).
 */
export function maskKept(name: string, text: string): string {
  return birthColumnName(name) ? maskBirthDate(text) : maskLookalike(text)
}

/**
 * A customer's kept columns with every value that is (by its column's name) or looks like personal data masked
 * (maskKept).
 */
export function maskExtras(extra: Readonly<Record<string, string>>): Record<string, string> {
  const masked: Record<string, string> = {}
  for (const [key, value] of Object.entries(extra))
    masked[key] = typeof value === 'string' ? maskKept(key, value) : value
  return masked
}

function keepEnds(text: string, head: number, tail: number): string {
  const chars = [...text]
  if (chars.length <= head + tail) return '*'.repeat(chars.length)
  return (
    chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('')
  )
}

/** A person's name in lists for people: the family name (and a last character of longer names) kept: 吴*, 欧**婷. */
export function maskName(name: string): string {
  const chars = [...name]
  if (chars.length <= 1) return name
  return chars.length === 2 ? `${chars[0]}*` : keepEnds(name, 1, 1)
}

/** The fields that are personal data: masked in every output unless --reveal, and a rule may read them only with it. */
export const PERSONAL_FIELDS: readonly string[] = ['id_number', 'phone', 'email', 'birth_date']

/** Masks a personal-data field's text for output (other fields as they are). */
export function maskField(field: string, text: string): string {
  switch (field) {
    case 'id_number':
      return maskIdNumber(text)
    case 'phone':
      return maskPhone(text)
    case 'email':
      return maskEmail(text)
    case 'birth_date':
      return maskBirthDate(text)
    case KEPT:
      return maskLookalike(text)
    default:
      return text
  }
}

// A personal value inside a reason is stored marked (open, field, separator, value, close), so every output can
// mask it, or show it with --reveal. The marks are private-use characters, which no reason otherwise holds.
const OPEN = '\uE000'
const SEPARATOR = '\uE001'
const CLOSE = '\uE002'
const MARKED = /\uE000([a-z_]+)\uE001([^\uE000-\uE002]*)\uE002/g
/** A kept column's value, or a literal compared with one, in a reason: masked when it looks like personal data. */
export const KEPT = 'kept'
/** A value derived from personal data (age(birth_date), coalesce(phone, email)): hidden whole when masked. */
export const DERIVED = 'derived'

/** A personal value as a reason holds it, for personalText to mask or reveal. */
export function markPersonal(field: string, value: string): string {
  return `${OPEN}${field}${SEPARATOR}${value.replace(/[\uE000-\uE002]/g, '\uFFFD')}${CLOSE}`
}

// Reasons stored before values were marked: a personal field's value follows its name (id_number '1101…', birth_date
// 1985-09-10).
const UNMARKED = /\b(id_number|phone|email) '([^']*)'|\b(birth_date) (\d{4}-\d{2}-\d{2})/g

/**
 * A reason or explanation as output shows it: personal values masked (or whole with reveal), and the marks gone.
 * A reason stored unmarked by an earlier crm has the values that follow a personal field's name masked.
 */
export function personalText(text: string, reveal: boolean): string {
  if (!text.includes(OPEN)) {
    // Most reasons quote no personal field at all: a few substring tests spare them the regular expression.
    if (
      reveal ||
      !(
        text.includes("_number '") ||
        text.includes("phone '") ||
        text.includes("email '") ||
        text.includes('birth_date ')
      )
    )
      return text
    return text.replace(UNMARKED, (_, field?: string, value?: string, dateField?: string, date?: string) =>
      field === undefined ? `${dateField} ${maskBirthDate(date!)}` : `${field} '${maskField(field, value!)}'`,
    )
  }
  return text.replace(MARKED, (_, field: string, value: string) =>
    reveal ? value : field === DERIVED ? '***' : maskField(field, value),
  )
}
