/**
 * Reads a plain-text edge list (the SNAP format): one edge per line as two whitespace-separated
 * user ids, optionally followed by a weight; lines starting with `#` and blank lines are skipped.
 *
 * The text is scanned in place with a cursor rather than split into line and field arrays, so
 * a file of a million lines costs the two id substrings of each line and nothing more.
 *
 * @throws SyntaxError naming the line when it holds fewer than two fields or a weight that is
 *   not a number.
 */
export function forEachEdge(
  text: string,
  visit: (src: string, dst: string, weight: number) => void,
): void {
  const scan = new FieldScanner(text);

  for (let line = 1; !scan.atEnd(); line++) {
    const src = scan.field();
    if (src !== '' && !src.startsWith('#')) {
      const dst = scan.field();
      if (dst === '') throw new SyntaxError(`line ${line}: expected "src dst [weight]"`);
      const written = scan.field();
      const weight = written === '' ? 1 : Number(written);
      if (Number.isNaN(weight)) {
        throw new SyntaxError(`line ${line}: weight "${written}" is not a number`);
      }
      visit(src, dst, weight);
    }
    scan.nextLine();
  }
}

const NEWLINE = 10;
const SPACE = 32;
const TAB = 9;
const CARRIAGE_RETURN = 13;

/** A cursor over the fields of one line at a time. */
class FieldScanner {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  atEnd(): boolean {
    return this.#at >= this.#text.length;
  }

  /** The next field of the current line, or '' when the line has no more. */
  field(): string {
    const text = this.#text;
    let at = this.#at;
    while (isBlank(text.charCodeAt(at))) at++;
    const start = at;
    while (at < text.length && !isBlank(text.charCodeAt(at)) && text.charCodeAt(at) !== NEWLINE) {
      at++;
    }
    this.#at = at;
    return text.slice(start, at);
  }

  /** Skips the rest of the current line, newline included. */
  nextLine(): void {
    const end = this.#text.indexOf('\n', this.#at);
    this.#at = end < 0 ? this.#text.length : end + 1;
  }
}

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === CARRIAGE_RETURN;
}
