-- The distinct pairs of characters in a text, lower-cased: a two-character search (垃圾) has no
-- trigram to look up, but its one pair is in this set of every case that contains it.
CREATE OR REPLACE FUNCTION jx_char_pairs(t text) RETURNS text[]
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}'::text[]) FROM generate_series(1, char_length(t) - 1) AS i $$;--> statement-breakpoint
CREATE INDEX "reports_search_pairs_idx" ON "reports" USING gin (jx_char_pairs(coalesce("tracking_code", '') || chr(1) || coalesce("description", '') || chr(1) || coalesce("address", '')));