CREATE TABLE "action_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"services_needed" text DEFAULT '' NOT NULL,
	"expected_duration" text DEFAULT '' NOT NULL,
	"housing" text DEFAULT '' NOT NULL,
	"employment" text DEFAULT '' NOT NULL,
	"personal_help" text DEFAULT '' NOT NULL,
	"treatment" text DEFAULT '' NOT NULL,
	"aids" text DEFAULT '' NOT NULL,
	"offer" text DEFAULT 'not_offered' NOT NULL,
	"offered_on" date,
	"agreement_on" date,
	"agreement_how" text,
	"agreement_note" text DEFAULT '' NOT NULL,
	"participants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"goals_snapshot" jsonb,
	"services_snapshot" jsonb,
	"row_version" integer DEFAULT 1 NOT NULL,
	"shared_at" timestamp with time zone,
	"shared_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	CONSTRAINT "action_plans_version_key" UNIQUE("case_id","version"),
	CONSTRAINT "action_plans_status_check" CHECK ("action_plans"."status" in ('draft','shared')),
	CONSTRAINT "action_plans_offer_check" CHECK ("action_plans"."offer" in ('not_offered','offered','accepted','declined')),
	CONSTRAINT "action_plans_agreement_check" CHECK ("action_plans"."agreement_how" is null or "action_plans"."agreement_how" in ('meeting','phone','video','digital','letter'))
);
--> statement-breakpoint
CREATE TABLE "community_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"name" text NOT NULL,
	"organiser" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"schedule" text DEFAULT '' NOT NULL,
	"contact" text DEFAULT '' NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_offers_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "community_offers_name_key" UNIQUE("municipality_id","name"),
	CONSTRAINT "community_offers_category_check" CHECK ("community_offers"."category" in ('community','sport','culture','volunteering','peer_support','education','work','other'))
);
--> statement-breakpoint
CREATE TABLE "follow_up_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"follow_up_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"rater" text NOT NULL,
	"informant_list" text NOT NULL,
	"informant_code" text NOT NULL,
	"score" smallint NOT NULL,
	"weight" smallint DEFAULT 1 NOT NULL,
	CONSTRAINT "follow_up_ratings_key" UNIQUE("follow_up_id","goal_id","rater"),
	CONSTRAINT "follow_up_ratings_rater_check" CHECK ("follow_up_ratings"."rater" in ('citizen','professional')),
	CONSTRAINT "follow_up_ratings_score_check" CHECK ("follow_up_ratings"."score" between -2 and 2),
	CONSTRAINT "follow_up_ratings_weight_check" CHECK ("follow_up_ratings"."weight" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"ffb_list" text NOT NULL,
	"result_code" text NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"citizen_view" text DEFAULT '' NOT NULL,
	"next_on" date,
	"author_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_ups_municipality_id_id_key" UNIQUE("municipality_id","id")
);
--> statement-breakpoint
CREATE TABLE "goal_offer_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"offer_id" uuid NOT NULL,
	"status" text DEFAULT 'suggested' NOT NULL,
	"started_on" date,
	"checked_on" date,
	"note" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_offer_links_key" UNIQUE("goal_id","offer_id"),
	CONSTRAINT "goal_offer_links_status_check" CHECK ("goal_offer_links"."status" in ('suggested','started','continuing','stopped')),
	CONSTRAINT "goal_offer_links_started_check" CHECK ("goal_offer_links"."status" = 'suggested' or "goal_offer_links"."started_on" is not null)
);
--> statement-breakpoint
CREATE TABLE "measurements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"service_id" uuid,
	"instrument_key" text NOT NULL,
	"instrument_version" text NOT NULL,
	"administered_on" date NOT NULL,
	"informant_list" text NOT NULL,
	"informant_code" text NOT NULL,
	"answers" jsonb NOT NULL,
	"raw" numeric(7, 2) NOT NULL,
	"score" numeric(7, 2) NOT NULL,
	"author_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "municipality_instruments" (
	"municipality_id" uuid NOT NULL,
	"instrument_key" text NOT NULL,
	"enabled_by" uuid,
	"enabled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "municipality_instruments_key" UNIQUE("municipality_id","instrument_key")
);
--> statement-breakpoint
CREATE TABLE "provider_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"approach" text NOT NULL,
	"method_codes" text[] DEFAULT '{}' NOT NULL,
	"author_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_plans_version_key" UNIQUE("service_id","version")
);
--> statement-breakpoint
CREATE TABLE "service_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"on" date NOT NULL,
	"author_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_goals" (
	"municipality_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	CONSTRAINT "service_goals_key" UNIQUE("service_id","goal_id")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_id" uuid NOT NULL,
	"citizen_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"ffb_list" text NOT NULL,
	"ydelse_code" text NOT NULL,
	"paragraph_list" text NOT NULL,
	"paragraph_code" text NOT NULL,
	"provider_unit_id" uuid NOT NULL,
	"catalogue_item_id" uuid,
	"primary_target_group_code" text NOT NULL,
	"secondary_target_group_codes" text[] DEFAULT '{}' NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"start_on" date,
	"end_on" date,
	"end_reason_list" text,
	"end_reason_code" text,
	"hours_per_week" numeric(5, 2),
	"price_amount" numeric(12, 2),
	"price_unit" text,
	"cadence_kind" text DEFAULT 'standard' NOT NULL,
	"cadence_months" smallint,
	"next_follow_up_on" date,
	"last_follow_up_on" date,
	"agreed_next_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	CONSTRAINT "services_municipality_id_id_key" UNIQUE("municipality_id","id"),
	CONSTRAINT "services_status_check" CHECK ("services"."status" in ('proposed','granted','active','ended')),
	CONSTRAINT "services_dates_check" CHECK (("services"."end_on" is null or "services"."start_on" is null or "services"."end_on" >= "services"."start_on")
      and ("services"."status" not in ('active','ended') or "services"."start_on" is not null)
      and (("services"."status" = 'ended') = ("services"."end_reason_code" is not null))),
	CONSTRAINT "services_price_check" CHECK (("services"."price_amount" is null) = ("services"."price_unit" is null) and ("services"."price_unit" is null or "services"."price_unit" in ('hour','month'))
      and ("services"."price_amount" is null or "services"."price_amount" >= 0) and ("services"."hours_per_week" is null or "services"."hours_per_week" between 0 and 168)),
	CONSTRAINT "services_cadence_check" CHECK (("services"."cadence_kind" = 'standard' and "services"."cadence_months" is null) or ("services"."cadence_kind" = 'close' and "services"."cadence_months" between 1 and 3))
);
--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "service_id" uuid;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_case_fk" FOREIGN KEY ("municipality_id","case_id") REFERENCES "public"."cases"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_plans" ADD CONSTRAINT "action_plans_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_offers" ADD CONSTRAINT "community_offers_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_ratings" ADD CONSTRAINT "follow_up_ratings_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_ratings" ADD CONSTRAINT "follow_up_ratings_follow_up_fk" FOREIGN KEY ("municipality_id","follow_up_id") REFERENCES "public"."follow_ups"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_ratings" ADD CONSTRAINT "follow_up_ratings_goal_fk" FOREIGN KEY ("municipality_id","goal_id") REFERENCES "public"."goals"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_ratings" ADD CONSTRAINT "follow_up_ratings_informant_fk" FOREIGN KEY ("informant_list","informant_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_service_fk" FOREIGN KEY ("municipality_id","service_id") REFERENCES "public"."services"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_result_fk" FOREIGN KEY ("ffb_list","result_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_offer_links" ADD CONSTRAINT "goal_offer_links_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_offer_links" ADD CONSTRAINT "goal_offer_links_goal_fk" FOREIGN KEY ("municipality_id","goal_id") REFERENCES "public"."goals"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_offer_links" ADD CONSTRAINT "goal_offer_links_offer_fk" FOREIGN KEY ("municipality_id","offer_id") REFERENCES "public"."community_offers"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_service_fk" FOREIGN KEY ("municipality_id","service_id") REFERENCES "public"."services"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measurements" ADD CONSTRAINT "measurements_informant_fk" FOREIGN KEY ("informant_list","informant_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "municipality_instruments" ADD CONSTRAINT "municipality_instruments_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_plans" ADD CONSTRAINT "provider_plans_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_plans" ADD CONSTRAINT "provider_plans_service_fk" FOREIGN KEY ("municipality_id","service_id") REFERENCES "public"."services"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_events" ADD CONSTRAINT "service_events_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_events" ADD CONSTRAINT "service_events_service_fk" FOREIGN KEY ("municipality_id","service_id") REFERENCES "public"."services"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_goals" ADD CONSTRAINT "service_goals_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_goals" ADD CONSTRAINT "service_goals_service_fk" FOREIGN KEY ("municipality_id","service_id") REFERENCES "public"."services"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_goals" ADD CONSTRAINT "service_goals_goal_fk" FOREIGN KEY ("municipality_id","goal_id") REFERENCES "public"."goals"("municipality_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_municipality_id_municipalities_id_fk" FOREIGN KEY ("municipality_id") REFERENCES "public"."municipalities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_citizen_fk" FOREIGN KEY ("municipality_id","citizen_id") REFERENCES "public"."citizens"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_case_fk" FOREIGN KEY ("municipality_id","case_id") REFERENCES "public"."cases"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_unit_fk" FOREIGN KEY ("municipality_id","provider_unit_id") REFERENCES "public"."org_units"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_catalogue_fk" FOREIGN KEY ("municipality_id","catalogue_item_id") REFERENCES "public"."catalogue_items"("municipality_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_ydelse_fk" FOREIGN KEY ("ffb_list","ydelse_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_paragraph_fk" FOREIGN KEY ("paragraph_list","paragraph_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_target_group_fk" FOREIGN KEY ("ffb_list","primary_target_group_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_end_reason_fk" FOREIGN KEY ("end_reason_list","end_reason_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_plans_citizen_idx" ON "action_plans" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "follow_up_ratings_goal_idx" ON "follow_up_ratings" USING btree ("goal_id");--> statement-breakpoint
CREATE INDEX "follow_ups_service_idx" ON "follow_ups" USING btree ("service_id","held_on");--> statement-breakpoint
CREATE INDEX "follow_ups_citizen_idx" ON "follow_ups" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "goal_offer_links_citizen_idx" ON "goal_offer_links" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "measurements_citizen_idx" ON "measurements" USING btree ("citizen_id","instrument_key","administered_on");--> statement-breakpoint
CREATE INDEX "service_events_service_idx" ON "service_events" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "services_case_idx" ON "services" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "services_citizen_idx" ON "services" USING btree ("citizen_id");--> statement-breakpoint
CREATE INDEX "services_provider_due_idx" ON "services" USING btree ("municipality_id","provider_unit_id","next_follow_up_on");