ALTER TABLE "assessment_conditions" ADD COLUMN "not_assessed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "gas_levels" jsonb;--> statement-breakpoint
ALTER TABLE "goals" ADD COLUMN "gas_baseline" smallint;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "end_reason_list" text;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "end_reason_code" text;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "end_recommended" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "services" ADD COLUMN "support_need_code" text;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_end_reason_fk" FOREIGN KEY ("end_reason_list","end_reason_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services" ADD CONSTRAINT "services_support_need_fk" FOREIGN KEY ("ffb_list","support_need_code") REFERENCES "public"."codes"("list_key","code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_conditions" ADD CONSTRAINT "assessment_conditions_not_assessed_check" CHECK (not ("assessment_conditions"."not_assessed" and "assessment_conditions"."level" is not null));--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_gas_check" CHECK (("goals"."gas_levels" is null and "goals"."gas_baseline" is null) or (jsonb_typeof("goals"."gas_levels") = 'object'
          and "goals"."gas_levels" ?& array['-1','0','1'] and "goals"."gas_baseline" between -2 and 2));--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_end_recommended_check" CHECK (not "follow_ups"."end_recommended" or "follow_ups"."end_reason_code" is not null);