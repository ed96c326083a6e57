import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    disableConsoleIntercept: true,
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 60_000,
    // Most of the suite waits on child processes (bin/run.js) and the PostgreSQL server: two test files at a time keep
    // both cores busy, where vitest's default on two cores runs one.
    maxWorkers: 2,
    hookTimeout: 120_000,
  },
})
