-- Security model (see docs/decisions/003-tenancy-rls.md).
-- The application role: no login, no superuser, no BYPASSRLS, owns nothing. The app's connection switches
-- to it inside every transaction (set_config('role', 'retning_app', true)). Roles are cluster-wide, so
-- creation tolerates a concurrent creator (parallel test databases).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'retning_app') THEN
    BEGIN
      CREATE ROLE retning_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END $$;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT retning_app TO %I', current_user);
  END IF;
END $$;
--> statement-breakpoint
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO retning_app;
--> statement-breakpoint
GRANT SELECT ON municipalities TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON org_units TO retning_app;
--> statement-breakpoint
-- The password hash is readable only through auth_find_user(); the app role may set it, never select it.
GRANT SELECT (id, municipality_id, username, display_name, email, active, version, created_at, updated_at) ON users TO retning_app;
--> statement-breakpoint
GRANT INSERT, UPDATE ON users TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON role_assignments TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_events TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON citizens TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON citizen_narratives TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON network_members TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON network_member_revisions TO retning_app;
--> statement-breakpoint
CREATE FUNCTION app_municipality_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('app.municipality_id', true), '')::uuid
$$;
--> statement-breakpoint
ALTER TABLE municipalities ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE municipalities FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON municipalities USING (id = app_municipality_id()) WITH CHECK (id = app_municipality_id());
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['org_units','users','role_assignments','sessions','citizens','citizen_narratives',
                           'network_members','network_member_revisions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (municipality_id = app_municipality_id()) '
                   'WITH CHECK (municipality_id = app_municipality_id())', t);
  END LOOP;
END $$;
--> statement-breakpoint
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_read ON audit_events FOR SELECT USING (municipality_id = app_municipality_id());
--> statement-breakpoint
CREATE POLICY tenant_append ON audit_events FOR INSERT WITH CHECK (municipality_id = app_municipality_id());
--> statement-breakpoint
-- The owner (who runs migrations and owns the definer functions below) is subject to FORCEd RLS when it is
-- not a superuser; these SELECT-only policies let the two definer functions find a user or session before
-- the tenant is known. They apply to the owner role only, never to retning_app.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users','role_assignments','sessions','municipalities'] LOOP
    EXECUTE format('CREATE POLICY definer_lookup ON %I FOR SELECT TO %I USING (true)', t, current_user);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION auth_find_user(p_username text)
RETURNS TABLE (user_id uuid, municipality_id uuid, password_hash text, active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT u.id, u.municipality_id, u.password_hash, u.active FROM public.users u WHERE u.username = lower(p_username)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_find_user(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_find_user(text) TO retning_app;
--> statement-breakpoint
CREATE FUNCTION auth_resolve_session(p_session_id text)
RETURNS TABLE (session_id text, municipality_id uuid, municipality_name text, user_id uuid, username text,
               display_name text, user_active boolean, csrf_token text, roles_fingerprint text,
               created_at timestamptz, last_seen_at timestamptz, roles jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  s public.sessions%ROWTYPE;
BEGIN
  SELECT * INTO s FROM public.sessions WHERE id = p_session_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  -- The tenant of the caller's transaction comes from the session itself, never from the request.
  PERFORM set_config('app.municipality_id', s.municipality_id::text, true);
  PERFORM set_config('app.user_id', s.user_id::text, true);
  RETURN QUERY
  SELECT s.id, s.municipality_id, m.name, u.id, u.username, u.display_name, u.active, s.csrf_token,
         s.roles_fingerprint, s.created_at, s.last_seen_at,
         coalesce((SELECT jsonb_agg(jsonb_build_object('role', r.role, 'unitId', r.unit_id) ORDER BY r.role, r.unit_id)
                     FROM public.role_assignments r WHERE r.user_id = u.id), '[]'::jsonb)
    FROM public.users u
    JOIN public.municipalities m ON m.id = s.municipality_id
   WHERE u.id = s.user_id;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_resolve_session(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_resolve_session(text) TO retning_app;
--> statement-breakpoint
-- Audit hash chains. Each row's hash covers the previous row's hash and every
-- field of its own, so editing, deleting or reordering a row breaks the chain at that row.
CREATE FUNCTION audit_event_digest(e audit_events) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws(chr(31),
    e.prev_hash, e.id::text, e.municipality_id::text, e.chain_id::text, e.chain_seq::text,
    to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.request_id,
    coalesce(e.actor_user_id::text, '-'), coalesce(e.actor_role, '-'), coalesce(e.citizen_id::text, '-'),
    e.action, e.resource_type, coalesce(e.resource_id, '-'), coalesce(e.criteria::text, '-'),
    coalesce(e.purpose, '-'), coalesce(e.case_id::text, '-'), e.outcome), 'UTF8')), 'hex')
$$;
--> statement-breakpoint
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  -- A municipality's events are spread over 16 chains, picked per transaction, so that concurrent requests
  -- rarely queue behind each other's commit. Appends to one chain are serialised until commit (no forks).
  NEW.chain_id := (txid_current() % 16)::smallint;
  PERFORM pg_advisory_xact_lock(hashtextextended('retning.audit.' || NEW.municipality_id::text || '.' || NEW.chain_id::text, 0));
  SELECT a.chain_seq, a.hash INTO last_seq, last_hash
    FROM audit_events a WHERE a.municipality_id = NEW.municipality_id AND a.chain_id = NEW.chain_id
   ORDER BY a.chain_seq DESC LIMIT 1;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.occurred_at := clock_timestamp();
  NEW.hash := audit_event_digest(NEW);
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
--> statement-breakpoint
CREATE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_immutable();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable();
--> statement-breakpoint
CREATE INDEX citizens_name_search_idx ON citizens (municipality_id, lower(last_name || ' ' || first_name));
