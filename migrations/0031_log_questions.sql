CREATE TABLE "log_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"audit_event_id" uuid NOT NULL,
	"question" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	CONSTRAINT "log_questions_answer_check" CHECK (("log_questions"."answer" is null) = ("log_questions"."answered_at" is null))
);
--> statement-breakpoint
ALTER TABLE "log_questions" ADD CONSTRAINT "log_questions_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "log_questions_event_key" ON "log_questions" USING btree ("audit_event_id");--> statement-breakpoint
CREATE INDEX "log_questions_open_idx" ON "log_questions" USING btree ("municipality_id","answered_at");--> statement-breakpoint
ALTER TABLE log_questions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE log_questions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON log_questions USING (municipality_id = app_municipality_id())
  WITH CHECK (municipality_id = app_municipality_id());
--> statement-breakpoint
-- The administrator reads and answers; the citizen asks and reads the answer, about their own events only.
GRANT SELECT ON log_questions TO retning_app, retning_citizen;
--> statement-breakpoint
GRANT UPDATE (answer, answered_at, answered_by) ON log_questions TO retning_app;
--> statement-breakpoint
GRANT INSERT ON log_questions TO retning_citizen;
--> statement-breakpoint
CREATE POLICY citizen_own ON log_questions AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id())
  WITH CHECK (citizen_id = app_citizen_id() AND answer IS NULL AND answered_by IS NULL);
