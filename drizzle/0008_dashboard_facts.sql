DROP INDEX "reports_stage_idx";--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "first_dispatched_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "last_handled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "last_handled_on_time" boolean;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
-- Backfill from the timelines: the same facts every move now keeps (src/lib/server/reports/workflow.ts).
UPDATE "reports" r SET
	"first_dispatched_at" = e.first_dispatch,
	"last_handled_at" = e.last_handling,
	"last_handled_on_time" = e.last_handling_on_time,
	"closed_at" = e.last_closure
FROM (
	SELECT "report_id",
		min("at") FILTER (WHERE "action" = 'dispatch') AS first_dispatch,
		max("at") FILTER (WHERE "action" = 'handle') AS last_handling,
		(array_agg("at" <= coalesce(("data"->>'dueAt')::timestamptz, "at") ORDER BY "at" DESC)
			FILTER (WHERE "action" = 'handle'))[1] AS last_handling_on_time,
		max("at") FILTER (WHERE "action" = 'close') AS last_closure
	FROM "report_events"
	WHERE "action" IN ('dispatch', 'handle', 'close')
	GROUP BY "report_id"
) e
WHERE e."report_id" = r."id";--> statement-breakpoint
CREATE INDEX "report_events_report_action_idx" ON "report_events" USING btree ("report_id","action","at");--> statement-breakpoint
CREATE INDEX "reports_closed_at_idx" ON "reports" USING btree ("closed_at") WHERE stage = 'closed';--> statement-breakpoint
CREATE INDEX "reports_last_handled_idx" ON "reports" USING btree ("last_handled_at");