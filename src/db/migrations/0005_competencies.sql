-- Competency frameworks: trees of items (domains, capabilities, statements) with a level scale, versioned, and
-- imported from and exported to 1EdTech CASE 1.0 (CFPackage JSON).
--
-- Each version of a framework is its own row; all versions share the CASE document identifier. A round trip
-- through Tessera loses nothing: every CASE element keeps the JSON it arrived with (case_* columns), and export
-- lays the columns Tessera edits over that JSON.

CREATE TABLE competency_frameworks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  identifier uuid NOT NULL,                 -- CFDocument identifier, the same in every version
  version integer NOT NULL CHECK (version > 0),
  organisation_id uuid REFERENCES organisations(id),  -- the owner; null for national (built-in) frameworks
  status text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
  title text NOT NULL,
  description text,
  creator text NOT NULL,
  publisher text,
  language text,
  version_label text,                       -- CFDocument version, e.g. "2018"
  builtin_key text,                         -- e.g. 'cstf' for the frameworks Tessera seeds
  levels jsonb NOT NULL DEFAULT '[]',       -- the level scale: [{level, label, description}]
  source text NOT NULL CHECK (source IN ('builtin', 'case', 'authored')),
  case_document jsonb NOT NULL,             -- the CFDocument as received (or as Tessera first wrote it)
  case_package jsonb NOT NULL DEFAULT '{}', -- the package's other top-level members (CFDefinitions, CFRubrics)
  created_by uuid REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (identifier, version)
);
CREATE INDEX competency_frameworks_org ON competency_frameworks (organisation_id);
CREATE UNIQUE INDEX competency_frameworks_builtin ON competency_frameworks (builtin_key, version)
  WHERE builtin_key IS NOT NULL;

CREATE TABLE competency_items (
  framework_id uuid NOT NULL REFERENCES competency_frameworks(id) ON DELETE CASCADE,
  identifier uuid NOT NULL,                 -- CFItem identifier, the same in every version of the framework
  parent_identifier uuid,                   -- null: a top-level item (a child of the document)
  position integer NOT NULL,                -- order among its siblings
  package_order integer NOT NULL,           -- order in the package's CFItems
  code text,                                -- humanCodingScheme
  statement text NOT NULL,                  -- fullStatement
  abbreviated text,                         -- abbreviatedStatement
  item_type text,                           -- CFItemType
  notes text,
  levels jsonb,                             -- the scale's levels that apply: [{level, refresherMonths?}]
  case_item jsonb NOT NULL,
  PRIMARY KEY (framework_id, identifier)
);
CREATE INDEX competency_items_parent ON competency_items (framework_id, parent_identifier, position);
CREATE INDEX competency_items_order ON competency_items (framework_id, package_order);

-- Associations other than the tree (isChildOf is kept too, for a lossless export, and is what the tree is built
-- from on import): exactMatchOf, isRelatedTo, precedes, exemplar, … Destinations may lie outside the package.
CREATE TABLE competency_associations (
  framework_id uuid NOT NULL REFERENCES competency_frameworks(id) ON DELETE CASCADE,
  identifier uuid NOT NULL,
  association_type text NOT NULL,
  origin_identifier text NOT NULL,
  destination_identifier text NOT NULL,
  position integer NOT NULL,                -- order in the package
  case_association jsonb NOT NULL,
  PRIMARY KEY (framework_id, identifier)
);
