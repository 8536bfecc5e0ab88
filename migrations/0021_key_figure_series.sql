-- Issue 5, recompute speed (decision 009). The raw figures go straight from the SQL to disclosure control
-- and are never stored: only the protected ones exist at rest. The published figures are stored one row per
-- series (a municipality's figures for one indicator, kind of period and breakdown value, over time) with
-- arrays that run in step: a refresh writes some 15 times fewer rows, each with one primary-key entry, one
-- foreign-key check and one row-security check. The view key_figures_published gives them back one row per
-- figure, with the caller's row-level security.
CREATE FUNCTION key_figure_series_valid(p_starts date[], p_statuses text[], p_numerators numeric[],
                                        p_denominators numeric[], p_figures numeric[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  -- The arrays run in step, every period and status is given and known, and a withheld figure (any status
  -- but 'shown') carries no numbers: its positions are among the null positions of every number array.
  -- Array functions only, so the check is inlined and costs little per series.
  SELECT cardinality(p_starts) > 0
     AND cardinality(p_statuses) = cardinality(p_starts)
     AND cardinality(p_numerators) = cardinality(p_starts)
     AND cardinality(p_denominators) = cardinality(p_starts)
     AND cardinality(p_figures) = cardinality(p_starts)
     AND array_position(p_starts, NULL) IS NULL
     AND array_position(p_statuses, NULL) IS NULL
     AND p_statuses <@ ARRAY['shown', 'too_few', 'dominance', 'complementary']
     AND array_positions(p_statuses, 'too_few') || array_positions(p_statuses, 'dominance')
           || array_positions(p_statuses, 'complementary') <@ array_positions(p_numerators, NULL)
     AND array_positions(p_statuses, 'too_few') || array_positions(p_statuses, 'dominance')
           || array_positions(p_statuses, 'complementary') <@ array_positions(p_denominators, NULL)
     AND array_positions(p_statuses, 'too_few') || array_positions(p_statuses, 'dominance')
           || array_positions(p_statuses, 'complementary') <@ array_positions(p_figures, NULL)
$$;
--> statement-breakpoint
CREATE TABLE "key_figure_series" (
	"municipality_id" uuid NOT NULL,
	"period_kind" text NOT NULL,
	"breakdown" text NOT NULL,
	"indicator" text NOT NULL,
	"value" text NOT NULL,
	"period_starts" date[] NOT NULL,
	"statuses" text[] NOT NULL,
	"numerators" numeric(16, 2)[] NOT NULL,
	"denominators" numeric(16, 2)[] NOT NULL,
	"figures" numeric(18, 4)[] NOT NULL,
	CONSTRAINT "key_figure_series_pkey" PRIMARY KEY("municipality_id","period_kind","breakdown","indicator","value"),
	CONSTRAINT "key_figure_series_period_kind_check" CHECK ("key_figure_series"."period_kind" in ('month','quarter','year')),
	CONSTRAINT "key_figure_series_valid_check" CHECK (key_figure_series_valid("key_figure_series"."period_starts", "key_figure_series"."statuses", "key_figure_series"."numerators", "key_figure_series"."denominators", "key_figure_series"."figures"))
);
--> statement-breakpoint
ALTER TABLE "key_figure_series" ADD CONSTRAINT "key_figure_series_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- What was published stays published (municipalities loaded from exchange files are not recomputed here).
INSERT INTO key_figure_series
SELECT municipality_id, period_kind, breakdown, indicator, value,
       array_agg(period_start ORDER BY period_start), array_agg(status ORDER BY period_start),
       array_agg(numerator ORDER BY period_start), array_agg(denominator ORDER BY period_start),
       array_agg(figure ORDER BY period_start)
  FROM key_figures_published
 GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
DROP TABLE "key_figures" CASCADE;
--> statement-breakpoint
DROP TABLE "key_figures_published" CASCADE;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON key_figure_series TO retning_app;
--> statement-breakpoint
ALTER TABLE key_figure_series ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE key_figure_series FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON key_figure_series USING (municipality_id = app_municipality_id())
  WITH CHECK (municipality_id = app_municipality_id());
--> statement-breakpoint
-- Every municipality may read the others' totals (breakdown '') for comparison; breakdowns only its own.
CREATE POLICY compare_totals ON key_figure_series FOR SELECT
  USING (breakdown = '' AND app_municipality_id() IS NOT NULL);
--> statement-breakpoint
CREATE VIEW key_figures_published WITH (security_invoker = true) AS
SELECT s.municipality_id, s.indicator, s.period_kind, x.period_start, s.breakdown, s.value, x.status,
       x.numerator, x.denominator, x.figure
  FROM key_figure_series s
 CROSS JOIN LATERAL unnest(s.period_starts, s.statuses, s.numerators, s.denominators, s.figures)
       AS x(period_start, status, numerator, denominator, figure);
--> statement-breakpoint
GRANT SELECT ON key_figures_published TO retning_app;
