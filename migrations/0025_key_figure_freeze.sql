CREATE TABLE "key_figure_protection_log" (
	"municipality_id" uuid NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"indicator" text NOT NULL,
	"breakdown" text NOT NULL,
	"value" text NOT NULL,
	"reason" text NOT NULL,
	"logged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_figure_protection_log_pkey" PRIMARY KEY("municipality_id","period_kind","period_start","indicator","breakdown","value"),
	CONSTRAINT "key_figure_protection_log_reason_check" CHECK ("key_figure_protection_log"."reason" in ('too_few','dominance','complementary','audit'))
);
--> statement-breakpoint
ALTER TABLE "key_figure_state" ADD COLUMN "published_through" date;--> statement-breakpoint
ALTER TABLE "key_figure_protection_log" ADD CONSTRAINT "key_figure_protection_log_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Issue 13: one withheld status. What was published under the earlier rules named the reason and was
-- republished after every change; it is dropped for municipalities computed here, which publish again under
-- the new rules (closed periods once, then frozen). Figures loaded from exchange files keep their numbers
-- and lose their reasons.
DELETE FROM key_figure_series s USING key_figure_state st
 WHERE st.municipality_id = s.municipality_id AND st.source = 'computed';
--> statement-breakpoint
DELETE FROM key_figure_series s
 WHERE NOT EXISTS (SELECT 1 FROM key_figure_state st WHERE st.municipality_id = s.municipality_id);
--> statement-breakpoint
UPDATE key_figure_series
   SET statuses = ARRAY(SELECT CASE WHEN x = 'shown' THEN 'shown' ELSE 'withheld' END FROM unnest(statuses) x);
--> statement-breakpoint
UPDATE key_figure_state SET definition = NULL, ladder = NULL WHERE source = 'computed';
--> statement-breakpoint
CREATE OR REPLACE FUNCTION key_figure_series_valid(p_starts date[], p_statuses text[], p_numerators numeric[],
                                                   p_denominators numeric[], p_figures numeric[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- The arrays run in step, every period and status is given and known, and a withheld figure carries no
  -- numbers: its positions are among the null positions of every number array.
  SELECT cardinality(p_starts) > 0
     AND cardinality(p_statuses) = cardinality(p_starts)
     AND cardinality(p_numerators) = cardinality(p_starts)
     AND cardinality(p_denominators) = cardinality(p_starts)
     AND cardinality(p_figures) = cardinality(p_starts)
     AND array_position(p_starts, NULL) IS NULL
     AND array_position(p_statuses, NULL) IS NULL
     AND p_statuses <@ ARRAY['shown', 'withheld']
     AND array_positions(p_statuses, 'withheld') <@ array_positions(p_numerators, NULL)
     AND array_positions(p_statuses, 'withheld') <@ array_positions(p_denominators, NULL)
     AND array_positions(p_statuses, 'withheld') <@ array_positions(p_figures, NULL)
$$;
--> statement-breakpoint
GRANT SELECT, INSERT ON key_figure_protection_log TO retning_app;
--> statement-breakpoint
ALTER TABLE key_figure_protection_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE key_figure_protection_log FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON key_figure_protection_log USING (municipality_id = app_municipality_id())
  WITH CHECK (municipality_id = app_municipality_id());
--> statement-breakpoint
-- The sweep: municipalities computed here with a period due that is not published yet, or other definitions.
CREATE FUNCTION key_figures_due(p_definition text, p_due date) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT municipality_id FROM public.key_figure_state
   WHERE source = 'computed'
     AND (published_through IS DISTINCT FROM p_due OR definition IS DISTINCT FROM p_definition)
   ORDER BY published_through NULLS FIRST, municipality_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION key_figures_due(text, date) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION key_figures_due(text, date) TO retning_app;
--> statement-breakpoint
DROP FUNCTION key_figures_dirty(text);
