ALTER TABLE goals ADD CONSTRAINT goals_service_fk FOREIGN KEY (municipality_id, service_id)
  REFERENCES services (municipality_id, id);
--> statement-breakpoint
CREATE INDEX goals_service_idx ON goals (service_id);
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON services, action_plans, community_offers, goal_offer_links TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON service_goals, municipality_instruments TO retning_app;
--> statement-breakpoint
-- History tables are append-only for the application: corrections are new rows.
GRANT SELECT, INSERT ON service_events, provider_plans, follow_ups, follow_up_ratings, measurements TO retning_app;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['services','service_goals','service_events','provider_plans','follow_ups',
                           'follow_up_ratings','measurements','municipality_instruments','action_plans',
                           'community_offers','goal_offer_links'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (municipality_id = app_municipality_id()) '
                   'WITH CHECK (municipality_id = app_municipality_id())', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- A shared §141 plan is what the citizen was given: it never changes; a change is a new version.
CREATE FUNCTION action_plan_shared_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'shared' THEN
    RAISE EXCEPTION 'shared action plan % version % is immutable', OLD.case_id, OLD.version
      USING ERRCODE = 'check_violation', CONSTRAINT = 'action_plans_shared_immutable';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER action_plans_shared_guard BEFORE UPDATE ON action_plans
  FOR EACH ROW EXECUTE FUNCTION action_plan_shared_guard();
--> statement-breakpoint
CREATE UNIQUE INDEX action_plans_one_draft ON action_plans (case_id) WHERE status = 'draft';
