-- Issue 5, recompute speed (decision 009): the raw figures go straight from the SQL to disclosure control
-- and are never stored, so only the protected ones exist at rest. The published figures keep one index,
-- their primary key, in the order the dashboard reads them (municipality, period kind, breakdown,
-- indicator); it replaces key_figures_published_own_idx, halving the index work of every refresh.
DROP TABLE "key_figures" CASCADE;
--> statement-breakpoint
DROP INDEX key_figures_published_own_idx;
--> statement-breakpoint
ALTER TABLE "key_figures_published" DROP CONSTRAINT "key_figures_published_pkey";
--> statement-breakpoint
ALTER TABLE "key_figures_published" ADD CONSTRAINT "key_figures_published_pkey" PRIMARY KEY("municipality_id","period_kind","breakdown","indicator","period_start","value");
