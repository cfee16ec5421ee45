/** Lines in one piece of a text with a line per flow: a few MB, however many flows. */
const LINES_PER_PIECE = 1 << 15

/**
 * Text that may be too large for one string: V8 caps a string at 2^29 - 24
 * characters (about 512 MB), which the report of a run with two million flows
 * passes, and a comparison's document (both reports) at half that. Iterating
 * gives the text in order; each iteration starts again from the beginning.
 */
export type LargeText = Iterable<string>

/** What a report file holds: a string, or large text in pieces. */
export type FileText = string | LargeText

/** `first` (if not null) and a line per item that `line` does not make null, each ending in a newline, in pieces. */
export function linePieces<T>(first: string | null, items: readonly T[], line: (item: T, index: number) => string | null): LargeText {
  return {
    *[Symbol.iterator]() {
      if (first !== null) yield first + '\n'
      for (let i = 0; i < items.length; i += LINES_PER_PIECE) {
        let piece = ''
        for (let j = i; j < Math.min(items.length, i + LINES_PER_PIECE); j++) {
          const l = line(items[j]!, j)
          if (l !== null) piece += l + '\n'
        }
        yield piece
      }
    },
  }
}
