CREATE TABLE "report_revisits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"due_notified_at" timestamp with time zone,
	"checked_at" timestamp with time zone,
	"checked_by_user_id" uuid,
	"note" text,
	"new_report_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_revisits_status_check" CHECK (status in ('scheduled', 'confirmed', 'reopened', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "deadline_rules" ALTER COLUMN "accept_hours" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "deadline_rules" ALTER COLUMN "check_hours" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "revisit_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "report_revisits" ADD CONSTRAINT "report_revisits_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_revisits" ADD CONSTRAINT "report_revisits_checked_by_user_id_users_id_fk" FOREIGN KEY ("checked_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_revisits" ADD CONSTRAINT "report_revisits_new_report_id_reports_id_fk" FOREIGN KEY ("new_report_id") REFERENCES "public"."reports"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "report_revisits_one_scheduled" ON "report_revisits" USING btree ("report_id") WHERE status = 'scheduled';--> statement-breakpoint
CREATE INDEX "report_revisits_due_idx" ON "report_revisits" USING btree ("status","due_at");--> statement-breakpoint
CREATE INDEX "report_revisits_report_idx" ON "report_revisits" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "report_revisits_new_report_idx" ON "report_revisits" USING btree ("new_report_id");--> statement-breakpoint
CREATE INDEX "report_events_action_at_idx" ON "report_events" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "reports_open_due_idx" ON "reports" USING btree ("due_at","created_at") WHERE stage in ('submitted', 'accepted', 'returned', 'dispatched', 'in_progress', 'rework', 'handled');--> statement-breakpoint
CREATE INDEX "reports_open_community_due_idx" ON "reports" USING btree ("community_id","due_at","created_at") WHERE stage in ('submitted', 'accepted', 'returned', 'dispatched', 'in_progress', 'rework', 'handled');--> statement-breakpoint
CREATE INDEX "reports_open_department_due_idx" ON "reports" USING btree ("department_id","due_at","created_at") WHERE stage in ('submitted', 'accepted', 'returned', 'dispatched', 'in_progress', 'rework', 'handled');--> statement-breakpoint
CREATE INDEX "reports_stage_due_idx" ON "reports" USING btree ("stage","due_at");