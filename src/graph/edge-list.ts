/**
 * Reads a plain-text edge list (the SNAP format): one edge per line as two whitespace-separated
 * user ids, optionally followed by a weight; lines starting with `#` and blank lines are skipped.
 *
 * The text is scanned in place with index arithmetic rather than split into line arrays, so a
 * file of a million lines costs two substrings a line and nothing more.
 *
 * @throws SyntaxError naming the line when it holds fewer than two fields or a weight that is
 *   not a number.
 */
export function forEachEdge(
  text: string,
  visit: (src: string, dst: string, weight: number) => void,
): void {
  let lineStart = 0;
  let lineNumber = 0;

  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    lineNumber++;

    const fields = fieldsOf(text, lineStart, lineEnd);
    if (fields.length > 0 && !(fields[0] as string).startsWith('#')) {
      if (fields.length < 2)
        throw new SyntaxError(`line ${lineNumber}: expected "src dst [weight]"`);
      const weight = fields.length > 2 ? Number(fields[2]) : 1;
      if (Number.isNaN(weight)) {
        throw new SyntaxError(`line ${lineNumber}: weight "${fields[2]}" is not a number`);
      }
      visit(fields[0] as string, fields[1] as string, weight);
    }

    lineStart = lineEnd + 1;
  }
}

/** At most three fields of text[start..end), split on spaces, tabs and carriage returns. */
function fieldsOf(text: string, start: number, end: number): string[] {
  const fields: string[] = [];
  let at = start;
  while (at < end && fields.length < 3) {
    while (at < end && isBlank(text.charCodeAt(at))) at++;
    const fieldStart = at;
    while (at < end && !isBlank(text.charCodeAt(at))) at++;
    if (at > fieldStart) fields.push(text.slice(fieldStart, at));
  }
  return fields;
}

const SPACE = 32;
const TAB = 9;
const CARRIAGE_RETURN = 13;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === CARRIAGE_RETURN;
}
