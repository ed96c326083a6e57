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
  // Any digit: a full-width １９８５年３月４日 in a kept column is a birth date too.
  return date.slice(0, year) + date.slice(year).replace(/\p{N}/gu, '*')
}

/**
 * Kept columns (extras) have no field to say what they hold, so a value that holds personal data is masked as that
 * field is: a resident ID number, a mobile or landline phone, an e-mail address. Exports write them in many ways
 * (ID:110105…, 110105 19491231 0021, １３８１２３４５６７８, (+86) 138-1234-5678, x＠y.cn), so the value is read as
 * `readable` gives it (NFKC, format characters dropped), and a lookalike anywhere in it is masked in place: the rest of
 * the text stays as it was. This is the one definition: customer show and classify check call it, and the SQL of
 * list and export (db/customer-record.ts) calls it through maskedExtrasJson.
 */

/** Text as the lookalike tests read it, with where each of its UTF-16 units came from in the original. */
interface Readable {
  readonly text: string
  /** For each unit of `text`, the original offsets of the character it came from: [start, end). */
  readonly start: readonly number[]
  readonly end: readonly number[]
}

const FORMAT_CHARACTER = /^\p{Cf}$/u

/**
 * A text in its compatibility form, a character at a time (full-width digits, ＠ and （＋８６） as 0-9, @ and (+86);
 * U+3000 as a space), and its format characters (U+200B zero width space, U+202E right-to-left override, U+FEFF)
 * dropped: what an ID number or a phone is tested in, whatever way it was typed.
 */
function readable(text: string): Readable {
  let out = ''
  const start: number[] = []
  const end: number[] = []
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!
    const size = code > 0xffff ? 2 : 1
    const char = text.slice(i, i + size)
    const as = code < 0x80 ? char : FORMAT_CHARACTER.test(char) ? '' : char.normalize('NFKC')
    for (let u = 0; u < as.length; u++) {
      start.push(i)
      end.push(i + size)
    }
    out += as
    i += size
  }
  return {text: out, start, end}
}

type Lookalike = 'id_number' | 'phone' | 'email'

interface Found {
  /** Offsets in the readable text. */
  readonly from: number
  readonly to: number
  readonly field: Lookalike
  readonly masked: string
}

// A run of digits that may be written in groups: apart by spaces, dashes or parentheses (at most three of them in a
// row), a + or ( before, an X (an ID number's check character) after. Each part of the pattern excludes the next, so it
// runs in time linear in the text.
const DIGIT_RUN = /\(?\+?\d(?:[\s\p{Pd}()]{0,3}\d)*(?:[\s\p{Pd}()]{0,3}[Xx](?![\p{L}\p{N}]))?/gu
const GROUP = /\+?[\dXx]+/g
const MOBILE = /^(?:\+?86|0086)?1\d{10}$/
const RESIDENT_ID = /^(?:\d{17}[\dXx]|\d{15})$/
const LANDLINE = /^0[1-9]\d{8,10}$/
// Digits joined from several groups are held to the exact shapes, so that a date and a number beside it are not read
// as one ID number (2026-11-28 13812345678): a mobile network's 13-19, an ID number's area, birth date and sequence.
const MOBILE_EXACT = /^(?:\+?86|0086)?1[3-9]\d{9}$/
const DAY = '(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])'
const RESIDENT_ID_EXACT = new RegExp(`^[1-8]\\d{5}(?:(?:18|19|20)\\d{2}${DAY}\\d{3}[\\dXx]|\\d{2}${DAY}\\d{3})$`)
// A lookalike has at most 18 digits (an ID number); 0086 and a mobile have 15.
const MOST_DIGITS = 18

/**
 * What digits (a + first, perhaps) look like, and their mask; `area` is a landline's first group, when the digits were
 * joined from groups.
 */
function digitsLookalike(digits: string, area: string | undefined): {field: Lookalike; masked: string} | undefined {
  if ((area === undefined ? MOBILE : MOBILE_EXACT).test(digits)) return {field: 'phone', masked: maskPhone(digits)}
  const bare = digits.replace(/^\+/, '')
  if ((area === undefined ? RESIDENT_ID : RESIDENT_ID_EXACT).test(bare))
    return {field: 'id_number', masked: maskIdNumber(bare)}
  if (LANDLINE.test(bare)) {
    const apart = area !== undefined && (area.length === 3 || area.length === 4)
    return {field: 'phone', masked: maskPhone(apart ? `${area}-${bare.slice(area.length)}` : bare)}
  }
  return undefined
}

/**
 * The lookalikes in a run of digit groups: from each group, the longest run of whole groups that is one (so
 * 13812345678 13987654321 is two phones, and 2026-11-28 13812345678 a date and a phone); a decimal number is none.
 */
function runLookalikes(text: string, run: RegExpExecArray, found: Found[]): void {
  const at = run.index
  const end = at + run[0].length
  if ((text[end] === '.' && /\d/.test(text[end + 1] ?? '')) || (text[at - 1] === '.' && /\d/.test(text[at - 2] ?? '')))
    return
  const groups: {from: number; to: number; digits: string}[] = []
  for (const g of run[0].matchAll(GROUP))
    groups.push({from: at + g.index, to: at + g.index + g[0].length, digits: g[0]})
  for (let i = 0; i < groups.length; ) {
    let best: {j: number; field: Lookalike; masked: string} | undefined
    let digits = ''
    for (let j = i; j < groups.length; j++) {
      digits += j === i ? groups[j].digits : groups[j].digits.replace('+', '')
      if (digits.length > MOST_DIGITS + 1) break
      const looks = digitsLookalike(digits, j > i ? groups[i].digits : undefined)
      if (looks !== undefined) best = {j, ...looks}
    }
    if (best === undefined) {
      i++
      continue
    }
    // A ( before the first group goes with it when a ) follows that group: (+86) 138…, (010) 8765 4321.
    const open = i === 0 && run[0].startsWith('(') && text.slice(groups[0].to, groups[1]?.from ?? 0).includes(')')
    found.push({from: open ? at : groups[i].from, to: groups[best.j].to, field: best.field, masked: best.masked})
    i = best.j + 1
  }
}

// Characters that end a mailbox or a domain: space, the @, and the punctuation around an address in a sentence.
const NOT_ADDRESS = /[\s@"(),:;<>[\]]/

/**
 * The e-mail addresses in a readable text: a mailbox, an @, and a domain with a dot in it; found from each @, outwards,
 * so that the time is linear in the text.
 */
function emailLookalikes(text: string, found: Found[]): void {
  let after = 0
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let from = at
    while (from > after && !NOT_ADDRESS.test(text[from - 1])) from--
    let to = at + 1
    while (to < text.length && !NOT_ADDRESS.test(text[to])) to++
    const domain = text.slice(at + 1, to)
    if (from === at || !/[^.]\.[^.]/.test(domain)) continue
    found.push({from, to, field: 'email', masked: maskEmail(text.slice(from, to))})
    after = to
  }
}

/** Every lookalike in a readable text, in order: addresses first, then the digit runs outside them. */
function lookalikes(text: string): Found[] {
  const emails: Found[] = []
  if (text.includes('@')) emailLookalikes(text, emails)
  const found: Found[] = []
  for (const run of text.matchAll(DIGIT_RUN)) {
    const end = run.index + run[0].length
    if (emails.some((e) => e.from < end && run.index < e.to)) continue
    runLookalikes(text, run, found)
  }
  return [...emails, ...found].sort((a, b) => a.from - b.from)
}

/**
 * The characters that can make a text one maskLookalike may change, as code point ranges: 0-9 and @, and every
 * character whose compatibility form (NFKC) holds one (full-width ０-９ and ＠, ①, ¹, 𝟎 …). maybePersonal passes only
 * a text with one of them, so a text with none is left as it is at the cost of one scan. Unicode's compatibility
 * mappings are fixed (its stability policy); a unit test computes the set again.
 */
export const LOOKALIKE_CHARACTER_RANGES: readonly (readonly [number, number])[] = [
  [0x30, 0x39],
  [0x40, 0x40],
  [0xb2, 0xb3],
  [0xb9, 0xb9],
  [0xbc, 0xbe],
  [0x2070, 0x2070],
  [0x2074, 0x2079],
  [0x2080, 0x2089],
  [0x2150, 0x215f],
  [0x2189, 0x2189],
  [0x2460, 0x249b],
  [0x24ea, 0x24ea],
  [0x3251, 0x325f],
  [0x32b1, 0x32cb],
  [0x3358, 0x3370],
  [0x3378, 0x3379],
  [0x339f, 0x33a6],
  [0x33a8, 0x33a8],
  [0x33af, 0x33af],
  [0x33e0, 0x33fe],
  [0xfe6b, 0xfe6b],
  [0xff10, 0xff19],
  [0xff20, 0xff20],
  [0x1ccf0, 0x1ccf9],
  [0x1d7ce, 0x1d7ff],
  [0x1f100, 0x1f10a],
  [0x1fbf0, 0x1fbf9],
]

const LOOKALIKE_CHARACTER = new RegExp(
  `[${LOOKALIKE_CHARACTER_RANGES.map(([from, to]) => `\\u{${from.toString(16)}}-\\u{${to.toString(16)}}`).join('')}]`,
  'u',
)

// Each lookalike has at least 10 digits or an @ once read (NFKC): text with neither, which is most text, is told apart
// by this one test.
const MAYBE_PERSONAL = /@|^(?:\D*\d){10}/

/** Whether a text could hold a lookalike: a quick test that every text maskLookalike changes passes. */
function maybePersonal(text: string): boolean {
  // Text without a digit, an @ or a character that reads as one (most notes) is told apart by one scan, without
  // normalizing it.
  return (
    LOOKALIKE_CHARACTER.test(text) &&
    (MAYBE_PERSONAL.test(text) || (!OWN_NFKC.test(text) && MAYBE_PERSONAL.test(text.normalize('NFKC'))))
  )
}

/** A kept column's value with each ID number, phone or e-mail address in it masked, the rest as it was. */
export function maskLookalike(text: string): string {
  if (!maybePersonal(text)) return text
  const read = readable(text)
  const found = lookalikes(read.text)
  if (found.length === 0) return text
  let out = ''
  let last = 0
  for (const f of found) {
    const from = read.start[f.from]
    out += text.slice(last, from) + f.masked
    last = read.end[f.to - 1]
  }
  return out + text.slice(last)
}

/**
 * A free text (a contact's notes or outcome) for output: maskLookalike's text, or null when it masks nothing, so that
 * SQL keeps its own copy of the many texts it leaves as they are (coalesce).
 */
export function maskedLookalike(text: string): string | null {
  const masked = maskLookalike(text)
  return masked === text ? null : masked
}

/** Whether a kept column's value (or a rule's literal) holds an ID number, a phone or an e-mail address. */
export function looksPersonal(text: string): boolean {
  return maybePersonal(text) && lookalikes(readable(text).text).length > 0
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
  return BIRTH_NAME.test(name) || BIRTH_NAME.test(name.normalize('NFKC'))
}

/** Whether a kept column's name says it holds personal data (手机, contact_email, id_no, birthday). */
export function personalColumnName(name: string): boolean {
  return PERSONAL_NAME.test(name) || PERSONAL_NAME.test(name.normalize('NFKC')) || birthColumnName(name)
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

// What the JSON text of kept columns holds when a value may be masked: what maybePersonal tests, or a name that may
// say birth date (birthColumnName). JSON.stringify writes the values' characters as they are (and escapes only quotes,
// backslashes and controls, adding digits): no digit or @ of a value, nor a word of a name, is lost in it.
const MAYBE_BIRTH = /birth|dob|生日|出生/i
/**
 * Text of ASCII and CJK ideographs alone is its own NFKC form (none of them has a compatibility mapping, and none
 * combines with another), so it need not be normalized: most kept columns are such text, and normalizing them was most
 * of maskedExtrasJson's time for a row it leaves as it is (docs/performance.md).
 */
export const OWN_NFKC = /^[\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]*$/

/**
 * The JSON text of a customer's kept columns as maskExtras masks them, or null when it masks nothing: most rows are
 * told apart by one test of the text, without parsing it. The SQL of list and export calls this for every row, so that
 * the one definition of a lookalike decides there too.
 */
export function maskedExtrasJson(json: string, parse: (json: string) => Record<string, string>): string | null {
  if (
    !maybePersonal(json) &&
    !MAYBE_BIRTH.test(json) &&
    (OWN_NFKC.test(json) || !MAYBE_BIRTH.test(json.normalize('NFKC')))
  )
    return null
  const masked = JSON.stringify(maskExtras(parse(json)))
  return masked === json ? null : masked
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
