#!/usr/bin/env node
// Runs the TypeScript sources directly (oclif registers tsx in development mode).
import {execute} from '@oclif/core'
import {globalFlagsAfterCommand} from './global-flags.js'

await execute({args: globalFlagsAfterCommand(process.argv.slice(2)), development: true, dir: import.meta.url})
