/**
 * The pure side of the e-mail channel (no I/O): cutting quoted reply history off a message, the tracking
 * tag in subjects, Message-ID threading lists, recognizing auto-replies and bounces, guessing the customer's
 * language, and the few texts the channel writes into mail and messages.
 */
import type { Locale } from '../../core/i18n.js';

// ---------- quoted history ----------

/** Lines that start the quoted original in the common clients (Outlook, Foxmail, QQ, 163, Gmail, Apple Mail). */
const SEPARATORS: readonly RegExp[] = [
  /^-{2,}\s*(原始邮件|原始郵件|Original Message|Forwarded message|转发邮件|回复的原邮件|原邮件)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above the "From:/Sent:" block
];
const HEADER_FROM = /^\*?\s*(From|发件人|寄件者)\s*\*?\s*[:：]/i;
const HEADER_NEXT = /^\*?\s*(Sent|Date|To|Subject|发送时间|时间|日期|收件人|主题)\s*\*?\s*[:：]/i;
const WROTE_END = /(wrote|写道|寫道)\s*[:：]\s*$/i;

function isAttribution(lines: readonly string[], i: number): number | null {
  const line = lines[i]!.trim();
  if (!line) return null;
  // "On Mon, 23 Nov 2026 at 10:00, Wang <w@x.cn> wrote:" — possibly wrapped over two lines.
  if (/^On\s/i.test(line) && (WROTE_END.test(line) || WROTE_END.test(lines[i + 1]?.trim() ?? ''))) return i;
  // "在 2026年11月23日 周一 10:00，张三 <a@b.c> 写道：" and "2026年11月23日 10:00，张三 写道：".
  if (WROTE_END.test(line)) {
    // The attribution wrapped and only "写道：" / "wrote:" is on this line: the cut starts one line up.
    if (/^(wrote|写道|寫道)\s*[:：]$/i.test(line) && i > 0 && lines[i - 1]!.trim()) return i - 1;
    return i;
  }
  return null;
}

/**
 * The new part of a reply: everything above the first marker of quoted history — a separator line
 * ("-----原始邮件-----", "-----Original Message-----", "____"), an attribution ("On … wrote:", "在 … 写道："),
 * a "From:/发件人:" header block followed by "Sent:/发送时间:" and the like, or the signature delimiter "-- ";
 * then lines quoted with ">" are dropped. When nothing would remain the text is kept whole (a forwarded
 * message is still the customer's message).
 */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (line === '-- ' || line === '--') {
      cut = i;
      break;
    }
    if (SEPARATORS.some((re) => re.test(trimmed))) {
      cut = i;
      break;
    }
    if (HEADER_FROM.test(trimmed) && lines.slice(i + 1, i + 5).some((l) => HEADER_NEXT.test(l.trim()))) {
      cut = i;
      break;
    }
    const attribution = isAttribution(lines, i);
    if (attribution !== null) {
      cut = attribution;
      break;
    }
  }
  const kept = lines
    .slice(0, cut)
    .filter((l) => !/^\s*>/.test(l))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return kept || text.trim();
}

// ---------- subjects and threading ----------

const TAG = /\[#(\d{6,30})\]/;
const REPLY_PREFIX = /^\s*((re|fw|fwd|aw|sv|答复|回复|转发|回覆|轉寄)\s*(\[\d+\])?\s*[:：]\s*)+/i;

/** The tracking number in a subject's `[#…]` tag, or null. */
export function subjectTag(subject: string): string | null {
  return TAG.exec(subject)?.[1] ?? null;
}

/** A subject without reply/forward prefixes and without the tracking tag: the request's subject. */
export function cleanSubject(subject: string): string {
  let s = subject.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 5; i++) {
    const next = s.replace(REPLY_PREFIX, '').replace(TAG, '').replace(/\s+/g, ' ').trim();
    if (next === s) break;
    s = next;
  }
  return s;
}

/** The subject of a reply to the customer: `Re: [#<number>] <subject>`. */
export function replySubject(number: string, subject: string): string {
  return `Re: [#${number}] ${cleanSubject(subject)}`.trim();
}

/** A Message-ID in its stored form: trimmed, inside angle brackets; null when it is not one. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const inner = value.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  if (!inner || /\s/.test(inner) || inner.length > 900) return null;
  return `<${inner}>`;
}

/** Every Message-ID a message refers to, nearest first: In-Reply-To, then References from the newest back. */
export function threadIds(inReplyTo: string | null | undefined, references: string | readonly string[] | null | undefined): string[] {
  const refs = typeof references === 'string' ? references.split(/[\s,]+/) : [...(references ?? [])];
  const out: string[] = [];
  for (const candidate of [...(inReplyTo ? inReplyTo.split(/[\s,]+/) : []), ...refs.reverse()]) {
    const id = normalizeMessageId(candidate);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}

/** The domain of an address (`support@hx.cn` → `hx.cn`), or null. */
export function domainOf(address: string): string | null {
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1).trim().toLowerCase().replace(/>$/, '') : '';
  return /^[a-z0-9.-]+$/.test(domain) && domain.includes('.') ? domain : null;
}

// ---------- automatic mail ----------

export type AutomaticReason = 'auto_submitted' | 'autoreply' | 'precedence' | 'bounce' | 'own_address';

/** The headers that tell automatic mail apart (lower-case names, as mailparser gives them). */
export type HeaderLookup = ReadonlyMap<string, unknown>;

function headerText(headers: HeaderLookup, name: string): string | null {
  const value = headers.get(name);
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value) return String(value.value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/**
 * Why a message is automatic (an out-of-office reply, a bounce, a list mailing) and must not become a
 * request — or null for a person's mail. RFC 3834 Auto-Submitted, the vendor X-Autoreply/X-Autorespond
 * headers, Precedence bulk/junk/auto_reply, delivery reports, and bounces (no sender, MAILER-DAEMON).
 */
export function automaticReason(headers: HeaderLookup, fromAddress: string | null, envelopeFrom?: string | null): AutomaticReason | null {
  const autoSubmitted = headerText(headers, 'auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_submitted';
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-autoresponse')) return 'autoreply';
  const precedence = headerText(headers, 'precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'auto_reply', 'auto-reply'].includes(precedence)) return 'precedence';
  const contentType = headerText(headers, 'content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report')) return 'bounce';
  if (envelopeFrom === '' || headerText(headers, 'return-path')?.trim() === '<>') return 'bounce';
  const local = fromAddress?.split('@')[0]?.toLowerCase() ?? '';
  if (!fromAddress || local === 'mailer-daemon' || local === 'postmaster') return 'bounce';
  return null;
}

// ---------- language and texts ----------

/** The customer's language from what they wrote: Chinese characters → zh-CN, Latin prose → en-US, else the fallback. */
export function guessLocale(text: string, fallback: Locale): Locale {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (han >= 2) return 'zh-CN';
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  if (latin >= 12) return 'en-US';
  return fallback;
}

const TEXTS = {
  'zh-CN': {
    footer: (number: string) => `受理编号：${number}\n直接回复本邮件即可补充信息，请保留主题中的编号 [#${number}]。`,
    noSubject: '（无主题）',
    skipped: '以下附件未保存：',
  },
  'en-US': {
    footer: (number: string) => `Tracking number: ${number}\nReply to this e-mail to add information; please keep [#${number}] in the subject.`,
    noSubject: '(no subject)',
    skipped: 'These attachments were not stored:',
  },
} as const;

/** The channel's own words in a language. */
export function mailTexts(locale: Locale) {
  return TEXTS[locale];
}

/** The text of a reply mail: the agent's words, then the tracking footer in the customer's language. */
export function replyText(body: string, number: string, locale: Locale): string {
  return `${body.trim()}\n\n-- \n${mailTexts(locale).footer(number)}\n`;
}
