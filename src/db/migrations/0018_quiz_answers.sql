-- Viewers and assessments: a learner's submitted answers to a question-bank assessment, one row per attempt, so
-- the result page can be reloaded and the answers reviewed; and indexes to find the resource versions that use a
-- stored file, for the access check on every file request (a video seeks with many Range requests).

CREATE TABLE quiz_answers (
  attempt_id uuid PRIMARY KEY REFERENCES learning_attempts(id) ON DELETE CASCADE,
  answers jsonb NOT NULL,                    -- chosen option ids by question id (quiz.types.ts QuizAnswers)
  score double precision NOT NULL CHECK (score BETWEEN 0 AND 100),  -- percent, as scored on submission
  passed boolean NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX resource_versions_file ON resource_versions ((content->>'fileId'));
CREATE INDEX resource_versions_captions_file ON resource_versions ((content->>'captionsFileId'));
