import {MONEY_FIELDS} from '../core/fields.js'

/** Money fields are stored as integer fen in `<field>_fen` columns; every other field keeps its name. */
export function columnFor(field: string): string {
  return MONEY_FIELDS.includes(field) ? `${field}_fen` : field
}
