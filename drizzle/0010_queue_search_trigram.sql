CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "reports_tracking_code_trgm_idx" ON "reports" USING gin ("tracking_code" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "reports_description_trgm_idx" ON "reports" USING gin ("description" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "reports_address_trgm_idx" ON "reports" USING gin ("address" gin_trgm_ops);