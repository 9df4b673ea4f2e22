/**
 * The dashboards' colours. Series colours are a colour-blind-safe set (after Okabe & Ito, darkened where a
 * colour had too little contrast on white), each with a contrast of at least 3:1 against its background, so a
 * line or bar reads on a projector and on a wall screen. Met / missed pair green with red but never rely on
 * colour alone: the labels say 达标 / 未达标 too.
 */

export interface Palette {
  /** Page or tile background the chart is drawn on. */
  background: string;
  text: string;
  subtleText: string;
  grid: string;
  series: string[];
  met: string;
  missed: string;
  warning: string;
  neutral: string;
  /** The heat map's ramp, from no registrations to the busiest hour. */
  heat: string[];
  /** Default size of chart text in px (the wall is read from across a room). */
  fontSize: number;
}

export const LIGHT: Palette = {
  background: '#ffffff',
  text: '#1f1f1f',
  subtleText: '#595959',
  grid: '#e5e5e5',
  series: ['#0b6bcb', '#c2410c', '#0f8a5f', '#8a3ffc', '#b8860b', '#0e7490', '#be185d', '#4d5b0f', '#5b5bd6', '#7c4a1e'],
  met: '#2f8a18',
  missed: '#cf1322',
  warning: '#b76e00',
  neutral: '#8c8c8c',
  heat: ['#f0f5ff', '#bfd4ff', '#7aa7f5', '#3a78d8', '#124e9c'],
  fontSize: 13,
};

/** The team lead's wall: dark, so a large screen does not glare, with bright, saturated accents. */
export const WALL: Palette = {
  background: '#0b1220',
  text: '#f5f7fa',
  subtleText: '#b7c0cd',
  grid: '#2a3447',
  series: ['#5aa9ff', '#ff9f43', '#3ddc97', '#c792ea', '#ffd166', '#4dd0e1', '#ff7eb6', '#a3d977', '#8f9cff', '#e0a070'],
  met: '#3ddc97',
  missed: '#ff5c5c',
  warning: '#ffc53d',
  neutral: '#8a94a6',
  heat: ['#13203a', '#1f4f8a', '#2f7fd0', '#5aa9ff', '#b5dcff'],
  fontSize: 18,
};

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  const value = parseInt(match[1]!, 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/** WCAG contrast ratio of two colours (1 … 21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
