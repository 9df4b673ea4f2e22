/** Templates of the five source documents: listing them and creating a draft from one. */
import type { Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import { parse } from '../../core/validate.js';
import * as C from './contracts.js';
import { createCommitment } from './service.js';
import { instantiateTemplate, templateSummaries, TemplateError } from './templates.js';

export function listTemplates(ctx: Ctx) {
  authorize(ctx, 'commitment.read');
  return templateSummaries();
}

export async function createFromTemplate(ctx: Ctx, key: string, input: unknown) {
  authorize(ctx, 'commitment.edit');
  const data = parse(C.TemplateInstantiate, input);
  let content: C.VersionContent;
  try {
    content = instantiateTemplate(key, data.values);
  } catch (error) {
    if (error instanceof TemplateError) {
      if (error.code === 'template.unknown') throw new AppError('template.unknown', { key });
      throw new AppError('template.invalid_value', { summary: error.message });
    }
    throw error;
  }
  return createCommitment(ctx, { ...content, number: data.number }, key);
}
