/**
 * Generated sections inside hand-written files: the text between a BEGIN and an END marker
 * line is the generator's, everything around it the author's.
 */

/** How a file spells a comment line: Markdown (`<!-- ... -->`) or `#` (YAML, .env). */
export type CommentStyle = 'markdown' | 'hash';

export const GENERATE_COMMAND = 'npm run generate';

export function markerLines(name: string, style: CommentStyle): { begin: string; end: string } {
  const begin = `BEGIN GENERATED ${name}: do not edit, ${GENERATE_COMMAND} writes it from src/jobs/index.ts`;
  const end = `END GENERATED ${name}`;
  return style === 'markdown' ? { begin: `<!-- ${begin} -->`, end: `<!-- ${end} -->` } : { begin: `# ${begin}`, end: `# ${end}` };
}

/** `text` with the lines between the markers `name` replaced by `content` (its own lines, newline-terminated). */
export function spliceGenerated(text: string, name: string, style: CommentStyle, content: string, file: string): string {
  const { begin, end } = markerLines(name, style);
  const from = text.indexOf(`${begin}\n`);
  const endMarker = text.indexOf(`${end}\n`);
  if (from < 0 || endMarker < from) throw new Error(`${file}: no generated section "${name}" (the lines ${begin} ... ${end})`);
  // From the start of the END marker's line: it may be indented (YAML).
  const to = text.lastIndexOf('\n', endMarker) + 1;
  return text.slice(0, from + begin.length + 1) + content + text.slice(to);
}
