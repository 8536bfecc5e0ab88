CREATE TABLE "key_figure_ladders" (
	"municipality_id" uuid NOT NULL,
	"year_ago" date NOT NULL,
	"today" date NOT NULL,
	"ladder" jsonb NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_figure_ladders_pkey" PRIMARY KEY("municipality_id","today")
);
--> statement-breakpoint
ALTER TABLE "key_figure_ladders" ADD CONSTRAINT "key_figure_ladders_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Issue 13: the ladder is frozen when published, and every published ladder is kept, so later publications
-- are audited together with it. The one published so far moves here.
INSERT INTO key_figure_ladders (municipality_id, year_ago, today, ladder)
SELECT municipality_id, (ladder->>'yearAgo')::date, (ladder->>'today')::date, ladder
  FROM key_figure_state WHERE ladder IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "key_figure_state" DROP COLUMN "ladder";
--> statement-breakpoint
GRANT SELECT, INSERT ON key_figure_ladders TO retning_app;
--> statement-breakpoint
ALTER TABLE key_figure_ladders ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE key_figure_ladders FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON key_figure_ladders USING (municipality_id = app_municipality_id())
  WITH CHECK (municipality_id = app_municipality_id());