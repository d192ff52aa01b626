CREATE TABLE "activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"shift_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"place" text NOT NULL,
	"organiser_department_id" uuid,
	"responsible_person" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_shift_id_unique" UNIQUE("shift_id"),
	CONSTRAINT "activities_kind_check" CHECK ("activities"."kind" in ('cleanup', 'publicity'))
);
--> statement-breakpoint
CREATE TABLE "activity_participations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"activity_id" uuid NOT NULL,
	"property_company_id" uuid NOT NULL,
	"note" text,
	"recorded_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_participations_unique" UNIQUE("activity_id","property_company_id")
);
--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "cover_key" text;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "cover_alt" text;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "cover_width" integer;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "cover_height" integer;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_shift_id_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "public"."shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_organiser_department_id_departments_id_fk" FOREIGN KEY ("organiser_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_participations" ADD CONSTRAINT "activity_participations_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_participations" ADD CONSTRAINT "activity_participations_property_company_id_property_companies_id_fk" FOREIGN KEY ("property_company_id") REFERENCES "public"."property_companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_participations" ADD CONSTRAINT "activity_participations_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_participations_company_idx" ON "activity_participations" USING btree ("property_company_id");