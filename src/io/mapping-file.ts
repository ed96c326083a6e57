import {readFileSync} from 'node:fs'
import {type ColumnMapping, EMPTY_MAPPING} from '../core/column-plan.js'
import {ExitCode, UserError} from '../errors.js'

/** Reads a --mapping JSON file and adds --map "Source=field" pairs (which win over the file). */
export function readMapping(file: string | undefined, pairs: readonly string[]): ColumnMapping {
  const base = file === undefined ? EMPTY_MAPPING : readMappingFile(file)
  const columns: Record<string, string> = {...base.columns}
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=')
    if (at <= 0 || at === pair.length - 1) throw new UserError(`--map "${pair}" is not Source=field`, ExitCode.Usage, 'write for example --map "客户号=customer_id"')
    columns[pair.slice(0, at).trim()] = pair.slice(at + 1).trim()
  }
  return {columns, defaults: {...base.defaults}}
}

function readMappingFile(file: string): ColumnMapping {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''))
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new UserError(`cannot read the mapping file ${file}: ${reason}`, ExitCode.BadInput, 'a mapping file is JSON: {"columns": {"Source": "field"}, "defaults": {"field": "value"}}')
  }
  const object = parsed as {columns?: unknown; defaults?: unknown}
  const isStringMap = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string'))
  if (typeof parsed !== 'object' || parsed === null || !isStringMap(object.columns) || !isStringMap(object.defaults)) {
    throw new UserError(`the mapping file ${file} must hold {"columns": {...}, "defaults": {...}} with text values`, ExitCode.BadInput)
  }
  return {columns: (object.columns ?? {}) as Record<string, string>, defaults: (object.defaults ?? {}) as Record<string, string>}
}
