-- The day from which a municipality's key figures are published (issue 13): its data are complete from go-live.
ALTER TABLE "municipalities" ADD COLUMN "key_figures_from" date;--> statement-breakpoint
ALTER TABLE "municipalities" ADD CONSTRAINT "municipalities_key_figures_from_check" CHECK ("municipalities"."key_figures_from" >= date '2000-01-01');--> statement-breakpoint
GRANT UPDATE (key_figures_from) ON municipalities TO retning_app;
