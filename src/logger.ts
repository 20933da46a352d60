/**
 * Operator logs: one JSON line per event worth knowing (a job finished, a send failed, a
 * configuration fell back to a default). Never per-request noise, never secrets, never
 * personal data such as user ids, IPs or tokens.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export function log(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/** A thrown value reduced to what is safe to log: its class and message, no stack of data. */
export function describeError(error: unknown): { error: string; message: string } {
  if (error instanceof Error) return { error: error.name, message: error.message };
  return { error: typeof error, message: String(error) };
}
