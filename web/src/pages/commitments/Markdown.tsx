/**
 * A small, safe Markdown renderer for commitment letters: it builds React elements (never HTML strings), so
 * whatever a draft contains is shown as text. Supported: ATX headings, paragraphs (a single newline is a line
 * break), ordered and unordered lists (nested by indentation), block quotes, horizontal rules, simple pipe tables,
 * **bold**, *italic*, `code`, [links](https://…) (http, https, mailto, tel and site-relative only) and backslash
 * escapes (the templates escape \*, \_, \# … in the values organizations fill in).
 */
import { Fragment, type ReactNode } from 'react';
import './commitments.css';

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'rule' }
  | { kind: 'table'; header: string[]; align: ('left' | 'center' | 'right' | undefined)[]; rows: string[][] };

interface ListItem {
  lines: string[];
  children: Block[];
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const TABLE_SEPARATOR = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

function splitRow(line: string): string[] {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '|') {
      current += '\\|';
      i++;
    } else if (ch === '|') {
      cells.push(current.trim());
      current = '';
    } else current += ch;
  }
  cells.push(current.trim());
  return cells;
}

function startsBlock(line: string, next: string | undefined): boolean {
  return HEADING.test(line) || RULE.test(line) || ITEM.test(line) || QUOTE.test(line) || (line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-'));
}

function parseList(lines: string[], start: number): { block: Block; next: number } {
  const first = ITEM.exec(lines[start] ?? '')!;
  const indent = first[1]!.length;
  const ordered = /\d/.test(first[2]!);
  const items: ListItem[] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const m = ITEM.exec(line);
    if (m && m[1]!.length === indent && /\d/.test(m[2]!) === ordered) {
      // A new item of this list: collect its continuation and nested lines.
      const body: string[] = [m[3]!];
      const nested: string[] = [];
      i++;
      while (i < lines.length) {
        const l = lines[i]!;
        if (isBlank(l)) {
          // A blank line ends the list unless an indented line or another item of this list follows.
          const after = lines[i + 1];
          const am = after !== undefined ? ITEM.exec(after) : null;
          if (after !== undefined && ((am && am[1]!.length >= indent) || /^\s{2,}\S/.test(after))) {
            i++;
            continue;
          }
          break;
        }
        const lm = ITEM.exec(l);
        if (lm && lm[1]!.length <= indent) break;
        if (lm || nested.length > 0) nested.push(l.slice(Math.min(l.length - l.trimStart().length, indent + 2)));
        else if (!startsBlock(l, lines[i + 1]) || /^\s{2,}/.test(l)) body.push(l.trim());
        else break;
        i++;
      }
      items.push({ lines: body, children: nested.length ? parseBlocks(nested) : [] });
      continue;
    }
    break;
  }
  return { block: { kind: 'list', ordered, start: ordered ? Number.parseInt(first[2]!, 10) : 1, items }, next: i };
}

export function parseBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ kind: 'rule' });
      i++;
      continue;
    }
    if (ITEM.test(line)) {
      const { block, next } = parseList(lines, i);
      blocks.push(block);
      i = next;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && !isBlank(lines[i]!)) {
        const m = QUOTE.exec(lines[i]!);
        inner.push(m ? m[1]! : lines[i]!);
        i++;
      }
      blocks.push({ kind: 'quote', blocks: parseBlocks(inner) });
      continue;
    }
    const next = lines[i + 1];
    if (line.includes('|') && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes('-')) {
      const header = splitRow(line);
      const align = splitRow(next).map((c) => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : undefined));
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && !isBlank(lines[i]!) && lines[i]!.includes('|')) {
        rows.push(splitRow(lines[i]!));
        i++;
      }
      blocks.push({ kind: 'table', header, align, rows });
      continue;
    }
    const paragraph: string[] = [line.trim()];
    i++;
    while (i < lines.length && !isBlank(lines[i]!) && !startsBlock(lines[i]!, lines[i + 1])) {
      paragraph.push(lines[i]!.trim());
      i++;
    }
    blocks.push({ kind: 'paragraph', lines: paragraph });
  }
  return blocks;
}

const ESCAPABLE = /[!-/:-@[-`{-~]/;

/** The position of the closing delimiter, skipping backslash escapes; -1 when there is none. */
function findClose(text: string, from: number, delimiter: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text.startsWith(delimiter, i)) return i;
  }
  return -1;
}

/** The ")" that closes a link destination starting at `from`, allowing balanced parentheses inside it. */
function closingParen(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Links go only to the web, e-mail, telephone or this site; anything else (javascript:, data:) stays text. */
export function safeHref(url: string): string | null {
  const u = url.trim();
  if (/^(https?:|mailto:|tel:)/i.test(u)) return u;
  if (u.startsWith('/') && !u.startsWith('//')) return u;
  return null;
}

function inline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let buffer = '';
  let n = 0;
  const flush = () => {
    if (buffer) out.push(buffer);
    buffer = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length && ESCAPABLE.test(text[i + 1]!)) {
      buffer += text[i + 1];
      i++;
      continue;
    }
    if (ch === '`') {
      const close = text.indexOf('`', i + 1);
      if (close > i + 1) {
        flush();
        out.push(<code key={`${key}-${n++}`}>{text.slice(i + 1, close)}</code>);
        i = close;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && text[i + 1] === ch) {
      const close = findClose(text, i + 2, ch + ch);
      if (close > i + 2) {
        flush();
        out.push(<strong key={`${key}-${n++}`}>{inline(text.slice(i + 2, close), `${key}-${n}`)}</strong>);
        i = close + 1;
        continue;
      }
    }
    if (ch === '*' && text[i + 1] !== ' ') {
      const close = findClose(text, i + 1, '*');
      if (close > i + 1) {
        flush();
        out.push(<em key={`${key}-${n++}`}>{inline(text.slice(i + 1, close), `${key}-${n}`)}</em>);
        i = close;
        continue;
      }
    }
    if (ch === '[') {
      const closeText = findClose(text, i + 1, '](');
      const closeUrl = closeText >= 0 ? closingParen(text, closeText + 2) : -1;
      if (closeText >= 0 && closeUrl >= 0) {
        const label = text.slice(i + 1, closeText);
        const href = safeHref(text.slice(closeText + 2, closeUrl));
        flush();
        out.push(
          href ? (
            <a key={`${key}-${n++}`} href={href} target={href.startsWith('/') ? undefined : '_blank'} rel="noopener noreferrer">
              {inline(label, `${key}-${n}`)}
            </a>
          ) : (
            <Fragment key={`${key}-${n++}`}>{inline(label, `${key}-${n}`)}</Fragment>
          ),
        );
        i = closeUrl;
        continue;
      }
    }
    buffer += ch;
  }
  flush();
  return out;
}

function lines(texts: string[], key: string): ReactNode[] {
  return texts.flatMap((t, i) => (i === 0 ? inline(t, `${key}-${i}`) : [<br key={`${key}-br${i}`} />, ...inline(t, `${key}-${i}`)]));
}

function renderBlocks(blocks: Block[], key: string): ReactNode[] {
  return blocks.map((block, index) => {
    const k = `${key}-${index}`;
    switch (block.kind) {
      case 'heading': {
        const content = inline(block.text, k);
        if (block.level === 1) return <h1 key={k}>{content}</h1>;
        if (block.level === 2) return <h2 key={k}>{content}</h2>;
        if (block.level === 3) return <h3 key={k}>{content}</h3>;
        if (block.level === 4) return <h4 key={k}>{content}</h4>;
        if (block.level === 5) return <h5 key={k}>{content}</h5>;
        return <h6 key={k}>{content}</h6>;
      }
      case 'paragraph':
        return <p key={k}>{lines(block.lines, k)}</p>;
      case 'rule':
        return <hr key={k} />;
      case 'quote':
        return <blockquote key={k}>{renderBlocks(block.blocks, k)}</blockquote>;
      case 'list': {
        const items = block.items.map((item, i) => (
          <li key={`${k}-${i}`}>
            {lines(item.lines, `${k}-${i}`)}
            {item.children.length > 0 && renderBlocks(item.children, `${k}-${i}-c`)}
          </li>
        ));
        return block.ordered ? (
          <ol key={k} start={block.start === 1 ? undefined : block.start}>
            {items}
          </ol>
        ) : (
          <ul key={k}>{items}</ul>
        );
      }
      case 'table':
        return (
          <table key={k}>
            <thead>
              <tr>
                {block.header.map((cell, i) => (
                  <th key={i} style={{ textAlign: block.align[i] }}>
                    {inline(cell, `${k}-h${i}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {block.header.map((_, c) => (
                    <td key={c} style={{ textAlign: block.align[c] }}>
                      {inline(row[c] ?? '', `${k}-${r}-${c}`)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
    }
  });
}

function toLines(source: string): string[] {
  return source.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
}

/** Renders Markdown as React elements inside `<div class="pledge-md">`. */
export function Markdown({ source, className, testId }: { source: string; className?: string; testId?: string }) {
  return (
    <div className={className ? `pledge-md ${className}` : 'pledge-md'} data-testid={testId}>
      {renderBlocks(parseBlocks(toLines(source)), 'md')}
    </div>
  );
}

/** The letter without its first-level title (pages that show the title themselves). */
export function withoutLeadingTitle(source: string): string {
  const all = toLines(source);
  const first = all.findIndex((l) => !isBlank(l));
  if (first < 0) return source;
  const m = HEADING.exec(all[first]!);
  if (!m || m[1]!.length !== 1) return source;
  return all.slice(first + 1).join('\n');
}

const SIGNATURE_HEADING = /^(签署|签字|签章|签名|signatures?|signing)$/i;

/**
 * The letter without its trailing signature section (a heading such as "## 签署" / "## Signatures" and what follows
 * until a heading of the same or a higher level): the printable letter draws its own signature lines.
 */
export function withoutSignatureSection(source: string): string {
  const all = toLines(source);
  const start = all.findIndex((l) => {
    const m = HEADING.exec(l);
    return m !== null && SIGNATURE_HEADING.test(m[2]!.trim());
  });
  if (start < 0) return source;
  const level = HEADING.exec(all[start]!)![1]!.length;
  let end = start + 1;
  while (end < all.length) {
    const m = HEADING.exec(all[end]!);
    if (m && m[1]!.length <= level) break;
    end++;
  }
  return [...all.slice(0, start), ...all.slice(end)].join('\n');
}
