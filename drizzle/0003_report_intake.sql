CREATE TABLE "report_me_toos" (
	"report_id" uuid NOT NULL,
	"supporter" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_me_toos_report_id_supporter_pk" PRIMARY KEY("report_id","supporter")
);
--> statement-breakpoint
CREATE TABLE "report_reporters" (
	"report_id" uuid PRIMARY KEY NOT NULL,
	"device_hash" text,
	"rating" text,
	"rated_at" timestamp with time zone,
	"reopen_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_me_toos" ADD CONSTRAINT "report_me_toos_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_reporters" ADD CONSTRAINT "report_reporters_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "report_reporters_device_idx" ON "report_reporters" USING btree ("device_hash");