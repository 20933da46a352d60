/** `--name=value` or `--name value` among a benchmark's arguments. */
export function flag(args: string[], name: string): string | undefined {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const arg = args[at] ?? '';
  return at < 0 ? undefined : arg.includes('=') ? arg.slice(name.length + 3) : args[at + 1];
}
