CREATE TABLE "representations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"representative_cpr" text NOT NULL,
	"representative_name" text NOT NULL,
	"relation" text DEFAULT '' NOT NULL,
	"scopes" text[] NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"given_how" text NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	CONSTRAINT "representations_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "representations_cpr_check" CHECK ("representations"."representative_cpr" ~ '^[0-9]{10}$'),
	CONSTRAINT "representations_scopes_check" CHECK ('read' = any("representations"."scopes") and "representations"."scopes" <@ array['read','write','messages']),
	CONSTRAINT "representations_dates_check" CHECK ("representations"."valid_until" >= "representations"."valid_from"),
	CONSTRAINT "representations_given_how_check" CHECK ("representations"."given_how" in ('portal','power_of_attorney')),
	CONSTRAINT "representations_revoked_check" CHECK (("representations"."revoked_at" is null) = ("representations"."revoked_by" is null) and ("representations"."revoked_by" is null or "representations"."revoked_by" in ('citizen','staff')))
);
--> statement-breakpoint
CREATE TABLE "goal_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"goal_id" uuid,
	"words" text NOT NULL,
	"representation_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"answered_by" uuid,
	"resulting_goal_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_proposals_status_check" CHECK ("goal_proposals"."status" in ('open','accepted','answered')),
	CONSTRAINT "goal_proposals_answer_check" CHECK (("goal_proposals"."status" = 'open') = ("goal_proposals"."answered_at" is null) and ("goal_proposals"."status" = 'open') = ("goal_proposals"."answered_by" is null))
);
--> statement-breakpoint
CREATE TABLE "message_threads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_threads_municipality_id_id_key" UNIQUE("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"thread_id" uuid NOT NULL,
	"body" text NOT NULL,
	"sender" text NOT NULL,
	"sender_user_id" uuid,
	"representation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "messages_sender_check" CHECK (("messages"."sender" = 'citizen' and "messages"."sender_user_id" is null and "messages"."representation_id" is null)
       or ("messages"."sender" = 'representative' and "messages"."sender_user_id" is null and "messages"."representation_id" is not null)
       or ("messages"."sender" = 'staff' and "messages"."sender_user_id" is not null and "messages"."representation_id" is null))
);
--> statement-breakpoint
ALTER TABLE "citizen_narratives" DROP CONSTRAINT "citizen_narratives_written_by_check";--> statement-breakpoint
ALTER TABLE "citizen_narratives" ADD COLUMN "representation_id" uuid;--> statement-breakpoint
ALTER TABLE "citizen_sessions" ADD COLUMN "representation_id" uuid;--> statement-breakpoint
ALTER TABLE "representations" ADD CONSTRAINT "representations_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_proposals" ADD CONSTRAINT "goal_proposals_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_proposals" ADD CONSTRAINT "goal_proposals_case_fk" FOREIGN KEY ("municipality_id","case_id") REFERENCES "public"."cases"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_proposals" ADD CONSTRAINT "goal_proposals_goal_fk" FOREIGN KEY ("municipality_id","goal_id") REFERENCES "public"."goals"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_proposals" ADD CONSTRAINT "goal_proposals_resulting_goal_fk" FOREIGN KEY ("municipality_id","resulting_goal_id") REFERENCES "public"."goals"("municipality_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_proposals" ADD CONSTRAINT "goal_proposals_representation_fk" FOREIGN KEY ("municipality_id","representation_id") REFERENCES "public"."representations"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_proposals" ADD CONSTRAINT "goal_proposals_answered_by_fk" FOREIGN KEY ("municipality_id","answered_by") REFERENCES "public"."users"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_threads" ADD CONSTRAINT "message_threads_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_threads" ADD CONSTRAINT "message_threads_case_fk" FOREIGN KEY ("municipality_id","case_id") REFERENCES "public"."cases"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_threads" ADD CONSTRAINT "message_threads_unit_fk" FOREIGN KEY ("municipality_id","unit_id") REFERENCES "public"."org_units"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_thread_fk" FOREIGN KEY ("municipality_id","thread_id") REFERENCES "public"."message_threads"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_representation_fk" FOREIGN KEY ("municipality_id","representation_id") REFERENCES "public"."representations"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_sender_user_fk" FOREIGN KEY ("municipality_id","sender_user_id") REFERENCES "public"."users"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "representations_citizen_idx" ON "representations" USING btree ("municipality_id","citizen_id");--> statement-breakpoint
CREATE INDEX "representations_cpr_idx" ON "representations" USING btree ("municipality_id","representative_cpr");--> statement-breakpoint
CREATE INDEX "goal_proposals_case_idx" ON "goal_proposals" USING btree ("municipality_id","case_id","status");--> statement-breakpoint
CREATE INDEX "goal_proposals_citizen_idx" ON "goal_proposals" USING btree ("municipality_id","citizen_id");--> statement-breakpoint
CREATE INDEX "message_threads_unit_idx" ON "message_threads" USING btree ("municipality_id","unit_id");--> statement-breakpoint
CREATE INDEX "message_threads_citizen_idx" ON "message_threads" USING btree ("municipality_id","citizen_id");--> statement-breakpoint
CREATE INDEX "messages_thread_idx" ON "messages" USING btree ("thread_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_unread_idx" ON "messages" USING btree ("municipality_id","sender") WHERE "messages"."read_at" is null;--> statement-breakpoint
ALTER TABLE "citizen_sessions" ADD CONSTRAINT "citizen_sessions_representation_fk" FOREIGN KEY ("municipality_id","representation_id") REFERENCES "public"."representations"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "citizen_narratives" ADD CONSTRAINT "citizen_narratives_written_by_check" CHECK ("citizen_narratives"."written_by" in ('citizen','staff_on_behalf','representative') and ("citizen_narratives"."written_by" = 'representative') = ("citizen_narratives"."representation_id" is not null));--> statement-breakpoint
-- A representative's session sets the representation it acts under; what they write carries it.
CREATE FUNCTION app_representation_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('app.representation_id', true), '')::uuid
$$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['representations','goal_proposals','message_threads','messages'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (municipality_id = app_municipality_id()) '
                   'WITH CHECK (municipality_id = app_municipality_id())', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- Representations: staff read them and record powers of attorney; the citizen reads theirs (never the
-- representative's CPR number back), gives access and revokes it. A representative sees only their own.
GRANT SELECT, INSERT ON representations TO retning_app;
--> statement-breakpoint
GRANT UPDATE (revoked_at, revoked_by) ON representations TO retning_app, retning_citizen;
--> statement-breakpoint
GRANT SELECT (id, municipality_id, citizen_id, representative_name, relation, scopes, valid_from, valid_until,
              given_how, recorded_by, created_at, revoked_at, revoked_by) ON representations TO retning_citizen;
--> statement-breakpoint
GRANT INSERT ON representations TO retning_citizen;
--> statement-breakpoint
CREATE POLICY citizen_own ON representations AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id()
         AND (app_representation_id() IS NULL OR id = app_representation_id()))
  WITH CHECK (citizen_id = app_citizen_id() AND app_representation_id() IS NULL);
--> statement-breakpoint
CREATE POLICY citizen_gives ON representations AS RESTRICTIVE FOR INSERT TO retning_citizen
  WITH CHECK (given_how = 'portal' AND recorded_by IS NULL AND revoked_at IS NULL);
--> statement-breakpoint
-- The login looks representatives up by CPR number before any tenant is set (SECURITY DEFINER).
CREATE POLICY definer_lookup ON representations FOR SELECT TO CURRENT_USER USING (true);
--> statement-breakpoint
CREATE FUNCTION auth_find_representations(p_municipality_code text, p_cpr text, p_today date)
RETURNS TABLE (representation_id uuid, municipality_id uuid, citizen_id uuid, first_name text, last_name text,
               representative_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT r.id, r.municipality_id, c.id, c.first_name, c.last_name, r.representative_name
    FROM public.representations r
    JOIN public.municipalities m ON m.id = r.municipality_id
    JOIN public.citizens c ON c.municipality_id = r.municipality_id AND c.id = r.citizen_id
   WHERE m.code = p_municipality_code AND r.representative_cpr = p_cpr AND r.revoked_at IS NULL
     AND c.cpr <> r.representative_cpr
     AND p_today BETWEEN r.valid_from AND r.valid_until
   ORDER BY c.first_name, c.last_name, r.id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_find_representations(text, text, date) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_find_representations(text, text, date) TO retning_app;
--> statement-breakpoint
GRANT SELECT (representation_id) ON citizen_sessions TO retning_citizen;
--> statement-breakpoint
-- The session decides the citizen and, for a representative, the representation: a revoked or expired
-- representation ends the session at its next request.
DROP FUNCTION auth_resolve_citizen_session(text);
--> statement-breakpoint
CREATE FUNCTION auth_resolve_citizen_session(p_session_id text, p_today date)
RETURNS TABLE (session_id text, municipality_id uuid, municipality_name text, citizen_id uuid, first_name text,
               last_name text, csrf_token text, level text, created_at timestamptz, last_seen_at timestamptz,
               representation_id uuid, representative_name text, representation_scopes text[])
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  s public.citizen_sessions%ROWTYPE;
  r public.representations%ROWTYPE;
BEGIN
  SELECT * INTO s FROM public.citizen_sessions WHERE id = p_session_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF s.representation_id IS NOT NULL THEN
    SELECT * INTO r FROM public.representations x
     WHERE x.id = s.representation_id AND x.municipality_id = s.municipality_id AND x.citizen_id = s.citizen_id
       AND x.revoked_at IS NULL AND p_today BETWEEN x.valid_from AND x.valid_until;
    IF NOT FOUND THEN
      RETURN; -- revoked or expired: the session opens nothing, from its next request on
    END IF;
  END IF;
  PERFORM set_config('app.municipality_id', s.municipality_id::text, true);
  PERFORM set_config('app.citizen_id', s.citizen_id::text, true);
  PERFORM set_config('app.representation_id', coalesce(s.representation_id::text, ''), true);
  PERFORM set_config('app.user_id', '', true);
  RETURN QUERY
  SELECT s.id, s.municipality_id, m.name, c.id, c.first_name, c.last_name, s.csrf_token, s.level, s.created_at,
         s.last_seen_at, s.representation_id, r.representative_name, r.scopes
    FROM public.citizens c
    JOIN public.municipalities m ON m.id = s.municipality_id
   WHERE c.id = s.citizen_id AND c.municipality_id = s.municipality_id;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_resolve_citizen_session(text, date) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_resolve_citizen_session(text, date) TO retning_citizen;
--> statement-breakpoint
-- What a representative writes is marked as theirs; what only the citizen may do refuses them.
DROP POLICY citizen_writes_own_words ON citizen_narratives;
--> statement-breakpoint
CREATE POLICY citizen_writes_own_words ON citizen_narratives AS RESTRICTIVE FOR INSERT TO retning_citizen
  WITH CHECK (author_user_id IS NULL
              AND representation_id IS NOT DISTINCT FROM app_representation_id()
              AND written_by = CASE WHEN app_representation_id() IS NULL THEN 'citizen' ELSE 'representative' END);
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['consents','measurements','follow_up_preparations','log_questions'] LOOP
    EXECUTE format('CREATE POLICY citizen_only ON %I AS RESTRICTIVE FOR INSERT TO retning_citizen '
                   'WITH CHECK (app_representation_id() IS NULL)', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['consents','follow_up_preparations'] LOOP
    EXECUTE format('CREATE POLICY citizen_only_update ON %I AS RESTRICTIVE FOR UPDATE TO retning_citizen '
                   'USING (app_representation_id() IS NULL)', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- Mine mål: the citizen (or representative) proposes; staff answer or accept.
GRANT SELECT ON goal_proposals TO retning_app, retning_citizen;
--> statement-breakpoint
GRANT INSERT ON goal_proposals TO retning_citizen;
--> statement-breakpoint
GRANT UPDATE (status, answer, answered_at, answered_by, resulting_goal_id) ON goal_proposals TO retning_app;
--> statement-breakpoint
CREATE POLICY citizen_own ON goal_proposals AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id())
  WITH CHECK (citizen_id = app_citizen_id() AND status = 'open' AND answered_by IS NULL
              AND resulting_goal_id IS NULL AND representation_id IS NOT DISTINCT FROM app_representation_id());
--> statement-breakpoint
-- Messages: threads and messages of the citizen's own cases; the citizen marks staff messages read.
GRANT SELECT, INSERT ON message_threads, messages TO retning_app, retning_citizen;
--> statement-breakpoint
GRANT UPDATE (read_at) ON messages TO retning_app, retning_citizen;
--> statement-breakpoint
CREATE POLICY citizen_own ON message_threads AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id()) WITH CHECK (citizen_id = app_citizen_id());
--> statement-breakpoint
CREATE POLICY citizen_own ON messages AS RESTRICTIVE TO retning_citizen
  USING (citizen_id = app_citizen_id()) WITH CHECK (citizen_id = app_citizen_id());
--> statement-breakpoint
CREATE POLICY citizen_writes ON messages AS RESTRICTIVE FOR INSERT TO retning_citizen
  WITH CHECK (read_at IS NULL AND sender_user_id IS NULL
              AND representation_id IS NOT DISTINCT FROM app_representation_id()
              AND sender = CASE WHEN app_representation_id() IS NULL THEN 'citizen' ELSE 'representative' END);
--> statement-breakpoint
CREATE POLICY citizen_reads_staff ON messages AS RESTRICTIVE FOR UPDATE TO retning_citizen
  USING (sender = 'staff');
