CREATE TABLE "commitment_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"round" integer NOT NULL,
	"step" text NOT NULL,
	"decision" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"attachments" jsonb NOT NULL,
	"actor_id" uuid,
	"actor_name" text,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitment_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"commitment_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"party_type" text DEFAULT 'enterprise' NOT NULL,
	"scope" jsonb NOT NULL,
	"responsible_department_id" uuid,
	"responsible_person_id" uuid,
	"effective_from" text,
	"effective_to" text,
	"body_zh" text DEFAULT '' NOT NULL,
	"body_en" text,
	"targets" jsonb NOT NULL,
	"change_trigger" text DEFAULT 'initial' NOT NULL,
	"change_summary" text,
	"template_key" text,
	"round" integer DEFAULT 0 NOT NULL,
	"submitted_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"superseded_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commitments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"number" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notice_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"email" text NOT NULL,
	"customer_id" uuid,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"commitment_id" uuid,
	"version_id" uuid,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"trigger" text,
	"published" boolean DEFAULT true NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "public_profile" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "commitment_approvals_version_idx" ON "commitment_approvals" USING btree ("version_id","decided_at");--> statement-breakpoint
CREATE UNIQUE INDEX "commitment_versions_uq" ON "commitment_versions" USING btree ("commitment_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "commitment_versions_open_uq" ON "commitment_versions" USING btree ("commitment_id") WHERE status IN ('draft', 'in_review', 'approved');--> statement-breakpoint
CREATE UNIQUE INDEX "commitment_versions_in_force_uq" ON "commitment_versions" USING btree ("commitment_id") WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "commitment_versions_org_status_idx" ON "commitment_versions" USING btree ("org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "commitments_org_number_uq" ON "commitments" USING btree ("org_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "notice_subscriptions_org_email_uq" ON "notice_subscriptions" USING btree ("org_id",lower("email"));--> statement-breakpoint
CREATE INDEX "notices_org_published_idx" ON "notices" USING btree ("org_id","published_at" DESC NULLS LAST);