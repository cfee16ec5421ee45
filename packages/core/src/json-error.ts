/**
 * JSON.parse's complaint about `text`, with the line and column added where
 * it gives only a character position: "position 279227" tells a person
 * editing a config nothing; "line 4312, column 17" takes them there.
 */
export function jsonErrorText(e: unknown, text: string): string {
  const message = e instanceof Error ? e.message : String(e)
  const at = /at position (\d+)/.exec(message)
  // Node 21 and later say the line themselves.
  if (at === null || message.includes('(line ')) return message
  const pos = Math.min(Number(at[1]), text.length)
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return `${message} (line ${line}, column ${pos - lineStart + 1})`
}
