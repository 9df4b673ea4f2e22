import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../core/db/client.js';
import { testApp } from '../../test/harness.js';
import { searchDocument, searchQuery } from './search.js';
import { mulberry32 as random } from '../../core/prng.js';

/** The lexemes of a tsvector literal with their positions, quotes undone. */
function lexemesOf(doc: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of doc.matchAll(/'((?:[^']|'')*)':([\d,]+)/g)) {
    out.set(m[1]!.replaceAll("''", "'").replaceAll('\\\\', '\\'), m[2]!.split(',').map(Number));
  }
  return out;
}

/** Whether PostgreSQL finds `query` in `text` through the two literals. */
async function finds(text: string, query: string): Promise<boolean> {
  const app = await testApp();
  const q = searchQuery(query);
  expect(q, `query ${query}`).not.toBeNull();
  const [row] = rowsOf<{ hit: boolean }>(await app.database.db.execute(sql`select ${searchDocument([text])}::tsvector @@ ${q}::tsquery as hit`));
  return row!.hit;
}

/** No NUL (PostgreSQL text cannot hold it) and no lone surrogate (not encodable as UTF-8). */
function wellFormed(text: string): boolean {
  return !text.includes('\u0000') && !/\p{Cs}/u.test(text);
}

describe('search tokens (pure)', () => {
  it('indexes a CJK run as overlapping bigrams plus its last character', () => {
    expect(searchDocument(['申请退款'])).toBe("'申请':1 '请退':2 '退款':3 '款':4");
    expect(searchDocument(['退'])).toBe("'退':1");
  });

  it('adds the segmenter’s longer CJK words at the position of their first bigram', () => {
    // 中华人民共和国 → 中华 / 人民 / 共和国: the two-character words are bigrams already.
    expect(searchDocument(['中华人民共和国'])).toBe("'中华':1 '华人':2 '人民':3 '民共':4 '共和':5 '共和国':5 '和国':6 '国':7");
  });

  it('leaves a gap between runs and between texts, so no phrase spans punctuation', () => {
    expect(searchDocument(['退款，进度'])).toBe("'退款':1 '款':2 '进度':4 '度':5");
    expect(searchDocument(['退款', 'refund'])).toBe("'退款':1 '款':2 'refund':5");
  });

  it('indexes English words lower-cased at consecutive positions, without stemming, and numbers', () => {
    expect(searchDocument(['Request a REFUND, please! Order #20260301'])).toBe("'request':1 'a':2 'refund':3 'please':4 'order':5 '20260301':6");
    expect(searchDocument(['refunds'])).toBe("'refunds':1");
    expect(searchDocument(['VIP客户申请退款'])).toBe("'vip':1 '客户':2 '户申':3 '申请':4 '请退':5 '退款':6 '款':7");
  });

  it('normalises full-width letters, digits and curly apostrophes', () => {
    expect(searchDocument(['ＶＩＰ１２３'])).toBe("'vip123':1");
    expect(searchDocument(['Don’t'])).toBe(searchDocument(["don't"]));
    expect(searchDocument(['re\u00ADfund'])).toBe("'refund':1");
  });

  it('quotes lexemes and doubles quotes inside them', () => {
    expect(searchDocument(["it's"])).toBe("'it''s':1");
    expect(searchQuery("it's")).toBe("'it''s':*");
    expect(searchDocument(['a:b'])).toBe("'a:b':1");
  });

  it('is empty when there is nothing to index', () => {
    expect(searchDocument([])).toBe('');
    expect(searchDocument(['', '  ，。！ ?? -- \n'])).toBe('');
  });

  it('builds queries: bigram phrases, one-character prefixes, words joined by &, last word a prefix', () => {
    expect(searchQuery('退款')).toBe("'退款'");
    expect(searchQuery('退款进度')).toBe("('退款' <-> '款进' <-> '进度')");
    expect(searchQuery('退')).toBe("'退':*");
    expect(searchQuery('printer jam')).toBe("'printer' & 'jam':*");
    expect(searchQuery('VIP 退款')).toBe("'vip' & '退款'");
    expect(searchQuery('退款 VIP')).toBe("'退款' & 'vip':*");
    expect(searchQuery('ＶＩＰ')).toBe("'vip':*");
    expect(searchQuery('refund refund')).toBe("'refund' & 'refund':*");
    expect(searchQuery('退款 退款')).toBe("'退款'");
  });

  it('turns operator characters into nothing or quoted lexemes', () => {
    expect(searchQuery(`a:b & | ! () <-> \\ ' "`)).toBe("'a:b':*");
    expect(searchQuery(`& | ! () <-> \\ ' " :* *`)).toBeNull();
    expect(searchQuery('')).toBeNull();
    expect(searchQuery('   ')).toBeNull();
    expect(searchQuery('，。！？')).toBeNull();
  });

  it('bounds the query', () => {
    const q = searchQuery('退款'.repeat(500))!;
    expect(q.split('<->')).toHaveLength(64);
    expect(searchQuery(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' '))!.split('&').length).toBeLessThanOrEqual(64);
  });

  it('bounds the document whatever the input', () => {
    const rnd = random(7);
    const han = Array.from({ length: 70_000 }, () => String.fromCodePoint(0x4e00 + Math.floor(rnd() * 0x5000))).join('');
    const lexemes = lexemesOf(searchDocument([han]));
    expect(lexemes.size).toBeLessThanOrEqual(32_768);
    const all = [...lexemes.values()];
    expect(Math.max(...all.map((p) => p.length))).toBeLessThanOrEqual(256);
    expect(Math.max(...all.flat())).toBe(16_383); // later bigrams are recorded at the last position
    expect(Math.min(...all.flat())).toBe(1);
    expect(all.every((p) => p.every((x, i) => i === 0 || x > p[i - 1]!))).toBe(true); // sorted, no duplicates
    const word = lexemesOf(searchDocument(['word '.repeat(50_000), 'x'.repeat(10_000)]));
    expect(word.get('word')).toHaveLength(256);
    expect([...word.keys()][1]).toBe('x'.repeat(64));
  });
});

describe('search in PostgreSQL', () => {
  it('finds Chinese words by bigrams, including words the segmenter splits', async () => {
    expect(await finds('申请退款', '退款')).toBe(true);
    expect(await finds('退款进度', '退款')).toBe(true);
    expect(await finds('我想咨询退款的进度', '退款')).toBe(true);
    expect(await finds('我的工单还没处理', '工单')).toBe(true);
    expect(await finds('账号无法登录', '账号')).toBe(true);
    expect(await finds('打印机卡纸了', '打印机')).toBe(true);
    expect(await finds('申请退款', '退')).toBe(true); // the last character of a run
    expect(await finds('申请退款', '请')).toBe(true);
  });

  it('matches Chinese as a phrase, not as scattered characters', async () => {
    expect(await finds('打印文件失败', '打印机')).toBe(false);
    expect(await finds('进度退款', '退款进度')).toBe(false);
    expect(await finds('退款，进度', '退款进度')).toBe(false);
    expect(await finds('退款进度', '退款进度')).toBe(true);
    expect(await finds('申请退款', '款申')).toBe(false);
  });

  it('keeps runs apart when documents are appended with ||', async () => {
    const app = await testApp();
    const [row] = rowsOf<{ joined: boolean; each: boolean }>(await app.database.db.execute(sql`
      select ${searchDocument(['申请退'])}::tsvector || ${searchDocument(['退款'])}::tsvector @@ ${searchQuery('申请退款')}::tsquery as joined,
        ${searchDocument(['申请退'])}::tsvector || ${searchDocument(['退款'])}::tsvector @@ ${searchQuery('退款')}::tsquery as each`));
    expect(row).toEqual({ joined: false, each: true });
  });

  it('finds English words anywhere, case-insensitively, the last one as a prefix', async () => {
    expect(await finds('Request a REFUND please', 'refund')).toBe(true);
    expect(await finds('The printer has a jam', 'printer jam')).toBe(true);
    expect(await finds('The printer has a jam', 'jam printer')).toBe(true);
    expect(await finds('The printer has a jam', 'print')).toBe(true); // search as you type
    expect(await finds('The printer has a jam', 'print jam')).toBe(false); // earlier words are exact
    expect(await finds('The printer has a jam', 'printer paper')).toBe(false);
    expect(await finds('print it', 'printer')).toBe(false);
    expect(await finds('Order 20260301 was lost', '20260301')).toBe(true);
  });

  it('finds mixed and full-width queries', async () => {
    expect(await finds('VIP客户申请退款', 'VIP 退款')).toBe(true);
    expect(await finds('VIP客户申请退款', 'VIP 工单')).toBe(false);
    expect(await finds('vip', 'ＶＩＰ')).toBe(true);
    expect(await finds('ＶＩＰ客户', 'vip')).toBe(true);
  });

  it('accepts nasty input as a query', async () => {
    expect(await finds('see a:b for details', `a:b & | ! () <-> \\ ' "`)).toBe(true);
    expect(await finds("it's broken", "it's")).toBe(true);
    expect(await finds("it's broken", "it's broken")).toBe(true);
  });

  it('stores a 200 KB text within PostgreSQL’s limits and still finds its start and end', async () => {
    const app = await testApp();
    const filler = '客户反映系统登录后页面空白，刷新无效。The page stays blank after login; please check. ';
    const text = `退款申请 ${filler.repeat(Math.ceil(200_000 / filler.length))} 最后提到工单号`;
    const doc = searchDocument([text]);
    const [row] = rowsOf<{ size: number; start: boolean; end: boolean }>(await app.database.db.execute(sql`
      select pg_column_size(${doc}::tsvector) as size,
        ${doc}::tsvector @@ ${searchQuery('退款申请')}::tsquery as start,
        ${doc}::tsvector @@ ${searchQuery('工单')}::tsquery as end`));
    expect(row!.size).toBeLessThan(1024 * 1024);
    expect(row!.start).toBe(true);
    expect(row!.end).toBe(true); // beyond position 16383, found as a single bigram
  });

  it('stores adversarial large texts (all-distinct bigrams, distinct words, one long word)', async () => {
    const app = await testApp();
    const rnd = random(42);
    const han = Array.from({ length: 70_000 }, () => String.fromCodePoint(0x4e00 + Math.floor(rnd() * 0x5000))).join('');
    const words = Array.from({ length: 25_000 }, (_, i) => `w${i.toString(36)}x${Math.floor(rnd() * 1e6)}`).join(' ');
    const docs = [searchDocument([han]), searchDocument([words]), searchDocument(['ab'.repeat(100_000)]), searchDocument([han, words, han])];
    const rows = rowsOf<{ size: number }>(await app.database.db.execute(sql`
      select pg_column_size(d::tsvector) as size from jsonb_array_elements_text(${JSON.stringify(docs)}::jsonb) as d`));
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r.size).toBeLessThan(1024 * 1024);
  });

  it('never throws on random mixed text, PostgreSQL accepts every literal, and a text finds itself', async () => {
    const app = await testApp();
    const rnd = random(20260301);
    const pools = [
      ['退', '款', '申', '请', '工', '单', '账', '号', '打', '印', '机', '进', '度', '的', '了', '𠮷', '々', 'こ', 'ん', 'カ', 'ー', '한', '국', '㍿'],
      ['a', 'b', 'z', 'Q', 'İ', 'ß', 'ﬁ', 'é', 'ｖ', 'Ｉ', '0', '7', '１', 'ไ', 'ม่'],
      [' ', ' ', '\t', '\n', ':', '&', '|', '!', '(', ')', '<', '>', '<->', '*', ':*', '\\', "'", '"', '’', '-', '.', ',', '，', '。', '！', '、', '@', '#', '%', '/', '😀', '\u0301', '\u0000', '\u00AD', '\u200B', '\uD800', '\uDC00', '①'],
    ];
    const strings = Array.from({ length: 200 }, () => {
      let s = '';
      const length = Math.floor(rnd() * 40);
      for (let i = 0; i < length; i++) {
        const pool = pools[Math.floor(rnd() * pools.length)]!;
        s += pool[Math.floor(rnd() * pool.length)]!;
      }
      return s;
    });
    const cases = strings.map((s) => {
      const doc = searchDocument([s]);
      const q = searchQuery(s);
      // Only well-formed text without NUL reaches PostgreSQL (JSON below would reject lone surrogates too).
      expect(wellFormed(doc) && wellFormed(q ?? '')).toBe(true);
      return { doc, q };
    });
    expect(cases.filter((c) => c.q !== null).length).toBeGreaterThan(150);

    const rows = rowsOf<{ i: number; doc: string; q: string | null; hit: boolean | null }>(await app.database.db.execute(sql`
      select (ord - 1)::int as i, (e->>'doc')::tsvector::text as doc, (e->>'q')::tsquery::text as q,
        (e->>'doc')::tsvector @@ (e->>'q')::tsquery as hit
      from jsonb_array_elements(${JSON.stringify(cases)}::jsonb) with ordinality as t(e, ord) order by ord`));
    expect(rows).toHaveLength(cases.length);
    for (const row of rows) {
      const c = cases[row.i]!;
      expect(row.q === null, JSON.stringify(strings[row.i])).toBe(c.q === null);
      expect(row.hit, JSON.stringify(strings[row.i])).toBe(c.q === null ? null : true);
    }

    // Queries of one text against documents of others: parsed and evaluated without error.
    const crossed = cases.map((c, i) => ({ doc: c.doc, q: cases[(i * 7 + 3) % cases.length]!.q }));
    const [count] = rowsOf<{ n: number }>(await app.database.db.execute(sql`
      select count(*)::int as n from jsonb_array_elements(${JSON.stringify(crossed)}::jsonb) as e
      where ((e->>'doc')::tsvector @@ (e->>'q')::tsquery) is not distinct from true or true`));
    expect(count!.n).toBe(crossed.length);
  });
});
