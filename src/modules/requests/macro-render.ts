/**
 * Canned responses (快捷回复, "macros"): filling the placeholders of a macro's text. Pure, no imports: the
 * server renders a macro for a request with it, and the web's macro editor previews with sample values
 * through the very same function (`@contracts/requests/macro-render`).
 *
 * A placeholder is written `{{customer.name}}` (spaces inside the braces are allowed). A placeholder that is
 * not known, or known but without a value for this request (an anonymous customer has no name), stays in
 * the text exactly as written and is reported, so the person sending the reply sees it and fills it in —
 * a reply never goes out with a silently missing word ("您好，，").
 */

/** The placeholders a macro may use. */
export const MACRO_PLACEHOLDERS = ['customer.name', 'request.number', 'request.subject', 'agent.name', 'org.name', 'today'] as const;
export type MacroPlaceholder = (typeof MACRO_PLACEHOLDERS)[number];

/** The values of one rendering (null or blank: no value). */
export type MacroValues = Partial<Record<MacroPlaceholder, string | null>>;

export interface RenderedMacro {
  /** The text with every placeholder that has a value filled in. */
  text: string;
  /** Names of unknown placeholders, in order of first appearance (left in the text). */
  unknown: string[];
  /** Known placeholders without a value, in order of first appearance (left in the text). */
  empty: MacroPlaceholder[];
}

// `[^{}]` keeps a placeholder from spanning another one's braces: "{{a}} {{b}}" is two placeholders.
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Is this the name of a known placeholder? */
export function isMacroPlaceholder(name: string): name is MacroPlaceholder {
  return (MACRO_PLACEHOLDERS as readonly string[]).includes(name);
}

/**
 * Fills a macro's placeholders with `values`. Values are inserted as they are, never expanded again, so a
 * request subject that happens to contain "{{today}}" is shown literally.
 */
export function renderMacro(body: string, values: MacroValues): RenderedMacro {
  const unknown: string[] = [];
  const empty: MacroPlaceholder[] = [];
  const text = body.replace(PLACEHOLDER, (whole, raw: string) => {
    const name = raw.trim();
    if (!isMacroPlaceholder(name)) {
      if (!unknown.includes(name)) unknown.push(name);
      return whole;
    }
    const value = values[name];
    if (value === undefined || value === null || value.trim() === '') {
      if (!empty.includes(name)) empty.push(name);
      return whole;
    }
    return value;
  });
  return { text, unknown, empty };
}

/** The placeholders a macro's text uses, split into known and unknown names (for the editor's checks). */
export function placeholdersOf(body: string): { known: MacroPlaceholder[]; unknown: string[] } {
  const { unknown, empty } = renderMacro(body, {});
  return { known: empty, unknown };
}
