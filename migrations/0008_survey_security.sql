-- Issue 4: tenancy and the participants' read path for the self-assessment survey.
GRANT SELECT, INSERT, UPDATE ON survey_questionnaires, survey_rounds, survey_links, mail_outbox TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON survey_participants TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON survey_quotes TO retning_app;
--> statement-breakpoint
-- Answers are never changed or deleted by the application: a submission is final.
GRANT SELECT, INSERT ON survey_responses TO retning_app;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['survey_questionnaires','survey_rounds','survey_participants','survey_links',
                           'survey_responses','survey_quotes','mail_outbox'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (municipality_id = app_municipality_id()) '
                   'WITH CHECK (municipality_id = app_municipality_id())', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- A participating municipality reads the round it takes part in (and its protected results), and the
-- response counts of its own links: read-only, and never the answers.
CREATE POLICY participant_read ON survey_rounds FOR SELECT USING (app_municipality_id() = ANY (participant_ids));
--> statement-breakpoint
CREATE POLICY participant_read ON survey_participants FOR SELECT USING (participant_municipality_id = app_municipality_id());
--> statement-breakpoint
CREATE POLICY participant_read ON survey_links FOR SELECT USING (participant_municipality_id = app_municipality_id());
--> statement-breakpoint
CREATE POLICY participant_read ON survey_quotes FOR SELECT
  USING (EXISTS (SELECT 1 FROM survey_rounds r WHERE r.id = round_id AND app_municipality_id() = ANY (r.participant_ids)));
--> statement-breakpoint
-- A frozen questionnaire is what a round asked: it never changes.
CREATE FUNCTION survey_questionnaire_frozen_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'frozen' THEN
    RAISE EXCEPTION 'frozen questionnaire % version % is immutable', OLD.key, OLD.version
      USING ERRCODE = 'check_violation', CONSTRAINT = 'survey_questionnaires_frozen_immutable';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER survey_questionnaires_frozen_guard BEFORE UPDATE ON survey_questionnaires
  FOR EACH ROW EXECUTE FUNCTION survey_questionnaire_frozen_guard();
--> statement-breakpoint
-- A closed round's results were published: the round never changes again.
CREATE FUNCTION survey_round_closed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'closed' THEN
    RAISE EXCEPTION 'closed survey round % is immutable', OLD.id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'survey_rounds_closed_immutable';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER survey_rounds_closed_guard BEFORE UPDATE ON survey_rounds
  FOR EACH ROW EXECUTE FUNCTION survey_round_closed_guard();
--> statement-breakpoint
-- The definer functions below find a link, a participant or queued mail before the tenant is known.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['survey_links','survey_participants','mail_outbox'] LOOP
    EXECUTE format('CREATE POLICY definer_lookup ON %I FOR SELECT TO %I USING (true)', t, current_user);
  END LOOP;
END $$;
--> statement-breakpoint
-- The organisation behind a survey link (respondent or director), from the token's hash: the caller then
-- works inside that tenant, as for a session.
CREATE FUNCTION survey_token_owner(p_token_hash text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT municipality_id FROM public.survey_links WHERE token_hash = p_token_hash
  UNION ALL
  SELECT municipality_id FROM public.survey_participants WHERE director_token_hash = p_token_hash
  LIMIT 1
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION survey_token_owner(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION survey_token_owner(text) TO retning_app;
--> statement-breakpoint
-- The tenants with mail waiting, for the delivery sweep.
CREATE FUNCTION mail_outbox_tenants() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT DISTINCT municipality_id FROM public.mail_outbox WHERE status = 'queued'
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION mail_outbox_tenants() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION mail_outbox_tenants() TO retning_app;
--> statement-breakpoint
-- Municipalities of this deployment by kommunekode (participants of a round run by another tenant).
CREATE FUNCTION municipality_ids_by_code(p_codes text[]) RETURNS TABLE (code text, id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT m.code, m.id FROM public.municipalities m WHERE m.code = ANY (p_codes)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION municipality_ids_by_code(text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION municipality_ids_by_code(text[]) TO retning_app;
