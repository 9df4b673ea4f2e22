/**
 * Full-text search for Chinese and English without a PostgreSQL extension: the text is tokenised here and
 * stored as a ready-made tsvector (the `simple` configuration, i.e. no stemming, no stop words), and the
 * user's query is tokenised the same way into a tsquery. Pure: no I/O, Node built-ins only.
 *
 * Tokens:
 * - Outside CJK, the words of `Intl.Segmenter` (`isWordLike`): English words, numbers (order numbers),
 *   `3.14`, `it's`, `example.com`. Punctuation and spaces are dropped.
 * - A CJK run (Han, Hiragana, Katakana, Hangul, uninterrupted) becomes overlapping character bigrams at
 *   consecutive positions: 申请退款 → 申请:1 请退:2 退款:3. The segmenter alone is not enough: it splits
 *   domain words (工单 → 工 单, 账号 → 账 号, 打印机 → 打印 机), so a word index would miss them; bigrams
 *   with phrase matching (`<->`) find any substring of two or more characters. The run's last character is
 *   added after the last bigram (款:4) so that a one-character query, a prefix match, finds every character.
 *   The segmenter's CJK words of three or more characters (共和国) are added at the position of their first
 *   character, the same position as the bigram starting there, which keeps bigram adjacency intact (its
 *   two-character words are bigrams already). Queries built here match through the bigrams alone; the
 *   words serve whole-word tsqueries of the column.
 * - After each CJK run, and after each text, one position is left empty, so bigrams of different runs
 *   (退款，进度) are never adjacent and a phrase cannot match across punctuation or texts. A run ends with
 *   its last character, never a bigram, so appending a document with `||` (which continues the positions)
 *   cannot join two runs into a phrase either.
 *
 * Queries: within a CJK run the bigrams form a phrase (`'退款' <-> '款进' <-> '进度'`, so 退款进度 does not
 * find 进度退款); a one-character run is a prefix match (`'退':*`); words and runs are joined by `&` (all must
 * occur, anywhere). The query's final token, when it is a word (not CJK), is a prefix match so that a
 * search-as-you-type box finds `printer` while the user has typed `print`; earlier words match exactly.
 */

/** A run of CJK characters; ー (U+30FC, script Common) belongs to katakana words such as コンピューター. */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC]+/gu;

/** Built once: constructing a segmenter loads ICU's dictionaries. `zh` picks the CJK dictionary. */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** PostgreSQL stores positions in 14 bits: 1..16383 (MAXENTRYPOS - 1). */
const MAX_POSITION = 16_383;
/** PostgreSQL keeps at most 256 positions per lexeme (MAXNUMPOS); more would be dropped silently anyway. */
const MAX_POSITIONS_PER_LEXEME = 256;
/**
 * Distinct lexemes and their total UTF-8 size. With at most 2 positions per position slot plus one per
 * lexeme, the stored tsvector stays under about 650 KB, well below PostgreSQL's 1 MB limit.
 */
const MAX_LEXEMES = 32_768;
const MAX_LEXEME_BYTES = 256 * 1024;
/** Longer "words" are hashes, base64 or garbage; clipping (both sides alike) keeps lexemes far below 2 KB. */
const MAX_LEXEME_CHARS = 64;
/**
 * V8's segmenter slows down more than linearly on long strings (200 KB of words: seconds instead of
 * milliseconds), so text is segmented in chunks of about this many UTF-16 units.
 */
const SEGMENT_CHUNK = 1024;
/** Work bound: characters of input read for one document. */
const MAX_DOCUMENT_CHARS = 500_000;
/** The HTTP contract caps queries at 200 characters too; a longer one is cut, not refused. */
const MAX_QUERY_CHARS = 200;
/** Operands of one tsquery; a pasted paragraph should not become a query of thousands of lexemes. */
const MAX_QUERY_LEXEMES = 64;

type Piece =
  | { kind: 'word'; text: string }
  /** `chars` are code points (a Han character outside the BMP is one); `words` start at a char index. */
  | { kind: 'cjk'; chars: string[]; words: { at: number; text: string }[] };

/**
 * NFKC turns full-width Latin letters and digits (ＶＩＰ１２３) and compatibility ideographs into their usual
 * form. Control characters (PostgreSQL text cannot hold NUL) and lone surrogates (not valid UTF-8) become
 * spaces; invisible format characters (soft hyphen, zero-width joiners) are removed so they do not split or
 * alter words, except the zero-width space, which separates words. Curly apostrophes become ASCII ones so
 * don’t and don't are the same word.
 */
function normalise(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cs}\u200B]/gu, ' ')
    .replace(/\p{Cf}/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'");
}

function clip(word: string): string {
  const chars = Array.from(word);
  return chars.length > MAX_LEXEME_CHARS ? chars.slice(0, MAX_LEXEME_CHARS).join('') : word;
}

/**
 * The segments of a text, segmented chunk by chunk (see SEGMENT_CHUNK), with indexes into the whole text.
 * A chunk ends before a whitespace character, where a word always ends, so the words are those of the
 * whole text; only an unbroken stretch longer than a chunk (a CJK run, a garbage token) is cut anywhere
 * (but not inside a surrogate pair), which may change the segmenter's choice of words next to the cut.
 */
function* segmentsOf(text: string): Generator<{ segment: string; index: number; isWordLike: boolean }> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + SEGMENT_CHUNK, text.length);
    if (end < text.length) {
      let cut = end;
      while (cut > start + 1 && !/\s/.test(text[cut]!)) cut--;
      if (cut > start + 1) end = cut;
      else if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
    }
    for (const s of segmenter.segment(text.slice(start, end))) {
      yield { segment: s.segment, index: start + s.index, isWordLike: s.isWordLike === true };
    }
    start = end;
  }
}

function* wordsOf(chunk: string): Generator<Piece> {
  for (const s of segmentsOf(chunk)) {
    if (s.isWordLike) yield { kind: 'word', text: clip(s.segment) };
  }
}

function cjkRun(run: string): Piece {
  const chars = Array.from(run);
  // UTF-16 offset → code point index, since the segmenter reports UTF-16 offsets.
  const charAt = new Map<number, number>();
  let offset = 0;
  chars.forEach((c, i) => {
    charAt.set(offset, i);
    offset += c.length;
  });
  const words: { at: number; text: string }[] = [];
  if (chars.length > 2) {
    for (const s of segmentsOf(run)) {
      const at = charAt.get(s.index);
      // Two-character words are bigrams already; one-character ones are covered by prefix matching.
      if (s.isWordLike && at !== undefined && Array.from(s.segment).length > 2) words.push({ at, text: clip(s.segment) });
    }
  }
  return { kind: 'cjk', chars, words };
}

/** Words and CJK runs of a normalised text, in order. Script changes always break words, so a run is segmented alone. */
function* piecesOf(text: string): Generator<Piece> {
  let last = 0;
  for (const m of text.matchAll(CJK_RUN)) {
    yield* wordsOf(text.slice(last, m.index));
    yield cjkRun(m[0]);
    last = m.index + m[0].length;
  }
  yield* wordsOf(text.slice(last));
}

function bigrams(chars: readonly string[]): string[] {
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
  return grams;
}

/** A lexeme in tsvector/tsquery text syntax: quoted, so no character inside is an operator; `'` and `\` doubled. */
function quote(lexeme: string): string {
  return `'${lexeme.replace(/['\\]/g, (c) => c + c)}'`;
}

/**
 * A PostgreSQL tsvector literal (text form, e.g. `'申请':1 '请退':2 '退款':3 '款':4`) of the given texts,
 * for `sql\`${searchDocument(texts)}::tsvector\``. Texts are indexed in order (subject, description,
 * messages) with a gap between them; the empty string (an empty tsvector) when there is nothing to index.
 *
 * Bounded whatever the input: at most 500,000 characters are read; positions beyond 16383 are recorded as
 * 16383, as PostgreSQL itself does, so later words are still found by word and single-bigram queries but
 * not by longer phrases; at most 256 positions per lexeme, 32,768 distinct lexemes and 256 KB of lexeme
 * text (further new lexemes are ignored), lexemes clipped to 64 characters.
 */
export function searchDocument(texts: readonly string[]): string {
  const index = new Map<string, number[]>();
  let lexemeBytes = 0;
  let budget = MAX_DOCUMENT_CHARS;
  let position = 1;

  // Positions arrive in non-decreasing order, so a lexeme's list stays sorted and duplicates are adjacent.
  const add = (lexeme: string, at: number) => {
    const p = Math.min(at, MAX_POSITION);
    let positions = index.get(lexeme);
    if (!positions) {
      const bytes = Buffer.byteLength(lexeme, 'utf8');
      if (index.size >= MAX_LEXEMES || lexemeBytes + bytes > MAX_LEXEME_BYTES) return;
      lexemeBytes += bytes;
      positions = [];
      index.set(lexeme, positions);
    }
    if (positions.length < MAX_POSITIONS_PER_LEXEME && positions[positions.length - 1] !== p) positions.push(p);
  };

  for (const raw of texts) {
    if (budget <= 0) break;
    const text = raw.length > budget ? raw.slice(0, budget) : raw;
    budget -= text.length;
    for (const piece of piecesOf(normalise(text))) {
      if (piece.kind === 'word') {
        add(piece.text, position);
        position += 1;
        continue;
      }
      const { chars, words } = piece;
      const grams = bigrams(chars);
      let w = 0;
      grams.forEach((gram, i) => {
        add(gram, position + i);
        // A word shares the position of the bigram at its first character.
        while (w < words.length && words[w]!.at === i) add(words[w++]!.text, position + i);
      });
      // The last character (the whole run when it is one character), for one-character prefix queries.
      add(chars[chars.length - 1]!, position + grams.length);
      // Skip one position: the next run's first bigram is not adjacent to this run's last.
      position += grams.length + 2;
    }
    position += 1; // and a gap between texts
  }

  const entries: string[] = [];
  for (const [lexeme, positions] of index) entries.push(`${quote(lexeme)}:${positions.join(',')}`);
  return entries.join(' ');
}

/**
 * A PostgreSQL tsquery literal for a user's search, for `sql\`${searchVector} @@ ${q}::tsquery\``, or null
 * when the query has no searchable token (empty, only punctuation or operators).
 *
 * Tokenised like {@link searchDocument}: each CJK run is a phrase of its bigrams (`('退款' <-> '款进' <->
 * '进度')`), a one-character run a prefix match (`'退':*`), each word an exact lexeme except the final token,
 * which is a prefix match when it is a word (`print` finds `printer`); all joined by `&`. Every lexeme is
 * quoted, so operator characters typed by the user (`: & | ! ( ) < > * \ '`) cannot break the syntax.
 * The first 200 characters and 64 lexemes are used.
 */
export function searchQuery(query: string): string | null {
  const pieces = [...piecesOf(normalise(query.slice(0, MAX_QUERY_CHARS)))];
  const operands = new Set<string>();
  let lexemes = 0;
  pieces.forEach((piece, i) => {
    if (lexemes >= MAX_QUERY_LEXEMES) return;
    if (piece.kind === 'word') {
      lexemes += 1;
      operands.add(i === pieces.length - 1 ? `${quote(piece.text)}:*` : quote(piece.text));
      return;
    }
    if (piece.chars.length === 1) {
      lexemes += 1;
      operands.add(`${quote(piece.chars[0]!)}:*`);
      return;
    }
    // A run longer than the lexeme budget is cut: the phrase of its start still has to match.
    const grams = bigrams(piece.chars).slice(0, MAX_QUERY_LEXEMES - lexemes);
    lexemes += grams.length;
    operands.add(grams.length === 1 ? quote(grams[0]!) : `(${grams.map(quote).join(' <-> ')})`);
  });
  return operands.size > 0 ? [...operands].join(' & ') : null;
}
