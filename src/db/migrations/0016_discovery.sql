-- Discovery: indexes behind the catalogue's sorts and filters, so browsing and searching 100,000 resources stay
-- index-backed. The btree ones are partial on published resources: learners only ever search those.

-- Audience filters match a staff group or job role whatever its case, as editors type them freely.
CREATE FUNCTION catalogue_lower_array(text[]) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(lower(x)), '{}') FROM unnest($1) AS x $$;
-- Not partial: the planner would otherwise read a whole partial index just to find the published rows.
CREATE INDEX resources_audience_staff_groups ON resources USING gin (catalogue_lower_array(audience_staff_groups));
CREATE INDEX resources_audience_job_roles ON resources USING gin (catalogue_lower_array(audience_job_roles));

-- Sorts: title A–Z, highest rated (rated first, then the mean damped towards 3 stars by two phantom ratings, so one
-- five-star rating does not outrank many four-star ones), shortest.
CREATE INDEX resources_title_sort ON resources (lower(title), id) WHERE status = 'published';
CREATE INDEX resources_rating_sort ON resources (
  (rating_count > 0) DESC, ((rating_total + 6)::double precision / (rating_count + 2)) DESC, rating_count DESC, id
) WHERE status = 'published';
CREATE INDEX resources_duration_sort ON resources (duration_minutes ASC NULLS LAST, id) WHERE status = 'published';

-- Filters by type and provider, and counting what is visible without reading the table.
CREATE INDEX resources_type_published ON resources (type, catalogue_id) WHERE status = 'published';
CREATE INDEX resources_provider_published ON resources (lower(provider), catalogue_id) WHERE status = 'published';

CREATE INDEX bookmarks_recent ON bookmarks (person_id, created_at DESC);
