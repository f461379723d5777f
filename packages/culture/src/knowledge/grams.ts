/**
 * Search grams for text in Chinese and in alphabetic languages. PostgreSQL's default text search
 * splits on spaces and punctuation, so a Chinese sentence is one "word" and `to_tsvector('simple', …)`
 * cannot find 退款 in 申请退款流程; a Chinese segmenter (zhparser, pg_jieba) is an extension that
 * PGlite does not have. So we index what works the same on both: every run of CJK characters as
 * its single characters and overlapping bigrams, every other word (lower case, NFKC) whole, in a
 * `text[]` column with a GIN index; a query matches when the article holds all of the query's
 * grams (`grams @> query`), which for a two-character word is its one bigram.
 *
 * @since 0.1.0
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}]+/gu

/** The grams of a text (distinct, in order of first appearance). @category constructors @since 0.1.0 */
export const grams = (text: string): string[] => {
  const out = new Set<string>()
  for (const m of text.normalize("NFKC").toLowerCase().matchAll(TOKEN)) {
    const run = m[0]
    if (CJK.test(run[0]!)) {
      const chars = [...run]
      for (let i = 0; i < chars.length; i++) {
        out.add(chars[i]!)
        if (i + 1 < chars.length) out.add(chars[i]! + chars[i + 1]!)
      }
    } else out.add(run)
  }
  return [...out]
}

/**
 * The grams a query must all match: for CJK runs of two or more characters only the bigrams
 * (a single character matches itself), for other words the word.
 * @category constructors
 * @since 0.1.0
 */
export const queryGrams = (query: string): string[] => {
  const out = new Set<string>()
  for (const m of query.normalize("NFKC").toLowerCase().matchAll(TOKEN)) {
    const chars = [...m[0]]
    if (CJK.test(chars[0]!) && chars.length > 1)
      for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!)
    else out.add(m[0])
  }
  return [...out]
}
