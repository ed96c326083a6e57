import {createHash} from 'node:crypto'
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node as YamlNode,
  parseDocument,
  type Scalar,
  type YAMLMap,
} from 'yaml'
import {ExitCode, UserError} from '../../errors.js'
import {displayWidth} from '../display-width.js'
import {CUSTOMER_FIELDS, type FieldKind} from '../fields.js'
import {looksPersonal, PERSONAL_FIELDS, personalColumnName} from '../masking.js'
import {closestMatch} from '../suggest.js'
import {en} from '../messages.js'
import {
  Compiler,
  type Expr,
  type InputSpec,
  type Scope,
  type Value,
  type ValueType,
  type Window,
} from '../rules/compile.js'
import {implies, neverHolds} from '../rules/implies.js'
import {children, type Node, parseRule, RuleError, type Span} from '../rules/parse.js'

/**
 * A classification scheme: a YAML (or JSON) file an analyst can read and edit. It is checked as a whole when
 * loaded, and every mistake is reported with its file, line and column.
 */

export interface Labels {
  readonly zh: string
  readonly en: string
}

export interface Tier {
  readonly id: string
  readonly label: Labels
  /** The rule's text; null for a default last tier. */
  readonly rule: string | null
  readonly cadenceDays: number | null
  readonly description: string
  /**
   * false for a tier outside the scheme's order (unscored, to be checked): explain never proposes a move to or from it.
   */
  readonly ranked: boolean
}

export interface Scheme {
  readonly name: string
  readonly version: string
  readonly title: Labels
  readonly description: string
  /** Which way the tiers run: the best tier first (value tiers) or the worst first (risk tiers). */
  readonly order: TierOrder
  readonly source: string
  readonly appliesTo: string | null
  readonly extras: Readonly<Record<string, ExtraType>>
  /** Extras declared with a ? (money?): a portfolio or file without the column is not a mistake. */
  readonly optionalExtras: readonly string[]
  readonly defines: readonly (readonly [string, string])[]
  readonly tiers: readonly Tier[]
  /** The file as written, and its sha256: a run records both. */
  readonly text: string
  readonly hash: string
  readonly file: string
  /** Where each rule's text sits in the file, for error messages. */
  readonly places: ReadonlyMap<string, RulePlace>
}

export type TierOrder = 'best-first' | 'worst-first'
export const TIER_ORDERS: readonly TierOrder[] = ['best-first', 'worst-first']
/**
 * A scheme that does not say: best-first, what explain assumed before schemes said (the template, retail-aum, runs
 * first).
 */
export const DEFAULT_ORDER: TierOrder = 'best-first'

export type ExtraType = 'text' | 'number' | 'money' | 'date'
const EXTRA_TYPES: readonly ExtraType[] = ['text', 'number', 'money', 'date']

interface RulePlace {
  readonly node: Scalar
  readonly text: string
}

/** Contact measures a rule may read: the customer's latest contact, and how many in the 12 months to the as-of date. */
export const CONTACT_INPUTS: readonly InputSpec[] = [
  {name: 'last_contact_on', type: 'date', source: 'contact'},
  {name: 'contacts_12m', type: 'number', source: 'contact'},
]

const KIND_TYPES: Readonly<Record<FieldKind, ValueType>> = {
  text: 'text',
  enum: 'text',
  id_number: 'text',
  phone: 'text',
  email: 'text',
  date: 'date',
  datetime: 'date',
  money: 'money',
  integer: 'number',
}

export const FIELD_INPUTS: readonly InputSpec[] = CUSTOMER_FIELDS.map((f) => ({
  name: f.name,
  type: KIND_TYPES[f.kind],
  source: 'field',
  values: f.values,
}))

/**
 * How many definitions deep a name may lead (a: b + 1, b: c + 1 …): each step compiles and evaluates a rule inside
 * the one before. With rules MAX_RULE_DEPTH deep, 16 steps use about a third of the stack (found by trying).
 */
export const MAX_DEFINE_CHAIN = 16

const TOP_KEYS = [
  'name',
  'version',
  'title',
  'description',
  'order',
  'source',
  'applies_to',
  'extras',
  'define',
  'tiers',
]
const TIER_KEYS = ['id', 'label', 'rule', 'cadence_days', 'ranked', 'description']
const ID = /^[a-z0-9][a-z0-9_-]*$/i

/** A scheme file's mistake, printed as `file line L, column C: what`, the line, and a caret under the place. */
export class SchemeError extends UserError {
  constructor(file: string, text: string, offset: number, length: number, message: string, hint?: string) {
    const lines = new LineCounter()
    lines.addNewLine(0)
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1)
    const {line, col} = lines.linePos(Math.min(offset, text.length))
    const whole = text.split('\n')[line - 1] ?? ''
    // A very long line is shown around the place only.
    const from = whole.length > 160 ? Math.max(0, col - 61) : 0
    const source = `${from > 0 ? '…' : ''}${whole.slice(from, from + 160)}${from + 160 < whole.length ? '…' : ''}`
    const caretAt = col - 1 - from + (from > 0 ? 1 : 0)
    const gutter = String(line).length
    const marked = source.slice(caretAt, caretAt + Math.max(1, length))
    // Measured in terminal columns: a Chinese character takes two; a tab stays a tab so the caret lines up after it.
    const pad = [...source.slice(0, caretAt)].map((ch) => (ch === '\t' ? ch : ' '.repeat(displayWidth(ch)))).join('')
    const width = Math.max(1, displayWidth(marked))
    super(
      `${en('schemeAt', {file, line, col, message})}\n  ${line} | ${source}\n  ${' '.repeat(gutter)} | ` +
        `${pad}${'^'.repeat(width)}`,
      ExitCode.BadInput,
      hint,
    )
    this.name = 'SchemeError'
  }
}

/** Reads and checks a scheme's text: its structure here, its rules by compiling them (compileScheme). */
export function loadScheme(text: string, file: string): Scheme {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, uniqueKeys: true})
  const fail = (at: YamlNode | number | null | undefined, message: string, hint?: string, length?: number): never => {
    const offset = typeof at === 'number' ? at : (at?.range?.[0] ?? 0)
    const size = length ?? (typeof at === 'number' ? 1 : at?.range ? at.range[1] - at.range[0] : 1)
    throw new SchemeError(file, text, offset, size, message, hint)
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    // The YAML parser recurses into nested lists and maps, and reports running out of stack as an error of the file.
    const what = /call stack/i.test(e.message) ? en('nestsTooDeeply') : e.message.split('\n')[0]
    fail(e.pos[0], en('notYaml', {what}), en('checkIndentation'), e.pos[1] - e.pos[0])
  }
  const root = doc.contents
  if (!isMap(root)) fail(root, en('schemeNotMapping'), en('startFromBuiltin'))
  const map = root as YAMLMap
  checkKeys(map, TOP_KEYS, en('aScheme'), fail)
  const places = new Map<string, RulePlace>()
  const name = textAt(map, 'name', fail, true)!
  if (!ID.test(name)) fail(map.get('name', true) as YamlNode, en('notSchemeName', {name}), en('schemeNameHint'))
  const version = textAt(map, 'version', fail, true)!
  const rule = (node: YamlNode | undefined, key: string): string | null => {
    if (node === undefined || node === null) return null
    // A plain number or boolean (limit: 0.1, rule: true) is an expression too: take it as written.
    if (isScalar(node) && (typeof node.value === 'boolean' || typeof node.value === 'number') && node.range) {
      const value = text.slice(node.range[0], node.range[1]).trim()
      places.set(key, {node, text: value})
      return value
    }
    if (!isScalar(node) || typeof node.value !== 'string') fail(node, en('ruleNotText'), en('ruleAsCondition'))
    const scalar = node as Scalar<string>
    places.set(key, {node: scalar, text: scalar.value})
    return scalar.value
  }
  const appliesTo = rule(map.get('applies_to', true) as YamlNode | undefined, 'applies_to')
  const extras: Record<string, ExtraType> = {}
  const optionalExtras: string[] = []
  const extrasNode = map.get('extras', true) as YamlNode | undefined
  if (extrasNode !== undefined) {
    if (!isMap(extrasNode)) fail(extrasNode, en('extrasNotMap'), en('extrasExample'))
    for (const pair of (extrasNode as YAMLMap).items) {
      const key = String((pair.key as Scalar).value)
      const written = isScalar(pair.value) ? String(pair.value.value) : ''
      const type = written.endsWith('?') ? written.slice(0, -1) : written
      if (!EXTRA_TYPES.includes(type as ExtraType))
        fail(
          (pair.value as YamlNode) ?? (pair.key as YamlNode),
          en('extraType', {name: key, types: EXTRA_TYPES.join(', ')}),
          en('optionalExtraHint'),
        )
      if (FIELD_INPUTS.some((f) => f.name === key))
        fail(pair.key as YamlNode, en('extraIsField', {name: key}), en('removeFromExtras'))
      extras[key] = type as ExtraType
      if (written.endsWith('?')) optionalExtras.push(key)
      if (isScalar(pair.key)) places.set(`extras.${key}`, {node: pair.key as Scalar, text: key})
    }
  }
  const defines: [string, string][] = []
  const defineNode = map.get('define', true) as YamlNode | undefined
  if (defineNode !== undefined) {
    if (!isMap(defineNode)) fail(defineNode, en('defineNotMap'), en('defineExample'))
    for (const pair of (defineNode as YAMLMap).items) {
      const key = String((pair.key as Scalar).value)
      if (!ID.test(key) || /-/.test(key)) fail(pair.key as YamlNode, en('notAName', {name: key}), en('nameHint'))
      if (FIELD_INPUTS.some((f) => f.name === key) || key in extras)
        fail(pair.key as YamlNode, en('alreadyField', {name: key}), en('chooseAnotherName'))
      defines.push([
        key,
        rule(pair.value as YamlNode, `define.${key}`) ?? fail(pair.key as YamlNode, en('noExpression', {name: key})),
      ])
    }
  }
  const tiersNode = map.get('tiers', true) as YamlNode | undefined
  if (tiersNode === undefined) fail(map, en('noTiers'), en('addTiers'))
  if (!isSeq(tiersNode) || tiersNode.items.length === 0) fail(tiersNode, en('tiersNotList'))
  const tiers: Tier[] = []
  const items = (tiersNode as {items: unknown[]}).items
  items.forEach((item, i) => {
    if (!isMap(item)) fail(item as YamlNode, en('tierNotMapping', {n: i + 1}))
    const t = item as YAMLMap
    checkKeys(t, TIER_KEYS, en('aTier'), fail)
    const id = textAt(t, 'id', fail, true)!
    const idNode = t.get('id', true) as YamlNode
    if (!ID.test(id)) fail(idNode, en('notTierId', {id}), en('tierIdHint'))
    if (tiers.some((other) => other.id === id)) fail(idNode, en('tierIdTwice', {id}), en('ownId'))
    const ruleText = rule(t.get('rule', true) as YamlNode | undefined, `tiers.${i}.rule`)
    if (ruleText === null && i < items.length - 1) fail(idNode, en('tierNoRule', {id}), en('onlyLastNoRule'))
    tiers.push({
      id,
      label: labels(t.get('label', true) as YamlNode | undefined, id, fail),
      rule: ruleText,
      cadenceDays: cadence(t, fail),
      description: textAt(t, 'description', fail) ?? '',
      ranked: ranked(t, fail),
    })
  })
  return {
    name,
    version,
    title: labels(map.get('title', true) as YamlNode | undefined, name, fail),
    description: textAt(map, 'description', fail) ?? '',
    order: order(map, fail),
    source: textAt(map, 'source', fail) ?? '',
    appliesTo,
    extras,
    optionalExtras,
    defines,
    tiers,
    text,
    file,
    places,
    hash: createHash('sha256').update(text).digest('hex'),
  }
}

type Fail = (at: YamlNode | number | null | undefined, message: string, hint?: string) => never

function checkKeys(map: YAMLMap, allowed: readonly string[], what: string, fail: Fail): void {
  for (const pair of map.items) {
    const key = String((pair.key as Scalar).value)
    if (!allowed.includes(key)) {
      const near = closestMatch(key, allowed)
      fail(
        pair.key as YamlNode,
        en('notAKeyOf', {key, what}),
        near ? en('didYouMean', {candidates: `"${near}"`}) : en('theKeysAre', {keys: allowed.join(', ')}),
      )
    }
  }
}

function textAt(map: YAMLMap, key: string, fail: Fail, required = false): string | undefined {
  const node = map.get(key, true) as YamlNode | undefined
  if (node === undefined || (isScalar(node) && node.value === null)) {
    if (required) fail(map, en('keyMissing', {key}), en('addKey', {key}))
    return undefined
  }
  if (!isScalar(node) || typeof node.value === 'object') fail(node, en('mustBeText', {key}))
  return String((node as Scalar).value)
}

function labels(node: YamlNode | undefined, fallback: string, fail: Fail): Labels {
  if (node === undefined) return {zh: fallback, en: fallback}
  if (isScalar(node)) return {zh: String(node.value), en: String(node.value)}
  if (!isMap(node)) fail(node, en('labelShape'))
  const map = node as YAMLMap
  const zh = textAt(map, 'zh', fail)
  const english = textAt(map, 'en', fail)
  return {zh: zh ?? english ?? fallback, en: english ?? zh ?? fallback}
}

function cadence(tier: YAMLMap, fail: Fail): number | null {
  const node = tier.get('cadence_days', true) as YamlNode | undefined
  if (node === undefined) return null
  const value = isScalar(node) ? node.value : undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    fail(node, en('cadenceWhole'), en('cadenceExample'))
  return value as number
}

function order(map: YAMLMap, fail: Fail): TierOrder {
  const node = map.get('order', true) as YamlNode | undefined
  if (node === undefined) return DEFAULT_ORDER
  const value = isScalar(node) ? node.value : undefined
  if (!TIER_ORDERS.includes(value as TierOrder)) {
    const near = typeof value === 'string' ? closestMatch(value, TIER_ORDERS) : undefined
    fail(
      node,
      en('orderMustBe', {orders: TIER_ORDERS.join(' or ')}),
      near ? en('didYouMean', {candidates: `"${near}"`}) : en('orderHint'),
    )
  }
  return value as TierOrder
}

function ranked(tier: YAMLMap, fail: Fail): boolean {
  const node = tier.get('ranked', true) as YamlNode | undefined
  if (node === undefined) return true
  const value = isScalar(node) ? node.value : undefined
  if (typeof value !== 'boolean') fail(node, en('rankedBoolean'), en('rankedHint'))
  return value as boolean
}

/** A scheme ready to run: its rules compiled against the inputs they read, for one as-of date. */
export interface CompiledScheme {
  readonly scheme: Scheme
  readonly asOf: string
  /** What each row must carry, in order: Row.values[i] is inputs[i]. */
  readonly inputs: readonly InputSpec[]
  readonly appliesTo: Expr | null
  readonly where: Expr | null
  readonly tiers: readonly {readonly tier: Tier; readonly rule: Expr | null}[]
  readonly windows: readonly Window[]
  /**
   * Kept columns a rule treats as personal data (personalKept): reading them needs --reveal, as a personal field does.
   */
  readonly personalKept: readonly string[]
}

/**
 * Compiles every rule of a scheme (and an optional --where filter) for an as-of date. Mistakes are SchemeErrors
 * pointing into the file (or the flag). A tier that can never be reached is a mistake too.
 */
export function compileScheme(scheme: Scheme, asOf: string, where?: string): CompiledScheme {
  const inputs = new Map<string, InputSpec>()
  for (const f of FIELD_INPUTS) inputs.set(f.name, f)
  for (const c of CONTACT_INPUTS) inputs.set(c.name, c)
  for (const [name, type] of Object.entries(scheme.extras)) inputs.set(name, {name, type, source: 'extra'})
  // A kept column is personal when its name says so, or when a rule that reads it writes an ID number, phone or e-mail.
  const personalKept = new Set(Object.keys(scheme.extras).filter(personalColumnName))
  const defineTexts = new Map(scheme.defines)
  const defined = new Map<string, Expr>()
  const portfolioDefines = new Set<string>()
  const compiling = new Set<string>()
  const scope: Scope = {
    input: (name) => inputs.get(name),
    define: (name, span = {start: 0, end: 0}) => {
      const text = defineTexts.get(name)
      if (text === undefined) return undefined
      if (!defined.has(name)) {
        if (compiling.has(name)) throw new RuleError(en('definedInItself', {name}), span)
        if (compiling.size >= MAX_DEFINE_CHAIN) {
          throw new RuleError(en('defineTooDeep', {name, max: MAX_DEFINE_CHAIN}), span, en('defineFewerSteps'))
        }
        compiling.add(name)
        const uses = scope.portfolioUses
        try {
          defined.set(name, compile(`define.${name}`, text, false))
        } finally {
          compiling.delete(name)
        }
        if (scope.portfolioUses > uses) portfolioDefines.add(name)
      }
      if (portfolioDefines.has(name)) scope.portfolioUses++
      return defined.get(name)
    },
    names: () => [...inputs.keys(), ...defineTexts.keys(), 'as_of'],
    asOf,
    windows: [],
    slots: new Map(),
    portfolioUses: 0,
  }
  const compile = (key: string, text: string, asCondition: boolean): Expr => {
    const place = scheme.places.get(key)
    const compiler = new Compiler(scope, text)
    try {
      const tree: Node = parseRule(text)
      const e = asCondition ? compiler.condition(tree) : compiler.expr(tree)
      if (writesPersonal(tree))
        for (const name of e.reads ?? []) if (inputs.get(name)?.source === 'extra') personalKept.add(name)
      return e
    } catch (error) {
      if (!(error instanceof RuleError)) throw error
      throw ruleError(scheme, key, text, place, error)
    }
  }
  /** applies_to and --where choose the portfolio, so they cannot use measures of it. */
  const selection = (key: string, text: string | null | undefined): Expr | null => {
    if (text === null || text === undefined) return null
    const uses = scope.portfolioUses
    const e = compile(key, text, true)
    if (scope.portfolioUses > uses) {
      throw ruleError(
        scheme,
        key,
        text,
        scheme.places.get(key),
        new RuleError(en('portfolioInFilter', {key}), {start: 0, end: text.length}, en('filterOwnValues')),
      )
    }
    return e
  }
  const appliesTo = selection('applies_to', scheme.appliesTo)
  const whereExpr = selection('--where', where)
  const tiers = scheme.tiers.map((tier, i) => ({
    tier,
    rule: tier.rule === null ? null : compile(`tiers.${i}.rule`, tier.rule, true),
  }))
  // Definitions no rule uses are still checked, but load nothing and measure nothing.
  for (const [name] of scheme.defines) {
    if (defined.has(name)) continue
    const [windows, slots] = [scope.windows.length, scope.slots.size]
    scope.define(name)
    scope.windows.splice(windows)
    for (const [input, slot] of scope.slots) if (slot >= slots) scope.slots.delete(input)
  }
  checkReachable(scheme, tiers)
  const ordered = [...scope.slots.entries()].sort((a, b) => a[1] - b[1]).map(([name]) => inputs.get(name)!)
  return {
    scheme,
    asOf,
    inputs: ordered,
    appliesTo,
    where: whereExpr,
    tiers,
    windows: scope.windows,
    personalKept: [...personalKept],
  }
}

/** Whether a rule's text holds a written value that looks like an ID number, a phone or an e-mail address. */
function writesPersonal(tree: Node): boolean {
  const pending = [tree]
  while (pending.length > 0) {
    const node = pending.pop()!
    if ((node.kind === 'text' && looksPersonal(node.value)) || (node.kind === 'number' && looksPersonal(node.text)))
      return true
    pending.push(...children(node))
  }
  return false
}

/**
 * The personal fields (PERSONAL_FIELDS) the rules of a compiled scheme and its --where read, each with the first rule
 * that does.
 */
export function personalReads(compiled: CompiledScheme): {readonly field: string; readonly rule: string}[] {
  const rules: [string, Expr | null][] = [
    ['--where', compiled.where],
    ['applies_to', compiled.appliesTo],
    ...compiled.tiers.map((t): [string, Expr | null] => [`the rule of tier "${t.tier.id}"`, t.rule]),
  ]
  const found = new Map<string, string>()
  const personal = (name: string) => PERSONAL_FIELDS.includes(name) || compiled.personalKept.includes(name)
  for (const [rule, e] of rules)
    for (const name of e?.reads ?? []) if (personal(name) && !found.has(name)) found.set(name, rule)
  return [...found].map(([field, rule]) => ({field, rule}))
}

/**
 * A kept column a rule reads, whose values look like personal data for some customer, is personal data too: the
 * rows are checked as they are read (before anything is counted or stored), and a rule on it needs --reveal.
 */
export function checkKeptValues(
  compiled: CompiledScheme,
  rows: readonly {readonly values: readonly Value[]}[],
  reveal: boolean,
): void {
  checkKeptLookalikes(compiled, reveal, (at) => {
    for (const row of rows) {
      const v = row.values[at]
      if (v !== null && looksPersonal(typeof v === 'string' ? v : String(v))) return true
    }
    return false
  })
}

/**
 * checkKeptValues's test, given whether some customer's value of input `at` looks like personal data (the SQL engine
 * asks the database).
 */
export function checkKeptLookalikes(compiled: CompiledScheme, reveal: boolean, looks: (at: number) => boolean): void {
  if (reveal) return
  compiled.inputs.forEach((input, at) => {
    // An amount, a date or a yes/no is none of them, however its digits read: 138,001,380.00 yuan is not a mobile.
    const cannotBe = input.type === 'money' || input.type === 'date' || input.type === 'bool'
    if (input.source !== 'extra' || cannotBe || compiled.personalKept.includes(input.name) || !looks(at)) return
    throw new UserError(en('keptLooksPersonal', {name: input.name}), ExitCode.Usage, en('revealOrNoColumn'))
  })
}

/**
 * A rule that reads personal data answers questions about it (a --dry-run count of starts_with(id_number, '1101051949')
 * gives masked digits away one at a time), so it runs only with --reveal, which the audit log records.
 */
export function checkReveal(compiled: CompiledScheme, reveal: boolean): void {
  const reads = personalReads(compiled)
  if (reads.length === 0 || reveal) return
  const byRule = new Map<string, string[]>()
  for (const r of reads) byRule.set(r.rule, [...(byRule.get(r.rule) ?? []), r.field])
  const named = (fields: readonly string[]) =>
    fields.map((f) => (PERSONAL_FIELDS.includes(f) ? f : en('keptColumnNamed', {name: f}))).join(', ')
  const what = [...byRule]
    .map(([rule, fields]) =>
      rule === '--where'
        ? en('whereReads', {fields: named(fields)})
        : en('ruleReads', {rule, scheme: compiled.scheme.name, fields: named(fields)}),
    )
    .join('; ')
  throw new UserError(en('readsPersonal', {what}), ExitCode.Usage, en('revealOrNoPersonal'))
}

function checkReachable(scheme: Scheme, tiers: readonly {tier: Tier; rule: Expr | null}[]): void {
  const seen = new Map<string, string>()
  tiers.forEach(({tier, rule}, i) => {
    const place = scheme.places.get(`tiers.${i}.rule`)
    const fail = (message: string, hint: string): never => {
      const offset = place?.node.range?.[0] ?? scheme.text.indexOf(`id: ${tier.id}`)
      throw new SchemeError(
        scheme.file,
        scheme.text,
        Math.max(offset, 0),
        place ? place.text.split('\n')[0].length : tier.id.length,
        message,
        hint,
      )
    }
    const earlier = tiers
      .slice(0, i)
      .find((t) => t.rule === null || (t.rule.constant && t.rule.eval({values: [], index: 0}) === true))
    if (earlier)
      fail(
        en('unreachableTakesAll', {id: tier.id, earlier: earlier.tier.id}),
        en('moveAboveOrNarrow', {id: tier.id, earlier: earlier.tier.id}),
      )
    if (rule?.constant && rule.eval({values: [], index: 0}) !== true)
      fail(en('unreachableNeverHolds', {id: tier.id}), en('checkOrRemove'))
    if (tier.rule !== null) {
      const key = tier.rule.replace(/\s+/g, ' ').trim().toLowerCase()
      const same = seen.get(key)
      if (same !== undefined) fail(en('unreachableSameRule', {id: tier.id, same}), en('changeOneRule'))
      seen.set(key, tier.id)
    }
    if (rule !== null && neverHolds(rule))
      fail(en('unreachableThresholds', {id: tier.id, rule: shortened(rule.text)}), en('checkThresholds'))
    const shadow = rule === null ? undefined : tiers.slice(0, i).find((t) => t.rule !== null && implies(rule, t.rule))
    if (shadow) {
      fail(
        en('unreachableShadowed', {
          id: tier.id,
          rule: shortened(rule!.text),
          shadow: shadow.tier.id,
          shadowRule: shortened(shadow.rule!.text),
        }),
        en('moveAboveOrNarrowShadow', {id: tier.id, shadow: shadow.tier.id}),
      )
    }
  })
}

function ruleError(
  scheme: Scheme,
  key: string,
  text: string,
  place: RulePlace | undefined,
  error: RuleError,
): UserError {
  if (place === undefined) {
    const at = shortened(text.slice(error.span.start, Math.max(error.span.end, error.span.start + 1)))
    // Only --where has no place in a file: a mistake in a flag is a usage error.
    const rule = JSON.stringify(shortened(text))
    const message = at
      ? en('ruleInFlagAt', {key, rule, message: error.message, at, char: error.span.start + 1})
      : en('ruleInFlag', {key, rule, message: error.message})
    return new UserError(message, ExitCode.Usage, error.hint)
  }
  return new SchemeError(
    scheme.file,
    scheme.text,
    ruleOffset(scheme.text, place, error.span),
    Math.max(1, error.span.end - error.span.start),
    error.message,
    error.hint,
  )
}

/** A rule's text for a message: a long one is cut, so a 100,000-character rule does not fill the screen. */
function shortened(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text
}

/** Where a place in a rule's text is in the file: plain and quoted scalars map directly; block text line by line. */
function ruleOffset(file: string, place: RulePlace, span: Span): number {
  const {node, text} = place
  const start = node.range?.[0] ?? 0
  if (!text.includes('\n') && node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED') {
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0
    return start + quoted + span.start
  }
  const before = text.slice(0, span.start).split('\n')
  const lineIndex = before.length - 1
  const column = before[lineIndex].length
  let at = start
  const lines = text.split('\n')
  for (let i = 0; i <= lineIndex; i++) {
    const found = file.indexOf(lines[i], at)
    if (found < 0) return start
    at = i === lineIndex ? found + column : found + lines[i].length
  }
  return at
}
