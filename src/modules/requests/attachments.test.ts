import { describe, expect, it } from 'vitest';
import { DEFAULT_TYPES, typeAllowed } from './attachments.js';

describe('which files are accepted', () => {
  it('built-in list: the type and the extension must agree', () => {
    expect(typeAllowed('image/png', '水表.PNG', [])).toBe(true);
    expect(typeAllowed('application/pdf; charset=binary', '发票.pdf', [])).toBe(true);
    expect(typeAllowed('image/png', 'setup.exe', [])).toBe(false);
    expect(typeAllowed('application/x-msdownload', 'setup.exe', [])).toBe(false);
    expect(typeAllowed('application/octet-stream', 'a.png', [])).toBe(false);
    for (const [type, extensions] of Object.entries(DEFAULT_TYPES)) for (const ext of extensions) expect(typeAllowed(type, `f${ext}`, [])).toBe(true);
  });

  it('an organization’s own list: types, prefixes and extensions; a known type still needs its extension', () => {
    const rules = ['image/', 'application/pdf', '.dwg', 'application/vnd.custom'];
    expect(typeAllowed('image/jpeg', 'photo.jpg', rules)).toBe(true);
    expect(typeAllowed('image/png', 'setup.exe', rules)).toBe(false);
    expect(typeAllowed('application/pdf', 'report.pdf', rules)).toBe(true);
    expect(typeAllowed('application/pdf', 'report.js', rules)).toBe(false);
    expect(typeAllowed('application/acad', 'drawing.DWG', rules)).toBe(true);
    expect(typeAllowed('application/vnd.custom', 'data.bin', rules)).toBe(true); // a type the built-in list does not know
    expect(typeAllowed('text/plain', 'notes.txt', rules)).toBe(false);
  });
});
