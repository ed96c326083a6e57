import {DERIVED, markPersonal, PERSONAL_FIELDS} from '../masking.js'
import {type Expr, formatValue, type Row, type Value} from './compile.js'

/**
 * Reasons and explanations from a compiled rule: which conditions held, with the values that decided them, and
 * which would have to change for another rule to hold.
 */

function side(e: Expr, row: Row): string {
  if (e.constant) return e.text
  return `${e.text} ${shown(e, e.eval(row))}`
}

/**
 * A value a reason shows. One read from personal data is marked, so that output masks it unless --reveal: a field
 * as itself (110105********0021), anything computed from one (age(birth_date)) hidden whole.
 */
function shown(e: Expr, value: Value): string {
  const text = formatValue(value, e.type)
  const personal = value === null ? undefined : e.reads?.find((name) => PERSONAL_FIELDS.includes(name))
  if (personal === undefined) return text
  const own = e.shape.kind === 'input' || (e.shape.kind === 'define' && e.shape.target.shape.kind === 'input')
  const field = own && e.reads!.length === 1 ? personal : DERIVED
  const quoted = text.startsWith("'") && text.endsWith("'") && text.length >= 2
  return quoted ? `'${markPersonal(field, text.slice(1, -1))}'` : markPersonal(field, text)
}

function leaf(e: Expr, row: Row): string {
  const shape = e.shape
  if (shape.kind !== 'compare') return e.text
  const [first, ...rest] = shape.sides
  switch (shape.op) {
    case 'in':
    case 'not in': return `${side(first, row)} ${shape.op} (${rest.map((r) => r.text).join(', ')})`
    case 'between':
    case 'not between': return `${side(first, row)} ${shape.op} ${side(rest[0], row)} and ${side(rest[1], row)}`
    case 'is null':
    case 'is not null': return e.text
    default: return `${side(first, row)} ${shape.op} ${side(rest[0], row)}`
  }
}

/** The conditions of a rule that held for a row (the rule as a whole holds), each with its values. */
export function held(e: Expr, row: Row): string[] {
  const shape = e.shape
  switch (shape.kind) {
    case 'and': return shape.parts.flatMap((p) => held(p, row))
    case 'or': {
      const part = shape.parts.find((p) => p.eval(row) === true)
      return part ? held(part, row) : [e.text]
    }
    case 'define': return held(shape.target, row).map((text) => `${shape.name}: ${text}`)
    case 'not': return [`not (${shape.part.text})`]
    default: return [leaf(e, row)]
  }
}

/** The conditions of a rule that do not hold for a row, as what would have to change (the fewest, through an or). */
export function missing(e: Expr, row: Row): string[] {
  if (e.eval(row) === true) return []
  const shape = e.shape
  switch (shape.kind) {
    case 'and': return shape.parts.flatMap((p) => missing(p, row))
    case 'or': {
      const options = shape.parts.map((p) => missing(p, row))
      return options.reduce((best, o) => (o.length < best.length ? o : best))
    }
    case 'define': return missing(shape.target, row)
    case 'not': return [`${shape.part.text} would have to be false`]
    case 'compare': {
      const [a, b] = shape.sides
      if (shape.sides.length === 2 && !a.constant && b.constant && (a.shape.kind === 'input' || a.shape.kind === 'define') && !shape.op.includes('null')) {
        const now = a.eval(row)
        return [`${a.text} would have to be ${shape.op} ${shape.op.includes('in') ? `(${shape.sides.slice(1).map((s) => s.text).join(', ')})` : b.text} (now ${shown(a, now)})`]
      }
      return [`${leaf(e, row)} would have to hold`]
    }
    default: return [`${e.text} would have to hold`]
  }
}

const SIDES = new WeakMap<readonly Expr[], Expr[]>()

/** The values a rule reads for a row, once each: the reason a default tier gives. */
export function valuesRead(rules: readonly Expr[], row: Row): string[] {
  let sides = SIDES.get(rules)
  if (sides === undefined) {
    const seen = new Map<string, Expr>()
    const visit = (e: Expr): void => {
      const shape = e.shape
      if (shape.kind === 'and' || shape.kind === 'or') shape.parts.forEach(visit)
      else if (shape.kind === 'not') visit(shape.part)
      else if (shape.kind === 'define') (shape.target.type === 'bool' ? visit(shape.target) : seen.set(e.text, e))
      else if (shape.kind === 'compare') for (const s of shape.sides) if (!s.constant) seen.set(s.text, s)
    }
    rules.forEach(visit)
    SIDES.set(rules, (sides = [...seen.values()]))
  }
  return sides.map((s) => side(s, row))
}
