-- Hand-written: the dirty-day marks of 0011, written once per statement instead of once per row (transition
-- tables), so a bulk INSERT of 100,000 requests marks its few hundred days in one upsert instead of 100,000.
-- Same rules: old and new instants both marked; a request whose dimensions change (or that is deleted) also marks
-- the days of its clocks, callbacks and corrective actions (they count under its channel and type); ON CONFLICT DO UPDATE, so a write waits for a rollup job holding its day and marks it anew.
DROP TRIGGER requests_kpi_dirty ON requests;
--> statement-breakpoint
DROP TRIGGER clocks_kpi_dirty ON clocks;
--> statement-breakpoint
DROP TRIGGER evaluations_kpi_dirty ON evaluations;
--> statement-breakpoint
DROP TRIGGER corrective_actions_kpi_dirty ON corrective_actions;
--> statement-breakpoint
DROP TRIGGER callbacks_kpi_dirty ON callbacks;
--> statement-breakpoint
DROP TRIGGER calls_kpi_dirty ON calls;
--> statement-breakpoint
DROP FUNCTION kpi_mark_requests();
--> statement-breakpoint
DROP FUNCTION kpi_mark_clocks();
--> statement-breakpoint
DROP FUNCTION kpi_mark_evaluations();
--> statement-breakpoint
DROP FUNCTION kpi_mark_corrective_actions();
--> statement-breakpoint
DROP FUNCTION kpi_mark_callbacks();
--> statement-breakpoint
DROP FUNCTION kpi_mark_calls();
--> statement-breakpoint
DROP FUNCTION kpi_mark_days(uuid, timestamptz[]);
--> statement-breakpoint
-- Marks the local day of each (organization, instant) pair, in the organization's time zone.
CREATE FUNCTION kpi_mark_pairs(orgs uuid[], instants timestamptz[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO kpi_dirty_days (org_id, day)
    SELECT DISTINCT u.o, (u.i AT TIME ZONE coalesce(g.time_zone, 'Asia/Shanghai'))::date
    FROM unnest(orgs, instants) AS u(o, i) LEFT JOIN organizations g ON g.id = u.o
    WHERE u.o IS NOT NULL AND u.i IS NOT NULL
    ON CONFLICT (org_id, day) DO UPDATE SET marked_at = now();
$$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM kpi_mark_pairs(array_agg(n.org_id), array_agg(x))
      FROM new_rows n, unnest(ARRAY[n.created_at, n.resolved_at, n.archived_at]) AS x WHERE x IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM kpi_mark_pairs(array_agg(p.org_id), array_agg(p.x)) FROM (
      SELECT o.org_id, x FROM old_rows o, unnest(ARRAY[o.created_at, o.resolved_at, o.archived_at]) AS x
      UNION ALL SELECT c.org_id, x FROM old_rows o JOIN clocks c ON c.org_id = o.org_id AND c.subject_type = 'request' AND c.subject_id = o.id::text,
        unnest(ARRAY[c.met_at, c.breached_at]) AS x
      UNION ALL SELECT cb.org_id, cb.called_at FROM old_rows o JOIN callbacks cb ON cb.org_id = o.org_id AND cb.request_id = o.id
      UNION ALL SELECT ca.org_id, x FROM old_rows o JOIN corrective_actions ca ON ca.org_id = o.org_id AND ca.request_id = o.id,
        unnest(ARRAY[ca.created_at, ca.closed_at, ca.overdue_at]) AS x
    ) p WHERE p.x IS NOT NULL;
  ELSE
    PERFORM kpi_mark_pairs(array_agg(p.org_id), array_agg(p.x)) FROM (
      WITH changed AS (
        SELECT o.id, o.org_id AS old_org, n.org_id AS new_org,
          ARRAY[o.created_at, o.resolved_at, o.archived_at] AS old_at, ARRAY[n.created_at, n.resolved_at, n.archived_at] AS new_at,
          (o.org_id, o.type, o.channel, o.assignee_id, o.team_id, o.branch_id) IS DISTINCT FROM (n.org_id, n.type, n.channel, n.assignee_id, n.team_id, n.branch_id) AS moved
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.org_id, o.created_at, o.resolved_at, o.archived_at, o.reopen_count, o.state, o.type, o.channel, o.assignee_id, o.team_id, o.branch_id)
          IS DISTINCT FROM (n.org_id, n.created_at, n.resolved_at, n.archived_at, n.reopen_count, n.state, n.type, n.channel, n.assignee_id, n.team_id, n.branch_id)
      )
      SELECT ch.old_org AS org_id, x FROM changed ch, unnest(ch.old_at) AS x
      UNION ALL SELECT ch.new_org, x FROM changed ch, unnest(ch.new_at) AS x
      UNION ALL SELECT c.org_id, x FROM changed ch JOIN clocks c ON c.org_id IN (ch.old_org, ch.new_org) AND c.subject_type = 'request' AND c.subject_id = ch.id::text,
        unnest(ARRAY[c.met_at, c.breached_at]) AS x WHERE ch.moved
      UNION ALL SELECT cb.org_id, cb.called_at FROM changed ch JOIN callbacks cb ON cb.org_id IN (ch.old_org, ch.new_org) AND cb.request_id = ch.id WHERE ch.moved
      UNION ALL SELECT ca.org_id, x FROM changed ch JOIN corrective_actions ca ON ca.org_id IN (ch.old_org, ch.new_org) AND ca.request_id = ch.id,
        unnest(ARRAY[ca.created_at, ca.closed_at, ca.overdue_at]) AS x WHERE ch.moved
    ) p WHERE p.x IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_clocks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM kpi_mark_pairs(array_agg(o.org_id), array_agg(x)) FROM old_rows o, unnest(ARRAY[o.met_at, o.breached_at]) AS x WHERE o.subject_type = 'request' AND x IS NOT NULL;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM kpi_mark_pairs(array_agg(n.org_id), array_agg(x)) FROM new_rows n, unnest(ARRAY[n.met_at, n.breached_at]) AS x WHERE n.subject_type = 'request' AND x IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_evaluations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM kpi_mark_pairs(array_agg(o.org_id), array_agg(o.at)) FROM old_rows o; END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM kpi_mark_pairs(array_agg(n.org_id), array_agg(n.at)) FROM new_rows n; END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_corrective_actions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM kpi_mark_pairs(array_agg(o.org_id), array_agg(x)) FROM old_rows o, unnest(ARRAY[o.created_at, o.closed_at, o.overdue_at]) AS x WHERE x IS NOT NULL;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM kpi_mark_pairs(array_agg(n.org_id), array_agg(x)) FROM new_rows n, unnest(ARRAY[n.created_at, n.closed_at, n.overdue_at]) AS x WHERE x IS NOT NULL;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_callbacks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM kpi_mark_pairs(array_agg(o.org_id), array_agg(o.called_at)) FROM old_rows o WHERE o.called_at IS NOT NULL; END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM kpi_mark_pairs(array_agg(n.org_id), array_agg(n.called_at)) FROM new_rows n WHERE n.called_at IS NOT NULL; END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION kpi_mark_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM kpi_mark_pairs(array_agg(o.org_id), array_agg(o.ring_at)) FROM old_rows o; END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM kpi_mark_pairs(array_agg(n.org_id), array_agg(n.ring_at)) FROM new_rows n; END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER requests_kpi_dirty_ins AFTER INSERT ON requests REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_requests();
--> statement-breakpoint
CREATE TRIGGER requests_kpi_dirty_upd AFTER UPDATE ON requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_requests();
--> statement-breakpoint
CREATE TRIGGER requests_kpi_dirty_del AFTER DELETE ON requests REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_requests();
--> statement-breakpoint
CREATE TRIGGER clocks_kpi_dirty_ins AFTER INSERT ON clocks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_clocks();
--> statement-breakpoint
CREATE TRIGGER clocks_kpi_dirty_upd AFTER UPDATE ON clocks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_clocks();
--> statement-breakpoint
CREATE TRIGGER clocks_kpi_dirty_del AFTER DELETE ON clocks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_clocks();
--> statement-breakpoint
CREATE TRIGGER evaluations_kpi_dirty_ins AFTER INSERT ON evaluations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_evaluations();
--> statement-breakpoint
CREATE TRIGGER evaluations_kpi_dirty_upd AFTER UPDATE ON evaluations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_evaluations();
--> statement-breakpoint
CREATE TRIGGER evaluations_kpi_dirty_del AFTER DELETE ON evaluations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_evaluations();
--> statement-breakpoint
CREATE TRIGGER corrective_actions_kpi_dirty_ins AFTER INSERT ON corrective_actions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_corrective_actions();
--> statement-breakpoint
CREATE TRIGGER corrective_actions_kpi_dirty_upd AFTER UPDATE ON corrective_actions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_corrective_actions();
--> statement-breakpoint
CREATE TRIGGER corrective_actions_kpi_dirty_del AFTER DELETE ON corrective_actions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_corrective_actions();
--> statement-breakpoint
CREATE TRIGGER callbacks_kpi_dirty_ins AFTER INSERT ON callbacks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_callbacks();
--> statement-breakpoint
CREATE TRIGGER callbacks_kpi_dirty_upd AFTER UPDATE ON callbacks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_callbacks();
--> statement-breakpoint
CREATE TRIGGER callbacks_kpi_dirty_del AFTER DELETE ON callbacks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_callbacks();
--> statement-breakpoint
CREATE TRIGGER calls_kpi_dirty_ins AFTER INSERT ON calls REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_calls();
--> statement-breakpoint
CREATE TRIGGER calls_kpi_dirty_upd AFTER UPDATE ON calls REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_calls();
--> statement-breakpoint
CREATE TRIGGER calls_kpi_dirty_del AFTER DELETE ON calls REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_mark_calls();
