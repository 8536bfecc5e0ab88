-- Issue 5: key figures. The app computes and replaces a municipality's figures; triggers on the pathway
-- tables mark the municipality dirty; a refresh claims dirty municipalities (see keyfigures.refresh.ts).
GRANT SELECT, INSERT, DELETE ON key_figures TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON key_figure_state TO retning_app;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['key_figures','key_figure_state'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (municipality_id = app_municipality_id()) '
                   'WITH CHECK (municipality_id = app_municipality_id())', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- Marks the row's municipality dirty. It writes only on the clean → dirty transition, so concurrent writes
-- in one municipality do not queue on its state row while it is already dirty.
CREATE FUNCTION key_figures_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE m uuid;
BEGIN
  m := CASE WHEN TG_OP = 'DELETE' THEN OLD.municipality_id ELSE NEW.municipality_id END;
  IF NOT EXISTS (SELECT 1 FROM key_figure_state s WHERE s.municipality_id = m AND s.dirty_since IS NOT NULL) THEN
    INSERT INTO key_figure_state (municipality_id, dirty_since) VALUES (m, now())
      ON CONFLICT (municipality_id) DO UPDATE SET dirty_since = coalesce(key_figure_state.dirty_since, excluded.dirty_since);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['services','follow_ups','follow_up_ratings','assessments','goals','goal_events',
                           'action_plans','goal_offer_links','measurements','cases'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I '
                   'FOR EACH ROW EXECUTE FUNCTION key_figures_mark_dirty()', t || '_key_figures_dirty', t);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE POLICY definer_lookup ON key_figure_state FOR SELECT TO CURRENT_USER USING (true);
--> statement-breakpoint
-- The municipalities whose figures are out of date, oldest first, for the refresh sweep.
CREATE FUNCTION key_figures_dirty() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT municipality_id FROM public.key_figure_state WHERE dirty_since IS NOT NULL ORDER BY dirty_since
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION key_figures_dirty() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION key_figures_dirty() TO retning_app;
