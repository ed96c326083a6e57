#!/usr/bin/env node
import {stopOnOutputError} from './output-errors.js'

stopOnOutputError()
// DEBUG prints a stack trace (BaseCommand); the bundle's source maps make it name src/ files and lines. Read only then.
if (/^(1|true|yes|on|\*)$/i.test(process.env.DEBUG?.trim() ?? '')) process.setSourceMapsEnabled(true)
// oclif's check that Node satisfies its own engines (node >= 18) loads semver, a tenth of start-up; ours asks for more.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
const {execute} = await import('../dist/main.js')
const {globalFlagsAfterCommand} = await import('./global-flags.js')
await execute({args: globalFlagsAfterCommand(process.argv.slice(2)), dir: import.meta.url})
