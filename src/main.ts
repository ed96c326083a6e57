// What bin/run.js runs: oclif's execute, from the bundle the commands are in (scripts/bundle.js), so one copy of
// @oclif/core loads, and the commands extend the same Command class it runs.
export {execute} from '@oclif/core'
