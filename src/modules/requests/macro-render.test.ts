import { describe, expect, it } from 'vitest';
import { MACRO_PLACEHOLDERS, placeholdersOf, renderMacro } from './macro-render.js';

const values = {
  'customer.name': '王女士',
  'request.number': '20261123000042',
  'request.subject': '宽带报修',
  'agent.name': '张伟',
  'org.name': '华信服务',
  today: '2026-11-23',
};

describe('renderMacro', () => {
  it('fills every known placeholder', () => {
    const body = '{{customer.name}}您好！您的工单 {{request.number}}（{{request.subject}}）已由{{agent.name}}受理。{{org.name}} {{today}}';
    const out = renderMacro(body, values);
    expect(out.text).toBe('王女士您好！您的工单 20261123000042（宽带报修）已由张伟受理。华信服务 2026-11-23');
    expect(out.unknown).toEqual([]);
    expect(out.empty).toEqual([]);
  });

  it('allows spaces inside the braces and repeats', () => {
    expect(renderMacro('{{ agent.name }} / {{agent.name}}', values).text).toBe('张伟 / 张伟');
  });

  it('keeps unknown placeholders visible and reports each once, in order', () => {
    const out = renderMacro('您好 {{customer.phone}}，{{ Customer.Name }}，{{customer.phone}}，{{}}', values);
    expect(out.text).toBe('您好 {{customer.phone}}，{{ Customer.Name }}，{{customer.phone}}，{{}}');
    expect(out.unknown).toEqual(['customer.phone', 'Customer.Name', '']);
  });

  it('keeps known placeholders without a value visible and reports them as empty', () => {
    const out = renderMacro('{{customer.name}}您好，我是{{agent.name}}', { ...values, 'customer.name': null });
    expect(out.text).toBe('{{customer.name}}您好，我是张伟');
    expect(out.empty).toEqual(['customer.name']);
    expect(renderMacro('{{customer.name}}', { 'customer.name': '  ' }).empty).toEqual(['customer.name']);
    expect(renderMacro('{{today}}', {}).empty).toEqual(['today']);
  });

  it('never expands a value again', () => {
    const out = renderMacro('主题：{{request.subject}}', { ...values, 'request.subject': '{{today}} {{agent.name}}' });
    expect(out.text).toBe('主题：{{today}} {{agent.name}}');
    expect(out.unknown).toEqual([]);
  });

  it('leaves text without placeholders, single braces and unclosed ones alone', () => {
    for (const body of ['谢谢您的耐心等待。', '{customer.name}', '{{customer.name', 'a }} b {{', '{{{today}}}']) {
      const out = renderMacro(body, values);
      if (body === '{{{today}}}') expect(out.text).toBe('{2026-11-23}');
      else expect(out.text).toBe(body);
    }
  });

  it('lists the placeholders a text uses', () => {
    expect(placeholdersOf('{{today}} {{x.y}} {{customer.name}} {{today}}')).toEqual({ known: ['today', 'customer.name'], unknown: ['x.y'] });
    expect(MACRO_PLACEHOLDERS).toContain('org.name');
  });
});
