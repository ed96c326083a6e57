/** Escapes LIKE wildcards so a search for "50%" means the text 50% (with ESCAPE '\'). */
export function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
