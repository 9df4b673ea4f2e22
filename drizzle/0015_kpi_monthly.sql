CREATE TABLE "kpi_monthly" (
	"org_id" uuid NOT NULL,
	"month" text NOT NULL,
	"dim" text NOT NULL,
	"dim_value" text NOT NULL,
	"counters" jsonb NOT NULL,
	"sketches" jsonb NOT NULL,
	CONSTRAINT "kpi_monthly_org_id_dim_month_dim_value_pk" PRIMARY KEY("org_id","dim","month","dim_value")
);
