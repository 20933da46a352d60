import { badRequest } from './errors.ts';

/** Parses an integer query parameter within bounds, with a clear 400 otherwise. */
export function intQuery(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(`${name} must be a whole number from ${min} to ${max}`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw badRequest(`${name} must be a whole number from ${min} to ${max}`, { [name]: value });
  }
  return value;
}
