/**
 * The order tables list customers in: customer numbers made only of digits first, by their value (1, 2, 10, not 1,
 * 10, 107; 007 and 7, the same number, as written), then the others as text. As one SQL text key over the customer
 * number `id` (such as `c.customer_id`), unique as the customer number is:
 * - a number: 0, its length without leading zeros (6 digits), the digits without leading zeros, a comma, the number
 *   as written;
 * - a text: 1, the text.
 * The index customers_id_order (migration 8) holds it for `customer_id`, so that a list reads the index in order,
 * and a page starts where the last one ended (key > the last key) without sorting or scanning what came before.
 * The expression must stay the index's, character for character: SQLite uses the index only for the same expression.
 */
export function customerOrderKey(id: string): string {
  return (
    `(CASE WHEN ${id} GLOB '*[^0-9]*' OR ${id} = '' THEN '1' || ${id} ELSE '0' || printf('%06d', ` +
    `length(ltrim(${id}, '0'))) || ltrim(${id}, '0') || ',' || ${id} END)`
  )
}

/** The same key on PostgreSQL, compared byte by byte (COLLATE "C") as SQLite compares text. */
export function customerOrderKeyPostgres(id: string): string {
  return (
    `((CASE WHEN ${id} !~ '^[0-9]+$' THEN '1' || ${id} ` +
    `ELSE '0' || lpad(length(ltrim(${id}, '0'))::text, 6, '0') || ltrim(${id}, '0') || ',' || ${id} END) COLLATE "C")`
  )
}
