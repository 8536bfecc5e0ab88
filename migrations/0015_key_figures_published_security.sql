-- Issue 5: published key figures and comparison groups. The refresh replaces a municipality's published
-- figures; every municipality may read the others' totals (breakdown '') for comparison, and only its own
-- breakdowns. Withheld figures carry no numbers (check constraint), so nothing suppressed is readable.
GRANT SELECT, INSERT, DELETE ON key_figures_published TO retning_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON comparison_groups TO retning_app;
--> statement-breakpoint
ALTER TABLE key_figures_published ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE key_figures_published FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON key_figures_published USING (municipality_id = app_municipality_id())
  WITH CHECK (municipality_id = app_municipality_id());
--> statement-breakpoint
CREATE POLICY compare_totals ON key_figures_published FOR SELECT
  USING (breakdown = '' AND app_municipality_id() IS NOT NULL);
--> statement-breakpoint
ALTER TABLE comparison_groups ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE comparison_groups FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON comparison_groups USING (municipality_id = app_municipality_id())
  WITH CHECK (municipality_id = app_municipality_id());
--> statement-breakpoint
-- One index serves the municipality's own series and, per member, the group and country aggregates.
CREATE INDEX key_figures_published_own_idx ON key_figures_published (municipality_id, period_kind, breakdown, indicator, period_start);
--> statement-breakpoint
-- The municipalities of this deployment (three-digit kommunekode; not agencies), for choosing comparison
-- groups and naming their members. Names and codes are public facts.
CREATE FUNCTION municipality_directory() RETURNS TABLE (id uuid, code text, name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT m.id, m.code, m.name FROM public.municipalities m WHERE m.code ~ '^[0-9]{3}$' ORDER BY m.name
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION municipality_directory() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION municipality_directory() TO retning_app;
