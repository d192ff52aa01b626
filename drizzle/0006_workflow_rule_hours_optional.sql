ALTER TABLE "deadline_rules" ALTER COLUMN "accept_hours" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "deadline_rules" ALTER COLUMN "check_hours" DROP NOT NULL;