-- Issue 5: figures computed with other definitions (an upgrade changed an indicator, its SQL, the ladder or
-- the protection rules) are out of date too: the sweep recomputes them. Municipalities loaded from an
-- exchange file have no pathways here and are left alone.
DROP FUNCTION key_figures_dirty();
--> statement-breakpoint
CREATE FUNCTION key_figures_dirty(p_definition text) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT municipality_id FROM public.key_figure_state
   WHERE source = 'computed' AND (dirty_since IS NOT NULL OR definition IS DISTINCT FROM p_definition)
   ORDER BY dirty_since NULLS LAST, municipality_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION key_figures_dirty(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION key_figures_dirty(text) TO retning_app;
