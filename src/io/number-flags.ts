import {Args, Flags} from '@oclif/core'
import {ID_RANGE, readWholeNumber, type WholeRange} from '../core/whole-number.js'
import {ExitCode, UserError} from '../errors.js'

/**
 * The one way commands read numbers from the command line: ids and whole-number flags, each with a range, so a
 * mistyped value is a usage error (exit 2) that says what to write, never a bad value passed on to SQLite.
 */

/** Rows a --limit may ask for: any real book, and far below what SQLite or JavaScript would mangle. */
export const LIMIT_RANGE: WholeRange = {min: 1, max: 1_000_000_000}
/** Days ahead or back that a flag may count: ten years. */
export const DAYS_RANGE: WholeRange = {min: 0, max: 3650}

/** oclif hands parse the flag's or argument's definition, whose name says which value was wrong. */
function parseWhole(range: WholeRange, what?: string, hint?: string) {
  return async (input: string, _context: unknown, definition: {name: string; type?: string}): Promise<number> => {
    const value = readWholeNumber(input, range)
    if (typeof value !== 'object') return value
    throw new UserError(`${what ?? (definition.type === 'option' ? `--${definition.name}` : definition.name.toUpperCase())} ${value.error}`, ExitCode.Usage, hint)
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
  return Args.custom<number>({parse: parseWhole(ID_RANGE, what, hint)})({description, required: true, ignoreStdin: true})
}
