/**
 * Stored files. Contents live in the database (`file_blobs`, once per organization and SHA-256), so app
 * nodes stay stateless and a backup holds everything. An upload is stored first (unattached, owned by its
 * uploader) and attached when the request or message that carries it is written.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { audit } from '../../core/audit.js';
import { actorId, transact, type Ctx, type TxCtx } from '../../core/context.js';
import type { Executor } from '../../core/db/client.js';
import { AppError } from '../../core/errors.js';
import { authorize } from '../../core/policy.js';
import type { AttachmentView } from './contracts.js';
import { attachments, fileBlobs, requests, requestSettings } from './schema.js';

type AttachmentRow = typeof attachments.$inferSelect;

/** Types accepted when an organization has not set its own list: documents, images, audio and video, archives. */
export const DEFAULT_TYPES: Record<string, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/gif': ['.gif'],
  'image/webp': ['.webp'],
  'text/plain': ['.txt', '.log'],
  'text/csv': ['.csv'],
  'application/msword': ['.doc'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'application/vnd.ms-excel': ['.xls'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
  'application/vnd.ms-powerpoint': ['.ppt'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['.pptx'],
  'application/zip': ['.zip'],
  'audio/mpeg': ['.mp3'],
  'audio/wav': ['.wav'],
  'audio/x-wav': ['.wav'],
  'video/mp4': ['.mp4'],
  'message/rfc822': ['.eml'],
};

/**
 * Is a file of this type and name accepted? Pure. `allowed` empty: the built-in list (type and extension must
 * agree). Otherwise each rule is a type (`application/pdf`), a type prefix (`image/`) or an extension (`.dwg`);
 * a file matched by type whose type the built-in list knows must also carry one of that type's extensions, so a
 * program cannot come in as `image/png` named `setup.exe`.
 */
export function typeAllowed(contentType: string, filename: string, allowed: readonly string[]): boolean {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const ext = path.extname(filename).toLowerCase();
  const known = DEFAULT_TYPES[type];
  if (allowed.length === 0) return (known ?? []).includes(ext);
  return allowed.some((a) => {
    const rule = a.trim().toLowerCase();
    if (rule.startsWith('.')) return ext === rule;
    const byType = rule.endsWith('/') ? type.startsWith(rule) : type === rule;
    return byType && (known === undefined || known.includes(ext));
  });
}

export function presentAttachment(row: AttachmentRow): AttachmentView {
  return {
    id: row.id, filename: row.filename, contentType: row.contentType, size: row.size, messageId: row.messageId, uploadedByName: row.uploadedByName,
    createdAt: row.createdAt.toISOString(),
  };
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

export interface Upload {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** Stores a file inside the caller's transaction after checking the organization's limits. */
export async function storeFileTx(t: TxCtx, upload: Upload, uploadedByName: string, requestId: string | null = null): Promise<AttachmentView> {
  const filename = path.basename(upload.filename.replaceAll('\\', '/')).trim().slice(0, 200);
  if (!filename) throw new AppError('validation_failed', { summary: 'filename' }, { field: 'filename' });
  if (upload.content.length === 0) throw new AppError('file.empty');
  const [settings] = await t.tx.select().from(requestSettings).where(eq(requestSettings.orgId, t.orgId));
  const limit = settings?.maxAttachmentBytes ?? 10 * 1024 * 1024;
  if (upload.content.length > limit) throw new AppError('file.too_large', { name: filename, limit: formatBytes(limit) });
  const contentType = upload.contentType.split(';')[0]!.trim().toLowerCase() || 'application/octet-stream';
  if (!typeAllowed(contentType, filename, settings?.allowedAttachmentTypes ?? [])) throw new AppError('file.type_not_allowed', { type: `${contentType} (${path.extname(filename) || '—'})` });
  const sha256 = createHash('sha256').update(upload.content).digest('hex');
  const now = t.now();
  await t.tx.insert(fileBlobs).values({ orgId: t.orgId, sha256, size: upload.content.length, content: upload.content, createdAt: now }).onConflictDoNothing();
  const [row] = await t.tx
    .insert(attachments)
    .values({ orgId: t.orgId, requestId, filename, contentType, size: upload.content.length, sha256, uploadedByStaffId: actorId(t.actor), uploadedByName, createdAt: now })
    .returning();
  await audit(t, { action: 'attachment.upload', entityType: 'attachment', entityId: row!.id, after: { filename, contentType, size: row!.size, sha256, requestId } });
  return presentAttachment(row!);
}

/** Upload by staff (before the request or message that will carry it is written). */
export async function uploadAttachment(ctx: Ctx, upload: Upload): Promise<AttachmentView> {
  authorize(ctx, 'request.handle');
  return transact(ctx, (t) => storeFileTx(t, upload, ctx.actor.name));
}

/**
 * Attaches stored, unattached files to a request (and message). Staff may attach only their own uploads;
 * other callers (portal, e-mail) pass the ids they stored themselves in the same flow.
 */
export async function attachPending(t: TxCtx, requestId: string, messageId: string | null, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  const conditions = [eq(attachments.orgId, t.orgId), inArray(attachments.id, unique)];
  const rows = await t.tx.select().from(attachments).where(and(...conditions)).for('update');
  const mine = rows.filter((r) => (r.requestId === null || r.requestId === requestId) && r.messageId === null && (t.actor.kind !== 'staff' || r.uploadedByStaffId === t.actor.id));
  if (mine.length !== unique.length) throw new AppError('org.invalid_reference', { entity: 'attachment' }, { field: 'attachmentIds' });
  await t.tx.update(attachments).set({ requestId, messageId }).where(and(...conditions, isNull(attachments.messageId)));
}

export async function attachmentsOf(exec: Executor, orgId: string, requestId: string): Promise<AttachmentView[]> {
  const rows = await exec.select().from(attachments).where(and(eq(attachments.orgId, orgId), eq(attachments.requestId, requestId))).orderBy(attachments.createdAt);
  return rows.map(presentAttachment);
}

/** A stored file's content for download; the caller has checked the reader may see `requestId`. */
export async function fileContent(exec: Executor, orgId: string, id: string): Promise<{ row: AttachmentRow; content: Buffer }> {
  const [row] = await exec.select().from(attachments).where(and(eq(attachments.id, id), eq(attachments.orgId, orgId)));
  if (!row) throw new AppError('not_found', { entity: 'attachment' });
  const [blob] = await exec.select().from(fileBlobs).where(and(eq(fileBlobs.orgId, orgId), eq(fileBlobs.sha256, row.sha256)));
  if (!blob) throw new AppError('not_found', { entity: 'attachment' });
  return { row, content: blob.content };
}

/** Staff download: readable when the request is, or when it is the reader's own unattached upload. */
export async function downloadAttachment(ctx: Ctx, id: string) {
  const db = ctx.app.database.db;
  const file = await fileContent(db, ctx.orgId, id);
  if (file.row.requestId) {
    const [request] = await db.select({ orgId: requests.orgId, branchId: requests.branchId }).from(requests).where(eq(requests.id, file.row.requestId));
    if (!request) throw new AppError('not_found', { entity: 'attachment' });
    authorize(ctx, 'request.read', { ...request, entity: 'attachment' }, 'request.read');
  } else if (file.row.uploadedByStaffId !== actorId(ctx.actor)) {
    throw new AppError('not_found', { entity: 'attachment' });
  }
  return file;
}
