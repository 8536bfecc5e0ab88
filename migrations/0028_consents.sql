CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"partner_unit_id" uuid NOT NULL,
	"scopes" text[] NOT NULL,
	"life_areas" text[] DEFAULT '{}' NOT NULL,
	"purpose" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"given_how" text NOT NULL,
	"recorded_by" uuid,
	"replaces_id" uuid,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "consents_scopes_check" CHECK (cardinality("consents"."scopes") between 1 and 4 and "consents"."scopes" <@ array['goals','plan','measures','contact']),
	CONSTRAINT "consents_dates_check" CHECK ("consents"."valid_until" >= "consents"."valid_from"),
	CONSTRAINT "consents_given_how_check" CHECK ("consents"."given_how" in ('portal','paper','meeting','phone')),
	CONSTRAINT "consents_withdrawn_check" CHECK (("consents"."withdrawn_at" is null) = ("consents"."withdrawn_by" is null) and ("consents"."withdrawn_by" is null or "consents"."withdrawn_by" in ('citizen','staff')))
);
--> statement-breakpoint
ALTER TABLE "org_units" DROP CONSTRAINT "org_units_kind_check";--> statement-breakpoint
ALTER TABLE "role_assignments" DROP CONSTRAINT "role_assignments_role_check";--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "portal_show_staff_names" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_unit_fk" FOREIGN KEY ("municipality_id","partner_unit_id") REFERENCES "public"."org_units"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_replaces_fk" FOREIGN KEY ("municipality_id","replaces_id") REFERENCES "public"."consents"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_citizen_idx" ON "consents" USING btree ("municipality_id","citizen_id");--> statement-breakpoint
CREATE INDEX "consents_partner_idx" ON "consents" USING btree ("municipality_id","partner_unit_id");--> statement-breakpoint
ALTER TABLE "org_units" ADD CONSTRAINT "org_units_kind_check" CHECK ("org_units"."kind" in ('myndighed','tilbud','team','partner'));--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_role_check" CHECK ("role_assignments"."role" in ('sagsbehandler','udfoerer','leder','analytiker','administrator','skemaadministrator','kontaktperson','partner'));--> statement-breakpoint
-- Consents (issue 14, decision 012): tenant RLS like every table; the citizen's own only, for the citizen role.
ALTER TABLE consents ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE consents FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON consents USING (municipality_id = app_municipality_id())
  WITH CHECK (municipality_id = app_municipality_id());
--> statement-breakpoint
-- Never edited, only withdrawn: the rest of a consent is fixed once given.
GRANT SELECT, INSERT ON consents TO retning_app, retning_citizen;
--> statement-breakpoint
GRANT UPDATE (withdrawn_at, withdrawn_by) ON consents TO retning_app, retning_citizen;
--> statement-breakpoint
CREATE POLICY citizen_own ON consents AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id()) WITH CHECK (citizen_id = app_citizen_id());
--> statement-breakpoint
-- What the citizen gives in the portal is given in the portal, by the citizen.
CREATE POLICY citizen_gives ON consents AS RESTRICTIVE FOR INSERT TO retning_citizen
  WITH CHECK (given_how = 'portal' AND recorded_by IS NULL);
--> statement-breakpoint
-- The partners a citizen can choose, and who looked (Min log): units' kind and type, staff's roles per unit.
GRANT SELECT (kind, provider_type) ON org_units TO retning_citizen;
--> statement-breakpoint
GRANT SELECT (municipality_id, user_id, unit_id, role) ON role_assignments TO retning_citizen;
--> statement-breakpoint
GRANT SELECT (portal_show_staff_names) ON municipalities TO retning_citizen;
--> statement-breakpoint
-- Min log: the citizen reads the audit events about themselves (the restrictive citizen_own policy of 0027).
GRANT SELECT (id, municipality_id, occurred_at, actor_user_id, actor_role, citizen_id, action, resource_type,
              resource_id, criteria, purpose, case_id, outcome) ON audit_events TO retning_citizen;
