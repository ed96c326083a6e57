#!/usr/bin/env node
// Runs the TypeScript sources directly (oclif registers tsx in development mode).
import {stopOnOutputError} from './output-errors.js'

stopOnOutputError()
const {execute} = await import('@oclif/core')
const {globalFlagsAfterCommand} = await import('./global-flags.js')
await execute({args: globalFlagsAfterCommand(process.argv.slice(2)), development: true, dir: import.meta.url})
