ALTER TABLE "clocks" ADD COLUMN "commitment_version_id" uuid;--> statement-breakpoint
ALTER TABLE "clocks" ADD COLUMN "target_key" text;