ALTER TABLE "kpi_dirty_days" DROP CONSTRAINT "kpi_dirty_days_org_id_day_pk";--> statement-breakpoint
ALTER TABLE "kpi_dirty_days" ADD COLUMN "id" bigint PRIMARY KEY NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "kpi_dirty_days_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
CREATE INDEX "kpi_dirty_days_org_day_idx" ON "kpi_dirty_days" USING btree ("org_id","day");--> statement-breakpoint
-- Hand-written: marks are appended, never upserted. With one row per (organization, day) and ON CONFLICT DO UPDATE,
-- every write of an organization on the same day updated the same row, so concurrent writes (and a write during a
-- rollup of its day) waited on each other. Now a statement inserts its own marks and nothing waits; the rollup job
-- deletes only the marks it claimed, so a mark written during its recompute survives for the next run.
CREATE OR REPLACE FUNCTION kpi_mark_pairs(orgs uuid[], instants timestamptz[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO kpi_dirty_days (org_id, day)
    SELECT DISTINCT u.o, (u.i AT TIME ZONE coalesce(g.time_zone, 'Asia/Shanghai'))::date
    FROM unnest(orgs, instants) AS u(o, i) LEFT JOIN organizations g ON g.id = u.o
    WHERE u.o IS NOT NULL AND u.i IS NOT NULL;
$$;
