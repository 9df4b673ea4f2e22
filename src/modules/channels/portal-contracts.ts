/**
 * The customer portal (web form, tracking link, signed-in customers): shapes shared by the API and the web
 * app. Imports nothing but zod and the requests contracts (which import nothing but zod).
 */
import { z } from 'zod';
import { Id, Timestamp } from '../shared/contracts.js';
import { LoopState, PublicConfirm, PublicReply, PublicRequestView, RequestType } from '../requests/contracts.js';

export { PublicConfirm, PublicReply, PublicRequestView };

/** What a member of the public may file on the portal (urgent faults go through the hotline). */
export const PortalRequestType = RequestType.extract(['consultation', 'service_request', 'complaint', 'suggestion']);
export type PortalRequestType = z.infer<typeof PortalRequestType>;

const Phone = z.string().trim().max(40).regex(/^[0-9+\-() ]*$/, 'digits, +, -, (, ) and spaces');

/** The web form. A contact name is required; a phone or e-mail lets the organization reach the person. */
export const PortalSubmit = z.strictObject({
  type: PortalRequestType,
  subject: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(20_000),
  contactName: z.string().trim().min(1).max(100),
  contactPhone: Phone.transform((v) => (v === '' ? null : v)).nullable().optional(),
  contactEmail: z
    .union([z.literal(''), z.email().max(200)])
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional(),
  categoryId: Id.nullable().optional(),
  /** Files uploaded beforehand with POST /portal/:org/attachments. */
  attachmentIds: z.array(Id).max(10).default([]),
});
export type PortalSubmit = z.infer<typeof PortalSubmit>;

/** The answer to a submission: the tracking number and the private link (a path; the page is on this site). */
export const PortalSubmitted = z.object({
  number: z.string(),
  link: z.string().describe('/portal/<org>/t/<number>?k=<key>: whoever holds it may follow, reply and confirm'),
  emailed: z.boolean().describe('an acknowledgement with the link was sent to the contact e-mail'),
});
export type PortalSubmitted = z.infer<typeof PortalSubmitted>;

/** What the form needs to know before anything is filed. */
export const PortalInfo = z.object({
  organization: z.object({ code: z.string(), name: z.string(), timeZone: z.string() }),
  maxAttachmentBytes: z.number().int(),
  /** For `<input type=file accept>`: extensions of the default list, or the organization's MIME types. */
  accept: z.string(),
  maxFiles: z.number().int(),
  categories: z.array(z.object({ id: Id, name: z.string(), nameEn: z.string().nullable(), parentId: Id.nullable() })),
});
export type PortalInfo = z.infer<typeof PortalInfo>;

/** Asking for a sign-in link; the answer is the same whether the address is known or not. */
export const PortalSignIn = z.strictObject({ email: z.email().max(200) });

export const PortalSignInAccepted = z.object({ accepted: z.literal(true) });

export const PortalMe = z.object({ name: z.string(), email: z.string().nullable() });
export type PortalMe = z.infer<typeof PortalMe>;

export const PortalRequestItem = z.object({
  number: z.string(),
  type: RequestType,
  state: LoopState,
  subject: z.string(),
  createdAt: Timestamp,
  lastActivityAt: Timestamp,
  /** The private tracking link of this request. */
  link: z.string(),
});
export type PortalRequestItem = z.infer<typeof PortalRequestItem>;

export const PortalMyRequests = z.object({ items: z.array(PortalRequestItem) });

/** Query of the tracking endpoints: the key of the private link. */
export const LinkKey = z.strictObject({ k: z.string().max(100).default('') });
