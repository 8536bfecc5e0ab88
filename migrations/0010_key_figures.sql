CREATE TABLE "key_figure_state" (
	"municipality_id" uuid PRIMARY KEY NOT NULL,
	"dirty_since" timestamp with time zone,
	"computed_at" timestamp with time zone,
	"duration_ms" integer,
	"rows" integer
);
--> statement-breakpoint
CREATE TABLE "key_figures" (
	"municipality_id" uuid NOT NULL,
	"indicator" text NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"breakdown" text NOT NULL,
	"value" text NOT NULL,
	"numerator" numeric(16, 2) NOT NULL,
	"denominator" numeric(16, 2),
	CONSTRAINT "key_figures_pkey" PRIMARY KEY("municipality_id","indicator","period_kind","period_start","breakdown","value"),
	CONSTRAINT "key_figures_period_kind_check" CHECK ("key_figures"."period_kind" in ('month','quarter','year'))
);
--> statement-breakpoint
ALTER TABLE "key_figure_state" ADD CONSTRAINT "key_figure_state_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_figures" ADD CONSTRAINT "key_figures_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;