import {en} from '../core/messages.js'
import {existsSync, readFileSync, statSync} from 'node:fs'
import {BUILTIN_SCHEMES} from '../core/schemes/builtin/index.js'
import {loadScheme, type Scheme} from '../core/schemes/scheme.js'
import {closestMatch} from '../core/suggest.js'
import {ExitCode, notFound, UserError} from '../errors.js'

/** A scheme by built-in name (retail-aum) or by file (my-tiers.yaml, .yml or .json). */
export function readScheme(nameOrFile: string): Scheme {
  const builtin = BUILTIN_SCHEMES[nameOrFile]
  if (builtin !== undefined) return loadScheme(builtin, `${nameOrFile} (built-in)`)
  if (existsSync(nameOrFile) && statSync(nameOrFile).isDirectory()) {
    throw new UserError(en('schemeIsFolder', {file: nameOrFile}), ExitCode.BadInput, en('nameSchemeFile'))
  }
  if (existsSync(nameOrFile)) {
    let text: string
    try {
      text = readFileSync(nameOrFile, 'utf8').replace(/^\uFEFF/, '')
    } catch (error) {
      throw new UserError(`cannot read ${nameOrFile}: ${(error as Error).message}`, ExitCode.BadInput)
    }
    return loadScheme(text, nameOrFile)
  }
  const near = closestMatch(nameOrFile, Object.keys(BUILTIN_SCHEMES))
  return notFound(
    en('noSchemeNamed', {name: nameOrFile}),
    near
      ? en('didYouMean', {candidates: near})
      : en('builtinSchemesAre', {schemes: Object.keys(BUILTIN_SCHEMES).join(', ')}),
  )
}

/** The scheme a stored run used, read back from the text stored with it. */
export function runScheme(run: {id: number; schemeText: string}): Scheme {
  return loadScheme(run.schemeText, `run ${run.id}'s scheme`)
}
