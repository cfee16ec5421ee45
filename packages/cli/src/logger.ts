import { pino, type DestinationStream, type Logger } from 'pino'

/** pino's level numbers, for the terminal form. */
const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

/**
 * A pino line turned into `aifab info: run done profile=roce wallSeconds=4.1`:
 * synchronous and in-process (no transport worker that could keep the process
 * alive once stdout is closed early, as in `aifab ... | head -1`).
 */
function terminalDestination(): DestinationStream {
  return {
    write(line: string) {
      const { level, msg, time: _time, ...fields } = JSON.parse(line) as Record<string, unknown>
      const rest = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      process.stderr.write(`aifab ${LEVEL_NAMES[level as number] ?? level}: ${String(msg ?? '')}${rest.length ? ' ' + rest.join(' ') : ''}\n`)
    },
  }
}

/**
 * The CLI's logger: never stdout. With a file, JSON lines there; else on
 * stderr, readable in a terminal and JSON otherwise. Below the level nothing
 * is formatted, and nothing logs on the simulation's hot path.
 */
export function createLogger(level: string, file?: string): Logger {
  const options = { level, base: null }
  if (file !== undefined) return pino(options, pino.destination({ dest: file, sync: true, mkdir: true }))
  return pino(options, process.stderr.isTTY ? terminalDestination() : pino.destination({ dest: 2, sync: true }))
}
