CREATE TABLE "comparison_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"name" text NOT NULL,
	"members" uuid[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comparison_groups_members_check" CHECK (cardinality("comparison_groups"."members") >= 5)
);
--> statement-breakpoint
CREATE TABLE "key_figures_published" (
	"municipality_id" uuid NOT NULL,
	"indicator" text NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"breakdown" text NOT NULL,
	"value" text NOT NULL,
	"status" text NOT NULL,
	"numerator" numeric(16, 2),
	"denominator" numeric(16, 2),
	"figure" numeric(18, 4),
	CONSTRAINT "key_figures_published_pkey" PRIMARY KEY("municipality_id","indicator","period_kind","period_start","breakdown","value"),
	CONSTRAINT "key_figures_published_status_check" CHECK ("key_figures_published"."status" in ('shown','too_few','dominance','complementary')),
	CONSTRAINT "key_figures_published_withheld_check" CHECK ("key_figures_published"."status" = 'shown' or ("key_figures_published"."numerator" is null and "key_figures_published"."denominator" is null and "key_figures_published"."figure" is null))
);
--> statement-breakpoint
ALTER TABLE "key_figure_state" ADD COLUMN "ladder" jsonb;--> statement-breakpoint
ALTER TABLE "key_figures" ADD COLUMN "contributors" integer;--> statement-breakpoint
ALTER TABLE "key_figures" ADD COLUMN "top2" numeric(16, 2);--> statement-breakpoint
ALTER TABLE "comparison_groups" ADD CONSTRAINT "comparison_groups_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "key_figures_published" ADD CONSTRAINT "key_figures_published_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;