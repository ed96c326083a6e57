import type {PortfolioFilter} from '../../core/runs.js'
import type {CompiledScheme} from '../../core/schemes/scheme.js'
import type {PgDatabase} from '../postgres/connection.js'
import {NotCompilable} from './compile.js'
import type {SqlClassifier} from './run.js'

export function postgresSqlClassifier(
  _db: PgDatabase,
  _compiled: CompiledScheme,
  _filter: PortfolioFilter,
  _asOf: string,
): SqlClassifier | NotCompilable {
  return new NotCompilable('PostgreSQL dialect')
}
