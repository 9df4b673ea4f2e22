/** The e-mail channel's shapes shared by the API and the web app: IMAP mail accounts. Imports nothing but zod. */
import { z } from 'zod';

const Host = z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.:\-[\]]+$/, 'a host name or IP address');

const MailAccountFields = {
  /** The address mail in this mailbox is sent to (shown to administrators; replies go out from the inbound addresses). */
  address: z.email().max(200),
  host: Host,
  port: z.number().int().min(1).max(65535).default(993),
  /** Implicit TLS (port 993); false: plain connection upgraded by STARTTLS when the server offers it. */
  secure: z.boolean().default(true),
  username: z.string().trim().min(1).max(200),
  mailbox: z.string().trim().min(1).max(200).default('INBOX'),
  active: z.boolean().default(true),
};

/** Adding an IMAP mailbox to poll; the password is stored encrypted and never returned. */
export const MailAccountCreate = z.strictObject({ ...MailAccountFields, password: z.string().min(1).max(500) });
export type MailAccountCreate = z.infer<typeof MailAccountCreate>;

/** Changing one: an omitted or empty password keeps the stored one. */
export const MailAccountUpdate = z.strictObject({ ...MailAccountFields, password: z.string().max(500).optional() });
export type MailAccountUpdate = z.infer<typeof MailAccountUpdate>;

export const MailAccountView = z.object({
  id: z.uuid(),
  address: z.string(),
  host: z.string(),
  port: z.number().int(),
  secure: z.boolean(),
  username: z.string(),
  mailbox: z.string(),
  active: z.boolean(),
  /** The highest UID taken from the mailbox so far. */
  lastUid: z.number().int(),
  uidValidity: z.string().nullable(),
  lastPolledAt: z.string().nullable(),
  /** The last poll's failure, null when it went well. */
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MailAccountView = z.infer<typeof MailAccountView>;

/** The result of trying an account's connection. */
export const MailAccountTestResult = z.object({
  ok: z.boolean(),
  error: z.string().nullable(),
  /** Messages in the mailbox (when the connection worked). */
  messages: z.number().int().nullable(),
  uidValidity: z.string().nullable(),
});
export type MailAccountTestResult = z.infer<typeof MailAccountTestResult>;
