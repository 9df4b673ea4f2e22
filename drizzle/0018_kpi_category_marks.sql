-- Hand-written: the figures' category dimension (requests.category_id) needs marks the statement triggers of 0012
-- do not write. A request's facts, and its clocks', callbacks', corrective actions' and ratings', count under its
-- category as it is when the day is recomputed, so a change of category marks all their days; deleting a request
-- with a category moves its ratings to "no category", so it marks their days. Row triggers with a WHEN clause:
-- nothing runs unless the category actually changes (rare, one request at a time).
CREATE FUNCTION kpi_mark_request_category() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM kpi_mark_pairs(array_agg(p.o), array_agg(p.x)) FROM (
      SELECT NEW.org_id AS o, x FROM unnest(ARRAY[OLD.created_at, OLD.resolved_at, OLD.archived_at, NEW.created_at, NEW.resolved_at, NEW.archived_at]) AS x
      UNION ALL SELECT c.org_id, x FROM clocks c, unnest(ARRAY[c.met_at, c.breached_at]) AS x
        WHERE c.org_id = NEW.org_id AND c.subject_type = 'request' AND c.subject_id = NEW.id::text
      UNION ALL SELECT cb.org_id, cb.called_at FROM callbacks cb WHERE cb.org_id = NEW.org_id AND cb.request_id = NEW.id
      UNION ALL SELECT ca.org_id, x FROM corrective_actions ca, unnest(ARRAY[ca.created_at, ca.closed_at, ca.overdue_at]) AS x
        WHERE ca.org_id = NEW.org_id AND ca.request_id = NEW.id
      UNION ALL SELECT e.org_id, e.at FROM evaluations e WHERE e.org_id = NEW.org_id AND e.request_id = NEW.id
    ) p WHERE p.x IS NOT NULL;
  ELSE
    PERFORM kpi_mark_pairs(array_agg(e.org_id), array_agg(e.at)) FROM evaluations e WHERE e.org_id = OLD.org_id AND e.request_id = OLD.id;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER requests_kpi_category_upd AFTER UPDATE OF category_id ON requests
  FOR EACH ROW WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id) EXECUTE FUNCTION kpi_mark_request_category();
--> statement-breakpoint
CREATE TRIGGER requests_kpi_category_del AFTER DELETE ON requests
  FOR EACH ROW WHEN (OLD.category_id IS NOT NULL) EXECUTE FUNCTION kpi_mark_request_category();
--> statement-breakpoint
-- The rollups gained counters (calls, initial-solution and complaint-handling clocks, complaint handling days,
-- registrations by hour) and the category dimension: mark every day that has rows, calls or clock outcomes, so the
-- rollup job recomputes them (the same as `pledge kpi rebuild` over all time).
-- Instants are first reduced to quarter hours (every zone's offset is a multiple of 15 minutes, so the local day
-- is kept), so the arrays stay small however many calls and clocks there are.
SELECT kpi_mark_pairs(array_agg(q.o), array_agg(q.x)) FROM (
  SELECT DISTINCT p.o, to_timestamp(floor(extract(epoch FROM p.x) / 900) * 900) AS x FROM (
    SELECT d.org_id AS o, (d.day::timestamp AT TIME ZONE coalesce(g.time_zone, 'Asia/Shanghai')) + interval '12 hours' AS x
      FROM kpi_daily d LEFT JOIN organizations g ON g.id = d.org_id
    UNION ALL SELECT org_id, ring_at FROM calls
    UNION ALL SELECT c.org_id, x FROM clocks c, unnest(ARRAY[c.met_at, c.breached_at]) AS x WHERE c.subject_type = 'request'
  ) p WHERE p.x IS NOT NULL
) q;
