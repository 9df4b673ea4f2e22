CREATE TABLE "monthly_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"month" text NOT NULL,
	"status" text NOT NULL,
	"locale" text NOT NULL,
	"generated_at" timestamp with time zone,
	"generated_by" uuid,
	"generated_by_name" text,
	"file" "bytea",
	"size" integer DEFAULT 0 NOT NULL,
	"mailed_to" text[] DEFAULT '{}'::text[] NOT NULL,
	"lease_until" timestamp with time zone,
	"claim_token" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"day" smallint DEFAULT 1 NOT NULL,
	"time" text DEFAULT '08:00' NOT NULL,
	"recipients" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "monthly_reports_org_month_uq" ON "monthly_reports" USING btree ("org_id","month");