// npm run build, after tsc: bundles what a command loads at start-up, for speed. Resolving and reading some 250
// modules (oclif's own and ours) took more of a command's start-up than running it; each command in one file, with
// the code commands share split into chunks, loads a few.
//
//   src/main.ts                  → dist/main.js: oclif's execute, for bin/run.js (the same oclif the commands extend)
//   src/commands/**, src/hooks/** → dist/commands/**, dist/hooks/** (the paths package.json's oclif section names)
//   src/io/import-reader-worker.ts → dist/chunks/: the import's reader thread, beside the chunk that starts it
//   src/db/postgres/connection-worker.ts → dist/chunks/: the thread that holds a PostgreSQL connection
//   shared code                   → dist/chunks/*.js
//
// It overwrites tsc's output of the same paths; the rest of dist/ stays tsc's (scripts/demo.js imports it). Packages
// loaded on demand with createRequire (cli-table3, iconv-lite) and better-sqlite3 (a native addon) stay in
// node_modules. Source maps (.js.map, naming src/) are read when DEBUG is set: bin/run.js turns them on then.
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {build} from 'esbuild'

const ROOT = join(import.meta.dirname, '..')
const SRC = join(ROOT, 'src')

// Packages oclif requires as it loads but calls only now and then: ejs renders help and oclif's templated settings,
// minimatch matches plugin names to patterns, tinyglobby finds commands where there is no manifest. In the bundle
// each is a module of functions that load the package from node_modules on their first call; semver (oclif's check
// of Node's version, which bin/run.js turns off) is left out altogether. Bundled, they were a third of the code every
// command compiles.
const ON_FIRST_CALL = {ejs: ['render'], minimatch: ['minimatch'], tinyglobby: ['glob']}

/** @type {import('esbuild').Plugin} */
const loadedOnFirstCall = {
  name: 'loaded-on-first-call',
  setup(build) {
    build.onResolve({filter: /^(ejs|minimatch|tinyglobby)$/}, ({path, importer}) =>
      importer.includes(`${join('node_modules', '@oclif', 'core')}`) ? {path, namespace: 'on-first-call'} : undefined,
    )
    build.onLoad({filter: /.*/, namespace: 'on-first-call'}, ({path}) => {
      const names = ON_FIRST_CALL[path]
      const functions = names.map((name) => `export const ${name} = (...args) => load().${name}(...args)`)
      return {
        contents: [
          "import {createRequire} from 'node:module'",
          'let loaded',
          // Resolved from oclif's folder, where npm puts oclif's dependencies when it cannot hoist them.
          `const oclif = () => createRequire(createRequire(import.meta.url).resolve('@oclif/core'))`,
          `const load = () => (loaded ??= oclif()(${JSON.stringify(path)}))`,
          ...functions,
          `export default {${names.join(', ')}}`,
        ].join('\n'),
        loader: 'js',
      }
    })
  },
}

// oclif sorts each plugin's commands by id with localeCompare as it loads them: the first call of localeCompare in a
// process loads ICU's collation, more than a tenth of a command's start-up. Command ids are lowercase ASCII words
// joined by ':' and '-', which sort the same by code unit (test/commands/command-order.test.ts checks ours).
const LOCALE_SORT = '.sort((a, b) => a.id.localeCompare(b.id))'
const CODE_UNIT_SORT = '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'

/** @type {import('esbuild').Plugin} */
const commandsSortedByCodeUnit = {
  name: 'commands-sorted-by-code-unit',
  setup(build) {
    build.onLoad({filter: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/}, ({path}) => {
      const source = readFileSync(path, 'utf8')
      if (!source.includes(LOCALE_SORT)) {
        console.warn(
          `scripts/bundle.js: ${path} no longer sorts commands with localeCompare as expected; left as it is`,
        )
        return undefined
      }
      return {contents: source.replace(LOCALE_SORT, CODE_UNIT_SORT), loader: 'js'}
    })
  },
}

/** The .ts files under a folder of src/, as esbuild entry names (their path under dist/, without .js). */
function entries(folder) {
  return readdirSync(join(SRC, folder), {recursive: true})
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => [join(folder, file.slice(0, -'.ts'.length)), join(SRC, folder, file)])
}

await build({
  entryPoints: Object.fromEntries([
    ['main', join(SRC, 'main.ts')],
    ...entries('commands'),
    ...entries('hooks'),
    // import-channel starts it as new URL('./import-reader-worker.js', import.meta.url), from its chunk.
    ['chunks/import-reader-worker', join(SRC, 'io', 'import-reader-worker.ts')],
    // PgDatabase starts it the same way: the thread that holds a PostgreSQL connection (db/postgres/).
    ['chunks/connection-worker', join(SRC, 'db', 'postgres', 'connection-worker.ts')],
  ]),
  outdir: join(ROOT, 'dist'),
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // semver: see ON_FIRST_CALL; typescript and ts-node: oclif requires them only in development (bin/dev.js), which runs src/ unbundled.
  // pg, pg-copy-streams and pg-query-stream load from node_modules, in the PostgreSQL thread only (pg requires the
  // optional pg-native by name).
  external: ['semver', 'typescript', 'ts-node', 'pg', 'pg-copy-streams', 'pg-query-stream'],
  plugins: [loadedOnFirstCall, commandsSortedByCodeUnit],
  // oclif is CommonJS: its require() of Node's modules needs a require in an ES module.
  banner: {
    js: "import {createRequire as __crmRequire} from 'node:module';\nconst require = __crmRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
})
console.log(`bundled commands into ${relative(process.cwd(), join(ROOT, 'dist'))}/`)
