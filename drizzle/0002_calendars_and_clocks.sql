CREATE TABLE "calendars" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"week" jsonb NOT NULL,
	"overrides" jsonb NOT NULL,
	"holiday_region" text,
	"holiday_years" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "holiday_years" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"region" text DEFAULT 'CN' NOT NULL,
	"year" integer NOT NULL,
	"source" text NOT NULL,
	"days" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"kind" text NOT NULL,
	"label" text,
	"target_id" uuid,
	"calendar_id" uuid NOT NULL,
	"duration" text NOT NULL,
	"warn_ratio" real,
	"state" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"warning_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"warned_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"met_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "calendars_org_name_uq" ON "calendars" USING btree ("org_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "calendars_org_default_uq" ON "calendars" USING btree ("org_id") WHERE is_default;--> statement-breakpoint
CREATE UNIQUE INDEX "holiday_years_org_region_year_uq" ON "holiday_years" USING btree ("org_id","region","year");--> statement-breakpoint
CREATE INDEX "holiday_years_org_idx" ON "holiday_years" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "clocks_subject_idx" ON "clocks" USING btree ("org_id","subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "clocks_due_idx" ON "clocks" USING btree ("due_at") WHERE state = 'running' AND breached_at IS NULL;--> statement-breakpoint
CREATE INDEX "clocks_warning_idx" ON "clocks" USING btree ("warning_at") WHERE state = 'running' AND warned_at IS NULL AND warning_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "clocks_calendar_idx" ON "clocks" USING btree ("calendar_id");