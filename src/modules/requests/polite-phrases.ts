/**
 * The standard polite phrases of a reply (文明用语): a greeting (您好), thanks (谢谢) and a closing (再见,
 * 祝您…, 如有疑问…). Pure, no imports: the reply box of the request page (`@contracts/requests/polite-phrases`)
 * reminds the agent of what is missing — a reminder only, sending is never blocked.
 */

export const POLITE_ELEMENTS = ['greeting', 'thanks', 'closing'] as const;
export type PoliteElement = (typeof POLITE_ELEMENTS)[number];

export interface PoliteCheck {
  greeting: boolean;
  thanks: boolean;
  closing: boolean;
  /** The elements not found, in the order a reply would use them. */
  missing: PoliteElement[];
}

// Chinese has no word boundaries, so its phrases match anywhere; English words match whole words only
// ("hi" must not be found in "this", "best" only as a sign-off line or "best regards/wishes").
const PATTERNS: Record<PoliteElement, RegExp[]> = {
  greeting: [
    /您好|你好|尊敬的|亲爱的|早上好|上午好|中午好|下午好|晚上好|大家好/,
    /\b(hello|hi|hey|dear|greetings)\b/i,
    /\bgood (morning|afternoon|evening)\b/i,
  ],
  thanks: [/谢谢|感谢|多谢|致谢|谢了/, /\bthank(s|\s+you)?\b/i, /\b(appreciate|grateful)\b/i],
  closing: [
    /再见|祝您|祝你|如有疑问|如有问题|如有任何|如有其他|如还有|如仍有|欢迎随时|随时联系|随时与我们|此致|敬礼|顺祝/,
    /\b(regards|sincerely|goodbye|bye|cheers|take care)\b/i,
    /\bbest(\s+(regards|wishes))?\s*[,.!]?\s*$/im,
    /\bif you have any( further| other| more)? questions\b/i,
    /\b(feel free to|do not hesitate to|don't hesitate to) (contact|reach|ask|get in touch)/i,
  ],
};

/** Which polite phrases a reply contains, and which are missing. */
export function checkPolitePhrases(text: string): PoliteCheck {
  const found = (element: PoliteElement) => PATTERNS[element].some((pattern) => pattern.test(text));
  const greeting = found('greeting');
  const thanks = found('thanks');
  const closing = found('closing');
  const missing = POLITE_ELEMENTS.filter((element) => !{ greeting, thanks, closing }[element]);
  return { greeting, thanks, closing, missing };
}
