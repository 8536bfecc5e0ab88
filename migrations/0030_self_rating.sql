CREATE TABLE "follow_up_preparations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"topics" text DEFAULT '' NOT NULL,
	"ratings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone,
	"used_in_follow_up_id" uuid,
	CONSTRAINT "follow_up_preparations_ratings_check" CHECK (jsonb_typeof("follow_up_preparations"."ratings") = 'object')
);
--> statement-breakpoint
ALTER TABLE "follow_up_preparations" ADD CONSTRAINT "follow_up_preparations_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "follow_up_preparations_open_key" ON "follow_up_preparations" USING btree ("citizen_id") WHERE "follow_up_preparations"."used_at" is null;--> statement-breakpoint
-- Før opfølgningen and Sådan går det (issue 14, decision 012).
ALTER TABLE follow_up_preparations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE follow_up_preparations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON follow_up_preparations USING (municipality_id = app_municipality_id())
  WITH CHECK (municipality_id = app_municipality_id());
--> statement-breakpoint
-- Staff read the preparation at the follow-up and stamp it as used; only the citizen writes it.
GRANT SELECT ON follow_up_preparations TO retning_app;
--> statement-breakpoint
GRANT UPDATE (used_at, used_in_follow_up_id) ON follow_up_preparations TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON follow_up_preparations TO retning_citizen;
--> statement-breakpoint
GRANT UPDATE (topics, ratings, version, updated_at) ON follow_up_preparations TO retning_citizen;
--> statement-breakpoint
CREATE POLICY citizen_own ON follow_up_preparations AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id() AND used_at IS NULL)
  WITH CHECK (citizen_id = app_citizen_id() AND used_at IS NULL);
--> statement-breakpoint
-- The citizen's own measurements: read their scores over time, and fill in WHO-5 (or ORS) themselves, as
-- informant "Borger" with no staff author and no service.
GRANT SELECT (id, municipality_id, citizen_id, instrument_key, instrument_version, administered_on,
              informant_list, informant_code, score, author_user_id, created_at) ON measurements TO retning_citizen;
--> statement-breakpoint
GRANT INSERT ON measurements TO retning_citizen;
--> statement-breakpoint
CREATE POLICY citizen_own ON measurements AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id()) WITH CHECK (citizen_id = app_citizen_id());
--> statement-breakpoint
CREATE POLICY citizen_self_report ON measurements AS RESTRICTIVE FOR INSERT TO retning_citizen
  WITH CHECK (author_user_id IS NULL AND service_id IS NULL);
--> statement-breakpoint
-- GAS ratings given at follow-ups of the citizen's own services (the table has no citizen column: the
-- follow-up decides, and the citizen sees only their own follow-ups).
GRANT SELECT (id, municipality_id, follow_up_id, goal_id, rater, score) ON follow_up_ratings TO retning_citizen;
--> statement-breakpoint
CREATE POLICY citizen_own ON follow_up_ratings AS RESTRICTIVE TO retning_citizen
  USING (EXISTS (SELECT 1 FROM follow_ups f WHERE f.id = follow_up_id));
--> statement-breakpoint
GRANT SELECT ON municipality_instruments TO retning_citizen;
--> statement-breakpoint
-- The key figures' dirty mark fires on a citizen's measurement too; it must write the tenant's state row,
-- which the citizen role may not touch, so it runs as the owner.
ALTER FUNCTION key_figures_mark_dirty() SECURITY DEFINER SET search_path = pg_catalog, public;
--> statement-breakpoint
REVOKE ALL ON FUNCTION key_figures_mark_dirty() FROM PUBLIC;
