CREATE SEQUENCE "public"."request_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"request_id" uuid,
	"message_id" uuid,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by_staff_id" uuid,
	"uploaded_by_name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "file_blobs" (
	"org_id" uuid NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "file_blobs_org_id_sha256_pk" PRIMARY KEY("org_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "macros" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"owner_id" uuid,
	"name" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"request_id" uuid,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"deliver_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"name_en" text,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"action" text,
	"from_state" text,
	"to_state" text,
	"reason" text,
	"responsible_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"body" text NOT NULL,
	"author_staff_id" uuid,
	"author_name" text NOT NULL,
	"mentions" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"email_message_id" text,
	"email_in_reply_to" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "request_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"special_team_id" uuid,
	"auto_escalate_types" text[] DEFAULT '{urgent_fault}'::text[] NOT NULL,
	"auto_escalate_complaint_priorities" text[] DEFAULT '{major}'::text[] NOT NULL,
	"notify_chain" jsonb DEFAULT '{"warning":["assignee"],"breach":["assignee","team_lead","manager"],"escalation":["team_lead","manager"]}'::jsonb NOT NULL,
	"max_attachment_bytes" integer DEFAULT 10485760 NOT NULL,
	"allowed_attachment_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"inbound_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"number" text NOT NULL,
	"type" text NOT NULL,
	"priority" text NOT NULL,
	"channel" text NOT NULL,
	"state" text NOT NULL,
	"subject" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"customer_id" uuid,
	"contact_name" text,
	"contact_phone_enc" text,
	"contact_phone_hash" text,
	"contact_phone_last4" text,
	"contact_email" text,
	"customer_flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"category_id" uuid,
	"branch_id" uuid NOT NULL,
	"team_id" uuid,
	"assignee_id" uuid,
	"responsible_id" uuid,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"commitment_version_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"happened" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"escalated_at" timestamp with time zone,
	"escalation_team_id" uuid,
	"first_response_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"rating" integer,
	"rating_comment" text,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"merged_into_id" uuid,
	"next_due_at" timestamp with time zone,
	"last_activity_at" timestamp with time zone NOT NULL,
	"last_customer_message_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"registered_by_id" uuid,
	"search_vector" "tsvector" DEFAULT ''::tsvector NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"conditions" jsonb NOT NULL,
	"team_id" uuid,
	"staff_id" uuid,
	"strategy" text DEFAULT 'round_robin' NOT NULL,
	"last_assigned_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"secret_enc" text NOT NULL,
	"events" text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"external_id" text,
	"direction" text DEFAULT 'inbound' NOT NULL,
	"caller_phone_enc" text,
	"caller_phone_hash" text,
	"caller_phone_last4" text,
	"line" text,
	"ring_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"agent_id" uuid,
	"recording_url" text,
	"notes" text,
	"outcome" text DEFAULT 'open' NOT NULL,
	"request_id" uuid,
	"customer_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"visitor_name" text,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "customer_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mail_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"address" text NOT NULL,
	"host" text NOT NULL,
	"port" integer DEFAULT 993 NOT NULL,
	"secure" boolean DEFAULT true NOT NULL,
	"username" text NOT NULL,
	"password_enc" text NOT NULL,
	"mailbox" text DEFAULT 'INBOX' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"last_uid" integer DEFAULT 0 NOT NULL,
	"uid_validity" text,
	"last_polled_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "duty_calendar_id" uuid;--> statement-breakpoint
CREATE INDEX "attachments_request_idx" ON "attachments" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "attachments_message_idx" ON "attachments" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "macros_org_idx" ON "macros" USING btree ("org_id","owner_id");--> statement-breakpoint
CREATE INDEX "notifications_recipient_idx" ON "notifications" USING btree ("recipient_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_pending_idx" ON "notifications" USING btree ("deliver_at") WHERE delivered_at IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "request_categories_name_uq" ON "request_categories" USING btree ("org_id",coalesce("parent_id", '00000000-0000-0000-0000-000000000000'::uuid),"name");--> statement-breakpoint
CREATE INDEX "request_events_request_idx" ON "request_events" USING btree ("request_id","at");--> statement-breakpoint
CREATE INDEX "request_messages_request_idx" ON "request_messages" USING btree ("request_id","created_at");--> statement-breakpoint
CREATE INDEX "request_messages_email_idx" ON "request_messages" USING btree ("org_id","email_message_id") WHERE email_message_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "requests_org_number_uq" ON "requests" USING btree ("org_id","number");--> statement-breakpoint
CREATE INDEX "requests_org_created_idx" ON "requests" USING btree ("org_id","created_at","id");--> statement-breakpoint
CREATE INDEX "requests_org_activity_idx" ON "requests" USING btree ("org_id","last_activity_at","id");--> statement-breakpoint
CREATE INDEX "requests_org_due_idx" ON "requests" USING btree ("org_id",coalesce("next_due_at", '9999-12-31 00:00:00+00'::timestamptz),"id") WHERE state NOT IN ('archived', 'merged');--> statement-breakpoint
CREATE INDEX "requests_org_assignee_due_idx" ON "requests" USING btree ("org_id","assignee_id",coalesce("next_due_at", '9999-12-31 00:00:00+00'::timestamptz),"id") WHERE state NOT IN ('archived', 'merged');--> statement-breakpoint
CREATE INDEX "requests_org_assignee_idx" ON "requests" USING btree ("org_id","assignee_id","created_at","id") WHERE state NOT IN ('archived', 'merged');--> statement-breakpoint
CREATE INDEX "requests_org_team_idx" ON "requests" USING btree ("org_id","team_id","created_at","id") WHERE state NOT IN ('archived', 'merged');--> statement-breakpoint
CREATE INDEX "requests_org_state_idx" ON "requests" USING btree ("org_id","state","created_at","id");--> statement-breakpoint
CREATE INDEX "requests_org_customer_idx" ON "requests" USING btree ("org_id","customer_id");--> statement-breakpoint
CREATE INDEX "requests_org_contact_email_idx" ON "requests" USING btree ("org_id",lower("contact_email"));--> statement-breakpoint
CREATE INDEX "requests_search_idx" ON "requests" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "routing_rules_org_idx" ON "routing_rules" USING btree ("org_id","position");--> statement-breakpoint
CREATE INDEX "saved_views_staff_idx" ON "saved_views" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "webhooks_org_idx" ON "webhooks" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "calls_org_ring_idx" ON "calls" USING btree ("org_id","ring_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "calls_org_external_uq" ON "calls" USING btree ("org_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_sessions_token_uq" ON "chat_sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "chat_sessions_request_idx" ON "chat_sessions" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_sessions_token_uq" ON "customer_sessions" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "customer_sessions_customer_idx" ON "customer_sessions" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "mail_accounts_org_idx" ON "mail_accounts" USING btree ("org_id");