/**
 * The rule language's parser: text -> syntax tree. Rules are data: the tree is interpreted by compile.ts and never
 * turned into JavaScript or SQL text.
 *
 *   rule       := or
 *   or         := and ('or' and)*
 *   and        := not ('and' not)*
 *   not        := 'not' not | comparison
 *   comparison := sum [ ('='|'=='|'!='|'<>'|'<'|'<='|'>'|'>=') sum
 *                     | ['not'] 'in' '(' sum (',' sum)* ')'
 *                     | ['not'] 'between' sum 'and' sum
 *                     | ['not'] ('like'|'ilike') sum
 *                     | 'is' ['not'] 'null' ]
 *   sum        := product (('+'|'-') product)*
 *   product    := unary (('*'|'/') unary)*
 *   unary      := '-' unary | primary
 *   primary    := number ['万'|'亿'] | 'text' | "text" | true | false | null | name | name '(' [rule (',' rule)*]
 * ')' | '(' rule ')'
 *               | 'case' ('when' rule 'then' rule)+ ['else' rule] 'end'
 *
 * Names are letters (Chinese too), digits and _, or any text in backticks (`风险 偏好`). Keywords are case-insensitive.
 * 600万 is 6,000,000 and 1.5亿 is 150,000,000, written exactly.
 */

import {en} from '../messages.js'

export interface Span {
  readonly start: number
  readonly end: number
}

export type Node =
  | {readonly kind: 'number'; readonly text: string; readonly span: Span}
  | {readonly kind: 'text'; readonly value: string; readonly span: Span}
  | {readonly kind: 'bool'; readonly value: boolean; readonly span: Span}
  | {readonly kind: 'null'; readonly span: Span}
  | {readonly kind: 'name'; readonly name: string; readonly span: Span}
  | {
      readonly kind: 'call'
      readonly name: string
      readonly args: readonly Node[]
      readonly span: Span
      readonly nameSpan: Span
    }
  | {readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: Node; readonly span: Span}
  | {readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Node; readonly right: Node; readonly span: Span}
  | {
      readonly kind: 'in'
      readonly negated: boolean
      readonly operand: Node
      readonly list: readonly Node[]
      readonly span: Span
    }
  | {
      readonly kind: 'between'
      readonly negated: boolean
      readonly operand: Node
      readonly low: Node
      readonly high: Node
      readonly span: Span
    }
  | {readonly kind: 'isnull'; readonly negated: boolean; readonly operand: Node; readonly span: Span}
  | {
      readonly kind: 'like'
      readonly negated: boolean
      readonly insensitive: boolean
      readonly operand: Node
      readonly pattern: Node
      readonly span: Span
    }
  | {
      readonly kind: 'case'
      readonly whens: readonly {readonly when: Node; readonly then: Node}[]
      readonly otherwise: Node | null
      readonly span: Span
    }

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>='
export type BinaryOp = 'and' | 'or' | ComparisonOp | '+' | '-' | '*' | '/'

/** A mistake in a rule, at a place in its text (offsets into the rule). */
export class RuleError extends Error {
  constructor(
    message: string,
    readonly span: Span,
    readonly hint?: string,
  ) {
    super(message)
    this.name = 'RuleError'
  }
}

type Token =
  | {readonly type: 'number'; readonly text: string; readonly span: Span}
  | {readonly type: 'text'; readonly value: string; readonly span: Span}
  | {readonly type: 'name'; readonly name: string; readonly quoted: boolean; readonly span: Span}
  | {readonly type: 'op'; readonly op: string; readonly span: Span}
  | {readonly type: 'end'; readonly span: Span}

/**
 * How deeply a rule may nest: parentheses, function calls, not and minus, and each step of a chain of + - * /.
 * Far deeper than any rule a person writes, and far within the stack that parsing, compiling and evaluating
 * need. Chains of and / or are lists, not nesting: they may be any length.
 */
export const MAX_RULE_DEPTH = 64

const tooDeep = (span: Span) => new RuleError(en('ruleTooDeep', {max: MAX_RULE_DEPTH}), span, en('fewerLevels'))

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'between',
  'is',
  'null',
  'true',
  'false',
  'like',
  'ilike',
  'case',
  'when',
  'then',
  'else',
  'end',
])
/** Keywords a kept column may well be named (End, Like): such a name is written in backticks. */
const NEWER_KEYWORDS = new Set(['like', 'ilike', 'case', 'when', 'then', 'else', 'end'])
const OPERATORS = ['<=', '>=', '!=', '<>', '==', '=', '<', '>', '+', '-', '*', '/', '(', ')', ',']
const NAME_START = /[\p{L}_]/u
const NAME_PART = /[\p{L}\p{N}_]/u

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (/\s/.test(c)) {
      i++
      continue
    }
    const start = i
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      while (i < text.length && /[0-9_.]/.test(text[i])) i++
      if (text[i] === '万' || text[i] === '亿') i++
      const raw = text.slice(start, i)
      if (!/^(\d[\d_]*)?(\.\d+)?[万亿]?$/.test(raw) || raw.startsWith('_'))
        throw new RuleError(en('notANumber', {text: raw}), {start, end: i}, en('numberForms'))
      if (i < text.length && NAME_PART.test(text[i]))
        throw new RuleError(
          en('notNumberOrName', {text: `${raw}${text[i]}`}),
          {start, end: i + 1},
          en('nameStartsDigit'),
        )
      tokens.push({type: 'number', text: raw.replaceAll('_', ''), span: {start, end: i}})
    } else if (c === "'" || c === '"') {
      let value = ''
      i++
      for (;;) {
        if (i >= text.length)
          throw new RuleError(en('noClosingQuote'), {start, end: text.length}, en('endItWith', {mark: c}))
        if (text[i] === c) {
          if (text[i + 1] === c) {
            value += c
            i += 2
            continue
          }
          i++
          break
        }
        value += text[i++]
      }
      tokens.push({type: 'text', value, span: {start, end: i}})
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1)
      if (close < 0)
        throw new RuleError(en('noClosingBacktick'), {start, end: text.length}, en('endItWith', {mark: '`'}))
      tokens.push({type: 'name', name: text.slice(i + 1, close), quoted: true, span: {start, end: close + 1}})
      i = close + 1
    } else if (NAME_START.test(c)) {
      while (i < text.length && NAME_PART.test(text[i])) i++
      tokens.push({type: 'name', name: text.slice(start, i), quoted: false, span: {start, end: i}})
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i))
      if (op === undefined) throw new RuleError(en('noMeaning', {text: c}), {start, end: i + 1}, en('ruleSyntax'))
      i += op.length
      tokens.push({type: 'op', op, span: {start, end: i}})
    }
  }
  tokens.push({type: 'end', span: {start: text.length, end: text.length}})
  return tokens
}

const COMPARISONS: Readonly<Record<string, ComparisonOp>> = {
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
}

/** Parses a rule's text into a tree, or throws a RuleError saying where and what is wrong. */
export function parseRule(text: string): Node {
  if (text.trim() === '') throw new RuleError(en('ruleEmpty'), {start: 0, end: 0}, en('ruleExample'))
  const tokens = tokenize(text)
  let pos = 0
  // The parser recurses once per level of nesting; past MAX_RULE_DEPTH it stops rather than overflow the stack.
  let nesting = 0
  const nested = <T>(t: Token, parse: () => T): T => {
    if (++nesting > MAX_RULE_DEPTH) throw tooDeep(t.span)
    try {
      return parse()
    } finally {
      nesting--
    }
  }
  const peek = (): Token => tokens[pos]
  const keyword = (t: Token, word: string): boolean => t.type === 'name' && !t.quoted && t.name.toLowerCase() === word
  const isOp = (t: Token, op: string): boolean => t.type === 'op' && t.op === op
  const describe = (t: Token): string =>
    t.type === 'end' ? en('endOfRule') : `"${text.slice(t.span.start, t.span.end)}"`
  const expectOp = (op: string, what: string): Token => {
    const t = peek()
    if (!isOp(t, op)) throw new RuleError(en('expectedFound', {what, found: describe(t)}), t.span)
    pos++
    return t
  }
  const span = (start: number): Span => ({start, end: tokens[pos - 1].span.end})

  const parseOr = (): Node => {
    // A side in parentheses: the node's text starts at the ( and ends at the ), so reasons quote it whole.
    const start = peek().span.start
    let left = parseAnd()
    while (keyword(peek(), 'or')) {
      pos++
      const right = parseAnd()
      left = {kind: 'binary', op: 'or', left, right, span: span(start)}
    }
    return left
  }
  const parseAnd = (): Node => {
    const start = peek().span.start
    let left = parseNot()
    while (keyword(peek(), 'and')) {
      pos++
      const right = parseNot()
      left = {kind: 'binary', op: 'and', left, right, span: span(start)}
    }
    return left
  }
  const parseNot = (): Node => {
    const t = peek()
    if (keyword(t, 'not')) {
      pos++
      const operand = nested(t, parseNot)
      return {kind: 'unary', op: 'not', operand, span: {start: t.span.start, end: operand.span.end}}
    }
    return parseComparison()
  }
  const parseComparison = (): Node => {
    const start = peek().span.start
    const left = parseSum()
    const t = peek()
    if (t.type === 'op' && COMPARISONS[t.op]) {
      pos++
      const right = parseSum()
      const next = peek()
      if (next.type === 'op' && COMPARISONS[next.op]) {
        // 1 < x < 5 would compare a condition with 5: say what was meant rather than a type error.
        pos++
        const third = parseSum()
        const part = (n: Node) => text.slice(n.span.start, n.span.end)
        throw new RuleError(
          en('notChained'),
          {start, end: third.span.end},
          en('writeChained', {a: part(left), op: t.op, b: part(right), op2: next.op, c: part(third)}),
        )
      }
      return {kind: 'binary', op: COMPARISONS[t.op], left, right, span: span(start)}
    }
    let negated = false
    if (keyword(t, 'not') && ['in', 'between', 'like', 'ilike'].some((word) => keyword(tokens[pos + 1], word))) {
      negated = true
      pos++
    }
    if (keyword(peek(), 'like') || keyword(peek(), 'ilike')) {
      const insensitive = keyword(peek(), 'ilike')
      pos++
      const pattern = parseSum()
      return {kind: 'like', negated, insensitive, operand: left, pattern, span: span(start)}
    }
    if (keyword(peek(), 'in')) {
      pos++
      expectOp('(', en('openAfterIn'))
      const list = [parseSum()]
      while (isOp(peek(), ',')) {
        pos++
        list.push(parseSum())
      }
      expectOp(')', en('closeInList'))
      return {kind: 'in', negated, operand: left, list, span: span(start)}
    }
    if (keyword(peek(), 'between')) {
      pos++
      const low = parseSum()
      if (!keyword(peek(), 'and')) throw new RuleError(en('expectedBetweenAnd', {found: describe(peek())}), peek().span)
      pos++
      const high = parseSum()
      return {kind: 'between', negated, operand: left, low, high, span: span(start)}
    }
    if (keyword(peek(), 'is')) {
      pos++
      const not = keyword(peek(), 'not')
      if (not) pos++
      if (!keyword(peek(), 'null'))
        throw new RuleError(en('expectedNull', {not: not ? ' not' : '', found: describe(peek())}), peek().span)
      pos++
      return {kind: 'isnull', negated: not, operand: left, span: span(start)}
    }
    return left
  }
  const parseSum = (): Node => {
    const start = peek().span.start
    let left = parseProduct()
    for (let t = peek(); isOp(t, '+') || isOp(t, '-'); t = peek()) {
      pos++
      const right = parseProduct()
      left = {kind: 'binary', op: (t as {op: '+' | '-'}).op, left, right, span: span(start)}
    }
    return left
  }
  const parseProduct = (): Node => {
    const start = peek().span.start
    let left = parseUnary()
    for (let t = peek(); isOp(t, '*') || isOp(t, '/'); t = peek()) {
      pos++
      const right = parseUnary()
      left = {kind: 'binary', op: (t as {op: '*' | '/'}).op, left, right, span: span(start)}
    }
    return left
  }
  const parseUnary = (): Node => {
    const t = peek()
    if (isOp(t, '-')) {
      pos++
      const operand = nested(t, parseUnary)
      return {kind: 'unary', op: '-', operand, span: {start: t.span.start, end: operand.span.end}}
    }
    return parsePrimary()
  }
  const parsePrimary = (): Node => {
    const t = peek()
    pos++
    switch (t.type) {
      case 'number':
        return {kind: 'number', text: t.text, span: t.span}
      case 'text':
        return {kind: 'text', value: t.value, span: t.span}
      case 'name': {
        const word = t.quoted ? '' : t.name.toLowerCase()
        if (word === 'true' || word === 'false') return {kind: 'bool', value: word === 'true', span: t.span}
        if (word === 'null') return {kind: 'null', span: t.span}
        if (word === 'case') return nested(t, () => parseCase(t))
        if (KEYWORDS.has(word)) {
          const hint = NEWER_KEYWORDS.has(word) ? en('keywordColumn', {name: t.name}) : undefined
          throw new RuleError(en('expectedValueKeyword', {name: t.name}), t.span, hint)
        }
        if (isOp(peek(), '(')) {
          pos++
          const args: Node[] = []
          if (!isOp(peek(), ')')) {
            args.push(nested(t, parseOr))
            while (isOp(peek(), ',')) {
              pos++
              args.push(nested(t, parseOr))
            }
          }
          expectOp(')', en('closeCall', {name: t.name}))
          return {kind: 'call', name: t.name.toLowerCase(), args, span: span(t.span.start), nameSpan: t.span}
        }
        return {kind: 'name', name: t.name, span: t.span}
      }
      case 'op':
        if (t.op === '(') {
          const inner = nested(t, parseOr)
          expectOp(')', en('closeParen'))
          return inner
        }
        throw new RuleError(en('expectedValue', {found: describe(t)}), t.span)
      default:
        throw new RuleError(en('ruleEndsEarly'), t.span)
    }
  }

  const parseCase = (start: Token): Node => {
    if (!keyword(peek(), 'when')) {
      throw new RuleError(en('expectedWhen', {found: describe(peek())}), peek().span, en('caseExample'))
    }
    const whens: {when: Node; then: Node}[] = []
    while (keyword(peek(), 'when')) {
      pos++
      const when = parseOr()
      if (!keyword(peek(), 'then')) throw new RuleError(en('expectedThen', {found: describe(peek())}), peek().span)
      pos++
      // biome-ignore lint/suspicious/noThenProperty: a case's then, not a promise's
      whens.push({when, then: parseOr()})
    }
    let otherwise: Node | null = null
    if (keyword(peek(), 'else')) {
      pos++
      otherwise = parseOr()
    }
    if (!keyword(peek(), 'end'))
      throw new RuleError(en('expectedCaseEnd', {found: describe(peek())}), peek().span, en('endCase'))
    pos++
    return {kind: 'case', whens, otherwise, span: span(start.span.start)}
  }

  const tree = parseOr()
  const rest = peek()
  if (rest.type !== 'end') {
    const hint =
      rest.type === 'name' || rest.type === 'number' || rest.type === 'text' ? en('joinConditions') : undefined
    throw new RuleError(en('unexpected', {found: describe(rest)}), rest.span, hint)
  }
  checkDepth(tree)
  return tree
}

/**
 * Refuses a tree deeper than MAX_RULE_DEPTH, walked with a list rather than recursion. This catches what the
 * parser's nesting count does not: a long chain of + - * / is a tree as deep as the chain. An and / or chain is
 * compiled as one list of parts, so its links add no depth.
 */
function checkDepth(tree: Node): void {
  const pending: [Node, number][] = [[tree, 1]]
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!
    if (depth > MAX_RULE_DEPTH) throw tooDeep({start: node.span.start, end: node.span.start + 1})
    const chain = node.kind === 'binary' && (node.op === 'and' || node.op === 'or')
    for (const child of children(node))
      pending.push([child, chain && child.kind === 'binary' && child.op === node.op ? depth : depth + 1])
  }
}

/** A node's operands and arguments. */
export function children(node: Node): readonly Node[] {
  switch (node.kind) {
    case 'call':
      return node.args
    case 'unary':
    case 'isnull':
      return [node.operand]
    case 'binary':
      return [node.left, node.right]
    case 'in':
      return [node.operand, ...node.list]
    case 'between':
      return [node.operand, node.low, node.high]
    case 'like':
      return [node.operand, node.pattern]
    case 'case':
      return [...node.whens.flatMap((w) => [w.when, w.then]), ...(node.otherwise ? [node.otherwise] : [])]
    default:
      return []
  }
}
