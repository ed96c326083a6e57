import {Worker, type WorkerOptions} from 'node:worker_threads'

/**
 * Starts a worker thread on a script beside the module `from` (its import.meta.url). Run from the TypeScript sources
 * (bin/dev.js, tests), the script is TypeScript too, and tsx loads it there: the same worker runs either way.
 */
export function startWorkerScript(from: string, name: string, options: WorkerOptions): Worker {
  const fromSources = from.endsWith('.ts')
  const script = new URL(`./${name}.${fromSources ? 'ts' : 'js'}`, from)
  if (!fromSources) return new Worker(script, options)
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
  return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}) })`, {
    ...options,
    eval: true,
  })
}
