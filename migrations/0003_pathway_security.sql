-- Reference data is shared and read-only for the application; the owner loads it at start.
GRANT SELECT ON code_lists, codes, instruments TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON catalogue_items, cases, assessments, goals TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON case_number_counters TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON assessment_conditions, assessment_accounts TO retning_app;
--> statement-breakpoint
-- History tables are append-only for the application.
GRANT SELECT, INSERT ON case_phase_events, goal_events TO retning_app;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['catalogue_items','case_number_counters','cases','case_phase_events','assessments',
                           'assessment_conditions','assessment_accounts','goals','goal_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (municipality_id = app_municipality_id()) '
                   'WITH CHECK (municipality_id = app_municipality_id())', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- A completed assessment is history: neither it nor its conditions and accounts change afterwards.
CREATE FUNCTION assessment_completed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE target uuid;
BEGIN
  IF TG_TABLE_NAME = 'assessments' THEN
    IF OLD.status = 'completed' THEN
      RAISE EXCEPTION 'completed assessment % is immutable', OLD.id USING ERRCODE = 'check_violation',
        CONSTRAINT = 'assessments_completed_immutable';
    END IF;
    RETURN NEW;
  END IF;
  target := CASE WHEN TG_OP = 'DELETE' THEN OLD.assessment_id ELSE NEW.assessment_id END;
  IF EXISTS (SELECT 1 FROM assessments a WHERE a.id = target AND a.status = 'completed') THEN
    RAISE EXCEPTION 'completed assessment % is immutable', target USING ERRCODE = 'check_violation',
      CONSTRAINT = 'assessments_completed_immutable';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER assessments_completed_guard BEFORE UPDATE ON assessments
  FOR EACH ROW EXECUTE FUNCTION assessment_completed_guard();
--> statement-breakpoint
CREATE TRIGGER assessment_conditions_completed_guard BEFORE INSERT OR UPDATE OR DELETE ON assessment_conditions
  FOR EACH ROW EXECUTE FUNCTION assessment_completed_guard();
--> statement-breakpoint
CREATE TRIGGER assessment_accounts_completed_guard BEFORE INSERT OR UPDATE OR DELETE ON assessment_accounts
  FOR EACH ROW EXECUTE FUNCTION assessment_completed_guard();
