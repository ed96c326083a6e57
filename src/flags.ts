import {Args, Flags} from '@oclif/core'
import {SEARCH_MAX_LENGTH} from './core/customer.js'
import {DATE_FORMATS} from './core/dates.js'
import {en} from './core/messages.js'
import {readCustomerEnum, readKey} from './core/row-validator.js'
import {visible} from './core/visible.js'
import {ID_RANGE, readWholeNumber, type WholeRange} from './core/whole-number.js'
import {refuseUnsearchable} from './core/search.js'
import {ExitCode, flagValue, UserError} from './errors.js'
import {FORMATS} from './io/row-writer.js'

/**
 * Every flag more than one command takes, defined once. The one way commands read numbers from the command line:
 * ids and whole-number flags, each with a range, so a mistyped value is a usage error (exit 2) that says what to
 * write, never a bad value passed on to SQLite.
 */

/** Rows a --limit may ask for: any real book, and far below what SQLite or JavaScript would mangle. */
const LIMIT_RANGE: WholeRange = {min: 1, max: 1_000_000_000}
/** Days ahead or back that a flag may count: ten years. */
export const DAYS_RANGE: WholeRange = {min: 0, max: 3650}

/** oclif hands parse the flag's or argument's definition, whose name says which value was wrong. */
function parseWhole(range: WholeRange, what?: string, hint?: string) {
  return async (input: string, _context: unknown, definition: {name: string; type?: string}): Promise<number> => {
    const value = readWholeNumber(input, range)
    if (typeof value !== 'object') return value
    throw new UserError(
      `${what ?? (definition.type === 'option' ? `--${definition.name}` : definition.name.toUpperCase())} ` +
        `${value.error}`,
      ExitCode.Usage,
      hint,
    )
  }
}

/** A flag taking a whole number within a range; give it summary, default … like any flag. */
export function wholeFlag(range: WholeRange) {
  return Flags.custom<number>({parse: parseWhole(range)})
}

/** A flag naming stored rows by id (--run 12), with a hint saying where the ids are listed. */
export function idFlag(hint: string) {
  return Flags.custom<number>({parse: parseWhole(ID_RANGE, undefined, hint)})
}

/** A required id argument: `what` names it in the message ("the run number"), `hint` says where ids are listed. */
export function idArg(what: string, description: string, hint: string) {
  return Args.custom<number>({parse: parseWhole(ID_RANGE, what, hint)})({
    description,
    required: true,
    ignoreStdin: true,
  })
}

/** f4: a customer number typed on the command line, read as import reads a customer_id cell (readKey). */
export function customerIdArg() {
  return Args.string({
    description: 'the customer number (customer_id)',
    required: true,
    ignoreStdin: true,
    parse: async (input) => readKey(input),
  })
}

/** f4: a flag naming one customer by its customer_id, read as import reads one (readKey). */
export function customerIdFlag(summary: string) {
  return Flags.string({summary, parse: async (input) => readKey(input)})
}

/** --limit of a list: `what` names the rows (customers, runs). */
export function limitFlag(what: string) {
  return wholeFlag(LIMIT_RANGE)({summary: `At most this many ${what}.`})
}

/** --reveal of a command that reads the database: what it shows or allows, and that the audit log records it. */
export function revealFlag(what: string) {
  return Flags.boolean({summary: `${what} (recorded in the audit log).`})
}

/** The scheme that classify and classify check run. */
export const SCHEME_FLAG = Flags.string({
  char: 's',
  summary: 'A built-in scheme (crm scheme list) or a scheme file.',
  required: true,
})
export const AS_OF_FLAG = Flags.string({summary: 'The date rules count to (default: today).'})

/** The flags every command takes. */
export const BASE_FLAGS = {
  db: Flags.string({
    summary: 'SQLite database file, or a postgres:// URL.',
    description:
      'Default: $CRM_DB, else crm.db in the user data directory. A postgres://user@host/db URL uses that ' +
      'PostgreSQL server, in the schema given by ?schema= (else $CRM_PG_SCHEMA, else public).',
    env: 'CRM_DB',
    helpGroup: 'GLOBAL',
  }),
  format: Flags.option({
    options: FORMATS,
    summary: 'Row output: a table on a terminal, tsv when piped; xlsx (a workbook) for exports.',
    helpGroup: 'GLOBAL',
  })(),
  lang: Flags.option({
    options: ['zh', 'en'] as const,
    summary: 'Language of labels and messages (default from LANG).',
    helpGroup: 'GLOBAL',
  })(),
  actor: Flags.custom<string>({
    summary: 'Who to record in the audit log (default: the OS user).',
    helpGroup: 'GLOBAL',
    // A name with control characters would reach every terminal that shows the audit log.
    parse: async (text) =>
      flagValue('actor', visible(text) === text && text.trim() !== '' ? text : {error: en('actorUnsafe')}),
  })(),
}

/** --type as a file's type column is read: individual or corporate, or a Chinese name (个人, 对公 …). */
const typeFlag = Flags.custom<'individual' | 'corporate'>({
  summary: 'Only individual or corporate customers (个人 and 对公 too).',
  parse: async (text) => flagValue('type', readCustomerEnum('type', text)) as 'individual' | 'corporate',
})

/** The customers a classification or a customer list takes, by what they are. */
export const PORTFOLIO_FLAGS = {
  branch: Flags.string({summary: 'Only this branch.'}),
  rm: Flags.string({summary: 'Only this relationship manager.'}),
  type: typeFlag(),
}

/** The filters `customer list` and `customer export` share. */
export const CUSTOMER_FILTER_FLAGS = {
  ...PORTFOLIO_FLAGS,
  search: Flags.string({
    summary:
      `Name or customer number contains this text (at most ${SEARCH_MAX_LENGTH} characters), or it is a ` +
      `customer number, a phone's last four digits or a whole ID number (audited).`,
    parse: async (text) => searchText(text),
  }),
  tier: Flags.string({
    summary:
      "Only customers in this tier (its id or label) of --scheme: each customer's tier in the newest run that " +
      'classified it.',
    dependsOn: ['scheme'],
  }),
  scheme: Flags.string({
    summary: 'The scheme whose tiers --tier refers to (its name, such as retail-aum).',
    dependsOn: ['tier'],
  }),
}

function searchText(text: string): string {
  refuseUnsearchable(text)
  return searchLength(text)
}

function searchLength(text: string): string {
  if (text.length <= SEARCH_MAX_LENGTH) return text
  throw new UserError(
    en('searchTooLong', {length: text.length.toLocaleString('en-US'), most: SEARCH_MAX_LENGTH}),
    ExitCode.Usage,
    en('searchForPart'),
  )
}

/** The filters `contact list` and `contact export` share. */
export const CONTACT_FILTER_FLAGS = {
  customer: customerIdFlag('Only this customer.'),
  rm: Flags.string({
    summary: "Only contacts made by this manager (or, when none is recorded, the customer's manager).",
  }),
  branch: Flags.string({summary: 'Only customers of this branch.'}),
  channel: Flags.string({summary: 'Only this channel.'}),
  purpose: Flags.string({summary: 'Only this purpose.'}),
  since: Flags.string({summary: 'From this date (inclusive).'}),
  until: Flags.string({summary: 'To this date (inclusive).'}),
  open: Flags.boolean({summary: 'Only contacts with an open follow-up.'}),
  search: Flags.string({
    summary:
      `Notes or outcome contain this text, as shown (masked unless --reveal; at most ${SEARCH_MAX_LENGTH} ` +
      `characters).`,
    parse: async (text) => searchLength(text),
  }),
}

/** Where and how an export is written. */
export const EXPORT_FLAGS = {
  output: Flags.string({
    char: 'o',
    summary: 'Write to this file (created readable by you only) instead of standard output.',
  }),
  force: Flags.boolean({summary: 'Replace the --output file if it exists.'}),
  encoding: Flags.option({
    options: ['utf-8', 'gbk'] as const,
    default: 'utf-8' as const,
    summary:
      'CSV and TSV encoding: utf-8 (with a byte-order mark, for Excel) or gbk (refused if a value has a ' +
      'character GBK lacks).',
  })(),
  reveal: revealFlag('Export ID numbers, phones, e-mail and birth dates unmasked'),
}

/** How to read an input file: the flags imports and classify check share. */
export const SOURCE_FLAGS = {
  encoding: Flags.string({summary: 'Input encoding: utf-8, gbk, gb18030, utf-16le (default: detected).'}),
  delimiter: Flags.string({summary: 'Field separator: , ; tab or | (default: detected from the header).'}),
  'input-format': Flags.option({
    options: ['csv', 'json', 'ndjson'] as const,
    summary: 'Input format (default: from the extension or the content).',
  })(),
  // Non-greedy: oclif's repeatable flags otherwise take every word after them, the FILE argument too.
  map: Flags.string({
    summary:
      'Map a column to a field: --map "Source column=field" (repeatable; - ignores it, extra:Name keeps it ' +
      'as Name; Source may hold * globs).',
    multiple: true,
    multipleNonGreedy: true,
  }),
  mapping: Flags.string({
    summary: 'A JSON mapping file: {"columns": {"Source": "field"}, "defaults": {"field": "value"}}.',
  }),
  'max-field-size': Flags.string({
    summary: 'The largest field accepted, such as 1MB or 500KB (default 1MB); a row with a larger one is rejected.',
  }),
}

/** The flags customer and contact imports share. */
export const IMPORT_FLAGS = {
  'dry-run': Flags.boolean({
    summary: 'Check every row and print the counts, writing nothing to the database.',
    default: false,
  }),
  strict: Flags.boolean({summary: 'Write nothing if any row is rejected.'}),
  rejects: Flags.string({summary: 'Where to write rejected rows (default: beside the input, NAME.rejects.csv).'}),
  force: Flags.boolean({
    summary: 'Replace the reject file even if it is not one crm wrote (never the input or the database).',
  }),
  ...SOURCE_FLAGS,
  // Files banks send: dates with the year last or of six digits.
  'date-format': Flags.option({
    options: DATE_FORMATS,
    summary:
      'How to read dates with the year last or of six digits: DD/MM/YYYY, MM/DD/YYYY or YYMMDD (69-99 are ' +
      '19xx). Year-first dates and Excel serial dates are read without it.',
  })(),
}

// Files banks send: customer ids for a file without an id column.
/** customer import: how to make customer ids when the file has no id column. */
export const ID_FLAGS = {
  'id-from': Flags.string({
    summary:
      'No id column: make each customer_id from these columns (comma-separated), a stable hash, so importing ' +
      'the file again updates the same customers.',
    exclusive: ['id-prefix'],
  }),
  'id-prefix': Flags.string({
    summary:
      'No id column: make each customer_id from this prefix and the line number. Not idempotent: importing the ' +
      'file again, or with rows in another order, makes other customers.',
    exclusive: ['id-from'],
  }),
}
