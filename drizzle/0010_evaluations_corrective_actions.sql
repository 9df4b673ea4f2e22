CREATE TABLE "callbacks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"evaluation_id" uuid,
	"rule" text,
	"assignee_id" uuid,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"level" integer,
	"remarks" text,
	"verdict" text,
	"called_by_id" uuid,
	"called_at" timestamp with time zone,
	"branch_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"sampling" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"seed" text,
	"invited" integer DEFAULT 0 NOT NULL,
	"responded" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by_id" uuid,
	"sent_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_appeals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"appellant_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"state" text NOT NULL,
	"decided_by_id" uuid,
	"decision" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"source" text NOT NULL,
	"request_id" uuid,
	"survey_id" uuid,
	"callback_id" uuid,
	"campaign_id" uuid,
	"level" integer NOT NULL,
	"attitude" integer,
	"speed" integer,
	"result" integer,
	"nps" integer,
	"comment" text,
	"resolved" boolean,
	"agent_id" uuid,
	"team_id" uuid,
	"branch_id" uuid,
	"channel" text,
	"request_type" text,
	"verification" text,
	"appeal_state" text,
	"excluded" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "public_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"request_id" uuid,
	"body" text NOT NULL,
	"contact_name" text,
	"contact_phone_enc" text,
	"contact_phone_last4" text,
	"contact_email" text,
	"consent_to_publish" boolean DEFAULT false NOT NULL,
	"state" text NOT NULL,
	"answer" text,
	"answered_by_id" uuid,
	"answered_at" timestamp with time zone,
	"invalid_reason" text,
	"public_summary" text,
	"published" boolean DEFAULT false NOT NULL,
	"published_at" timestamp with time zone,
	"lookup_token_hash" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"request_id" uuid,
	"campaign_id" uuid,
	"customer_id" uuid,
	"channel" text NOT NULL,
	"sent_to" text,
	"token_hash" text NOT NULL,
	"state" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"remind_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"default_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "corrective_action_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"note" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "corrective_action_requests" (
	"org_id" uuid NOT NULL,
	"action_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	CONSTRAINT "corrective_action_requests_action_id_request_id_pk" PRIMARY KEY("action_id","request_id")
);
--> statement-breakpoint
CREATE TABLE "corrective_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"number" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_key" text NOT NULL,
	"request_id" uuid,
	"finding" text NOT NULL,
	"state" text NOT NULL,
	"branch_id" uuid,
	"team_id" uuid,
	"owner_id" uuid,
	"agent_id" uuid,
	"deadline_duration" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"root_cause" text,
	"actions_taken" text,
	"recontacted_at" timestamp with time zone,
	"recontact_note" text,
	"submitted_at" timestamp with time zone,
	"verified_by_id" uuid,
	"verified_at" timestamp with time zone,
	"verification_note" text,
	"return_count" integer DEFAULT 0 NOT NULL,
	"overdue_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_on_time" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "corrective_action_id" uuid;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "complaint_upheld" boolean;--> statement-breakpoint
CREATE INDEX "callbacks_org_state_idx" ON "callbacks" USING btree ("org_id","state","created_at");--> statement-breakpoint
CREATE INDEX "callbacks_request_idx" ON "callbacks" USING btree ("org_id","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "callbacks_verify_uq" ON "callbacks" USING btree ("evaluation_id") WHERE purpose = 'verify';--> statement-breakpoint
CREATE INDEX "campaigns_org_idx" ON "campaigns" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "evaluation_appeals_eval_idx" ON "evaluation_appeals" USING btree ("org_id","evaluation_id");--> statement-breakpoint
CREATE INDEX "evaluation_appeals_state_idx" ON "evaluation_appeals" USING btree ("org_id","state","created_at");--> statement-breakpoint
CREATE INDEX "evaluations_org_at_idx" ON "evaluations" USING btree ("org_id","at");--> statement-breakpoint
CREATE INDEX "evaluations_request_idx" ON "evaluations" USING btree ("org_id","request_id");--> statement-breakpoint
CREATE INDEX "evaluations_agent_idx" ON "evaluations" USING btree ("org_id","agent_id","at");--> statement-breakpoint
CREATE INDEX "evaluations_campaign_idx" ON "evaluations" USING btree ("org_id","campaign_id");--> statement-breakpoint
CREATE UNIQUE INDEX "public_feedback_number_uq" ON "public_feedback" USING btree ("org_id","number");--> statement-breakpoint
CREATE INDEX "public_feedback_state_idx" ON "public_feedback" USING btree ("org_id","state","created_at");--> statement-breakpoint
CREATE INDEX "public_feedback_published_idx" ON "public_feedback" USING btree ("org_id","published_at") WHERE published;--> statement-breakpoint
CREATE UNIQUE INDEX "surveys_token_uq" ON "surveys" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "surveys_request_idx" ON "surveys" USING btree ("org_id","request_id");--> statement-breakpoint
CREATE INDEX "surveys_campaign_idx" ON "surveys" USING btree ("org_id","campaign_id");--> statement-breakpoint
CREATE INDEX "surveys_remind_idx" ON "surveys" USING btree ("remind_at") WHERE state = 'pending' AND reminded_at IS NULL AND remind_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "surveys_default_idx" ON "surveys" USING btree ("default_at") WHERE state = 'pending' AND default_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "corrective_action_events_action_idx" ON "corrective_action_events" USING btree ("action_id","at");--> statement-breakpoint
CREATE INDEX "corrective_action_requests_request_idx" ON "corrective_action_requests" USING btree ("org_id","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "corrective_actions_number_uq" ON "corrective_actions" USING btree ("org_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "corrective_actions_source_uq" ON "corrective_actions" USING btree ("org_id","source_key");--> statement-breakpoint
CREATE INDEX "corrective_actions_state_idx" ON "corrective_actions" USING btree ("org_id","state","due_at");--> statement-breakpoint
CREATE INDEX "corrective_actions_owner_idx" ON "corrective_actions" USING btree ("org_id","owner_id","due_at") WHERE state NOT IN ('closed', 'cancelled');--> statement-breakpoint
CREATE INDEX "corrective_actions_request_idx" ON "corrective_actions" USING btree ("org_id","request_id");--> statement-breakpoint
CREATE INDEX "attachments_corrective_action_idx" ON "attachments" USING btree ("corrective_action_id");