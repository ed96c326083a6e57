import {readFileSync} from 'node:fs'
import {type ColumnMapping, EMPTY_MAPPING} from '../core/column-plan.js'
import {cutText} from '../core/cut-text.js'
import {normalizeHeader} from '../core/fields.js'
import {ExitCode, UserError} from '../errors.js'
import {en} from '../core/messages.js'

/** Reads a --mapping JSON file and adds --map "Source=field" pairs (which win over the file). */
export function readMapping(file: string | undefined, pairs: readonly string[]): ColumnMapping {
  const base = file === undefined ? EMPTY_MAPPING : readMappingFile(file)
  const columns: Record<string, string> = {...base.columns}
  const typed = pairs.map((pair) => {
    const at = pair.lastIndexOf('=')
    if (at <= 0 || at === pair.length - 1)
      throw new UserError(en('mapNotPair', {pair}), ExitCode.Usage, en('mapExample'))
    return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as const
  })
  const clash = findClash(typed)
  if (clash) {
    const [a, b] = clash.pairs.map(([source, field]) => `--map "${cutText(source)}=${cutText(field)}"`)
    throw new UserError(
      clash.sameColumn
        ? en('mapsSameColumn', {a, b, column: clash.name})
        : en('mapsSameField', {a, b, field: clash.name}),
      ExitCode.Usage,
      clash.hint,
    )
  }
  for (const [source, field] of typed) columns[source] = field
  return {columns, defaults: {...base.defaults}, typed: typed.map(([source]) => source)}
}

/**
 * Two entries that map one column twice (its name compared as headers are) or two columns to one field: the
 * import would keep one and lose the other without a word. The same entry twice is harmless.
 */
function findClash(entries: readonly (readonly [string, string])[]) {
  const bySource = new Map<string, readonly [string, string]>()
  const byField = new Map<string, readonly [string, string]>()
  for (const entry of entries) {
    const [source, field] = entry
    const sameSource = bySource.get(normalizeHeader(source))
    if (sameSource?.[1] === field) continue
    if (sameSource) {
      return {pairs: [sameSource, entry], sameColumn: true, name: cutText(source), hint: en('mapColumnOnce')}
    }
    const sameField = field === '-' ? undefined : byField.get(field)
    if (sameField) {
      return {pairs: [sameField, entry], sameColumn: false, name: cutText(field), hint: en('fieldFromOneColumn')}
    }
    bySource.set(normalizeHeader(source), entry)
    byField.set(field, entry)
  }
  return undefined
}

function readMappingFile(file: string): ColumnMapping {
  let parsed: unknown
  let text: string
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '')
    parsed = JSON.parse(text)
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? en('noSuchFile') : (error as Error).message
    throw new UserError(en('mappingUnreadable', {file, reason}), ExitCode.BadInput, en('mappingIsJson'))
  }
  const object = parsed as {columns?: unknown; defaults?: unknown}
  const isStringMap = (v: unknown) =>
    v === undefined ||
    (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'))
  if (typeof parsed !== 'object' || parsed === null || !isStringMap(object.columns) || !isStringMap(object.defaults)) {
    throw new UserError(en('mappingShape', {file}), ExitCode.BadInput)
  }
  // JSON.parse keeps the last of two equal keys without a word.
  const twice = duplicateKey(text)
  if (twice) {
    const [first, second] = twice.values
    const key = cutText(twice.key)
    const message =
      first !== undefined && second !== undefined
        ? en('mappingTwiceValues', {file, key, first: cutText(first), second: cutText(second)})
        : en('mappingTwice', {file, key})
    throw new UserError(message, ExitCode.BadInput, en('keepTheOne'))
  }
  const columns = (object.columns ?? {}) as Record<string, string>
  const clash = findClash(Object.entries(columns))
  if (clash) {
    const [a, b] = clash.pairs.map(([source, field]) => `"${cutText(source)}": "${cutText(field)}"`)
    const message = clash.sameColumn
      ? en('mappingSameColumn', {file, a, b, column: clash.name})
      : en('mappingSameField', {file, a, b, field: clash.name})
    throw new UserError(message, ExitCode.BadInput, clash.hint)
  }
  return {columns, defaults: (object.defaults ?? {}) as Record<string, string>}
}

/** The first key that an object in valid JSON text holds twice, with its two values when they are strings. */
function duplicateKey(text: string): {key: string; values: (string | undefined)[]} | undefined {
  const objects: (Map<string, string | undefined> | null)[] = []
  let expectKey = false
  const valueAt = (from: number): string | undefined => {
    let i = from
    while (/[\s:]/.test(text[i] ?? '')) i++
    return text[i] === '"' ? (JSON.parse(text.slice(i, stringEnd(i) + 1)) as string) : undefined
  }
  const stringEnd = (start: number): number => {
    let j = start + 1
    while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1
    return j
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      const end = stringEnd(i)
      const keys = objects.at(-1)
      if (keys && expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string
        const value = valueAt(end + 1)
        if (keys.has(key) && (value === undefined || keys.get(key) !== value))
          return {key, values: [keys.get(key), value]}
        keys.set(key, value)
        expectKey = false
      }
      i = end
    } else if (c === '{') {
      objects.push(new Map())
      expectKey = true
    } else if (c === '[') {
      objects.push(null)
      expectKey = false
    } else if (c === '}' || c === ']') {
      objects.pop()
      expectKey = false
    } else if (c === ',') {
      expectKey = objects.at(-1) != null
    }
  }
  return undefined
}
