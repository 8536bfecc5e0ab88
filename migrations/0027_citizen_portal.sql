CREATE TABLE "citizen_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"level" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "citizen_sessions_level_check" CHECK ("citizen_sessions"."level" in ('Substantial','High'))
);
--> statement-breakpoint
ALTER TABLE "citizen_sessions" ADD CONSTRAINT "citizen_sessions_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "citizen_sessions_citizen_idx" ON "citizen_sessions" USING btree ("citizen_id");--> statement-breakpoint
-- The citizen portal's own database role (issue 14, decision 012). A request of a citizen session runs as
-- retning_citizen, not retning_app: it holds only the column grants below, and on every table it reads a
-- RESTRICTIVE policy confines it to its own citizen's rows, on top of the tenant policy every role has. So a
-- portal route that forgets a filter still returns nothing of anyone else. NOLOGIN NOINHERIT, like retning_app.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'retning_citizen') THEN
    BEGIN
      CREATE ROLE retning_citizen NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT retning_citizen TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION app_citizen_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('app.citizen_id', true), '')::uuid
$$;
--> statement-breakpoint
ALTER TABLE citizen_sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE citizen_sessions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON citizen_sessions USING (municipality_id = app_municipality_id())
  WITH CHECK (municipality_id = app_municipality_id());
--> statement-breakpoint
-- Staff start a citizen's session at login (as retning_app) and may end it; the citizen reads, touches and ends its own.
GRANT SELECT, INSERT, DELETE ON citizen_sessions TO retning_app;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO retning_citizen;
--> statement-breakpoint
GRANT SELECT ON code_lists, codes, instruments TO retning_citizen;
--> statement-breakpoint
GRANT SELECT (id, code, name) ON municipalities TO retning_citizen;
--> statement-breakpoint
-- The names of the municipality's units and staff: who the citizen's contact people are. Nothing else of theirs.
GRANT SELECT (id, municipality_id, name) ON org_units TO retning_citizen;
--> statement-breakpoint
GRANT SELECT (id, municipality_id, display_name) ON users TO retning_citizen;
--> statement-breakpoint
GRANT SELECT (id, municipality_id, citizen_id, level, created_at, last_seen_at) ON citizen_sessions TO retning_citizen;
--> statement-breakpoint
GRANT UPDATE (last_seen_at) ON citizen_sessions TO retning_citizen;
--> statement-breakpoint
GRANT DELETE ON citizen_sessions TO retning_citizen;
--> statement-breakpoint
-- The citizen's own record: name and contact details (the CPR number only through the login, never read back).
GRANT SELECT (id, municipality_id, first_name, last_name, phone, email, address, postal_code, city,
              responsible_caseworker_id, responsible_unit_id) ON citizens TO retning_citizen;
--> statement-breakpoint
-- Cases without the closing note (staff's).
GRANT SELECT (id, municipality_id, citizen_id, case_number, phase, authority_unit_id, caseworker_id, opened_on, closed_on)
  ON cases TO retning_citizen;
--> statement-breakpoint
GRANT SELECT (id, municipality_id, citizen_id, case_id, kind, parent_goal_id, citizen_goal_id, words_of, title, what,
              measure, due_on, helpers, status, gas_levels, gas_baseline, service_id, created_at, updated_at)
  ON goals TO retning_citizen;
--> statement-breakpoint
-- Services without the price (the municipality's purchase, not the citizen's plan).
GRANT SELECT (id, municipality_id, citizen_id, case_id, ffb_list, ydelse_code, paragraph_list, paragraph_code,
              provider_unit_id, status, start_on, end_on, hours_per_week, next_follow_up_on, agreed_next_on)
  ON services TO retning_citizen;
--> statement-breakpoint
-- The §141 plan as shared with the citizen (drafts are staff's work in progress: see the policy below).
GRANT SELECT (id, municipality_id, citizen_id, case_id, version, status, purpose, services_needed, expected_duration,
              housing, employment, personal_help, treatment, aids, offer, offered_on, agreement_on, agreement_how,
              participants, shared_at)
  ON action_plans TO retning_citizen;
--> statement-breakpoint
-- Follow-ups without the staff's notes: when, the result, the citizen's own view and the next date.
GRANT SELECT (id, municipality_id, citizen_id, case_id, service_id, held_on, ffb_list, result_code, citizen_view, next_on)
  ON follow_ups TO retning_citizen;
--> statement-breakpoint
-- Mine ord: the citizen reads every version and writes new ones (as the citizen).
GRANT SELECT, INSERT ON citizen_narratives TO retning_citizen;
--> statement-breakpoint
-- Every portal request writes its audit events in its own transaction.
GRANT INSERT ON audit_events TO retning_citizen;
--> statement-breakpoint
CREATE POLICY citizen_own ON citizens AS RESTRICTIVE TO retning_citizen
  USING (id = app_citizen_id()) WITH CHECK (id = app_citizen_id());
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['citizen_sessions','cases','goals','services','follow_ups','citizen_narratives'] LOOP
    EXECUTE format('CREATE POLICY citizen_own ON %I AS RESTRICTIVE TO retning_citizen '
                   'USING (citizen_id = app_citizen_id()) WITH CHECK (citizen_id = app_citizen_id())', t);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE POLICY citizen_own ON action_plans AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id() AND status = 'shared');
--> statement-breakpoint
-- What a citizen writes is written by the citizen, never on anyone's behalf.
CREATE POLICY citizen_writes_own_words ON citizen_narratives AS RESTRICTIVE FOR INSERT TO retning_citizen
  WITH CHECK (written_by = 'citizen' AND author_user_id IS NULL);
--> statement-breakpoint
CREATE POLICY citizen_own ON audit_events AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id()) WITH CHECK (citizen_id = app_citizen_id() AND actor_user_id IS NULL);
--> statement-breakpoint
-- The login finds the citizen by CPR number before any tenant is set (SECURITY DEFINER, like auth_find_user):
-- by the municipality's code and the number, exactly; it answers the citizen's id or nothing.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['citizens','citizen_sessions'] LOOP
    EXECUTE format('CREATE POLICY definer_lookup ON %I FOR SELECT TO %I USING (true)', t, current_user);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION auth_find_citizen(p_municipality_code text, p_cpr text)
RETURNS TABLE (citizen_id uuid, municipality_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT c.id, c.municipality_id FROM public.citizens c JOIN public.municipalities m ON m.id = c.municipality_id
   WHERE m.code = p_municipality_code AND c.cpr = p_cpr
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_find_citizen(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_find_citizen(text, text) TO retning_app;
--> statement-breakpoint
-- A portal request's first statement: the session decides the tenant and the citizen, never the request.
CREATE FUNCTION auth_resolve_citizen_session(p_session_id text)
RETURNS TABLE (session_id text, municipality_id uuid, municipality_name text, citizen_id uuid, first_name text,
               last_name text, csrf_token text, level text, created_at timestamptz, last_seen_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  s public.citizen_sessions%ROWTYPE;
BEGIN
  SELECT * INTO s FROM public.citizen_sessions WHERE id = p_session_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  PERFORM set_config('app.municipality_id', s.municipality_id::text, true);
  PERFORM set_config('app.citizen_id', s.citizen_id::text, true);
  PERFORM set_config('app.user_id', '', true);
  RETURN QUERY
  SELECT s.id, s.municipality_id, m.name, c.id, c.first_name, c.last_name, s.csrf_token, s.level, s.created_at,
         s.last_seen_at
    FROM public.citizens c
    JOIN public.municipalities m ON m.id = s.municipality_id
   WHERE c.id = s.citizen_id AND c.municipality_id = s.municipality_id;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_resolve_citizen_session(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_resolve_citizen_session(text) TO retning_citizen;
--> statement-breakpoint
-- The chain trigger reads the chain's last row. Run as the inserting role it would see, for a citizen, only
-- that citizen's events and fork the chain; as the owner it sees the tenant's whole chain (the tenant policy
-- applies to the owner too), whoever inserts.
ALTER FUNCTION audit_events_chain() SECURITY DEFINER SET search_path = pg_catalog, public;
--> statement-breakpoint
-- The portal's login page lists the municipalities a citizen can log in to (public names and codes).
CREATE FUNCTION portal_municipalities() RETURNS TABLE (code text, name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT m.code, m.name FROM public.municipalities m WHERE m.kind = 'municipality' ORDER BY m.name
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION portal_municipalities() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION portal_municipalities() TO retning_app;
--> statement-breakpoint
-- A trigger function cannot be called directly; nobody needs to be granted it (triggers fire regardless).
REVOKE ALL ON FUNCTION audit_events_chain() FROM PUBLIC;
