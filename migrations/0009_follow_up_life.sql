ALTER TABLE "follow_ups" ADD COLUMN "housing" text;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "employment" text;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "education" text;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "psychiatry_contact" text;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "admissions_12m" smallint;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD COLUMN "admission_days_12m" smallint;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_life_check" CHECK (("follow_ups"."housing" is null or "follow_ups"."housing" in ('own_home','with_family','temporary_housing','supported_temporary','supported_long_term','homeless','shelter','hospital','other'))
      and ("follow_ups"."employment" is null or "follow_ups"."employment" in ('ordinary_job','flex_or_special_terms','protected_employment','in_education','unemployed','sick_leave','early_retirement','other'))
      and ("follow_ups"."education" is null or "follow_ups"."education" in ('primary','upper_secondary','vocational','higher','none_completed'))
      and ("follow_ups"."psychiatry_contact" is null or "follow_ups"."psychiatry_contact" in ('none','gp_only','outpatient','admitted_last_12m'))
      and ("follow_ups"."admissions_12m" is null or "follow_ups"."admissions_12m" between 0 and 365)
      and ("follow_ups"."admission_days_12m" is null or "follow_ups"."admission_days_12m" between 0 and 366));