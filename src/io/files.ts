import {closeSync, openSync, rmSync} from 'node:fs'
import {ExitCode, UserError} from '../errors.js'

/**
 * Makes `file` a new, empty file readable by its owner only (a backup or export holds personal data), replacing
 * what was there: SQLite writes into an empty file and keeps its mode.
 */
export function ownerOnlyFile(file: string): void {
  try {
    rmSync(file, {force: true})
    closeSync(openSync(file, 'wx', 0o600))
  } catch (error) {
    throw new UserError(`cannot create ${file}: ${(error as Error).message}`, ExitCode.BadInput, 'check that the folder exists and you may write there')
  }
}
