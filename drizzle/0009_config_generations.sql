CREATE TABLE "config_generations" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"generation" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Hand-written: every change to configuration that registration caches raises the organization's generation
-- in the same transaction (src/core/org-cache.ts). Routing rules remember their last assignee on every routed
-- request; that column alone (and updated_at) does not count as a configuration change.
CREATE FUNCTION bump_config_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  org uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN org := OLD.org_id; ELSE org := NEW.org_id; END IF;
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'routing_rules'
     AND (to_jsonb(OLD) - 'last_assigned_id' - 'updated_at') = (to_jsonb(NEW) - 'last_assigned_id' - 'updated_at') THEN
    RETURN NULL;
  END IF;
  INSERT INTO config_generations (org_id, generation) VALUES (org, 1)
    ON CONFLICT (org_id) DO UPDATE SET generation = config_generations.generation + 1;
  IF TG_OP = 'UPDATE' AND OLD.org_id IS DISTINCT FROM NEW.org_id THEN
    INSERT INTO config_generations (org_id, generation) VALUES (OLD.org_id, 1)
      ON CONFLICT (org_id) DO UPDATE SET generation = config_generations.generation + 1;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER calendars_config_generation AFTER INSERT OR UPDATE OR DELETE ON calendars FOR EACH ROW EXECUTE FUNCTION bump_config_generation();
--> statement-breakpoint
CREATE TRIGGER holiday_years_config_generation AFTER INSERT OR UPDATE OR DELETE ON holiday_years FOR EACH ROW EXECUTE FUNCTION bump_config_generation();
--> statement-breakpoint
CREATE TRIGGER commitments_config_generation AFTER INSERT OR UPDATE OR DELETE ON commitments FOR EACH ROW EXECUTE FUNCTION bump_config_generation();
--> statement-breakpoint
CREATE TRIGGER commitment_versions_config_generation AFTER INSERT OR UPDATE OR DELETE ON commitment_versions FOR EACH ROW EXECUTE FUNCTION bump_config_generation();
--> statement-breakpoint
CREATE TRIGGER request_settings_config_generation AFTER INSERT OR UPDATE OR DELETE ON request_settings FOR EACH ROW EXECUTE FUNCTION bump_config_generation();
--> statement-breakpoint
CREATE TRIGGER routing_rules_config_generation AFTER INSERT OR UPDATE OR DELETE ON routing_rules FOR EACH ROW EXECUTE FUNCTION bump_config_generation();
--> statement-breakpoint
CREATE TRIGGER webhooks_config_generation AFTER INSERT OR UPDATE OR DELETE ON webhooks FOR EACH ROW EXECUTE FUNCTION bump_config_generation();
--> statement-breakpoint
CREATE TRIGGER request_categories_config_generation AFTER INSERT OR UPDATE OR DELETE ON request_categories FOR EACH ROW EXECUTE FUNCTION bump_config_generation();
--> statement-breakpoint
CREATE TRIGGER branches_config_generation AFTER INSERT OR UPDATE OR DELETE ON branches FOR EACH ROW EXECUTE FUNCTION bump_config_generation();
