CREATE TABLE "kpi_daily" (
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"dim" text NOT NULL,
	"dim_value" text NOT NULL,
	"counters" jsonb NOT NULL,
	"sketches" jsonb NOT NULL,
	CONSTRAINT "kpi_daily_org_id_day_dim_dim_value_pk" PRIMARY KEY("org_id","day","dim","dim_value")
);
--> statement-breakpoint
CREATE TABLE "kpi_dirty_days" (
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_dirty_days_org_id_day_pk" PRIMARY KEY("org_id","day")
);
--> statement-breakpoint
CREATE INDEX "kpi_daily_dim_idx" ON "kpi_daily" USING btree ("org_id","dim","day");--> statement-breakpoint
-- Hand-written: every write that can change a figure marks the organization's local days it touches dirty, in
-- the same transaction, for the rollup job (src/jobs/kpi-rollup.ts). Old and new instants are both marked, so a
-- fact that moves from one day to another recomputes both. Marking more days than needed is harmless.
CREATE FUNCTION kpi_mark_days(org uuid, instants timestamptz[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tz text;
BEGIN
  IF org IS NULL THEN RETURN; END IF;
  SELECT time_zone INTO tz FROM organizations WHERE id = org;
  IF tz IS NULL THEN tz := 'Asia/Shanghai'; END IF;
  INSERT INTO kpi_dirty_days (org_id, day)
    SELECT DISTINCT org, (i AT TIME ZONE tz)::date FROM unnest(instants) AS i WHERE i IS NOT NULL
    -- DO UPDATE, not DO NOTHING: a mark the rollup job holds (FOR UPDATE) makes this wait until the job
    -- commits its delete, and the mark is then inserted anew, so a write during a recompute is never lost.
    ON CONFLICT (org_id, day) DO UPDATE SET marked_at = now();
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_requests() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  moved boolean;
BEGIN
  IF TG_OP = 'UPDATE'
     AND (OLD.org_id, OLD.created_at, OLD.resolved_at, OLD.archived_at, OLD.reopen_count, OLD.state, OLD.type, OLD.channel, OLD.assignee_id, OLD.team_id, OLD.branch_id)
         IS NOT DISTINCT FROM
         (NEW.org_id, NEW.created_at, NEW.resolved_at, NEW.archived_at, NEW.reopen_count, NEW.state, NEW.type, NEW.channel, NEW.assignee_id, NEW.team_id, NEW.branch_id) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM kpi_mark_days(OLD.org_id, ARRAY[OLD.created_at, OLD.resolved_at, OLD.archived_at]);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM kpi_mark_days(NEW.org_id, ARRAY[NEW.created_at, NEW.resolved_at, NEW.archived_at]);
  END IF;
  -- Clocks and callbacks of a request are counted under the request's dimensions: when those change, their days change too.
  moved := TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.org_id, OLD.type, OLD.channel, OLD.assignee_id, OLD.team_id, OLD.branch_id)
    IS DISTINCT FROM (NEW.org_id, NEW.type, NEW.channel, NEW.assignee_id, NEW.team_id, NEW.branch_id));
  IF moved THEN
    PERFORM kpi_mark_days(OLD.org_id, ARRAY(
      SELECT x FROM clocks c, LATERAL unnest(ARRAY[c.met_at, c.breached_at]) AS x
        WHERE c.org_id = OLD.org_id AND c.subject_type = 'request' AND c.subject_id = OLD.id::text
      UNION SELECT cb.called_at FROM callbacks cb WHERE cb.org_id = OLD.org_id AND cb.request_id = OLD.id));
    IF TG_OP = 'UPDATE' AND NEW.org_id IS DISTINCT FROM OLD.org_id THEN
      PERFORM kpi_mark_days(NEW.org_id, ARRAY(
        SELECT x FROM clocks c, LATERAL unnest(ARRAY[c.met_at, c.breached_at]) AS x
          WHERE c.org_id = NEW.org_id AND c.subject_type = 'request' AND c.subject_id = NEW.id::text
        UNION SELECT cb.called_at FROM callbacks cb WHERE cb.org_id = NEW.org_id AND cb.request_id = NEW.id));
    END IF;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_clocks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.subject_type = 'request' THEN
    PERFORM kpi_mark_days(OLD.org_id, ARRAY[OLD.met_at, OLD.breached_at]);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.subject_type = 'request' THEN
    PERFORM kpi_mark_days(NEW.org_id, ARRAY[NEW.met_at, NEW.breached_at]);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_evaluations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM kpi_mark_days(OLD.org_id, ARRAY[OLD.at]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM kpi_mark_days(NEW.org_id, ARRAY[NEW.at]); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_corrective_actions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM kpi_mark_days(OLD.org_id, ARRAY[OLD.created_at, OLD.closed_at, OLD.overdue_at]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM kpi_mark_days(NEW.org_id, ARRAY[NEW.created_at, NEW.closed_at, NEW.overdue_at]); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_callbacks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM kpi_mark_days(OLD.org_id, ARRAY[OLD.called_at]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM kpi_mark_days(NEW.org_id, ARRAY[NEW.called_at]); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM kpi_mark_days(OLD.org_id, ARRAY[OLD.ring_at]); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM kpi_mark_days(NEW.org_id, ARRAY[NEW.ring_at]); END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER requests_kpi_dirty AFTER INSERT OR UPDATE OR DELETE ON requests FOR EACH ROW EXECUTE FUNCTION kpi_mark_requests();
--> statement-breakpoint
CREATE TRIGGER clocks_kpi_dirty AFTER INSERT OR UPDATE OR DELETE ON clocks FOR EACH ROW EXECUTE FUNCTION kpi_mark_clocks();
--> statement-breakpoint
CREATE TRIGGER evaluations_kpi_dirty AFTER INSERT OR UPDATE OR DELETE ON evaluations FOR EACH ROW EXECUTE FUNCTION kpi_mark_evaluations();
--> statement-breakpoint
CREATE TRIGGER corrective_actions_kpi_dirty AFTER INSERT OR UPDATE OR DELETE ON corrective_actions FOR EACH ROW EXECUTE FUNCTION kpi_mark_corrective_actions();
--> statement-breakpoint
CREATE TRIGGER callbacks_kpi_dirty AFTER INSERT OR UPDATE OR DELETE ON callbacks FOR EACH ROW EXECUTE FUNCTION kpi_mark_callbacks();
--> statement-breakpoint
CREATE TRIGGER calls_kpi_dirty AFTER INSERT OR UPDATE OR DELETE ON calls FOR EACH ROW EXECUTE FUNCTION kpi_mark_calls();
